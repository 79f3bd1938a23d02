"""Stage 1: read documents (plain text and HTML) from files, directories and globs.

Every document keeps its provenance: the path, the encoding the bytes were decoded with, and
for each line its 1-based number and its character offsets into ``Document.text``.

Decoding is done on purpose, in this order, and a few bad bytes cost those bytes, not the
page:

1. a byte-order mark decides (UTF-8, UTF-16, UTF-32); undecodable units become U+FFFD;
2. a file with many NUL or control bytes (and no BOM) is binary and skipped; a few NULs are
   replaced;
3. strict UTF-8; else, when nearly all high bytes form UTF-8 sequences, UTF-8 line by line:
   bad bytes become U+FFFD, a line that is plainly cp1256 Arabic is read as cp1256;
4. an HTML ``<meta charset>`` declaration, when the bytes bear it out (not when it turns
   Arabic bytes into runs of Latin letters, or does not decode);
5. charset-normalizer, restricted to the legacy code pages Arabic and English pages really use
   (cp1256, ISO-8859-6, cp1252). Guessing among every code page on a short Arabic text picks
   nonsense (Cyrillic, Hebrew) far too often. A file nothing fits is read line by line (3).

Then Arabic mojibake (UTF-8 once read as Latin-1/cp1252/cp1256 and saved again) is repaired
where certain. HTML is parsed with an HTML5 parser (lexbor), a flat tag stripper for absurdly
deep markup. Whatever was replaced, overruled, repaired or could not be kept is a
:class:`ReadWarning` (file and first line) in ``ReadReport.warnings`` and the log.

A file that cannot be read or decoded (missing, not a regular file, binary) is skipped with a
warning that names it, reported to the ``on_skip`` callback and counted in a
:class:`ReadReport`; one bad file never stops the run, and no read can block.
"""

from __future__ import annotations

import codecs
import contextlib
import contextvars
import glob
import logging
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from corpus.errors import DecodeError, InputError
from corpus.sources import is_source_file, read_source
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

# Arabic-script letters (as corpus.detect counts them), for the checks on decoded text
_ARABIC_LETTERS = ("\u0620-\u063F\u0641-\u064A\u066E-\u06D3\u06D5\u06EE\u06EF\u06FA-\u06FC"
                   "\u06FF\u0750-\u077F\u08A0-\u08C9\uFB50-\uFDFB\uFE70-\uFEFC")
_ARABIC_LETTER = re.compile(f"[{_ARABIC_LETTERS}]")

# on_skip(path, reason)
SkipCallback = Callable[[str, str], None]


@dataclass(frozen=True)
class SkippedFile:
    path: str
    reason: str


@dataclass(frozen=True)
class ReadWarning:
    """Something read only in part or read differently from what it says (bad bytes
    replaced, a wrong declared charset overruled, text the HTML parser could not keep)."""

    path: str
    message: str
    line: int | None = None  # the first line concerned, when known

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"


def warn(warning: ReadWarning, warnings: list[ReadWarning] | None) -> None:
    """Log ``warning`` (the CLI prints it as ``warning: FILE:LINE: ...``) and keep it in
    ``warnings`` for the run summary: the one way every reading road reports a loss."""
    log.warning("%s", warning)
    if warnings is not None:
        warnings.append(warning)


@dataclass
class ReadReport:
    """What ``read_documents`` read, what it skipped and what it read only in part (for the
    run summary)."""

    read: int = 0
    skipped: list[SkippedFile] = field(default_factory=list)
    warnings: list[ReadWarning] = field(default_factory=list)

    @property
    def skipped_count(self) -> int:
        return len(self.skipped)

    @property
    def partial_count(self) -> int:
        """Files read only in part or read differently from what they say (with warnings)."""
        return len({w.path for w in self.warnings})


# --------------------------------------------------------------------------------------------
# paths


def expand_paths(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    """Files named by ``paths``: files as given (any extension), directories searched
    recursively for .txt and .html/.htm files (sorted), globs expanded to such files (sorted).
    Duplicates are dropped, order kept.

    What cannot be read is not dropped here but listed, so that reading skips it with its
    reason and counts it: a named path that exists but is no regular file (a FIFO, a device,
    a broken symbolic link), such entries with a readable suffix found in a directory, and
    a subdirectory that cannot be listed.

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
                if not os.access(p, os.R_OK | os.X_OK):
                    raise InputError("directory cannot be read: permission denied",
                                     path=str(p))
                raise InputError("directory holds no .txt or .html files", path=str(p),
                                 hint="give the files themselves or another directory")
            found.extend(files)
        elif p.is_file() or os.path.lexists(p):
            found.append(p)  # not a regular file (FIFO, device, broken link): read skips it
        elif _GLOB_CHARS.search(str(raw)):
            files = []
            for m in sorted(Path(m) for m in glob.glob(str(raw), recursive=True)):
                if m.is_dir():
                    files.extend(_files_under(m))
                elif m.suffix.lower() in READABLE_SUFFIXES or is_source_file(m):
                    files.append(m)
            if not files:
                raise InputError("pattern matches no .txt or .html files", path=str(raw))
            found.extend(files)
        else:
            raise InputError("no such file or directory", path=str(raw))
    seen: set[Path] = set()
    unique = []
    for f in found:
        try:
            key = f.resolve()
        except (OSError, RuntimeError):  # a symlink loop
            key = f.absolute()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def _files_under(directory: Path) -> list[Path]:
    """Files with a readable suffix below ``directory``, sorted; hidden folders (.git, ...)
    are skipped. Entries that are not regular files (FIFOs, broken links) and subdirectories
    that cannot be listed are included, so that reading reports them; symbolic links to
    folders are followed once (a link loop is not a hang)."""
    out: list[Path] = []
    unreadable: list[Path] = []
    visited: set[tuple[int, int]] = set()

    def onerror(exc: OSError) -> None:
        if exc.filename is not None:
            unreadable.append(Path(exc.filename))

    for root, dirs, names in os.walk(directory, onerror=onerror, followlinks=True):
        try:
            st = os.stat(root)
            if (st.st_dev, st.st_ino) in visited:
                dirs[:] = []
                continue
            visited.add((st.st_dev, st.st_ino))
        except OSError:
            pass
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if (Path(name).suffix.lower() in READABLE_SUFFIXES
                    or is_source_file(name, in_directory=True)):
                out.append(Path(root) / name)
        # os.walk lists a broken symlink (or a link to a folder it cannot enter) among dirs
        # only when it points at a folder; a broken link always lands in names
    out.extend(d for d in unreadable if d != directory)
    return sorted(out)


# --------------------------------------------------------------------------------------------
# decoding


def decode_bytes(data: bytes, *, path: str = "<bytes>", html: bool = False,
                 warnings: list[ReadWarning] | None = None) -> tuple[str, str]:
    """(text, encoding) for ``data``; raises DecodeError when it is binary or undecodable.

    A few bad bytes cost those bytes, not the text: invalid UTF-8 sequences and NUL bytes in
    an otherwise good page are replaced by U+FFFD, and a line of cp1256 Arabic inside a UTF-8
    file is read as cp1256. A declared charset that turns Arabic bytes into Latin letters is
    overruled, and Arabic UTF-8 that was once read as Latin-1/cp1252/cp1256 and saved again
    (``Ø§Ù„...``) is repaired where the repair is certain. Each of these is logged as a warning
    naming the file and the first line concerned, and appended to ``warnings``.
    """
    notes: list[tuple[int | None, str]] = []
    text, encoding = _decode(data, path, html, notes)
    text = _repair_mojibake(text, notes)
    for line, message in notes:
        warn(ReadWarning(path, message, line), warnings)
    return text, encoding


def _decode(data: bytes, path: str, html: bool,
            notes: list[tuple[int | None, str]]) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data.decode(encoding, errors="replace")
            bad = text.count("\ufffd")
            if bad > max(MAX_BAD_SHARE * len(text), 1):
                raise DecodeError(f"starts with a {encoding} byte-order mark but does not "
                                  f"decode as {encoding}", path=path)
            if bad:
                lines = _fffd_lines(text)
                notes.append((lines[0], f"{bad} undecodable {encoding} sequence(s) replaced "
                                        f"by U+FFFD on {_lines_phrase(lines)}"))
            return text, encoding
    nuls = data.count(b"\x00")
    if (nuls > max(MAX_BAD_SHARE * len(data), 2)
            or len(_CONTROL_BYTES.findall(data, 0, 65536)) > 0.05 * min(len(data), 65536)):
        raise DecodeError("looks binary (holds NUL bytes)", path=path,
                          hint="only .txt and .html text files are read")
    if not nuls:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    if _mostly_utf8(data):
        return _decode_damaged_utf8(data, notes), "utf-8"
    if nuls:
        notes.append((_byte_line(data, data.index(b"\x00")),
                      f"{nuls} NUL byte(s) replaced by U+FFFD"))
        data = data.replace(b"\x00", b"\x1a")  # SUB: one byte that every code page decodes
    declared = None
    if html:
        m = _META_CHARSET.search(data[:4096])
        if m:
            try:
                declared = codecs.lookup(m.group(1).decode("ascii", "replace")).name
            except LookupError:
                notes.append((None, f"unknown declared charset {m.group(1)!r} ignored"))
    text, encoding = _decode_legacy(data, path, declared, notes)
    return (text.replace("\x1a", "\ufffd") if nuls else text), encoding


# More bad bytes (or NULs) than this share of the file: it is not text with a few bad bytes.
MAX_BAD_SHARE = 0.01
_UTF8_SEQ = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}"
                       rb"|[\xf0-\xf4][\x80-\xbf]{3}")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")  # not \t \n \v \f \r ESC
_BYTE_LINE = re.compile(rb"\r\n|\n|\r")


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few bad bytes, or with a few lines of cp1256 pasted in (not a file in a
    legacy code page): nearly all high bytes outside the cp1256 lines form valid UTF-8
    sequences. cp1256 Arabic read as UTF-8 forms almost none."""
    high = len(_HIGH_BYTE.findall(data))
    if not high:
        return True  # ASCII with NULs
    in_seqs = sum(len(m) for m in _UTF8_SEQ.findall(data))
    bad = high - in_seqs
    if bad <= MAX_BAD_SHARE * len(data) and in_seqs >= 4 * bad:
        return True
    if in_seqs < 6:
        return False
    # lines of cp1256 Arabic inside a UTF-8 file (files pasted together) do not count as bad
    good = unrescued = 0
    for line in _BYTE_LINE.split(data):
        n = len(_HIGH_BYTE.findall(line))
        if not n:
            continue
        try:
            line.decode("utf-8")
            good += n
        except UnicodeDecodeError:
            if _cp1256_line(line) is None:
                unrescued += n - sum(len(m) for m in _UTF8_SEQ.findall(line))
    return good >= 6 and unrescued <= MAX_BAD_SHARE * len(data) and good >= 4 * unrescued


def _decode_damaged_utf8(data: bytes, notes: list[tuple[int | None, str]]) -> str:
    """UTF-8, line by line: a line that does not decode is read as cp1256 when it is a whole
    line of Arabic in that code page (files pasted together), otherwise its bad bytes (and
    NULs) are replaced by U+FFFD."""
    parts = []
    replaced_lines: list[int] = []
    replaced = 0
    cp1256_lines: list[int] = []
    start = 0
    number = 1
    pieces = []
    for m in _BYTE_LINE.finditer(data):
        pieces.append((data[start:m.start()], data[m.start():m.end()]))
        start = m.end()
    pieces.append((data[start:], b""))
    for line, end in pieces:
        try:
            if b"\x00" in line:
                raise UnicodeDecodeError("utf-8", line, 0, 1, "NUL")
            parts.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            rescued = _cp1256_line(line)
            if rescued is not None:
                parts.append(rescued)
                cp1256_lines.append(number)
            else:
                text = line.replace(b"\x00", b"\xff").decode("utf-8", errors="replace")
                replaced += text.count("\ufffd") - line.count(b"\xef\xbf\xbd")
                parts.append(text)
                replaced_lines.append(number)
        parts.append(end.decode("ascii"))
        number += 1
    if replaced_lines:
        notes.append((replaced_lines[0], f"{replaced} undecodable byte(s) or NUL(s) replaced "
                                         f"by U+FFFD on {_lines_phrase(replaced_lines)}"))
    if cp1256_lines:
        notes.append((cp1256_lines[0], f"{_lines_phrase(cp1256_lines)} of this UTF-8 file "
                                       f"read as cp1256 (Arabic in a legacy code page)"))
    return "".join(parts)


def _cp1256_line(line: bytes) -> str | None:
    """The line read as cp1256 when it plainly is cp1256 Arabic: most of its high bytes form
    no UTF-8 sequence (a few may, by chance: ``ر،`` is D1 A1), and read as cp1256 they come
    out as Arabic letters."""
    if b"\x00" in line:
        return None
    high = len(_HIGH_BYTE.findall(line))
    if high < 3 or sum(len(m) for m in _UTF8_SEQ.findall(line)) > 0.5 * high:
        return None
    try:
        text = line.decode("cp1256")
    except UnicodeDecodeError:
        return None
    return text if _count_arabic(text) >= 0.8 * high else None


def _decode_legacy(data: bytes, path: str, declared: str | None,
                   notes: list[tuple[int | None, str]]) -> tuple[str, str]:
    """Bytes that are not UTF-8: the declared charset when the bytes bear it out, otherwise
    charset-normalizer's choice among the code pages Arabic and English pages use."""
    from charset_normalizer import from_bytes

    if declared in ("utf-8", "utf-16", "utf-32"):
        best = from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
        if best is not None:
            encoding = codecs.lookup(best.encoding).name
            notes.append((None, f"declared charset {declared} does not fit the bytes (not "
                                f"decodable); read as {encoding}"))
        declared = None
    if declared is not None:
        text: str | None
        try:
            text = data.decode(declared)
        except UnicodeDecodeError:
            text = None
        if text is not None and not _arabic_misread(data, text):
            return text, declared
        best = from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
        arabic_cp = _arabic_reading(data, codecs.lookup(best.encoding).name if best else None)
        if arabic_cp is None:
            if text is None:
                text = data.decode(declared, errors="replace")
                notes.append((None, f"bytes invalid in the declared charset {declared} "
                                    f"replaced by U+FFFD"))
            return text, declared
        why = "not decodable" if text is None else "Arabic letters come out as Latin ones"
        notes.append((None, f"declared charset {declared} does not fit the bytes ({why}); "
                            f"read as {arabic_cp}"))
        return data.decode(arabic_cp), arabic_cp

    best = from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
    if best is None:
        # nothing fits the whole file (UTF-8 and cp1256 pasted together, or damaged beyond
        # the share above): read it line by line rather than lose it
        text = _decode_damaged_utf8(data, notes)
        notes.insert(0, (None, "fits no single encoding (UTF-8, UTF-16, cp1256, ISO-8859-6, "
                               "cp1252): read line by line as UTF-8, cp1256 where a line is "
                               "plainly cp1256 Arabic"))
        return text, "utf-8"
    encoding = codecs.lookup(best.encoding).name
    text = data.decode(encoding)
    if encoding not in _ARABIC_CODE_PAGES and _arabic_misread(data, text):
        better = _arabic_reading(data, None)
        if better is not None:
            notes.append((None, f"charset detection chose {encoding}, which turns Arabic "
                                f"letters into Latin ones; read as {better}"))
            return data.decode(better), better
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


_ARABIC_CODE_PAGES = frozenset({"cp1256", "iso8859-6", "cp720", "cp864", "mac-arabic"})
# A run of three or more Latin-1 letters/signs with no ASCII letter: how Arabic in cp1256 or
# ISO-8859-6 looks when read as Latin-1/cp1252 (``ÇáÑÞÉ``). French, German or Spanish words
# mix their accented letters with ASCII ones.
_LATIN1_RUN = re.compile("[\u00AA-\u00FF\u0152\u0153\u0160\u0161\u0178\u017D\u017E\u0192]{3,}")


def _arabic_misread(data: bytes, text: str) -> bool:
    """True when ``text`` (the bytes read in a Latin code page) shows the bytes are Arabic in
    an Arabic code page: most of its non-ASCII characters sit in runs without ASCII letters,
    and read as cp1256 the same bytes come out as Arabic letters."""
    high = len(_HIGH_BYTE.findall(data))
    if high < 3 or _count_arabic(text) >= 0.5 * high:
        return False
    in_runs = sum(len(m) for m in _LATIN1_RUN.findall(text))
    if in_runs < 0.5 * high:
        return False
    return any(_count_arabic(data.decode(cp, errors="replace")) >= 0.6 * high
               for cp in ("cp1256", "iso8859-6"))


def _arabic_reading(data: bytes, suggested: str | None) -> str | None:
    """The Arabic code page the bytes read best in (cp1256 or ISO-8859-6), or None when
    neither turns most high bytes into Arabic letters."""
    high = len(_HIGH_BYTE.findall(data)) or 1
    options = []
    for cp in ("cp1256", "iso8859-6"):
        try:
            text = data.decode(cp)
        except UnicodeDecodeError:
            continue
        # fewer stray Latin-1 letters inside Arabic words is the better reading (see above)
        options.append((-_count_arabic(text) + 4 * _count_latin1_letters(text), cp != suggested,
                        cp, text))
    if not options:
        return None
    options.sort()
    _, _, cp, text = options[0]
    return cp if _count_arabic(text) >= 0.6 * high else None


_LATIN1_LETTER = re.compile("[\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u00FF]")
# a Latin-1 letter (U+00C0-00FF) touching an Arabic letter (U+0621-064A): a misdecoding
_LATIN1_IN_ARABIC = re.compile("[\u0621-\u064A][\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u00FF]"
                               "|[\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u00FF][\u0621-\u064A]")


def _count_latin1_letters(text: str) -> int:
    return len(_LATIN1_LETTER.findall(text))


def _count_arabic(text: str) -> int:
    return len(_ARABIC_LETTER.findall(text))


def _control_ratio(text: str) -> float:
    sample = text[:4096]
    if not sample:
        return 0.0
    bad = sum(1 for c in sample if c < " " and c not in "\t\n\r\x0c")
    return bad / len(sample)


def _fffd_lines(text: str) -> list[int]:
    lines: list[int] = []
    number, pos = 1, 0
    for m in re.finditer("\ufffd", text):
        number += len(_LINE_BREAK.findall(text, pos, m.start()))
        pos = m.start()
        if not lines or lines[-1] != number:
            lines.append(number)
    return lines


def _byte_line(data: bytes, offset: int) -> int:
    return 1 + len(_BYTE_LINE.findall(data, 0, offset))


def _lines_phrase(lines: list[int], most: int = 5) -> str:
    shown = ", ".join(str(n) for n in lines[:most])
    more = f" and {len(lines) - most} more" if len(lines) > most else ""
    return f"line{'s' if len(lines) > 1 else ''} {shown}{more}"


# --- mojibake --------------------------------------------------------------------------------
# Arabic UTF-8 read in a single-byte code page and saved again: each Arabic letter (two UTF-8
# bytes, the first 0xD8-0xDB, the second 0x80-0xBF) became two characters of that code page.
# The repair maps the characters back to their bytes and decodes those as UTF-8; it is done
# only where it is certain: runs of two such pairs or more that decode strictly to Arabic.


def _mojibake_table(codecs_: tuple[str, ...]) -> tuple[dict[str, int], str, str]:
    to_byte: dict[str, int] = {}
    for cp in codecs_:
        for b in range(0x80, 0x100):
            try:
                ch = bytes([b]).decode(cp)
            except UnicodeDecodeError:
                continue
            to_byte.setdefault(ch, b)
    lead = "".join(ch for ch, b in to_byte.items() if 0xD8 <= b <= 0xDB)
    cont = "".join(ch for ch, b in to_byte.items() if 0x80 <= b <= 0xBF)
    return to_byte, re.escape(lead), re.escape(cont)


def _mojibake_pattern(codecs_: tuple[str, ...]) -> tuple[dict[str, int], re.Pattern,
                                                         re.Pattern]:
    to_byte, lead, cont = _mojibake_table(codecs_)
    return (to_byte, re.compile(f"(?:[{lead}][{cont}]){{2,}}"),
            re.compile(f"(?:[{lead}][{cont}])+"))


_MOJIBAKE = (_mojibake_pattern(("cp1252", "latin-1")), _mojibake_pattern(("cp1256",)))
# Cheap pre-tests (substring search at C speed): Arabic mojibake from Latin-1/cp1252 always
# holds Ø or Ù (the lead bytes D8, D9); from cp1256, alef (D8 A7) reads "ط§" and lam (D9 84)
# "ظ„", and an Arabic text without either is rare.
_MOJIBAKE_HINTS = (("\u00D8", "\u00D9"), ("\u0637\u00A7", "\u0638\u201E"))


def _unmojibake(run: str, to_byte: dict[str, int]) -> str | None:
    try:
        out = bytes(to_byte[ch] for ch in run).decode("utf-8")
    except UnicodeDecodeError:
        return None
    return out if all("\u0600" <= ch <= "\u06FF" for ch in out) else None


def _repair_mojibake(text: str, notes: list[tuple[int | None, str]]) -> str:
    """Repair, line by line: a line with a run of two letters' worth or more that decodes
    strictly to Arabic is mojibake; then its one-letter runs (``و``, ``،`` between spaces)
    are repaired too."""
    # nearly every page has no mojibake: pre-tests, then one pass over the whole text
    if not any(any(h in text for h in hints)
               and any(_unmojibake(m.group(), to_byte) is not None for m in sure.finditer(text))
               for (to_byte, sure, _), hints in zip(_MOJIBAKE, _MOJIBAKE_HINTS)):
        return text
    repaired: list[int] = []
    parts = _LINE_BREAK.split(text)
    breaks = _LINE_BREAK.findall(text)
    for i, line in enumerate(parts):
        for (to_byte, sure, any_run), hints in zip(_MOJIBAKE, _MOJIBAKE_HINTS):
            if not any(h in line for h in hints):
                continue
            if not any(_unmojibake(m.group(), to_byte) is not None
                       for m in sure.finditer(line)):
                continue
            line = any_run.sub(lambda m, tb=to_byte: _unmojibake(m.group(), tb) or m.group(),
                               line)
            if not repaired or repaired[-1] != i + 1:
                repaired.append(i + 1)
        parts[i] = line
    if not repaired:
        return text
    notes.append((repaired[0], f"Arabic mis-decoded as Latin-1/cp1252/cp1256 (mojibake such "
                               f"as \u00D8\u00A7\u00D9\u201E) repaired on "
                               f"{_lines_phrase(repaired)}"))
    out = [parts[0]]
    for br, part in zip(breaks, parts[1:]):
        out.append(br)
        out.append(part)
    return "".join(out)


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
    scripts/styles/comments are dropped. The <title> (inside <head>) is the first line.

    Parsed with lexbor (through selectolax), an HTML5 parser: it builds the tree a browser
    builds, with no depth limit, and mends misnested markup the way browsers do (300
    paragraphs each opening an unclosed ``<font>`` keep all their text, where libxml2 stops
    at 255 levels of nesting and drops the rest). When the text kept falls short of the
    letters the markup shows, the loss is reported (see :func:`read_document`)."""
    sink = _HTML_LOSS.get()
    depth = _depth_estimate(html)
    if depth > HTML_MAX_DEPTH:
        # An HTML5 parser checks the stack of open elements at every block start tag, so
        # its cost grows with the square of the depth (100,000 nested <div>: minutes).
        # Such markup has no layout worth keeping: strip the tags in one pass instead.
        text = _flat_html_to_text(html)
        if sink is not None:
            sink.append(f"markup nested about {depth} deep: read with a flat tag stripper "
                        f"(text kept, line breaks approximate)")
    else:
        text = _html_to_text(html)
    if sink is not None:
        seen = visible_letter_estimate(html)
        kept = _count_letters(text)
        if seen and kept < HTML_KEEP_SHARE * seen - HTML_KEEP_SLACK:
            sink.append(f"HTML extraction kept {kept} of the ~{seen} letters the markup "
                        f"shows; the page is read in part")
    return text


# Deeper markup than this (by the estimate below) is read by the flat tag stripper.
HTML_MAX_DEPTH = 4000
_START_OR_END_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*?(/?)>")
# Elements that never hold content, or whose end tag may be left out (the parser closes
# them itself), do not deepen the tree.
_NO_DEPTH = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup",
    "rb", "rt", "rp", "rtc", "thead", "tbody", "tfoot", "colgroup", "caption", "html", "head",
    "body",
    # formatting elements: an unclosed one is mended by the parser's adoption agency, at no
    # cost in depth
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong",
    "tt", "u",
})


def _depth_estimate(html: str) -> int:
    """The deepest nesting of container elements in ``html``, counted from its tags in one
    pass (an upper bound of the depth of the tree a parser builds)."""
    depth = deepest = 0
    for m in _START_OR_END_TAG.finditer(html):
        name = m.group(2).lower()
        if name in _NO_DEPTH or m.group(3):
            continue
        if m.group(1):
            depth = max(depth - 1, 0)
        else:
            depth += 1
            if depth > deepest:
                deepest = depth
    return deepest


_BLOCK_OR_BR_TAG = re.compile(
    r"</?(?:%s|br)\b[^>]*>" % "|".join(sorted(_HTML_BLOCK - {"html", "body"})), re.I)
_HEAD = re.compile(r"<head\b.*?(?:</head\s*>|(?=<body\b)|$)", re.S | re.I)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.S | re.I)


def _flat_html_to_text(html: str) -> str:
    """Text of a page without building a tree: comments, the head (but its <title>) and
    elements never shown removed, block tags and <br> made line breaks, other tags removed,
    entities decoded. Linear in the size of the page."""
    import html as htmllib

    parts: list[str] = []
    m = _TITLE.search(html, 0, 65536)
    if m and m.group(1).strip():
        parts.append(_SPACES.sub(" ", htmllib.unescape(_TAG.sub("", m.group(1)))))
    body = _DROPPED_ELEMENT.sub(" ", _HEAD.sub(" ", _COMMENT.sub(" ", html), count=1))
    body = _TAG.sub("", _BLOCK_OR_BR_TAG.sub("\n", body))
    parts.append(htmllib.unescape(body))
    lines = [ln for ln in (_SPACES.sub(" ", x).strip() for x in "\n".join(parts).split("\n"))
             if ln]
    return "\n".join(lines) + "\n" if lines else ""


def _html_to_text(html: str) -> str:
    from selectolax.lexbor import LexborHTMLParser

    if not html.strip():
        return ""
    # lexbor reads NUL as a parse error and drops it; a lone surrogate cannot be handed to C
    html = _SURROGATE.sub("\ufffd", html)
    tree = LexborHTMLParser(html)
    root = tree.root
    if root is None:
        return ""
    parts: list[str] = []
    head = tree.head
    title = head.css_first("title") if head is not None else None
    if title is not None:
        title_text = title.text(deep=True) or ""
        if title_text.strip():
            parts.extend((_SPACES.sub(" ", title_text), "\n"))

    def flat(text: str, in_pre: bool) -> str:
        # inside <pre> a source line break is a line break; elsewhere it is a space
        return _LINE_BREAK.sub("\n", text) if in_pre else _SPACES.sub(" ", text)

    def line_is_empty() -> bool:
        for part in reversed(parts):
            if "\n" in part:
                return not part.rpartition("\n")[2].strip()
            if part.strip():
                return False
        return True

    # Iterative walk (a deeply nested page would overflow a recursive one). Each entry:
    # (node, closing?, inside <pre>?, a line ends after it?).
    stack: list[tuple[Any, bool, bool, bool]] = [(root, False, False, False)]  # selectolax nodes
    push = stack.append
    while stack:
        node, closing, in_pre, ends_line = stack.pop()
        tag = node.tag
        if closing:
            if ends_line or tag in _HTML_BLOCK:
                parts.append("\n")
            continue
        if tag == "-text":
            text = node.text_content
            if text:
                parts.append(flat(text, in_pre))
            continue
        if tag == "br":
            parts.append("\n")
            continue
        if tag in _HTML_DROP or tag.startswith(("-", "_", "!")):
            continue  # dropped elements, comments, the doctype
        if tag in _HTML_BLOCK:
            parts.append("\n")
        # A link to a place on the same page that opens its line ("return to reference",
        # "↑", a footnote's number before the note) is the page's own navigation, not the
        # first words of the sentence after it: it ends its line. An in-page link inside
        # running text ("... specified in Section 2(b) ...") stays where it is.
        ends_line = (tag == "a" and (node.attributes.get("href") or "").startswith("#")
                     and line_is_empty())
        push((node, True, in_pre, ends_line))
        inner_pre = in_pre or tag == "pre"
        children = []
        child = node.child
        while child is not None:
            children.append(child)
            child = child.next
        for child in reversed(children):
            push((child, False, inner_pre, False))
    # every "\n" now is a block boundary, a <br> or a line of a <pre>
    lines = [ln for ln in (_SPACES.sub(" ", x).strip() for x in "".join(parts).split("\n")) if ln]
    return "\n".join(lines) + "\n" if lines else ""


# The extracted text must keep at least this share of the letters the markup shows (less a
# small slack for text an HTML5 parser rightly moves or drops, e.g. stray text in a <select>).
HTML_KEEP_SHARE = 0.9
HTML_KEEP_SLACK = 40
_SURROGATE = re.compile("[\ud800-\udfff]")
# runs of letters (Latin, Arabic script)
_LETTER_RUN = re.compile(f"[A-Za-z\u00C0-\u024F{_ARABIC_LETTERS}]+")
_TAG = re.compile(r"<[A-Za-z/!?][^>]*>?")
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
_DROPPED_ELEMENT = re.compile(
    r"<(script|style|noscript|template|svg|canvas|iframe|object)\b[^>]*>.*?(?:</\1\s*>|$)",
    re.S | re.I)
# set by read_document while it reads one HTML file: where html_to_text reports a loss
_HTML_LOSS: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "corpus_read_html_loss", default=None)


def _count_letters(text: str) -> int:
    # summed over runs: a findall of single letters built a page's worth of one-letter
    # strings and took 2.5x as long
    return sum(map(len, _LETTER_RUN.findall(text)))


def visible_letter_estimate(html: str) -> int:
    """Letters (Latin, Arabic script) a reader of the page could see, estimated without a
    parser: comments and the elements never shown (scripts, styles, ...) removed, every tag
    removed, entities decoded. The yardstick for what extraction must keep."""
    import html as htmllib

    text = _DROPPED_ELEMENT.sub(" ", _COMMENT.sub(" ", html))
    return _count_letters(htmllib.unescape(_TAG.sub(" ", text)))


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


def read_document(path: str | Path, *, report: ReadReport | None = None) -> Document:
    """Read one file. Raises InputError (missing, not a regular file, unreadable) or
    DecodeError (binary, undecodable). What was read only in part (bad bytes replaced, text
    the HTML parser could not keep) is logged as a warning naming the file and added to
    ``report.warnings``.

    Never blocks: only a regular file is opened, and it is opened non-blocking, so a FIFO or
    device that takes the file's place between the check and the open is refused too."""
    p = Path(path)
    name = str(path)
    data = _read_regular_file(p, name)
    is_html = p.suffix.lower() in HTML_SUFFIXES
    warnings = report.warnings if report is not None else None
    text, encoding = decode_bytes(data, path=name, html=is_html, warnings=warnings)
    if _control_ratio(text) > 0.05:
        raise DecodeError("looks binary (many control characters)", path=name,
                          hint="only .txt and .html text files are read")
    if not is_html:
        return document_from_text(text, path=name, encoding=encoding)
    with html_warnings(name, warnings):
        doc = document_from_html(text, path=name, encoding=encoding)
    return doc


def report_html_loss(message: str) -> bool:
    """Add ``message`` to the warnings of the page being read, when a reader collects them
    (inside :func:`html_warnings` or :func:`collected_html_warnings`); False otherwise."""
    sink = _HTML_LOSS.get()
    if sink is None:
        return False
    sink.append(message)
    return True


@contextlib.contextmanager
def collected_html_warnings() -> Iterator[list[str]]:
    """Within this block, what reading HTML loses is collected in the list it gives, not
    logged: for a page read where nobody sees the log (a worker process, a Dask worker);
    the caller reports the messages where the run's warnings are counted."""
    messages: list[str] = []
    token = _HTML_LOSS.set(messages)
    try:
        yield messages
    finally:
        _HTML_LOSS.reset(token)


@contextlib.contextmanager
def html_warnings(path: str, warnings: list[ReadWarning] | None = None) -> Iterator[None]:
    """Within this block, what :func:`html_to_text` could not keep (text lost by the parser,
    markup too deep for it) is logged as a warning naming ``path`` and appended to
    ``warnings``. For every road from markup to a Document (files here; WARC records and
    JSONL fields in corpus.sources): ``with html_warnings(name, report.warnings): ...``."""
    with collected_html_warnings() as messages:
        try:
            yield
        finally:
            for message in messages:
                warn(ReadWarning(path, message), warnings)


def non_regular_reason(path: Path) -> str | None:
    """Why ``path`` is not a regular file that can be read (None when it is one): a broken
    symbolic link, a FIFO, a socket, a device, a directory, or no such file."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return "broken symbolic link" if os.path.islink(path) else "no such file"
    except PermissionError:
        return "permission denied"
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    return _mode_reason(st.st_mode)


def _mode_reason(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a directory"
    if stat.S_ISFIFO(mode):
        return "is a FIFO (named pipe), not a regular file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file"
    return "is not a regular file"


def _read_regular_file(p: Path, name: str) -> bytes:
    reason = non_regular_reason(p)
    if reason == "is a directory":
        if not os.access(p, os.R_OK | os.X_OK):
            raise InputError("directory cannot be read (permission denied): the files in it "
                             "are not read", path=name)
        raise InputError("is a directory", path=name,
                         hint="pass it to read_documents to read the files inside")
    if reason is not None:
        raise InputError(reason, path=name)
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError as exc:
        raise InputError("no such file", path=name) from exc
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or exc}", path=name) from exc
    try:
        reason = _mode_reason(os.fstat(fd).st_mode)  # it may have changed since the check
        if reason is not None:
            raise InputError(reason, path=name)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read()
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or exc}", path=name) from exc
    finally:
        os.close(fd)


def signature() -> str:
    """How pages were read, for the output signature: the HTML text walk (version 2: an
    in-page link that opens its line ends it) and the main-content extractor's version,
    since both decide which lines reach the later stages."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        extractor = f"trafilatura-{version('trafilatura')}"
    except PackageNotFoundError:  # pragma: no cover - a dependency of the package
        extractor = "none"
    return f"read:html2+{extractor}"


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
                   report: ReadReport | None = None,
                   defer_html: bool = False) -> Iterator[Any]:
    """Documents from files, directories (recursive, sorted) and globs, one at a time.

    The paths are checked before anything is read (a missing path raises InputError at once).
    A file that cannot be read or decoded is skipped: logged as a warning naming it, passed to
    ``on_skip(path, reason)`` and added to ``report.skipped``. ``defer_html``: HTML pages
    read from WARC/JSONL/.gz come as :class:`corpus.sources.HtmlPage` (decoded, not yet
    extracted), so that extraction runs where the next stage runs.
    """
    files = expand_paths(paths)
    return _iter_documents(files, on_skip, report, defer_html)


def _iter_documents(files: list[Path], on_skip: SkipCallback | None,
                    report: ReadReport | None, defer_html: bool = False) -> Iterator[Any]:
    for f in files:
        # WARC, JSONL, .gz (see corpus.sources); only a regular file: a FIFO named
        # crawl.warc would block its open, read_document below refuses it with its reason
        if is_source_file(f) and f.is_file():
            yield from read_source(f, on_skip, report, defer_html=defer_html)
            continue
        try:
            doc = read_document(f, report=report)
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
