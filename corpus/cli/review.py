"""`corpus review OUT -o review.html`: a static page to check a corpus by eye."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from corpus.cli import app, fail, info


@app.command("review")
def review(
    corpus_path: Path = typer.Argument(
        ..., metavar="CORPUS", show_default=False,
        help="A corpus written by `corpus align`, in any format: OUT.tsv, OUT.jsonl, "
             "OUT.parquet, OUT.tmx, the OUT.hf folder or OUT.ar (moses)."),
    output: Path = typer.Option(..., "--output", "-o", metavar="FILE.html",
                                show_default=False, help="The HTML file to write."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, metavar="N",
                                        help="At most N rows from each file."),
    context: bool = typer.Option(True, "--context/--no-context",
                                 help="Show the source text around each Arabic span."),
    source_root: Optional[Path] = typer.Option(
        None, "--source-root", metavar="DIR",
        help="Where the documents named in the corpus are [default: the working directory, "
             "then the corpus's folder]."),
) -> None:
    """Write one self-contained HTML page: pairs side by side, with search, filters by origin
    and score, sort by score, a score histogram and the source text around each span."""
    from corpus.errors import CorpusError
    from corpus.review import write_review

    try:
        path = write_review(corpus_path, output, limit=limit, context=context,
                            source_root=source_root)
    except CorpusError as exc:
        raise fail(exc) from None
    info(f"wrote {path}")
