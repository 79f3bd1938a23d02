"""Offline machine translation of Arabic sentences that have no human translation.

Entry points:

- :func:`resolve_translator` turns ``--mt auto|required|off`` into a Translator or None;
- :func:`translate_sentences` translates a list of sentences in batches, with progress.

Backends sit behind the small :class:`Translator` protocol. The default, :class:`ArgosTranslator`,
loads an installed Argos Translate package through argostranslate's own ``Package`` class
(metadata, SentencePiece tokenizer) and runs its CTranslate2 model. It deliberately skips
argostranslate's sentence splitter: our pipeline hands over single sentences already, and the
splitter (MiniSBD/Stanza) would pull in torch and try to download a model at translate time.
:class:`CachedTranslator` wraps any backend with the SQLite cache of ``corpus.mtcache``.

argostranslate is imported lazily (never at ``import corpus``), and only with its data, config
and cache directories pointed inside our models directory: ``argostranslate.settings`` reads its
environment and creates those folders at import time, which would otherwise be in the user's
home.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from corpus.charsets import is_arabic_letter
from corpus.errors import DecodeError, InputError, MissingDependencyError, ModelError
from corpus.models import (ARGOS_HOME_SUBDIR, INSTALL_HINT, InstalledModel, default_cache_path,
                           find_model, packages_dir, resolve_models_dir)
from corpus.mtcache import TranslationCache, normalize_source
from corpus.types import ProgressCallback

log = logging.getLogger(__name__)

MT_MODES = ("auto", "required", "off")
MT_EXTRA_HINT = "pip install 'corpus[mt]' (argostranslate, ctranslate2, sentencepiece)"
_MT_MODULES = ("argostranslate", "ctranslate2", "sentencepiece")
DEFAULT_BATCH_SIZE = 32


@runtime_checkable
class Translator(Protocol):
    """Translates Arabic sentences into English, one output per input, same order."""

    def translate(self, sentences: Sequence[str]) -> list[str]: ...

    def signature(self) -> str:
        """Names the model exactly, e.g. ``mt:argos-translate-ar_en-1.9-0123456789ab``."""
        ...


# --- argostranslate, imported on our terms ---------------------------------------------------

@contextlib.contextmanager
def _temporary_env(overrides: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in overrides}
    os.environ.update(overrides)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def check_mt_dependencies() -> None:
    """Raise MissingDependencyError naming the pip install when an MT library is missing."""
    missing = [m for m in _MT_MODULES if importlib.util.find_spec(m) is None]
    if missing:
        raise MissingDependencyError(f"machine translation needs {', '.join(missing)}",
                                     hint=MT_EXTRA_HINT)


def import_argos_package(models_dir: Path):
    """Import ``argostranslate.package`` with its settings pointed at ``models_dir``.

    argostranslate.settings evaluates ARGOS_PACKAGES_DIR and the XDG dirs (and mkdirs them)
    when first imported, so they are set for the duration of that import only and restored
    afterwards. If argostranslate was imported earlier by someone else, its settings stay as
    they are: we never rely on them, since we pass package paths explicitly.
    """
    check_mt_dependencies()
    if "argostranslate.settings" not in sys.modules:
        home = Path(models_dir) / ARGOS_HOME_SUBDIR
        overrides = {
            "ARGOS_PACKAGES_DIR": str(packages_dir(models_dir)),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_CACHE_HOME": str(home / "cache"),
        }
        with _temporary_env(overrides):
            return importlib.import_module("argostranslate.package")
    return importlib.import_module("argostranslate.package")


def _unk_token(model_dir: Path) -> str:
    """The unknown-token string of a CTranslate2 model (config.json), "<unk>" by default."""
    import json

    try:
        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        return str(config.get("unk_token") or "<unk>")
    except (OSError, ValueError, AttributeError):
        return "<unk>"


# --- backends --------------------------------------------------------------------------------

class ArgosTranslator:
    """An installed Argos package run through CTranslate2, sentence by sentence, in batches.

    Decoding follows argostranslate's ``apply_packaged_translation`` (beam 4, length penalty
    0.2, unknowns replaced, target prefix handled); the output length cap differs, see
    ``translate``.
    """

    def __init__(self, model: InstalledModel, *, models_dir: Path | None = None,
                 beam_size: int = 4, batch_size: int = DEFAULT_BATCH_SIZE, threads: int = 0,
                 device: str = "cpu", compute_type: str = "auto"):
        if beam_size < 1 or batch_size < 1:
            raise InputError("beam_size and batch_size must be at least 1")
        self.model = model
        self.models_dir = Path(models_dir) if models_dir else model.path.parent.parent
        self.beam_size = beam_size
        self.batch_size = batch_size
        self.threads = threads
        self.device = device
        self.compute_type = compute_type
        self._package = None
        self._translator = None
        self._unk = "<unk>"

    def signature(self) -> str:
        sig = f"mt:argos-{self.model.name}-{self.model.version}-{self.model.sha256[:12]}"
        if self.beam_size != 4:
            sig += f"-beam{self.beam_size}"
        return sig

    def load(self) -> None:
        """Load the package and the CTranslate2 model now (otherwise at first translate)."""
        if self._translator is not None:
            return
        argos_package = import_argos_package(self.models_dir)
        import ctranslate2

        try:
            pkg = argos_package.Package(self.model.path)
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot load the Argos package: {exc}", path=str(self.model.path),
                             hint=f"reinstall it; {INSTALL_HINT}") from None
        if (pkg.from_code, pkg.to_code) != (self.model.from_code, self.model.to_code):
            raise ModelError(f"package translates {pkg.from_code}->{pkg.to_code}, the manifest "
                             f"says {self.model.from_code}->{self.model.to_code}",
                             path=str(self.model.path))
        if getattr(pkg, "tokenizer", None) is None:
            raise ModelError("the package has no tokenizer (sentencepiece.model)",
                             path=str(self.model.path))
        try:
            translator = ctranslate2.Translator(
                str(self.model.path / "model"), device=self.device, inter_threads=1,
                intra_threads=self.threads, compute_type=self.compute_type)
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelError(f"cannot load the CTranslate2 model: {exc}",
                             path=str(self.model.path / "model"),
                             hint=f"reinstall it; {INSTALL_HINT}") from None
        self._package, self._translator = pkg, translator
        self._unk = _unk_token(self.model.path / "model")
        log.info("loaded %s from %s", self.signature(), self.model.path)

    def _decode(self, tokenized: list[list[str]], prefix: str, cap: int) -> list[list[str]]:
        target_prefix = [[prefix]] * len(tokenized) if prefix else None
        options = dict(max_batch_size=self.batch_size, beam_size=self.beam_size,
                       num_hypotheses=1, length_penalty=0.2, max_decoding_length=cap)
        outputs = self._translator.translate_batch(tokenized, target_prefix=target_prefix,
                                                   **options)
        hypotheses = [output.hypotheses[0] for output in outputs]
        # argostranslate always passes replace_unknowns=True, which makes CTranslate2 keep the
        # attention of every step (~20x slower here). It only changes outputs holding <unk>,
        # and the search is the same, so redo just those sentences with it.
        redo = [j for j, hyp in enumerate(hypotheses) if self._unk in hyp]
        if redo:
            again = self._translator.translate_batch(
                [tokenized[j] for j in redo],
                target_prefix=[target_prefix[j] for j in redo] if target_prefix else None,
                replace_unknowns=True, **options)
            for j, output in zip(redo, again):
                hypotheses[j] = output.hypotheses[0]
        return hypotheses

    def translate(self, sentences: Sequence[str]) -> list[str]:
        results = [""] * len(sentences)
        todo = [(i, s.strip()) for i, s in enumerate(sentences) if s.strip()]
        if not todo:
            return results
        self.load()
        pkg = self._package
        tokenized = [pkg.tokenizer.encode(text) for _, text in todo]
        prefix = getattr(pkg, "target_prefix", "") or ""
        # Output length cap: argostranslate leaves CTranslate2's 256 tokens; we cap relative to
        # the sentence (2n+16, in steps of 64, at most 512) so a degenerate model cannot run
        # long on every sentence. Sentences are grouped by cap so that a sentence's translation
        # depends on itself only, never on its batch mates (the cache relies on that).
        groups: dict[int, list[int]] = {}
        for j, tokens in enumerate(tokenized):
            cap = min(512, -(-(2 * len(tokens) + 16) // 64) * 64)
            groups.setdefault(cap, []).append(j)
        hypotheses: list[list[str]] = [[] for _ in tokenized]
        for cap, members in sorted(groups.items()):
            for j, hypothesis in zip(members, self._decode([tokenized[j] for j in members],
                                                           prefix, cap)):
                hypotheses[j] = hypothesis
        for (i, _), hypothesis in zip(todo, hypotheses):
            value = pkg.tokenizer.decode(hypothesis)
            if prefix and value.startswith(prefix):
                value = value[len(prefix):]
            results[i] = value.strip()
        return results


class CachedTranslator:
    """Wraps a Translator with the persistent cache: a sentence already translated by the
    same model (same signature) is never translated again. Sentences are normalised
    (``corpus.mtcache.normalize_source``) before both lookup and translation, so a cache hit
    returns exactly what a fresh translation would."""

    def __init__(self, inner: Translator, cache_path: str | Path):
        self.inner = inner
        self.cache = TranslationCache(cache_path)
        self.hits = 0
        self.misses = 0

    def signature(self) -> str:
        return self.inner.signature()

    def translate(self, sentences: Sequence[str]) -> list[str]:
        keys = [normalize_source(s) for s in sentences]
        model = self.inner.signature()
        wanted = [k for k in dict.fromkeys(keys) if k]
        found = self.cache.get_many(model, wanted)
        missing = [k for k in wanted if k not in found]
        self.hits += len(wanted) - len(missing)
        self.misses += len(missing)
        if missing:
            fresh = self.inner.translate(missing)
            if len(fresh) != len(missing):
                raise ModelError(f"translator returned {len(fresh)} outputs for "
                                 f"{len(missing)} inputs")
            self.cache.put_many(model, zip(missing, fresh))
            found.update(zip(missing, fresh))
        return [found[k] if k else "" for k in keys]

    def close(self) -> None:
        self.cache.close()


# --- entry points ----------------------------------------------------------------------------

def translate_sentences(sentences: Sequence[str], translator: Translator, *,
                        batch_size: int = DEFAULT_BATCH_SIZE,
                        progress: ProgressCallback | None = None) -> list[str]:
    """Translate ``sentences`` in batches of ``batch_size``; one output per input, in order.
    Empty or blank inputs give empty outputs. ``progress(done, total)`` after each batch."""
    if batch_size < 1:
        raise InputError(f"batch size must be at least 1, not {batch_size}")
    total = len(sentences)
    out: list[str] = []
    for start in range(0, total, batch_size):
        batch = list(sentences[start:start + batch_size])
        translated = translator.translate(batch)
        if len(translated) != len(batch):
            raise ModelError(f"{translator.signature()} returned {len(translated)} outputs for "
                             f"{len(batch)} inputs")
        out.extend(translated)
        if progress is not None:
            progress(len(out), total)
    return out


def missing_model_message(models_dir: str | Path | None = None) -> str:
    """The one warning ``--mt auto`` gives when no ar->en model is installed."""
    where = resolve_models_dir(models_dir)
    return (f"no Arabic->English MT model installed in {where}: Arabic without a human "
            f"translation is written untranslated; to translate it, {INSTALL_HINT}")


def load_translator(models_dir: str | Path | None = None, *, cache: bool = True,
                    cache_path: str | Path | None = None, batch_size: int = DEFAULT_BATCH_SIZE,
                    beam_size: int = 4, threads: int = 0) -> Translator:
    """The installed ar->en model as a Translator (cached unless ``cache=False``); ModelError
    naming the install command when there is none. The model itself loads at first use.
    ``threads``: CTranslate2 intra-op threads, 0 = all cores (its default)."""
    models_dir = resolve_models_dir(models_dir)
    check_mt_dependencies()
    model = find_model(models_dir, "ar", "en")
    if model is None:
        raise ModelError("no Arabic->English MT model is installed", path=str(models_dir),
                         hint=INSTALL_HINT)
    translator: Translator = ArgosTranslator(model, models_dir=models_dir,
                                             batch_size=batch_size, beam_size=beam_size,
                                             threads=threads)
    if cache:
        translator = CachedTranslator(translator, cache_path or default_cache_path(models_dir))
    return translator


def resolve_translator(mode: str, models_dir: str | Path | None = None, *, cache: bool = True,
                       cache_path: str | Path | None = None,
                       batch_size: int = DEFAULT_BATCH_SIZE,
                       threads: int = 0) -> Translator | None:
    """Turn ``--mt`` into a Translator or None, before any work is done.

    - ``off``: None.
    - ``required``: the translator, or ModelError/MissingDependencyError (hint: how to fix).
    - ``auto``: the translator when an ar->en model is installed and the MT libraries are
      present; otherwise None, after logging one warning (:func:`missing_model_message`).
    """
    if mode not in MT_MODES:
        raise InputError(f"unknown MT mode {mode!r}", hint=f"use one of {', '.join(MT_MODES)}")
    if mode == "off":
        return None
    try:
        return load_translator(models_dir, cache=cache, cache_path=cache_path,
                               batch_size=batch_size, threads=threads)
    except MissingDependencyError as exc:
        if mode == "required":
            raise
        if find_model(models_dir, "ar", "en") is None:
            log.warning(missing_model_message(models_dir))
        else:
            log.warning("an MT model is installed but %s; Arabic without a human translation is "
                        "written untranslated (%s)", exc.message, exc.hint)
        return None
    except ModelError:
        if mode == "required" or find_model(models_dir, "ar", "en") is not None:
            raise  # an installed but broken model is an error even in auto mode
        log.warning(missing_model_message(models_dir))
        return None


# --- line-level helper for `corpus translate` --------------------------------------------------

def has_arabic_letter(text: str) -> bool:
    """Only letters count (not the Arabic comma or Arabic-Indic digits), so a line of numbers
    is not "Arabic"."""
    return any(is_arabic_letter(ch) for ch in text)


@dataclass(frozen=True)
class LinesResult:
    lines: list[str]  # one per input line
    translated: int  # lines sent to the model
    passed_through: int  # lines with no Arabic letter, returned unchanged


def translate_lines(lines: Sequence[str], translator: Translator, *,
                    batch_size: int = DEFAULT_BATCH_SIZE,
                    progress: ProgressCallback | None = None) -> LinesResult:
    """Translate the lines that contain Arabic letters; return every other line unchanged,
    so the output has exactly one line per input line."""
    arabic = [i for i, line in enumerate(lines) if has_arabic_letter(line)]
    translated = translate_sentences([lines[i] for i in arabic], translator,
                                     batch_size=batch_size, progress=progress)
    out = list(lines)
    for i, english in zip(arabic, translated):
        out[i] = english
    return LinesResult(lines=out, translated=len(arabic), passed_through=len(lines) - len(arabic))


def read_text_file(path: str | Path) -> str:
    """Read a UTF-8 text file (BOM allowed) with a clear error when it is not UTF-8."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", path=str(path)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise DecodeError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", path=str(path),
                          line=line, hint="convert it first, e.g. iconv -f cp1256 -t utf-8") \
            from None
