"""Text normalisation schemes for Arabic and English text.

Entry point: ``normalize(text, scheme="light")``. Schemes, each a superset of the one before:

* ``none``: the text unchanged.
* ``light`` (the default for output): changes only what does not carry meaning. Arabic
  presentation forms become base letters (NFKC, but only for those blocks), everything else is
  NFC; tatweel, bidi controls and stray zero-width characters are removed; runs of spaces
  collapse to one; no space before ``,`` ``.`` ``،`` ``؛`` ``؟`` ``:`` and the like, one after
  the Arabic ones. Line breaks are kept: a line structure is part of the text.
* ``match`` (for comparing texts, never for output): ``light`` plus full NFKC, diacritics
  removed, alef/hamza variants, alef maksura and teh marbuta unified, Arabic-Indic digits to
  ASCII, case folded. Two spellings of one sentence then compare equal.

The raw text always stays reachable: normalisation runs on copies, and every sentence keeps
its span into ``Document.text``.
"""

from __future__ import annotations

import re
import unicodedata

from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (normalize_alef_ar, normalize_alef_maksura_ar,
                                         normalize_teh_marbuta_ar, normalize_unicode)
from pyarabic.araby import strip_tatweel

from corpus.charsets import ARABIC_INDIC_DIGITS, PERSIAN_DIGITS
from corpus.errors import InputError
from corpus.stagemodule import make_callable

SCHEMES = ("none", "light", "match")
DEFAULT_SCHEME = "light"

# Tatweel (kashida) U+0640: stretches a letter for justification; never part of a word.
TATWEEL = "\u0640"
# Bidi controls: LRM U+200E, RLM U+200F, Arabic letter mark U+061C, embeddings and overrides
# LRE U+202A, RLE U+202B, PDF U+202C, LRO U+202D, RLO U+202E, isolates LRI U+2066, RLI U+2067,
# FSI U+2068, PDI U+2069. They steer display only; scraped pages are full of stray ones.
BIDI_CONTROLS = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"
                          "\u2066\u2067\u2068\u2069")
# Invisible characters that carry no meaning in Arabic or English text: zero width space
# U+200B, word joiner U+2060, zero width no-break space / byte order mark U+FEFF, soft hyphen
# U+00AD (a hyphenation hint).
INVISIBLES = frozenset("\u200b\u2060\ufeff\u00ad")
# Zero width non-joiner U+200C and joiner U+200D change how letters join (Persian and Urdu
# spell words with ZWNJ, e.g. "می‌خواهم"), so one between two letters is kept; at a word edge,
# next to a space or doubled they are stray and removed.
JOINERS = frozenset("\u200c\u200d")
# Spaces other than U+0020 that scraped text carries: tab, no-break space U+00A0, Ogham space
# U+1680, en quad..hair space U+2000-U+200A, narrow no-break space U+202F, medium mathematical
# space U+205F, ideographic space U+3000. Each becomes one ordinary space.
SPACES = frozenset("\u0009\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
                   "\u2008\u2009\u200a\u202f\u205f\u3000")
# Line breaks other than LF: CR U+000D (CRLF collapses to LF), line separator U+2028, paragraph
# separator U+2029, next line U+0085.
LINE_BREAKS = frozenset("\u000d\u2028\u2029\u0085")
# Punctuation that takes no space before it: comma, full stop, semicolon, colon, exclamation
# and question marks, percent, Arabic comma U+060C, Arabic semicolon U+061B, Arabic question
# mark U+061F, Arabic percent sign U+066A, horizontal ellipsis U+2026.
NO_SPACE_BEFORE = frozenset("\u002c\u002e\u003b\u003a\u0021\u003f\u0025"
                            "\u060c\u061b\u061f\u066a\u2026")
# Arabic punctuation that takes one space after it when a letter follows directly: Arabic
# comma U+060C, semicolon U+061B, question mark U+061F. (Latin "." "," ":" are left alone
# after them: "U.S.", "3.5", "1,600", "10:30", URLs.)
SPACE_AFTER = frozenset("\u060c\u061b\u061f")
# Arabic presentation forms A (U+FB50-U+FDFF) and B (U+FE70-U+FEFF): glyph variants (initial,
# medial, final, isolated; lam-alef ligatures) that old encoders and PDFs emit instead of
# letters. NFKC maps them to base letters without changing meaning.
PRESENTATION_FORMS = "\ufb50-\ufdff\ufe70-\ufefe"  # U+FEFF (BOM) is handled as an invisible
# Letters unified by "match" on top of camel-tools' alef/maksura/teh marbuta maps: alef with
# wavy hamza above/below U+0672 U+0673 -> alef U+0627; Farsi yeh U+06CC -> yeh U+064A; keheh
# U+06A9 -> kaf U+0643.
MATCH_LETTERS = {"\u0672": "\u0627", "\u0673": "\u0627", "\u06cc": "\u064a", "\u06a9": "\u0643"}



def _cls(chars) -> str:
    """The body of a regex character class holding ``chars``."""
    return "".join(re.escape(c) for c in sorted(chars))


# Regex substitutions rather than str.translate with a dict: translate walks every character
# in Python-level lookups (~18 MB/s here); a regex only stops at the rare matches (~100 MB/s).
_DELETE = re.compile(f"[{_cls(BIDI_CONTROLS | INVISIBLES)}]+")  # tatweel: pyarabic
_OTHER_SPACE = re.compile(f"[{_cls(SPACES)}]")
_OTHER_LINE_BREAK = re.compile(f"\r\n|[{_cls(LINE_BREAKS)}]")
# "match" maps Arabic-Indic and Persian digits (corpus.charsets) to ASCII, with the Arabic
# decimal separator U+066B and thousands separator U+066C.
_DIGIT_VALUE = {**{c: str(i) for i, c in enumerate(sorted(ARABIC_INDIC_DIGITS))},
                **{c: str(i) for i, c in enumerate(sorted(PERSIAN_DIGITS))},
                "\u066b": ".", "\u066c": ",", **MATCH_LETTERS}
_MATCH_MAP = re.compile(f"[{_cls(_DIGIT_VALUE)}]")
_PRESENTATION = re.compile(f"[{PRESENTATION_FORMS}]+")
_JOINER_RUN = re.compile(f"[{_cls(JOINERS)}]+")
_SPACE_RUN = re.compile(" {2,}")
_SPACE_AT_LINE_EDGE = re.compile(" *\n *")
# spaces before no-space punctuation, unless a digit follows (" .5 percent", " ,000")
_SPACE_BEFORE_PUNCT = re.compile(f" +(?=[{_cls(NO_SPACE_BEFORE)}](?!\\d))")
_MISSING_SPACE_AFTER = re.compile(f"[{_cls(SPACE_AFTER)}](?=[^\\W\\d_])")
# any character that one of the rarer steps (line breaks, spaces, presentation forms, tatweel,
# bidi, invisibles, joiners) would change
_UNUSUAL = re.compile(f"[{_cls(LINE_BREAKS | SPACES | BIDI_CONTROLS | INVISIBLES | JOINERS)}"
                      f"{TATWEEL}{PRESENTATION_FORMS}]")


def normalize(text: str, scheme: str = DEFAULT_SCHEME) -> str:
    """Return ``text`` normalised with ``scheme`` (one of ``SCHEMES``).

    Raises ``InputError`` for an unknown scheme.
    """
    if scheme == "light":
        return _light(text)
    if scheme == "match":
        return _match(_light(text))
    if scheme == "none":
        return text
    raise InputError(f"unknown normalisation scheme {scheme!r}",
                     hint=f"choose one of: {', '.join(SCHEMES)}")


def normalizer_signature(scheme: str = DEFAULT_SCHEME) -> str:
    """The component signature for output metadata, e.g. ``norm:light``."""
    if scheme not in SCHEMES:
        normalize("", scheme)  # raises the InputError
    return f"norm:{scheme}"


def _light(text: str) -> str:
    # Each step first checks cheaply (one C-speed scan or substring test) whether it has
    # anything to do: most lines need only one or two of them, and the regex passes cost
    # ~100 MB/s each.
    if _UNUSUAL.search(text):
        text = _OTHER_LINE_BREAK.sub("\n", text)
        text = _OTHER_SPACE.sub(" ", text)
        if _PRESENTATION.search(text):
            # NFKC only here: full NFKC would also turn "m²" into "m2", "½" into "1⁄2" and
            # fullwidth or ligature letters into others, which can change what a text says.
            text = _PRESENTATION.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
        text = _DELETE.sub("", strip_tatweel(text))
        if "\u200c" in text or "\u200d" in text:
            text = _JOINER_RUN.sub(_keep_inner_joiner, text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _SPACE_AT_LINE_EDGE.sub("\n", text)
    text = _SPACE_BEFORE_PUNCT.sub("", text)
    if "\u060c" in text or "\u061b" in text or "\u061f" in text:  # SPACE_AFTER, spelt out
        text = _MISSING_SPACE_AFTER.sub("\\g<0> ", text)
    return text.strip(" ")


def _keep_inner_joiner(match: re.Match) -> str:
    text, start, end = match.string, match.start(), match.end()
    inner = 0 < start and end < len(text) and text[start - 1].isalpha() and text[end].isalpha()
    return match.group()[0] if inner else ""


def _match(text: str) -> str:
    # Full NFKC (through camel-tools, which also expands the rial and bismillah ligatures) is
    # fine here: "match" text is only compared, never written out.
    if not unicodedata.is_normalized("NFKC", text):
        text = normalize_unicode(text)
    text = dediac_ar(text)  # harakat, shadda, sukun, tanween, superscript alef U+0670
    text = normalize_alef_ar(text)  # alef with hamza above/below, madda, wasla -> bare alef
    text = normalize_alef_maksura_ar(text)
    text = normalize_teh_marbuta_ar(text)
    text = _MATCH_MAP.sub(lambda m: _DIGIT_VALUE[m.group()], text)
    text = _JOINER_RUN.sub("", text) if ("\u200c" in text or "\u200d" in text) else text
    return text.casefold()


# `corpus.normalize` is both this module and its entry point: calls on the module go to it.
make_callable(__name__)
