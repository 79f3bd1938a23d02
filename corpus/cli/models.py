"""`corpus models ...`: install, list and remove machine-translation models."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from corpus.cli import app
from corpus.errors import CorpusError

models_app = typer.Typer(
    name="models", no_args_is_help=True,
    help="Install, list and remove offline MT models (Argos Translate packages).")
app.add_typer(models_app, name="models")

_MODELS_DIR_HELP = ("Models directory (default: $CORPUS_MODELS_DIR, else the nearest models/ "
                    "with a manifest.json in this directory or a parent, else ./models).")


def _fail(exc: CorpusError) -> typer.Exit:
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(2)


@models_app.command("install")
def install(
    from_file: Optional[Path] = typer.Option(
        None, "--from", metavar="FILE.argosmodel", help="Install this local .argosmodel file (offline) instead of "
                             "downloading from the Argos package index."),
    models_dir: Optional[Path] = typer.Option(None, "--models-dir", metavar="DIR",
                                              help=_MODELS_DIR_HELP),
    index_url: Optional[str] = typer.Option(
        None, "--index-url", metavar="URL", help="Argos package index to download from (online install)."),
) -> None:
    """Install the Arabic->English model: validated before anything is extracted."""
    from corpus.models import DEFAULT_INDEX_URL, install_model

    try:
        model = install_model(from_file, models_dir, index_url=index_url or DEFAULT_INDEX_URL)
    except CorpusError as exc:
        raise _fail(exc) from None
    typer.echo(f"installed {model.name} {model.version} (sha256 {model.sha256}) "
               f"in {model.path}")


@models_app.command("list")
def list_(
    models_dir: Optional[Path] = typer.Option(None, "--models-dir", metavar="DIR",
                                              help=_MODELS_DIR_HELP),
    verify: bool = typer.Option(False, "--verify",
                                help="Re-hash every installed file against the manifest."),
) -> None:
    """List installed models (name, version, languages, sha256, status)."""
    from corpus.models import list_models, resolve_models_dir, verify_model

    try:
        where = resolve_models_dir(models_dir)
        models = list_models(where)
    except CorpusError as exc:
        raise _fail(exc) from None
    if not models:
        typer.echo(f"no models installed in {where}")
        return
    broken = 0
    for model in models:
        status = "ok" if model.present else "missing"
        problems = verify_model(model) if verify and model.present else []
        if problems:
            status = "modified"
        broken += status != "ok"
        typer.echo(f"{model.name}\t{model.version}\t{model.from_code}->{model.to_code}\t"
                   f"{model.sha256[:12]}\t{status}\t{model.path}")
        for problem in problems:
            typer.echo(f"  {problem}", err=True)
    if broken:
        typer.echo(f"error: {broken} model(s) missing or modified; reinstall them", err=True)
        raise typer.Exit(2)


@models_app.command("remove")
def remove(
    name: str = typer.Argument(..., help="Model name as shown by `corpus models list`."),
    models_dir: Optional[Path] = typer.Option(None, "--models-dir", metavar="DIR",
                                              help=_MODELS_DIR_HELP),
) -> None:
    """Remove an installed model and its manifest entry."""
    from corpus.models import remove_model

    try:
        model = remove_model(name, models_dir)
    except CorpusError as exc:
        raise _fail(exc) from None
    typer.echo(f"removed {model.name} {model.version} from {model.path}")
