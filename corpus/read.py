"""Stage 1: read documents (plain text and HTML) from files, directories and globs.

Every document keeps its provenance: the path, the encoding the bytes were decoded with, and
for each line its 1-based number and its character offsets into ``Document.text``.

Decoding is done on purpose, in this order:

1. a byte-order mark decides (UTF-8, UTF-16, UTF-32);
2. a file with NUL bytes (and no UTF-16/32 BOM) is binary and skipped;
3. strict UTF-8;
4. an HTML ``<meta charset>`` declaration, if it decodes strictly;
5. charset-normalizer, restricted to the legacy code pages Arabic and English pages really use
   (cp1256, ISO-8859-6, cp1252). Guessing among every code page on a short Arabic text picks
   nonsense (Cyrillic, Hebrew) far too often.

A file that cannot be read or decoded is skipped with a warning that names it, reported to the
``on_skip`` callback and counted in a :class:`ReadReport`; one bad file never stops the run.
"""

from __future__ import annotations

import codecs
import glob
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from corpus.errors import DecodeError, InputError
from corpus.types import Document, Line

log = logging.getLogger(__name__)

TEXT_SUFFIXES = frozenset({".txt"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
READABLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES

# Legacy code pages charset-normalizer may choose from when the bytes are not UTF-8.
LEGACY_ENCODINGS = ("cp1256", "iso8859_6", "cp1252")

# BOMs, longest first (the UTF-32-LE BOM starts with the UTF-16-LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# A line ends at \r\n, \n or \r; nothing else (str.splitlines also breaks at U+2028, \x0c, ...,
# which would make our line numbers disagree with every editor and with the gold).
_LINE_BREAK = re.compile(r"\r\n|\n|\r")
_GLOB_CHARS = re.compile(r"[*?\[]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)

# on_skip(path, reason)
SkipCallback = Callable[[str, str], None]


@dataclass(frozen=True)
class SkippedFile:
    path: str
    reason: str


@dataclass
class ReadReport:
    """What ``read_documents`` read and what it skipped (for the run summary)."""

    read: int = 0
    skipped: list[SkippedFile] = field(default_factory=list)

    @property
    def skipped_count(self) -> int:
        return len(self.skipped)


# --------------------------------------------------------------------------------------------
# paths


def expand_paths(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    """Files named by ``paths``: files as given (any extension), directories searched
    recursively for .txt and .html/.htm files (sorted), globs expanded to such files (sorted).
    Duplicates are dropped, order kept.

    Raises InputError for a path that does not exist, a glob that matches nothing, or a
    directory without readable files.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    found: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files = _files_under(p)
            if not files:
                raise InputError("directory holds no .txt or .html files", path=str(p),
                                 hint="give the files themselves or another directory")
            found.extend(files)
        elif p.is_file():
            found.append(p)
        elif _GLOB_CHARS.search(str(raw)):
            files = []
            for m in sorted(Path(m) for m in glob.glob(str(raw), recursive=True)):
                if m.is_dir():
                    files.extend(_files_under(m))
                elif m.is_file() and m.suffix.lower() in READABLE_SUFFIXES:
                    files.append(m)
            if not files:
                raise InputError("pattern matches no .txt or .html files", path=str(raw))
            found.extend(files)
        else:
            raise InputError("no such file or directory", path=str(raw))
    seen: set[Path] = set()
    unique = []
    for f in found:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def _files_under(directory: Path) -> list[Path]:
    """Readable files below ``directory``, sorted; hidden folders (.git, ...) are skipped."""
    return sorted(f for f in directory.rglob("*")
                  if f.suffix.lower() in READABLE_SUFFIXES and f.is_file()
                  and not any(part.startswith(".")
                              for part in f.relative_to(directory).parts[:-1]))


# --------------------------------------------------------------------------------------------
# decoding


def decode_bytes(data: bytes, *, path: str = "<bytes>", html: bool = False) -> tuple[str, str]:
    """(text, encoding) for ``data``; raises DecodeError when it is binary or undecodable."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise DecodeError(f"starts with a {encoding} byte-order mark but does not "
                                  f"decode as {encoding}: {exc.reason}", path=path) from exc
    if b"\x00" in data:
        raise DecodeError("looks binary (holds NUL bytes)", path=path,
                          hint="only .txt and .html text files are read")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if html:
        m = _META_CHARSET.search(data[:4096])
        if m:
            declared = m.group(1).decode("ascii", "replace")
            try:
                name = codecs.lookup(declared).name
                return data.decode(name), name
            except (LookupError, UnicodeDecodeError):
                log.debug("%s: declared charset %s does not decode it", path, declared)
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
    if best is None:
        raise DecodeError("cannot be decoded as UTF-8, UTF-16, cp1256, ISO-8859-6 or cp1252",
                          path=path, hint="convert it to UTF-8 (e.g. with iconv)")
    encoding = codecs.lookup(best.encoding).name
    text = data.decode(encoding)
    if encoding != "iso8859-6" and _LATIN1_IN_ARABIC.search(text):
        # On a short text charset-normalizer may take ISO-8859-6 Arabic for cp1256: decoded
        # that way its letters past 0xDF come out as Latin-1 letters (à â ç è é ...) inside
        # Arabic words. ISO-8859-6 has no such letters, so if it decodes the bytes strictly
        # and leaves fewer of them, it is the better reading.
        try:
            alt = data.decode("iso8859-6")
        except UnicodeDecodeError:
            alt = None
        if alt is not None and _count_latin1_letters(alt) < _count_latin1_letters(text):
            return alt, "iso8859-6"
    return text, encoding


_LATIN1_LETTER = re.compile("[\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u00FF]")
# a Latin-1 letter (U+00C0-00FF) touching an Arabic letter (U+0621-064A): a misdecoding
_LATIN1_IN_ARABIC = re.compile("[\u0621-\u064A][\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u00FF]"
                               "|[\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u00FF][\u0621-\u064A]")


def _count_latin1_letters(text: str) -> int:
    return len(_LATIN1_LETTER.findall(text))


def _control_ratio(text: str) -> float:
    sample = text[:4096]
    if not sample:
        return 0.0
    bad = sum(1 for c in sample if c < " " and c not in "\t\n\r\x0c")
    return bad / len(sample)


# --------------------------------------------------------------------------------------------
# HTML

# Elements whose content is never page text.
_HTML_DROP = frozenset({"script", "style", "noscript", "template", "meta", "link", "iframe",
                        "object", "embed", "svg", "canvas", "head"})
# Elements that start and end a line.
_HTML_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
    "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend",
    "li", "main", "menu", "nav", "ol", "option", "p", "pre", "section", "summary", "table",
    "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul",
})
_SPACES = re.compile(r"[ \t\n\r\f\v]+")


def html_to_text(html: str) -> str:
    """Visible text of an HTML page: block elements, <br> and the lines of a <pre> become
    lines, runs of whitespace inside a line collapse to one space, empty lines are dropped,
    scripts/styles/comments are dropped. The <title> (inside <head>) is the first line."""
    import lxml.html
    from lxml import etree

    if not html.strip():
        return ""
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError):
        return ""
    parts: list[str] = []
    title = root.find(".//head/title")
    if title is not None and title.text_content().strip():
        parts.extend((_SPACES.sub(" ", title.text_content()), "\n"))

    def flat(text: str, in_pre: bool) -> str:
        # inside <pre> a source line break is a line break; elsewhere it is a space
        return _LINE_BREAK.sub("\n", text) if in_pre else _SPACES.sub(" ", text)

    # Iterative walk (a deeply nested page would overflow a recursive one). Each entry:
    # (element, closing?, inside <pre>? — the context of the element's tail).
    stack: list[tuple[object, bool, bool]] = [(root, False, False)]
    while stack:
        el, closing, in_pre = stack.pop()
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if closing:
            if tag in _HTML_BLOCK:
                parts.append("\n")
            if el.tail:
                parts.append(flat(el.tail, in_pre))
            continue
        if tag in _HTML_DROP or not tag or tag == "br":
            if tag == "br":
                parts.append("\n")
            if el.tail:
                parts.append(flat(el.tail, in_pre))
            continue
        if tag in _HTML_BLOCK:
            parts.append("\n")
        inner_pre = in_pre or tag == "pre"
        if el.text:
            parts.append(flat(el.text, inner_pre))
        stack.append((el, True, in_pre))
        for child in reversed(el):
            stack.append((child, False, inner_pre))
    # every "\n" now is a block boundary, a <br> or a line of a <pre>
    lines = [ln for ln in (_SPACES.sub(" ", x).strip() for x in "".join(parts).split("\n")) if ln]
    return "\n".join(lines) + "\n" if lines else ""


# --------------------------------------------------------------------------------------------
# documents


def split_lines(text: str) -> tuple[Line, ...]:
    """Lines of ``text`` with offsets, line breaks excluded; a final line break ends the last
    line rather than starting an empty one (as `wc -l` and editors count)."""
    lines = []
    start = 0
    number = 0
    for m in _LINE_BREAK.finditer(text):
        number += 1
        lines.append(Line(number, start, m.start()))
        start = m.end()
    if start < len(text):
        lines.append(Line(number + 1, start, len(text)))
    return tuple(lines)


def document_from_text(text: str, *, path: str = "<text>", encoding: str = "utf-8",
                       source_format: str = "txt") -> Document:
    """A Document from text already in memory (handy for tests and for other stages)."""
    return Document(path=path, text=text, encoding=encoding, lines=split_lines(text),
                    source_format=source_format)


def read_document(path: str | Path) -> Document:
    """Read one file. Raises InputError (missing, unreadable) or DecodeError (binary,
    undecodable)."""
    p = Path(path)
    name = str(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError as exc:
        raise InputError("no such file", path=name) from exc
    except IsADirectoryError as exc:
        raise InputError("is a directory", path=name,
                         hint="pass it to read_documents to read the files inside") from exc
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or exc}", path=name) from exc
    is_html = p.suffix.lower() in HTML_SUFFIXES
    text, encoding = decode_bytes(data, path=name, html=is_html)
    if _control_ratio(text) > 0.05:
        raise DecodeError("looks binary (many control characters)", path=name,
                          hint="only .txt and .html text files are read")
    if is_html:
        return document_from_html(text, path=name, encoding=encoding)
    return document_from_text(text, path=name, encoding=encoding)


def document_from_html(html: str, *, path: str = "<html>", encoding: str = "utf-8",
                       url: str = "", origin: str = "") -> Document:
    """A Document from decoded HTML: the one road from markup to text, used for HTML files,
    WARC records and JSONL ``html`` fields alike. The text is the page's main content
    (:mod:`corpus.extract`; every visible line when extraction fails); ``url``,
    ``html_lang`` and ``alternates`` are what the page says about itself. ``url``: the
    page's address when the container knows it (a WARC record's target URI); ``origin``:
    what the spans point into."""
    from dataclasses import replace

    from corpus.extract import extract_for_document

    text, meta = extract_for_document(html, path=path, url=url)
    doc = document_from_text(text, path=path, encoding=encoding, source_format="html")
    return replace(doc, url=meta.url, html_lang=meta.html_lang, alternates=meta.alternates,
                   origin=origin)


def read_documents(paths: str | Path | Iterable[str | Path], *,
                   on_skip: SkipCallback | None = None,
                   report: ReadReport | None = None) -> Iterator[Document]:
    """Documents from files, directories (recursive, sorted) and globs, one at a time.

    The paths are checked before anything is read (a missing path raises InputError at once).
    A file that cannot be read or decoded is skipped: logged as a warning naming it, passed to
    ``on_skip(path, reason)`` and added to ``report.skipped``.
    """
    files = expand_paths(paths)
    return _iter_documents(files, on_skip, report)


def _iter_documents(files: list[Path], on_skip: SkipCallback | None,
                    report: ReadReport | None) -> Iterator[Document]:
    for f in files:
        try:
            doc = read_document(f)
        except InputError as exc:  # DecodeError included
            reason = exc.message + (f" ({exc.hint})" if exc.hint else "")
            log.warning("skipped %s: %s", f, reason)
            if report is not None:
                report.skipped.append(SkippedFile(str(f), reason))
            if on_skip is not None:
                on_skip(str(f), reason)
            continue
        if report is not None:
            report.read += 1
        yield doc
