"""The word translation model learned from the input (corpus.lexicon): tokens, IBM Model 1
on a toy parallel corpus whose dictionary we know, and the lexical score of cuts."""

from __future__ import annotations

import pytest

from corpus.lexicon import MIN_PAIRS, Lexicon, cut_scores, token, train_lexicon

# a known dictionary: each Arabic word translates the English word beside it
WORDS = [("رئيس", "president"), ("حكومة", "government"), ("مدينة", "city"),
         ("شرطة", "police"), ("مدرسة", "school"), ("طالب", "student"), ("كتاب", "book"),
         ("سيارة", "car"), ("ماء", "water"), ("بيت", "house"), ("سوق", "market"),
         ("نهر", "river")]


def corpus_pairs(n: int = 36) -> list[tuple[str, str]]:
    """Sentence pairs of three words each (concepts k, k+1, k+4 of the dictionary); the
    English in another order, as translations reorder."""
    out = []
    for k in range(n):
        idx = [k % 12, (k + 1) % 12, (k + 4) % 12]
        out.append((" ".join(WORDS[i][0] for i in idx),
                    " ".join(WORDS[i][1] for i in reversed(idx))))
    return out


def test_tokens_match_forms():
    assert token("والكتاب", "ar") == token("كتاب", "ar")  # conjunction and article off
    assert token("للمدرسة", "ar") == token("مدرسة", "ar")  # لل and teh marbuta
    assert token("٢٠١٨", "ar") == token("2018", "en") == "2018"  # digits read as ASCII
    assert token("Raqqa", "ar") == "raqqa"  # a Latin name inside Arabic
    assert token("Government", "en") == token("governments", "en")  # six-letter stem


def test_too_few_pairs_no_lexicon():
    assert train_lexicon(corpus_pairs(MIN_PAIRS - 1)) is None
    assert isinstance(train_lexicon(corpus_pairs(MIN_PAIRS)), Lexicon)


def test_model1_learns_the_dictionary():
    lex = train_lexicon(corpus_pairs())
    english = [en for _, en in WORDS]
    for ar, en in WORDS:
        f = token(ar, "ar")
        best = max(english, key=lambda e: lex.t[("ar", "en")].get((f, token(e, "en")), 0.0))
        assert best == en
        back = max((a for a, _ in WORDS),
                   key=lambda a: lex.t[("en", "ar")].get((token(en, "en"), token(a, "ar")), 0.0))
        assert back == ar


def test_cut_scores_peak_at_the_boundary():
    lex = train_lexicon(corpus_pairs())
    unit = "رئيس حكومة مدينة شرطة مدرسة طالب"
    cuts = [i for i, ch in enumerate(unit) if ch == " "]
    scores = cut_scores(lex, unit, "ar", cuts, [], [], ["president government city"],
                        ["police school student"])
    assert scores.index(max(scores)) == 2  # after مدينة (city)
    # one word off either way scores lower than the true boundary
    assert scores[1] < scores[2] and scores[3] < scores[2]
    # the English unit cut against its two Arabic counterparts, the same way round
    unit_en = "president government city police school student"
    cuts_en = [i for i, ch in enumerate(unit_en) if ch == " "]
    scores_en = cut_scores(lex, unit_en, "en", cuts_en, [], [], ["رئيس حكومة مدينة"],
                           ["شرطة مدرسة طالب"])
    assert scores_en.index(max(scores_en)) == 2


def test_numbers_and_names_translate_themselves():
    lex = train_lexicon(corpus_pairs())  # has never seen 1948 or Haifa
    unit = "رئيس حكومة 1948 Haifa مدرسة طالب"
    cuts = [i for i, ch in enumerate(unit) if ch == " "]
    scores = cut_scores(lex, unit, "ar", cuts, [], [], ["president government in 1948 Haifa"],
                        ["school student"])
    assert scores.index(max(scores)) == 3  # after Haifa


def test_other_units_of_the_side_count():
    lex = train_lexicon(corpus_pairs())
    # a crossing: the unit's left piece joins مدرسة طالب already in the first bead
    unit = "رئيس حكومة سيارة ماء"
    cuts = [i for i, ch in enumerate(unit) if ch == " "]
    scores = cut_scores(lex, unit, "ar", cuts, ["مدرسة طالب"], [],
                        ["school student president government"], ["car water"])
    assert scores.index(max(scores)) == 1
    assert scores == pytest.approx(cut_scores(lex, unit, "ar", cuts, ["مدرسة طالب"], [],
                                              ["school student president government"],
                                              ["car water"]))  # deterministic


def test_refine_trains_on_one_to_one_beads_only():
    import numpy as np

    from corpus.refine import _train_lexicon, _Work
    from corpus.types import Sentence

    def sents(texts, lang):
        return [Sentence(text=t, start=0, end=len(t), lang=lang, paragraph=0) for t in texts]

    pairs = corpus_pairs()
    ar, en = sents([a for a, _ in pairs], "ar"), sents([e for _, e in pairs], "en")
    empty = np.zeros((0, 4))
    one_to_one = [([k], [k]) for k in range(len(pairs))]
    assert isinstance(_train_lexicon({0: _Work(ar, en, one_to_one, empty, empty)}), Lexicon)
    # the same sentences in 1-2 beads teach nothing: fall back to no lexicon
    one_to_two = [([k], [k, k + 1]) for k in range(0, len(pairs) - 1, 2)]
    assert _train_lexicon({0: _Work(ar, en, one_to_two, empty, empty)}) is None
