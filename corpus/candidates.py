"""Which English documents of a crawl may translate an Arabic one: cheap evidence first.

A crawl is mostly English pages that translate nothing, and embedding is what costs. So
before anything of a page without Arabic is embedded, it must be linked to some Arabic page
by evidence that costs next to nothing:

1. the site's own links and URL conventions (hreflang, ``/ar/x`` ~ ``/en/x``:
   :func:`corpus.links.find_links`);
2. shared rare tokens: numbers (Arabic-Indic digits read as ASCII), Latin-script words
   inside the Arabic (names, acronyms) found capitalised in the English, and Arabic words
   quoted on the English page (a translated title). Each shared token weighs its inverse
   document frequency over the crawl's English pages; the pages scoring at least half the
   best score are kept, ``max_candidates`` at most, and a page must share two tokens;
3. a probe of one sentence per body section of each English page (its first of 40+
   characters; nearly every page has one body section) against the Arabic sentences of the pages still without a
   translation: a page whose probe is among the ``max_candidates`` nearest of all probes
   to one of the Arabic sentences, confidently (cosine >= ``PairConfig.confident_cosine``,
   lengths compatible), is a candidate; ``max_candidates`` pages per Arabic page at most,
   closest first.

Only candidates are handed to :func:`corpus.pair.pair_sections`, which decides as before;
an English page no signal links to any Arabic is never embedded beyond its probe sentence.
The search over probes is exact (a matrix product over chunks streamed from the store, the
k best kept by partition): at a sentence or two per page it is far cheaper than embedding
them up to crawls of a few GB; it grows with Arabic sentences x English pages, so beyond
that an approximate index would be the next step (see docs/benchmarks/crawl.md).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

import numpy as np

from corpus.links import Links
from corpus.pair import PROBE_LENGTH_RATIO, PROBE_MIN_CHARS, latin_words, numbers_in

_ARABIC_WORD = re.compile("[\u0621-\u064a\u0671-\u06d3]{3,}")
_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z0-9]+")

# a page must share at least this many tokens to be a candidate on tokens alone: one shared
# number is what two unrelated pages have all the time
MIN_SHARED = 2
# candidates keep at least this share of the best score
RELATIVE_SCORE = 0.5


def arabic_tokens(texts: Iterable[str]) -> set[str]:
    """Evidence tokens of Arabic text: its numbers, Latin words, Arabic words."""
    out: set[str] = set()
    for t in texts:
        out |= {"n:" + n for n in numbers_in(t) if len(n) >= 2}
        out |= {"l:" + w for w in latin_words(t)}
        out |= {"a:" + w for w in _ARABIC_WORD.findall(t)}
    return out


def english_tokens(text: str) -> set[str]:
    """Evidence tokens of an English page: numbers, capitalised words (names), and any
    Arabic words it quotes."""
    out = {"n:" + n for n in numbers_in(text) if len(n) >= 2}
    out |= {"l:" + w.lower() for w in _CAPITALISED.findall(text)}
    out |= {"a:" + w for w in _ARABIC_WORD.findall(text)}
    return out


def probe_sentences(en_inputs) -> tuple[str, ...]:
    """The sentences of an English page embedded to look for translations nothing else
    links: the first of ``PROBE_MIN_CHARS`` or more of each body section (a page may hold
    the translation next to an unrelated article)."""
    out = []
    for section, sentences in en_inputs:
        if section.kind == "body":
            first = next((s.text for s in sentences if len(s.text) >= PROBE_MIN_CHARS), "")
            if first:
                out.append(first)
    return tuple(dict.fromkeys(out))


def by_tokens(store, tokens: set[str], english_pages: int, max_candidates: int) -> list[int]:
    """English pages (store seqs) sharing the most rare tokens with ``tokens``."""
    if not tokens or not english_pages:
        return []
    df, shared = store.sharing(tokens)
    scored = []
    for seq, toks in shared.items():
        if len(toks) < MIN_SHARED:
            continue
        scored.append((sum(math.log(english_pages / df[t]) for t in toks), seq))
    if not scored:
        return []
    scored.sort(key=lambda x: (-x[0], x[1]))
    top = scored[0][0]
    return [seq for score, seq in scored[:max_candidates]
            if score > 0 and score >= RELATIVE_SCORE * top]


def by_probe(store, embedder, arabic: dict[int, list[str]], max_candidates: int,
             confident_cosine: float) -> dict[int, list[int]]:
    """For each Arabic page (seq -> its sentences), the English pages whose probe sentence
    matches one of its sentences confidently, best first."""
    ar_seqs = [seq for seq in sorted(arabic) if arabic[seq]]
    if not ar_seqs:
        return {}
    texts = [t for seq in ar_seqs for t in arabic[seq]]
    owner = np.repeat(np.arange(len(ar_seqs)), [len(arabic[s]) for s in ar_seqs])
    ar_len = np.array([len(t) for t in texts], dtype=np.float64)
    ar_vecs = np.asarray(embedder.embed(texts), dtype=np.float32)
    lo, hi = PROBE_LENGTH_RATIO
    # each Arabic sentence keeps its ``max_candidates`` nearest probes only: a page that
    # is merely close to everything (e5 has such hubs) is rarely among the nearest of
    # anything, while a translation's probe is the nearest, or next to a page on the same
    # story
    k = max(1, max_candidates)
    best_cos = np.full((len(texts), k), -1.0, dtype=np.float32)
    best_seq = np.full((len(texts), k), -1, dtype=np.int64)
    for batch in store.probes():
        seqs = np.array([seq for seq, _ in batch], dtype=np.int64)
        vecs = np.asarray(embedder.embed([t for _, t in batch]), dtype=np.float32)
        en_len = np.array([len(t) for _, t in batch], dtype=np.float64)
        sims = ar_vecs @ vecs.T
        ratio = en_len[None, :] / ar_len[:, None]
        sims[(ratio < lo) | (ratio > hi)] = -1.0
        # the batch's k best per Arabic sentence in linear time (a full sort of every row
        # cost 3x the matrix product), merged with the k kept so far: best first, at a tie
        # the earlier page
        top = _top_columns(sims, k)
        cos = np.concatenate([best_cos, np.take_along_axis(sims, top, axis=1)], axis=1)
        seq = np.concatenate([best_seq, seqs[top]], axis=1)
        order = np.lexsort((seq, -cos), axis=1)[:, :k]
        best_cos = np.take_along_axis(cos, order, axis=1)
        best_seq = np.take_along_axis(seq, order, axis=1)
    found: dict[int, dict[int, float]] = {}
    for i, j in zip(*np.nonzero(best_cos >= confident_cosine)):
        if ar_len[i] < PROBE_MIN_CHARS:
            continue
        a = ar_seqs[owner[i]]
        m = found.setdefault(a, {})
        e = int(best_seq[i, j])
        m[e] = max(m.get(e, -1.0), float(best_cos[i, j]))
    return {a: [seq for seq, _ in sorted(m.items(), key=lambda x: (-x[1], x[0]))
                ][:max_candidates] for a, m in found.items()}


def _top_columns(sims: np.ndarray, k: int) -> np.ndarray:
    """Per row, the columns of its ``k`` largest values, largest first, the leftmost at a
    tie (as a stable sort gives them), in time linear in the row (a partition, then a sort
    of the few values at or above the k-th)."""
    n, m = sims.shape
    if m <= k:
        return np.argsort(-sims, axis=1, kind="stable")
    kth = -np.partition(-sims, k - 1, axis=1)[:, k - 1]
    rows, cols = np.nonzero(sims >= kth[:, None])  # >= k per row; more only at a tie
    order = np.lexsort((cols, -sims[rows, cols], rows))
    rows, cols = rows[order], cols[order]
    rank = np.arange(len(rows)) - np.searchsorted(rows, rows)
    return cols[rank < k].reshape(n, k)


def by_links(store, arabic_seqs: set[int]) -> tuple[dict[int, list[int]], Links]:
    """English pages the site itself links to each Arabic page (hreflang, URL
    conventions: :mod:`corpus.links`); works from the pages' metadata only. Also returns
    the :class:`corpus.links.Links` found, for the pairing to use."""
    from corpus.links import find_links

    seq_of: dict[str, int] = {}
    docs = []
    for seq, doc in store.metadata():
        seq_of[doc.path] = seq
        docs.append(doc)
    links = find_links(docs)
    out: dict[int, list[int]] = {}
    for path, found in links.linked.items():
        a = seq_of.get(path)
        if a in arabic_seqs:
            out[a] = [seq_of[link.en_doc] for link in found if link.en_doc in seq_of]
    return out, links
