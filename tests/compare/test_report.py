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
    return PairedInputs(heldout, made, ("a", "b"), min_negatives=30, n_boot=500, confidence=0.95, seed=0)


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
