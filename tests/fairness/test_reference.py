from __future__ import annotations

import itertools

import numpy as np
import pytest

from ethicscheck.errors import DataError
from ethicscheck.fairness import AssessSettings, FairnessResult, assess, compare_proportions, holm
from ethicscheck.fairness._significance import smallest_holm_p


def data(seed: int = 0, n: int = 4000):
    rng = np.random.default_rng(seed)
    groups = rng.choice(["a", "b", "c", "d"], n, p=[0.4, 0.3, 0.2, 0.1])
    region = rng.choice(["north", "south"], n)
    y = rng.random(n) < 0.3
    flag_rate = np.select([groups == "a", groups == "b", groups == "c"], [0.25, 0.1, 0.15], 0.12)
    pred = np.where(y, rng.random(n) < np.where(groups == "b", 0.8, 0.6), rng.random(n) < flag_rate)
    return y, pred, {"g": groups, "region": region}


@pytest.mark.parametrize(
    ("x", "n"),
    [
        ([10, 20, 30], [100, 100, 100]),
        ([3, 1, 40, 2], [50, 60, 70, 45]),  # small expected counts: Fisher's exact test for some pairs
        ([50, 52], [1000, 1000]),
        ([0, 0, 0], [40, 40, 40]),
    ],
)
def test_smallest_holm_p_is_the_smallest_of_holms_adjusted_p_values_over_every_pair(x, n):
    raw = [compare_proportions(x[i], n[i], x[j], n[j])[0] for i, j in itertools.combinations(range(len(x)), 2)]
    p_adjusted, pairs, _ = smallest_holm_p(np.array(x), np.array(n))
    assert pairs == len(raw)
    assert p_adjusted == pytest.approx(holm(raw).min(), rel=1e-12)


def test_reference_lowest_is_the_group_with_the_lowest_fpr_and_the_rule_is_recorded():
    y, pred, groups = data()
    default = assess(y, pred, sensitive_features=groups, settings=AssessSettings(n_boot=0))
    lowest = assess(y, pred, sensitive_features=groups, settings=AssessSettings(n_boot=0), reference={"g": "lowest", "region": "lowest"})
    named = assess(y, pred, sensitive_features=groups, settings=AssessSettings(n_boot=0), reference={"g": "c"})
    g = lowest.feature("g")
    fprs = {grp.group: grp.metrics["fpr"].value for grp in g.groups}
    assert g.reference == min(fprs, key=fprs.get) == "b" and g.reference_rule == "lowest_fpr"
    both = lowest.feature("g & region")
    assert both.reference_rule == "lowest_fpr"
    assert both.group(both.reference).metrics["fpr"].value == min(
        grp.metrics["fpr"].value for grp in both.groups if grp.metrics["fpr"].usable
    )
    assert default.feature("g").reference_rule == "largest" and default.feature("g").reference == "a"
    assert named.feature("g").reference_rule == "configured" and named.feature("g & region").reference_rule == "largest"
    assert FairnessResult.from_dict(lowest.to_dict()) == lowest


def test_reference_lowest_ignores_groups_without_enough_data():
    y = np.array([False] * 100 + [False] * 5)
    pred = np.array([True] * 20 + [False] * 80 + [False] * 5)
    groups = {"g": ["big"] * 100 + ["tiny"] * 5}  # 'tiny' has FPR 0 on 5 rows: too little to be the reference
    feature = assess(
        y, pred, sensitive_features=groups, settings=AssessSettings(min_group_size=30, n_boot=0), reference={"g": "lowest"}
    ).feature("g")
    assert feature.reference == "big"


def test_reference_lowest_is_ambiguous_when_a_group_is_named_lowest():
    y, pred = np.zeros(60, dtype=bool), np.zeros(60, dtype=bool)
    with pytest.raises(DataError, match="group named 'lowest'"):
        assess(
            y,
            pred,
            sensitive_features={"g": ["lowest"] * 30 + ["other"] * 30},
            settings=AssessSettings(n_boot=0),
            reference={"g": "lowest"},
        )


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_spread_tests_do_not_depend_on_the_reference(seed):
    y, pred, groups = data(seed)
    runs = [
        assess(y, pred, sensitive_features=groups, settings=AssessSettings(n_boot=0), reference={"g": ref} if ref else None)
        for ref in (None, "a", "b", "c", "d", "lowest")
    ]
    first = runs[0]
    for run in runs[1:]:
        for feature, other in zip(first.features, run.features):
            assert feature.spread_tests == other.spread_tests
    g = first.feature("g").spread_tests
    assert g["fpr"].significant and (g["fpr"].highest, g["fpr"].lowest) == ("a", "b")
    assert g["fnr"].highest != "b" and g["fnr"].lowest == "b"
    assert not first.feature("region").spread_tests["fpr"].significant


def test_no_spread_test_without_two_groups_with_enough_data():
    y, pred, groups = data()
    feature = assess(y, pred, sensitive_features=groups, settings=AssessSettings(min_group_size=100_000, n_boot=0)).feature("g")
    assert feature.spread_tests == {}


def test_smallest_holm_p_with_repeated_counts_is_the_loop_over_every_pair():
    """Groups with the same counts are tested once per order; Fisher only where it could be the smallest."""
    rng = np.random.default_rng(11)
    for _ in range(30):
        n = rng.choice([4, 6, 9, 40, 300], 18)
        x = rng.binomial(n, rng.random())
        best, method = 1.0, "two_proportion_z"
        for i, j in itertools.combinations(range(len(x)), 2):  # the definition: group j against group i, first smallest
            p, how = compare_proportions(int(x[j]), int(n[j]), int(x[i]), int(n[i]))
            if p < best:
                best, method = p, how
        assert smallest_holm_p(x.astype(float), n.astype(float)) == (min(best * 153, 1.0), 153, method)
