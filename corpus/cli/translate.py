"""`corpus translate [FILE]`: machine-translate Arabic lines from a file or stdin."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from corpus.cli import app, info, state
from corpus.errors import CorpusError


@app.command("translate")
def translate(
    file: Optional[Path] = typer.Argument(
        None, metavar="FILE", show_default=False,
        help="UTF-8 text file, one segment per line (default, or -: stdin)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE",
                                          help="Write here instead of stdout."),
    models_dir: Optional[Path] = typer.Option(
        None, "--models-dir", metavar="DIR", help="Models directory (default: $CORPUS_MODELS_DIR, else the "
                                   "nearest models/ with a manifest.json, else ./models)."),
    no_cache: bool = typer.Option(False, "--no-cache",
                                  help="Neither read nor write the translation cache."),
    batch_size: int = typer.Option(32, "--batch-size", min=1, metavar="N", help="Sentences per model call."),
    threads: int = typer.Option(0, "--threads", min=0, metavar="N",
                                help="CTranslate2 threads (0: all cores)."),
) -> None:
    """Translate Arabic lines offline with the installed ar->en model.

    Prints one line per input line: lines with Arabic letters are translated, others
    (blank, English, numbers) are passed through unchanged; a count goes to stderr.
    """
    from corpus.translate import load_translator, translate_lines

    try:
        if file is None or str(file) == "-":
            text, source = sys.stdin.read(), "<stdin>"
        else:
            from corpus.translate import read_text_file
            text, source = read_text_file(file), str(file)
        translator = load_translator(models_dir, cache=not no_cache, batch_size=batch_size,
                                     threads=threads)
        # split on newlines only: str.splitlines() would also break at U+2028 and friends
        lines = [line.removesuffix("\r") for line in text.split("\n")]
        if lines and lines[-1] == "":
            lines.pop()
        if sys.stderr.isatty() and not state.quiet:  # a progress bar for people, nothing for pipes and tests
            from corpus.translate import has_arabic_letter

            arabic = sum(1 for line in lines if has_arabic_letter(line))
            with typer.progressbar(length=arabic, label="translating",
                                   file=sys.stderr) as bar:
                state = {"done": 0}

                def progress(done: int, total: int) -> None:
                    bar.update(done - state["done"])
                    state["done"] = done

                result = translate_lines(lines, translator, batch_size=batch_size,
                                         progress=progress)
        else:
            result = translate_lines(lines, translator, batch_size=batch_size)
    except CorpusError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    body = "".join(line + "\n" for line in result.lines)
    if output is None:
        typer.echo(body, nl=False)
    else:
        from corpus.write import write_text_atomic

        try:
            write_text_atomic(output, body)  # an OS error becomes one line, exit 2
        except CorpusError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
    info(f"{source}: translated {result.translated} line(s), passed through "
         f"{result.passed_through} without Arabic; {translator.signature()}")
