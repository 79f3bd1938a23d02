"""`corpus review OUT.tsv -o review.html`: a static page to check a corpus by eye."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from corpus.cli import app
from corpus.errors import CorpusError


@app.command("review")
def review(
    tsv: Path = typer.Argument(..., help="The corpus TSV written by `corpus align` (OUT.tsv)."),
    output: Path = typer.Option(..., "--output", "-o", help="The HTML file to write."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1,
                                        help="At most this many rows from each file."),
) -> None:
    """Write one self-contained HTML page: pairs side by side, filter by origin and score."""
    from corpus.review import write_review

    try:
        path = write_review(tsv, output, limit=limit)
    except CorpusError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    typer.echo(f"wrote {path}")
