"""Main content of an HTML page, and what the page says about itself.

Entry point: :func:`extract`. A real web page is mostly furniture: a header, "Skip to
content", menus, a list of ~50 languages by their own names, footers, newsletter and
donation boxes. Aligned, that furniture gives junk rows ("Skip to content" against
"Donate"), and an Arabic page's English menu passes for its translation. So only the page's
main content becomes the Document's text.

How: :func:`corpus.read.html_to_text` gives every visible line of the page (block elements,
``<br>``, lines of a ``<pre>``), in order. A maintained boilerplate extractor (trafilatura,
chosen by measurement, see ``scripts/bench_site.py`` and ``docs/benchmarks/site.md``) says
which text is main content; the lines of ``html_to_text`` whose words it kept, in the same
order, are the main content. The text is therefore still made of the page's own lines
(spans point into it, line structure is kept), not of the extractor's re-flowed output.

The extractor may drop more than furniture. When it fails, keeps nothing, or keeps too
little of a page that has prose (a page made only of paragraphs, say), the whole visible text
is used instead, and the :class:`Extraction` says so (``method="full"``, ``warning``).
Every line left out is counted, and lines left out that read like prose (many words, a
sentence end) are counted apart as ``dropped_prose``: the reader warns about them.

The page's own metadata is read here too: the canonical URL (or the ``hreflang`` entry that
points at the page itself), ``<html lang>``, and each ``<link rel="alternate" hreflang>``
with its href made absolute against the page's URL (see :mod:`corpus.links` for what they are
used for).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from urllib.parse import urljoin, urlsplit

log = logging.getLogger(__name__)

EXTRACTOR = "trafilatura"

# A page whose extraction keeps less than this share of its prose lines is taken whole: the
# extractor mistook the text itself for boilerplate (short pages of bare paragraphs).
MIN_PROSE_KEPT = 0.25
# A line "reads like prose" when it has at least this many words (menus, labels, language
# names and buttons are one to four words).
PROSE_WORDS = 8

# A dropped line that repeats a kept one word for word is kept too when it has this many
# words (a repeated headline; not a one-word menu item that also occurs in the text).
REPEAT_WORDS = 4

_ARABIC = re.compile("[\u0600-\u06ff]")
_WORD = re.compile(r"\w+", re.UNICODE)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class PageMeta:
    """What a page says about itself; empty strings / tuple when it does not say."""

    url: str = ""  # canonical link, else the hreflang entry for the page's own language
    html_lang: str = ""  # <html lang>, lowercased
    alternates: tuple[tuple[str, str], ...] = ()  # (hreflang lowercased, absolute href)


@dataclass(frozen=True)
class Extraction:
    text: str  # the main-content lines, "\n"-separated, ending in "\n" (or "")
    meta: PageMeta
    method: str  # "trafilatura" (main content) or "full" (every visible line)
    lines_total: int  # visible lines of the page
    lines_dropped: int  # of those, left out as boilerplate
    dropped_prose: int  # lines left out that read like prose (possible losses)
    # of those, lines in Arabic script outside the page's furniture containers: possible
    # losses of content (the reader warns about them)
    dropped_arabic: int = 0
    warning: str = ""  # why the whole text was used, when it was


def _lines(html: str) -> list[str]:
    from corpus.read import html_to_text

    return [ln for ln in html_to_text(html).split("\n") if ln]


_SENTENCE_END = re.compile(r"[.!?\u061f\u06d4:;\u2026][\"'\u201d\u2019)\]]*$")


def _is_prose(line: str) -> bool:
    """Many words and a sentence end: a paragraph, not a label, a menu item or a teaser."""
    return len(_WORD.findall(line)) >= PROSE_WORDS and bool(_SENTENCE_END.search(line.strip()))


def _main_text(html: str) -> str | None:
    """The extractor's main content (its own re-flowed text), None when it finds none."""
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    try:
        return trafilatura.extract(html, include_comments=False, include_tables=True,
                                   include_formatting=False, include_links=False,
                                   include_images=False, deduplicate=False,
                                   favor_recall=True, with_metadata=False)
    except Exception as exc:  # noqa: BLE001 - a third-party parser; we fall back, and say so
        log.debug("trafilatura failed: %s", exc)
        return None


def _kept_lines(lines: list[str], main: str) -> list[bool]:
    """For each visible line: did the extractor keep (most of) its words, in order?

    The words of all lines and of the extractor's text are matched as two sequences; a line
    is kept when at least half its words fall in matched runs. Matching in order (not by
    set membership) keeps a menu word that also occurs in the body ("Deed", "License")
    where it is: in the menu, left out."""
    words: list[str] = []
    owner: list[int] = []
    for k, ln in enumerate(lines):
        w = _WORD.findall(ln.lower())
        words.extend(w)
        owner.extend([k] * len(w))
    main_words = _WORD.findall(main.lower())
    hit = [0] * len(lines)
    for a, size in _matching_runs(words, main_words):
        for i in range(a, a + size):
            hit[owner[i]] += 1
    totals = [0] * len(lines)
    for k in owner:
        totals[k] += 1
    return [totals[k] > 0 and hit[k] * 2 >= totals[k] for k in range(len(lines))]


# Up to this many words on both sides, the page's words and the extractor's are matched in
# one piece; beyond, chunk by chunk (see _matching_runs).
MATCH_WHOLE_WORDS = 20_000
MATCH_CHUNK_WORDS = 500


def _matching_runs(words: list[str], main_words: list[str]) -> Iterator[tuple[int, int]]:
    """(start in ``words``, length) of the runs of ``words`` matched, in order, in
    ``main_words``. difflib's matching costs the product of the two lengths on repetitive
    text (a 5 MB page of repeated posts: minutes), so a long page is matched a chunk of its
    words at a time against the window of the extractor's words that can follow what matched
    so far: the extractor keeps the page's order and never adds words, so the window need
    be little longer than the chunk (three times it here). Cost: linear in the page."""
    if len(words) <= MATCH_WHOLE_WORDS and len(main_words) <= MATCH_WHOLE_WORDS:
        for a, _, size in _matching_blocks(words, main_words):
            yield a, size
        return
    pos = 0
    for start in range(0, len(words), MATCH_CHUNK_WORDS):
        chunk = words[start:start + MATCH_CHUNK_WORDS]
        window = main_words[pos:pos + 3 * MATCH_CHUNK_WORDS]
        used = 0
        for a, b, size in _matching_blocks(chunk, window):
            yield start + a, size
            used = b + size
        pos += used


def _matching_blocks(a: list[str], b: list[str]) -> list[tuple[int, int, int]]:
    """difflib's matching blocks of ``a`` in ``b`` (those of size > 0).

    When ``a`` is word for word the beginning of ``b`` (the extractor kept a whole stretch of
    the page: an article's body, chunk after chunk) the answer is one block, (0, 0, len(a)):
    difflib takes the longest match, of those the earliest in ``a``, then in ``b``, and no
    match is longer than ``a``. Said here without difflib's cost, which on repetitive text
    (a page of posts repeated) is far more than linear in the chunk."""
    if a and b[:len(a)] == a:
        return [(0, 0, len(a))]
    sm = SequenceMatcher(None, a, b, autojunk=False)
    return [block for block in sm.get_matching_blocks() if block[2]]


def extract(html: str, *, url: str = "") -> Extraction:
    """Main content and metadata of a page. ``url``: its address when the container knows
    it (a WARC target URI); relative hrefs resolve against it, or against the canonical."""
    root = _parse(html)
    meta = page_meta(html, url=url, root=root)
    lines = _lines(html)
    if not lines:
        return Extraction("", meta, "full", 0, 0, 0)
    main = _main_text(html)
    is_prose = [_is_prose(ln) for ln in lines]  # asked below up to three times a line
    prose = sum(is_prose)
    warning = ""
    whole = not main or not main.strip()
    if whole:
        keep = [True] * len(lines)
        if _has_furniture(root):
            warning = "the main-content extractor found no main content; the whole page is used"
        # else: a fragment or a page of bare text, with no menu, link or footer to leave out
    else:
        keep = _kept_lines(lines, main)
        heads = _headlines(root)
        restorable = _restorable(root)
        link_lines = _link_lines(lines, root)
        for k, ln in enumerate(lines):
            key = _SPACES.sub(" ", ln).strip()
            if key in heads:
                # extractors file the page's headline under metadata and leave it out of
                # the text; it is content (and its translation's headline is a pair)
                keep[k] = True
            elif keep[k] and link_lines[k]:
                # a line that is a link and nothing else (a table of contents, "more")
                # kept because its words recur in the text in the same order
                keep[k] = False
            elif not keep[k] and not link_lines[k] and restorable(ln):
                keep[k] = True
        # extractors keep one copy of a repeated paragraph; a headline the page repeats
        # above its body is content both times (the aligner knows repeats)
        kept_texts = {ln for ln, k in zip(lines, keep) if k}
        for k, ln in enumerate(lines):
            if (not keep[k] and not link_lines[k] and ln in kept_texts
                    and len(_WORD.findall(ln)) >= REPEAT_WORDS):
                keep[k] = True
        kept_prose = sum(1 for p, k in zip(is_prose, keep) if k and p)
        if prose and kept_prose < MIN_PROSE_KEPT * prose:
            warning = (f"the main-content extractor kept {kept_prose} of {prose} lines of "
                       f"prose; the whole page is used")
            keep = [True] * len(lines)
            whole = True
    method = "full" if whole else EXTRACTOR
    kept = [ln for ln, k in zip(lines, keep) if k]
    dropped_prose = sum(1 for p, k in zip(is_prose, keep) if not k and p)
    text = "\n".join(kept) + "\n" if kept else ""
    furniture = _furniture_text(root)
    dropped_arabic = sum(1 for ln, p, k in zip(lines, is_prose, keep)
                         if not k and p and _ARABIC.search(ln)
                         and _squash(ln) not in furniture)
    return Extraction(text, meta, method, len(lines), len(lines) - len(kept), dropped_prose,
                      dropped_arabic=dropped_arabic, warning=warning)


# --------------------------------------------------------------------------------------------
# metadata

_LANG_OK = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$|^x-default$")


def _norm_lang(value: str) -> str:
    value = value.strip().lower().replace("_", "-")
    return value if _LANG_OK.match(value) else ""


def _parse(html: str):
    import lxml.html
    from lxml import etree

    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(
            html.encode("utf-8"),
            parser=lxml.html.HTMLParser(encoding="utf-8", remove_comments=True))
    except (etree.ParserError, ValueError):
        return None


# Containers of site furniture: a heading inside one is the site's, not the page's (a logo
# in <h1>), unless it is also inside the page's <main> or <article>.
_FURNITURE = frozenset({"header", "nav", "footer", "aside", "form"})
_CONTENT = frozenset({"main", "article"})


_NO_SPACE = re.compile(r"\s+")
# Text of these is furniture wherever it stands: a link or a control (menus, "Skip to
# content", language lists, share and donate buttons are links and buttons).
_CONTROLS = ("a", "button", "option", "label", "select")


def _squash(text: str) -> str:
    return _NO_SPACE.sub("", text)


def _link_lines(lines: list[str], root) -> list[bool]:
    """For each line: is it the text of a link or control and nothing else?

    A text may be both a link and a line of the text (a table of contents entry and the
    heading it points to): when it occurs n times as a link, its first n lines are taken as
    the links (a table of contents, a menu, stands before the text it points to)."""
    counts: dict[str, int] = {}
    if root is not None:
        for el in root.iter(*_CONTROLS):
            key = _squash(el.text_content())
            if key:
                counts[key] = counts.get(key, 0) + 1
    out = []
    for ln in lines:
        key = _squash(ln)
        n = counts.get(key, 0)
        out.append(n > 0)
        if n:
            counts[key] = n - 1
    return out


def _restorable(root):
    """A test for lines the extractor left out that are content by the page's own markup.

    Extractors drop more than furniture: trafilatura leaves out footnotes inside the main
    content's <footer>, a page's headline, and paragraphs it finds repeated. A line left out
    that is not the text of a link or a control (see _link_lines) is put back when it lies
    inside the page's <main>/<article> (or role="main"; not in a <nav>, <aside> or <form>
    there). A page with no such container and nothing an extractor would leave out (no
    furniture containers, no links: bare paragraphs) keeps every line. Elsewhere the
    extractor's judgement stands."""
    if root is None:
        return lambda line: False
    mains = [el for el in root.iter() if isinstance(el.tag, str)
             and (el.tag in _CONTENT or (el.get("role") or "").lower() == "main")]
    if mains:
        inside = "\x00".join(_squash(el.text_content()) for el in mains)
        # a table of contents or a sidebar inside <main> is still furniture (a header or
        # footer inside it is the article's own: its headline, its footnotes)
        menus = "\x00".join(_squash(el.text_content()) for m in mains
                             for el in m.iter("nav", "aside", "form"))

        def test(line: str) -> bool:
            key = _squash(line)
            return bool(key) and key in inside and key not in menus
        return test
    if _has_furniture(root):
        # markup without a main container: what the extractor left out stays out (a footer
        # made of <div>s is still a footer)
        return lambda line: False
    return lambda line: bool(_squash(line))


def _has_furniture(root) -> bool:
    """Does the page have anything an extractor would leave out (furniture containers,
    links, controls)?"""
    if root is None:
        return False
    return next(root.iter(*_FURNITURE, *_CONTROLS), None) is not None


def _furniture_text(root) -> str:
    """The text (whitespace removed) of every furniture container of the page."""
    if root is None:
        return ""
    return "\x00".join(_squash(el.text_content()) for el in root.iter(*_FURNITURE))


def _headlines(root) -> set[str]:
    """Texts of the page's own <h1> headings (see _FURNITURE)."""
    out: set[str] = set()
    if root is None:
        return out
    for h in root.iter("h1"):
        tags = {a.tag for a in h.iterancestors() if isinstance(a.tag, str)}
        if tags & _CONTENT or not tags & _FURNITURE:
            text = _SPACES.sub(" ", h.text_content()).strip()
            if text:
                out.add(text)
    return out


def page_meta(html: str, *, url: str = "", root=None) -> PageMeta:
    """Canonical URL, ``<html lang>`` and ``hreflang`` alternates of a page.

    Hrefs resolve against ``url`` when given (the address the page was fetched from), else
    against the canonical link, else against ``<base href>``; an href that stays relative
    (a local file with no URL anywhere) is kept as written. ``url`` of the result: the
    given address, else the canonical link, else the alternate whose hreflang is the page's
    own ``<html lang>`` (sites list themselves among their alternates)."""
    if root is None:
        root = _parse(html)
    if root is None:
        return PageMeta(url=url)
    lang = _norm_lang(root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
                      or "")
    canonical = base = ""
    raw_alternates: list[tuple[str, str]] = []
    for el in root.iter("link", "base"):
        href = (el.get("href") or "").strip()
        if not href:
            continue
        if el.tag == "base":
            base = base or href
            continue
        rel = {r.lower() for r in (el.get("rel") or "").split()}
        if "canonical" in rel and not canonical:
            canonical = href
        elif "alternate" in rel and el.get("hreflang"):
            code = _norm_lang(el.get("hreflang") or "")
            if code:
                raw_alternates.append((code, href))
    anchor = url or (canonical if _absolute(canonical) else "") or (base if _absolute(base)
                                                                     else "")
    if canonical and anchor:
        canonical = urljoin(anchor, canonical)
    alternates = []
    seen = set()
    for code, href in raw_alternates:
        full = urljoin(anchor, href) if anchor else href
        if (code, full) not in seen:
            seen.add((code, full))
            alternates.append((code, full))
    own = url or canonical
    if not own and lang:
        mine = [h for c, h in alternates if c == lang]
        if len(mine) == 1:
            own = mine[0]
    return PageMeta(url=own, html_lang=lang, alternates=tuple(alternates))


def _absolute(href: str) -> bool:
    parts = urlsplit(href)
    return bool(parts.scheme and parts.netloc)


def _warn(path: str, message: str) -> None:
    """A loss of this page's text: counted with the page's read warnings when a reader
    collects them (:func:`corpus.read.html_warnings`, also on a worker), else logged."""
    from corpus.read import report_html_loss

    if not report_html_loss(message):
        log.warning("%s: %s", path, message)


def extract_for_document(html: str, *, path: str = "<html>", url: str = ""
                         ) -> tuple[str, PageMeta]:
    """(text, metadata) for :func:`corpus.read.document_from_html`: the main content, or
    every visible line (:func:`corpus.read.html_to_text`) when extraction fails, with the
    losses logged under the file's name."""
    from corpus.read import html_to_text

    try:
        ex = extract(html, url=url)
    except Exception as exc:  # noqa: BLE001 - third-party parsers; fall back and say so
        _warn(path, f"main-content extraction failed ({exc}); the whole page is used")
        try:
            meta = page_meta(html, url=url)
        except Exception:  # noqa: BLE001
            meta = PageMeta(url=url)
        return html_to_text(html), meta
    if ex.warning:
        _warn(path, ex.warning)
    elif ex.dropped_arabic:
        _warn(path, f"{ex.dropped_arabic} line(s) of Arabic prose left out as page furniture "
                    f"({ex.lines_dropped} of {ex.lines_total} lines left out in all)")
    elif ex.lines_dropped:
        log.info("%s: %d of %d lines left out as page furniture (%d read like prose)",
                 path, ex.lines_dropped, ex.lines_total, ex.dropped_prose)
    return ex.text, ex.meta
