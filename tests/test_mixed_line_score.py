"""The score of a bilingual headline line's pair (corpus.pipeline._mixed_line_rows): the same
probability as a 1-1 bead of the aligner (corpus.refine.bead_confidence of the pair's
margin-normalised quality), not the plain cosine of the line's two halves."""

from types import SimpleNamespace

import numpy as np

from corpus.pipeline import _mixed_line_rows
from corpus.read import document_from_text
from corpus.refine import bead_confidence
from corpus.sentence_align import AlignConfig, span_quality
from corpus.types import Piece, Sentence

EN_HEAD = "Minister opens new school in the capital"
AR_HEAD = "الوزير يفتتح مدرسة جديدة في العاصمة"
TEXT = f"{EN_HEAD} {AR_HEAD}\n"
BODY_AR = ["افتتح الوزير صباح اليوم مدرسة جديدة.", "وحضر الحفل عدد من الأهالي."]
BODY_EN = ["The minister opened a new school this morning.", "Many parents attended."]


def _unit(*xs: float) -> np.ndarray:
    v = np.array(xs + (0.0,) * (8 - len(xs)), dtype=np.float32)
    return v / np.linalg.norm(v)


class _Embedder:
    def __init__(self, vectors: dict[str, np.ndarray]):
        self.vectors = vectors

    def embed(self, texts):
        return np.array([self.vectors[t] for t in texts], dtype=np.float32)


def _rows(body_en_vectors):
    doc = document_from_text(TEXT)
    en = Piece(1, 0, len(EN_HEAD), "en", "title", mixed=True)
    ar = Piece(1, len(EN_HEAD) + 1, len(EN_HEAD) + 1 + len(AR_HEAD), "ar", "title", mixed=True)
    vectors = {EN_HEAD: _unit(1, 0, 0.35), AR_HEAD: _unit(1, 0.35),
               BODY_AR[0]: _unit(1, 0, 0, 0.6), BODY_AR[1]: _unit(1, 0, 0, 0, 0.6)}
    vectors.update(zip(BODY_EN, body_en_vectors))
    body = SimpleNamespace(translated=True,
                           ar_sentences=tuple(Sentence(t, 0, len(t), "ar") for t in BODY_AR),
                           en_sentences=tuple(Sentence(t, 0, len(t), "en") for t in BODY_EN))
    rows = list(_mixed_line_rows(doc, [en, ar], _Embedder(vectors), "light", [body],
                                 AlignConfig()))
    return rows, vectors


def test_a_headline_pair_scores_the_bead_probability_of_its_margin():
    rows, v = _rows([_unit(1, 0, 0, 0, 0, 0.6), _unit(1, 0, 0, 0, 0, 0, 0.6)])
    [(_, row)] = rows
    assert row.found_by == "mixed-line" and row.origin == "aligned"
    cos = float(v[AR_HEAD] @ v[EN_HEAD])  # ~0.89: the old score
    # the page's body sentences are the margin's neighbours, the partner among them
    quality, _ = span_quality(v[AR_HEAD], v[EN_HEAD], len(AR_HEAD), len(EN_HEAD),
                              np.array([v[AR_HEAD]] + [v[t] for t in BODY_AR]),
                              np.array([v[EN_HEAD]] + [v[t] for t in BODY_EN]), AlignConfig())
    assert row.score == round(bead_confidence(quality, cos, 1, 1), 4)
    assert row.score > 0.95 > cos  # a clear translation on a page of other sentences


def test_a_body_sentence_close_to_the_headline_lowers_its_score():
    # the English body says the headline again: the Arabic half's best neighbours are as
    # close as its partner, so the pair is less sure to be the exact one (a hub, as in a bead)
    clear, _ = _rows([_unit(1, 0, 0, 0, 0, 0.6), _unit(1, 0, 0, 0, 0, 0, 0.6)])
    crowded, _ = _rows([_unit(1, 0.3, 0.05), _unit(1, 0.25, 0.1)])
    assert crowded[0][1].score < 0.9 < clear[0][1].score
    assert crowded[0][1].ar == clear[0][1].ar and crowded[0][1].en == clear[0][1].en
