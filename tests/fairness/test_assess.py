from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import (
    MetricFrame,
    demographic_parity_difference,
    demographic_parity_ratio,
    equalized_odds_difference,
    equalized_odds_ratio,
    false_negative_rate,
    false_positive_rate,
    selection_rate,
    true_positive_rate,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import accuracy_score, precision_score

from ethicscheck.errors import DataError
from ethicscheck.fairness import MISSING, AssessSettings, assess


def _from_confusion(numerator: tuple[str, ...], denominator: tuple[str, ...]):
    """A metric computed by hand from sklearn's confusion matrix (nan for an empty denominator)."""

    def metric(y_true, y_pred):
        from sklearn.metrics import confusion_matrix

        tn, fp, fn, tp = confusion_matrix(y_true, y_pred, labels=[False, True]).ravel()
        cells = {"tn": tn, "fp": fp, "fn": fn, "tp": tp}
        den = sum(cells[c] for c in denominator)
        return sum(cells[c] for c in numerator) / den if den else np.nan

    return metric


FAIRLEARN = {
    "tnr": _from_confusion(("tn",), ("tn", "fp")),
    "npv": _from_confusion(("tn",), ("tn", "fn")),
    "fdr": _from_confusion(("fp",), ("fp", "tp")),
    "for": _from_confusion(("fn",), ("tn", "fn")),
    "base_rate": _from_confusion(("fn", "tp"), ("tn", "fp", "fn", "tp")),
    "fpr": false_positive_rate,
    "fnr": false_negative_rate,
    "tpr": true_positive_rate,
    "selection_rate": selection_rate,
    "precision": lambda y, p: precision_score(y, p, zero_division=np.nan),
    "accuracy": accuracy_score,
}


def random_data(seed: int, n: int = 3000):
    rng = np.random.default_rng(seed)
    groups = pd.DataFrame(
        {
            "nationality": rng.choice(["a", "b", "c", "d", None], n, p=[0.4, 0.3, 0.2, 0.08, 0.02]),
            "region": rng.choice(["north", "south", "east"], n),
        }
    )
    y = rng.random(n) < 0.3
    pred = rng.random(n) < np.where(groups["nationality"] == "b", 0.4, 0.2)
    # a single-class group: every row of 'd & east' labelled positive, so its FPR is undefined
    single = ((groups["nationality"] == "d") & (groups["region"] == "east")).to_numpy()
    y[single] = True
    return y, pred, groups


def fairlearn_by_group(y, pred, groups: pd.DataFrame) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = MetricFrame(metrics=FAIRLEARN, y_true=y, y_pred=pred, sensitive_features=groups.fillna(MISSING))
        return frame.by_group


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_point_estimates_match_fairlearn_including_intersections_and_missing(seed):
    y, pred, groups = random_data(seed)
    result = assess(y, pred, sensitive_features=groups, settings=AssessSettings(metrics=tuple(FAIRLEARN), min_group_size=1, n_boot=0))
    checked = 0
    for feature, columns in (("nationality", ["nationality"]), ("region", ["region"]), ("nationality & region", ["nationality", "region"])):
        expected = fairlearn_by_group(y, pred, groups[columns])
        for group in result.feature(feature).groups:
            key = tuple(group.values[c] for c in columns)
            row = expected.loc[key if len(key) > 1 else key[0]]
            for metric in FAIRLEARN:
                ours = group.metrics[metric]
                if ours.status == "undefined":
                    # fairlearn/sklearn return 0 or nan for an empty denominator; ethicscheck says undefined
                    assert ours.value is None and ours.reason
                    continue
                assert ours.value == pytest.approx(row[metric], abs=1e-12)
                checked += 1
    assert checked > 100
    assert result.feature("nationality").group(MISSING).n > 0
    single = result.feature("nationality & region").group("d & east")
    assert single.metrics["fpr"].status == "undefined" and single.metrics["fpr"].value is None


def small_groups_data(seed: int, n: int = 600):
    """Groups of 3 to ~400 rows: two groups far below min_group_size, every group with both labels."""
    rng = np.random.default_rng(seed)
    sizes = {"big": n - 3 - 8 - 40, "mid": 40, "tiny": 8, "three": 3}
    groups = np.repeat(list(sizes), list(sizes.values()))
    y = rng.random(len(groups)) < 0.4
    for name in ("tiny", "three"):  # both labels in every group, so every fairlearn rate is defined
        rows = np.flatnonzero(groups == name)
        y[rows[0]], y[rows[1]] = True, False
    pred = rng.random(len(groups)) < np.where(groups == "tiny", 0.7, 0.3)
    return y, pred, pd.DataFrame({"g": groups})


FAIRLEARN_SUMMARIES = {
    "equalized_odds_difference": equalized_odds_difference,
    "equalized_odds_ratio": equalized_odds_ratio,
    "demographic_parity_difference": demographic_parity_difference,
    "demographic_parity_ratio": demographic_parity_ratio,
}


@pytest.mark.parametrize(
    ("data", "column"),
    [
        (random_data(5), "region"),
        (random_data(6), "nationality"),  # includes the (missing) group and the small group 'd'
        (small_groups_data(0), "g"),
        (small_groups_data(1), "g"),
    ],
)
@pytest.mark.parametrize("min_group_size", [1, 30])
def test_fairlearn_named_summaries_equal_fairlearn_including_small_groups(data, column, min_group_size):
    y, pred, groups = data
    result = assess(y, pred, sensitive_features=groups[[column]], settings=AssessSettings(min_group_size=min_group_size, n_boot=0))
    feature = result.feature(column)
    sensitive = groups[column].fillna(MISSING)
    for name, metric in FAIRLEARN_SUMMARIES.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = metric(y, pred, sensitive_features=sensitive)
        assert feature.disparities[name].value == pytest.approx(expected, abs=1e-12), name


def test_enough_data_variants_leave_small_groups_out_under_their_own_name():
    y, pred, groups = small_groups_data(0)
    feature = assess(y, pred, sensitive_features=groups, settings=AssessSettings(min_group_size=30, n_boot=0)).feature("g")
    g = groups["g"].to_numpy()
    large = np.isin(g, [name for name in set(g) if (g == name).sum() >= 30])
    # equalized odds needs 30 rows of each label: 'mid' (40 rows) has fewer of one
    both_labels = np.isin(g, [name for name in set(g) if min((y & (g == name)).sum(), (~y & (g == name)).sum()) >= 30])
    assert set(g[large]) == {"big", "mid"} and set(g[both_labels]) == {"big"}
    for name, metric in FAIRLEARN_SUMMARIES.items():
        rows = both_labels if name.startswith("equalized_odds") else large
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            subset = metric(y[rows], pred[rows], sensitive_features=groups["g"][rows]) if len(set(groups["g"][rows])) > 1 else None
            everything = metric(y, pred, sensitive_features=groups["g"])
        variant = feature.disparities[f"{name}_enough_data"]
        if subset is None:
            assert variant.value is None and variant.status == "insufficient_data"
        else:
            assert variant.value == pytest.approx(subset, abs=1e-12), name
        assert feature.disparities[name].value == pytest.approx(everything, abs=1e-12)
        assert variant.value != pytest.approx(everything), f"{name}: the small groups should change the figure"


def test_fairlearn_named_summary_is_undefined_where_fairlearn_counts_a_missing_rate_as_zero():
    y, pred, groups = small_groups_data(2)
    rows = np.flatnonzero(groups["g"] == "three")
    y[rows] = True  # 'three' has no rows labelled negative: its FPR does not exist
    feature = assess(y, pred, sensitive_features=groups, settings=AssessSettings(min_group_size=1, n_boot=0)).feature("g")
    for name in ("equalized_odds_difference", "equalized_odds_ratio"):
        estimate = feature.disparities[name]
        assert estimate.value is None and estimate.status == "undefined"
        assert "with no rows with a negative label" in estimate.reason and "fairlearn would count it as 0" in estimate.reason
    assert feature.disparities["demographic_parity_difference"].usable


def test_spreads_over_groups_with_enough_data_match_fairlearn_on_those_groups():
    y, pred, groups = random_data(5)
    result = assess(y, pred, sensitive_features=groups[["region"]], settings=AssessSettings(min_group_size=1, n_boot=200))
    region = result.feature("region")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fpr_frame = MetricFrame(metrics=false_positive_rate, y_true=y, y_pred=pred, sensitive_features=groups["region"])
    assert region.disparities["fpr_difference"].value == pytest.approx(fpr_frame.difference(), abs=1e-12)
    assert region.disparities["fpr_ratio"].value == pytest.approx(fpr_frame.ratio(), abs=1e-12)


def test_reference_is_largest_group_unless_configured():
    y, pred, groups = random_data(1)
    assert assess(y, pred, sensitive_features=groups, settings=AssessSettings(n_boot=0)).feature("nationality").reference == "a"
    chosen = assess(y, pred, sensitive_features=groups, settings=AssessSettings(n_boot=0), reference={"nationality": "c"})
    assert chosen.feature("nationality").reference == "c"
    both = chosen.feature("nationality & region")  # region has no reference, so the largest intersection is used
    assert both.reference == max(both.groups, key=lambda g: g.n).group
    full = assess(y, pred, sensitive_features=groups, settings=AssessSettings(n_boot=0), reference={"nationality": "c", "region": "east"})
    assert full.feature("nationality & region").reference == "c & east"
    with pytest.raises(DataError, match="Reference group 'zz'"):
        assess(y, pred, sensitive_features=groups, settings=AssessSettings(n_boot=0), reference={"nationality": "zz"})


def test_ratio_and_difference_to_reference():
    y = np.array([0] * 100 + [0] * 100, dtype=bool)
    pred = np.array([1] * 10 + [0] * 90 + [1] * 30 + [0] * 70, dtype=bool)
    groups = {"g": ["ref"] * 100 + ["other"] * 100}
    result = assess(y, pred, sensitive_features=groups, settings=AssessSettings(n_boot=500), reference={"g": "ref"})
    other = result.feature("g").group("other")
    assert other.ratio["fpr"].value == pytest.approx(3.0)
    assert other.difference["fpr"].value == pytest.approx(0.2)
    assert other.ratio["fpr"].ci_low < 3.0 < other.ratio["fpr"].ci_high
    assert other.ratio["fpr"].ci_low > 1.0


def test_small_groups_are_insufficient_and_left_out_of_spreads():
    y = np.zeros(230, dtype=bool)
    pred = np.r_[np.zeros(100), np.ones(10), np.zeros(100), np.ones(20)].astype(bool)
    groups = {"g": ["a"] * 110 + ["b"] * 100 + ["tiny"] * 20}
    result = assess(y, pred, sensitive_features=groups, settings=AssessSettings(min_group_size=30, n_boot=100))
    tiny = result.feature("g").group("tiny")
    assert tiny.metrics["fpr"].status == "insufficient_data" and tiny.metrics["fpr"].value == 1.0
    assert tiny.ratio["fpr"].status == "insufficient_data"
    assert result.feature("g").disparities["fpr_difference"].value == pytest.approx(10 / 110)


def test_reference_rate_zero_makes_ratio_undefined_not_infinite():
    y = np.zeros(200, dtype=bool)
    pred = np.r_[np.zeros(100), np.ones(5), np.zeros(95)].astype(bool)
    result = assess(y, pred, sensitive_features={"g": ["a"] * 100 + ["b"] * 100}, settings=AssessSettings(n_boot=100), reference={"g": "a"})
    ratio = result.feature("g").group("b").ratio["fpr"]
    assert ratio.value is None and ratio.status == "undefined" and "reference" in ratio.reason


def test_too_many_groups_is_a_clear_error():
    ids = [f"user-{i}" for i in range(3000)]
    with pytest.raises(DataError, match="3,000 distinct values"):
        assess(np.zeros(3000, bool), np.zeros(3000, bool), sensitive_features={"user": ids}, settings=AssessSettings(n_boot=0))


def test_length_mismatch():
    with pytest.raises(DataError, match="same length"):
        assess([0, 1], [0], sensitive_features={"g": ["a", "b"]})


def test_unicode_and_html_group_names_survive():
    names = ["Ελλάδα", "<script>alert(1)</script>", "a & b", "日本"]
    y = np.tile([0, 1], 200).astype(bool)
    pred = np.tile([1, 0, 0, 1], 100).astype(bool)
    result = assess(y, pred, sensitive_features={"g": np.repeat(names, 100)}, settings=AssessSettings(n_boot=50))
    assert {g.group for g in result.feature("g").groups} == set(names)


def test_same_seed_same_intervals_and_row_order_invariance():
    y, pred, groups = random_data(2)
    first = assess(y, pred, sensitive_features=groups, settings=AssessSettings(seed=11)).to_dict()
    assert assess(y, pred, sensitive_features=groups, settings=AssessSettings(seed=11)).to_dict() == first
    order = np.random.default_rng(0).permutation(len(y))
    shuffled = assess(
        y[order], pred[order], sensitive_features=groups.iloc[order].reset_index(drop=True), settings=AssessSettings(seed=11)
    ).to_dict()
    assert shuffled == first  # counts are order-free, so even the bootstrap is identical


@settings(max_examples=40, deadline=None)
@given(
    data=st.lists(st.tuples(st.sampled_from("abc"), st.booleans(), st.booleans()), min_size=1, max_size=300),
    seed=st.integers(0, 2**16),
)
def test_properties_rates_in_unit_interval_and_ci_contains_estimate(data, seed):
    groups, y, pred = zip(*data)
    result = assess(
        list(y), list(pred), sensitive_features={"g": list(groups)}, settings=AssessSettings(min_group_size=1, n_boot=100, seed=seed)
    )
    for group in result.feature("g").groups:
        assert group.n == group.n_positive + group.n_negative
        for estimate in group.metrics.values():
            if estimate.value is None:
                assert estimate.status == "undefined"
                continue
            assert 0.0 <= estimate.value <= 1.0
            assert estimate.ci_low <= estimate.value + 1e-12 and estimate.value <= estimate.ci_high + 1e-12
        for estimate in (*group.ratio.values(), *group.difference.values()):
            if estimate.value is not None and estimate.ci_low is not None:
                assert estimate.ci_low <= estimate.value + 1e-9 <= estimate.ci_high + 2e-9
    for name, estimate in result.feature("g").disparities.items():
        if estimate.value is not None and estimate.ci_low is not None:
            assert estimate.ci_low - 1e-12 <= estimate.value <= estimate.ci_high + 1e-12, name


@pytest.mark.parametrize("seed", [0, 3])
def test_by_group_frame_equals_fairlearns_metricframe(seed):
    """`result.by_group` is the DataFrame fairlearn users expect: one row per group, one column per metric, NaN when undefined."""
    y, pred, groups = random_data(seed)
    result = assess(y, pred, sensitive_features=groups, settings=AssessSettings(metrics=tuple(FAIRLEARN), min_group_size=1, n_boot=0))
    frame = result.by_group
    assert list(frame.index.names) == ["feature", "group"] and sorted(frame.columns) == sorted([*FAIRLEARN, "n"])
    expected = fairlearn_by_group(y, pred, groups[["region"]])[list(FAIRLEARN)]
    ours = frame.xs("region", level="feature")[list(FAIRLEARN)]
    pd.testing.assert_frame_equal(ours.sort_index(), expected.sort_index(), check_names=False, rtol=0, atol=1e-12, check_dtype=False)
    undefined = frame.loc[("nationality & region", "d & east"), "fpr"]
    assert np.isnan(undefined)  # no negatives: undefined, never 0
    assert frame["n"].xs("nationality", level="feature").sum() == len(y)
