from __future__ import annotations

import numpy as np
import pytest

from ethicscheck.config import GateConfig
from ethicscheck.errors import ConfigError
from ethicscheck.fairness import assess
from ethicscheck.gates import evaluate_gates


@pytest.fixture(scope="module")
def fairness():
    """Group 'b' is wrongly flagged 3x as often as 'a'; 'tiny' has too few rows to judge."""
    y = np.zeros(430, dtype=bool)
    pred = np.r_[np.ones(20), np.zeros(180), np.ones(60), np.zeros(140), np.ones(5), np.zeros(25)].astype(bool)
    groups = {"g": ["a"] * 200 + ["b"] * 200 + ["tiny"] * 30}
    return assess(y, pred, sensitive_features=groups, reference={"g": "a"}, min_group_size=50, n_boot=300)


@pytest.mark.parametrize(
    ("gate", "status", "group"),
    [
        ({"metric": "fpr_ratio", "max": 2.0}, "fail", "b"),
        ({"metric": "fpr_ratio", "max": 4.0}, "pass", "b"),
        ({"metric": "fpr_ratio", "max": 2.0, "severity": "warn"}, "warn", "b"),
        ({"metric": "fpr_difference", "max": 0.1}, "fail", "b"),
        ({"metric": "fpr", "max": 0.35}, "pass", "b"),
        ({"metric": "fpr", "max": 0.2}, "fail", "b"),
        ({"metric": "fnr", "max": 0.5}, "no_data", None),  # no positives at all: FNR undefined everywhere
    ],
)
def test_gate_outcomes(fairness, gate, status, group):
    verdict = evaluate_gates(fairness, [GateConfig(**gate)])
    (outcome,) = verdict.outcomes
    assert outcome.status == status
    assert outcome.group == group
    assert verdict.passed == (status != "fail")
    assert verdict.exit_code == (1 if status == "fail" else 0)
    if gate["metric"].startswith("fpr"):
        assert outcome.groups_without_data == ("tiny",)


def test_failure_message_names_group_value_ci_and_limit(fairness):
    (outcome,) = evaluate_gates(fairness, [GateConfig(metric="fpr_ratio", max=2.0)]).outcomes
    assert "'b'" in outcome.message and "3" in outcome.message and "95% CI" in outcome.message and "limit 2" in outcome.message


def test_unknown_feature_and_uncomputed_metric(fairness):
    with pytest.raises(ConfigError, match="gates\\[0\\] -> feature: 'nationality'"):
        evaluate_gates(fairness, [GateConfig(metric="fpr_ratio", feature="nationality", max=1)])
    with pytest.raises(ConfigError, match="needs 'selection_rate'"):
        evaluate_gates(assess([0, 1], [1, 1], sensitive_features={"g": ["a", "b"]}, metrics=["fpr"], n_boot=0), [GateConfig(metric="selection_rate_ratio", max=1)])


def test_no_gates_is_a_pass(fairness):
    verdict = evaluate_gates(fairness, [])
    assert verdict.passed and verdict.label == "no gates"
