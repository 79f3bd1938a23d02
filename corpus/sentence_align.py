"""Sentence alignment of an Arabic text with its English translation.

Each sentence is embedded once. A bead of several sentences (2-1, 1-2, ...) is scored with
the normalised, length-weighted sum of its sentence vectors, which stands in for the vector
of the concatenated text (e5 mean-pools its tokens, so the sum is close to it) without
running the model on every concatenation the way vecalign does.

A bead's quality combines

* the cosine of its two sides, made relative to each side's nearest neighbours on the other
  side (the margin of Artetxe & Schwenk, as used by LASER, vecalign and bertalign): e5's
  cosines sit in a narrow band (unrelated sentences already score ~0.75), and hub sentences
  score high against everything;
* half of the plain cosine (the margin alone under-rewards a real merge, since a sum of
  vectors is close to many neighbours), and a floor: below cosine 0.80 nothing is matched;
* a length prior: log(Arabic chars / English chars) is roughly normal, mean log 0.93 and
  a 5-95% range of 0.70-1.28 on NTREX, so sigma ~0.18; short sentences get a looser prior.

Dynamic programming then picks the monotone sequence of beads that maximises
``sum((n_ar + n_en) * (quality - threshold)) - shape_penalty``: a match bead is only worth
taking when its quality clears the threshold, and every sentence left out becomes a 1-0 or
0-1 bead at no cost. Weighting by the number of sentences lets a 2-1 bead compete fairly
with a 1-1 bead plus a 1-0 bead. Because skipping costs nothing, the same program aligns an
Arabic article against a longer English text (an unrelated article next to the translation,
a whole page) and leaves the unrelated English out; :mod:`corpus.pair` relies on that.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from corpus.errors import CorpusError
from corpus.types import Bead, Sentence

# (Arabic sentences, English sentences) per bead; 1-0 and 0-1 are always allowed
DEFAULT_SHAPES: tuple[tuple[int, int], ...] = ((1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (2, 2))


@dataclass(frozen=True)
class AlignConfig:
    """Tuning of the aligner (defaults tuned on the dev bench, see docs/benchmarks/align.md)."""

    shapes: tuple[tuple[int, int], ...] = DEFAULT_SHAPES
    neighbours: int = 4  # k of the k-nearest-neighbour margin
    margin_weight: float = 1.0  # 0 = plain cosine, 1 = cosine minus neighbour average
    # weight of the plain cosine (minus cosine_center) added to the margin: the margin of a
    # multi-sentence bead is held down by its neighbours (a sum of vectors is close to many
    # things), so on its own it under-rewards a real merge
    cosine_weight: float = 0.5
    cosine_center: float = 0.85
    length_weight: float = 0.01  # weight of the log-normal length prior (per sentence)
    length_mean: float = math.log(0.93)  # mean of log(ar chars / en chars)
    length_sigma: float = 0.18
    length_smoothing: float = 20.0  # chars added to both sides: short lines vary more
    # quality a bead needs, per sentence, to beat leaving both sides out (the margin of a
    # true translation is about 0; unrelated sentences score -0.1 and below)
    threshold: float = -0.04
    # a bead whose sides' cosine is below this is never taken, whatever its neighbours say
    # (the margin alone cannot tell when there are one or two sentences a side); e5 puts
    # 99% of translations above 0.82 and unrelated news sentences around 0.75-0.8
    min_cosine: float = 0.80
    # a multi-sentence bead that is one whole paragraph on both sides (when the caller
    # gives paragraphs) pays this much less shape penalty. Off by default: on the dev bench
    # the two languages are cut into paragraphs independently and 0.1 costs 0.01 strict F1;
    # on translations that keep paragraphs (seeds/004) 0.1 turns a 1-2 + 0-1 into the right
    # 1-3
    paragraph_bonus: float = 0.0
    # cost of beads with more than two sentences: without it a 2-2 bead of two good 1-1
    # beads scores as well as the pair (a sum of two vectors matches a sum of two vectors)
    shape_penalty: dict = field(default_factory=lambda: {(1, 2): 0.05, (2, 1): 0.05,
                                                         (1, 3): 0.3, (3, 1): 0.3,
                                                         (2, 2): 0.3})

    # a long input (n * m cells at least band_min_cells) is aligned within band sentences
    # of the path through confident anchors (see _band): linear instead of quadratic cost.
    # The dev bench and the seeds stay below the size, so their output is the full DP's
    band: int = 10
    band_min_cells: int = 100_000
    band_anchor_cosine: float = 0.85
    # after the alignment, split units where the other side has a sentence end and let go
    # of units that only lower a bead's match (corpus.refine); False: the beads as the DP
    # gives them (the score is still the confidence of corpus.refine)
    refine: bool = True

    def signature(self) -> str:
        """``align:margin-dp-23`` for the defaults (dp-1 had no refinement and wrote the
        plain cosine as the score; dp-2 kept a unit whole for a join mark after the cut and
        glued English copies of a repeated sentence to a neighbour; dp-3 kept it whole for
        any join mark up to three words before the cut, cut neither crossings of two beads
        nor hidden 2-2 beads, and kept the English copy of a repeated sentence in the
        original's bead when the aligner had joined the two copies there; dp-4 was either
        of those two changes alone, on its branch; dp-5 chose among the cuts of a unit by
        the embeddings, lengths and cues only, without the word translation model learned
        from the run's 1-1 beads; dp-6 searched every unit's cuts whole, without the first
        look that settles a writer's join early (the same rows), priced the bead a crossing
        cut leaves with two units a side as one 2-2, and cut no crossing with a left-out
        sentence or a 1-3 / 3-1; dp-7 was one of three changes alone, on its branch: the
        first look; a comma that closes a sentence's opening phrase, "However," "ومع ذلك،",
        or a comma inside a quotation closed at the cut, taken for the writer's join, and a
        cut weighed against the whole bead without its cue; the crossings; dp-8 the first two
        together, without the crossings; dp-9 (main) cut an Arabic unit one word after a
        "، و" join, "... اللعب، وسيتي | تواجه ...", and dp-9 on its branch was that fix
        alone; dp-10 left every unit of a 1-1 bead whole, even one far longer than its
        translation that holds a sentence the other side never translated, cut English only
        where a capitalised opener followed a lowercase word, not after a name or a closing
        quote, let a join mark near the best cut keep a unit whole where the English spelt a
        sentence start, and took "told The Sunday Times" for a missing full stop; dp-11 was
        either of those two changes alone, on its branch; dp-12 wrote the same rows with the
        score's weights before their recalibration, corpus.refine.CONFIDENCE; dp-13 wrote the
        same rows with the plain cosine of its two halves as the score of a bilingual
        headline line's pair, not the bead probability, and left a unit left out (1-0 / 0-1)
        whole beside a sentence of the other side left out whose translation it held, run on
        with a sentence that has none; dp-14 was either of those two changes alone, on its
        branch; dp-15 cut a mixed line whose Arabic half quotes an English title after the
        title, ``English headline مراجعة فيلم "English Title" | قلّل ...``, and an Arabic line
        that quotes one before its end, corpus.detect; dp-16 aligned the units of segmenter
        seg:rules-2, which took a month, title or measure abbreviation before a sentence
        opener ("on Nov. What time ...") and a quoted question before its speech tag
        ('"...!" Hammel added.') otherwise; dp-17 took only some of the closed classes for
        English sentence openers after a lowercase word ("... turnout Another poll" was no
        sentence start), judged a sentence start's cut by its own min_cosine and crossed
        margin alone, took a colon before an opening quote for the writer's join, and a
        plural possessive, "students' behaviour", for a closing quote; dp-18 left a unit out,
        with its translation, where it held more sentences than the aligner's shapes allow,
        and took a spaced dash before a conjunction for a bullet; dp-19 took the comma of a
        quoted sentence's opening connective, "ومع ذلك، after an opening quote, and a cut
        one و/ف word after such a comma, for the writer's join, asked the clear contrast of a
        crossing's cut of the piece that stays even when it joins another unit of its bead,
        and saw no sentence start in a common word capitalised after a lowercase one, "...
        kill them Vaccine teaches ..."; dp-20 saw a missing full stop after a Title Case
        heading's small word, ``Stocks Slide as | Every Sector Falls``, took a dash before
        any Arabic word that starts with و/ف for a dash inside a sentence, and let a pair's
        gap bead take an English margin sentence another pair held, or one it had taken and
        cut already, a second time; dp-21 let a crossing cut an English unit before a
        lowercase word, "The party reportedly wants | company bosses ..."; dp-22 cut where
        no sentence can end, after a preposition, article, conjunction or particle, or
        before Arabic أن, "... عالميين نرى | أن اللغات ..."); other settings
        add a short hash of them."""
        return "align:margin-dp-23" + _settings_hash(self, AlignConfig())


def _settings_hash(config, default) -> str:
    if config == default:
        return ""
    import hashlib

    return "-" + hashlib.sha256(repr(config).encode()).hexdigest()[:8]


def _texts(sentences: Sequence[str | Sentence]) -> list[str]:
    out = []
    for s in sentences:
        if isinstance(s, Sentence):
            out.append(s.text)
        elif isinstance(s, str):
            out.append(s)
        else:
            raise CorpusError(f"cannot align a {type(s).__name__}: expected str or Sentence")
    return out


def _normalise_rows(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.maximum(norms, 1e-12)


def _span_vectors(vectors: np.ndarray, weights: np.ndarray, size: int) -> np.ndarray:
    """Row i (0-based) = normalised weighted sum of vectors[i : i + size]."""
    weighted = vectors * weights[:, None]
    cum = np.concatenate([np.zeros((1, vectors.shape[1]), vectors.dtype),
                          np.cumsum(weighted, axis=0)])
    return _normalise_rows(cum[size:] - cum[:-size])


def _knn_mean(sims: np.ndarray, k: int) -> np.ndarray:
    """Mean of the k largest values of each row (k capped at the row length)."""
    if sims.shape[1] == 0:
        return np.zeros(sims.shape[0], dtype=sims.dtype)
    k = max(1, min(k, sims.shape[1]))
    top = np.partition(sims, sims.shape[1] - k, axis=1)[:, -k:]
    return top.mean(axis=1)


def bead_quality(ar_vectors: np.ndarray, en_vectors: np.ndarray, ar_lengths: np.ndarray,
                 en_lengths: np.ndarray, config: AlignConfig
                 ) -> dict[tuple[int, int], tuple[np.ndarray, np.ndarray]]:
    """For each shape (a, b): (quality, cosine) matrices of shape (n-a+1, m-b+1); entry
    [i, j] scores Arabic sentences i..i+a-1 against English sentences j..j+b-1."""
    n, m = len(ar_vectors), len(en_vectors)
    out: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
    ar_w = np.asarray(ar_lengths, dtype=np.float32) + 1.0
    en_w = np.asarray(en_lengths, dtype=np.float32) + 1.0
    ar_spans = {a: _span_vectors(ar_vectors, ar_w, a)
                for a in sorted({a for a, _ in config.shapes}) if 0 < a <= n}
    en_spans = {b: _span_vectors(en_vectors, en_w, b)
                for b in sorted({b for _, b in config.shapes}) if 0 < b <= m}
    # neighbourhood of each span: its k best cosines against the other side's sentences
    ar_nb = {a: _knn_mean(v @ en_vectors.T, config.neighbours) for a, v in ar_spans.items()}
    en_nb = {b: _knn_mean(v @ ar_vectors.T, config.neighbours) for b, v in en_spans.items()}
    ar_cum = np.concatenate([[0.0], np.cumsum(np.asarray(ar_lengths, dtype=np.float64))])
    en_cum = np.concatenate([[0.0], np.cumsum(np.asarray(en_lengths, dtype=np.float64))])
    c = config.length_smoothing
    for a, b in config.shapes:
        if a not in ar_spans or b not in en_spans:
            continue
        cos = ar_spans[a] @ en_spans[b].T
        margin = cos - config.margin_weight * 0.5 * (ar_nb[a][:, None] + en_nb[b][None, :])
        margin = margin + config.cosine_weight * (cos - config.cosine_center)
        la = ar_cum[a:] - ar_cum[:-a]
        le = en_cum[b:] - en_cum[:-b]
        z = (np.log((la[:, None] + c) / (le[None, :] + c)) - config.length_mean) \
            / config.length_sigma
        quality = margin - config.length_weight * 0.5 * z * z
        out[(a, b)] = (quality.astype(np.float64), cos.astype(np.float64))
    return out


def span_quality(ar_vec: np.ndarray, en_vec: np.ndarray, ar_chars: int, en_chars: int,
                 ar_pool: np.ndarray, en_pool: np.ndarray, config: AlignConfig
                 ) -> tuple[float, float]:
    """(quality, cosine) of one bead, as :func:`bead_quality` computes it: ``ar_vec`` /
    ``en_vec`` are the two sides' (normalised) vectors, ``ar_chars`` / ``en_chars`` their
    lengths, and the margin's neighbours are taken among ``en_pool`` (for the Arabic side)
    and ``ar_pool`` (for the English side), one sentence vector per row."""
    cos = float(ar_vec @ en_vec)
    nb_ar = float(_knn_mean((ar_vec @ en_pool.T)[None, :], config.neighbours)[0])
    nb_en = float(_knn_mean((en_vec @ ar_pool.T)[None, :], config.neighbours)[0])
    margin = cos - config.margin_weight * 0.5 * (nb_ar + nb_en)
    margin += config.cosine_weight * (cos - config.cosine_center)
    c = config.length_smoothing
    z = (math.log((ar_chars + c) / (en_chars + c)) - config.length_mean) / config.length_sigma
    return margin - config.length_weight * 0.5 * z * z, cos


def align_vectors(ar_vectors: np.ndarray, en_vectors: np.ndarray,
                  ar_lengths: Sequence[int], en_lengths: Sequence[int], *,
                  config: AlignConfig | None = None,
                  en_allowed: Sequence[bool] | None = None,
                  ar_breaks: Sequence[bool] | None = None,
                  en_breaks: Sequence[bool] | None = None,
                  ar_paragraphs: Sequence | None = None,
                  en_paragraphs: Sequence | None = None) -> list[Bead]:
    """Align precomputed sentence embeddings (rows L2-normalised, in text order).

    ``ar_lengths`` / ``en_lengths`` are the sentences' character counts. ``en_allowed``
    (optional, one flag per English sentence) marks English that may not be matched, e.g.
    because another Arabic text already took it; such sentences come out as 0-1 beads.
    ``ar_breaks`` / ``en_breaks`` (optional, one flag per sentence) are True where a
    sentence starts a new section: no bead joins it with the sentence before it (an
    unrelated article in the next section must not be merged into the last bead).
    ``ar_paragraphs`` / ``en_paragraphs`` (optional, a paragraph id per sentence): a
    multi-sentence bead that is a whole paragraph on both sides pays a smaller shape
    penalty (translators keep paragraphs but split and merge sentences inside them).
    Returns beads in order covering every sentence exactly once; where 1-0 and 0-1 beads
    meet, the 0-1 beads come first.
    """
    config = config or AlignConfig()
    n, m = len(ar_lengths), len(en_lengths)
    if n == 0 or m == 0:
        return [Bead((i,), (), 0.0) for i in range(n)] + [Bead((), (j,), 0.0) for j in range(m)]
    ar_vectors = np.asarray(ar_vectors, dtype=np.float32).reshape(n, -1)
    en_vectors = np.asarray(en_vectors, dtype=np.float32).reshape(m, -1)
    if ar_vectors.shape[1] != en_vectors.shape[1]:
        raise CorpusError(f"Arabic vectors have {ar_vectors.shape[1]} dimensions, English "
                          f"{en_vectors.shape[1]}: they must come from the same embedder")
    tables = bead_quality(ar_vectors, en_vectors, np.asarray(ar_lengths),
                          np.asarray(en_lengths), config)
    blocked = None
    if en_allowed is not None:
        blocked = np.concatenate([[0], np.cumsum([not ok for ok in en_allowed])])

    # gain[(a, b)][i][j]: value of the bead ending at (i, j) (exclusive ends), or None
    ar_cut = _break_counts(ar_breaks, n)
    en_cut = _break_counts(en_breaks, m)

    ar_whole = en_whole = None
    if config.paragraph_bonus > 0:
        ar_whole = _whole_paragraphs(ar_paragraphs, n)
        en_whole = _whole_paragraphs(en_paragraphs, m)

    gains = {}
    for (a, b), (quality, _) in tables.items():
        penalty = config.shape_penalty.get((a, b), 0.0)
        g = (a + b) * (quality - config.threshold) - penalty
        if penalty and ar_whole is not None and en_whole is not None:
            whole = ar_whole(a)[:, None] & en_whole(b)[None, :]
            g = g + whole * min(penalty, config.paragraph_bonus)
        g = np.where(tables[(a, b)][1] < config.min_cosine, -np.inf, g)
        if blocked is not None:
            # a bead touching a blocked English sentence is impossible
            hit = (blocked[b:] - blocked[:-b]) > 0
            g = np.where(hit[None, :], -np.inf, g)
        if ar_cut is not None and a > 1:  # breaks strictly inside the bead's sentences
            g = np.where(((ar_cut[a - 1:] - ar_cut[:n - a + 1]) > 0)[:, None], -np.inf, g)
        if en_cut is not None and b > 1:
            g = np.where(((en_cut[b - 1:] - en_cut[:m - b + 1]) > 0)[None, :], -np.inf, g)
        gains[(a, b)] = g.tolist()
    shapes = [s for s in config.shapes if s in gains]

    neg = -math.inf
    best = [[neg] * (m + 1) for _ in range(n + 1)]
    back = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    band = _band(tables, n, m, config) if n * m >= config.band_min_cells else None
    for i in range(n + 1):
        row = best[i]
        brow = back[i]
        for j in (range(m + 1) if band is None else range(band[i][0], band[i][1] + 1)):
            if i == 0 and j == 0:
                continue
            v, arg = neg, None
            if i > 0 and best[i - 1][j] > v:
                v, arg = best[i - 1][j], (1, 0)
            if j > 0 and row[j - 1] > v:
                v, arg = row[j - 1], (0, 1)
            for a, b in shapes:
                if a <= i and b <= j:
                    g = gains[(a, b)][i - a][j - b]
                    cand = best[i - a][j - b] + g
                    if cand > v:  # strict: ties keep the earlier (simpler) choice
                        v, arg = cand, (a, b)
            row[j] = v
            brow[j] = arg
    beads: list[Bead] = []
    i, j = n, m
    while i > 0 or j > 0:
        a, b = back[i][j]
        if a and b:
            cos = float(tables[(a, b)][1][i - a][j - b])
            beads.append(Bead(tuple(range(i - a, i)), tuple(range(j - b, j)), round(cos, 4)))
        else:
            beads.append(Bead(tuple(range(i - a, i)), tuple(range(j - b, j)), 0.0))
        i, j = i - a, j - b
    beads.reverse()
    return beads


def _band(tables, n: int, m: int, config: AlignConfig) -> list[tuple[int, int]]:
    """For long inputs, the English range [lo, hi] of each DP row i (0..n): within
    ``config.band`` sentences of the path through the anchors (sentence pairs that are each
    other's best match with cosine >= ``config.band_anchor_cosine``, the longest chain of
    them in order on both sides). Between two anchors a row may reach anything from the
    earlier anchor's English to the later one's, so English skipped between them stays
    free; before the first and after the last anchor the band is open to the start and the
    end. The cost of the programme is then about (n + m) * band instead of n * m."""
    cos = tables[(1, 1)][1]
    best_en = cos.argmax(axis=1)
    best_ar = cos.argmax(axis=0)
    anchors = [(i, int(best_en[i])) for i in range(n)
               if best_ar[best_en[i]] == i and cos[i, best_en[i]] >= config.band_anchor_cosine]
    # longest chain increasing on both sides (patience sorting on the English index)
    tails: list[int] = []
    tails_at: list[int] = []
    prev = [-1] * len(anchors)
    import bisect
    for k, (_, j) in enumerate(anchors):
        pos = bisect.bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tails_at.append(k)
        else:
            tails[pos] = j
            tails_at[pos] = k
        prev[k] = tails_at[pos - 1] if pos else -1
    chain: list[tuple[int, int]] = []
    k = tails_at[-1] if tails_at else -1
    while k >= 0:
        chain.append(anchors[k])
        k = prev[k]
    chain.reverse()
    w = config.band
    # anchor i, j: row i is aligned up to about English j; rows from one anchor to the next
    # may span the English from the one to the other
    points = [(0, 0)] + [(i + 1, j + 1) for i, j in chain] + [(n, m)]
    out = []
    seg = 0
    for i in range(n + 1):
        while seg + 1 < len(points) - 1 and points[seg + 1][0] <= i:
            seg += 1
        lo_j = points[seg][1] if seg > 0 else 0
        hi_j = points[seg + 1][1] if seg + 1 < len(points) - 1 else m
        out.append((max(0, lo_j - w), min(m, hi_j + w)))
    return out


def _whole_paragraphs(paragraphs: Sequence | None, n: int):
    """None, or size -> bool array over bead starts i: sentences i..i+size-1 are exactly one
    paragraph."""
    if paragraphs is None:
        return None
    if len(paragraphs) != n:
        raise CorpusError(f"{len(paragraphs)} paragraph ids for {n} sentences")
    ids = list(paragraphs)
    starts = np.array([i == 0 or ids[i] != ids[i - 1] for i in range(n)])
    ends = np.array([i == n - 1 or ids[i] != ids[i + 1] for i in range(n)])
    same = np.concatenate([[0], np.cumsum([ids[i] != ids[i - 1] for i in range(1, n)])])

    def whole(size: int) -> np.ndarray:
        k = n - size + 1
        one = (same[size - 1:] - same[:k]) == 0
        return starts[:k] & ends[size - 1:] & one

    return whole


def _break_counts(breaks: Sequence[bool] | None, n: int) -> np.ndarray | None:
    """cut[k] = number of breaks at sentences 1..k (a break at 0 means nothing), so the
    sentences i..i+size-1 hold a break inside when cut[i+size-1] - cut[i] > 0."""
    if breaks is None:
        return None
    if len(breaks) != n:
        raise CorpusError(f"{len(breaks)} break flags for {n} sentences")
    flags = np.asarray(breaks, dtype=np.int64).copy()
    if n:
        flags[0] = 0
    return np.cumsum(flags)


def align_sentences(ar_sentences: Sequence[str | Sentence], en_sentences: Sequence[str | Sentence],
                    *, embedder=None, config: AlignConfig | None = None) -> list[Bead]:
    """Align Arabic sentences with their English translation.

    Sentences are strings or :class:`~corpus.types.Sentence`. ``embedder`` is any
    :class:`~corpus.embed.Embedder` (default: e5-small with an in-memory cache). Returns
    :class:`~corpus.types.Bead` s in order; every sentence is in exactly one bead, unmatched
    ones in 1-0 / 0-1 beads. ``Bead.score`` is the cosine of the bead's two sides (0 for
    1-0 and 0-1 beads): these are the DP's beads. :func:`corpus.pair.pair_sections` (what
    ``corpus align`` runs) refines them with :mod:`corpus.refine` and scores each with its
    confidence.
    """
    ar_texts, en_texts = _texts(ar_sentences), _texts(en_sentences)
    if not ar_texts or not en_texts:
        return align_vectors(np.zeros((len(ar_texts), 1)), np.zeros((len(en_texts), 1)),
                             [len(t) for t in ar_texts], [len(t) for t in en_texts],
                             config=config)
    if embedder is None:
        from corpus.embed import shared_embedder
        embedder = shared_embedder()
    vectors = embedder.embed(ar_texts + en_texts)
    return align_vectors(vectors[:len(ar_texts)], vectors[len(ar_texts):],
                         [len(t) for t in ar_texts], [len(t) for t in en_texts], config=config)
