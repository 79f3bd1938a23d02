"""Crawl inputs: WARC / WARC.gz archives, JSONL exports, and ``.gz`` of any supported file.

Each container yields ordinary :class:`~corpus.types.Document` objects, so everything after
reading is the same as for ``.txt`` and ``.html`` files. HTML found in a container takes the
one road from markup to text, :func:`corpus.read.document_from_html`.

What a document's spans point into
----------------------------------
Offsets and ``line:char`` refs always index ``Document.text``: for a plain ``.txt`` file that
is the file itself; for HTML it is the *extracted text*, not the markup. ``Document.origin``
says where that text came from, so a reader can rebuild it with :func:`open_origin`:

- ``warc:FILE@OFFSET``: the response record that starts at byte ``OFFSET`` of ``FILE``
  (for ``.warc.gz`` the offset of its gzip member, as crawlers and CDX indexes give it);
  ``Document.path`` and ``Document.url`` are the record's ``WARC-Target-URI``;
- ``jsonl:FILE:LINE``: the ``text`` (as it is) or ``html`` (extracted) field of line ``LINE``
  (1-based) of ``FILE``; ``Document.path`` is the line's ``url`` (``FILE:LINE`` without one);
- ``gz:FILE``: the decompressed content of ``FILE`` (a ``.txt.gz`` or ``.html.gz``).

``open_origin(origin).text[start:end]`` is the span's raw text, and ``Document.ref`` turns
offsets into the ``ar_ref``/``en_ref`` columns written to the corpus. From a corpus row,
which names the document by its id (``doc``, ``en_doc``: the URL),
``find_document(container, doc_id)`` reads the same document back.

Bad records (a broken gzip member, a line that is not JSON, a page that does not decode) are
skipped: one warning each naming the file and the offset or line, added to the
:class:`~corpus.read.ReadReport`; one bad record never stops the run.

Directories are searched for WARC files and ``.txt.gz``/``.html.gz``/``.htm.gz`` files as
well as ``.txt``/``.html``; JSONL files are read when named (directly or by a glob), since a
directory of bench data often holds ``.jsonl`` files that are not pages (``gold.jsonl``).
"""

from __future__ import annotations

import codecs
import gzip
import json
import logging
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from corpus.errors import CorpusError, InputError
from corpus.types import Document

log = logging.getLogger(__name__)

# Name endings (lower-case) of each container; a file is matched on its whole name, so
# ``crawl.warc.gz`` is a WARC file, not a ``.gz`` of something else.
WARC_ENDINGS = (".warc", ".warc.gz")
JSONL_ENDINGS = (".jsonl", ".jsonl.gz")
GZIP_ENDINGS = (".txt.gz", ".html.gz", ".htm.gz")
# what a directory search picks up besides .txt/.html (JSONL only when named: see above)
DIRECTORY_ENDINGS = WARC_ENDINGS + GZIP_ENDINGS
SOURCE_ENDINGS = WARC_ENDINGS + JSONL_ENDINGS + GZIP_ENDINGS

# HTTP content types read from WARC response records; everything else (images, scripts,
# PDFs) is not a page and is counted, not warned about.
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})

# on_bad(where, reason): where is "FILE@OFFSET" or "FILE:LINE"
BadRecord = Callable[[str, str], None]


def _ending(path: Path, endings: tuple[str, ...]) -> bool:
    name = path.name.lower()
    return any(name.endswith(e) for e in endings)


def is_source_file(path: str | Path, *, in_directory: bool = False) -> bool:
    """True for a file this module reads (WARC, JSONL, .gz of a page); with
    ``in_directory``, only the kinds a directory search picks up."""
    return _ending(Path(path), DIRECTORY_ENDINGS if in_directory else SOURCE_ENDINGS)


def iter_source(path: str | Path, on_bad: BadRecord, *, defer_html: bool = False,
                on_partial: BadRecord | None = None) -> Iterator:
    """Documents of one container file, in file order. ``on_bad(where, reason)`` is called
    for each record that cannot be read (the caller warns and counts). Raises InputError
    only when the file itself cannot be opened. ``defer_html``: yield HTML pages as
    :class:`HtmlPage` (decoded, not yet extracted) instead of Documents."""
    p = Path(path)
    if _ending(p, WARC_ENDINGS):
        yield from _warc_documents(p, on_bad, defer_html, on_partial)
    elif _ending(p, JSONL_ENDINGS):
        yield from _jsonl_documents(p, on_bad, defer_html)
    elif _ending(p, GZIP_ENDINGS):
        doc = _gzip_document(p, on_bad, defer_html)
        if doc is not None:
            yield doc
    else:
        raise InputError("not a WARC, JSONL or .gz page file", path=str(p))


def read_source(path: Path, on_skip, report, *, defer_html: bool = False) -> Iterator:
    """:func:`iter_source` as :func:`corpus.read.read_documents` uses it: each bad record
    (or the whole file, when it cannot be opened) is logged as one warning naming the file
    and offset or line, added to ``report.skipped`` and passed to ``on_skip``."""
    from corpus.read import SkippedFile

    def bad(where: str, reason: str) -> None:
        log.warning("skipped %s: %s", where, reason)
        if report is not None:
            report.skipped.append(SkippedFile(where, reason))
        if on_skip is not None:
            on_skip(where, reason)

    def partial(where: str, reason: str) -> None:
        from corpus.read import ReadWarning, warn

        warn(ReadWarning(where, reason), report.warnings if report is not None else None)

    try:
        for doc in iter_source(path, bad, defer_html=defer_html, on_partial=partial):
            if report is not None:
                report.read += 1
            yield doc
    except InputError as exc:
        bad(str(path), exc.message)


# --------------------------------------------------------------------------------------------
# decoding helpers


def _decode_html(data: bytes, declared: str | None, where: str) -> tuple[str, str]:
    """Bytes of a page whose HTTP header may declare a charset: valid UTF-8 wins (a wrong
    ``charset=iso-8859-1`` header on UTF-8 pages is common, the reverse accident almost never
    happens), then the declared charset if it decodes strictly, then the reader's own order
    (BOM, <meta charset>, legacy code pages)."""
    from corpus.read import decode_bytes

    if declared and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE,
                                         codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
        try:
            name = codecs.lookup(declared).name
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            log.debug("%s: declared charset %s does not decode it", where, declared)
    return decode_bytes(data, path=where, html=True)


# --------------------------------------------------------------------------------------------
# WARC


def _need_fastwarc() -> None:
    try:
        import fastwarc  # noqa: F401
    except ImportError as exc:
        from corpus.errors import MissingDependencyError
        raise MissingDependencyError("reading WARC files needs fastwarc",
                                     hint="pip install fastwarc") from exc


def _open_warc(path: Path, offset: int = 0):
    """A raw file handle at ``offset``, wrapped in fastwarc's gzip reader for .warc.gz
    (each record is its own gzip member, so reading may start at any member)."""
    _need_fastwarc()
    from fastwarc.stream_io import GzipReader

    fh = open(path, "rb")
    fh.seek(offset)
    return (GzipReader(fh) if path.name.lower().endswith(".gz") else fh), fh


def _warc_documents(path: Path, on_bad: BadRecord, defer: bool = False,
                    on_cut: BadRecord | None = None) -> Iterator:
    _need_fastwarc()
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    # given the file name, fastwarc detects the compression itself and reports each
    # record's offset in the file (through a reader we wrap ourselves it does not)
    try:
        with open(path, "rb"):
            pass
        # auto_decode: undo chunked transfer and gzip/deflate/brotli content encodings,
        # which crawlers store as the server sent them
        archive = ArchiveIterator(str(path), record_types=WarcRecordType.response,
                                  parse_http=True, auto_decode="all")
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or exc}", path=str(path)) from exc
    seen: set[str] = set()
    not_html = 0
    offset = 0
    records = iter(archive)
    while True:
        try:
            record = next(records)
        except StopIteration:
            break
        except (OSError, ValueError) as exc:  # a broken member ends what can be read
            on_bad(f"{path}@{offset}", f"unreadable WARC data after this offset ({exc})")
            break
        offset = record.stream_pos
        where = f"{path}@{offset}"
        content_type = (record.http_content_type or "").lower()
        if content_type not in HTML_TYPES:
            not_html += 1
            record.consume()
            continue
        try:
            body = record.reader.read()
        except (OSError, ValueError) as exc:
            on_bad(where, f"record body cannot be read ({exc})")
            continue
        url = record.headers.get("WARC-Target-URI") or ""
        doc_id = url or where
        if doc_id in seen:  # a revisit or a re-crawl: the first copy stands
            on_bad(where, f"repeats the record of {doc_id} read earlier in the file")
            continue
        seen.add(doc_id)
        try:
            text, encoding = _decode_html(body, record.http_charset, where)
        except CorpusError as exc:
            on_bad(where, exc.message)
            continue
        yield _html_document(text, doc_id, encoding, url, f"warc:{path}@{offset}", defer)
    if not_html:
        log.info("%s: %d response records that are not HTML left out", path, not_html)
    if on_cut is not None and _cut_short(path, offset):
        on_cut(f"{path}@{offset}", "the archive ends inside this record (the file is cut "
               "short): the records before it are read, this one may be incomplete")


def _cut_short(path: Path, offset: int) -> bool:
    """True when a .warc.gz ends inside a gzip member at or after ``offset`` (the last
    record read): fastwarc stops there without a word, with the last record cut. Only the
    tail from the last record's member on is decompressed, so this costs one record."""
    try:
        with open(path, "rb") as fh:
            if fh.read(2) != b"\x1f\x8b":
                return False  # an uncompressed WARC: fastwarc reports short records itself
            fh.seek(offset)
            inflate, fed = zlib.decompressobj(16 + zlib.MAX_WBITS), False
            while chunk := fh.read(1 << 16):
                while chunk:
                    inflate.decompress(chunk)
                    fed = True
                    if not inflate.eof:
                        break
                    # that member ended; the next one (if any) starts in what is left
                    chunk = inflate.unused_data
                    inflate, fed = zlib.decompressobj(16 + zlib.MAX_WBITS), False
            return fed and not inflate.eof
    except (OSError, zlib.error):
        return True


@dataclass(frozen=True)
class HtmlPage:
    """A decoded HTML page not yet turned into text: what a reader hands on with
    ``defer_html`` so that extraction (the costly part of reading HTML) runs wherever the
    next stage runs, e.g. on a worker. :meth:`document` is the one road to a Document."""

    html: str
    path: str
    encoding: str
    url: str
    origin: str

    def document(self) -> Document:
        from corpus.read import document_from_html

        return document_from_html(self.html, path=self.path, encoding=self.encoding,
                                  url=self.url, origin=self.origin)


def _html_document(text: str, path: str, encoding: str, url: str, origin: str,
                   defer: bool = False):
    page = HtmlPage(text, path, encoding, url, origin)
    return page if defer else page.document()


# --------------------------------------------------------------------------------------------
# JSONL


def _jsonl_lines(path: Path) -> Iterator[bytes]:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as fh:
        yield from fh


def _jsonl_documents(path: Path, on_bad: BadRecord, defer: bool = False) -> Iterator:
    seen: set[str] = set()
    try:
        for number, raw in enumerate(_jsonl_lines(path), 1):
            doc = _jsonl_document(path, number, raw, on_bad, defer)
            if doc is None:
                continue
            if doc.path in seen:
                on_bad(f"{path}:{number}", f"repeats the document {doc.path} read earlier in "
                                           f"the file")
                continue
            seen.add(doc.path)
            yield doc
    except (OSError, EOFError, zlib.error) as exc:
        on_bad(f"{path}", f"cannot be read to the end ({exc})")


def _jsonl_document(path: Path, number: int, raw: bytes, on_bad: BadRecord,
                    defer: bool = False):
    from corpus.read import document_from_text

    where = f"{path}:{number}"
    if not raw.strip():
        return None
    try:
        item = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        on_bad(where, f"not a JSON object in UTF-8 ({exc})")
        return None
    if not isinstance(item, dict):
        on_bad(where, "not a JSON object")
        return None
    url = item["url"] if isinstance(item.get("url"), str) else ""
    text, markup = item.get("text"), item.get("html")
    origin = f"jsonl:{path}:{number}"
    if isinstance(text, str):
        return _with(document_from_text(text, path=url or where), url, origin)
    if isinstance(markup, str):
        return _html_document(markup, url or where, "utf-8", url, origin, defer)
    on_bad(where, 'has neither a "text" nor an "html" string')
    return None


def _with(doc: Document, url: str, origin: str) -> Document:
    from dataclasses import replace

    return replace(doc, url=url, origin=origin)


# --------------------------------------------------------------------------------------------
# .gz of a page file


def _gzip_document(path: Path, on_bad: BadRecord, defer: bool = False):
    from corpus.read import HTML_SUFFIXES, decode_bytes, document_from_text

    try:
        with gzip.open(path, "rb") as fh:
            data = fh.read()
    except (OSError, EOFError, zlib.error) as exc:
        on_bad(str(path), f"cannot be decompressed ({exc})")
        return None
    inner = Path(path.name[:-3])
    is_html = inner.suffix.lower() in HTML_SUFFIXES
    try:
        text, encoding = decode_bytes(data, path=str(path), html=is_html)
    except CorpusError as exc:
        on_bad(str(path), exc.message)
        return None
    origin = f"gz:{path}"
    if is_html:
        return _html_document(text, str(path), encoding, "", origin, defer)
    return _with(document_from_text(text, path=str(path), encoding=encoding), "", origin)


# --------------------------------------------------------------------------------------------
# recovering the text a span points into


def open_origin(origin: str) -> Document:
    """The document an ``origin`` string names, read again from its container: its ``text``
    is what the spans of that document index. Raises InputError when the container or the
    record is gone."""
    from corpus.read import read_document

    kind, _, rest = origin.partition(":")
    if kind == "warc":
        file, _, offset = rest.rpartition("@")
        return _warc_record_at(Path(file), int(offset))
    if kind == "jsonl":
        file, _, line = rest.rpartition(":")
        try:
            for number, raw in enumerate(_jsonl_lines(Path(file)), 1):
                if number == int(line):
                    doc = _jsonl_document(Path(file), number, raw, _raise_bad)
                    if doc is not None:
                        return doc
                    break
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(f"cannot be read ({exc})", path=file) from exc
        raise InputError(f"line {line} holds no document", path=file)
    if kind == "gz":
        doc = _gzip_document(Path(rest), _raise_bad)
        assert doc is not None  # _raise_bad raised otherwise
        return doc
    return read_document(origin)


def find_document(path: str | Path, doc_id: str) -> Document:
    """The document ``doc_id`` (the ``doc``/``en_doc`` column of a corpus: a WARC record's
    URL, a JSONL line's ``url``) read again from the container ``path``. A WARC file is
    scanned by its record headers and only the matching record is extracted; with the
    document's ``origin`` at hand, :func:`open_origin` seeks to it directly."""
    p = Path(path)
    if _ending(p, WARC_ENDINGS):
        _need_fastwarc()
        from fastwarc.warc import ArchiveIterator, WarcRecordType

        for record in ArchiveIterator(str(p), record_types=WarcRecordType.response,
                                      parse_http=False):
            if (record.headers.get("WARC-Target-URI") or "") == doc_id \
                    or f"{p}@{record.stream_pos}" == doc_id:
                return _warc_record_at(p, record.stream_pos)
    elif _ending(p, JSONL_ENDINGS):
        for number, raw in enumerate(_jsonl_lines(p), 1):
            if doc_id.encode("utf-8") in raw or doc_id == f"{p}:{number}":
                doc = _jsonl_document(p, number, raw, _raise_bad)
                if doc is not None and doc.path == doc_id:
                    return doc
    elif str(p) == doc_id:
        return open_origin(f"gz:{p}") if _ending(p, GZIP_ENDINGS) else open_origin(str(p))
    raise InputError(f"holds no document {doc_id}", path=str(p))


def _raise_bad(where: str, reason: str) -> None:
    raise InputError(reason, path=where)


def _warc_record_at(path: Path, offset: int) -> Document:
    from fastwarc.warc import ArchiveIterator

    try:
        stream, fh = _open_warc(path, offset)
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or exc}", path=str(path)) from exc
    try:
        record = next(iter(ArchiveIterator(stream, parse_http=True, auto_decode="all")), None)
        if record is None:
            raise InputError(f"no WARC record at offset {offset}", path=str(path))
        url = record.headers.get("WARC-Target-URI") or ""
        where = f"{path}@{offset}"
        text, encoding = _decode_html(record.reader.read(), record.http_charset, where)
        return _html_document(text, url or where, encoding, url, f"warc:{path}@{offset}")
    finally:
        fh.close()
