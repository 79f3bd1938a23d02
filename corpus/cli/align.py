"""`corpus align INPUT... -o OUT.tsv`: the main job."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Optional

import typer

from corpus.cli import app, fail, info, state
from corpus.errors import CorpusError

if TYPE_CHECKING:  # pragma: no cover
    from corpus.write import WrittenFiles


class _Bars:
    """One rich progress bar per pipeline stage, shown only on a terminal."""

    LABELS = {"read": "reading + detecting", "embed": "embedding sentences",
              "align": "pairing + aligning", "translate": "machine-translating"}

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.progress: Any = None  # a rich Progress when enabled
        self.tasks: dict[str, Any] = {}

    def __enter__(self) -> "_Bars":
        if self.enabled:
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                       TimeElapsedColumn)

            self.progress = Progress(TextColumn("{task.description:<22}"), BarColumn(),
                                     MofNCompleteColumn(), TimeElapsedColumn(),
                                     console=Console(stderr=True), transient=False)
            self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.progress is None:
            return
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(self.LABELS.get(stage, stage),
                                                       total=total or None)
        self.progress.update(self.tasks[stage], completed=done, total=total or None)


# Choices are Literal types so --help lists them ([tsv|moses|...]) and a wrong value is one
# line naming them; they must match corpus.write.FORMATS, translate.MT_MODES and
# normalize.SCHEMES (tests/test_cli.py checks).
FormatChoice = Literal["tsv", "moses", "jsonl", "tmx", "parquet", "hf"]
MtChoice = Literal["auto", "required", "off"]
SchemeChoice = Literal["none", "light", "match"]
ExecutorChoice = Literal["auto", "local", "processes", "dask"]  # corpus.executor.EXECUTORS
STDOUT_FORMATS = ("tsv", "jsonl")  # the formats `-o -` can stream


@app.command("align")
def align_command(
    inputs: list[Path] = typer.Argument(..., metavar="INPUT...", show_default=False,
                                        help="Files, directories (recursive) or globs of "
                                             ".txt/.html pages; - reads one page (or JSONL "
                                             "of pages) from standard input."),
    out: Path = typer.Option(..., "--out", "-o", metavar="OUT", show_default=False,
                             help="Output corpus, e.g. out/corpus.tsv; side files "
                             "OUT.untranslated.tsv, OUT.rejects.tsv, OUT.duplicates.tsv and "
                             "OUT.signature.json are written beside it (OUT.FORMAT.* for "
                             "other formats). - writes the corpus to standard output."),
    side_files: Optional[Path] = typer.Option(
        None, "--side-files", metavar="BASE", show_default=False,
        help="With -o -: also write the side files, named as for -o BASE."),
    format: FormatChoice = typer.Option("tsv", "--format", "-f",
                                        help="Output format."),
    mt: MtChoice = typer.Option("auto", "--mt", help="Machine-translate Arabic with no "
                                "English: auto (when a model is installed), required, or off."),
    models_dir: Optional[Path] = typer.Option(None, "--models-dir", envvar="CORPUS_MODELS_DIR",
                                              metavar="DIR",
                                              help="Where MT models are installed "
                                                   "[default: the nearest ./models]."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", envvar="CORPUS_CACHE_DIR",
                                             metavar="DIR",
                                             help="Embedding cache [default: the user cache "
                                                  "directory, e.g. ~/.cache/corpus]."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not use the translation cache."),
    no_clean: bool = typer.Option(False, "--no-clean", help="Keep pairs the cleaning rules "
                                  "would reject (they still pass dedup)."),
    no_dedup: bool = typer.Option(False, "--no-dedup", help="Keep duplicate pairs."),
    scheme: SchemeChoice = typer.Option("light", "--scheme",
                                        help="Normalisation of the written text."),
    same_page: bool = typer.Option(False, "--same-page", help="Look for translations only "
                                   "on the Arabic's own page; much faster on large, mostly "
                                   "English crawls."),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress",
                                            help="Progress bars [default: on a terminal]."),
    # --- where the work runs, and resuming (issue 11: corpus.executor, corpus.store) ---
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, metavar="N",
                                       show_default=False, help="Cores to use in "
                                       "total, embedding threads included [default: all]."),
    executor: ExecutorChoice = typer.Option("auto", "--executor", help="Where the work runs "
                                            "(auto: dask with --scheduler, else local for "
                                            "--jobs 1, else processes)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="ADDRESS",
                                            show_default=False, help="Run on an existing "
                                            "Dask cluster, e.g. tcp://10.0.0.5:8786."),
    resume: bool = typer.Option(False, "--resume", help="Continue a run that was killed, "
                                "from OUT.work.sqlite3; the corpus is the same as an "
                                "uninterrupted run's."),
) -> None:
    """Align the Arabic in INPUT pages with its English translation and write the corpus.

    Finds the English translation of each Arabic section (same page or another input file),
    aligns sentence by sentence, machine-translates the rest when a model is installed, and
    writes OUT plus its side files (untranslated, rejects, duplicates, signature)."""
    from corpus.pipeline import build_corpus
    from corpus.write import check_output, output_paths

    to_stdout = str(out) == "-"
    if to_stdout and format not in STDOUT_FORMATS:
        raise fail(f"-o - writes {' or '.join(STDOUT_FORMATS)}, not {format} "
                   f"(give a file name for {format})")
    if side_files is not None and not to_stdout:
        raise fail("--side-files goes with -o - (otherwise the side files are beside OUT)")
    show = (not state.quiet) and (sys.stderr.isatty() if progress is None else progress)
    with contextlib.ExitStack() as stack:
        try:
            paths = _inputs_with_stdin(inputs, stack)
            if to_stdout:
                if side_files is not None:
                    check_output(side_files, format)
                spool = Path(stack.enter_context(tempfile.TemporaryDirectory(
                    prefix="corpus-out-")))
                target: Path = spool / "stdout.tsv"
            else:
                target = out
            with _Bars(show) as bars:
                result = build_corpus(paths, target, format=format, mt=mt,
                                      models_dir=models_dir, mt_cache=not no_cache,
                                      cache_dir=cache_dir, clean=not no_clean,
                                      dedup=not no_dedup, scheme=scheme,
                                      cross_document=not same_page, progress=bars,
                                      jobs=jobs, executor=executor, scheduler=scheduler,
                                      resume=resume)
            files_note = ", ".join(str(p) for p in result.files.all())
            if to_stdout:
                files_note = _stream_and_move(result.files, output_paths(side_files, format)
                                              if side_files is not None else None)
        except CorpusError as exc:
            raise fail(exc) from None
    s, c = result.stats, result.cleaned
    rejects = ", ".join(f"{rule} {n}" for rule, n in c.reject_counts.items() if n) or "none"
    lines = [
        f"documents        {s.documents} read, {s.skipped_files} skipped"
        + (f", {s.partial_files} read in part ({s.read_warnings} warnings above)"
           if s.partial_files else ""),
        f"Arabic sentences {s.arabic_sentences}: {s.aligned_arabic_sentences} aligned to "
        f"human English, {s.mt_rows} machine-translated rows, {s.untranslated_rows} "
        f"untranslated rows",
        f"English left out {s.english_left_out} of the paired translations' sentences match no "
        f"Arabic (not written: a row needs Arabic)",
        f"written          {len(c.pairs)} pairs ({sum(p.origin == 'aligned' for p in c.pairs)} "
        f"aligned, {sum(p.origin == 'mt' for p in c.pairs)} mt), {len(c.untranslated)} "
        f"untranslated, {len(c.rejects)} rejected ({rejects}), "
        f"{c.duplicates_merged} duplicates merged",
        f"embedded         {s.strings_embedded} strings ({s.embedding_cache_hits} from cache)",
        f"wall time        {s.seconds:.1f} s",
        f"files            {files_note}",
        f"signature        {result.signature.compact}",
    ]
    info("\n".join(lines))


def _sniff_suffix(data: bytes) -> str:
    """The reader a page from stdin needs: JSONL of pages when it starts with ``{``, HTML
    when it looks like markup, plain text otherwise."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return ".jsonl"
    lowered = head.lower()
    if lowered.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<body", b"<meta",
                           b"<div", b"<p", b"<!--", b"<article", b"<section", b"<title")):
        return ".html"
    return ".txt"


def _inputs_with_stdin(inputs: list[Path], stack: contextlib.ExitStack) -> list[Path]:
    """``-`` replaced by a spool file holding standard input, named by a hash of its bytes
    (so the same input gives the same ``doc`` names and byte-identical output) and removed
    when the run ends."""
    if not any(str(p) == "-" for p in inputs):
        return inputs
    if sum(str(p) == "-" for p in inputs) > 1:
        raise fail("- (standard input) can be given once")
    data = typer.get_binary_stream("stdin").read()
    if not data.strip():
        raise fail("standard input is empty (- reads one page or JSONL of pages)")
    digest = hashlib.sha256(data).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / "corpus-stdin" / digest
    folder.mkdir(parents=True, exist_ok=True)
    spool = folder / f"stdin{_sniff_suffix(data)}"
    tmp = folder / f".{spool.name}.{os.getpid()}.tmp"
    tmp.write_bytes(data)
    os.replace(tmp, spool)

    def cleanup() -> None:
        with contextlib.suppress(OSError):
            spool.unlink()
        with contextlib.suppress(OSError):
            folder.rmdir()

    stack.callback(cleanup)
    return [spool if str(p) == "-" else p for p in inputs]


def _stream_and_move(files: "WrittenFiles", side: "WrittenFiles | None") -> str:
    """Copy the main file to standard output; move the side files to ``side`` (when asked),
    the signature last. Returns the summary's note on where things went."""
    from corpus.errors import OutputError

    out = typer.get_binary_stream("stdout")
    try:
        with open(files.main[0], "rb") as f:
            shutil.copyfileobj(f, out)
        out.flush()
    except BrokenPipeError:  # `corpus align ... -o - | head`: the reader has what it wanted
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if side is None:
        return "<stdout> (no side files: --side-files BASE writes them)"
    moves = [(files.untranslated, side.untranslated), (files.rejects, side.rejects)]
    if files.duplicates is not None and side.duplicates is not None:
        moves.append((files.duplicates, side.duplicates))
    moves.append((files.signature, side.signature))
    try:
        for src, dst in moves:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(src), str(dst))
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}",
                          path=str(exc.filename or side.signature)) from None
    return "<stdout>, " + ", ".join(str(dst) for _, dst in moves)
