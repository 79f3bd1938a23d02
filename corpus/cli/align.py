"""`corpus align INPUT... -o OUT.tsv`: the main job."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from corpus.cli import app
from corpus.errors import CorpusError


class _Bars:
    """One rich progress bar per pipeline stage, shown only on a terminal."""

    LABELS = {"read": "reading + detecting", "embed": "embedding sentences",
              "align": "pairing + aligning", "translate": "machine-translating"}

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.progress = None
        self.tasks: dict[str, int] = {}

    def __enter__(self):
        if self.enabled:
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                       TimeElapsedColumn)

            self.progress = Progress(TextColumn("{task.description:<22}"), BarColumn(),
                                     MofNCompleteColumn(), TimeElapsedColumn(),
                                     console=Console(stderr=True), transient=False)
            self.progress.start()
        return self

    def __exit__(self, *exc):
        if self.progress is not None:
            self.progress.stop()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.progress is None:
            return
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(self.LABELS.get(stage, stage),
                                                       total=total or None)
        self.progress.update(self.tasks[stage], completed=done, total=total or None)


@app.command("align")
def align_command(
    inputs: list[Path] = typer.Argument(..., help="Files, directories (recursive) or globs "
                                                  "of .txt/.html pages."),
    out: Path = typer.Option(..., "--out", "-o", help="Output corpus, e.g. out/corpus.tsv; "
                             "side files OUT.untranslated.tsv, OUT.rejects.tsv and "
                             "OUT.signature.json are written beside it."),
    format: str = typer.Option("tsv", "--format", "-f",
                               help="Output format: tsv, moses, jsonl or tmx."),
    mt: str = typer.Option("auto", "--mt", help="Machine-translate Arabic with no English: "
                           "auto (when a model is installed), required, or off."),
    models_dir: Optional[Path] = typer.Option(None, "--models-dir", envvar="CORPUS_MODELS_DIR",
                                              help="Where MT models are installed "
                                                   "[default: the nearest ./models]."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", envvar="CORPUS_CACHE_DIR",
                                             help="Embedding cache [default: ./.cache/corpus]."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not use the translation cache."),
    no_clean: bool = typer.Option(False, "--no-clean", help="Keep pairs the cleaning rules "
                                  "would reject (they still pass dedup)."),
    no_dedup: bool = typer.Option(False, "--no-dedup", help="Keep duplicate pairs."),
    scheme: str = typer.Option("light", "--scheme", help="Normalisation of the written text: "
                               "none, light or match."),
    same_page: bool = typer.Option(False, "--same-page", help="Look for translations only "
                                   "on the Arabic's own page; much faster on large, mostly "
                                   "English crawls."),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress",
                                            help="Progress bars [default: on a terminal]."),
    # --- where the work runs, and resuming (issue 11: corpus.executor, corpus.store) ---
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Cores to use in "
                                       "total, embedding threads included [default: all]."),
    executor: str = typer.Option("auto", "--executor", help="auto, local, processes or dask "
                                 "(auto: dask with --scheduler, else local for --jobs 1, "
                                 "else processes)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Run on an existing "
                                            "Dask cluster, e.g. tcp://10.0.0.5:8786."),
    resume: bool = typer.Option(False, "--resume", help="Continue a run that was killed, "
                                "from OUT.work.sqlite3; the corpus is the same as an "
                                "uninterrupted run's."),
) -> None:
    """Align the Arabic in INPUT pages with its English translation and write the corpus.

    Finds the English translation of each Arabic section (same page or another input file),
    aligns sentence by sentence, machine-translates the rest when a model is installed, and
    writes OUT plus OUT.untranslated.tsv, OUT.rejects.tsv and OUT.signature.json."""
    from corpus.pipeline import build_corpus

    show = sys.stderr.isatty() if progress is None else progress
    try:
        with _Bars(show) as bars:
            result = build_corpus(inputs, out, format=format, mt=mt, models_dir=models_dir,
                                  mt_cache=not no_cache, cache_dir=cache_dir,
                                  clean=not no_clean, dedup=not no_dedup, scheme=scheme,
                                  cross_document=not same_page, progress=bars,
                                  jobs=jobs, executor=executor, scheduler=scheduler,
                                  resume=resume)
    except CorpusError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    s, c = result.stats, result.cleaned
    rejects = ", ".join(f"{rule} {n}" for rule, n in c.reject_counts.items() if n) or "none"
    lines = [
        f"documents        {s.documents} read, {s.skipped_files} skipped",
        f"Arabic sentences {s.arabic_sentences}: {s.aligned_arabic_sentences} aligned to "
        f"human English, {s.mt_rows} machine-translated rows, {s.untranslated_rows} "
        f"untranslated rows",
        f"written          {len(c.pairs)} pairs ({sum(p.origin == 'aligned' for p in c.pairs)} "
        f"aligned, {sum(p.origin == 'mt' for p in c.pairs)} mt), {len(c.untranslated)} "
        f"untranslated, {len(c.rejects)} rejected ({rejects}), "
        f"{c.duplicates_merged} duplicates merged",
        f"embedded         {s.strings_embedded} strings ({s.embedding_cache_hits} from cache)",
        f"wall time        {s.seconds:.1f} s",
        f"files            {', '.join(str(p) for p in result.files.all())}",
        f"signature        {result.signature.compact}",
    ]
    typer.echo("\n".join(lines), err=True)
