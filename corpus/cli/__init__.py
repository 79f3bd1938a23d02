"""The `corpus` command. Thin: each command parses its arguments, calls one library function
and prints. Commands live one module per area (detect, normalize, align, models, ...) and
register themselves on ``app`` when imported below."""

from __future__ import annotations

import logging
import sys

import typer

from corpus import __version__
from corpus.errors import CorpusError

app = typer.Typer(
    name="corpus",
    help="Build a sentence-aligned Arabic-English parallel corpus from scraped pages.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"corpus {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log debug messages."),
) -> None:
    _show_library_logs(logging.DEBUG if verbose else logging.WARNING)


class _EchoHandler(logging.Handler):
    """Shows the library's log records as `warning: ...` lines on the current stderr (looked
    up at each record, so typer's test runner sees them too)."""

    def emit(self, record: logging.LogRecord) -> None:
        level = record.levelname.lower() if record.levelno != logging.WARNING else "warning"
        typer.echo(f"{level}: {record.getMessage()}", err=True)


def _show_library_logs(level: int) -> None:
    log = logging.getLogger("corpus")
    for handler in list(log.handlers):
        if isinstance(handler, _EchoHandler):
            log.removeHandler(handler)
    log.addHandler(_EchoHandler())
    log.setLevel(level)
    log.propagate = False


# Command modules: importing one registers its commands on `app`.
_COMMAND_MODULES = ("detect", "normalize", "align", "models", "translate", "stats", "review")


def _register_commands() -> None:
    import importlib

    for name in _COMMAND_MODULES:
        try:
            importlib.import_module(f"corpus.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"corpus.cli.{name}":
                raise


_register_commands()


def main() -> None:
    """Console entry point: a CorpusError becomes one clear line on stderr and exit code 2."""
    try:
        app()
    except CorpusError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
