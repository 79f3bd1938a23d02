"""The bead score (corpus.refine.bead_confidence): a probability that rises with the match
and falls with the number of units a bead joins."""

from corpus.refine import bead_confidence


def test_confidence_is_a_probability_ordered_by_the_evidence():
    weak, good = bead_confidence(0.0, 0.84, 1, 1), bead_confidence(0.10, 0.90, 1, 1)
    assert 0.0 < weak < good < 1.0
    # a bead that joins three units is less often exactly right than a 1-1 of equal match
    assert bead_confidence(0.10, 0.90, 1, 2) < good


def test_the_median_one_to_one_bead_scores_high():
    # quality ~0.07 at cosine ~0.89 is the median 1-1 bead of the check set, where ~96% of
    # the 1-1 beads are exactly right; a bead at the aligner's floor (quality 0) is not sure
    assert bead_confidence(0.07, 0.89, 1, 1) > 0.95
    assert bead_confidence(0.0, 0.84, 1, 1) < 0.9
