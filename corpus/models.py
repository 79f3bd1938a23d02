"""Machine-translation model management: validate, install, list and remove Argos packages.

Layout of a models directory (``models/`` by default, see :func:`resolve_models_dir`)::

    models/
      manifest.json            name, version, sha256 (of the archive) and per-file sha256
      argos/<name>/            one unpacked Argos package per language pair
                               (``translate-ar_en``): metadata.json, model/, sentencepiece.model
      cache/mt.sqlite          the translation cache (corpus.mtcache)
      .argos/                  argostranslate's own data/config/cache dirs, so that importing it
                               never creates folders in the user's home

Every archive is validated *before* anything is extracted (argostranslate's own
``install_from_path`` calls ``extractall`` with no checks: a crafted zip could overwrite the
files of other packages). The checks: a zip with one top folder, no absolute or ``..`` paths,
no symlinks, no encrypted entries, bounded file count and uncompressed size (and a bounded
compression ratio, against zip bombs), a ``metadata.json`` for the expected language pair,
a CTranslate2 model directory and a SentencePiece model. A rejected archive writes nothing.

This module never imports argostranslate: it only reads zips and JSON.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import stat
import tempfile
import urllib.request
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from corpus.errors import InputError, ModelError

log = logging.getLogger(__name__)

MODELS_DIR_ENV = "CORPUS_MODELS_DIR"
MANIFEST_NAME = "manifest.json"
PACKAGES_SUBDIR = "argos"
CACHE_SUBDIR = "cache"
ARGOS_HOME_SUBDIR = ".argos"
STAGING_SUBDIR = ".staging"

# The Argos package index (a JSON list of package metadata with download links).
DEFAULT_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"

INSTALL_HINT = ("install one: `corpus models install` (online, from the Argos index) or "
                "`corpus models install --from translate-ar_en.argosmodel` (offline)")

_MANIFEST_COMMENT = ("Installed model files under models/ (git-ignored). Written by `corpus models "
                     "install`; one entry per package with name, version and sha256 of the "
                     "archive.")
_SUPPORTED_COMPRESSION = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2,
                          zipfile.ZIP_LZMA}
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_LANG_CODE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?$")


@dataclass(frozen=True)
class ArchiveLimits:
    """Bounds an archive must stay within. A real Argos ar->en package is ~100 MB unpacked in
    about ten files, so the defaults leave a wide margin while stopping zip bombs."""
    max_files: int = 1000
    max_total_bytes: int = 2 * 1024**3
    max_metadata_bytes: int = 1024**2
    # Entries bigger than ratio_min_bytes may not compress better than this (zeros do ~1000x,
    # model weights ~1.1x, text ~4x).
    max_compression_ratio: float = 100.0
    ratio_min_bytes: int = 1024**2
    max_download_bytes: int = 2 * 1024**3


DEFAULT_LIMITS = ArchiveLimits()


@dataclass(frozen=True)
class ArchiveInfo:
    """What validation learned about an ``.argosmodel`` archive."""
    path: Path
    sha256: str
    top_dir: str  # the single top folder inside the zip
    name: str  # the installed name, e.g. "translate-ar_en"
    version: str  # metadata package_version
    from_code: str
    to_code: str
    argos_version: str
    file_count: int
    total_bytes: int  # sum of uncompressed sizes
    metadata: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class InstalledModel:
    """One manifest entry, plus where the package lives and whether it is there."""
    name: str
    version: str
    sha256: str
    from_code: str
    to_code: str
    argos_version: str
    path: Path  # the unpacked package directory
    source: str  # archive file name or URL it was installed from
    files: dict = field(default_factory=dict, compare=False, repr=False)  # relpath -> sha256

    @property
    def present(self) -> bool:
        return (self.path / "metadata.json").is_file()

    def to_manifest(self, models_dir: Path) -> dict:
        return {
            "name": self.name,
            "version": self.version,
            "sha256": self.sha256,
            "from_code": self.from_code,
            "to_code": self.to_code,
            "argos_version": self.argos_version,
            "path": self.path.relative_to(models_dir).as_posix(),
            "source": self.source,
            "files": dict(sorted(self.files.items())),
        }


# --- where models live -----------------------------------------------------------------------

def resolve_models_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The models directory: ``explicit`` (``--models-dir``), else ``$CORPUS_MODELS_DIR``, else
    the nearest ``models/`` holding a ``manifest.json`` in the current directory or one of its
    parents (so running from anywhere inside a checkout finds the repository's ``models/``),
    else ``./models``. Never the user's home unless asked. Nothing is created here."""
    if explicit is not None and str(explicit) != "":
        return Path(explicit).expanduser().resolve()
    env = os.environ.get(MODELS_DIR_ENV)
    if env:
        return Path(env).expanduser().resolve()
    cwd = Path.cwd().resolve()
    for folder in (cwd, *cwd.parents):
        if (folder / "models" / MANIFEST_NAME).is_file():
            return folder / "models"
    return cwd / "models"


def packages_dir(models_dir: Path) -> Path:
    return Path(models_dir) / PACKAGES_SUBDIR


def default_cache_path(models_dir: Path) -> Path:
    return Path(models_dir) / CACHE_SUBDIR / "mt.sqlite"


# --- validation ------------------------------------------------------------------------------

def _sha256_file(fh) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: fh.read(1 << 20), b""):
        digest.update(block)
    return digest.hexdigest()


def _reject(path: Path, message: str, hint: str | None = None) -> ModelError:
    return ModelError(f"rejected model archive: {message}", path=str(path),
                      hint=hint or "nothing was installed; use an official .argosmodel package")


def _entry_parts(path: Path, info: zipfile.ZipInfo) -> tuple[str, ...]:
    name = info.filename
    if "\x00" in name:
        raise _reject(path, f"entry name with a NUL character: {name!r}")
    if "\\" in name:
        raise _reject(path, f"entry name with a backslash: {name!r}")
    if name.startswith("/") or _WINDOWS_DRIVE.match(name):
        raise _reject(path, f"absolute path in archive: {name!r}")
    parts = PurePosixPath(name).parts
    if any(part in ("..", ".") for part in parts) or not parts:
        raise _reject(path, f"path escaping the package folder: {name!r}")
    return parts


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return info.create_system == 3 and stat.S_ISLNK(mode)


def _package_name(metadata: dict) -> str:
    kind = metadata.get("type") or "translate"
    return f"{kind}-{metadata['from_code']}_{metadata['to_code']}"


def _validate_open_zip(path: Path, zf: zipfile.ZipFile, sha256: str, *, from_code: str,
                       to_code: str, limits: ArchiveLimits) -> ArchiveInfo:
    infos = zf.infolist()
    if not infos:
        raise _reject(path, "the archive is empty")
    if len(infos) > limits.max_files:
        raise _reject(path, f"{len(infos)} entries, more than the limit of {limits.max_files}")
    seen: set[str] = set()
    tops: set[str] = set()
    files: dict[str, zipfile.ZipInfo] = {}  # path inside the top folder -> entry
    total = 0
    for info in infos:
        parts = _entry_parts(path, info)
        if _is_symlink(info):
            raise _reject(path, f"symbolic link in archive: {info.filename!r}")
        if info.flag_bits & 0x1:
            raise _reject(path, f"encrypted entry: {info.filename!r}")
        if info.compress_type not in _SUPPORTED_COMPRESSION:
            raise _reject(path, f"unsupported compression in {info.filename!r}")
        key = "/".join(parts)
        if key in seen:
            raise _reject(path, f"duplicate entry: {info.filename!r}")
        seen.add(key)
        tops.add(parts[0])
        if info.is_dir():
            continue
        if len(parts) < 2:
            raise _reject(path, f"file outside the package folder: {info.filename!r}",
                          hint="an .argosmodel holds exactly one top folder")
        total += info.file_size
        if total > limits.max_total_bytes:
            raise _reject(path, f"uncompressed size exceeds {limits.max_total_bytes} bytes")
        if (info.file_size > limits.ratio_min_bytes
                and info.file_size > limits.max_compression_ratio * max(info.compress_size, 1)):
            raise _reject(path, f"{info.filename!r} expands {info.file_size} bytes from "
                                f"{info.compress_size} (compression ratio above "
                                f"{limits.max_compression_ratio:g}: a zip bomb?)")
        files["/".join(parts[1:])] = info
    if len(tops) != 1:
        raise _reject(path, f"expected one top folder, found {len(tops)}: {sorted(tops)[:5]}",
                      hint="an .argosmodel holds exactly one top folder")
    top = tops.pop()
    if not _SAFE_NAME.match(top):
        raise _reject(path, f"unusual top folder name {top!r}")

    meta_info = files.get("metadata.json")
    if meta_info is None:
        raise _reject(path, "no metadata.json in the package folder")
    if meta_info.file_size > limits.max_metadata_bytes:
        raise _reject(path, "metadata.json is too large")
    try:
        metadata = json.loads(zf.read(meta_info).decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise _reject(path, f"metadata.json is not valid UTF-8 JSON: {exc}") from None
    if not isinstance(metadata, dict):
        raise _reject(path, "metadata.json is not a JSON object")
    got_from, got_to = metadata.get("from_code"), metadata.get("to_code")
    if got_from != from_code or got_to != to_code:
        raise _reject(path, f"the package translates {got_from!r}->{got_to!r}, "
                            f"not {from_code!r}->{to_code!r}",
                      hint=f"install the {from_code}->{to_code} package "
                           f"(translate-{from_code}_{to_code})")
    kind = metadata.get("type", "translate")
    if kind != "translate":
        raise _reject(path, f"package type is {kind!r}, not 'translate'")
    version = metadata.get("package_version")
    if not isinstance(version, str) or not version.strip():
        raise _reject(path, "metadata.json has no package_version")
    if not all(isinstance(c, str) and _LANG_CODE.match(c) for c in (got_from, got_to)):
        raise _reject(path, "metadata.json has malformed language codes")

    if "model/model.bin" not in files:
        raise _reject(path, "no CTranslate2 model (model/model.bin) in the package folder")
    if not any(name.startswith("model/") and name.endswith(("vocabulary.json",
                                                            "vocabulary.txt"))
               for name in files):
        raise _reject(path, "the CTranslate2 model has no vocabulary file")
    if "sentencepiece.model" not in files:
        raise _reject(path, "no SentencePiece model (sentencepiece.model) in the package folder")

    return ArchiveInfo(
        path=path, sha256=sha256, top_dir=top, name=_package_name(metadata),
        version=version.strip(), from_code=got_from, to_code=got_to,
        argos_version=str(metadata.get("argos_version", "")),
        file_count=len(files), total_bytes=total, metadata=metadata,
    )


@contextlib.contextmanager
def _open_archive(path: Path) -> Iterator[tuple[zipfile.ZipFile, str]]:
    """Open the archive once, hash it, and keep that same handle for validation and
    extraction, so the bytes checked are the bytes extracted."""
    if not path.is_file():
        raise InputError("model archive not found", path=str(path))
    with open(path, "rb") as fh:
        sha256 = _sha256_file(fh)
        fh.seek(0)
        try:
            zf = zipfile.ZipFile(fh)
        except zipfile.BadZipFile:
            raise _reject(path, "not a zip archive") from None
        with zf:
            yield zf, sha256


def validate_archive(path: str | os.PathLike, *, from_code: str = "ar", to_code: str = "en",
                     limits: ArchiveLimits = DEFAULT_LIMITS) -> ArchiveInfo:
    """Check an ``.argosmodel`` archive without extracting anything; raise ModelError
    naming the first problem."""
    path = Path(path)
    with _open_archive(path) as (zf, sha256):
        return _validate_open_zip(path, zf, sha256, from_code=from_code, to_code=to_code,
                                  limits=limits)


# --- manifest --------------------------------------------------------------------------------

def _manifest_path(models_dir: Path) -> Path:
    return Path(models_dir) / MANIFEST_NAME


def _read_manifest(models_dir: Path) -> dict:
    path = _manifest_path(models_dir)
    if not path.is_file():
        return {"comment": _MANIFEST_COMMENT, "models": []}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelError(f"the model manifest is not valid JSON: {exc}", path=str(path),
                         hint="fix or delete it, then reinstall the models") from None
    if not isinstance(data, dict) or not isinstance(data.get("models", []), list):
        raise ModelError("the model manifest has no 'models' list", path=str(path))
    data.setdefault("models", [])
    return data


def _write_manifest(models_dir: Path, data: dict) -> None:
    path = _manifest_path(models_dir)
    data["models"] = sorted(data["models"], key=lambda m: m.get("name", ""))
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=".manifest-", suffix=".json", dir=models_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)  # atomic: a reader sees the old or the new manifest, never half
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _entry_to_model(models_dir: Path, entry: dict) -> InstalledModel:
    try:
        rel = PurePosixPath(entry["path"])
        if rel.is_absolute() or ".." in rel.parts:
            raise ValueError(f"unsafe path {entry['path']!r}")
        return InstalledModel(
            name=str(entry["name"]), version=str(entry["version"]),
            sha256=str(entry["sha256"]), from_code=str(entry["from_code"]),
            to_code=str(entry["to_code"]), argos_version=str(entry.get("argos_version", "")),
            path=Path(models_dir) / rel, source=str(entry.get("source", "")),
            files=dict(entry.get("files", {})),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"malformed manifest entry {entry!r}: {exc}",
                         path=str(_manifest_path(models_dir))) from None


@contextlib.contextmanager
def _models_lock(models_dir: Path) -> Iterator[None]:
    """Serialise installs and removals across processes (POSIX advisory lock)."""
    lock_path = Path(models_dir) / ".lock"
    with open(lock_path, "a+b") as fh:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - non-POSIX: single-process use only
            yield
            return
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


# --- list / find / remove --------------------------------------------------------------------

def list_models(models_dir: str | os.PathLike | None = None) -> list[InstalledModel]:
    """The models recorded in the manifest, sorted by name (missing directories included; see
    ``InstalledModel.present``)."""
    models_dir = resolve_models_dir(models_dir)
    data = _read_manifest(models_dir)
    return sorted((_entry_to_model(models_dir, e) for e in data["models"]),
                  key=lambda m: m.name)


def find_model(models_dir: str | os.PathLike | None = None, from_code: str = "ar",
               to_code: str = "en") -> InstalledModel | None:
    """The installed model for the language pair, or None. A manifest entry whose folder is
    gone is an error (the user deleted files by hand), not a silent None."""
    for model in list_models(models_dir):
        if model.from_code == from_code and model.to_code == to_code:
            if not model.present:
                raise ModelError(f"model {model.name} is in the manifest but its folder is "
                                 f"missing", path=str(model.path),
                                 hint=f"run `corpus models remove {model.name}` and reinstall")
            return model
    return None


def remove_model(name: str, models_dir: str | os.PathLike | None = None) -> InstalledModel:
    """Delete an installed package folder and its manifest entry."""
    models_dir = resolve_models_dir(models_dir)
    if not models_dir.is_dir():
        raise ModelError(f"no model named {name!r}: the models directory does not exist",
                         path=str(models_dir))
    with _models_lock(models_dir):
        data = _read_manifest(models_dir)
        for i, entry in enumerate(data["models"]):
            if entry.get("name") == name:
                model = _entry_to_model(models_dir, entry)
                break
        else:
            names = ", ".join(sorted(str(e.get("name")) for e in data["models"])) or "none"
            raise ModelError(f"no installed model named {name!r}", path=str(models_dir),
                             hint=f"installed: {names}")
        if model.path.resolve().parent != packages_dir(models_dir).resolve():
            raise ModelError(f"refusing to delete {model.path}: not a package folder under "
                             f"{packages_dir(models_dir)}", path=str(_manifest_path(models_dir)))
        del data["models"][i]
        _write_manifest(models_dir, data)
        if model.path.exists():
            shutil.rmtree(model.path)
    log.info("removed model %s from %s", name, models_dir)
    return model


def verify_model(model: InstalledModel) -> list[str]:
    """Files of an installed package whose sha256 no longer matches the manifest (or are
    missing). Empty when the package is intact."""
    problems = []
    for rel, expected in sorted(model.files.items()):
        file = model.path / rel
        if not file.is_file():
            problems.append(f"{rel}: missing")
            continue
        with open(file, "rb") as fh:
            if _sha256_file(fh) != expected:
                problems.append(f"{rel}: sha256 differs from the manifest")
    return problems


# --- install ---------------------------------------------------------------------------------

def _extract_validated(path: Path, zf: zipfile.ZipFile, info: ArchiveInfo, dest: Path,
                       limits: ArchiveLimits) -> dict[str, str]:
    """Extract regular files of an already validated archive into ``dest`` (a fresh folder),
    streaming, refusing entries that turn out bigger than their header says.
    Returns relpath -> sha256."""
    hashes: dict[str, str] = {}
    written = 0
    for entry in zf.infolist():
        if entry.is_dir():
            continue
        rel = PurePosixPath(entry.filename).relative_to(info.top_dir)
        target = dest.joinpath(*rel.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        with zf.open(entry) as src, open(target, "xb") as out:
            for block in iter(lambda: src.read(1 << 20), b""):
                size += len(block)
                written += len(block)
                if size > entry.file_size or written > limits.max_total_bytes:
                    raise _reject(path, f"{entry.filename!r} is larger than its header says")
                digest.update(block)
                out.write(block)
        hashes[rel.as_posix()] = digest.hexdigest()
    return hashes


def _check_loadable(package_dir: Path, path: Path) -> None:
    """Cheap load checks when the MT libraries are present: the SentencePiece model opens and
    the model folder is a CTranslate2 model. Skipped (logged) without them."""
    try:
        import ctranslate2
        import sentencepiece
    except ImportError:
        log.info("ctranslate2/sentencepiece not installed: skipping the load check")
        return
    if not ctranslate2.contains_model(str(package_dir / "model")):
        raise _reject(path, "model/ is not a CTranslate2 model directory")
    try:
        sentencepiece.SentencePieceProcessor(model_file=str(package_dir / "sentencepiece.model"))
    except (RuntimeError, OSError) as exc:
        raise _reject(path, f"sentencepiece.model does not load: {exc}") from None


def _install_archive(path: Path, models_dir: Path, *, source: str, from_code: str,
                     to_code: str, limits: ArchiveLimits) -> InstalledModel:
    with _open_archive(path) as (zf, sha256):
        info = _validate_open_zip(path, zf, sha256, from_code=from_code, to_code=to_code,
                                  limits=limits)
        # Validation passed: only now is anything created.
        # the folders this install creates (models_dir and any missing parents), innermost
        # first, so that a failure below can take them away again
        created = [d for d in (models_dir, *models_dir.parents) if not d.exists()]
        models_dir.mkdir(parents=True, exist_ok=True)
        try:
            model, final = _install_validated(path, zf, info, models_dir, source=source,
                                              limits=limits)
        except BaseException:
            if created:
                _remove_if_only_lock(models_dir, created)
            raise
    log.info("installed %s %s (sha256 %s) into %s", model.name, model.version,
             model.sha256[:12], final)
    return model


def _remove_if_only_lock(models_dir: Path, created: list[Path]) -> None:
    """Undo the folders an install created when it failed after creating them (an archive
    rejected at extraction or loading): models_dir holds nothing but the lock file then, and
    a rejected archive must leave no trace. Only empty folders are removed."""
    with contextlib.suppress(OSError):
        (models_dir / STAGING_SUBDIR).rmdir()
    with contextlib.suppress(OSError):
        if [p.name for p in models_dir.iterdir()] == [".lock"]:
            (models_dir / ".lock").unlink()
    for d in created:
        try:
            d.rmdir()
        except OSError:
            break


def _install_validated(path: Path, zf: zipfile.ZipFile, info: ArchiveInfo, models_dir: Path,
                       *, source: str, limits: ArchiveLimits) -> tuple[InstalledModel, Path]:
    with _models_lock(models_dir):
        staging_root = models_dir / STAGING_SUBDIR
        staging_root.mkdir(exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f"{info.name}-", dir=staging_root))
        try:
            package = staging / info.name
            package.mkdir()
            try:
                files = _extract_validated(path, zf, info, package, limits)
            except (OSError, zipfile.BadZipFile, EOFError, zlib.error) as exc:  # e.g. "a" and "a/b"
                raise _reject(path, f"cannot extract: {exc}") from None
            _check_loadable(package, path)
            final = packages_dir(models_dir) / info.name
            final.parent.mkdir(exist_ok=True)
            old = None
            if final.exists():  # reinstall/upgrade: swap folders, then drop the old one
                old = staging / "previous"
                os.replace(final, old)
            os.replace(package, final)
            model = InstalledModel(
                name=info.name, version=info.version, sha256=info.sha256,
                from_code=info.from_code, to_code=info.to_code,
                argos_version=info.argos_version, path=final, source=source, files=files,
            )
            data = _read_manifest(models_dir)
            data["models"] = [e for e in data["models"] if e.get("name") != info.name]
            data["models"].append(model.to_manifest(models_dir))
            _write_manifest(models_dir, data)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            with contextlib.suppress(OSError):
                staging_root.rmdir()
    return model, final


# fetch(url, dest, max_bytes): download url into the file dest; raise on failure.
Fetcher = Callable[[str, Path, int], None]


def _urllib_fetch(url: str, dest: Path, max_bytes: int) -> None:
    if not url.startswith(("https://", "http://")):
        raise ModelError(f"refusing to download from {url!r}: only http(s) links are followed")
    request = urllib.request.Request(url, headers={"User-Agent": "corpus-models"})
    size = 0
    with urllib.request.urlopen(request, timeout=60) as response, open(dest, "wb") as out:
        for block in iter(lambda: response.read(1 << 20), b""):
            size += len(block)
            if size > max_bytes:
                raise ModelError(f"download from {url} exceeds {max_bytes} bytes")
            out.write(block)


def _version_key(version: str) -> tuple:
    return tuple(int(p) if p.isdigit() else -1 for p in re.split(r"[._-]", version))


def _pick_from_index(index: object, from_code: str, to_code: str, index_url: str) -> dict:
    if not isinstance(index, list):
        raise ModelError("the package index is not a JSON list", path=index_url)
    candidates = [p for p in index if isinstance(p, dict)
                  and p.get("from_code") == from_code and p.get("to_code") == to_code
                  and p.get("type", "translate") == "translate"
                  and isinstance(p.get("links"), list) and p["links"]]
    if not candidates:
        raise ModelError(f"the package index lists no {from_code}->{to_code} package",
                         path=index_url)
    return max(candidates, key=lambda p: _version_key(str(p.get("package_version", ""))))


def install_model(source: str | os.PathLike | None = None,
                  models_dir: str | os.PathLike | None = None, *, from_code: str = "ar",
                  to_code: str = "en", index_url: str = DEFAULT_INDEX_URL,
                  fetch: Fetcher | None = None,
                  limits: ArchiveLimits = DEFAULT_LIMITS) -> InstalledModel:
    """Install an Argos package into ``models_dir``: from the local archive ``source``, or,
    when ``source`` is None, the newest ar->en package of the Argos index (downloaded to a
    temporary file, then validated exactly like a local one). Replaces an installed package
    of the same name; records name, version, sha256 in the manifest."""
    models_dir = resolve_models_dir(models_dir)
    if source is not None:
        path = Path(source).expanduser()
        return _install_archive(path, models_dir, source=path.name, from_code=from_code,
                                to_code=to_code, limits=limits)

    fetch = fetch or _urllib_fetch
    with tempfile.TemporaryDirectory(prefix="corpus-models-") as tmp:
        index_file = Path(tmp) / "index.json"
        try:
            fetch(index_url, index_file, limits.max_metadata_bytes * 16)
            index = json.loads(index_file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(f"could not read the Argos package index: {exc}", path=index_url,
                             hint="no internet? download translate-ar_en.argosmodel elsewhere "
                                  "and run `corpus models install --from FILE`") from None
        entry = _pick_from_index(index, from_code, to_code, index_url)
        archive = Path(tmp) / f"translate-{from_code}_{to_code}.argosmodel"
        errors = []
        for url in entry["links"]:
            try:
                fetch(str(url), archive, limits.max_download_bytes)
                break
            except (OSError, ModelError) as exc:
                errors.append(f"{url}: {exc}")
                log.warning("download failed: %s: %s", url, exc)
        else:
            raise ModelError(f"could not download the {from_code}->{to_code} package",
                             hint="; ".join(errors))
        return _install_archive(archive, models_dir, source=str(url), from_code=from_code,
                                to_code=to_code, limits=limits)
