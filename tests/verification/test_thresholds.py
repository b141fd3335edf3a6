"""Thresholds are order statistics of the impostor scores, with the allowed count computed exactly."""

from __future__ import annotations

import numpy as np
import pytest

from ethicscheck.verification import allowed_false_matches, fmr_thresholds


@pytest.mark.parametrize(
    ("scores", "target", "threshold", "matched"),
    [
        ([0.1, 0.4, 0.2, 0.9, 0.3], 0.2, 0.9, 1),  # k = 1: the largest score is the threshold
        ([0.1, 0.4, 0.2, 0.9, 0.3], 0.4, 0.4, 2),
        ([0.1, 0.4, 0.2, 0.9, 0.3], 0.39, 0.9, 1),  # floor(1.95) = 1
        ([0.5, 0.5, 0.5, 0.1], 0.75, 0.5, 3),
        ([0.1, 0.4, 0.2, 0.9, 0.3], 0.9, 0.2, 4),
    ],
)
def test_threshold_by_hand(scores, target, threshold, matched):
    found = fmr_thresholds(np.array(scores), [target])[0]
    assert found == threshold
    assert int((np.array(scores) >= found).sum()) == matched


def test_ties_at_the_top_allow_no_match_rather_than_too_many():
    scores = np.array([0.5, 0.5, 0.5, 0.1])
    found = fmr_thresholds(scores, [0.25])[0]  # one match allowed, but three tie at the top
    assert found > 0.5 and found == np.nextafter(0.5, 1.0)
    assert (scores >= found).sum() == 0


def test_allowed_count_is_exact_where_floating_point_is_not():
    assert int(0.29 * 100) == 28  # what a float product would allow
    assert allowed_false_matches(0.29, 100) == 29
    assert allowed_false_matches(1e-4, 10_000) == 1
    assert allowed_false_matches(1e-5, 99_999) == 0


def test_thresholds_keep_the_score_dtype_and_leave_the_input_alone():
    scores = np.random.default_rng(0).normal(size=10_000).astype(np.float32)
    before = scores.copy()
    found = fmr_thresholds(scores, [1e-3, 1e-2])
    assert found.dtype == np.float32
    np.testing.assert_array_equal(scores, before)
    assert [(scores >= t).sum() for t in found] == [10, 100]


def test_thresholds_match_a_full_sort():
    scores = np.random.default_rng(1).integers(0, 50, 1_000).astype(float)  # many ties
    for target in (0.001, 0.01, 0.05, 0.3):
        k = allowed_false_matches(target, len(scores))
        found = fmr_thresholds(scores, [target])[0]
        assert (scores >= found).sum() <= k
        below = scores[scores < found]
        assert below.size == 0 or (scores >= below.max()).sum() > k  # the next lower score would allow too many
