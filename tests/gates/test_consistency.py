"""Gate metrics that measure the same thing give the same outcome, on several data sets, in every mode.

Each pair is judged on a grid of thresholds placed between every value either gate could read (estimates
and interval ends), so a disagreement anywhere on the line shows up. Summary intervals also have to
respect the logical bounds of what they measure.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable

import numpy as np
import pytest

from ethicscheck.config import GateConfig
from ethicscheck.fairness import AssessSettings, FairnessResult, assess
from ethicscheck.gates import evaluate_gates

ALL_RATES = ["fpr", "fnr", "tpr", "tnr", "selection_rate", "precision", "fdr", "for", "npv", "accuracy", "base_rate"]
MODES = ("point", "confident", "precautionary")


def _data(kind: str) -> FairnessResult:
    rng = np.random.default_rng(zlib.crc32(kind.encode()))  # str hash() changes per process
    if kind == "two groups, biased":
        g = np.r_[["a"] * 700, ["b"] * 500]
        y = rng.random(1200) < 0.3
        flag = np.where(y, rng.random(1200) < 0.7, rng.random(1200) < np.where(g == "b", 0.16, 0.08))
        reference = {"g": "a"}
    elif kind == "three groups and a small one":
        g = rng.choice(["a", "b", "c", "tiny"], 1500, p=[0.45, 0.3, 0.23, 0.02])
        y = rng.random(1500) < 0.25
        flag = np.where(y, rng.random(1500) < 0.6, rng.random(1500) < np.select([g == "b", g == "c"], [0.12, 0.2], 0.1))
        reference = {"g": "a"}
    elif kind == "reference is the worst-off group":
        g = rng.choice(["a", "b", "c"], 1400)
        y = rng.random(1400) < 0.3
        flag = np.where(y, rng.random(1400) < 0.5, rng.random(1400) < np.where(g == "a", 0.2, 0.1))
        reference = {"g": "a"}
    elif kind == "near parity, many groups":
        g = rng.choice([f"g{i}" for i in range(8)], 4000)
        y = rng.random(4000) < 0.2
        flag = np.where(y, rng.random(4000) < 0.65, rng.random(4000) < 0.1)
        reference = None
    else:  # thin data: small groups everywhere
        g = rng.choice(["a", "b", "c"], 260)
        y = rng.random(260) < 0.3
        flag = rng.random(260) < 0.2
        reference = None
    return assess(
        y,
        flag,
        sensitive_features={"g": g},
        settings=AssessSettings(metrics=tuple(ALL_RATES), min_group_size=30, n_boot=400, seed=1),
        reference=reference,
    )


DATASETS = [
    "two groups, biased",
    "three groups and a small one",
    "reference is the worst-off group",
    "near parity, many groups",
    "thin data",
]


@pytest.fixture(scope="module", params=DATASETS)
def fairness(request) -> FairnessResult:
    return _data(request.param)


def _readable(fairness: FairnessResult, metric: str) -> list[float]:
    """Every number a gate on ``metric`` could read (estimates and interval ends)."""
    feature = fairness.feature("g")
    estimates = []
    if metric.endswith("_ratio") and metric.removesuffix("_ratio") in ALL_RATES:
        estimates = [g.ratio.get(metric.removesuffix("_ratio")) for g in feature.groups]
    elif metric.endswith("_difference") and metric.removesuffix("_difference") in ALL_RATES:
        estimates = [g.difference.get(metric.removesuffix("_difference")) for g in feature.groups]
    else:
        verdict = evaluate_gates(fairness, [GateConfig(metric=metric, threshold=0.0)])
        (outcome,) = verdict.outcomes
        return [v for v in (outcome.value, outcome.ci_low, outcome.ci_high) if v is not None]
    return [v for e in estimates if e is not None for v in (e.value, e.ci_low, e.ci_high) if v is not None]


def _grid(values: list[float]) -> list[float]:
    points = sorted({round(v, 9) for v in values if math.isfinite(v)})
    if not points:
        return [0.5]
    mids = [(a + b) / 2 for a, b in zip(points, points[1:]) if b - a > 1e-6]
    return [points[0] - 0.01, *mids, points[-1] + 0.01]


def _status(fairness: FairnessResult, metric: str, comparator: str, threshold: float, mode: str) -> str:
    (outcome,) = evaluate_gates(fairness, [GateConfig(metric=metric, comparator=comparator, threshold=threshold, mode=mode)]).outcomes
    return outcome.status


# (left metric, left comparator, right metric, right comparator, how the right threshold follows from the left)
PAIRS: list[tuple[str, str, str, str, Callable[[float], float]]] = [
    ("fpr_ratio", "<=", "fpr_max_ratio_to_reference", "<=", lambda t: t),
    ("fnr_ratio", "<=", "fnr_max_ratio_to_reference", "<=", lambda t: t),
    ("selection_rate_ratio", "<=", "selection_rate_max_ratio_to_reference", "<=", lambda t: t),
    ("fnr_spread", "<=", "tpr_spread", "<=", lambda t: t),
    ("fpr_spread", "<=", "tnr_spread", "<=", lambda t: t),
    ("fdr_spread", "<=", "precision_spread", "<=", lambda t: t),
    ("for_spread", "<=", "npv_spread", "<=", lambda t: t),
    ("fpr_difference", "<=", "tnr_difference", ">=", lambda t: -t),
    # fairlearn's names include small groups; their _enough_data variants measure what the rate summaries do
    ("selection_rate_spread", "<=", "demographic_parity_difference_enough_data", "<=", lambda t: t),
    ("selection_rate_min_over_max", ">=", "demographic_parity_ratio_enough_data", ">=", lambda t: t),
    ("fpr_min_over_max", ">=", "fpr_max_over_min", "<=", lambda t: 1 / t if t > 0 else math.inf),
]


@pytest.mark.parametrize(("left", "left_cmp", "right", "right_cmp", "convert"), PAIRS, ids=[f"{p[0]}~{p[2]}" for p in PAIRS])
def test_equivalent_gate_metrics_agree_everywhere(fairness, left, left_cmp, right, right_cmp, convert):
    values = _readable(fairness, left) + [convert(v) for v in _readable(fairness, right) if v != 0]
    for threshold in _grid(values):
        other = convert(threshold)
        if not math.isfinite(other) or (right.endswith("_max_ratio_to_reference") and threshold < 1):
            continue  # the largest ratio to the reference includes the reference's own 1: limits below 1 mean nothing
        for mode in MODES:
            a = _status(fairness, left, left_cmp, threshold, mode)
            b = _status(fairness, right, right_cmp, other, mode)
            assert a == b, f"{left} {left_cmp} {threshold:.6g} is {a} but {right} {right_cmp} {other:.6g} is {b} ({mode})"


def test_equalized_odds_is_the_worse_of_the_fpr_and_tpr_spreads(fairness):
    """Over the groups with enough data for both rates (the ``_enough_data`` variant; fairlearn's own
    figure includes small groups and is checked against fairlearn in tests/fairness)."""
    feature = fairness.feature("g")
    both = [g for g in feature.groups if g.metrics["fpr"].usable and g.metrics["tpr"].usable]
    eod = feature.disparities["equalized_odds_difference_enough_data"]
    if len(both) < 2:
        assert eod.value is None
        return

    def spread(rate):
        values = [g.metrics[rate].value for g in both]
        return max(values) - min(values)

    assert eod.value == pytest.approx(max(spread("fpr"), spread("tpr")), abs=1e-12)


def test_worst_ratio_gate_reads_the_worst_group():
    fairness = _data("three groups and a small one")
    (summary,) = evaluate_gates(fairness, [GateConfig(metric="fpr_max_ratio_to_reference", threshold=1.25, mode="confident")]).outcomes
    ratios = [g.ratio["fpr"] for g in fairness.feature("g").groups if not g.is_reference and g.ratio["fpr"].usable]
    assert summary.value == pytest.approx(max(1.0, *(r.value for r in ratios)))
    assert summary.ci_low == pytest.approx(max(1.0, *(r.ci_low for r in ratios)))
    assert summary.ci_high == pytest.approx(max(1.0, *(r.ci_high for r in ratios)))
    assert summary.ci_low >= 1.0 and summary.ci_low >= max(r.ci_low for r in ratios)
    assert "tiny" in summary.groups_without_data


def _bounds(key: str) -> tuple[float, float]:
    """What a summary measures bounds its interval: (lowest possible, highest possible)."""
    key = key.removesuffix("_enough_data")
    if key.endswith("_max_over_min"):
        return 1.0, math.inf
    if key.endswith("_max_ratio_to_reference"):
        return 0.0, math.inf
    if key.endswith(("_difference", "_ratio")):  # max - min of rates; min / max
        return 0.0, 1.0
    raise AssertionError(f"no bounds known for summary '{key}'")


@pytest.mark.parametrize("name", DATASETS)
def test_summary_intervals_respect_logical_bounds(name):
    feature = _data(name).feature("g")
    checked = 0
    for key, estimate in feature.disparities.items():
        if estimate.value is None:
            continue
        low, high = _bounds(key)
        assert low - 1e-12 <= estimate.value <= high + 1e-12, (key, estimate)
        if estimate.ci_low is not None:
            assert low - 1e-12 <= estimate.ci_low <= estimate.ci_high <= high + 1e-12, (key, estimate)
            checked += 1
    assert checked > 0


@pytest.fixture(scope="module")
def demo_outcomes(demo_inputs, tmp_path_factory):
    """One demo audit carrying both worst-ratio gates in every mode (the gates read one fairness result)."""
    from tests.audit_helpers import audit, demo_config

    gates = [
        {"metric": metric, "scope": "nationality", "threshold": 1.25, "mode": mode}
        for mode in MODES
        for metric in ("fpr_ratio", "fpr_max_ratio_to_reference")
    ]
    config = demo_config(demo_inputs, gates=gates, privacy={"enabled": False})
    return audit(config, tmp_path_factory.mktemp("demo_gates"), None).result.verdict.outcomes


@pytest.mark.parametrize("mode", MODES)
def test_on_the_demo_the_two_worst_ratio_gates_agree(demo_outcomes, mode):
    """The issue's case: on the demo, fpr_ratio failed (Nigerian 3.35, CI 1.85-6.2) while
    fpr_max_ratio_to_reference passed (3.35, CI 0.29-4.61)."""
    ratio, summary = (outcome for outcome in demo_outcomes if outcome.mode == mode)
    assert (ratio.metric, summary.metric) == ("fpr_ratio", "fpr_max_ratio_to_reference")
    assert ratio.status == summary.status == "fail", (ratio.message, summary.message)
    assert summary.ci_low >= 1.0


@pytest.mark.parametrize("name", DATASETS)
def test_the_worst_ratio_has_one_reading_in_audit_json_mlflow_history_and_the_gate(name):
    """audit.json's disparity is what MLflow logs and ``ethicscheck history`` shows; the gate reads the same figure."""
    fairness = _data(name)
    published = fairness.feature("g").disparities["fpr_max_ratio_to_reference"]
    (gate,) = evaluate_gates(fairness, [GateConfig(metric="fpr_max_ratio_to_reference", threshold=1.25)]).outcomes
    if published.value is None:
        assert gate.value is None
        return
    assert (gate.value, gate.ci_low, gate.ci_high) == (published.value, published.ci_low, published.ci_high)
    assert published.ci_low is None or published.ci_low >= 1.0
