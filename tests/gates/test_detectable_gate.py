"""The ``mdd.*`` gates: an audit whose data cannot show the disparity the policy cares about does not pass."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from ethicscheck._vocabulary import DETECTABLE_GATE_METRICS
from ethicscheck.config import GateConfig, gate_metric_kind, gate_metric_rate
from ethicscheck.fairness import AssessSettings, assess, detectable_disparity
from ethicscheck.gates import evaluate_gates


def audit(benign_per_group: int, *, small: int = 0, seed: int = 3):
    """A reference 'a' with 2,000 benign ads flagged at 10%, groups 'b' and 'c' flagged at 11% (no real disparity)."""
    rng = np.random.default_rng(seed)
    sizes = {"a": 2000, "b": benign_per_group, "c": benign_per_group, **({"tiny": small} if small else {})}
    groups = np.concatenate([[g] * n for g, n in sizes.items()])
    rate = np.select([groups == "a"], [0.10], 0.11)
    y = np.zeros(len(groups), dtype=bool)
    y[::10] = True  # some positives, so the FNR exists too
    pred = np.where(y, rng.random(len(groups)) < 0.8, rng.random(len(groups)) < rate)
    return assess(y, pred, sensitive_features={"g": groups}, settings=AssessSettings(n_boot=200, seed=seed), reference={"g": "a"})


def test_vocabulary_names_parse_as_detectable_gates():
    assert set(DETECTABLE_GATE_METRICS) == {"mdd.fpr_ratio", "mdd.fnr_ratio"}
    assert gate_metric_kind("mdd.fpr_ratio") == "detectable" and gate_metric_rate("mdd.fnr_ratio") == "fnr"


def test_the_mdd_gate_fails_a_thin_audit_that_the_plain_ratio_gate_passes():
    thin = audit(60)
    ratio_gate = GateConfig(metric="fpr_ratio", threshold=1.5)
    mdd_gate = GateConfig(metric="mdd.fpr_ratio", threshold=1.5)
    verdict = evaluate_gates(thin, [ratio_gate, mdd_gate])
    plain, detectable = verdict.outcomes
    assert plain.status == "pass"  # the observed ratios are near 1: nothing to see...
    assert detectable.status == "fail"  # ...because 60 benign ads per group could not have shown 1.5x
    b = thin.feature("g").group("b").detectable["fpr"]
    assert b.ratio > 1.5 and detectable.value == pytest.approx(max(b.ratio, thin.feature("g").group("c").detectable["fpr"].ratio))
    assert set(detectable.groups_over) == {"b", "c"}


def test_the_mdd_gate_passes_when_the_data_can_show_the_disparity():
    thick = audit(3000)
    outcome = evaluate_gates(thick, [GateConfig(metric="mdd.fpr_ratio", threshold=1.5)]).outcomes[0]
    assert outcome.status == "pass" and outcome.value < 1.5
    group = thick.feature("g").group("b")
    expected = detectable_disparity(
        group.metrics["fpr"].denominator, 2000 - 200, thick.feature("g").group("a").metrics["fpr"].value, tests=2
    )
    assert group.detectable["fpr"].ratio == pytest.approx(expected.ratio)


def test_a_group_too_small_to_compare_fails_the_mdd_gate_and_is_named():
    outcome = evaluate_gates(audit(3000, small=12), [GateConfig(metric="mdd.fpr_ratio", threshold=1.5)]).outcomes[0]
    assert outcome.status == "fail" and "tiny" in outcome.groups_over
    assert "too few rows to show any fpr disparity for tiny" in outcome.message


@pytest.mark.parametrize(
    "fields",
    [{"mode": "confident"}, {"comparator": ">="}, {"regression": {"baseline": "audit.json", "margin": 0.1}, "threshold": None}],
)
def test_mdd_gates_only_bound_the_design_from_above(fields):
    with pytest.raises(ValidationError, match="smallest disparity this audit could detect"):
        GateConfig(**{"metric": "mdd.fpr_ratio", "threshold": 1.5, **fields})
