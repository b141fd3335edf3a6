"""Clopper-Pearson on effective counts: against statsmodels' exact intervals and the Korn-Graubard formula by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from ethicscheck.verification._intervals import clopper_pearson, effective_counts, rate_ratio_interval


@pytest.mark.parametrize(("errors", "trials"), [(0, 50), (1, 50), (10, 1_000_000), (49, 50), (50, 50)])
def test_clopper_pearson_equals_statsmodels(errors, trials):
    low, high = proportion_confint(errors, trials, alpha=0.05, method="beta")
    assert clopper_pearson(errors, trials, 0.95) == pytest.approx((low, high), rel=1e-12, abs=1e-15)


def test_effective_counts_follow_korn_graubard_by_hand():
    rng = np.random.default_rng(0)
    replicates = 1e-3 + rng.normal(0, 6.3e-4, 2_000)  # variance about 4x that of 10 errors in 10,000 independent comparisons
    deff = np.var(replicates, ddof=1) / (1e-3 * (1 - 1e-3) / 10_000)
    widen = (stats.t.ppf(0.975, 9_999) / stats.t.ppf(0.975, 29)) ** 2
    x, n = effective_counts(10, 10_000, replicates, 30, 0.95)
    assert n == pytest.approx(10_000 / deff * widen, rel=1e-9) and x == pytest.approx(1e-3 * n, rel=1e-12)


def test_a_design_effect_below_1_only_keeps_the_degrees_of_freedom_widening():
    tight = np.full(100, 1e-3) + np.linspace(-1e-9, 1e-9, 100)  # far less spread than independent comparisons
    widen = (stats.t.ppf(0.975, 9_999) / stats.t.ppf(0.975, 29)) ** 2
    x, n = effective_counts(10, 10_000, tight, 30, 0.95)
    assert n == pytest.approx(10_000 * widen, rel=1e-9) and n < 10_000
    assert effective_counts(0, 10_000, tight, 30, 0.95) == (0.0, 10_000.0)
    assert effective_counts(10, 10_000, None, 30, 0.95) == (10.0, 10_000.0)
    assert effective_counts(10, 10_000, tight, 1, 0.95) == (10.0, 10_000.0)


def test_rate_ratio_interval_is_the_conditional_binomial_interval():
    share_low, share_high = proportion_confint(30, 40, alpha=0.05, method="beta")
    low, high = rate_ratio_interval((30.0, 1e6), (10.0, 2e6), 0.95)
    assert low == pytest.approx(share_low / (1 - share_low) * 2, rel=1e-12)
    assert high == pytest.approx(share_high / (1 - share_high) * 2, rel=1e-12)
    assert low < (30 / 1e6) / (10 / 2e6) < high


def test_rate_ratio_interval_without_errors_is_unbounded_on_that_side():
    assert rate_ratio_interval((5.0, 1e6), (0.0, 1e6), 0.95)[1] == math.inf
    assert rate_ratio_interval((0.0, 1e6), (5.0, 1e6), 0.95)[0] == 0.0
