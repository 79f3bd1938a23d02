import corpus


def test_public_api_names_resolve():
    for name in ("Document", "Pair", "CorpusError"):
        assert getattr(corpus, name).__name__ == name


def test_version_command():
    from typer.testing import CliRunner

    from corpus.cli import app

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"corpus {corpus.__version__}"


def test_every_public_name_resolves():
    for name in corpus.__all__:
        assert getattr(corpus, name) is not None, name


def test_stage_functions_survive_importing_their_modules():
    """Importing a stage module must not replace the public function of the same name."""
    import importlib

    for module in ("corpus.detect", "corpus.normalize", "corpus.sentence_align", "corpus.pipeline"):
        importlib.import_module(module)
    assert callable(corpus.align) and corpus.align.__module__ == "corpus.pipeline"
    assert callable(corpus.detect) and callable(corpus.normalize)
    assert corpus.normalize("ا\u0640\u0640ب", scheme="light") == "اب"
