"""Model management: archive validation, install/list/remove, manifest, online install through a
fake downloader, and the `corpus models` commands. The model is the tiny genuine package built
by tests/argos_fixture.py; no network."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from argos_fixture import (METADATA, PACKAGE_DIR_NAME, archive_bytes,  # noqa: F401
                           argos_env, argos_model, clean_argos_caches, installed_models,
                           rewrite_archive, symlink_entry, zip_bomb_entry)
from typer.testing import CliRunner

from corpus.cli import app
from corpus.errors import InputError, ModelError
from corpus.models import (ArchiveLimits, find_model, install_model, list_models, remove_model,
                           resolve_models_dir, validate_archive, verify_model)

runner = CliRunner()


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree(path: Path) -> dict[str, bytes]:
    """Every file under path with its content: to prove a rejected install wrote nothing."""
    if not path.exists():
        return {}
    return {p.relative_to(path).as_posix(): p.read_bytes()
            for p in sorted(path.rglob("*")) if p.is_file()}


# --- validation ------------------------------------------------------------------------------

def test_validate_good_archive(argos_model):
    info = validate_archive(argos_model)
    assert (info.from_code, info.to_code) == ("ar", "en")
    assert info.version == METADATA["package_version"]
    assert info.name == "translate-ar_en"
    assert info.top_dir == PACKAGE_DIR_NAME
    assert info.sha256 == sha256_of(argos_model)
    with zipfile.ZipFile(argos_model) as zf:
        assert info.file_count == len([i for i in zf.infolist() if not i.is_dir()])
        assert info.total_bytes == sum(i.file_size for i in zf.infolist())


def _bad_archives(good: Path, work: Path) -> dict[str, Path]:
    top = PACKAGE_DIR_NAME
    wrong_pair = dict(METADATA, from_code="en", to_code="ar")
    not_zip = work / "not_zip.argosmodel"
    not_zip.write_bytes(b"this is not a zip file\n")
    return {
        "dotdot": rewrite_archive(good, work / "dotdot.zip",
                                  extra=[(f"{top}/../evil.txt", b"x")]),
        "dotdot_top": rewrite_archive(good, work / "dotdot_top.zip",
                                      extra=[("../evil.txt", b"x")]),
        "absolute": rewrite_archive(good, work / "abs.zip", extra=[("/tmp/evil.txt", b"x")]),
        "symlink": rewrite_archive(good, work / "symlink.zip",
                                   extra=[symlink_entry(f"{top}/link", "/etc/passwd")]),
        "missing_metadata": rewrite_archive(good, work / "nometa.zip",
                                            drop=(f"{top}/metadata.json",)),
        "zip_bomb": rewrite_archive(good, work / "bomb.zip",
                                    extra=[zip_bomb_entry(f"{top}/model/pad.bin", 64 * 1024**2)]),
        "wrong_pair": rewrite_archive(good, work / "en_ar.zip", metadata=wrong_pair),
        "two_tops": rewrite_archive(good, work / "two_tops.zip",
                                    extra=[("other_folder/file.txt", b"x")]),
        "no_model_bin": rewrite_archive(good, work / "nomodel.zip",
                                        drop=(f"{top}/model/model.bin",)),
        "no_sentencepiece": rewrite_archive(good, work / "nosp.zip",
                                            drop=(f"{top}/sentencepiece.model",)),
        "backslash": rewrite_archive(good, work / "backslash.zip",
                                     extra=[(f"{top}\\..\\evil.txt", b"x")]),
        "not_zip": not_zip,
        # passes the name checks, fails at extraction (a file and a folder of the same name):
        # still nothing may be left behind
        "file_dir_clash": rewrite_archive(good, work / "clash.zip",
                                          extra=[(f"{top}/README.md/inner.txt", b"x")]),
    }


BAD_KINDS = ["dotdot", "dotdot_top", "absolute", "symlink", "missing_metadata", "zip_bomb",
             "wrong_pair", "two_tops", "no_model_bin", "no_sentencepiece", "backslash", "not_zip", "file_dir_clash"]


@pytest.fixture(scope="module")
def bad_archives(argos_model, tmp_path_factory):
    return _bad_archives(argos_model, tmp_path_factory.mktemp("bad_archives"))


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_malicious_archive_rejected_and_nothing_written(kind, bad_archives, installed_models):
    before = tree(installed_models)
    with pytest.raises(ModelError, match="rejected model archive") as err:
        install_model(bad_archives[kind], installed_models)
    assert err.value.path == str(bad_archives[kind])
    assert tree(installed_models) == before  # the installed model and manifest are untouched
    assert not (installed_models.parent / "evil.txt").exists()


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_rejected_archive_creates_no_models_dir(kind, bad_archives, tmp_path):
    # also the archives rejected only at extraction or loading, after the folder was made
    models_dir = tmp_path / "parent" / "fresh_models"
    with pytest.raises(ModelError):
        install_model(bad_archives[kind], models_dir)
    assert not models_dir.exists() and not models_dir.parent.exists()


def test_total_size_and_file_count_limits(argos_model):
    info = validate_archive(argos_model)
    with pytest.raises(ModelError, match="uncompressed size"):
        validate_archive(argos_model, limits=ArchiveLimits(max_total_bytes=info.total_bytes - 1))
    with pytest.raises(ModelError, match="entries"):
        validate_archive(argos_model, limits=ArchiveLimits(max_files=info.file_count - 1))


def test_wrong_pair_error_names_both_pairs(bad_archives):
    with pytest.raises(ModelError) as err:
        validate_archive(bad_archives["wrong_pair"])
    assert "'en'->'ar'" in str(err.value) and "'ar'->'en'" in str(err.value)


def test_missing_archive_is_input_error(tmp_path):
    with pytest.raises(InputError, match="not found"):
        install_model(tmp_path / "nope.argosmodel", tmp_path / "models")


# --- install / list / remove / manifest ------------------------------------------------------

def test_install_records_manifest_and_files(argos_model, installed_models):
    manifest = json.loads((installed_models / "manifest.json").read_text(encoding="utf-8"))
    assert "comment" in manifest
    [entry] = manifest["models"]
    assert entry["name"] == "translate-ar_en"
    assert entry["version"] == METADATA["package_version"]
    assert entry["sha256"] == sha256_of(argos_model)
    assert entry["source"] == argos_model.name
    package = installed_models / entry["path"]
    assert (package / "metadata.json").is_file()
    assert (package / "model" / "model.bin").is_file()
    with zipfile.ZipFile(argos_model) as zf:
        for info in zf.infolist():
            rel = info.filename.split("/", 1)[1]
            assert entry["files"][rel] == hashlib.sha256(zf.read(info)).hexdigest()
    assert not (installed_models / ".staging").exists()


def test_install_keeps_existing_manifest_comment(argos_model, tmp_path):
    models_dir = tmp_path / "models"
    models_dir.mkdir()
    (models_dir / "manifest.json").write_text(
        json.dumps({"comment": "tracked file", "models": []}), encoding="utf-8")
    install_model(argos_model, models_dir)
    manifest = json.loads((models_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["comment"] == "tracked file"
    assert [m["name"] for m in manifest["models"]] == ["translate-ar_en"]


def test_list_find_verify_and_reinstall(argos_model, installed_models):
    [model] = list_models(installed_models)
    assert model.present and verify_model(model) == []
    assert find_model(installed_models) == model
    assert find_model(installed_models, "en", "ar") is None
    (model.path / "README.md").write_text("tampered\n", encoding="utf-8")
    assert verify_model(model) == ["README.md: sha256 differs from the manifest"]
    install_model(argos_model, installed_models)  # reinstall replaces the folder
    [again] = list_models(installed_models)
    assert verify_model(again) == []


def test_remove(installed_models):
    [model] = list_models(installed_models)
    removed = remove_model("translate-ar_en", installed_models)
    assert removed.name == model.name
    assert not model.path.exists()
    assert list_models(installed_models) == []
    with pytest.raises(ModelError, match="no installed model named 'translate-ar_en'"):
        remove_model("translate-ar_en", installed_models)


def test_manifest_entry_without_folder_is_an_error(installed_models):
    import shutil

    [model] = list_models(installed_models)
    shutil.rmtree(model.path)
    with pytest.raises(ModelError, match="folder is missing") as err:
        find_model(installed_models)
    assert "corpus models remove translate-ar_en" in err.value.hint


def test_models_dir_resolution(tmp_path, monkeypatch):
    monkeypatch.delenv("CORPUS_MODELS_DIR", raising=False)
    project = tmp_path / "project"
    (project / "models").mkdir(parents=True)
    (project / "models" / "manifest.json").write_text('{"models": []}', encoding="utf-8")
    (project / "sub" / "dir").mkdir(parents=True)
    monkeypatch.chdir(project / "sub" / "dir")
    assert resolve_models_dir() == (project / "models").resolve()  # found in a parent
    monkeypatch.chdir(tmp_path)
    assert resolve_models_dir() == (tmp_path / "models").resolve()  # ./models fallback
    monkeypatch.setenv("CORPUS_MODELS_DIR", str(tmp_path / "env_models"))
    assert resolve_models_dir() == (tmp_path / "env_models").resolve()
    assert resolve_models_dir(tmp_path / "explicit") == (tmp_path / "explicit").resolve()
    assert not (tmp_path / "models").exists()  # resolving creates nothing


# --- online install (fake downloader, never the network) -------------------------------------

def test_online_install_uses_index_then_validates(argos_model, tmp_path):
    index = [
        {"type": "translate", "from_code": "ar", "to_code": "en", "package_version": "1.0",
         "links": ["https://example.invalid/old.argosmodel"]},
        {"type": "translate", "from_code": "ar", "to_code": "en", "package_version": "1.10",
         "links": ["https://example.invalid/broken", "https://example.invalid/new.argosmodel"]},
        {"type": "translate", "from_code": "en", "to_code": "ar", "package_version": "9.0",
         "links": ["https://example.invalid/en_ar.argosmodel"]},
    ]
    fetched = []

    def fetch(url, dest, max_bytes):
        fetched.append(url)
        if url.endswith("index.json"):
            dest.write_text(json.dumps(index), encoding="utf-8")
        elif url.endswith("new.argosmodel"):
            dest.write_bytes(argos_model.read_bytes())
        else:
            raise OSError("connection refused")

    model = install_model(None, tmp_path / "models", index_url="https://example.invalid/index.json",
                          fetch=fetch)
    # 1.10 > 1.0 (numeric, not string, comparison); the first link failed, the second worked
    assert fetched == ["https://example.invalid/index.json", "https://example.invalid/broken",
                       "https://example.invalid/new.argosmodel"]
    assert model.source == "https://example.invalid/new.argosmodel"
    assert model.sha256 == sha256_of(argos_model)


def test_online_install_rejects_bad_download(bad_archives, tmp_path):
    index = [{"from_code": "ar", "to_code": "en", "package_version": "1.0",
              "links": ["https://example.invalid/x.argosmodel"]}]

    def fetch(url, dest, max_bytes):
        if url.endswith("index.json"):
            dest.write_text(json.dumps(index), encoding="utf-8")
        else:
            dest.write_bytes(bad_archives["dotdot"].read_bytes())

    with pytest.raises(ModelError, match="rejected model archive"):
        install_model(None, tmp_path / "models", fetch=fetch)
    assert not (tmp_path / "models").exists()


def test_online_install_offline_error_points_to_from(tmp_path):
    def fetch(url, dest, max_bytes):
        raise OSError("Name or service not known")

    with pytest.raises(ModelError) as err:
        install_model(None, tmp_path / "models", fetch=fetch)
    assert "--from" in err.value.hint


def test_online_install_index_without_pair(tmp_path):
    def fetch(url, dest, max_bytes):
        dest.write_text(json.dumps([{"from_code": "en", "to_code": "de", "links": ["x"]}]),
                        encoding="utf-8")

    with pytest.raises(ModelError, match="no ar->en package"):
        install_model(None, tmp_path / "models", fetch=fetch)


# --- CLI -------------------------------------------------------------------------------------

def test_cli_install_list_remove(argos_model, tmp_path, argos_env):
    models_dir = tmp_path / "models"
    result = runner.invoke(app, ["models", "install", "--from", str(argos_model),
                                 "--models-dir", str(models_dir)])
    assert result.exit_code == 0, result.output
    assert f"installed translate-ar_en {METADATA['package_version']}" in result.output
    assert sha256_of(argos_model) in result.output

    result = runner.invoke(app, ["models", "list", "--verify", "--models-dir", str(models_dir)])
    assert result.exit_code == 0, result.output
    [row] = result.output.strip().splitlines()
    assert row.split("\t")[:5] == ["translate-ar_en", METADATA["package_version"], "ar->en",
                                   sha256_of(argos_model)[:12], "ok"]

    result = runner.invoke(app, ["models", "remove", "translate-ar_en",
                                 "--models-dir", str(models_dir)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["models", "list", "--models-dir", str(models_dir)])
    assert result.exit_code == 0 and "no models installed" in result.output


def test_cli_models_dir_from_environment(argos_model, tmp_path, monkeypatch):
    monkeypatch.setenv("CORPUS_MODELS_DIR", str(tmp_path / "env_models"))
    result = runner.invoke(app, ["models", "install", "--from", str(argos_model)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "env_models" / "argos" / "translate-ar_en").is_dir()


def test_cli_install_rejects_bad_archive(bad_archives, tmp_path):
    result = runner.invoke(app, ["models", "install", "--from", str(bad_archives["symlink"]),
                                 "--models-dir", str(tmp_path / "models")])
    assert result.exit_code == 2
    assert "error:" in result.output and "symbolic link" in result.output
    assert not (tmp_path / "models").exists()


def test_cli_remove_unknown_and_list_modified(installed_models):
    result = runner.invoke(app, ["models", "remove", "nope", "--models-dir",
                                 str(installed_models)])
    assert result.exit_code == 2 and "installed: translate-ar_en" in result.output
    [model] = list_models(installed_models)
    (model.path / "sentencepiece.model").write_bytes(b"garbage")
    result = runner.invoke(app, ["models", "list", "--verify", "--models-dir",
                                 str(installed_models)])
    assert result.exit_code == 2
    assert "modified" in result.output and "sentencepiece.model" in result.output
