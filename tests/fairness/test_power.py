"""Power of the audit's own test and the smallest disparity it detects, against statsmodels and by brute force."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binom, fisher_exact
from statsmodels.stats.proportion import power_proportions_2indep

from ethicscheck.fairness import (
    DetectableDisparity,
    SampleSize,
    compare_proportions,
    detectable_disparity,
    needed_denominator,
    normal_power,
    power_of_test,
)
from ethicscheck.fairness._power import _fisher_p, _rejects


def _brute_force_power(n1: int, p1: float, n2: int, p2: float, level: float) -> float:
    """Every outcome of both binomials through the engine's own compare_proportions: the definition itself."""
    total = 0.0
    for x1 in range(n1 + 1):
        for x2 in range(n2 + 1):
            if compare_proportions(x1, n1, x2, n2)[0] < level:
                total += binom.pmf(x1, n1, p1) * binom.pmf(x2, n2, p2)
    return total


@pytest.mark.parametrize(
    ("n1", "p1", "n2", "p2", "level"),
    [
        (12, 0.40, 30, 0.10, 0.05),  # Fisher everywhere
        (20, 0.25, 45, 0.10, 0.0125),  # Holm's first step over four tests
        (25, 0.50, 30, 0.30, 0.05),  # both tests, switching with the outcome
        (8, 0.90, 8, 0.20, 0.05),  # equal sizes: Fisher's tied tables
    ],
)
def test_exact_power_is_the_engine_test_summed_over_every_outcome(n1, p1, n2, p2, level):
    assert power_of_test(n1, p1, n2, p2, level=level) == pytest.approx(_brute_force_power(n1, p1, n2, p2, level), abs=1e-11)


@pytest.mark.parametrize(("n1", "n2"), [(40, 3000), (49, 59), (30, 30), (200, 180), (3, 500)])
def test_fisher_p_values_are_scipys(n1, n2):
    rng = np.random.default_rng(n1 * n2)
    x1, x2 = rng.integers(0, n1 + 1, 100), rng.integers(0, min(n2, 80) + 1, 100)
    expected = np.array([fisher_exact([[a, n1 - a], [b, n2 - b]]).pvalue for a, b in zip(x1, x2)])
    np.testing.assert_allclose(_fisher_p(x1, x2, n1, n2), expected, rtol=1e-9, atol=1e-300)


def test_rejection_region_is_the_engines_decision():
    rng = np.random.default_rng(7)
    for _ in range(6):
        n1, n2 = int(rng.integers(5, 120)), int(rng.integers(30, 2000))
        x1, x2 = np.arange(n1 + 1), rng.integers(0, min(n2, 200) + 1, 6)
        region = _rejects(x1, x2, n1, n2, 0.01).astype(bool)
        engine = np.array([[compare_proportions(int(a), n1, int(b), n2)[0] < 0.01 for b in x2] for a in x1])
        assert (region == engine).all()


@pytest.mark.parametrize(
    ("n1", "p1", "n2", "p2", "level"),
    [(500, 0.10, 2000, 0.05, 0.05), (1000, 0.30, 1000, 0.25, 0.05), (3000, 0.06, 3000, 0.05, 0.01), (58, 0.2, 3000, 0.05, 0.0125)],
)
def test_normal_power_is_statsmodels_power_proportions_2indep(n1, p1, n2, p2, level):
    reference = power_proportions_2indep(p1 - p2, p2, n1, ratio=n2 / n1, alpha=level).power
    assert normal_power(n1, p1, n2, p2, level=level) == pytest.approx(reference, rel=1e-12)


@pytest.mark.parametrize(
    ("n1", "p1", "n2", "p2", "level"),
    [
        (1000, 0.30, 1000, 0.25, 0.05),
        (3000, 0.06, 3000, 0.05, 0.01),
        (2000, 0.13, 5000, 0.10, 0.0125),
        (1500, 0.50, 4000, 0.45, 0.05),
        (4000, 0.035, 4000, 0.025, 0.05),
    ],
)
def test_exact_power_within_one_percent_of_statsmodels_where_the_normal_form_applies(n1, p1, n2, p2, level):
    """Every expected cell is large here, so statsmodels' normal approximation describes the same z-test."""
    reference = power_proportions_2indep(p1 - p2, p2, n1, ratio=n2 / n1, alpha=level).power
    exact = power_of_test(n1, p1, n2, p2, level=level, method="exact")
    assert abs(exact - reference) <= 0.01


@pytest.mark.parametrize(
    ("group_n", "reference_n", "rate", "tests", "method"),
    [
        (58, 3000, 0.05, 1, "exact"),
        (40, 40, 0.05, 5, "exact"),
        (120, 800, 0.2, 3, "exact"),
        (800, 5000, 0.01, 2, "exact"),
        (3000, 3000, 0.05, 5, "normal"),
        (20000, 90000, 0.3, 2, "normal"),
    ],
)
def test_detectable_disparity_is_where_power_reaches_the_target(group_n, reference_n, rate, tests, method):
    found = detectable_disparity(group_n, reference_n, rate, tests=tests)
    assert found.usable and found.method == method
    level = 0.05 / tests
    assert found.level == pytest.approx(level)
    assert power_of_test(group_n, found.ratio * rate, reference_n, rate, level=level, method=method) >= 0.8
    assert power_of_test(group_n, found.ratio * rate / 1.001, reference_n, rate, level=level, method=method) < 0.8
    # where the normal form is used, the exact power at its answer is within half a point of the target
    assert power_of_test(group_n, found.ratio * rate, reference_n, rate, level=level, method="exact") == pytest.approx(0.8, abs=0.005)
    assert found.difference == pytest.approx((found.ratio - 1) * rate)
    assert found.group_rate == pytest.approx(found.ratio * rate)


def test_more_data_or_fewer_tests_detect_smaller_disparities():
    small, large = detectable_disparity(60, 3000, 0.05), detectable_disparity(600, 3000, 0.05)
    assert large.ratio < small.ratio
    assert detectable_disparity(600, 3000, 0.05, tests=8).ratio > large.ratio
    assert detectable_disparity(600, 3000, 0.05, power=0.9).ratio > large.ratio


@pytest.mark.parametrize(
    ("group_n", "reference_n", "rate", "why"),
    [
        (100, 1000, 0.0, "rate is 0"),
        (100, 1000, 1.0, "rate is 1"),
        (0, 1000, 0.1, "no rows"),
        (2, 40, 0.5, "even a rate of 1"),
    ],
)
def test_undefined_stays_undefined_with_its_reason(group_n, reference_n, rate, why):
    found = detectable_disparity(group_n, reference_n, rate)
    assert found.status == "undefined" and not found.usable
    assert found.ratio is None and found.difference is None and found.group_rate is None
    assert why in found.reason


def test_needed_denominator_is_the_smallest_with_the_power():
    needed = needed_denominator(3000, 0.05, ratio=2.0, tests=2)
    assert needed.status == "ok" and needed.n is not None
    level = 0.025
    assert power_of_test(needed.n, 0.10, 3000, 0.05, level=level) >= 0.8
    assert power_of_test(needed.n - 1, 0.10, 3000, 0.05, level=level) < 0.8
    assert needed_denominator(3000, 0.05, ratio=8.0, min_group_size=30).n == 30


def test_a_reference_too_small_for_any_group_grows_with_the_group():
    needed = needed_denominator(1000, 0.05, ratio=1.25, tests=3)
    assert needed.status == "ok" and needed.n == needed.reference_needed > 1000
    level = 0.05 / 3
    assert power_of_test(needed.n, 0.0625, needed.n, 0.05, level=level) >= 0.8
    assert power_of_test(needed.n - 1, 0.0625, needed.n - 1, 0.05, level=level) < 0.8
    assert needed_denominator(3000, 0.05, ratio=2.0).reference_needed == 3000  # enough as it is


@pytest.mark.parametrize(("reference_n", "rate", "ratio", "why"), [(500, 0.6, 2.0, "would exceed 1"), (500, 0.0, 2.0, "rate is 0")])
def test_needed_denominator_says_why_there_is_no_answer(reference_n, rate, ratio, why):
    needed = needed_denominator(reference_n, rate, ratio=ratio)
    assert needed.status == "undefined" and needed.n is None
    assert why in needed.reason


def test_results_round_trip_through_their_dicts():
    found = detectable_disparity(58, 3000, 0.05, metric="fnr")
    assert DetectableDisparity.from_dict(found.to_dict()) == found
    needed = needed_denominator(3000, 0.05, ratio=2.0)
    assert SampleSize.from_dict(needed.to_dict()) == needed
    missing = detectable_disparity(10, 100, 0.0)
    assert DetectableDisparity.from_dict(missing.to_dict()) == missing


@pytest.mark.parametrize(
    ("n", "p"),
    [
        (1, 0.5),
        (30, 0.01),
        (75, 0.123),
        (2000, 0.05),
        (50_000, 0.9),
        (7, 0.0),
        (7, 1.0),
        (0, 0.0),
        (1, 1.0),
        (100_000, 0.0),
        (100_000, 1.0),
    ],
)
def test_binomial_support_is_scipys_binom(n, p):
    """_support calls scipy's binomial functions without binom's argument handling: the same numbers."""
    from ethicscheck.fairness._power import _TAIL, _support

    x, pmf = _support(n, p)
    if 0 < p < 1:
        assert x[0] == max(binom.ppf(_TAIL / 2, n, p) - 1, 0) and x[-1] == min(binom.isf(_TAIL / 2, n, p) + 1, n)
    assert np.array_equal(pmf, binom.pmf(x, n, p))


def _whole_region_curve(n1: int, n2: int, p2: float, level: float):
    """The power curve with every row of the rejection region computed up front (what the lazy rows replace)."""
    from ethicscheck.fairness._power import _support

    x2, w2 = _support(n2, p2)
    region = _rejects(np.arange(n1 + 1), x2, n1, n2, level)

    def power(p1: float) -> float:
        x1, w1 = _support(n1, p1)
        return float(min(w1 @ region[x1[0] : x1[-1] + 1] @ w2, 1.0))

    return power


@pytest.mark.parametrize("seed", [0, 2])
def test_rows_computed_as_needed_give_the_whole_regions_answers(seed, monkeypatch):
    """Detectable disparities and needed denominators are the same numbers, to the last digit, as with the
    whole rejection region computed at once (small groups, both tests, Holm families of 1-12)."""
    import ethicscheck.fairness._power as power

    rng = np.random.default_rng(seed)
    cases = []
    for _ in range(5):
        n1, n2, rate, tests = int(rng.integers(5, 400)), int(rng.integers(20, 3000)), rng.uniform(0.005, 0.5), int(rng.integers(1, 13))
        cases.append((n1, n2, round(rate * n2) / n2, tests))
    lazy = [(detectable_disparity(n1, n2, p, tests=t), needed_denominator(n2, p, ratio=3.0, tests=t)) for n1, n2, p, t in cases]
    monkeypatch.setattr(power, "_curve", _whole_region_curve)
    whole = [(detectable_disparity(n1, n2, p, tests=t), needed_denominator(n2, p, ratio=3.0, tests=t)) for n1, n2, p, t in cases]
    assert lazy == whole
    assert sum(found.method == "exact" and found.usable for found, _ in lazy) >= 2  # the exact sum was exercised
