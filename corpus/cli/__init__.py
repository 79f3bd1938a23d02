"""The `corpus` command. Thin: each command parses its arguments, calls one library function
and prints. Commands live one module per area (detect, normalize, align, models, ...) and
register themselves on ``app`` when imported below.

Conventions, as in sacrebleu, opus_read and bicleaner:

- ``-h``/``--help`` and ``-V``/``--version``;
- ``-q``/``--quiet`` (nothing on stderr but errors) and ``-v``/``--verbose`` (debug
  messages), accepted before or after the command name;
- ``-`` as an input reads standard input; ``-o -`` writes to standard output;
- exit codes: 0 success, 1 an internal error (a bug: please report the traceback),
  2 a user error (bad option or value, missing or unreadable input, unwritable output,
  invalid model archive) printed as one line ``error: ...``, 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import typer
from typer.core import TyperGroup

try:  # typer 0.2x ships its own copy of click; older typer uses click itself
    from typer._click import exceptions as click_exc
except ImportError:  # pragma: no cover
    from click import exceptions as click_exc  # type: ignore[no-redef]

from corpus import __version__
from corpus.errors import CorpusError

EXIT_OK, EXIT_INTERNAL, EXIT_USER, EXIT_INTERRUPTED = 0, 1, 2, 130
_QUIET = frozenset({"-q", "--quiet"})
_VERBOSE = frozenset({"-v", "--verbose", "-vv"})


class _State:
    """Verbosity of the current invocation (set by the root group before any command)."""

    quiet = False
    verbose = False


state = _State()


def info(message: str) -> None:
    """A progress or summary line on stderr, unless --quiet."""
    if not state.quiet:
        typer.echo(message, err=True)


def fail(exc: CorpusError | str) -> typer.Exit:
    """Print one ``error: ...`` line on stderr; return the Exit(2) to raise."""
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(EXIT_USER)


def _one_line(text: str) -> str:
    # typer words a bad choice "Value error, 'x' is not one of ..."; the first part is noise
    return " ".join(text.split()).replace("Value error, ", "")


class CorpusGroup(TyperGroup):
    """The root group: takes -q/-v from anywhere on the line, and turns every usage error
    into one line and exit code 2 (click would print the usage block and a framed box)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        kept: list[str] = []
        state.quiet = state.verbose = False
        for i, arg in enumerate(args):
            if arg == "--":
                kept.extend(args[i:])
                break
            if arg in _QUIET:
                state.quiet = True
            elif arg in _VERBOSE:
                state.verbose = True
            else:
                kept.append(arg)
        _show_library_logs(logging.ERROR if state.quiet else
                           logging.DEBUG if state.verbose else logging.WARNING)
        return super().parse_args(ctx, kept)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _tidy_help(command)
        return command

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _tidy_help(self)
        super().format_help(ctx, formatter)

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             windows_expand_args: bool = True, **extra: Any) -> Any:
        try:
            result = super().main(args=args, prog_name=prog_name or "corpus",
                                  complete_var=complete_var, standalone_mode=False,
                                  windows_expand_args=windows_expand_args, **extra)
        except typer.Exit as exc:  # raised inside a command's callback
            result = exc.exit_code
        except click_exc.NoArgsIsHelpError as exc:  # `corpus`, `corpus models`: the help
            typer.echo(exc.format_message(), err=True)
            result = EXIT_USER
        except click_exc.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx is not None else "corpus"
            typer.echo(f"error: {_one_line(exc.format_message())} (see {where} --help)",
                       err=True)
            result = EXIT_USER
        except click_exc.ClickException as exc:
            typer.echo(f"error: {_one_line(exc.format_message())}", err=True)
            result = EXIT_USER
        except CorpusError as exc:
            typer.echo(f"error: {_one_line(str(exc))}", err=True)
            result = EXIT_USER
        except typer.Abort:
            typer.echo("error: interrupted", err=True)
            result = EXIT_INTERRUPTED
        if not standalone_mode:
            return result
        sys.exit(result if isinstance(result, int) else 0)


def _tidy_help(command: Any) -> None:
    """Arguments in --help and usage as sacrebleu and opus_read show them: ``INPUT...``, not
    ``{inputs}...`` with a ``<list[Path]>`` type column (typer 0.2x adds both). Choices keep
    their list, e.g. ``<tsv|moses|jsonl>``."""
    for param in getattr(command, "params", ()):
        if getattr(param, "param_type_name", "") != "argument":
            continue
        name = (param.metavar or (param.name or "").upper()).removesuffix("...")
        dots = "..." if param.nargs != 1 else ""
        desc = getattr(param, "type_descriptor", None)
        if not getattr(desc, "is_choice", False):
            param.display_type = lambda ctx: ""
        param._usage_display_name = (
            lambda name=name, dots=dots, required=param.required:
            f"{name}{dots}" if required else f"[{name}{dots}]")
        param._rich_display_name = lambda name=name, dots=dots: f"{name}{dots}"
    for sub in getattr(command, "commands", {}).values():
        _tidy_help(sub)


app = typer.Typer(
    name="corpus",
    cls=CorpusGroup,
    help="Build a sentence-aligned Arabic-English parallel corpus from scraped pages.\n\n"
         "Exit codes: 0 success, 1 internal error (a bug), 2 user error (one line "
         "'error: ...' on stderr), 130 interrupted.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # plain click help: choices shown as [tsv|jsonl|...], no <bool>/<list[Path]> columns,
    # and square brackets in help texts are kept (rich markup would eat them)
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"corpus {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
    quiet: bool = typer.Option(False, "--quiet", "-q",
                               help="Nothing on stderr but errors (also after the command)."),
    verbose: bool = typer.Option(False, "--verbose", "-v",
                                 help="Log debug messages (also after the command)."),
) -> None:
    # -q/-v are taken off the command line by CorpusGroup.parse_args wherever they stand;
    # they are declared here so that --help lists them.
    pass


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


def main() -> NoReturn:
    """Console entry point (see the module docstring for the exit codes)."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("error: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(EXIT_OK)
