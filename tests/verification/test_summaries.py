"""Every summary against a case worked by hand (fractions, so the expected values are exact)."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest

from ethicscheck.verification import fdr, garbe, garbe_gini, gini, max_over_geomean, max_over_min
from ethicscheck.verification._summaries import fdr_bounds, max_over_geomean_bounds, max_over_min_bounds

FMR = [1e-4, 2e-4, 4e-4]
FNMR = [0.01, 0.03, 0.02]


def test_max_over_min_and_geometric_mean_by_hand():
    assert max_over_min(np.array(FMR)) == pytest.approx(4.0, rel=1e-15)
    # geometric mean of 1, 2, 4 (x 1e-4) is 2, so the highest is twice the geometric mean
    assert max_over_geomean(np.array(FMR)) == pytest.approx(2.0, rel=1e-14)


def test_gini_by_hand():
    # ordered pairs: |1-2|,|1-4|,|2-4| twice = 2 * (1 + 3 + 2) = 12; 2 n^2 mean = 2 * 9 * 7/3 = 42 -> 12/42 = 2/7
    assert gini(np.array(FMR)) == pytest.approx(float(F(2, 7)), rel=1e-14)
    assert garbe_gini(np.array(FMR)) == pytest.approx(float(F(3, 2) * F(2, 7)), rel=1e-14)  # n/(n-1) = 3/2 -> 3/7


def test_fdr_by_hand():
    # A = 4e-4 - 1e-4 = 3e-4, B = 0.03 - 0.01 = 0.02; alpha 0.5 -> 1 - (1.5e-4 + 0.01) = 0.98985
    assert fdr(np.array(FMR), np.array(FNMR), alpha=0.5) == pytest.approx(0.98985, rel=1e-14)
    assert fdr(np.array(FMR), np.array(FNMR), alpha=1.0) == pytest.approx(1 - 3e-4, rel=1e-14)


def test_garbe_by_hand():
    # G(FNMR) for 1, 3, 2 (x 0.01): pairs 2 * (2 + 1 + 1) = 8; 2 n^2 mean = 2 * 9 * 2 = 36 -> 8/36 = 2/9; x 3/2 = 1/3
    expected = F(1, 4) * F(3, 7) + F(3, 4) * F(1, 3)
    assert garbe(np.array(FMR), np.array(FNMR), alpha=0.25) == pytest.approx(float(expected), rel=1e-14)


@pytest.mark.parametrize(
    ("rates", "ratio", "geo", "g"),
    [
        ([0.1, 0.1, 0.1], 1.0, 1.0, 0.0),  # equal rates: no differential
        ([0.0, 0.2], np.nan, np.nan, 0.5),  # one group without errors: the ratios are unbounded, Gini is (n-1)/n
        ([0.0, 0.0], np.nan, np.nan, np.nan),  # nothing to compare
    ],
)
def test_edges(rates, ratio, geo, g):
    np.testing.assert_equal(max_over_min(np.array(rates)), ratio)
    np.testing.assert_equal(max_over_geomean(np.array(rates)), geo)
    np.testing.assert_allclose(gini(np.array(rates)), g)


def test_summaries_work_on_every_replicate_at_once():
    replicates = np.array([FMR, [2e-4, 2e-4, 2e-4]])
    np.testing.assert_allclose(max_over_min(replicates), [4.0, 1.0])
    np.testing.assert_allclose(gini(replicates), [2 / 7, 0.0])
    assert np.isnan(garbe_gini(np.array([0.1])))  # one group: no sample-corrected Gini


def test_bounds_over_the_groups_intervals_by_hand():
    low, high = np.array([0.01, 0.02, 0.04]), np.array([0.02, 0.05, 0.08])
    assert max_over_min_bounds(low, high) == pytest.approx((2.0, 8.0), rel=1e-12)  # 0.04 / 0.02, 0.08 / 0.01
    gm_high, gm_low = (0.02 * 0.05 * 0.08) ** (1 / 3), (0.01 * 0.02 * 0.04) ** (1 / 3)
    assert max_over_geomean_bounds(low, high) == pytest.approx((max(1.0, 0.04 / gm_high), 0.08 / gm_low), rel=1e-12)
    # overlapping intervals: the smallest possible spread is no spread (1), an interval touching 0 leaves it unbounded
    assert max_over_min_bounds(np.array([0.0, 0.01]), np.array([0.03, 0.02])) == (1.0, np.inf)
    # FDR: FMR gaps 0.04 - 0.02 = 0.02 (smallest) and 0.08 - 0.01 = 0.07 (largest); FNMR gaps 0 and 0.2 - 0.1 = 0.1
    fnmr_low, fnmr_high = np.array([0.1, 0.12, 0.11]), np.array([0.15, 0.2, 0.14])
    assert fdr_bounds(low, high, fnmr_low, fnmr_high, alpha=0.5) == pytest.approx((1 - (0.035 + 0.05), 1 - 0.01), rel=1e-12)


def test_bounds_hold_the_estimate():
    rates = np.array([0.012, 0.03, 0.05])
    low, high = rates * 0.8, rates * 1.3
    for bounds, function in ((max_over_min_bounds, max_over_min), (max_over_geomean_bounds, max_over_geomean)):
        lower, upper = bounds(low, high)
        assert lower <= function(rates) <= upper
    lower, upper = fdr_bounds(low, high, low, high)
    assert lower <= fdr(rates, rates) <= upper
