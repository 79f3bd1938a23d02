"""`corpus stats OUT.tsv`: counts, rejects by rule and distributions of a written corpus."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from corpus.cli import app
from corpus.errors import CorpusError


@app.command("stats")
def stats(
    tsv: Path = typer.Argument(..., help="The corpus TSV written by `corpus align` (OUT.tsv). "
                               "OUT.untranslated.tsv and OUT.rejects.tsv beside it are read "
                               "too when present."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of text."),
) -> None:
    """Counts by origin, rejects by rule, length-ratio and score histograms, top documents."""
    from corpus.stats import corpus_stats, format_stats

    try:
        result = corpus_stats(tsv)
    except CorpusError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        typer.echo(format_stats(result), nl=False)
