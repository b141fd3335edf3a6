from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from ethicscheck.errors import DataError
from ethicscheck.fairness import AssessSettings, assess


def data(seed: int, n: int = 6000, rounded: bool = True):
    rng = np.random.default_rng(seed)
    groups = rng.choice(["a", "b", "c"], n)
    region = rng.choice(["x", "y"], n)
    y = rng.random(n) < 0.3
    score = np.clip(rng.random(n) * 0.6 + y * 0.3 + (groups == "b") * 0.08, 0, 1)
    return (score.round(2) if rounded else score), y, {"g": groups, "r": region}


@pytest.mark.parametrize("rounded", [True, False])
def test_auc_ap_brier_match_sklearn_per_group_and_intersection(rounded):
    score, y, groups = data(1, rounded=rounded)
    result = assess(y, score >= 0.5, sensitive_features=groups, settings=AssessSettings(n_boot=100), y_score=score)
    assert result.has_scores
    for feature in result.features:
        for group in feature.groups:
            mask = np.ones(len(y), bool)
            for column, value in group.values.items():
                mask &= groups[column] == value
            metrics = group.score_metrics
            assert metrics["roc_auc"].value == pytest.approx(roc_auc_score(y[mask], score[mask]), abs=1e-12)
            assert metrics["average_precision"].value == pytest.approx(average_precision_score(y[mask], score[mask]), abs=1e-12)
            assert metrics["brier"].value == pytest.approx(brier_score_loss(y[mask], score[mask]), abs=1e-12)
            assert metrics["roc_auc"].ci_low <= metrics["roc_auc"].value <= metrics["roc_auc"].ci_high
    overall = result.overall.score_metrics["roc_auc"].value
    assert overall == pytest.approx(roc_auc_score(y, score), abs=1e-12)


def test_ece_and_reliability_table_by_hand():
    score = np.array([0.05, 0.05, 0.15, 0.95, 0.95, 0.95, 0.95])
    y = np.array([0, 1, 0, 1, 1, 1, 0], dtype=bool)
    result = assess(
        y, score >= 0.5, sensitive_features={"g": ["a"] * 7}, settings=AssessSettings(min_group_size=1, n_boot=50), y_score=score
    )
    group = result.feature("g").group("a")
    # bins: [0,.1): 2 rows mean .05 observed .5; [.1,.2): 1 row mean .15 observed 0; [.9,1]: 4 rows mean .95 observed .75
    expected = (2 * abs(0.05 - 0.5) + 1 * abs(0.15 - 0.0) + 4 * abs(0.95 - 0.75)) / 7
    assert group.score_metrics["ece"].value == pytest.approx(expected)
    table = {b.lower: b for b in group.reliability if b.n}
    assert table[0.0].n == 2 and table[0.0].observed_rate == 0.5
    assert table[0.9].n == 4 and table[0.9].mean_score == pytest.approx(0.95)


def test_binned_auc_for_very_large_data_stays_within_its_bound(monkeypatch):
    score, y, groups = data(2, n=5000, rounded=False)
    exact = assess(y, score >= 0.5, sensitive_features=groups, settings=AssessSettings(n_boot=0), y_score=score)
    monkeypatch.setattr("ethicscheck.fairness._sufficient.EXACT_SCORE_ROWS", 0)
    approx = assess(y, score >= 0.5, sensitive_features=groups, settings=AssessSettings(n_boot=0), y_score=score)
    for e, a in zip(exact.feature("g").groups, approx.feature("g").groups):
        assert "binned" in a.score_metrics["roc_auc"].method
        assert a.score_metrics["roc_auc"].value == pytest.approx(e.score_metrics["roc_auc"].value, abs=2e-3)


def test_single_class_group_has_undefined_auc():
    score = np.linspace(0, 1, 100)
    y = np.r_[np.zeros(50), np.ones(50)].astype(bool)
    groups = {"g": ["neg-only"] * 50 + ["pos-only"] * 50}
    result = assess(y, score >= 0.5, sensitive_features=groups, settings=AssessSettings(n_boot=0, min_group_size=1), y_score=score)
    assert result.feature("g").group("neg-only").score_metrics["roc_auc"].status == "undefined"
    assert result.feature("g").group("neg-only").score_metrics["average_precision"].value is None
    assert result.feature("g").group("pos-only").score_metrics["brier"].value is not None


def test_bad_scores_are_rejected():
    with pytest.raises(DataError, match=r"\[0, 1\]"):
        assess([0, 1], [0, 1], y_score=[0.2, 1.5], sensitive_features={"g": ["a", "b"]})


def test_operating_point_and_equalizing_thresholds():
    score, y, groups = data(3)
    result = assess(y, score >= 0.5, sensitive_features=groups, settings=AssessSettings(n_boot=0, target_fpr=0.05), y_score=score)
    curves = result.feature("g").thresholds
    cut = curves.operating_threshold
    assert (score[~y] >= cut).mean() <= 0.05
    below = score[~y][score[~y] < cut]
    assert below.size == 0 or (score[~y] >= below.max()).mean() > 0.05  # the lowest such threshold
    for group in curves.groups:
        mask = (groups["g"] == group.group) & ~y
        assert group.fpr_at_operating_point == pytest.approx((score[mask] >= cut).mean())
        k = int(np.flatnonzero(np.isclose(curves.grid, 0.37))[0])
        assert group.fpr[k] == pytest.approx((score[mask] >= 0.37).mean())  # exact at rounded scores
        t = group.equalizing_threshold
        assert (score[mask] >= t).mean() <= 0.05
    b = next(g for g in curves.groups if g.group == "b")
    a = next(g for g in curves.groups if g.group == "a")
    assert b.equalizing_threshold > a.equalizing_threshold  # b's scores are shifted up


def test_exact_auc_and_ap_are_the_same_counted_in_bins_or_sorted_with_group_numbers_of_any_width(monkeypatch):
    from ethicscheck.fairness import _scores
    from ethicscheck.fairness._scores import _exact_auc_ap, _RankedRows

    rng = np.random.default_rng(5)
    cells = rng.integers(0, 300, 20_000)
    y = rng.random(20_000) < 0.3
    score = np.round(np.clip(rng.random(20_000) * 0.7 + y * 0.3, 0, 1), 2)  # many ties
    score[:50] = -0.0  # equal to 0.0: one run with it
    ranked = _RankedRows.of(cells, score, y)
    binned = _exact_auc_ap(ranked.cells, 300, ranked)  # 300 groups x 101 scores: counted in bins
    monkeypatch.setattr(_scores, "_BINS_PER_ROW", 0)
    narrow = _exact_auc_ap(ranked.cells, 300, ranked)  # sorted by 16-bit group numbers (radix sort)
    wide = _exact_auc_ap(ranked.cells, 40_000, ranked)  # more groups than 16 bits hold: sorted as they are
    for one, two, three in zip(binned, narrow, wide, strict=True):
        assert one.tobytes() == two.tobytes() == three[:300].tobytes()
    group = cells == 7
    assert binned[0][7] == pytest.approx(roc_auc_score(y[group], score[group]), abs=1e-12)
    assert binned[1][7] == pytest.approx(average_precision_score(y[group], score[group]), abs=1e-12)
