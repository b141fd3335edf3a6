from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ethicscheck.fairness import AssessSettings, assess
from ethicscheck.fairness._spread import difference_spread, ratio_spread, ratio_to_reference_spread, worst_of
from ethicscheck.fairness._uncertainty import newcombe_difference, wilson_interval


def _two(x1: int, n1: int, x2: int, n2: int) -> tuple[np.ndarray, np.ndarray]:
    return np.array([[x1, x2]]), np.array([[n1, n2]])


@pytest.mark.parametrize(("x1", "n1", "x2", "n2"), [(50, 1000, 52, 1000), (10, 200, 30, 200), (3, 40, 0, 35), (700, 900, 20, 60)])
def test_two_groups_spread_interval_is_the_image_of_newcombes_interval(x1, n1, x2, n2):
    """With two groups |p1 - p2| is covered exactly when p1 - p2 is: its interval is {|d| : d in Newcombe's}."""
    low, high = newcombe_difference((x1, x2), (n1, n2), confidence_level=0.95)
    bounds = difference_spread(*_two(x1, n1, x2, n2), confidence_level=0.95)
    expected_low = 0.0 if low <= 0 <= high else min(abs(low), abs(high))
    assert bounds.value[0] == pytest.approx(abs(x1 / n1 - x2 / n2))
    assert bounds.low[0] == pytest.approx(expected_low, abs=1e-12)
    assert bounds.high[0] == pytest.approx(max(abs(low), abs(high)), abs=1e-12)


def test_two_groups_ratio_interval_is_newcombes_method_on_the_log_scale():
    x, n = _two(30, 400, 60, 400)
    (l1, l2), (u1, u2) = wilson_interval(x[0], n[0], confidence_level=0.95)
    p1, p2 = 30 / 400, 60 / 400
    log_low = np.log(p2 / p1) - np.sqrt((np.log(p2) - np.log(l2)) ** 2 + (np.log(u1) - np.log(p1)) ** 2)
    log_high = np.log(p2 / p1) + np.sqrt((np.log(u2) - np.log(p2)) ** 2 + (np.log(p1) - np.log(l1)) ** 2)
    bounds = ratio_spread(x, n, confidence_level=0.95)
    assert bounds.value[0] == pytest.approx(2.0)
    assert (bounds.low[0], bounds.high[0]) == pytest.approx((np.exp(log_low), np.exp(log_high)), abs=1e-12)


def test_a_clear_gap_is_adjusted_only_for_the_pairs_that_could_be_the_largest():
    # rates 5%, 20%, 60%: only (60%, 5%) can be the largest difference, so its lower bound is Newcombe's
    # unadjusted 95% bound, not a bound adjusted over all three pairs
    x, n = np.array([[100, 400, 1200]]), np.array([[2000, 2000, 2000]])
    low, _ = newcombe_difference((1200, 100), (2000, 2000), confidence_level=0.95)
    adjusted, _ = newcombe_difference((1200, 100), (2000, 2000), confidence_level=1 - 0.05 / 3)
    bounds = difference_spread(x, n, confidence_level=0.95)
    assert bounds.low[0] == pytest.approx(low, abs=1e-12)
    assert adjusted < bounds.low[0]


def test_nearly_tied_pairs_are_adjusted_together():
    x, n = np.array([[100, 104, 108, 112]]), np.array([[2000, 2000, 2000, 2000]])
    single, _ = newcombe_difference((112, 100), (2000, 2000), confidence_level=0.95)
    bounds = difference_spread(x, n, confidence_level=0.95)
    assert bounds.low[0] == 0.0 and single < 0  # no claim of a gap
    assert bounds.high[0] > 112 / 2000 - 100 / 2000


def test_worst_ratio_to_reference_is_at_least_one_when_the_reference_is_worst_off():
    """Issue 15: a lower bound under 1 is impossible when the reference's own ratio is 1."""
    x, n = np.array([[10, 40, 80]]), np.array([[500, 500, 500]])
    bounds = ratio_to_reference_spread(x, n, 2, confidence_level=0.95)
    assert bounds.value[0] == 1.0 and bounds.low[0] == 1.0 and bounds.high[0] >= 1.0
    other = ratio_to_reference_spread(x, n, 0, confidence_level=0.95)
    assert other.value[0] == pytest.approx(8.0) and 1.0 < other.low[0] < 8.0 < other.high[0]


def test_equalized_odds_takes_the_worse_of_both_rates_as_one_family():
    fpr = (np.array([[50, 100]]), np.array([[1000, 1000]]))
    tpr = (np.array([[700, 710]]), np.array([[1000, 1000]]))
    low, high = worst_of([fpr, tpr], "difference", confidence_level=0.95)
    alone = difference_spread(*fpr, confidence_level=0.95)
    assert low[0] <= 0.05 <= high[0]
    assert low[0] <= alone.low[0] and high[0] >= alone.high[0] - 1e-12


counts = st.lists(st.tuples(st.integers(0, 300), st.integers(1, 300)), min_size=2, max_size=8).map(
    lambda pairs: (np.array([[min(x, n) for x, n in pairs]]), np.array([[n for _, n in pairs]]))
)


@settings(max_examples=150, deadline=None)
@given(counts, st.sampled_from([0.8, 0.95, 0.99]))
def test_intervals_contain_the_estimate_and_respect_logical_bounds(data, confidence):
    x, n = data
    spread = difference_spread(x, n, confidence_level=confidence)
    assert 0 <= spread.low[0] <= spread.value[0] + 1e-12 <= spread.high[0] + 2e-12 <= 1 + 2e-12
    ratios = ratio_spread(x, n, confidence_level=confidence)
    assert 1 <= ratios.low[0] <= ratios.high[0]
    if not np.isnan(ratios.value[0]):
        assert ratios.low[0] <= ratios.value[0] * (1 + 1e-9) and ratios.value[0] <= ratios.high[0] * (1 + 1e-9)
    for ref in range(x.shape[1]):
        worst = ratio_to_reference_spread(x, n, ref, confidence_level=confidence)
        assert 1 <= worst.low[0] <= worst.high[0]
        if not np.isnan(worst.value[0]):
            assert worst.low[0] <= worst.value[0] * (1 + 1e-9) and worst.value[0] <= worst.high[0] * (1 + 1e-9)


@settings(max_examples=60, deadline=None)
@given(counts)
def test_a_higher_confidence_never_narrows_a_spread_interval(data):
    x, n = data
    narrow, wide = (difference_spread(x, n, confidence_level=c) for c in (0.9, 0.99))
    assert wide.low[0] <= narrow.low[0] + 1e-12 and wide.high[0] >= narrow.high[0] - 1e-12


def test_audit_summaries_respect_their_bounds_and_need_no_bootstrap():
    rng = np.random.default_rng(7)
    groups = rng.choice(["a", "b", "c", "d"], 4000, p=[0.4, 0.3, 0.2, 0.1])
    y = rng.random(4000) < 0.3
    pred = rng.random(4000) < np.select([groups == "a", groups == "b"], [0.1, 0.3], 0.2)
    for reference in ("a", "b"):
        feature = assess(y, pred, sensitive_features={"g": groups}, settings=AssessSettings(n_boot=0), reference={"g": reference}).feature(
            "g"
        )
        worst = feature.disparities["fpr_max_ratio_to_reference"]
        assert worst.value >= 1 and worst.ci_low >= 1 and worst.ci_low <= worst.value <= worst.ci_high
        b_ratio = feature.group("b").ratio.get("fpr")
        if reference == "a":  # b is wrongly flagged about 3 times as often as a: the worst ratio says so too
            assert b_ratio.value == pytest.approx(worst.value) and worst.ci_low > 1.5
        for key, (low, high) in {
            "fpr_difference": (0, 1),
            "fpr_ratio": (0, 1),
            "fpr_max_over_min": (1, np.inf),
            "equalized_odds_difference": (0, 1),
            "equalized_odds_ratio": (0, 1),
            "demographic_parity_ratio": (0, 1),
        }.items():
            estimate = feature.disparities[key]
            assert low <= estimate.ci_low <= estimate.value <= estimate.ci_high <= high, key
            assert estimate.method == "simultaneous_pairwise"


def test_candidates_per_comparison_in_one_pass_equal_the_loop_over_comparisons():
    from ethicscheck.fairness._spread import _any_per_family

    rng = np.random.default_rng(5)
    for batch, comparisons in [(1, 1), (3, 7), (40, 66)]:
        family = np.concatenate([np.arange(comparisons), rng.permutation(comparisons)])
        for share in (0.2, 1.0):  # some candidates; every contrast a candidate (the shortcut)
            candidate = rng.random((batch, len(family))) < share
            loop = np.zeros((batch, comparisons), dtype=bool)
            for f in range(comparisons):
                loop[:, f] = candidate[:, family == f].any(axis=-1)
            assert np.array_equal(_any_per_family(candidate, family, comparisons), loop)


def test_groups_with_the_same_counts_are_computed_once_with_the_same_intervals(monkeypatch):
    """Spreads over kinds of group (with their sizes) equal spreads over every pair of groups, to the bit."""
    from ethicscheck.fairness import _spread

    rng = np.random.default_rng(8)
    n = rng.choice([5.0, 8.0, 30.0], (2, 40))
    n[1] = n[0]
    x = np.minimum(rng.binomial(n.astype(int), 0.2), n).astype(float)
    x[1] = x[0]
    x2 = rng.binomial(n.astype(int), 0.7).astype(float)
    functions = {
        "difference": lambda: _spread.difference_spread(x, n, confidence_level=0.95),
        "ratio": lambda: _spread.ratio_spread(x, n, confidence_level=0.95),
        "worst difference": lambda: _spread.worst_of([(x, n), (x2, n)], "difference", confidence_level=0.95),
        "worst ratio": lambda: _spread.worst_of([(x, n), (x2, n)], "ratio", confidence_level=0.95),
    }

    def bounds(result: object) -> np.ndarray:
        return np.array(result if isinstance(result, tuple) else (result.low, result.high))

    grouped = {name: bounds(f()) for name, f in functions.items()}
    assert len(_spread._Kinds.of(x, n).size) < 40
    monkeypatch.setattr(_spread._Kinds, "of", classmethod(lambda cls, s, t: cls(s, t, np.ones(s.shape[-1], dtype=np.int64))))
    for name, f in functions.items():
        assert np.array_equal(bounds(f()), grouped[name]), name


def test_summaries_sharing_their_contrasts_give_the_intervals_built_anew(monkeypatch):
    """A feature's summaries read the same counts several times: each set of counts is reduced to kinds of group
    once, and every interval is the one computed without sharing, to the bit."""
    from ethicscheck.fairness import _spread

    rng = np.random.default_rng(9)
    n = rng.choice([20.0, 50.0, 80.0], (1, 30))
    x, x2 = rng.binomial(n.astype(int), 0.2).astype(float), rng.binomial(n.astype(int), 0.6).astype(float)
    x[0, 0] = 0.0  # a rate of 0: the ratio contrasts' other formula
    built = []
    original = _spread._Kinds.of.__func__
    monkeypatch.setattr(_spread._Kinds, "of", classmethod(lambda cls, s, t: built.append(1) or original(cls, s, t)))
    shared = _spread.SharedContrasts()
    calls = {
        "difference": lambda **k: _spread.difference_spread(x, n, confidence_level=0.95, **k),
        "ratio": lambda **k: _spread.ratio_spread(x, n, confidence_level=0.95, **k),
        "worst difference": lambda **k: _spread.worst_of([(x, n), (x2, n)], "difference", confidence_level=0.95, **k),
        "worst ratio": lambda **k: _spread.worst_of([(x, n), (x2, n)], "ratio", confidence_level=0.9, **k),
        "one-rate worst": lambda **k: _spread.worst_of([(x2, n)], "ratio", confidence_level=0.95, **k),
    }
    together = {name: np.array(_flat_bounds(call(shared=shared))) for name, call in calls.items()}
    assert len(built) == 2  # the counts (x, n) and (x2, n)
    for name, call in calls.items():
        assert np.array_equal(np.array(_flat_bounds(call())), together[name], equal_nan=True), name


def _flat_bounds(result: object) -> tuple[np.ndarray, ...]:
    return result if isinstance(result, tuple) else (result.low, result.high)  # type: ignore[attr-defined,return-value]
