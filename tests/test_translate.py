"""Machine translation: mode resolution, the real argostranslate + CTranslate2 path on the tiny
fixture model, the cache (reruns, bypass, concurrency), signatures, errors, `corpus translate`.
The model has random weights: tests check routing, shape, caching and errors, never wording.
Arabic test lines come from seeds/004 (Nasser Kandil's op-eds, project samples)."""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
from argos_fixture import (PACKAGE_DIR_NAME, argos_env, argos_model,  # noqa: F401
                           clean_argos_caches, installed_models)
from typer.testing import CliRunner

from corpus.cli import app
from corpus.errors import InputError, MissingDependencyError, ModelError
from corpus.models import list_models, validate_archive
from corpus.mtcache import TranslationCache, normalize_source
from corpus.translate import (ArgosTranslator, CachedTranslator, Translator, load_translator,
                              missing_model_message, resolve_translator, translate_lines,
                              translate_sentences)

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()

# seeds/004, lines 298, 302, 378 and the start of 304
ARABIC = [
    "إيران ودرس كردستان العراق الجديد لمن يفهم!",
    "ناصر قنديل",
    "المواجهة بين معادلات الردع في نقطة الذروة",
    "فيما الإعلام منشغل والسياسة منغمسة، في استقراء رسائل أحداث البصرة",
]


class CountingTranslator:
    """Wraps a Translator and records what reaches it."""

    def __init__(self, inner):
        self.inner = inner
        self.calls: list[list[str]] = []

    def signature(self) -> str:
        return self.inner.signature()

    def translate(self, sentences):
        self.calls.append(list(sentences))
        return self.inner.translate(sentences)


# --- mode resolution -------------------------------------------------------------------------

def test_off_never_translates(installed_models):
    assert resolve_translator("off", installed_models) is None


def test_auto_without_model_warns_once_with_install_command(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        assert resolve_translator("auto", tmp_path / "models") is None
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "corpus models install" in warnings[0].getMessage()
    assert warnings[0].getMessage() == missing_model_message(tmp_path / "models")
    assert not (tmp_path / "models").exists()  # resolving writes nothing


def test_required_without_model_fails_with_hint(tmp_path):
    with pytest.raises(ModelError) as err:
        resolve_translator("required", tmp_path / "models")
    assert "corpus models install" in err.value.hint
    assert "--from" in err.value.hint


def test_unknown_mode(tmp_path):
    with pytest.raises(InputError, match="unknown MT mode"):
        resolve_translator("sometimes", tmp_path)


def test_required_and_auto_with_model(installed_models, argos_model):
    sha = hashlib.sha256(argos_model.read_bytes()).hexdigest()
    for mode in ("auto", "required"):
        translator = resolve_translator(mode, installed_models)
        assert isinstance(translator, CachedTranslator) and isinstance(translator, Translator)
        assert translator.signature() == f"mt:argos-translate-ar_en-0.1-{sha[:12]}"
    plain = resolve_translator("required", installed_models, cache=False)
    assert isinstance(plain, ArgosTranslator)


def test_missing_dependency(installed_models, monkeypatch, caplog):
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "ctranslate2" else real_find_spec(name, *a))
    with pytest.raises(MissingDependencyError) as err:
        resolve_translator("required", installed_models)
    assert "pip install" in err.value.hint
    with caplog.at_level(logging.WARNING):
        assert resolve_translator("auto", installed_models) is None
    assert "ctranslate2" in caplog.text


def test_broken_model_fails_even_in_auto(installed_models):
    [model] = list_models(installed_models)
    (model.path / "model" / "model.bin").write_bytes(b"not a model")
    for mode in ("auto", "required"):
        translator = resolve_translator(mode, installed_models, cache=False)
        with pytest.raises(ModelError, match="cannot load the CTranslate2 model"):
            translator.translate(ARABIC[:1])


# --- the real argostranslate + CTranslate2 path ----------------------------------------------

def test_translate_shape_and_determinism(installed_models):
    translator = resolve_translator("required", installed_models, cache=False)
    inputs = [ARABIC[0], "", "   ", ARABIC[1], ARABIC[2]]
    first = translator.translate(inputs)
    assert len(first) == len(inputs)
    assert first[1] == "" and first[2] == ""  # blank in, blank out, no model call
    assert all(isinstance(t, str) and t.strip() for t in (first[0], first[3], first[4]))
    assert translator.translate(inputs) == first  # beam search is deterministic


def test_unknown_token_redo_path(installed_models):
    """Outputs holding the unknown token are redone with replace_unknowns (as argostranslate
    does); the search is the same, so the other outputs do not change."""
    translator = resolve_translator("required", installed_models, cache=False)
    plain = translator.translate(ARABIC)
    calls = []
    real = translator._translator

    class Spy:
        def __init__(self):
            self.results = []

        def translate_batch(self, tokens, **kw):
            calls.append((len(tokens), kw.get("replace_unknowns", False)))
            self.results.append(real.translate_batch(tokens, **kw))
            return self.results[-1]

    spy = Spy()
    translator._translator = spy
    assert translator.translate(ARABIC) == plain
    # no <unk> in the outputs: one plain call per length group, no replace_unknowns pass
    assert sum(n for n, _ in calls) == 4 and not any(redo for _, redo in calls)
    # pretend the first output token of the first group's first sentence is the unknown token
    translator._unk = spy.results[0][0].hypotheses[0][0]
    calls.clear()
    again = translator.translate(ARABIC)
    assert calls[0][1] is False and calls[1][1] is True and calls[1][0] >= 1
    assert again == plain


def test_translation_independent_of_batch_mates(installed_models):
    translator = resolve_translator("required", installed_models, cache=False)
    alone = [translator.translate([sentence])[0] for sentence in ARABIC]
    assert translator.translate(ARABIC) == alone
    assert translator.translate(list(reversed(ARABIC))) == list(reversed(alone))


def test_translate_sentences_batches_and_progress(installed_models):
    inner = CountingTranslator(resolve_translator("required", installed_models, cache=False))
    seen = []
    out = translate_sentences(ARABIC + ARABIC[:1], inner, batch_size=2,
                              progress=lambda done, total: seen.append((done, total)))
    assert len(out) == 5
    assert [len(c) for c in inner.calls] == [2, 2, 1]
    assert seen == [(2, 5), (4, 5), (5, 5)]
    with pytest.raises(InputError):
        translate_sentences(ARABIC, inner, batch_size=0)


def test_translation_length_mismatch_is_an_error():
    class Broken:
        def signature(self):
            return "mt:broken"

        def translate(self, sentences):
            return list(sentences)[:-1]

    with pytest.raises(ModelError, match="returned 1 outputs for 2 inputs"):
        translate_sentences(ARABIC[:2], Broken())


def test_argostranslate_sees_our_package_layout(installed_models):
    """argostranslate's own package listing finds what we installed (layout compatible), and
    its Package class is what our backend loads."""
    from corpus.translate import import_argos_package

    package = import_argos_package(installed_models)
    [pkg] = package.get_installed_packages(path=[installed_models / "argos"])
    assert (pkg.from_code, pkg.to_code, pkg.package_version) == ("ar", "en", "0.1")
    translator = resolve_translator("required", installed_models, cache=False)
    translator.load()
    assert isinstance(translator._package, package.Package)


def test_archive_ships_its_minisbd_model(argos_model, installed_models):
    """The package carries its sentence splitter (minisbd/ar.onnx); validation accepts it and
    the manifest checksums it like every other file."""
    validate_archive(argos_model)
    with zipfile.ZipFile(argos_model) as zf:
        assert f"{PACKAGE_DIR_NAME}/minisbd/ar.onnx" in zf.namelist()
    [model] = list_models(installed_models)
    assert "minisbd/ar.onnx" in model.files
    assert (model.path / "minisbd" / "ar.onnx").is_file()


def test_argostranslate_own_translate_uses_packaged_minisbd(installed_models, seed_004,
                                                            monkeypatch):
    """argostranslate's own full path (get_installed_languages -> translate), which our backend
    skips: sentences are split by the MiniSBD model inside the package, offline (the network
    guard of conftest.py), and nothing is downloaded into minisbd's cache."""
    from corpus.models import packages_dir
    from corpus.translate import import_argos_package

    import_argos_package(installed_models)  # settings read with our dirs if imported first here
    from argostranslate import settings
    from argostranslate import translate as argos_translate
    from argostranslate.sbd import MiniSBDSentencizer
    from minisbd import models as minisbd_models

    # Settings are read once per process: point them at this test's models dir explicitly.
    monkeypatch.setattr(settings, "package_dirs", [packages_dir(installed_models)])
    monkeypatch.setattr(settings, "chunk_type", settings.ChunkType.ARGOSTRANSLATE)
    minisbd_cache = Path(minisbd_models.cache_dir)
    assert minisbd_cache == settings.data_dir / "minisbd"
    assert not minisbd_cache.exists()

    languages = {lang.code: lang for lang in argos_translate.get_installed_languages()}
    translation = languages["ar"].get_translation(languages["en"])
    package_translation = translation.underlying  # get_installed_languages wraps it in a cache
    package_path = packages_dir(installed_models) / "translate-ar_en"
    assert package_translation.pkg.package_path == package_path
    sentencizer = package_translation.sentencizer
    assert isinstance(sentencizer, MiniSBDSentencizer)
    assert sentencizer.lang == str(package_path / "minisbd" / "ar.onnx")

    splits: list[list[str]] = []
    split_sentences = sentencizer.split_sentences

    def recording_split(text):
        splits.append(split_sentences(text))
        return splits[-1]

    monkeypatch.setattr(sentencizer, "split_sentences", recording_split)
    # seeds/004 line 304: two sentences, the first ending "داخل إيران." (checked by hand)
    text = seed_004.read_text(encoding="utf-8-sig").splitlines()[303]
    out = translation.translate(text)

    assert isinstance(out, str)
    assert sentencizer.detector.model_file == str(package_path / "minisbd" / "ar.onnx")
    [[first, second]] = splits
    assert first.startswith("– فيما الإعلام منشغل") and first.endswith("تخريبية داخل إيران.")
    assert second.startswith("والحدث كبير جداً") and second.endswith("وعمقه الاستراتيجي.")
    assert f"{first} {second}" == text
    assert not minisbd_cache.exists()


def test_import_corpus_is_lazy_and_home_untouched(installed_models, tmp_path):
    """In a fresh process: `import corpus` loads no MT library, and a full translation leaves
    the user's home (HOME, XDG dirs unset) empty: argostranslate's dirs go under models/."""
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("XDG_", "ARGOS_", "CORPUS_"))}
    env["HOME"] = str(home)
    code = (
        "import sys, corpus\n"
        "assert not [m for m in sys.modules if m.startswith(('argostranslate', 'ctranslate2'))]\n"
        "t = corpus.resolve_translator('required', sys.argv[1])\n"
        "assert 'argostranslate' not in sys.modules\n"
        "print(len(t.translate(['ناصر قنديل', 'قنديل'])))\n"
        "assert 'argostranslate.package' in sys.modules\n"
        "assert 'argostranslate.translate' not in sys.modules  # no stanza/torch SBD path\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(installed_models)], env=env,
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2"
    assert list(home.iterdir()) == []
    assert (installed_models / ".argos").is_dir()


# --- cache -----------------------------------------------------------------------------------

def test_rerun_translates_nothing_new(installed_models, tmp_path):
    inner = CountingTranslator(resolve_translator("required", installed_models, cache=False))
    cache_path = tmp_path / "cache.sqlite"
    first = CachedTranslator(inner, cache_path).translate(ARABIC)
    assert inner.calls == [ARABIC]
    # a new run (new object, same file): no model call, identical output
    rerun = CachedTranslator(inner, cache_path)
    assert rerun.translate(ARABIC) == first
    assert len(inner.calls) == 1 and (rerun.hits, rerun.misses) == (4, 0)
    # whitespace variants share the key; only the new sentence reaches the model
    more = rerun.translate(["  " + ARABIC[0].replace(" ", "   "), "قنديل"])
    assert more[0] == first[0]
    assert inner.calls[-1] == ["قنديل"]


def test_cache_hit_equals_fresh_translation(installed_models, tmp_path):
    fresh = resolve_translator("required", installed_models, cache=False)
    cached = CachedTranslator(fresh, tmp_path / "c.sqlite")
    cached.translate(ARABIC)
    assert cached.translate(ARABIC) == fresh.translate([normalize_source(s) for s in ARABIC])


def test_duplicates_in_one_batch_translated_once(installed_models, tmp_path):
    inner = CountingTranslator(resolve_translator("required", installed_models, cache=False))
    out = CachedTranslator(inner, tmp_path / "c.sqlite").translate([ARABIC[1], "", ARABIC[1]])
    assert inner.calls == [[ARABIC[1]]]
    assert out[0] == out[2] and out[1] == ""


def test_cache_is_keyed_by_model_signature(tmp_path):
    class Fake:
        def __init__(self, sig, word):
            self.sig, self.word, self.calls = sig, word, 0

        def signature(self):
            return self.sig

        def translate(self, sentences):
            self.calls += 1
            return [self.word for _ in sentences]

    path = tmp_path / "c.sqlite"
    a, b = Fake("mt:model-a", "A"), Fake("mt:model-b", "B")
    assert CachedTranslator(a, path).translate(ARABIC[:1]) == ["A"]
    assert CachedTranslator(b, path).translate(ARABIC[:1]) == ["B"]  # not model a's answer
    assert (a.calls, b.calls) == (1, 1)


def test_no_cache_writes_no_cache_file(installed_models):
    translator = load_translator(installed_models, cache=False)
    translator.translate(ARABIC[:1])
    assert not (installed_models / "cache").exists()
    cached = load_translator(installed_models)
    cached.translate(ARABIC[:1])
    assert (installed_models / "cache" / "mt.sqlite").is_file()


def test_corrupt_cache_file_is_a_clear_error(tmp_path):
    path = tmp_path / "c.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ModelError) as err:
        TranslationCache(path).get_many("m", ["x"])
    assert "--no-cache" in err.value.hint


_WRITER = """
import sys
from corpus.mtcache import TranslationCache
cache = TranslationCache(sys.argv[1])
tag = sys.argv[2]
for i in range(150):
    cache.put_many("mt:test", [(f"{tag}-{i}", f"t{i}"), (f"shared-{i}", "same")])
    assert cache.get_many("mt:test", [f"{tag}-{i}"]) == {f"{tag}-{i}": f"t{i}"}
"""


def test_concurrent_processes_and_threads_do_not_corrupt_cache(tmp_path):
    path = tmp_path / "shared.sqlite"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(path), f"p{n}"], env=env,
                              stderr=subprocess.PIPE, text=True) for n in range(2)]
    errors = []

    def thread_writer(tag):
        try:
            cache = TranslationCache(path)
            for i in range(150):
                cache.put_many("mt:test", [(f"{tag}-{i}", f"t{i}"), (f"shared-{i}", "same")])
            cache.close()
        except Exception as exc:  # collected and re-raised in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=thread_writer, args=(f"t{n}",)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    assert errors == []
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # 5 writers x 150 own rows + 150 shared rows written by all of them, once each
    assert TranslationCache(path).count("mt:test") == 5 * 150 + 150


# --- `corpus translate` ----------------------------------------------------------------------

def test_translate_lines_passes_non_arabic_through():
    class Upper:
        def signature(self):
            return "mt:fake"

        def translate(self, sentences):
            return [f"EN({len(s)})" for s in sentences]

    lines = [ARABIC[0], "", "Already English.", "١٢٣ 2018", ARABIC[1]]
    result = translate_lines(lines, Upper())
    assert result.lines == [f"EN({len(ARABIC[0])})", "", "Already English.", "١٢٣ 2018",
                            f"EN({len(ARABIC[1])})"]
    assert (result.translated, result.passed_through) == (2, 3)


def test_cli_translate_file_and_stdin(installed_models, tmp_path):
    src = tmp_path / "in.txt"
    lines = [ARABIC[0], "", "An English line stays.", ARABIC[2]]
    src.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["translate", str(src), "--models-dir", str(installed_models)])
    assert result.exit_code == 0, result.output
    out = result.stdout.splitlines()
    assert len(out) == 4
    assert out[1] == "" and out[2] == "An English line stays."
    assert out[0].strip() and out[3].strip()
    assert "translated 2 line(s), passed through 2" in result.stderr
    assert "mt:argos-translate-ar_en-0.1-" in result.stderr

    result2 = runner.invoke(app, ["translate", "--models-dir", str(installed_models),
                                  "--no-cache", "--threads", "1", "--batch-size", "1",
                                  "-o", str(tmp_path / "out.txt")],
                            input="\n".join(lines) + "\n")
    assert result2.exit_code == 0, result2.output
    assert (tmp_path / "out.txt").read_text(encoding="utf-8").splitlines() == out


def test_cli_translate_without_model(tmp_path):
    result = runner.invoke(app, ["translate", "--models-dir", str(tmp_path / "none")],
                           input=ARABIC[0] + "\n")
    assert result.exit_code == 2
    assert "error:" in result.stderr and "corpus models install" in result.stderr


def test_cli_translate_non_utf8_file(installed_models, tmp_path):
    src = tmp_path / "cp1256.txt"
    src.write_bytes(("first line\n" + ARABIC[1] + "\n").encode("cp1256"))
    result = runner.invoke(app, ["translate", str(src), "--models-dir", str(installed_models)])
    assert result.exit_code == 2
    assert f"{src}:2: not valid UTF-8" in result.stderr and "iconv" in result.stderr
