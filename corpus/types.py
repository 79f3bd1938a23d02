"""The small frozen dataclasses that flow between pipeline stages.

Offsets are always character offsets into ``Document.text`` (the decoded file), end exclusive,
so the raw text of anything found is ``document.text[start:end]``. Line numbers are 1-based.
A *ref* is the human-readable form of a span, ``line:char-line:char`` with 1-based lines and
0-based character columns (end exclusive), see ``Document.ref``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Literal

Lang = Literal["ar", "en", "other"]
# body: a paragraph; title: a headline; date/byline/boilerplate: metadata, never aligned;
# inline: a run of one script inside a line of another language (an Arabic URL slug in an
# English footnote) that is not text of its own.
Kind = Literal["body", "title", "date", "byline", "boilerplate", "inline"]
Origin = Literal["aligned", "mt", "untranslated"]

# progress(done, total): the library reports progress through this, never by printing.
ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class Line:
    number: int  # 1-based
    start: int  # offset of the first character in Document.text
    end: int  # offset just past the last character, line break excluded


@dataclass(frozen=True)
class Document:
    path: str
    text: str
    encoding: str  # the codec the bytes were decoded with, e.g. "utf-8", "utf-8-sig", "cp1256"
    lines: tuple[Line, ...]
    source_format: str = "txt"  # "txt" or "html": for html, text is the extracted text
    # What the page says about itself, when it says it (HTML, WARC, JSONL); empty otherwise.
    # url: the page's address (a WARC record's target URI, a JSONL "url", the HTML canonical
    # link); html_lang: <html lang>; alternates: (hreflang, absolute href) of each
    # <link rel="alternate" hreflang>; origin: what the spans point into when it is not the
    # file itself (e.g. "warc:crawl.warc.gz@1234" for a WARC record at byte offset 1234).
    url: str = ""
    html_lang: str = ""
    alternates: tuple[tuple[str, str], ...] = ()
    origin: str = ""

    def line(self, number: int) -> Line:
        return self.lines[number - 1]

    def line_text(self, number: int) -> str:
        ln = self.lines[number - 1]
        return self.text[ln.start:ln.end]

    @cached_property
    def _line_starts(self) -> list[int]:
        # cached_property writes to __dict__ directly, which a frozen dataclass allows
        return [ln.start for ln in self.lines]

    def line_at(self, offset: int) -> Line:
        """The line holding character ``offset`` (an end offset belongs to the line it ends)."""
        i = bisect.bisect_right(self._line_starts, offset) - 1
        return self.lines[max(0, i)]

    def position(self, offset: int) -> tuple[int, int]:
        """(1-based line, 0-based column) of a character offset."""
        ln = self.line_at(offset)
        return ln.number, offset - ln.start

    def ref(self, start: int, end: int) -> str:
        """``line:char-line:char`` for the span [start, end)."""
        l1, c1 = self.position(start)
        l2, c2 = self.position(end)
        return f"{l1}:{c1}-{l2}:{c2}"


@dataclass(frozen=True)
class Piece:
    """A labelled stretch of one line: the whole line, or one script run of a mixed line."""

    line: int  # 1-based line number
    start: int  # offsets into Document.text
    end: int
    lang: Lang
    kind: Kind
    mixed: bool = False  # True when this is one part of a line holding both languages


@dataclass(frozen=True)
class Section:
    """Consecutive lines of one language and one role (the body of an article, say)."""

    doc: str  # Document.path
    lang: Lang
    kind: Kind
    pieces: tuple[Piece, ...]

    @property
    def start_line(self) -> int:
        return self.pieces[0].line

    @property
    def end_line(self) -> int:
        return self.pieces[-1].line

    @property
    def start(self) -> int:
        return self.pieces[0].start

    @property
    def end(self) -> int:
        return self.pieces[-1].end


@dataclass(frozen=True)
class Sentence:
    """One sentence with its span; ``text`` is the raw slice, ``paragraph`` counts pieces."""

    text: str
    start: int
    end: int
    lang: Lang
    paragraph: int = 0  # index of the piece (line) it comes from within its section


@dataclass(frozen=True)
class Bead:
    """One step of a sentence alignment: Arabic sentence indices against English ones.

    ``ar=(3,)``, ``en=()`` is a 1-0 bead (Arabic with no English).
    """

    ar: tuple[int, ...]
    en: tuple[int, ...]
    score: float  # higher is better; 0.0 for insertions/deletions

    @property
    def shape(self) -> str:
        return f"{len(self.ar)}-{len(self.en)}"


@dataclass(frozen=True)
class Pair:
    """One output row. For ``untranslated`` rows ``en`` is empty and ``reason`` says why."""

    ar: str
    en: str
    origin: Origin
    doc: str
    ar_ref: str
    en_ref: str = ""
    score: float | None = None
    reason: str = ""
    en_doc: str = ""  # the file the English came from when it is not ``doc``
    # how the English document was found: "same-page", "hreflang", "url", "content",
    # "mixed-line"; empty for rows without English
    found_by: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)
