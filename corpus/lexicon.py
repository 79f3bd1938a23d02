"""A word translation model learned from the input itself (IBM Model 1), for choosing where a
unit is cut (:mod:`corpus.refine`).

Entry point: :func:`train_lexicon`. After the first alignment pass, the 1-1 beads of the pages
being refined are a small parallel corpus; a few EM iterations of IBM Model 1 on it, in both
directions, give translation probabilities ``t(ar word | en word)`` and ``t(en word | ar
word)`` (as Hunalign and Moore's aligner learn their dictionaries from the text they align).
A sentence embedding cannot tell two cuts one word apart; the words right at the boundary do,
and the lexicon sees which side's translation holds them.

Words are matched in a normalised form: Arabic with the ``match`` scheme, the clitics
و ف ب ك ل and the article ال taken off the front and common suffixes off the end; English
lowercased and cut to its first six letters (a crude stem: sparse data want few forms).
Numbers (any digits, read as ASCII) and Latin-script words are the same token on both sides
and always translate themselves.

Deterministic (fixed iteration count; EM's sums taken in one fixed order). Training runs in
numpy over all word links at once: the plain loop took ~2.6 s of a cold run on the dev bench.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

# words: letters and digits (the Arabic ones included), no punctuation
_WORD = re.compile(r"\w+")
_DIGITS = re.compile(r"^\d+$")
_LATIN = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
# Arabic proclitics, after match normalisation: و (U+0648) ف (U+0641) ب (U+0628)
# ك (U+0643) ل (U+0644), the article ال (U+0627 U+0644), ordered longest first
_AR_PREFIXES = ("\u0648\u0627\u0644", "\u0641\u0627\u0644", "\u0628\u0627\u0644",
                "\u0643\u0627\u0644", "\u0644\u0644", "\u0627\u0644",
                "\u0648", "\u0641", "\u0628", "\u0644")
# suffixes: pronouns هما هم هن ها كم نا, plurals and duals ات ون ين ان, ه (teh marbuta after
# match normalisation, or the pronoun), ي
_AR_SUFFIXES = ("\u0647\u0645\u0627", "\u0647\u0645", "\u0647\u0646", "\u0647\u0627",
                "\u0643\u0645", "\u0646\u0627", "\u0627\u062a", "\u0648\u0646",
                "\u064a\u0646", "\u0627\u0646", "\u0647", "\u064a")
NULL = ""  # the empty word: what a word with no translation on the other side comes from
# the probability of a word given words it was never seen with (every unseen pairing gets
# it, so it only says "no evidence")
FLOOR = 1e-4
ITERATIONS = 5


@lru_cache(maxsize=65536)
def token(word: str, lang: str) -> str:
    """The form in which ``word`` (one ``\\w+`` match) is looked up; "" for none."""
    if _DIGITS.match(word):
        return word if word.isascii() else _ascii_digits(word)
    if _LATIN.match(word):
        return word.lower() if lang == "ar" else word.lower()[:6]
    if lang == "en":
        return word.lower()[:6]
    from corpus.normalize import normalize

    w = normalize(word, "match")
    for p in _AR_PREFIXES:
        if w.startswith(p) and len(w) - len(p) >= 3:
            w = w[len(p):]
            break
    for s in _AR_SUFFIXES:
        if w.endswith(s) and len(w) - len(s) >= 3:
            w = w[:-len(s)]
            break
    return w


def _ascii_digits(word: str) -> str:
    from corpus.charsets import to_ascii_digits

    return to_ascii_digits(word)


def tokens(text: str, lang: str) -> list[tuple[int, str]]:
    """(character offset, token) of each word of ``text``."""
    out = []
    for m in _WORD.finditer(text):
        t = token(m.group(), lang)
        if t:
            out.append((m.start(), t))
    return out


def _identity(t: str) -> bool:
    return t.isascii()  # numbers and Latin-script words


@dataclass
class Lexicon:
    """``t[(f, e)]``: probability of the word ``f`` of language ``lang_f`` given ``e``, for
    both directions, keyed by ``(lang_f, lang_e)``."""

    t: dict = field(default_factory=dict)  # (lang_f, lang_e) -> {(f, e): prob}
    pairs: int = 0

    def prob(self, f: str, lang_f: str, es: list[str], lang_e: str) -> float:
        """P(f | the words ``es``): Model 1's average over ``es`` and the empty word."""
        table = self.t[(lang_f, lang_e)]
        s = table.get((f, NULL), 0.0) + sum(
            1.0 if e == f and _identity(f) else table.get((f, e), 0.0) for e in es)
        return max(s / (len(es) + 1), FLOOR)

    def matrix(self, fs: list[str], lang_f: str, es: list[str], lang_e: str) -> np.ndarray:
        """t(f | e) for each f (rows) and e (columns); a number or Latin-script name
        translates itself with probability 1."""
        table = self.t[(lang_f, lang_e)]
        m = np.zeros((len(fs), len(es)))
        for i, f in enumerate(fs):
            for j, e in enumerate(es):
                m[i, j] = table.get((f, e), 0.0)
                if _identity(f) and f == e:
                    m[i, j] = max(m[i, j], 1.0)
        return m

    def null(self, fs: list[str], lang_f: str, lang_e: str) -> np.ndarray:
        table = self.t[(lang_f, lang_e)]
        return np.array([table.get((f, NULL), 0.0) for f in fs])


def _model1(pairs: list[tuple[list[str], list[str]]], iterations: int) -> dict:
    """t(f | e) by EM over (e words, f words) pairs, the empty word added to each e.

    Vectorised over every (pair, f, e) link at once, with the sums taken in the order of
    the plain loops (left to right over each f's row of e words, the links in pair order),
    so the table is the same to the last bit as the textbook loop gives."""
    f_vocab: dict[str, int] = {}
    e_vocab: dict[str, int] = {NULL: 0}
    f_ids: list[int] = []  # per link
    e_ids: list[int] = []
    row_of: list[int] = []  # per link: which (pair, f) row it belongs to
    col_of: list[int] = []  # per link: its place in that row
    rows = 0
    for es, fs in pairs:
        e_row = [e_vocab.setdefault(e, len(e_vocab)) for e in es] + [0]
        for f in fs:
            fi = f_vocab.setdefault(f, len(f_vocab))
            f_ids += [fi] * len(e_row)
            e_ids += e_row
            row_of += [rows] * len(e_row)
            col_of += range(len(e_row))
            rows += 1
    if not rows:
        return {}
    e_arr = np.asarray(e_ids, dtype=np.int64)
    key = np.asarray(f_ids, dtype=np.int64) * len(e_vocab) + e_arr
    keys, link_key = np.unique(key, return_inverse=True)  # one t entry per (f, e) seen
    key_e = keys % len(e_vocab)
    row_arr = np.asarray(row_of, dtype=np.int64)
    col_arr = np.asarray(col_of, dtype=np.int64)
    by_col = [np.flatnonzero(col_arr == j) for j in range(int(col_arr.max()) + 1)]
    t = np.ones(len(keys))
    for _ in range(iterations):
        p = t[link_key]
        z = np.zeros(rows)
        for links in by_col:  # each row summed left to right, as sum(row) does
            z[row_arr[links]] += p[links]
        c = p / z[row_arr]
        counts = np.bincount(link_key, weights=c, minlength=len(keys))
        totals = np.bincount(e_arr, weights=c, minlength=len(e_vocab))
        t = counts / totals[key_e]
    f_words = list(f_vocab)
    e_words = list(e_vocab)
    key_f = keys // len(e_vocab)
    return {(f_words[f], e_words[e]): v
            for f, e, v in zip(key_f.tolist(), key_e.tolist(), t.tolist())}


# fewer sentence pairs than this teach Model 1 little beyond the numbers and names, which
# the cut search already respects: no lexicon then (today's behaviour)
MIN_PAIRS = 20


def train_lexicon(pairs: list[tuple[str, str]], iterations: int = ITERATIONS
                  ) -> Lexicon | None:
    """IBM Model 1 both ways on (Arabic, English) sentence pairs; None when there are fewer
    than MIN_PAIRS pairs with words on both sides."""
    data = []
    for ar, en in pairs:
        a = [t for _, t in tokens(ar, "ar")]
        e = [t for _, t in tokens(en, "en")]
        if a and e:
            data.append((a, e))
    if len(data) < MIN_PAIRS:
        return None
    return Lexicon({("ar", "en"): _model1([(e, a) for a, e in data], iterations),
                    ("en", "ar"): _model1(data, iterations)}, len(data))


def cut_scores(lex: Lexicon, unit: str, lang: str, cuts: list[int],
               mine1: list[str], mine2: list[str], other1: list[str], other2: list[str]
               ) -> list[float]:
    """For each cut (a character offset into ``unit``, in language ``lang``), the lexical
    match of the two beads it makes: (``mine1`` + the unit's left piece, ``other1``) and
    (the right piece + ``mine2``, ``other2``): the Model 1 log-likelihood of each side's
    words given the other side's, both directions, per word (so it compares cuts of one
    unit; only the words whose side changes make the differences)."""
    olang = "en" if lang == "ar" else "ar"
    u = tokens(unit, lang)
    pos = np.array([p for p, _ in u])
    ut = [t for _, t in u]
    m1 = [t for s in mine1 for _, t in tokens(s, lang)]
    m2 = [t for s in mine2 for _, t in tokens(s, lang)]
    o1 = [t for s in other1 for _, t in tokens(s, olang)]
    o2 = [t for s in other2 for _, t in tokens(s, olang)]
    if not ut or not o1 or not o2:
        return [0.0] * len(cuts)
    n = len(ut)
    total = n + len(m1) + len(m2) + len(o1) + len(o2)
    # the unit's words given each counterpart
    lp1 = np.log([lex.prob(f, lang, o1, olang) for f in ut])
    lp2 = np.log([lex.prob(f, lang, o2, olang) for f in ut])
    fixed = (sum(math.log(lex.prob(f, lang, o1, olang)) for f in m1)
             + sum(math.log(lex.prob(f, lang, o2, olang)) for f in m2))
    pre1 = np.concatenate([[0.0], np.cumsum(lp1)])  # words [:p] given other1
    suf2 = np.concatenate([np.cumsum(lp2[::-1])[::-1], [0.0]])  # words [p:] given other2
    # each counterpart's words given its side: sums of t(o | word) over the words the
    # piece holds (prefix sums over the unit), plus the other units and the empty word
    def side(os, ms, left: bool):
        t_u = lex.matrix(os, olang, ut, lang)  # (len(os), n)
        base = lex.null(os, olang, lang) + lex.matrix(os, olang, ms, lang).sum(axis=1)
        if left:
            acc = np.concatenate([np.zeros((len(os), 1)), np.cumsum(t_u, axis=1)], axis=1)
            count = len(ms) + 1 + np.arange(n + 1)
        else:
            acc = np.concatenate([np.cumsum(t_u[:, ::-1], axis=1)[:, ::-1],
                                  np.zeros((len(os), 1))], axis=1)
            count = len(ms) + 1 + (n - np.arange(n + 1))
        p = (base[:, None] + acc) / count[None, :]
        return np.log(np.maximum(p, FLOOR)).sum(axis=0)  # by split point p (0..n)

    s1 = side(o1, m1, True)
    s2 = side(o2, m2, False)
    out = []
    for c in cuts:
        p = int(np.searchsorted(pos, c))  # words before the cut
        out.append(float(pre1[p] + suf2[p] + fixed + s1[p] + s2[p]) / total)
    return out
