"""One way to open the SQLite caches (embeddings, translations) shared by concurrent runs."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

BUSY_TIMEOUT_S = 60.0


def open_shared(path: str | Path, schema: str) -> sqlite3.Connection:
    """Open ``path`` in WAL mode with a busy timeout and make sure ``schema`` exists.

    Several processes may open a new cache file at the same moment. Switching the journal
    to WAL, and the first CREATE TABLE, take a lock that SQLite can refuse at once with
    "database is locked" instead of waiting on the busy timeout; so the set-up is retried
    with a short back-off until the timeout runs out. Raises sqlite3.Error after that.
    """
    db = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, check_same_thread=False,
                         isolation_level=None)
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    delay = 0.01
    while True:
        try:
            db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute(schema)
            return db
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                db.close()
                raise
            if time.monotonic() > deadline:
                db.close()
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
