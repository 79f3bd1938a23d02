"""The on-disk store of a run: per-document results, the cheap-evidence index, final rows.

One SQLite file (``OUT.work.sqlite3`` beside the output by default), so a crawl's documents
never have to fit in memory and a run that is killed can resume (``--resume``). Schema:

- ``meta(key, value)``: the run's fingerprint (inputs, settings) and which stages are done;
- ``doc(seq, path, role, blob)``: every document in read order (``seq``), what it holds
  (``role``: ``arabic`` has Arabic sections, ``rows`` only Arabic halves of mixed lines,
  ``english`` English only, ``none`` neither) and the prepared document (document,
  sections and sentences, mixed-line parts), pickled and zlib-compressed;
- ``page(seq, path, url, html_lang, alternates)``: what each page says about itself (for
  link finding, without reading the documents back);
- ``shard(seq)``: shards whose documents are all stored (written in the same transaction);
- ``feature(token, seq)``: the cheap evidence of documents without Arabic sections
  (numbers, Latin-script names, Arabic words), an inverted index;
- ``probe(id, seq, text)``: the sentences of such a document embedded to search for
  translations no cheap signal links (one per body section);
- ``row(seq, n, blob)``: the output rows of each page, in page order, stored as soon as
  that page's pairing is final, ``ROW_CHUNK`` rows to a blob (``n`` counts the blobs).
"""

from __future__ import annotations

import json
import pickle
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from corpus.errors import CorpusError

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS doc (seq INTEGER PRIMARY KEY, path TEXT NOT NULL,
                                role TEXT NOT NULL, blob BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS doc_role ON doc (role, seq);
CREATE TABLE IF NOT EXISTS page (seq INTEGER PRIMARY KEY, path TEXT NOT NULL,
                                 url TEXT NOT NULL, html_lang TEXT NOT NULL,
                                 alternates TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS shard (seq INTEGER PRIMARY KEY);
CREATE TABLE IF NOT EXISTS feature (token TEXT NOT NULL, seq INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS feature_token ON feature (token);
CREATE TABLE IF NOT EXISTS probe (id INTEGER PRIMARY KEY, seq INTEGER NOT NULL,
                                  text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS row (seq INTEGER NOT NULL, n INTEGER NOT NULL,
                                blob BLOB NOT NULL, PRIMARY KEY (seq, n));
"""


# Rows pickled together, not one by one: a page of 100,000 rows (one huge line of text
# alternating Arabic and English) cost ~4 s to pickle and unpickle row by row, mostly
# per-call overhead and the page's path written into every row; a chunk writes it once.
ROW_CHUNK = 1000
# Part of every store's fingerprint: a store written in another layout is not resumed.
STORE_FORMAT = "rows-chunked-1"


def _pack(obj) -> bytes:
    return zlib.compress(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL), 1)


def _unpack(blob: bytes):
    return pickle.loads(zlib.decompress(blob))


class RunStore:
    """The store of one run. ``resume=False`` starts afresh (an old store is removed);
    ``resume=True`` keeps what an earlier run with the same ``fingerprint`` stored."""

    def __init__(self, path: str | Path, fingerprint: str, *, resume: bool = False):
        self.path = Path(path)
        if not resume and self.path.exists():
            self.path.unlink()
        for suffix in ("-wal", "-shm"):
            side = self.path.with_name(self.path.name + suffix)
            if not resume and side.exists():
                side.unlink()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise CorpusError(f"cannot use the run store: {exc}", path=str(self.path)) from exc
        fingerprint = f"{fingerprint}|{STORE_FORMAT}"
        old = self.get("fingerprint")
        if old is None:
            self.set("fingerprint", fingerprint)
        elif old != fingerprint:
            raise CorpusError("--resume: the stored run had other inputs or settings",
                              path=str(self.path),
                              hint="run again without --resume to start afresh")

    # meta
    def get(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def set(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # documents
    def shard_done(self, seq: int) -> bool:
        return self.db.execute("SELECT 1 FROM shard WHERE seq = ?", (seq,)).fetchone() is not None

    def put_shard(self, seq: int, docs: Iterable[tuple[int, str, str, object,
                                                       Iterable[str], Iterable[str]]]) -> None:
        """Store the documents of shard ``seq`` at once: (doc seq, path, role, prepared,
        evidence tokens, probe sentences) each."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for doc_seq, path, role, prepared, tokens, probe in docs:
                self.db.execute("INSERT OR REPLACE INTO doc (seq, path, role, blob) "
                                "VALUES (?, ?, ?, ?)", (doc_seq, path, role, _pack(prepared)))
                doc = getattr(prepared, "doc", None)
                if doc is not None:
                    self.db.execute("INSERT OR REPLACE INTO page (seq, path, url, html_lang, "
                                    "alternates) VALUES (?, ?, ?, ?, ?)",
                                    (doc_seq, doc.path, doc.url, doc.html_lang,
                                     json.dumps([list(a) for a in doc.alternates])))
                self.db.executemany("INSERT INTO feature (token, seq) VALUES (?, ?)",
                                    [(t, doc_seq) for t in sorted(set(tokens))])
                self.db.executemany("INSERT INTO probe (seq, text) VALUES (?, ?)",
                                    [(doc_seq, t) for t in probe])
            self.db.execute("INSERT INTO shard (seq) VALUES (?)", (seq,))
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def paths(self) -> Iterator[tuple[int, str]]:
        yield from self.db.execute("SELECT seq, path FROM doc ORDER BY seq")

    def count(self, role: str | None = None) -> int:
        if role is None:
            return self.db.execute("SELECT COUNT(*) FROM doc").fetchone()[0]
        return self.db.execute("SELECT COUNT(*) FROM doc WHERE role = ?", (role,)).fetchone()[0]

    def docs(self, roles: tuple[str, ...] = (), seqs: Iterable[int] | None = None
             ) -> Iterator[tuple[int, object]]:
        """(seq, prepared) of the documents with one of ``roles`` or in ``seqs``, by seq."""
        if seqs is not None:
            for seq in sorted(set(seqs)):
                row = self.db.execute("SELECT blob FROM doc WHERE seq = ?", (seq,)).fetchone()
                if row is not None:
                    yield seq, _unpack(row[0])
            return
        marks = ",".join("?" * len(roles))
        for seq, blob in self.db.execute(f"SELECT seq, blob FROM doc WHERE role IN ({marks}) "
                                         f"ORDER BY seq", roles):
            yield seq, _unpack(blob)

    def metadata(self) -> Iterator[tuple[int, object]]:
        """(seq, document without its text) of every document: what link finding needs."""
        from corpus.types import Document

        for seq, path, url, lang, alternates in self.db.execute(
                "SELECT seq, path, url, html_lang, alternates FROM page ORDER BY seq"):
            yield seq, Document(path=path, text="", encoding="", lines=(), url=url,
                                html_lang=lang,
                                alternates=tuple(tuple(a) for a in json.loads(alternates)))

    # cheap evidence
    def sharing(self, tokens: Iterable[str]) -> tuple[dict[str, int], dict[int, list[str]]]:
        """(document frequency of each token, seq -> the tokens it shares)."""
        tokens = sorted(set(tokens))
        df: dict[str, int] = {}
        shared: dict[int, list[str]] = {}
        for lo in range(0, len(tokens), 500):
            chunk = tokens[lo:lo + 500]
            marks = ",".join("?" * len(chunk))
            for token, seq in self.db.execute(f"SELECT token, seq FROM feature WHERE token IN "
                                              f"({marks}) ORDER BY seq, token", chunk):
                df[token] = df.get(token, 0) + 1
                shared.setdefault(seq, []).append(token)
        return df, shared

    def probes(self, batch: int = 2048) -> Iterator[list[tuple[int, str]]]:
        last = -1
        while True:
            rows = self.db.execute("SELECT id, seq, text FROM probe WHERE id > ? ORDER BY id "
                                   "LIMIT ?", (last, batch)).fetchall()
            if not rows:
                return
            yield [(seq, text) for _, seq, text in rows]
            last = rows[-1][0]

    # rows
    def clear_rows(self) -> None:
        self.db.execute("DELETE FROM row")

    def put_rows(self, seq: int, rows: Iterable[object]) -> None:
        """The final rows of page ``seq``, in page order."""
        rows = list(rows)
        self.db.execute("BEGIN IMMEDIATE")
        self.db.executemany("INSERT OR REPLACE INTO row (seq, n, blob) VALUES (?, ?, ?)",
                            ((seq, n, _pack(rows[lo:lo + ROW_CHUNK]))
                             for n, lo in enumerate(range(0, len(rows), ROW_CHUNK))))
        self.db.execute("COMMIT")

    def rows(self) -> Iterator[object]:
        """Every stored row, in input order."""
        for (blob,) in self.db.execute("SELECT blob FROM row ORDER BY seq, n"):
            yield from _unpack(blob)

    def close(self, remove: bool = False) -> None:
        self.db.close()
        if remove:
            for p in (self.path, self.path.with_name(self.path.name + "-wal"),
                      self.path.with_name(self.path.name + "-shm")):
                if p.exists():
                    p.unlink()
