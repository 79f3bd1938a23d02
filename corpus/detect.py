"""Stage 2: find the Arabic (and English) sections of a document and tell body text from
metadata.

``detect(document)`` labels every non-blank line, and each script part of a mixed line, with a
language (``ar``, ``en``, ``other``) and a kind (``title``, ``body``, ``date``, ``byline``,
``boilerplate``, ``inline``), then groups consecutive text lines of one language into
:class:`~corpus.types.Section`\\ s.

How a line is labelled, cheapest test first:

* Script: Arabic-script letters (the Arabic blocks) against Latin letters. A line with no Arabic
  letter is English (fastText is asked only for a long Latin line with no English function
  word, so a French paragraph comes out ``other``). Arabic script is *not* Arabic: every
  Arabic-script stretch of three words or more goes through fastText ``lid.176``, so Persian
  or Urdu is labelled ``other``. Shorter stretches (names, dates) are too short for fastText;
  they are Arabic unless they hold letters Arabic does not use (Persian ``پ چ ژ گ ک ی``, Urdu
  ``ٹ ڈ ڑ ں ہ ے``).
* Mixed lines: a line that falls into a Latin half and an Arabic half, each mostly of its
  script, of three words or more, and of comparable length (``“Title” العنوان``), or a
  ``Written by NAME,العنوان`` line, is split into two parts, each a Piece with its own span
  and ``mixed=True``. A half may quote the other script: the Arabic half starts at its first
  Arabic word and keeps an English title quoted after it (``English headline مراجعة فيلم
  "English Title" قلّل ...``) and short Latin runs between its words (a brand, an acronym),
  and the reverse for the English half; an Arabic line that quotes an English title is one
  Arabic line. Any other Arabic inside a mostly English line (a URL slug) becomes an
  ``inline`` piece; Latin words inside an Arabic paragraph (``NL West``, ``SS19``, a short
  English quote) stay part of it.
* Kind: boilerplate by a list of whole-line phrases, dates by month names and digits, bylines
  by ``Written by``/``بقلم``-style cues or, for Arabic, a two-to-four-word name-shaped line
  next to a date. A short line is a title (headline) when it is repeated, when a date or a
  byline follows it, or when it is the unpunctuated head of a run of paragraphs.

Sections hold only text (titles and paragraphs); metadata lines do not break a section,
boilerplate does, and a new title (or mixed headline line) after paragraphs starts a new
section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from corpus.langid import LanguageIdentifier, get_lid, predict_top
from corpus.stagemodule import make_callable
from corpus.types import Document, Kind, Lang, Piece, Section

# --------------------------------------------------------------------------------------------
# characters

# Arabic-script letters: Arabic (U+0620-064A, 066E-06D3, 06D5, 06EE-06EF, 06FA-06FC, 06FF),
# Arabic Supplement (U+0750-077F), Arabic Extended-A (U+08A0-08C9), presentation forms A and B
# (U+FB50-FDFB, FE70-FEFC). Digits, punctuation (، ؛ ؟), tatweel and harakat are neutral.
_AR_LETTERS = ("\u0620-\u063F\u0641-\u064A\u066E-\u06D3\u06D5\u06EE\u06EF\u06FA-\u06FC\u06FF"
               "\u0750-\u077F\u08A0-\u08C9\uFB50-\uFDFB\uFE70-\uFEFC")
# Latin letters: ASCII, Latin-1 supplement and Latin Extended-A/B (U+00C0-024F, no × ÷).
_LA_LETTERS = "A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F"

_AR_LETTER = re.compile(f"[{_AR_LETTERS}]")
_LA_LETTER = re.compile(f"[{_LA_LETTERS}]")
_AR_WORD = re.compile(f"[{_AR_LETTERS}\u064B-\u0652\u0640]+")
# One script block: from a letter of one script to its last letter before a letter of the
# other script.
_SCRIPT_BLOCK = re.compile(f"(?P<ar>[{_AR_LETTERS}](?:[^{_LA_LETTERS}]*[{_AR_LETTERS}])?)"
                           f"|(?P<la>[{_LA_LETTERS}](?:[^{_AR_LETTERS}]*[{_LA_LETTERS}])?)")

# Letters of Arabic-script languages that Arabic itself does not use: Persian peh, tcheh, jeh,
# gaf, keheh, farsi yeh (U+067E 0686 0698 06AF 06A9 06CC); Urdu tteh, ddal, rreh, noon ghunna,
# heh goal, yeh barree (U+0679 0688 0691 06BA 06C1 06D2); Pashto/Kurdish extras (U+067C 0681
# 0685 0689 0693 0696 069A 06AB 06BC 06CD 06D0 06B5 06C6 06CE 06D5).
NON_ARABIC_ARABIC_SCRIPT_LETTERS = frozenset(
    "\u067E\u0686\u0698\u06AF\u06A9\u06CC"
    "\u0679\u0688\u0691\u06BA\u06C1\u06D2"
    "\u067C\u0681\u0685\u0689\u0693\u0696\u069A\u06AB\u06BC\u06CD\u06D0\u06B5\u06C6\u06CE"
    "\u06D5"
)
# fastText labels that mean Arabic (MSA; Egyptian Arabic, which it confuses with MSA news).
ARABIC_LID_LABELS = frozenset({"ar", "arz"})

# Bullets that start a paragraph on scraped pages: en dash, em dash, hyphen-minus, bullet,
# middle dot, black small square, black circle, asterisk.
BULLETS = frozenset("\u2013\u2014-\u2022\u00B7\u25AA\u25CF*")
# Punctuation that ends a sentence (Latin and Arabic question mark U+061F, full stop U+06D4).
_SENTENCE_END = frozenset(".!?\u061F\u06D4")
# Opening quotes/brackets that go with the text after them when a mixed line is split.
_OPENERS = frozenset("\"'\u201C\u2018\u00AB([{")
# Quotation marks around a script block: an opening one right before it and a closing one
# after it (ASCII quotes, curly quotes, low-9 quote, guillemets).
_QUOTE_OPEN = frozenset("\"'\u201C\u2018\u201E\u00AB")
_QUOTE_CLOSE = frozenset("\"'\u201D\u2019\u00BB")

MIN_PART_WORDS = 3  # a script block shorter than this is not text of its own
MIX_PURITY = 0.7  # each half of a split mixed line is at least this much one script
MIX_MIN_SHARE = 0.25  # ... and holds at least this share of the line's letters
MIN_LID_WORDS = 3  # fastText is not asked about shorter Arabic-script stretches
SHORT_LINE_CHARS = 160  # longer lines are never metadata
BOILERPLATE_MAX_CHARS = 45
DATE_MAX_CHARS = 100
TITLE_MAX_WORDS = 30

# --------------------------------------------------------------------------------------------
# metadata patterns

_DIGIT = "[0-9\u0660-\u0669\u06F0-\u06F9]"  # ASCII, Arabic-Indic, Extended Arabic-Indic
_EN_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
             r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
# Gregorian month names as used in Egypt/Gulf and in the Levant/Iraq.
_AR_MONTH = ("(?:يناير|فبراير|مارس|أبريل|ابريل|إبريل|مايو|يونيو|يونيه|يوليو|يوليه|أغسطس|اغسطس"
             "|سبتمبر|أكتوبر|اكتوبر|نوفمبر|ديسمبر|كانون الثاني|كانون الأول|كانون الاول|شباط"
             "|آذار|اذار|نيسان|أيار|ايار|حزيران|تموز|آب|اب|أيلول|ايلول|تشرين الأول|تشرين الاول"
             "|تشرين الثاني)")
_DATE = re.compile(
    rf"(?:{_EN_MONTH}|{_AR_MONTH})\s*{_DIGIT}{{1,2}}(?:st|nd|rd|th)?\s*[,\u060C]?\s*{_DIGIT}{{4}}"
    rf"|{_DIGIT}{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_EN_MONTH}|{_AR_MONTH})\s*[,\u060C]?\s*"
    rf"{_DIGIT}{{4}}"
    rf"|\b{_DIGIT}{{1,2}}[./-]{_DIGIT}{{1,2}}[./-]{_DIGIT}{{4}}\b"
    rf"|\b{_DIGIT}{{4}}[./-]{_DIGIT}{{1,2}}[./-]{_DIGIT}{{1,2}}\b",
    re.IGNORECASE)
_WEEKDAY = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|"
                      "(?:ال)?(?:سبت|أحد|احد|إثنين|اثنين|ثلاثاء|أربعاء|اربعاء|خميس|جمعة)",
                      re.IGNORECASE)
_WORD = re.compile(r"\w+")
_YEAR = re.compile(f"{_DIGIT}{{4}}")
_EN_BYLINE = re.compile(
    r"^(?:(?:written|translated|posted|reported|edited|compiled|published|photos?|"
    r"story|text|interview)\s+by\b|by\s+[A-Z]|author\s*:|translator\s*:)", re.IGNORECASE)
_AR_BYLINE = re.compile(r"^(?:بقلم|كتب|كتبه|كتبت|كتابة|ترجمة|ترجمه|إعداد|اعداد|تحرير|تقرير)"
                        r"(?:\s|:|$)")
# Whole-line boilerplate, compared after _boiler_key(); Arabic spelled without hamza seats
# and tanween because the key drops them.
BOILERPLATE = frozenset({
    "related videos", "related articles", "related posts", "related stories", "related",
    "share this", "share", "like this", "loading", "leave a reply", "leave a comment",
    "comments", "read more", "read also", "see also", "tags", "categories", "advertisement",
    "you may also like", "more from author", "previous article", "next article",
    "subscribe", "print", "email", "facebook", "twitter", "tweet", "whatsapp", "telegram",
    "print this page", "share this article", "click to share on twitter",
    "click to share on facebook", "like", "related news", "most read", "popular posts",
    "مقالات مشابهه", "مقالات ذات صله", "اقرا ايضا", "اقرا ايضا", "شارك", "شارك هذا",
    "شارك هذا الموضوع", "شارك المقال", "المزيد", "تعليقات", "التعليقات", "اخبار ذات صله",
    "مواضيع ذات صله", "فيديوهات ذات صله", "فيديو ذات صله", "تابعونا", "اعلان", "طباعه",
    "اضف تعليق", "مواضيع متعلقه", "مقالات متعلقه", "الاكثر قراءه", "اعجاب", "تحميل",
    "ذات صله", "اقرا المزيد", "المصدر",
})
_BOILER_DROP = re.compile("[\u064B-\u0652\u0640\u0670]|[^\\w\\s]")  # harakat, tatweel, punct
_BOILER_MAP = str.maketrans({"\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627",
                             "\u0629": "\u0647", "\u0649": "\u064A"})

# Words that a personal name never is (Arabic prepositions, particles, pronouns, frequent
# verbs), used to tell a two-to-four-word byline from a short headline.
_AR_NOT_NAME = frozenset(
    "في من على إلى الى عن مع هو هي هم أن إن ان لا ما لم لن قد كل بعد قبل بين حول ضد عند هذا هذه "
    "ذلك تلك التي الذي الذين أو او ثم حتى منذ يوم اليوم غدا أمس قال يقول تقول كيف لماذا متى "
    "أين هل نحو عبر خلال دون لدى".split())
# Name cues: particles of Arabic names and very common given names (bylines of Arab media).
NAME_CUES = frozenset(
    "عبد أبو ابو بن ابن بنت آل محمد أحمد احمد محمود مصطفى علي حسن حسين عمر عثمان خالد ناصر "
    "سامي سمير جمال كمال طارق يوسف إبراهيم ابراهيم عادل وليد زياد فادي رامي هشام مازن نبيل "
    "فاطمة مريم ليلى لينا رانيا هالة نادية سارة ريم هبة منى سلمى دينا مايا".split())
_EN_COMMON = tuple(f" {w} " for w in "the and of to in is was for that with on it as by be are "
                                     "this from at has have not will said".split())


# --------------------------------------------------------------------------------------------
# the layout


@dataclass(frozen=True)
class DocumentLayout:
    """What ``detect`` found in one document.

    ``sections``: runs of text (kinds ``title`` and ``body``) of one language, in page order.
    ``pieces``: every labelled piece in page order: the text pieces of the sections, metadata
    lines (``date``, ``byline``, ``boilerplate``), both parts of each mixed line
    (``mixed=True``) and ``inline`` runs (Arabic inside an English line).
    """

    document: Document
    sections: tuple[Section, ...]
    pieces: tuple[Piece, ...]
    lid_signature: str = "lid:fasttext-176"

    # -- views -----------------------------------------------------------------------------
    @property
    def mixed_parts(self) -> tuple[Piece, ...]:
        """Parts of mixed lines (both languages); never part of a section."""
        return tuple(p for p in self.pieces if p.mixed)

    @property
    def special(self) -> tuple[Piece, ...]:
        """Pieces that are not section text: dates, bylines, boilerplate, inline runs and the
        parts of mixed lines."""
        return tuple(p for p in self.pieces
                     if p.mixed or p.kind in ("date", "byline", "boilerplate", "inline"))

    @property
    def inline(self) -> tuple[Piece, ...]:
        return tuple(p for p in self.pieces if p.kind == "inline")

    def sections_in(self, lang: Lang) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.lang == lang)

    def body(self, lang: Lang) -> tuple[Piece, ...]:
        """Text pieces (titles and paragraphs, one per line) of the ``lang`` sections."""
        return tuple(p for s in self.sections if s.lang == lang for p in s.pieces)

    def arabic_body(self) -> tuple[Piece, ...]:
        return self.body("ar")

    def english_body(self) -> tuple[Piece, ...]:
        return self.body("en")

    def text(self, piece: Piece) -> str:
        return self.document.text[piece.start:piece.end]

    def content_span(self, piece: Piece) -> tuple[int, int]:
        """The piece's span without a leading paragraph bullet (``– ``), which belongs to the
        line but is not text."""
        return piece.start + bullet_length(self.text(piece)), piece.end

    def signature(self) -> str:
        return self.lid_signature


def bullet_length(text: str) -> int:
    """Characters of a leading bullet and the spaces after it (0 when there is none)."""
    if len(text) > 1 and text[0] in BULLETS and text[1] in " \t\u00A0":
        i = 1
        while i < len(text) and text[i] in " \t\u00A0":
            i += 1
        return i
    return 0


# --------------------------------------------------------------------------------------------
# detection


@dataclass(slots=True)
class _Unit:
    """A stretch of one line labelled as one thing (internal, mutable while deciding)."""

    line: int
    start: int
    end: int
    script: str  # "ar", "la", "other"
    text: str
    mixed: bool = False
    lang: Lang = "en"
    kind: Kind | None = None
    name_shaped: bool = False
    inline: list[tuple[int, int, Lang]] | None = None
    piece: Piece | None = None


def detect(document: Document, *, lid: LanguageIdentifier | str | None = None) -> DocumentLayout:
    """Label the lines of ``document`` and group them into sections (see the module doc)."""
    if lid is None or isinstance(lid, str):
        lid = get_lid(lid or "fasttext-176")
    units = _units(document)
    _label_languages(units, lid, page_hint=_declared_lang(document.html_lang))
    _label_metadata(units)
    _label_titles(units)
    pieces = _pieces(units)
    sections = _sections(document.path, units)
    return DocumentLayout(document=document, sections=tuple(sections), pieces=tuple(pieces),
                          lid_signature=lid.signature())


def _units(document: Document) -> list[_Unit]:
    text = document.text
    units: list[_Unit] = []
    la_search = _LA_LETTER.search
    ar_search = _AR_LETTER.search
    for ln in document.lines:
        raw = text[ln.start:ln.end]
        stripped = raw.strip()
        if not stripped:
            continue
        a = ln.start + raw.find(stripped[0])
        b = a + len(stripped)
        # isascii() is O(1) on CPython: most English lines skip the Arabic scan
        if stripped.isascii() or not ar_search(stripped):
            if la_search(stripped):
                units.append(_Unit(ln.number, a, b, "la", stripped))
            elif any(ch.isalpha() for ch in stripped):
                units.append(_Unit(ln.number, a, b, "other", stripped, lang="other"))
            # a line without letters (rules, numbers, a lone bullet) is not text
            continue
        if not la_search(stripped):
            units.append(_Unit(ln.number, a, b, "ar", stripped))
            continue
        units.extend(_split_mixed(ln.number, a, stripped))
    return units


def _split_mixed(number: int, offset: int, s: str) -> list[_Unit]:
    """A line holding both scripts: two parts, several parts, or one line (with inline runs).

    Linear in the length of the line: one pass finds the script blocks, one counts their
    words and letters, and the split is chosen over prefix sums of those counts."""
    blocks = [(m.lastgroup, m.start(), m.end()) for m in _SCRIPT_BLOCK.finditer(s)]
    # (words, letters) of each block's own script; words = whitespace-separated tokens, so a
    # hyphen-joined URL slug counts as one word. Counted once per distinct block text: a long
    # line of texts in turn says the same names and phrases again and again.
    counts: dict[tuple[str, str], tuple[int, int]] = {}
    words, letters = [], []
    for kind, st, en in blocks:
        text = s[st:en]
        got = counts.get((kind, text))
        if got is None:
            letter = _AR_LETTER if kind == "ar" else _LA_LETTER
            got = counts[(kind, text)] = (sum(1 for tok in text.split() if letter.search(tok)),
                                          len(letter.findall(text)))
        words.append(got[0])
        letters.append(got[1])
    quoted = _quoted_blocks(s, blocks)
    k = _mixed_split(s, blocks, words, letters, quoted)
    if k is not None:
        return _parts(number, offset, s, blocks, [k], quoted)
    ar_letters = sum(n for (kind, _, _), n in zip(blocks, letters) if kind == "ar")
    la_letters = sum(n for (kind, _, _), n in zip(blocks, letters) if kind == "la")
    cuts = _multi_split(s, blocks, words, letters, ar_letters >= la_letters, quoted)
    if cuts:
        return _parts(number, offset, s, blocks, cuts, quoted)
    if ar_letters >= la_letters:
        # Latin names inside an Arabic paragraph are part of it
        return [_Unit(number, offset, offset + len(s), "ar", s)]
    unit = _Unit(number, offset, offset + len(s), "la", s)
    unit.inline = [(offset + st, offset + en,
                    "other" if _has_non_arabic_letters(s[st:en]) else "ar")
                   for kind, st, en in blocks if kind == "ar"]
    return [unit]


def _parts(number: int, offset: int, s: str, blocks: list, cuts: list[int],
           quoted: list[bool]) -> list[_Unit]:
    """The line cut after each block index in ``cuts`` (ascending): one mixed unit per part,
    labelled with the script that has more of the part (see :func:`_part_script`)."""
    units = []
    begin = 0
    bounds = [_cut_point(s, blocks[k][2], blocks[k + 1][1]) for k in cuts] + [len(s)]
    first_block = 0
    for cut, k in zip(bounds, cuts + [len(blocks) - 1]):
        raw = s[begin:cut]
        lead = len(raw) - len(raw.lstrip())
        text = raw.strip()
        if text:
            units.append(_Unit(number, offset + begin + lead, offset + begin + lead + len(text),
                               _part_script(blocks, first_block, k, quoted), text,
                               mixed=True))
        begin = cut
        first_block = k + 1
    return units


def _part_script(blocks: list, first: int, last: int, quoted: list[bool]) -> str:
    # the script with more letters in the part (blocks alternate, so compare spans); a block
    # quoted inside the part is a quote of the text before it (``مراجعة فيلم "Johnny English"``)
    # and counts for the other script, as in _mixed_split
    span = {"ar": 0, "la": 0}
    for i in range(first, last + 1):
        kind, st, en = blocks[i]
        if i > first and quoted[i]:
            kind = "la" if kind == "ar" else "ar"
        span[kind] += en - st
    return "ar" if span["ar"] >= span["la"] else "la"


def _quoted_blocks(s: str, blocks: list) -> list[bool]:
    """For each script block: whether it stands in quotation marks, an opening one right
    before it (spaces aside) and a closing one after it, before the next block. Blocks
    alternate scripts, so a quoted block after the first is a quote inside text of the other
    script: a film title in an Arabic headline (``مراجعة فيلم "Johnny English" قلّل``), an
    Arabic phrase quoted in an English sentence. A title may end in a digit or a question
    mark (``"Rocky 2"``), so the closing mark need not follow the last letter at once."""
    out = []
    for i, (_, st, en) in enumerate(blocks):
        before = s[blocks[i - 1][2] if i else 0:st].rstrip()
        after = s[en:blocks[i + 1][1] if i + 1 < len(blocks) else len(s)]
        out.append(bool(before) and before[-1] in _QUOTE_OPEN
                   and any(ch in _QUOTE_CLOSE for ch in after))
    return out


def _multi_split(s: str, blocks: list, words: list[int], letters: list[int],
                 arabic_majority: bool, quoted: list[bool]) -> list[int]:
    """Cuts (block indices) for a line of several texts in turn (``Arabic. English. Arabic.
    English.``, a page whose line breaks were lost), or [] when the line is one text.

    A block of three words or more of its script is text of its own; shorter blocks (a name,
    a slug) go with the text around them. The line is cut where a text of one script is
    followed by a text of the other. A mostly Latin line is cut around every Arabic text in
    it (otherwise that Arabic would be lost as an inline run); a mostly Arabic line only when
    there are three parts or more and the Latin texts hold a fair share of the letters (Latin
    quotes inside an Arabic paragraph stay part of it, and so do Latin glosses in brackets
    and Latin titles in quotation marks after Arabic words)."""
    text_blocks = [i for i, n in enumerate(words) if n >= MIN_PART_WORDS
                   and not (arabic_majority and blocks[i][0] == "la"
                            and (_bracketed(s, blocks[i]) or (i > 0 and quoted[i])))]
    cuts = []
    prev = None
    for i in text_blocks:
        if prev is not None and blocks[i][0] != blocks[prev][0]:
            cuts.append(_best_cut(blocks, words, prev, i))
        prev = i
    if not cuts:
        return []
    if arabic_majority:
        total = sum(letters) or 1
        latin_text = sum(letters[i] for i in text_blocks if blocks[i][0] == "la")
        if len(cuts) < 2 or latin_text < MIX_MIN_SHARE * total:
            return []
    return cuts


def _bracketed(s: str, block: tuple[str, int, int]) -> bool:
    """A block wrapped in brackets, ``(Uniform Resource Identifier - URI)``: inside a line of
    the other script it glosses a term of that text, it is not a text of its own."""
    _, st, en = block
    before, after = s[:st].rstrip(), s[en:].lstrip()
    return bool(before) and bool(after) and before[-1] in "([{" and after[0] in ")]}"


def _best_cut(blocks: list, words: list[int], a: int, b: int) -> int:
    """Where to cut between the texts ``blocks[a]`` and ``blocks[b]`` (of different scripts):
    after the block c in [a, b) that leaves the fewest words on the wrong side among the
    short blocks between them, an Arabic word in the Latin part counting three times (as in
    :func:`_mixed_split`). One pass over the blocks between the two."""
    a_script = blocks[a][0]
    weight = {"ar": 3, "la": 1}  # cost of a word of this script on the wrong side

    def wrong(i: int, part_script: str) -> int:
        kind = blocks[i][0]
        return words[i] * weight[kind] if kind != part_script else 0

    right = sum(wrong(i, blocks[b][0]) for i in range(a + 1, b))
    left = 0
    best, best_cost = a, right
    for c in range(a + 1, b):
        left += wrong(c, a_script)
        right -= wrong(c, blocks[b][0])
        if left + right < best_cost:
            best, best_cost = c, left + right
    return best


def _mixed_split(s: str, blocks: list, words: list[int], letters: list[int],
                 quoted: list[bool]) -> int | None:
    """Index k such that the line splits between blocks k and k+1 into two parts of their own
    (``Title العنوان``), or None.

    Each side must be mostly one script, hold three words or more of it, and carry a fair
    share of the letters: translated headlines are of comparable length, while an Arabic
    paragraph ending in a short English quote is not. A ``Written by NAME,`` byline before an
    Arabic headline always splits. Among valid splits the one that leaves the fewest words on
    the wrong side wins, an Arabic word in the English part counting three times a Latin word
    in the Arabic part: Latin names inside Arabic text are common (``نجم "Still Game" يبدو``),
    Arabic words inside English text are not.

    A part is text of one script that may hold runs of the other: a run in quotation marks
    after the part's first block (``مراجعة فيلم "Johnny English Strikes Again" قلّل``: the
    Arabic quotes the film's English title), or a run of fewer than three words between two
    blocks of the part (a brand, an acronym, a name). Such a run counts for the script of the
    text around it when the purity of the part is judged, and a quoted one is not a word on
    the wrong side: so the Arabic half of ``English headline مراجعة فيلم "English Title"
    قلّل ...`` starts at its first Arabic word, and an Arabic line that quotes an English title
    is not cut before the quote's end. A short run between the part's blocks still counts as
    on the wrong side: ``A visit to حلب city: the old town زيارة إلى حلب`` keeps ``حلب`` in
    its English half rather than four English words in its Arabic half.

    One pass over prefix sums of the letters and words of each script, so a line of many
    blocks (a 10 MB line alternating scripts) costs linear time.
    """
    n = len(blocks)
    if n < 2:
        return None
    # prefix sums: [i] = total over blocks[:i]; raw letters and words of each script, the
    # letters of blocks that would be hosted inside a part (quoted, or short: hosted unless
    # they end the part), and the words of quoted blocks
    ar_l, la_l, ar_w, la_w = [0], [0], [0], [0]
    h_ar_l, h_la_l, q_ar_w, q_la_w = [0], [0], [0], [0]
    for (kind, _, _), nl, nw, q in zip(blocks, letters, words, quoted):
        is_ar = kind == "ar"
        hosted = nl if (q or nw < MIN_PART_WORDS) else 0
        ar_l.append(ar_l[-1] + (nl if is_ar else 0))
        la_l.append(la_l[-1] + (0 if is_ar else nl))
        ar_w.append(ar_w[-1] + (nw if is_ar else 0))
        la_w.append(la_w[-1] + (0 if is_ar else nw))
        h_ar_l.append(h_ar_l[-1] + (hosted if is_ar else 0))
        h_la_l.append(h_la_l[-1] + (0 if is_ar else hosted))
        q_ar_w.append(q_ar_w[-1] + (nw if is_ar and q else 0))
        q_la_w.append(q_la_w[-1] + (nw if q and not is_ar else 0))
    total = ar_l[n] + la_l[n]
    byline = _EN_BYLINE.match(s) is not None
    best, best_cost = None, None
    for k in range(n - 1):
        sides = []
        for lo, hi in ((0, k + 1), (k + 1, n)):
            ar, la = ar_l[hi] - ar_l[lo], la_l[hi] - la_l[lo]
            wa, wl = ar_w[hi] - ar_w[lo], la_w[hi] - la_w[lo]
            # hosted runs: the blocks strictly inside the part, and its last block when quoted
            # (its first block is the text that hosts the others)
            h_ar = h_ar_l[hi - 1] - h_ar_l[lo + 1] if hi - 1 > lo + 1 else 0
            h_la = h_la_l[hi - 1] - h_la_l[lo + 1] if hi - 1 > lo + 1 else 0
            last = hi - 1
            if last > lo and quoted[last]:
                if blocks[last][0] == "ar":
                    h_ar += letters[last]
                else:
                    h_la += letters[last]
            q_wa = q_ar_w[hi] - q_ar_w[lo + 1] if hi > lo + 1 else 0
            q_wl = q_la_w[hi] - q_la_w[lo + 1] if hi > lo + 1 else 0
            ar_host, la_host = ar - h_ar + h_la, la - h_la + h_ar
            script = "ar" if ar_host >= la_host else "la"
            own, foreign = (wa, wl - q_wl) if script == "ar" else (wl, wa - q_wa)
            sides.append((script, max(ar_host, la_host) / ((ar + la) or 1), own, foreign,
                          ar + la))
        (l_script, l_purity, l_own, l_foreign, l_letters), right = sides
        r_script, r_purity, r_own, r_foreign, r_letters = right
        if l_script == r_script or min(l_own, r_own) < MIN_PART_WORDS:
            continue
        if min(l_purity, r_purity) < MIX_PURITY:
            continue
        fair = min(l_letters, r_letters) >= MIX_MIN_SHARE * total
        if not (fair or (l_script == "la" and byline)):
            continue
        cost = sum(3 * foreign if script == "la" else foreign
                   for script, _, _, foreign, _ in sides)
        if best_cost is None or cost < best_cost:
            best, best_cost = k, cost
    return best


def _cut_point(s: str, left_end: int, right_start: int) -> int:
    """Where the text between two script blocks is split: at its last space, else before an
    opening quote, else just before the second block (``Kandil,الرقة`` keeps the comma
    left)."""
    gap = s[left_end:right_start]
    for i in range(len(gap) - 1, -1, -1):
        if gap[i].isspace():
            return left_end + i
    for i, ch in enumerate(gap):
        if ch in _OPENERS:
            return left_end + i
    return right_start


def _label_languages(units: list[_Unit], lid: LanguageIdentifier,
                     page_hint: Lang | None = None) -> None:
    """Latin lines: English unless a long line reads as another language. Arabic-script
    stretches: Arabic or not (Persian, Urdu, ...), by their own evidence where it is clear,
    by their neighbours' where it is not.

    Every Arabic-script stretch goes through language ID. Its own verdict is *sure* when it
    is long (three words or more, or 40 characters) and the model is sure (probability 0.5
    or more), or when it holds letters Arabic does not use. Otherwise the stretch takes the
    language of its *block* (the run of Arabic-script lines it sits in, up to the next Latin
    line) and, when the block says nothing sure, of its page: a short line ``توجه:`` on a
    Persian page is Persian, a one-line Arabic headline above an Arabic article is Arabic,
    and the site's Arabic furniture on a Persian page (``العربيّة`` in the language menu)
    goes with the page, even when the model is sure it is Arabic: on a page of another
    language a line of six words or fewer is the site's furniture. With no sure context at
    all, a stretch takes the model's best guess when it is long (``او به خانه رفت``: Persian)
    or the model is sure; otherwise it stays Arabic (names, dates)."""
    ask: list[_Unit] = []
    arabic: list[_Unit] = []
    for u in units:
        if u.script == "la":
            u.lang = "en"
            if len(u.text) > 40 and not _looks_english(u.text):
                ask.append(u)
        elif u.script == "ar":
            arabic.append(u)
    if ask:
        for u, (label, prob) in zip(ask, lid.predict([u.text for u in ask])):
            u.lang = "en" if label == "en" or prob < 0.5 else "other"
    if not arabic:
        return
    tops = predict_top(lid, [u.text for u in arabic])
    verdicts = [_own_verdict(u, top) for u, top in zip(arabic, tops)]
    prob_of = {id(u): top[0][1] for u, top in zip(arabic, tops)}
    # blocks: runs of Arabic-script units not interrupted by a Latin-script line
    block_of: dict[int, int] = {}
    block = -1
    prev_arabic = False
    for u in units:
        if u.script == "ar":
            if not prev_arabic:
                block += 1
            block_of[id(u)] = block
            prev_arabic = True
        elif u.script == "la" and not u.mixed:
            prev_arabic = False
    page = [0, 0]
    for u, (lang, sure, _) in zip(arabic, verdicts):
        if sure:
            page[0 if lang == "ar" else 1] += len(u.text)
    # the page's own <html lang> counts when its text gives no sure verdict of its own (a
    # page of menus and labels); the text, when sure, outranks it (sites mislabel pages)
    page_lang = _context_lang(page) or page_hint
    if page_lang == "other":
        # a menu item or label of the site in Arabic on a Persian (Urdu) page goes with it
        verdicts = [("other", True, long) if sure and lang == "ar"
                    and len(_AR_WORD.findall(u.text)) <= FURNITURE_MAX_WORDS
                    else (lang, sure, long)
                    for u, (lang, sure, long) in zip(arabic, verdicts)]
    weights: dict[int, list[int]] = {}
    for u, (lang, sure, _) in zip(arabic, verdicts):
        if sure:
            weights.setdefault(block_of[id(u)], [0, 0])[0 if lang == "ar" else 1] += len(u.text)
    for u, (lang, sure, long) in zip(arabic, verdicts):
        if sure:
            u.lang = lang
            continue
        context = _context_lang(weights.get(block_of[id(u)], [0, 0])) or page_lang
        if context is not None:
            u.lang = context
        else:
            u.lang = lang if long or prob_of[id(u)] >= CONTEXT_SURE else "ar"


# Primary language subtags of Arabic-script languages other than Arabic (ISO 639-1/-3).
OTHER_ARABIC_SCRIPT_LANGS = frozenset({"fa", "per", "fas", "prs", "ur", "urd", "ps", "pus",
                                       "ckb", "ku", "sd", "snd", "ug", "uig", "pnb", "bal",
                                       "azb", "glk", "mzn", "ks"})


def _declared_lang(html_lang: str) -> Lang | None:
    """What ``<html lang>`` says about the page's Arabic script: ``ar``, ``other`` (Persian,
    Urdu, ...), or None (not said, or a language of another script)."""
    primary = html_lang.strip().lower().replace("_", "-").split("-")[0]
    if primary in ("ar", "ara", "arb", "arz"):
        return "ar"
    if primary in OTHER_ARABIC_SCRIPT_LANGS:
        return "other"
    return None


def _own_verdict(u: _Unit, top: list[tuple[str, float]]) -> tuple[Lang, bool, bool]:
    """(language by the stretch's own evidence, sure?, long enough for language ID?)."""
    long = len(u.text) > 40 or len(_AR_WORD.findall(u.text)) >= MIN_LID_WORDS
    label, prob = top[0]
    if _has_non_arabic_letters(u.text):
        # letters Arabic does not use; a long stretch the model still reads as Arabic keeps
        # that (an Arabic page spelling yeh as U+06CC)
        if long and label in ARABIC_LID_LABELS and prob >= CONTEXT_SURE:
            return "ar", True, long
        return "other", True, long
    lang: Lang = "ar" if label in ARABIC_LID_LABELS else "other"
    return lang, long and prob >= CONTEXT_SURE, long


# On a page of another Arabic-script language, an Arabic line this short is the site's
# furniture (a menu item, "skip to content"), not Arabic text of the page.
FURNITURE_MAX_WORDS = 6
# A model probability this high, on a stretch long enough, is a verdict of its own.
CONTEXT_SURE = 0.5
# A block or page is of one language when that language holds this share of the sure text.
CONTEXT_SHARE = 2 / 3


def _context_lang(weight: list[int]) -> Lang | None:
    ar, other = weight
    if ar + other == 0:
        return None
    if ar >= CONTEXT_SHARE * (ar + other):
        return "ar"
    if other >= CONTEXT_SHARE * (ar + other):
        return "other"
    return None


def _looks_english(text: str) -> bool:
    """A cheap test that spares fastText most English lines: an English function word among
    the first 200 characters (substring tests on the lowered text, no regex)."""
    head = " " + text[:200].lower() + " "
    if any(w in head for w in _EN_COMMON):
        return True
    return len(text.split()) < 6  # too short to judge: keep it English


def _has_non_arabic_letters(text: str) -> bool:
    return not NON_ARABIC_ARABIC_SCRIPT_LETTERS.isdisjoint(text)


_URL_LINE = re.compile(r"(?:[a-z][a-z0-9+.\-]*://|www\.)\S+", re.IGNORECASE)


def _boiler_key(text: str) -> str:
    key = _BOILER_DROP.sub(" ", text.lower().translate(_BOILER_MAP))
    return " ".join(key.split())


def _is_date(text: str) -> bool:
    m = _DATE.search(text)
    if m is None:
        return False
    rest = _WEEKDAY.sub(" ", text[:m.start()] + " " + text[m.end():])
    return len(_WORD.findall(rest)) <= 3


def _label_metadata(units: list[_Unit]) -> None:
    for u in units:
        text = u.text
        n = len(text)
        if _URL_LINE.fullmatch(text.strip()):
            # a line that is only an address (a page's URL as its title, a "source:" link
            # line) is not text: its digits and slug would count as one-sided numbers and
            # names against the translation
            u.kind = "boilerplate"
            continue
        if n > SHORT_LINE_CHARS:
            continue
        if n <= BOILERPLATE_MAX_CHARS and _boiler_key(text) in BOILERPLATE:
            u.kind = "boilerplate"
        elif n <= DATE_MAX_CHARS and _YEAR.search(text) and _is_date(text):
            u.kind = "date"
        elif u.script == "la":
            if n <= 80 and _EN_BYLINE.match(text) and len(text.split()) <= 8:
                u.kind = "byline"
        elif u.script == "ar":
            if _AR_BYLINE.match(text) and len(text.split()) <= 6:
                u.kind = "byline"
            elif not u.mixed and n <= 60:
                u.name_shaped = _name_shaped(text)
    # An Arabic name alone on a line is a byline when it sits where bylines sit: right after
    # the date; or between a headline and the date; or, when it starts with a common given
    # name or a name particle, right after a headline. A short headline has no headline
    # before it, so it is not taken for a name.
    for i, u in enumerate(units):
        if not u.name_shaped or u.kind is not None:
            continue
        prev = units[i - 1] if i > 0 else None
        nxt = units[i + 1] if i + 1 < len(units) else None
        after_text = (prev is not None and prev.kind is None and prev.script == "ar"
                      and not prev.mixed)
        if prev is not None and prev.kind == "date":
            u.kind = "byline"
        elif nxt is not None and nxt.kind == "date" and after_text:
            u.kind = "byline"
        elif after_text and not NAME_CUES.isdisjoint(u.text.split()):
            u.kind = "byline"


def _name_shaped(text: str) -> bool:
    tokens = text.split()
    if not 2 <= len(tokens) <= 4:
        return False
    return all(_AR_WORD.fullmatch(t) and t not in _AR_NOT_NAME for t in tokens)


def _title_key(text: str) -> str:
    if text[0] in BULLETS:
        text = text[bullet_length(text):]
    return " ".join(text.split())


def _label_titles(units: list[_Unit]) -> None:
    # Headlines are repeated on these pages (page title, then article title; or the halves of
    # a mixed line): count each short text's occurrences.
    counts: dict[str, int] = {}
    mixed_keys: set[str] = set()
    keys: dict[int, str] = {}  # id(unit) -> key, for the short text units
    for u in units:
        if u.kind is None and len(u.text) <= 2 * SHORT_LINE_CHARS:
            key = keys[id(u)] = _title_key(u.text)
            counts[key] = counts.get(key, 0) + 1
            if u.mixed:
                mixed_keys.add(key)
    n = len(units)
    for i, u in enumerate(units):
        if u.kind is not None:
            continue
        if u.mixed:
            u.kind = "title"
            continue
        if len(u.text) > 2 * SHORT_LINE_CHARS or u.text.count(" ") >= TITLE_MAX_WORDS:
            u.kind = "body"
            continue
        key = keys[id(u)]
        nxt = units[i + 1] if i + 1 < n else None
        prev = units[i - 1] if i > 0 else None
        after_text = (prev is not None and prev.lang == u.lang and not prev.mixed
                      and prev.kind == "body")
        if counts.get(key, 0) > 1 or key in mixed_keys:
            u.kind = "title"
        elif (after_text and nxt is not None and nxt.kind in ("date", "byline")
              and len(u.text.split()) <= 15 and u.text[-1] not in _SENTENCE_END):
            u.kind = "title"  # an unpunctuated headline right after another article
        elif not after_text:
            # a headline opens an article: nothing of its language right before it
            if nxt is not None and nxt.kind in ("date", "byline") and nxt.line != u.line:
                u.kind = "title"  # headline, then date or byline
            elif (nxt is not None and nxt.kind is None and nxt.lang == u.lang
                  and not nxt.mixed and len(nxt.text) > 2 * len(u.text)
                  and u.text[-1] not in _SENTENCE_END and u.text[-1] not in "\"”»:;,،"):
                u.kind = "title"  # unpunctuated head of longer paragraphs
            else:
                u.kind = "body"
        else:
            u.kind = "body"


def _pieces(units: list[_Unit]) -> list[Piece]:
    pieces: list[Piece] = []
    for u in units:
        u.piece = Piece(u.line, u.start, u.end, u.lang, u.kind or "body", u.mixed)
        pieces.append(u.piece)
        for st, en, inline_lang in u.inline or ():
            pieces.append(Piece(u.line, st, en, inline_lang, "inline"))
    return pieces


def _sections(doc: str, units: Iterable[_Unit]) -> list[Section]:
    sections: list[Section] = []
    current: list[Piece] = []
    lang: Lang | None = None
    has_body = False

    def close() -> None:
        nonlocal current, lang, has_body
        if current:
            kind: Kind = "body" if has_body else "title"
            sections.append(Section(doc, current[0].lang, kind, tuple(current)))
        current, lang, has_body = [], None, False

    for u in units:
        if u.kind == "boilerplate":
            close()
            continue
        if u.mixed:
            # a mixed line is a headline: like a title, it ends an article that has paragraphs,
            # but it does not separate an article's own title from its paragraphs
            if has_body:
                close()
            continue
        if u.kind in ("date", "byline"):
            continue  # metadata sits inside an article
        if u.lang != lang or (u.kind == "title" and has_body):
            close()
            lang = u.lang
        if u.piece is not None:  # set for every unit by _pieces
            current.append(u.piece)
        has_body = has_body or u.kind == "body"
    close()
    return sections


# `corpus.detect` is both this module and its entry point: calls on the module go to it.
make_callable(__name__)
