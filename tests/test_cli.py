"""CLI conventions of the field (sacrebleu, opus_read, bicleaner): -h, -V, -q/-v anywhere,
one-line user errors with exit code 2, choices listed in --help, `-` for stdin and `-o -`.

The page fed through stdin is made of NTREX-128 sentences (Microsoft, CC-BY-SA-4.0) via the
dev bench.
"""

from __future__ import annotations

import csv
import io
import typing

import pytest
from typer.testing import CliRunner

from corpus import __version__
from corpus.cli import app
from corpus.types import Pair
from corpus.write import write_corpus

runner = CliRunner()
COMMANDS = ["align", "detect", "normalize", "translate", "stats", "review", "models",
            "models install", "models list", "models remove"]


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help_on_every_command(flag):
    result = runner.invoke(app, [flag])
    assert result.exit_code == 0 and "Exit codes" in result.stdout
    for command in COMMANDS:
        result = runner.invoke(app, [*command.split(), flag])
        assert result.exit_code == 0, (command, result.output)
        assert result.stdout.startswith(f"Usage: corpus {command}"), command
        # types are not shown as <bool>, <str>, <list[Path]>, <path>
        for noise in ("<bool>", "<str>", "<list[", "<path>", "<Path>", "{"):
            assert noise not in result.stdout, (command, noise)


def test_choices_are_listed_and_match_the_library():
    from corpus.cli.align import ExecutorChoice, FormatChoice, MtChoice, SchemeChoice
    from corpus.executor import EXECUTORS
    from corpus.normalize import SCHEMES
    from corpus.translate import MT_MODES
    from corpus.write import FORMATS

    assert typing.get_args(FormatChoice) == FORMATS
    assert typing.get_args(MtChoice) == MT_MODES
    assert typing.get_args(SchemeChoice) == SCHEMES
    assert typing.get_args(ExecutorChoice) == EXECUTORS
    text = runner.invoke(app, ["align", "-h"], terminal_width=200).stdout
    assert "<tsv|moses|jsonl|tmx|parquet|hf>" in text
    assert "<auto|required|off>" in text and "<none|light|match>" in text
    assert "INPUT..." in text and "~/.cache/corpus" in text


def test_version():
    for flag in ("-V", "--version"):
        result = runner.invoke(app, [flag])
        assert result.exit_code == 0 and result.stdout == f"corpus {__version__}\n"


@pytest.mark.parametrize("args, message", [
    (["align"], "Missing argument 'INPUT...'"),
    (["align", "x.txt"], "Missing option '--out'"),
    (["align", "x.txt", "-o", "o.tsv", "--format", "csv"], "'csv' is not one of"),
    (["align", "x.txt", "-o", "o.tsv", "--bogus"], "No such option: --bogus"),
    (["bogus"], "No such command 'bogus'"),
    (["stats", "missing.tsv"], "missing.tsv: file not found"),
    (["review", "missing.jsonl", "-o", "r.html"], "missing.jsonl: file not found"),
    (["align", "x.txt", "-o", "-", "--format", "parquet"], "-o - writes tsv or jsonl"),
    (["align", "missing.txt", "-o", "out.tsv"], "missing.txt: no such file"),
])
def test_user_errors_are_one_line_with_exit_code_2(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], lines


def test_unwritable_output_fails_before_any_work(tmp_path):
    page = tmp_path / "p.txt"
    page.write_text("سوف يدلي الناخبون بأصواتهم يوم الأحد بشأن تغيير اسم الدولة.\n",
                    encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    (tmp_path / "dir.tsv").mkdir()
    for out, message in ((blocker / "out.tsv", "is not a directory"),
                         (tmp_path / "dir.tsv", "is a directory"),
                         ("/proc/corpus/x.tsv", "cannot write here")):
        # a fake model dir with no model, and no embedder is ever loaded: the check comes first
        result = runner.invoke(app, ["align", str(page), "-o", str(out), "--mt", "off"])
        assert result.exit_code == 2, result.output
        (line,) = result.stderr.splitlines()
        assert line.startswith("error: ") and message in line, line


@pytest.fixture
def small_corpus(tmp_path):
    pairs = [Pair(ar="سوف يدلي الناخبون بأصواتهم يوم الأحد.", en="Voters will vote Sunday.",
                  origin="aligned", doc="p.txt", ar_ref="1:0-1:37", score=0.9)]
    return write_corpus(pairs, tmp_path / "out.tsv").main[0]


def test_quiet_and_verbose_after_the_command(small_corpus, tmp_path):
    out = tmp_path / "r.html"
    loud = runner.invoke(app, ["review", str(small_corpus), "-o", str(out)])
    assert loud.exit_code == 0 and loud.stderr.startswith("wrote ")
    for args in (["review", str(small_corpus), "-o", str(out), "-q"],
                 ["-q", "review", str(small_corpus), "-o", str(out)],
                 ["review", "--quiet", str(small_corpus), "-o", str(out)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0 and result.stderr == "", args
    result = runner.invoke(app, ["stats", str(small_corpus), "-v"])
    assert result.exit_code == 0 and "pairs: 1" in result.stdout
    # errors still show under -q
    result = runner.invoke(app, ["stats", str(tmp_path / "none.tsv"), "-q"])
    assert result.exit_code == 2 and result.stderr.startswith("error: ")


# ---- `-` reads stdin, `-o -` writes stdout (the real pipeline, a two-sentence page) -------

AR = ("سوف يدلي الناخبون بأصواتهم يوم الأحد بشأن تغيير اسم الدولة. "
      "وتقول الحكومة إن التغيير سيفتح الطريق أمام الانضمام إلى الاتحاد الأوروبي.")
EN = ("Voters will vote Sunday on whether to change their country's name. "
      "The government says the change will open the way to joining the European Union.")


def _tsv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.mark.slow
@pytest.mark.parametrize("page, suffix", [
    (f"{EN}\n\n{AR}\n", ".txt"),
    (f"<!DOCTYPE html><html><body><p>{EN}</p><p>{AR}</p></body></html>\n", ".html"),
])
def test_stdin_page_to_stdout(tmp_path, page, suffix):
    cache = tmp_path / "cache"
    args = ["align", "-", "-o", "-", "--mt", "off", "--cache-dir", str(cache), "-q"]
    first = runner.invoke(app, args, input=page.encode("utf-8"))
    assert first.exit_code == 0, first.output
    assert first.stderr == ""  # -q: nothing on stderr
    rows = _tsv(first.stdout)
    assert rows and all(r["doc"].endswith(f"stdin{suffix}") for r in rows)
    assert "".join(r["ar"] for r in rows).replace(" ", "") == AR.replace(" ", "")
    again = runner.invoke(app, args, input=page.encode("utf-8"))
    assert again.stdout == first.stdout  # same input, byte-identical output
    # side files only when asked, named as for -o BASE
    base = tmp_path / "side" / "run"
    asked = runner.invoke(app, [*args, "--side-files", str(base)], input=page.encode("utf-8"))
    assert asked.exit_code == 0, asked.output
    assert asked.stdout == first.stdout
    names = sorted(p.name for p in base.parent.iterdir())
    assert names == ["run.duplicates.tsv", "run.rejects.tsv", "run.signature.json",
                     "run.untranslated.tsv"]


def test_stdin_suffix_sniffing():
    from corpus.cli.align import _sniff_suffix

    assert _sniff_suffix(b'{"url": "https://example.com", "html": "<p>x</p>"}\n') == ".jsonl"
    assert _sniff_suffix(b"\xef\xbb\xbf  <!doctype html><p>x") == ".html"
    assert _sniff_suffix(b"<div>x</div>") == ".html"
    assert _sniff_suffix("سوف يدلي الناخبون".encode()) == ".txt"
    assert _sniff_suffix(b"3 < 4 and 5 > 2") == ".txt"


@pytest.mark.slow
def test_stdin_jsonl_of_pages_to_stdout(tmp_path):
    """JSONL of pages on stdin goes through the JSONL reader (corpus.sources, issue 11):
    a row's doc is the page's url."""
    import json

    line = json.dumps({"url": "https://example.com/ar/1", "html": f"<p>{EN}</p><p>{AR}</p>"},
                      ensure_ascii=False)
    result = runner.invoke(app, ["align", "-", "-o", "-", "--mt", "off", "--cache-dir",
                                 str(tmp_path / "cache"), "-q"],
                           input=(line + "\n").encode("utf-8"))
    assert result.exit_code == 0, result.output
    rows = _tsv(result.stdout)
    assert rows and {r["doc"] for r in rows} == {"https://example.com/ar/1"}


def test_no_arguments_shows_the_help():
    for args in ([], ["models"], ["-q"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, args  # as click does: usage was not complete
        assert result.stderr.startswith("Usage: corpus"), (args, result.stderr[:200])
        assert "\n  -h, --help" in result.stderr  # the help as help, not squeezed on a line


@pytest.mark.slow
def test_summary_counts_files_read_in_part(tmp_path):
    """A page with a few undecodable bytes is read (its Arabic kept) and the summary says
    that one file was read only in part, next to the warnings that name the line."""
    page = tmp_path / "pages" / "bad.txt"
    page.parent.mkdir()
    page.write_bytes(AR.encode("utf-8").replace(" ".encode(), b" \xff", 1) + b"\n\n"
                     + EN.encode("utf-8") + b"\n")
    result = runner.invoke(app, ["align", str(page.parent), "-o", str(tmp_path / "c.tsv"),
                                 "--mt", "off", "--cache-dir", str(tmp_path / "cache"),
                                 "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert f"{page}:1:" in result.stderr  # the warning names file and line
    assert "1 read, 0 skipped, 1 read in part" in result.stderr
