"""The paired bootstrap: joint tables, fixed group sizes per seed, overlap between seeds, p-values that match intervals."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ethicscheck.compare._paired import HeldOut, interval_and_p, max_minus_min, paired_figures
from ethicscheck.errors import EthicsCheckDeprecationWarning


def _seeds(rng, n=3000, groups=3, seeds=2):
    group, y = rng.integers(0, groups, n), rng.random(n) < 0.3
    held = []
    for _ in range(seeds):
        rows = np.sort(rng.choice(n, n // 2, replace=False))
        held.append(HeldOut(rows, group[rows], y[rows]))
    return held


def _decide(held, rng, fpr=0.1):
    return [rng.random(len(h.rows)) < np.where(h.y, 0.7, fpr) for h in held]


def test_identical_decisions_differ_by_exactly_zero_in_every_replicate():
    rng = np.random.default_rng(0)
    held = _seeds(rng)
    same = _decide(held, rng)
    figures = paired_figures(held, same, same, n_groups=3, min_negatives=30, n_boot=300, rng=rng)
    for figure in ("fpr_gap", "accuracy", "recall"):
        observed, replicates = figures.difference(figure)
        assert np.all(observed == 0) and np.all(replicates == 0)
        assert interval_and_p(0.0, replicates.mean(axis=0), confidence_level=0.95, rule="percentile") == (0.0, 0.0, 1.0)


def test_observed_figures_equal_direct_computation():
    rng = np.random.default_rng(1)
    held = _seeds(rng, seeds=1)
    first, second = _decide(held, rng, 0.1), _decide(held, rng, 0.2)
    figures = paired_figures(held, first, second, n_groups=3, min_negatives=30, n_boot=10, rng=rng)
    h, d = held[0], first[0]
    fpr = np.array([d[(h.group == g) & ~h.y].mean() for g in range(3)])
    assert figures.observed["first_fpr_gap"][0] == pytest.approx(fpr.max() - fpr.min(), abs=1e-12)
    assert figures.observed["first_accuracy"][0] == pytest.approx((d == h.y).mean(), abs=1e-12)
    assert figures.observed["first_recall"][0] == pytest.approx(d[h.y].mean(), abs=1e-12)


def test_replicates_resample_rows_jointly_across_overlapping_seeds():
    """Two seeds holding out the same rows with the same decisions see the same replicate, draw by draw."""
    rng = np.random.default_rng(2)
    (held,) = _seeds(rng, seeds=1)
    first, second = _decide([held], rng), _decide([held], rng)
    figures = paired_figures([held, held], first * 2, second * 2, n_groups=3, min_negatives=30, n_boot=200, rng=rng)
    _, replicates = figures.difference("fpr_gap")
    assert np.array_equal(replicates[0], replicates[1]) and replicates[0].std() > 0


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**31), st.integers(2, 4), st.integers(1, 3))
def test_each_seeds_group_sizes_are_fixed_in_every_replicate(seed, groups, seeds):
    rng = np.random.default_rng(seed)
    held = [HeldOut(h.rows, h.group, np.zeros(len(h.rows), dtype=bool)) for h in _seeds(rng, n=600, groups=groups, seeds=seeds)]
    # every row negative, exactly group 0 flagged: accuracy is the share of rows outside group 0, which only
    # changes if a replicate changes a seed's group sizes
    flagged = [h.group == 0 for h in held]
    figures = paired_figures(held, flagged, flagged, n_groups=groups, min_negatives=1, n_boot=20, rng=rng)
    observed, replicates = figures.observed["first_accuracy"], figures.replicates["first_accuracy"]
    assert replicates.shape == (seeds, 20) and np.allclose(replicates, observed[:, None], atol=1e-12)


@pytest.mark.parametrize(
    ("point", "replicates", "rule", "expected_low_sign", "significant"),
    [
        (-0.05, np.random.default_rng(3).normal(-0.05, 0.01, 2000), "percentile", -1, True),
        (-0.01, np.random.default_rng(4).normal(-0.01, 0.01, 2000), "percentile", -1, False),  # 1 SE: not significant
        (0.04, np.random.default_rng(5).normal(0.04, 0.01, 2000), "basic", 1, True),
    ],
)
def test_p_value_agrees_with_the_interval(point, replicates, rule, expected_low_sign, significant):
    low, high, p = interval_and_p(point, replicates, confidence_level=0.95, rule=rule)
    excludes = high < 0 or low > 0
    assert excludes == significant == (p < 0.05) and np.sign(low) == expected_low_sign


def test_gap_is_max_minus_min_ignoring_missing_groups():
    assert max_minus_min(np.array([[0.1, np.nan, 0.3], [0.2, 0.2, 0.2]])).tolist() == pytest.approx([0.2, 0.0])


def test_interval_and_p_reads_the_old_confidence_keyword_with_a_warning():
    replicates = np.random.default_rng(2).normal(0.1, 0.05, 500)
    new = interval_and_p(0.1, replicates, confidence_level=0.9, rule="basic")
    with pytest.warns(EthicsCheckDeprecationWarning, match=r"interval_and_p\(confidence=\.\.\.\) is deprecated; pass confidence_level="):
        assert interval_and_p(0.1, replicates, confidence=0.9, rule="basic") == new
    with pytest.raises(TypeError, match="confidence_level"):
        interval_and_p(0.1, replicates, rule="basic")
