"""`corpus normalize`: print each line of a file (or stdin) normalised with a scheme."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from corpus.cli import app
from corpus.errors import CorpusError


@app.command("normalize")
def normalize_command(
    file: Optional[Path] = typer.Argument(
        None, help="Text or HTML file to normalise (default, or -: standard input).",
        show_default=False, metavar="FILE"),
    # a plain str (checked by normalizer_signature, with its own message) shown as a choice
    scheme: str = typer.Option(
        "light", "--scheme", "-s", metavar="<none|light|match>",
        help="Normalisation scheme: none, light (for output) or match (for comparing)."),
) -> None:
    """Print each line of FILE (or standard input) normalised with SCHEME."""
    from corpus.normalize import normalize, normalizer_signature
    from corpus.read import decode_bytes, read_document

    try:
        normalizer_signature(scheme)  # an unknown scheme fails before any input is read
        if file is None or str(file) == "-":
            data = typer.get_binary_stream("stdin").read()
            text, _ = decode_bytes(data, path="<stdin>")
        else:
            text = read_document(file).text
        for line in text.splitlines():
            typer.echo(normalize(line, scheme))
    except CorpusError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
