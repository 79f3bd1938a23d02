"""A persistent translation cache: SQLite, keyed by (translator signature, normalised sentence).

The signature names the model by package, version and archive sha256 (and any decoding option
that changes the output), so a different model never serves another model's translations.
Concurrent runs share the file safely: WAL journal, a busy timeout, one short transaction per
write, ``INSERT OR IGNORE`` so two runs translating the same sentence do not clash.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from corpus.errors import ModelError
from corpus.sqlitedb import open_shared

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    model TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    PRIMARY KEY (model, source)
) WITHOUT ROWID
"""
_LOOKUP_CHUNK = 500  # stay well under SQLite's bound-parameter limit
_WHITESPACE = re.compile(r"\s+")


def normalize_source(sentence: str) -> str:
    """The cache key form of a sentence (and the exact text handed to the model): NFC, runs of
    whitespace collapsed to one space, stripped. Nothing Arabic-specific is removed: diacritics
    and tatweel can change a translation, so they stay part of the key."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", sentence)).strip()


class TranslationCache:
    """get_many/put_many over one SQLite file; safe to share between threads of a process and
    between processes."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                conn = open_shared(self.path, _SCHEMA)
            except sqlite3.DatabaseError as exc:
                raise ModelError(f"the translation cache cannot be opened: {exc}",
                                 path=str(self.path),
                                 hint="delete the file or run with --no-cache") from None
            self._conn = conn
        return self._conn

    def get_many(self, model: str, sources: Sequence[str]) -> dict[str, str]:
        """Cached translations of ``sources`` (already normalised) by ``model``."""
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(sources))
        with self._lock:
            conn = self._connect()
            try:
                for i in range(0, len(unique), _LOOKUP_CHUNK):
                    chunk = unique[i:i + _LOOKUP_CHUNK]
                    marks = ",".join("?" * len(chunk))
                    rows = conn.execute(
                        f"SELECT source, target FROM translations WHERE model = ? "
                        f"AND source IN ({marks})", (model, *chunk))
                    found.update(rows)
            except sqlite3.DatabaseError as exc:
                raise ModelError(f"reading the translation cache failed: {exc}",
                                 path=str(self.path),
                                 hint="delete the file or run with --no-cache") from None
        return found

    def put_many(self, model: str, pairs: Iterable[tuple[str, str]]) -> None:
        rows = [(model, source, target) for source, target in pairs]
        if not rows:
            return
        with self._lock:
            conn = self._connect()
            try:
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany("INSERT OR IGNORE INTO translations (model, source, target) "
                                 "VALUES (?, ?, ?)", rows)
                conn.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise ModelError(f"writing the translation cache failed: {exc}",
                                 path=str(self.path),
                                 hint="delete the file or run with --no-cache") from None

    def count(self, model: str | None = None) -> int:
        with self._lock:
            conn = self._connect()
            if model is None:
                return conn.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
            return conn.execute("SELECT COUNT(*) FROM translations WHERE model = ?",
                                (model,)).fetchone()[0]

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> TranslationCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
