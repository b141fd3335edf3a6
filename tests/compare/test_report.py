from __future__ import annotations

import pytest

from ethicscheck.compare._report import _short_label, pareto_front
from ethicscheck.compare._result import CandidateSummary


def _summary(name, method="logistic_regression", epsilon=None, gap=0.05, accuracy=0.9, degenerate=0):
    return CandidateSummary(name, method, "x", epsilon, {"fpr_gap": gap, "accuracy": accuracy}, {}, (None, None), 0, 3, degenerate)


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
    assert _short_label(_summary(name, method, epsilon)) == label


def test_front_drops_dominated_and_degenerate_candidates():
    summaries = (
        _summary("baseline", gap=0.05, accuracy=0.92),
        _summary("fairer", gap=0.02, accuracy=0.91),
        _summary("worse on both", gap=0.06, accuracy=0.90),
        _summary("flags everyone", gap=0.0, accuracy=0.95, degenerate=1),
    )
    assert pareto_front(summaries) == ["baseline", "fairer"]
