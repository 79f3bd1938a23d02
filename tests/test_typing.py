"""The library type-checks for its users: ``py.typed`` ships, and ``mypy --strict`` on a user
script made of the README's library examples passes, with real types (not ``Any``) for the
public functions."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

USER_SCRIPT = '''
"""A user's script: the README's library examples."""
from __future__ import annotations

from pathlib import Path

import corpus

ar_sentences = ["سوف يدلي الناخبون بأصواتهم يوم الأحد."]
en_sentences = ["Voters will vote Sunday."]


def main(pages: Path, out: Path) -> None:
    for row in corpus.align([pages]):  # Pair(ar, en, origin, doc, ar_ref, ...)
        print(row.origin, row.ar, row.en, sep="\\t")
    beads = corpus.align_sentences(ar_sentences, en_sentences)
    for bead in beads:
        print(bead.ar, bead.en, bead.score)
    result = corpus.build_corpus([pages], out / "corpus.tsv", format="jsonl", mt="off")
    print(result.files.main, result.signature.compact, result.stats.documents)
    text: str = corpus.normalize("أحمد", "match")
    layout = corpus.detect(corpus.read_document(pages / "page.txt"))
    stats = corpus.corpus_stats(out / "corpus.jsonl")
    print(text, layout, stats["pairs"])
    first = corpus.read_corpus(out / "corpus.jsonl").main[0]
    print(first["ar"])


reveal_type(corpus.align)
reveal_type(corpus.build_corpus)
reveal_type(corpus.normalize)
reveal_type(corpus.detect)
'''


def test_py_typed_ships():
    assert (ROOT / "corpus" / "py.typed").is_file()
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '[tool.setuptools.package-data]\n' in pyproject and 'corpus = ["py.typed"]' in \
        pyproject


def test_type_checking_names_match_the_exports():
    import corpus

    tree = ast.parse((ROOT / "corpus" / "__init__.py").read_text(encoding="utf-8"))
    seen = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for imp in node.body:
                if isinstance(imp, ast.ImportFrom):
                    for alias in imp.names:
                        assert alias.asname == alias.name  # "X as X": exported for mypy
                        assert corpus._EXPORTS[alias.name] == imp.module, alias.name
                        seen.add(alias.name)
    assert seen == set(corpus._EXPORTS)


@pytest.mark.slow
def test_mypy_strict_on_a_user_script(tmp_path):
    pytest.importorskip("mypy")
    script = tmp_path / "user.py"
    script.write_text(USER_SCRIPT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MYPY_CACHE_DIR": str(tmp_path / "cache")}
    # follow-imports=silent: corpus is checked as an installed package would be (its own
    # internals are not the user's errors), but every type the script uses comes from it
    done = subprocess.run([sys.executable, "-m", "mypy", "--strict",
                           "--follow-imports=silent", "--no-error-summary", str(script)],
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=600)
    out = done.stdout
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert errors == [], out
    revealed = [line.split("Revealed type is ", 1)[1] for line in out.splitlines()
                if "Revealed type is" in line]
    assert len(revealed) == 4, out
    align, build, normalize, detect = revealed
    assert align.startswith('"def (paths:') and "Iterator[corpus.types.Pair]" in align
    assert "-> corpus.pipeline.CorpusResult" in build
    assert normalize == '"def (text: builtins.str, scheme: builtins.str =) -> builtins.str"' \
        or normalize == '"def (text: str, scheme: str =) -> str"'
    assert "-> corpus.detect.DocumentLayout" in detect


@pytest.mark.parametrize("first", ["import corpus.detect", "import corpus.normalize",
                                   "from corpus import detect, normalize",
                                   "import corpus.pipeline", "import corpus.cli"])
def test_detect_and_normalize_stay_callable_whatever_was_imported(first):
    code = textwrap.dedent(f"""
        {first}
        import corpus
        from corpus.read import document_from_text
        assert corpus.normalize("أحمد  ", "light") == "أحمد"
        layout = corpus.detect(document_from_text("سوف يدلي الناخبون بأصواتهم يوم الأحد."))
        print(type(layout).__name__)
    """)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "DocumentLayout"


@pytest.mark.slow
def test_output_modules_pass_mypy_strict(tmp_path):
    """The writer, readers, stats, review, embedding cache and CLI root are strictly typed
    (other stages are checked only through what the user script touches)."""
    pytest.importorskip("mypy")
    modules = ["corpus/write.py", "corpus/stats.py", "corpus/review.py", "corpus/errors.py",
               "corpus/embed.py", "corpus/cli/__init__.py", "corpus/cli/align.py",
               "corpus/cli/review.py", "corpus/cli/stats.py"]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MYPY_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent",
                           *modules], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=600)
    assert done.returncode == 0, done.stdout[-4000:]
