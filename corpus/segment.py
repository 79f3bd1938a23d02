"""Sentence segmentation for Arabic and English paragraphs, with character spans.

Entry points: ``split_sentences(text, lang)`` for one paragraph and ``segment_section(document,
section)`` for every piece (paragraph) of a detected section.

Rules, in the order they are applied:

* a paragraph end is always a sentence end (a quote opened in one paragraph and closed in the
  next does not join them);
* a sentence ends after a run of ``.`` ``!`` ``?`` ``؟`` ``…`` (plus any closing quotes or
  brackets) that is followed by whitespace or the end of the paragraph; ``،`` ``؛`` ``;`` ``,``
  and ``:`` never end a sentence. ``3.5`` and ``5-2`` never match because no space follows.
  In Arabic a ``.`` ``!`` ``?`` ``؟`` glued to the next Arabic word (``انتهى.وأضاف``,
  ``انتهى."وقال``) may end one too, after a word of two letters or more (``أ.د.محمد`` is an
  abbreviation, ``الجزيرة.نت`` and ``http://مثال.إختبار`` are addresses);
* a period is not an end after a title, measure or month abbreviation (``Dr.``, ``Col.``,
  ``Mr.``, ``Sen.``, ``ft.``, ``Oct.``) unless the next word cannot follow it inside a
  sentence: a sentence opener after a month (``on Nov. What time ...``), a pronoun,
  determiner or wh-word after the rest (``30 ft. The gate``; not ``Dr. Who``, ``vs. The
  Rock``), and not after the words of a Title Case heading (``Apple Event Set For Sept. With
  New iPhones``: two capitalised words or more and no lowercase word of four letters before
  the abbreviation; a heading capitalises its next word anyway); after an abbreviation that may also end a sentence (``U.S.``, ``a.m.``,
  ``Inc.``, ``etc.``) or an initial (``J. R. Smith``) it is an end only when the next word is a
  common sentence opener (``U.S. The ...`` ends, ``U.S. Senate`` does not); after a single
  Arabic letter (``د. محمد``) it is an end only after a number (``عام 2019 م.``);
* a quoted question or exclamation runs on into its speech tag: ``"Get out!" Hammel added.``
  and ``"Why?" Mr. Smith asked,`` are one sentence (a name, a verb of saying, then a comma,
  stop or paragraph end); ``"Why?" He left.`` and ``"Why?" Trump said the war ...`` are two;
* nothing ends before a lowercase Latin letter (``"Why?" he asked``), unless the word is a
  name written with a small first letter (``iPhone``, ``eBay``); before a digit, a ``.``
  ends a sentence only after a plain word (``... left now. 18 holes``), not after an
  abbreviation, initial or number (``No. 5``, ``p. 12``, ``a.m. 7``, ``Figure 1. 2``), and
  an ellipsis does not end one;
* a free-standing ellipsis (`` ... `` with a space before it) is a pause, not an end;
* the label of a numbered paragraph (``1. Regarding ...``) is not a sentence;
* outside English, a closing quote that closes a quotation opened in an earlier paragraph ends
  a sentence even without punctuation: translations often drop the ``.`` or ``؟`` that the
  quote held (see ``_stray_closing_quotes``);
* a piece without letters or digits (``…``, ``“…``) is no sentence: it joins its neighbour.

Pyarabic's ``sentence_tokenize`` is not used: it splits at commas and stops after 32 splits.
"""

from __future__ import annotations

import re

from corpus.types import Document, Section, Sentence

# Terminal punctuation: full stop, exclamation mark, question mark, Arabic question mark U+061F,
# horizontal ellipsis U+2026. (Arabic full stop U+06D4 is Urdu usage but harmless to include.)
SENTENCE_TERMINATORS = frozenset("\u002e\u0021\u003f\u061f\u2026\u06d4")
# Closing quotes and brackets that belong to the sentence they follow: " ' ) ] } and
# right double/single quotation marks U+201D U+2019, right guillemet U+00BB, right single
# guillemet U+203A.
CLOSING_MARKS = frozenset("\u0022\u0027\u0029\u005d\u007d\u201d\u2019\u00bb\u203a")
# Opening quotes and brackets that may precede the next sentence's first word: " ' ( [ { and
# left double/single quotation marks U+201C U+2018, left guillemet U+00AB, left single
# guillemet U+2039, low double quotation mark U+201E.
OPENING_MARKS = frozenset("\u0022\u0027\u0028\u005b\u007b\u201c\u2018\u00ab\u2039\u201e")
# Bullets that open a paragraph and are not part of its first sentence: en dash U+2013,
# em dash U+2014, hyphen-minus, bullet U+2022, middle dot U+00B7, asterisk, black small square
# U+25AA, triangular bullet U+2023, hyphen bullet U+2043.
BULLETS = frozenset("\u2013\u2014\u002d\u2022\u00b7\u002a\u25aa\u2023\u2043")



def _cls(chars) -> str:
    """The body of a regex character class holding ``chars``."""
    return "".join(re.escape(c) for c in sorted(chars))


# a terminator, then more terminators or closing marks, then the whitespace that follows (the
# paragraph end needs no candidate). Written so that the regex engine can skip ahead to the
# first terminator: twice as fast as "[terminators]+[closers]*(?=\s|$)".
_CANDIDATE = re.compile(rf"[{_cls(SENTENCE_TERMINATORS)}]"
                        rf"[{_cls(SENTENCE_TERMINATORS | CLOSING_MARKS)}]*\s")
# leading whitespace and bullets (a bullet must be followed by whitespace: "-5" is a number)
_LEADING = re.compile(rf"\s*(?:[{_cls(BULLETS)}]+\s+)?")
# a stop glued to the next Arabic word ("الأمر.وأضاف", "لماذا؟قال", "انتهى.«ثم"), as Arabic web
# text often writes it: a candidate when the word before has two letters or more (a single
# letter before a stop is an abbreviation: "أ.د.محمد", "ص.ب"). Latin script is left alone:
# "Node.js", "Amazon.com", "St.Louis"; so are Arabic web addresses.
_ARABIC_LETTERS = "\u0621-\u0652\u0670-\u06d3"  # letters, tatweel and harakat
_GLUED_CANDIDATE = re.compile(
    rf"[.!?\u061f](?<=[{_ARABIC_LETTERS}][{_ARABIC_LETTERS}][.!?\u061f])"
    rf"[.!?\u061f{_cls(CLOSING_MARKS)}]*(?=[{_cls(OPENING_MARKS)}]*[{_ARABIC_LETTERS}])"
    rf"(?!(?:\u0646\u062a|\u0643\u0648\u0645)(?![{_ARABIC_LETTERS}]))")  # not "الجزيرة.نت", ".كوم"
# the first word after a candidate boundary: skip whitespace and opening marks
_NEXT_WORD = re.compile(rf"\s*[{_cls(OPENING_MARKS)}]*(\w*)")
# the token just before a period (letters and inner periods), e.g. "U.S" "Dr" "J" "a.m"
_TOKEN_BEFORE = re.compile(r"(?:^|(?<=[\s(\[{\"'\u201c\u2018\u00ab]))([^\W\d_](?:[\w.]*\w)?)$")
# double quotes and guillemets that can open or close a quotation: " U+201C U+201D U+201E
# U+00AB U+00BB (single quotes are left out: they double as apostrophes)
_QUOTE_MARK = re.compile("[\u0022\u201c\u201d\u201e\u00ab\u00bb]")
_CLOSING_CHARS = "".join(sorted(CLOSING_MARKS))
_TERMINATOR_CHARS = "".join(sorted(SENTENCE_TERMINATORS))
_WORD_CHAR = re.compile(r"[^\W_]")  # a letter or digit, in any script
# a closing quote in the run of marks after a terminator: ?" ?” !' ?»
_QUOTE_CLOSER = re.compile("[\u0022\u0027\u201d\u2019\u00bb]")
# a speech tag after a quotation: one to three capitalised names (the first no sentence
# opener, checked in code: "He said." opens a sentence), a verb of saying and a comma, full
# stop or paragraph end ("Hammel added.", "Mr. Smith asked,"); a tag that goes on into a
# clause ("Trump said the war ...") is not matched: it may open a new sentence
_SPEECH_TAG = re.compile(
    r"\s+(?:(?:Mrs?|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Col|Capt|Lt|Rev)\.\s+)?"
    r"([A-Z][\w'\u2019-]*)"
    r"(?:\s+[A-Z][\w'\u2019-]*){0,2}\s+"
    r"(?:said|says|added|adds|asked|asks|wrote|writes|replied|replies|recalled|"
    r"continued|explained|noted|shouted|exclaimed|tweeted|insisted|cried|laughed)"
    r"(?=\s*(?:[.,;:!?]|$))")
_ENUMERATOR = re.compile(r"\(?\d{1,3}[.)]")  # a numbered list label opening a paragraph
_DOTTED = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")  # U.S (final period stripped), a.m, e.g

# Month abbreviations: they stand before a date ("Nov. 6"), never before a name or another
# word of the same sentence, so a capitalised sentence opener after one means the writer ended
# the sentence on it ("... votes are cast on Nov. What time is ...").
MONTH_ABBREVIATIONS = frozenset({
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
})
# Abbreviations (lowercased, without the final period) that are followed by more of the same
# sentence: titles before a name, and month names before a date. ("No." is left out: "No. 5"
# goes on through the digit rule, while "... he said no." ends.)
NONFINAL_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "messrs", "dr", "prof", "col", "gen", "lt", "sgt", "sgts", "capt", "cmdr",
    "maj", "adm", "cpl", "pvt", "det", "insp", "supt", "sen", "sens", "rep", "reps", "gov",
    "pres", "rev", "hon", "fr", "mt", "ft", "nos", "vol", "vols", "pp", "fig", "figs", "sec",
    "ch", "vs", "v", "cf", "assn", "e.g", "i.e",
}) | MONTH_ABBREVIATIONS
# Nonfinal abbreviations that may stand before any word, even one of CLOSED_OPENERS: "Yankees
# vs. The Red Sox", "cf. This", "e.g. The".
_OPEN_ABBREVIATIONS = frozenset({"vs", "v", "cf", "e.g", "i.e"})
# Abbreviations that stand before a number ("No. 5", "p. 12", "art. 3", "ca. 1900"): a number
# after them goes on with the sentence. Only checked before a number ("he said no." ends).
NUMBER_ABBREVIATIONS = frozenset({
    "no", "nos", "nr", "num", "p", "pp", "par", "para", "paras", "art", "arts", "ch", "chap",
    "sec", "secs", "vol", "vols", "fig", "figs", "tab", "eq", "eqs", "ref", "refs", "ed", "eds",
    "op", "ca", "approx", "tel", "ext", "pt", "pts", "bk", "ser",
})
# Abbreviations that end a sentence as often as not ("Apple Inc. said" / "... of Apple Inc.
# The"): like "U.S.", they end one only before a common sentence opener.
AMBIGUOUS_ABBREVIATIONS = frozenset({
    "inc", "ltd", "corp", "co", "plc", "llc", "jr", "sr", "st", "ave", "rd", "blvd", "etc",
    "dept", "univ", "approx", "bros",
})
# Words that commonly open an English sentence: after an abbreviation or initial that could
# also end a sentence ("U.S.", "a.m.", "an A."), one of these means the sentence did end.
SENTENCE_OPENERS = frozenset({
    "the", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "i", "you",
    "his", "her", "their", "our", "my", "there", "here", "in", "on", "at", "for", "but", "and",
    "or", "so", "yet", "a", "an", "if", "when", "while", "after", "before", "as", "since",
    "although", "however", "meanwhile", "still", "also", "then", "now", "what", "why", "how",
    "who", "where", "some", "many", "most", "all", "no", "not", "one", "both", "each", "more",
    "last", "earlier", "later", "instead", "despite", "according", "with", "without", "by",
    "from", "to", "under", "over", "until", "because", "even", "only", "other", "another",
    "which", "whose", "whether", "your", "every",
})
# Sentence openers that are never a name, an initial or a numeral: after a title or a measure
# ("Dr.", "Gov.", "ft.") one of them means the title or measure ended the sentence ("... a
# height of 30 ft. The wall ..."). Left out of SENTENCE_OPENERS' words: those that are also
# names or letters ("Dr. Who", "Dr. No", "Mr. An", "Mr. So", "vol. I", "Dr. A. Smith").
CLOSED_OPENERS = frozenset({
    "the", "this", "that", "these", "those", "he", "she", "it", "its", "they", "their", "we",
    "our", "you", "your", "his", "my", "there", "what", "why", "how", "where", "which", "when",
    "but", "however", "although", "because", "meanwhile", "if", "while", "whose", "whether",
    "every",
})


def split_sentences(text: str, lang: str, *, offset: int = 0, paragraph: int = 0
                    ) -> list[Sentence]:
    """Split one paragraph into sentences.

    Spans are ``offset`` + index into ``text``; leading bullets (``– ``, ``- ``, ``• ``) and the
    whitespace around sentences are left out of the spans, and ``Sentence.text`` is the raw
    slice ``text[start:end]``. ``lang`` ("ar", "en", ...) is recorded on each sentence.
    """
    pos = _LEADING.match(text).end()
    spans: list[list[int]] = []  # [start, end) into text
    pending: list[int] | None = None  # a punctuation-only chunk waiting for the next sentence
    for end in _boundaries(text, pos, lang):
        chunk = text[pos:end]
        stripped = chunk.strip()
        pos = end
        if not stripped:
            continue
        start = end - len(chunk) + (len(chunk) - len(chunk.lstrip()))
        stop = start + len(stripped)
        if _WORD_CHAR.search(stripped) is None:
            # "…", "“…" or a lone quote is no sentence: it joins the sentence before it, or
            # the one after it at the start of the paragraph (nothing is dropped)
            if spans:
                spans[-1][1] = stop
            elif pending is None:
                pending = [start, stop]
            else:
                pending[1] = stop
            continue
        spans.append([pending[0] if pending else start, stop])
        pending = None
    if pending is not None:  # the paragraph is punctuation only: keep it as it is
        spans.append(pending)
    return [Sentence(text=text[start:stop], start=offset + start, end=offset + stop, lang=lang,
                     paragraph=paragraph) for start, stop in spans]


def segment_section(document: Document, section: Section) -> list[Sentence]:
    """Split every piece of ``section``; a sentence's ``paragraph`` is its piece index."""
    sentences: list[Sentence] = []
    text = document.text
    for index, piece in enumerate(section.pieces):
        lang = piece.lang if piece.lang != "other" else section.lang
        sentences.extend(split_sentences(text[piece.start:piece.end], lang,
                                         offset=piece.start, paragraph=index))
    return sentences


def signature() -> str:
    """How sentences were split, for the output signature."""
    # rules-2: a sentence may open with a number; rules-3: a month, title or measure
    # abbreviation may end one before a word that cannot follow it ("Nov. What"), a quoted
    # question or exclamation runs on into its speech tag, an Arabic stop may be glued to the
    # next word; rules-4: not after a Title Case heading's words ("Set For Sept. With")
    return "seg:rules-4"


def _boundaries(text: str, pos: int, lang: str) -> list[int]:
    """End indices (exclusive) of the sentences of ``text``; the last is ``len(text)``."""
    n = len(text)
    last = len(text.rstrip())  # a candidate at or past the last non-space ends the paragraph
    enumerator = _ENUMERATOR.match(text, pos)  # "1. Regarding ...": a list label, not a sentence
    skip = enumerator.end() if enumerator else -1
    # match.end() - 1: the whitespace after the run is not part of it
    ends = [match.end() - 1 for match in _CANDIDATE.finditer(text, pos, last)
            if match.end() - 1 != skip and _is_boundary(text, match.start(), match.end() - 1)]
    if lang != "en":
        glued = [match.end() for match in _GLUED_CANDIDATE.finditer(text, pos, last)
                 if not _in_address(text, match.start())
                 and _is_boundary(text, match.start(), match.end())]
        if glued:
            ends = sorted(ends + glued)
    if lang != "en" and _QUOTE_MARK.search(text, pos):
        # English keeps its punctuation inside quotes ("... that?"); translated Arabic often
        # drops it and ends the sentence at the bare closing quote.
        stray = _stray_closing_quotes(text, pos)
        if stray:
            ends = sorted(set(ends).union(stray))
    ends.append(n)
    return ends


def _in_address(text: str, i: int) -> bool:
    """Whether ``text[i]`` lies in a web or mail address ("http://مثال.إختبار")."""
    start = max(text.rfind(" ", 0, i), text.rfind("\n", 0, i)) + 1
    stop = text.find(" ", i)
    chunk = text[start:stop if stop >= 0 else len(text)]
    return "/" in chunk or "@" in chunk


def _is_boundary(text: str, punct_start: int, end: int) -> bool:
    next_word = _NEXT_WORD.match(text, end).group(1)
    if (next_word and next_word[0].isascii() and next_word[0].islower()
            and next_word[1:] == next_word[1:].lower()):
        # "U.S. senators", '"Why?" he asked'; a name written with a small first letter
        # ("iPhone", "eBay") is taken as capitalised
        return False
    punct = text[punct_start:end].rstrip(_CLOSING_CHARS)
    if next_word and next_word[0].isascii() and next_word[0].isdigit():
        return _ends_before_number(text, punct_start, punct)
    if punct != ".":
        if punct[0] in ".\u2026" and punct_start > 0 and text[punct_start - 1].isspace():
            return False  # a free-standing ellipsis " ... " marks a pause inside a sentence
        if punct[-1] in "!?" and _QUOTE_CLOSER.search(text, punct_start, end):
            # '"Why?" Smith asked.': a quoted question or exclamation and the speech tag
            # after it are one sentence; a pronoun after it opens a new one ('"Why?" He ...')
            tag = _SPEECH_TAG.match(text, end)
            return tag is None or tag.group(1).lower() in SENTENCE_OPENERS
        return True  # "!", "?", "؟", "...", "…": the lowercase test above is all we can do
    # look back a bounded window so long paragraphs stay linear
    token_match = _TOKEN_BEFORE.search(text[max(0, punct_start - 24):punct_start])
    if token_match is None:
        return True
    token = token_match.group(1)
    lowered = token.lower()
    if lowered in NONFINAL_ABBREVIATIONS:
        # "Dr. Ford", "Col. Smith", "Sen. Jeff Flake" go on; "on Nov. What", "30 ft. The" end
        return (_ends_after_nonfinal(lowered, next_word)
                and not _title_cased_before(text, punct_start - len(token)))
    if len(token) == 1 and not token.isascii():
        # a single Arabic letter: an abbreviation ("د. محمد" Dr., "أ." Mr.) unless it follows
        # a number, where it is a unit or era ending the sentence ("عام 2019 م.")
        before = text[max(0, punct_start - 8):punct_start - 1].rstrip()
        return bool(before) and before[-1].isdigit()
    ambiguous = (len(token) == 1 or lowered in AMBIGUOUS_ABBREVIATIONS
                 or _DOTTED.fullmatch(token) is not None)
    if not ambiguous:
        return True
    if len(token) == 1 and not token.isupper():
        return True  # "plan b." is rare; a lowercase single letter is more likely a word end
    # "J. R. Smith", "U.S. Senate", "a.m. Tuesday" go on; "U.S. The", "an A. This" end; a
    # non-Latin next word (an Arabic sentence after "A.") also ends.
    if not next_word or not next_word[0].isascii():
        return True
    return next_word.lower() in SENTENCE_OPENERS


def _ends_after_nonfinal(abbreviation: str, next_word: str) -> bool:
    """Whether a title, measure or month abbreviation ended the sentence before ``next_word``
    (capitalised or not Latin: lowercase and digits were dealt with before): only before a
    word that cannot follow it inside a sentence, a sentence opener after a month ("Nov.
    What"), a closed-class opener after the rest ("Gov. The"); never after "vs.", "cf.", "e.g."
    which may stand before anything."""
    if not next_word or not next_word[0].isascii() or abbreviation in _OPEN_ABBREVIATIONS:
        return False
    if abbreviation in MONTH_ABBREVIATIONS:
        return next_word.lower() in SENTENCE_OPENERS
    return next_word.lower() in CLOSED_OPENERS


def _title_cased_before(text: str, at: int) -> bool:
    """The words just before ``at`` read as a Title Case heading (:func:`title_case_tail`:
    ``Apple Event Set For Sept. With ...``, ``Election Set for Nov. After ...``). A heading
    capitalises every word after an abbreviation too, so the capital says nothing of a
    sentence end; a sentence has a lowercase word (``votes are cast on Nov. What ...``)."""
    return title_case_tail(text[max(0, at - 80):at])


def title_case_tail(left: str) -> bool:
    """The last words of ``left`` (up to six) read as a Title Case heading: two capitalised
    words or more and no lowercase word of four letters or more (its small words, as, but,
    for, may be lowercase)."""
    words = left.split()[-6:]
    capitalised = sum(1 for w in words if w[:1].isupper())
    return capitalised >= 2 and not any(
        w[:1].islower() and sum(c.isalpha() for c in w) >= 4 for w in words)


def _ends_before_number(text: str, punct_start: int, punct: str) -> bool:
    """A sentence end before a word that starts with a digit ("... has left now. 18 holes
    to ..."): a sentence may open with a number like any other word, but after an
    abbreviation the number is mostly what it abbreviates for ("No. 5", "p. 12", "Sept. 29",
    "a.m. 7", "U.S. 1"), after a number the two are a list or a numbering ("1. 2. 3",
    "Figure 1. 2"), and after an ellipsis it is a pause ("… 10 minutes later")."""
    if punct in ("!", "?", "\u061f"):
        return True
    if punct != ".":
        return False
    before = text[:punct_start].rstrip(_CLOSING_CHARS)
    if not before or before[-1].isdigit() or not before[-1].isalpha():
        return False  # "1. 2", "5%. 3": too often a list, a numbering or a unit
    token_match = _TOKEN_BEFORE.search(text[max(0, punct_start - 24):punct_start])
    if token_match is None:
        return False
    token = token_match.group(1)
    lowered = token.lower()
    # an abbreviation, an initial or a single letter (Arabic "ص. 5" page), a dotted one
    return not (len(token) == 1 or lowered in NONFINAL_ABBREVIATIONS
                or lowered in AMBIGUOUS_ABBREVIATIONS or lowered in NUMBER_ABBREVIATIONS
                or _DOTTED.fullmatch(token) is not None)


def _stray_closing_quotes(text: str, pos: int) -> list[int]:
    """Sentence ends at closing quotes that close a quotation opened in an earlier paragraph.

    Example (dev page_001): ``لما لا أرغب في التنافس في ذلك" لم يعلن فريق ...``, whose quote
    opened the paragraph before. A straight ``"`` closes when it is glued to the word before
    and followed by whitespace; a closer met while no quotation is open is *stray* and ends the
    sentence, unless the next quote mark closes too (then it was a misplaced opener, as in
    ``وقال" إننا ... الشمالية".``) or a comma precedes it (``..., " he said``).
    """
    marks = [(m.start(), _closes(text, m.start())) for m in _QUOTE_MARK.finditer(text, pos)]
    ends = []
    is_open = False
    for k, (i, closes) in enumerate(marks):
        if not closes:
            is_open = True
        elif is_open:
            is_open = False
        elif k + 1 < len(marks) and marks[k + 1][1]:
            is_open = True  # a misplaced opener: the next mark closes the quotation
        elif text[i - 1] not in ",\u060c":
            end = i + 1
            while end < len(text) and text[end] in _TERMINATOR_CHARS:
                end += 1
            if text[end:].strip() and text[end].isspace():
                ends.append(end)
    return ends


def _closes(text: str, i: int) -> bool:
    ch = text[i]
    if ch in "\u201d\u00bb":
        return True
    if ch != '"':
        return False
    return (i > 0 and not text[i - 1].isspace()
            and (i + 1 == len(text) or text[i + 1].isspace() or text[i + 1] in _TERMINATOR_CHARS))
