from __future__ import annotations

import numpy as np
import pytest

from ethicscheck.compare._chart import short_label
from ethicscheck.compare._evidence import PairedInputs, evidence_front
from ethicscheck.compare._paired import HeldOut
from ethicscheck.compare._result import CandidateSummary


def _summary(name, method="logistic_regression", epsilon=None):
    return CandidateSummary(name, method, "x", epsilon, {}, {}, 1)


@pytest.mark.parametrize(
    ("name", "method", "epsilon", "label"),
    [
        ("ThresholdOptimizer (false_positive_rate_parity)", "threshold_optimizer", None, "TO·FPR"),
        ("ExponentiatedGradient (EqualizedOdds)", "exponentiated_gradient", None, "EG·EO"),
        ("CorrelationRemover (alpha=1)", "correlation_remover", None, "CR"),
        ("DP Gaussian NB ε=0.1", "dp_gaussian_nb", 0.1, "DP-NB ε=0.1"),
        ("a rather long custom method name", "custom", None, "a rather long cus…"),
    ],
)
def test_chart_labels_are_short(name, method, epsilon, label):
    assert short_label(_summary(name, method, epsilon)) == label


def _inputs(decisions):
    rng = np.random.default_rng(0)
    n = 4000
    group, y = rng.integers(0, 2, n), rng.random(n) < 0.3
    heldout = {0: HeldOut(np.arange(n), group, y)}
    made = {(name, 0): make(rng, group, y) for name, make in decisions.items()}
    return PairedInputs(heldout, made, ("a", "b"), min_negatives=30, n_boot=500, confidence_level=0.95, seed=0)


def _decide(fpr_a, fpr_b, tpr=0.8):
    def make(rng, group, y):
        return rng.random(len(y)) < np.where(y, tpr, np.where(group == 0, fpr_a, fpr_b))

    return make


def test_the_front_drops_only_candidates_beaten_with_evidence():
    inputs = _inputs(
        {
            "wide gap": _decide(0.05, 0.25),  # beaten with evidence by "fair" (gap 20 points vs 0)
            "fair": _decide(0.10, 0.10),
            "nearly fair": _decide(0.10, 0.11),  # "fair" is better by point estimate, not with evidence
        }
    )
    pooled = {"wide gap": (0.20, 0.80), "fair": (0.0, 0.80), "nearly fair": (0.01, 0.80)}
    assert evidence_front(list(pooled), inputs, (0,), pooled) == ("fair", "nearly fair")


def _crowded():
    from ethicscheck.compare._result import ComparisonResult

    methods = ["logistic_regression", "threshold_optimizer", "exponentiated_gradient", "correlation_remover", "dp_logistic_regression"]
    summaries = []
    for i in range(12):  # twelve candidates within half a point of each other on both axes
        method = methods[i % len(methods)]
        name = "baseline" if i == 0 else f"{method} {i}"
        epsilon = float(i) if method == "dp_logistic_regression" else None
        pooled = {"fpr_gap": 0.030 + 0.0004 * (i % 4), "accuracy": 0.920 + 0.0005 * (i // 4)}
        summaries.append(
            CandidateSummary(name, method, "fairlearn", epsilon, pooled, {"fpr_gap": (0.02, 0.05), "accuracy": (0.91, 0.93)}, 3)
        )
    return ComparisonResult("crowded", "group", (0, 1, 2), (), {}, {}, {}, "", "", 0.0, tuple(summaries), front=("baseline",))


def test_chart_labels_do_not_collide_even_when_markers_crowd():
    from ethicscheck.compare._chart import pareto_figure_labels

    labels = pareto_figure_labels(_crowded())
    assert len(labels) == 12
    boxes = [box for _, box in labels]
    overlapping = [
        (labels[i][0], labels[j][0])
        for i in range(len(boxes))
        for j in range(i + 1, len(boxes))
        if boxes[i][0] < boxes[j][2] and boxes[j][0] < boxes[i][2] and boxes[i][1] < boxes[j][3] and boxes[j][1] < boxes[i][3]
    ]
    assert overlapping == []
