"""Scores that are not probabilities: rank metrics and threshold curves stay, Brier and calibration do not apply."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import average_precision_score, roc_auc_score

from ethicscheck.fairness import AssessSettings, assess


@pytest.fixture(scope="module")
def deciles():
    rng = np.random.default_rng(3)
    n = 2000
    y = rng.random(n) < 0.45
    score = np.clip(np.round(rng.normal(4 + 3 * y, 2.5)), 1, 10)
    group = rng.choice(["a", "b"], n)
    return y, score, group


def run(y, score, group, **kwargs):
    return assess(
        y,
        kwargs.pop("decision", score >= 5),
        y_score=score,
        sensitive_features={"g": group},
        settings=AssessSettings(n_boot=0, min_group_size=1),
        **kwargs,
    )


def test_decile_scores_keep_rank_metrics_and_drop_probability_metrics(deciles):
    y, score, group = deciles
    result = run(y, score, group, score_is_probability=False)
    overall = result.overall.score_metrics
    assert overall["roc_auc"].value == pytest.approx(roc_auc_score(y, score), abs=1e-12)
    assert overall["average_precision"].value == pytest.approx(average_precision_score(y, score), abs=1e-12)
    for key in ("brier", "ece"):
        assert overall[key].value is None and overall[key].status == "undefined"
        assert overall[key].reason == "the score is not a probability (it ranges from 1 to 10)"
    assert result.overall.reliability == ()
    for g in result.feature("g").groups:
        assert g.score_metrics["brier"].status == "undefined" and g.reliability == ()
    assert "scores on their own scale (1 to 10, higher is riskier)" in result.methods["score"]


def test_threshold_curves_are_on_the_scores_own_scale(deciles):
    y, score, group = deciles
    curves = run(y, score, group, score_is_probability=False).feature("g").thresholds
    assert curves.grid[0] == pytest.approx(1.0) and curves.grid[-1] == pytest.approx(10.0)
    k = int(np.argmin(np.abs(np.asarray(curves.grid) - 5.05)))  # 5.05: between deciles 5 and 6
    for g in curves.groups:
        members = group == g.group
        negatives = members & ~y
        assert g.fpr[k] == pytest.approx((score[negatives] >= curves.grid[k]).mean(), abs=1e-12)
    flagged = score >= curves.operating_threshold
    assert flagged[~y].mean() <= 0.01 + 1e-12
    assert (score >= np.max(score[score < curves.operating_threshold]))[~y].mean() > 0.01  # the lowest such threshold


def test_lower_is_riskier(deciles):
    y, score, group = deciles
    reversed_score = 11 - score
    result = run(y, reversed_score, group, score_is_probability=False, higher_is_riskier=False, decision=reversed_score <= 6)
    assert result.overall.score_metrics["roc_auc"].value == pytest.approx(roc_auc_score(y, score), abs=1e-12)
    assert result.overall.score_metrics["brier"].reason == "the score is not a probability (lower scores are riskier)"
    curves = result.feature("g").thresholds
    assert curves.grid[0] == pytest.approx(10.0) and curves.grid[-1] == pytest.approx(1.0)
    flagged = reversed_score <= curves.operating_threshold
    assert flagged[~y].mean() <= 0.01 + 1e-12


def test_probability_scores_unchanged_by_default():
    y = np.array([0, 1, 0, 1, 1, 0], dtype=bool)
    p = np.array([0.1, 0.8, 0.3, 0.6, 0.9, 0.2])
    result = assess(y, p >= 0.5, sensitive_features={"g": list("aabbab")}, settings=AssessSettings(n_boot=0, min_group_size=1), y_score=p)
    assert result.overall.score_metrics["brier"].value == pytest.approx(np.mean((p - y) ** 2), abs=1e-12)
    assert "score" not in result.methods
    with pytest.raises(ValueError, match="not a probability"):
        assess(y, p >= 0.5, sensitive_features={"g": list("aabbab")}, settings=AssessSettings(n_boot=0), y_score=p, higher_is_riskier=False)


@settings(max_examples=25, deadline=None)
@given(st.floats(0.1, 1000), st.floats(-500, 500))
def test_rank_metrics_do_not_depend_on_the_scale(factor, shift):
    rng = np.random.default_rng(1)
    y = rng.random(300) < 0.4
    raw = np.round(rng.normal(y * 1.0, 1.0), 1)
    base = run(y, raw, rng.choice(["a", "b"], 300), score_is_probability=False, decision=raw > 0)
    moved = run(y, raw * factor + shift, rng.choice(["a", "b"], 300), score_is_probability=False, decision=raw > 0)
    assert moved.overall.score_metrics["roc_auc"].value == pytest.approx(base.overall.score_metrics["roc_auc"].value, abs=1e-9)
