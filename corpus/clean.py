"""Cleaning: named, configurable rules that reject bad pairs, and count what they reject.

Nothing is dropped silently. ``clean_pairs`` splits its input into the rows that stay (aligned
and mt), the untranslated rows, and the rejects, each reject carrying the name of the rule that
fired; every input row lands in exactly one of the three. ``filter_pairs`` adds deduplication
(``corpus.dedup``) on top and is what the pipeline calls before ``write_corpus``.

Which side a rule looks at depends on the row's origin. On ``aligned`` rows both sides are
human text, so every rule applies. On ``mt`` rows the English is a machine translation: rules
that judge whether the English is a faithful translation (length ratio, numbers, script of the
English) are skipped, because a model's slips are not a reason to lose the Arabic; rules about
the Arabic itself still apply, and so do ``identical`` (the model echoed its input) and an empty
English. ``untranslated`` rows have no English; only rules about the Arabic being real text
apply (URLs/numbers only, boilerplate, wrong script), so junk does not pose as untranslated text.

The length-ratio band and the other defaults were calibrated on the development bench gold,
see ``scripts/calibrate_clean.py`` and ``docs/benchmarks/clean.md``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Iterable

from corpus.charsets import (ARABIC_BLOCKS, ARABIC_RUN, LATIN_BLOCKS, LATIN_RUN, count_letters,
                             in_blocks, to_ascii_digits)
from corpus.errors import InputError
from corpus.types import Pair

# Rule names, in the order they are tried: the first that fires is the one reported.
RULES = ("non_text", "boilerplate", "too_short", "too_long", "identical", "wrong_language",
         "length_ratio", "number_mismatch")

# Which rules apply to which origin (see the module docstring for why).
_RULES_BY_ORIGIN = {
    "aligned": frozenset(RULES),
    "mt": frozenset({"non_text", "boilerplate", "too_short", "too_long", "wrong_language",
                     "identical"}),
    "untranslated": frozenset({"non_text", "boilerplate", "wrong_language"}),
}


@dataclass(frozen=True)
class CleanConfig:
    """Which rules run, and their thresholds. ``rules`` names the enabled rules (see RULES)."""

    rules: tuple[str, ...] = RULES
    # len(en) / len(ar) in characters must lie in [ratio_min, ratio_max]; calibrated on the dev
    # bench gold: its 0.25%/99.75% quantiles (0.53, 1.62) widened by 1.25; keeps all 428 gold
    # beads, whose ratios run 0.49-1.79 (scripts/calibrate_clean.py).
    ratio_min: float = 0.4
    ratio_max: float = 2.05
    # the ratio is noisy on short text: only judge it when the longer side has this many chars
    ratio_min_chars: int = 20
    min_chars: int = 3  # a side shorter than this (after stripping) is too short
    # a sentence longer than this is a segmentation failure. Judged per sentence of a side (as
    # corpus.segment splits it), not on the side as a whole: a row that joins two or three
    # sentences (a 1-3 bead of a paragraph whose Arabic has no full stop) is no failure,
    # and its English, about 1.1x the Arabic's length, passes the cap long before the Arabic
    max_chars: int = 1000
    # share of the side's letters that must be in its script (Arabic letters in ar, Latin in en)
    min_script_share: float = 0.5
    script_min_letters: int = 4  # too few letters to judge the script below this

    def __post_init__(self):
        unknown = [r for r in self.rules if r not in RULES]
        if unknown:
            raise InputError(f"unknown cleaning rule(s): {', '.join(unknown)}",
                             hint=f"known rules: {', '.join(RULES)}")
        if not 0 < self.ratio_min < self.ratio_max:
            raise InputError(f"length-ratio band must satisfy 0 < min < max, got "
                             f"{self.ratio_min}-{self.ratio_max}")

    @classmethod
    def without(cls, *names: str, **overrides) -> "CleanConfig":
        """The default config with the named rules turned off (and thresholds overridden)."""
        rules = tuple(r for r in RULES if r not in names)
        unknown = [n for n in names if n not in RULES]
        if unknown:
            raise InputError(f"unknown cleaning rule(s): {', '.join(unknown)}",
                             hint=f"known rules: {', '.join(RULES)}")
        return cls(rules=rules, **overrides)

    def signature(self) -> str:
        """Compact recipe, e.g. ``clean:nontext,boiler,short3,...,ratio0.4-2.05@20,num``."""
        if not self.rules:
            return "clean:off"
        parts = {
            "non_text": "nontext",
            "boilerplate": "boiler",
            "too_short": f"short{self.min_chars}",
            "too_long": f"longsent{self.max_chars}",
            "wrong_language": f"script{_num(self.min_script_share)}@{self.script_min_letters}",
            "identical": "ident",
            "length_ratio": f"ratio{_num(self.ratio_min)}-{_num(self.ratio_max)}"
                            f"@{self.ratio_min_chars}",
            "number_mismatch": "num",
        }
        return "clean:" + ",".join(parts[r] for r in RULES if r in self.rules)

    def to_dict(self) -> dict:
        return {f.name: (list(getattr(self, f.name)) if f.name == "rules"
                         else getattr(self, f.name)) for f in fields(self)}


def _num(x: float) -> str:
    return f"{x:g}"


@dataclass(frozen=True)
class Reject:
    """A pair a cleaning rule refused, with the rule's name and what it saw."""

    pair: Pair
    rule: str
    detail: str = ""


@dataclass
class Cleaned:
    """The result of cleaning (and, through ``filter_pairs``, deduplication).

    ``pairs``: aligned and mt rows for the main output; ``untranslated``: Arabic with no English;
    ``rejects``: what a rule refused. Each list keeps input order.
    """

    pairs: list[Pair] = field(default_factory=list)
    untranslated: list[Pair] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    duplicates_merged: int = 0  # rows folded into an earlier identical row by dedup

    @property
    def reject_counts(self) -> dict[str, int]:
        """Rejects per rule, every enabled-or-not rule listed (0 when it never fired)."""
        counts = Counter(r.rule for r in self.rejects)
        return {rule: counts.get(rule, 0) for rule in RULES}

    def summary(self) -> dict:
        origins = Counter(p.origin for p in self.pairs)
        return {
            "aligned": origins.get("aligned", 0),
            "mt": origins.get("mt", 0),
            "untranslated": len(self.untranslated),
            "rejected": len(self.rejects),
            "rejects_by_rule": self.reject_counts,
            "duplicates_merged": self.duplicates_merged,
        }


# ---------------------------------------------------------------------------------------------
# Character classes and text tests

# Arabic thousands separator U+066C and decimal separator U+066B
ARABIC_THOUSANDS_SEP = "\u066c"
ARABIC_DECIMAL_SEP = "\u066b"


_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w.-]+\.(?:com|org|net|edu|gov|info|io|co|uk|me)"
                  r"(?:/\S*)?", re.IGNORECASE)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_NUMBER = re.compile(r"\d+(?:[.,\u066b\u066c]\d+)*")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")

# Arabic diacritics (harakat U+064B-U+0652, superscript alef U+0670) and tatweel U+0640
_ARABIC_MARKS = frozenset(chr(c) for c in (*range(0x064B, 0x0653), 0x0670, 0x0640))
_DROP_MARKS = str.maketrans({ch: None for ch in _ARABIC_MARKS})
_NON_LETTERS = re.compile(r"[\W\d_]+")
# alef variants: alef with madda U+0622, hamza above U+0623, hamza below U+0625, wasla U+0671
_ALEF_VARIANTS = str.maketrans({"\u0622": "\u0627", "\u0623": "\u0627", "\u0625": "\u0627",
                                "\u0671": "\u0627", "\u0649": "\u064a", "\u0629": "\u0647"})
# both in one table, one pass over the text (no variant maps to a mark, so the order of the
# two steps did not matter)
_KEY_MAP = {**_ALEF_VARIANTS, **_DROP_MARKS}

# Boilerplate: a whole cell (after _boiler_key) equal to one of these is page furniture.
# Written in the _boiler_key form: lower case, letters only, alef/yeh/teh marbuta unified.
BOILERPLATE_EN = frozenset({
    "related videos", "related articles", "related posts", "related stories", "related",
    "share this", "share", "share on facebook", "share on twitter", "tweet", "print", "email",
    "read more", "read more here", "continue reading", "click here", "subscribe",
    "subscribe now", "follow us", "like this", "like loading", "loading", "you may also like",
    "leave a comment", "leave a reply", "comments", "advertisement", "sponsored",
    "all rights reserved", "previous article", "next article", "previous post", "next post",
    "home", "menu", "search", "skip to content", "back to top",
})
BOILERPLATE_AR = frozenset({
    "مقالات مشابهه", "مقالات ذات صله", "اخبار ذات صله", "فيديوهات ذات صله", "مواضيع ذات صله",
    "اقرا ايضا", "اقرا المزيد", "شارك", "شارك هذا", "شارك المقال", "مشاركه",
    "جميع الحقوق محفوظه", "تابعونا", "اضغط هنا", "انقر هنا", "اعلان", "التعليقات",
    "اترك تعليقا", "اترك ردا", "المقال السابق", "المقال التالي", "الرئيسيه", "طباعه",
})
# Metadata lines that start a cell and are short: bylines and copyright notices.
_BOILER_PATTERNS = (
    re.compile(r"^(?:written|translated|edited|posted|reported|photo|photos|image) by\b.{0,60}$",
               re.IGNORECASE),
    re.compile(r"^(?:copyright|\u00a9)\s.{0,80}$", re.IGNORECASE),  # U+00A9 copyright sign
    re.compile(r"^.{0,60}\ball rights reserved\b.{0,20}$", re.IGNORECASE),
    # a short byline: بقلم (by) NAME, or ترجمة: (translation:) NAME. Not كتب (wrote), which
    # opens ordinary sentences (كتب فلايشر: ... "Fleischer wrote: ...")
    re.compile(r"^(?:\u0628\u0642\u0644\u0645[\s:]|\u062a\u0631\u062c\u0645\u0629\s*:).{0,40}$"),
    re.compile(r"^.{0,40}\u062c\u0645\u064a\u0639 \u0627\u0644\u062d\u0642\u0648\u0642"
               r" \u0645\u062d\u0641\u0648\u0638\u0629.{0,30}$"),  # جميع الحقوق محفوظة
)


# A cell made only of these words and digits is a date line (``نوفمبر 7, 2017``,
# ``Monday, 10 June 2019``), page metadata rather than text. In the _boiler_key form.
DATE_WORDS = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "st", "nd", "rd", "th", "am", "pm", "on", "created", "posted",
    "updated", "published",
    "يناير", "فبراير", "مارس", "ابريل", "مايو", "يونيو", "يونيه", "يوليو", "يوليه", "اغسطس",
    "سبتمبر", "اكتوبر", "نوفمبر", "ديسمبر", "كانون", "شباط", "اذار", "نيسان", "ايار", "حزيران",
    "تموز", "اب", "ايلول", "تشرين", "الاول", "الثاني", "الاحد", "الاثنين", "الثلاثاء",
    "الاربعاء", "الخميس", "الجمعه", "السبت", "م", "ه", "هـ",
})


def script_shares(text: str) -> tuple[int, float, float]:
    """(number of letters, share of them Arabic, share of them Latin)."""
    letters = count_letters(text)
    if not letters:
        return 0, 0.0, 0.0
    arabic = count_letters("".join(ARABIC_RUN.findall(text)))
    latin = count_letters("".join(LATIN_RUN.findall(text)))
    return letters, arabic / letters, latin / letters


def is_non_text(text: str) -> bool:
    """True when nothing but URLs, e-mail addresses, numbers, punctuation and symbols is left."""
    rest = _EMAIL.sub(" ", text) if "@" in text else text  # an address needs its @
    rest = _URL.sub(" ", rest)
    # str.isalpha is category L*, tested in C
    return not any(map(str.isalpha, rest))


@lru_cache(maxsize=4096)
def _boiler_key(text: str) -> str:
    # cached: check_pair asks for the key of each side twice (boilerplate, identical), and a
    # text repeated across pages (a post shown on every page) is keyed once
    text = unicodedata.normalize("NFKC", text).casefold().translate(_KEY_MAP)
    # every non-letter becomes a space; [\W\d_] is that but for No/Nl numerals (² Ⅻ),
    # which str.isalpha settles on the few words that hold one
    words = _NON_LETTERS.sub(" ", text).split()
    if all(map(str.isalpha, words)):
        return " ".join(words)
    return " ".join("".join(ch if ch.isalpha() else " " for ch in " ".join(words)).split())


def boilerplate_kind(text: str) -> str | None:
    """``"byline"``, ``"date"`` or ``"boilerplate"`` when ``text`` is page furniture, else None."""
    stripped = " ".join(text.split())
    if any(p.match(stripped) for p in _BOILER_PATTERNS):
        return "byline"
    key = _boiler_key(stripped)
    if key in BOILERPLATE_EN or key in BOILERPLATE_AR:
        return "boilerplate"
    words = key.split()
    if words and all(w in DATE_WORDS for w in words) and any(ch.isdigit() for ch in stripped):
        return "date"
    return None


def is_boilerplate(text: str) -> bool:
    return boilerplate_kind(text) is not None


def extract_numbers(text: str) -> list[str]:
    """Numbers in ``text`` in a canonical form: ASCII digits, no thousands separators, ``.`` as
    the decimal point. ``٢٦٬٧٥٠`` and ``26,750`` both give ``26750``."""
    out = []
    for raw in _NUMBER.findall(to_ascii_digits(text)):
        num = raw.replace(ARABIC_THOUSANDS_SEP, ",").replace(ARABIC_DECIMAL_SEP, ".")
        if _GROUPED.fullmatch(num):
            num = num.replace(",", "")
        out.append(num.replace(",", "."))
    return out


def _significant(num: str) -> str:
    """The digits that carry the value: ``3.26`` and ``3260000`` (3.26 million) both give
    ``326``, ``300`` and ``300000`` (300 ألف, 300 thousand) both give ``3``."""
    return num.replace(".", "").lstrip("0").rstrip("0")


def _compatible(a: str, b: str) -> bool:
    sa, sb = _significant(a), _significant(b)
    if sa == sb:
        return True
    # a range written short on one side: 1950-53 against 1950 ... 1953
    short, long_ = sorted((a.replace(".", ""), b.replace(".", "")), key=len)
    return len(short) >= 2 and long_.endswith(short)


def numbers_disagree(ar: str, en: str) -> tuple[bool, str]:
    """Clearly contradictory numbers: both sides have numbers of two or more digits and none
    of one side's can be matched with any of the other's. Single digits are ignored (they are
    often written as words), and so is a number missing on one side (a unit converted, a
    number spelled out); a scale word (thousand, مليون) is allowed for by comparing
    significant digits."""
    ar_nums = {n for n in extract_numbers(ar) if len(n.replace(".", "")) >= 2}
    en_nums = {n for n in extract_numbers(en) if len(n.replace(".", "")) >= 2}
    if not ar_nums or not en_nums:
        return False, ""
    if any(_compatible(a, e) for a in ar_nums for e in en_nums):
        return False, ""
    return True, f"ar {','.join(sorted(ar_nums))} vs en {','.join(sorted(en_nums))}"


def _same_text(a: str, b: str) -> bool:
    key = _boiler_key(a)
    return key == _boiler_key(b) and bool(key)


# ---------------------------------------------------------------------------------------------
# The rules


def check_pair(pair: Pair, config: CleanConfig | None = None) -> Reject | None:
    """The first enabled rule (in RULES order) that rejects ``pair``, or None to keep it."""
    config = config or CleanConfig()
    applicable = _RULES_BY_ORIGIN.get(pair.origin)
    if applicable is None:
        raise InputError(f"pair has unknown origin {pair.origin!r}", path=pair.doc or None,
                         hint="origin must be aligned, mt or untranslated")
    enabled = [r for r in RULES if r in config.rules and r in applicable]
    both = pair.origin == "aligned"
    ar, en = pair.ar.strip(), pair.en.strip()
    # (side name, text) pairs a rule about "a side" looks at
    sides = [("ar", ar), ("en", en)] if both else [("ar", ar)]
    for rule in enabled:
        detail = _RULE_FUNCS[rule](pair, ar, en, sides, config)
        if detail is not None:
            return Reject(pair=pair, rule=rule, detail=detail)
    return None


def _rule_non_text(pair, ar, en, sides, config):
    for name, text in sides:
        if text and is_non_text(text):
            return f"{name} has no words: {text[:40]}"
    return None


def _rule_boilerplate(pair, ar, en, sides, config):
    for name, text in sides:
        kind = boilerplate_kind(text)
        if kind is not None:
            return f"{name} is a {kind} line: {text[:40]}"
    return None


def _rule_too_short(pair, ar, en, sides, config):
    for name, text in sides:
        if len(text) < config.min_chars:
            return f"{name} has {len(text)} chars < {config.min_chars}"
    if pair.origin == "mt" and not en:
        return "en is empty"
    return None


def _rule_too_long(pair, ar, en, sides, config):
    from corpus.segment import split_sentences

    for name, text in sides:
        if len(text) > config.max_chars:
            longest = max(len(s.text) for s in split_sentences(text, name))
            if longest > config.max_chars:
                return (f"{name} has a sentence of {longest} chars > {config.max_chars}"
                        f" ({len(text)} chars in all)")
    return None


def _rule_wrong_language(pair, ar, en, sides, config):
    for name, text in sides:
        n, arabic, latin = script_shares(text)
        if n < config.script_min_letters:
            continue
        share = arabic if name == "ar" else latin
        if share < config.min_script_share:
            script = "Arabic" if name == "ar" else "Latin"
            return f"{name} has {share:.0%} {script} letters < {config.min_script_share:.0%}"
    return None


def _rule_identical(pair, ar, en, sides, config):
    if en and _same_text(ar, en):
        return "ar and en are the same text"
    return None


def _rule_length_ratio(pair, ar, en, sides, config):
    if not ar or not en or max(len(ar), len(en)) < config.ratio_min_chars:
        return None
    ratio = len(en) / len(ar)
    if ratio < config.ratio_min or ratio > config.ratio_max:
        return (f"len(en)/len(ar) = {ratio:.2f} outside "
                f"{_num(config.ratio_min)}-{_num(config.ratio_max)}")
    return None


def _rule_number_mismatch(pair, ar, en, sides, config):
    bad, detail = numbers_disagree(ar, en)
    return detail if bad else None


_RULE_FUNCS = {
    "non_text": _rule_non_text,
    "boilerplate": _rule_boilerplate,
    "too_short": _rule_too_short,
    "too_long": _rule_too_long,
    "wrong_language": _rule_wrong_language,
    "identical": _rule_identical,
    "length_ratio": _rule_length_ratio,
    "number_mismatch": _rule_number_mismatch,
}


def clean_pairs(pairs: Iterable[Pair], config: CleanConfig | None = None) -> Cleaned:
    """Run the cleaning rules over ``pairs``; every row lands in exactly one list of the result.

    Rows whose Arabic is empty are not Arabic text at all; they are rejected as ``too_short``
    whatever the config, so a bug upstream shows up in the rejects rather than in the corpus.
    """
    config = config or CleanConfig()
    result = Cleaned()
    # A rule's verdict depends only on the origin and the two texts, so a row repeated across
    # pages (a post shown on every page of a site, a line said over and over) is judged once.
    verdicts: dict[tuple[str, str, str], tuple[str, str] | None] = {}
    for pair in pairs:
        if not pair.ar.strip():
            result.rejects.append(Reject(pair=pair, rule="too_short", detail="ar is empty"))
            continue
        key = (pair.origin, pair.ar, pair.en)
        if key in verdicts:
            verdict = verdicts[key]
            reject = None if verdict is None else Reject(pair=pair, rule=verdict[0],
                                                         detail=verdict[1])
        else:
            reject = check_pair(pair, config)
            verdicts[key] = None if reject is None else (reject.rule, reject.detail)
        if reject is not None:
            result.rejects.append(reject)
        elif pair.origin == "untranslated":
            result.untranslated.append(pair)
        else:
            result.pairs.append(pair)
    return result


def filter_pairs(pairs: Iterable[Pair], config: CleanConfig | None = None, *,
                 dedup: bool = True, scheme: str = "match") -> Cleaned:
    """Clean, then merge duplicates (see ``corpus.dedup.dedup_pairs``): the one call the
    pipeline makes between alignment and ``write_corpus``."""
    from corpus.dedup import dedup_pairs

    pairs = list(pairs)
    cleaned = clean_pairs(pairs, config)
    if not dedup:
        return cleaned
    rejected = {id(r.pair) for r in cleaned.rejects}
    kept = [p for p in pairs if id(p) not in rejected and p.ar.strip()]
    merged = dedup_pairs(kept, scheme=scheme)
    return Cleaned(
        pairs=[p for p in merged if p.origin != "untranslated"],
        untranslated=[p for p in merged if p.origin == "untranslated"],
        rejects=cleaned.rejects,
        duplicates_merged=len(kept) - len(merged),
    )


CLEAN_RULES = RULES  # public alias: ``corpus.CLEAN_RULES``
