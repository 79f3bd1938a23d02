"""`corpus stats CORPUS`: counts, rejects by rule and distributions of a written corpus."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from corpus.cli import app
from corpus.errors import CorpusError


@app.command("stats")
def stats(
    tsv: Path = typer.Argument(..., metavar="CORPUS", show_default=False,
                               help="A corpus written by `corpus align`, in any format: "
                               "OUT.tsv, OUT.jsonl, OUT.parquet, OUT.tmx, the OUT.hf folder or "
                               "OUT.ar (moses). Its side files are read too when present."),
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
