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
