"""Clopper-Pearson on effective counts: against statsmodels' exact intervals and the Korn-Graubard formula by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from ethicscheck.verification._intervals import (
    clopper_pearson,
    design_effect,
    effective_counts,
    gamma_poisson_interval,
    overdispersion,
    pooled_overdispersion,
    rate_ratio_interval,
)


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


def _korn_graubard(errors, trials, deff, people):
    """Clopper-Pearson on Korn-Graubard effective counts, from scipy.stats by hand."""
    n = min(trials, trials / deff * (stats.t.ppf(0.975, trials - 1) / stats.t.ppf(0.975, people - 1)) ** 2)
    x = errors / trials * n
    return stats.beta.ppf(0.025, x, n - x + 1), stats.beta.ppf(0.975, x + 1, n - x)


def test_overdispersion_is_the_gamma_poisson_moment_estimate_by_hand():
    # 36 errors in 100,000, design effect 2, S = 300 people x 670^2: phi = (2 - 1) x 36 x (1 - p) / (p^2 S)
    p, s = 36 / 100_000, 300 * 670.0**2
    assert overdispersion(36, 100_000, 2.0, s) == pytest.approx(36 * (1 - p) / (p * p * s), rel=1e-12)
    assert overdispersion(36, 100_000, 1.0, s) == 0.0 and overdispersion(0, 100_000, 2.0, s) == 0.0
    # pooled: sum of numerators over sum of denominators
    q = 10 / 100_000
    pooled = pooled_overdispersion([(36, 100_000, 2.0, s), (10, 100_000, 1.5, s)])
    assert pooled == pytest.approx((36 * (1 - p) + 0.5 * 10 * (1 - q)) / ((p * p + q * q) * s), rel=1e-12)
    assert pooled_overdispersion([]) == 0.0


def test_without_overdispersion_the_interval_is_korn_graubards():
    assert gamma_poisson_interval(36, 100_000, deff=2.0, phi=0.0, exposure_squares=1e8, people=300, confidence_level=0.95) == (
        pytest.approx(_korn_graubard(36, 100_000, 2.0, 300), rel=1e-9)
    )


def test_the_upper_limit_carries_the_design_effect_of_the_rate_it_names():
    errors, trials, deff, s, people = 36, 100_000, 2.0, 300 * 670.0**2, 300
    phi = overdispersion(errors, trials, deff, s) * 1.5  # as if pooled over groups with more overdispersion
    low, high = gamma_poisson_interval(errors, trials, deff=deff, phi=phi, exposure_squares=s, people=people, confidence_level=0.95)
    kg_low, kg_high = _korn_graubard(errors, trials, deff, people)
    assert low == pytest.approx(kg_low, rel=1e-9) and high > kg_high * 1.05
    at_high = max(deff, 1 + phi * high * s / (trials * (1 - high)))
    assert high == pytest.approx(_korn_graubard(errors, trials, at_high, people)[1], rel=1e-9)  # the fixed point


def test_one_miss_in_600_genuine_comparisons_keeps_its_clopper_pearson_width():
    # two genuine comparisons a person (S = 300 x 2^2), strong pooled overdispersion from another group
    low, high = gamma_poisson_interval(1, 600, deff=1.0, phi=5.0, exposure_squares=1_200.0, people=300, confidence_level=0.95)
    cp_low, cp_high = clopper_pearson(1, 600, 0.95)
    assert cp_high - cp_low < high - low < 1.1 * (cp_high - cp_low)  # 7% wider at phi = 5 (a CV of 2.2 between people)


def test_design_effect_is_undefined_without_errors_to_measure_it_from():
    replicates = np.array([1e-3, 2e-3, 3e-3])
    assert design_effect(0, 1_000, replicates) is None and design_effect(5, 1_000, None) is None
    assert design_effect(1, 1_000, replicates) == pytest.approx(max(1.0, 1e-6 / (1e-3 * 0.999 / 1_000)), rel=1e-12)
