from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import numpy as np
import pytest

from ethicscheck.config import GateConfig
from ethicscheck.errors import ConfigError
from ethicscheck.fairness import AssessSettings, assess
from ethicscheck.gates import BaselineView, evaluate_gates, load_baseline, summary_markdown, write_junit


def biased(b_rate: float, seed: int = 0):
    """Group 'b' is wrongly flagged at b_rate, reference 'a' at 0.10; 'tiny' has 30 rows."""
    rng = np.random.default_rng(seed)
    y = np.zeros(830, dtype=bool)
    pred = np.r_[rng.random(400) < 0.10, rng.random(400) < b_rate, rng.random(30) < 0.5]
    groups = {"g": ["a"] * 400 + ["b"] * 400 + ["tiny"] * 30}
    return assess(
        y, pred, sensitive_features=groups, settings=AssessSettings(min_group_size=50, n_boot=500, seed=seed), reference={"g": "a"}
    )


@pytest.fixture(scope="module")
def fairness():
    return biased(0.16)


def gate(**fields) -> GateConfig:
    return GateConfig(**{"metric": "fpr_ratio", **fields})


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        # threshold between ci_low and the estimate: the estimate is over, the whole CI is not
        ("below_estimate", {"point": "fail", "confident": "pass", "precautionary": "fail"}),
        # threshold between the estimate and ci_high: only part of the CI is over
        ("above_estimate", {"point": "pass", "confident": "pass", "precautionary": "fail"}),
        # threshold below the whole CI: every reading fails
        ("below_ci", {"point": "fail", "confident": "fail", "precautionary": "fail"}),
        # threshold above the whole CI: every reading passes
        ("above_ci", {"point": "pass", "confident": "pass", "precautionary": "pass"}),
    ],
)
def test_modes_disagree_where_they_should(fairness, where, expected):
    ratio = fairness.feature("g").group("b").ratio["fpr"]
    assert ratio.ci_low < ratio.value < ratio.ci_high
    threshold = {
        "below_estimate": (ratio.ci_low + ratio.value) / 2,
        "above_estimate": (ratio.value + ratio.ci_high) / 2,
        "below_ci": ratio.ci_low * 0.9,
        "above_ci": ratio.ci_high * 1.1,
    }[where]
    for mode, status in expected.items():
        (outcome,) = evaluate_gates(fairness, [gate(threshold=threshold, mode=mode)]).outcomes
        assert outcome.status == status, (mode, outcome.message)
        assert outcome.group == "b"


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"threshold": 1.2, "severity": "warn"}, "warn"),
        ({"metric": "fpr_difference", "threshold": 0.02}, "fail"),
        ({"metric": "fpr", "threshold": 0.5}, "pass"),
        ({"metric": "fpr_spread", "threshold": 0.01}, "fail"),
        ({"metric": "fpr_min_over_max", "comparator": ">=", "threshold": 0.9}, "fail"),
        ({"metric": "fpr_min_over_max", "comparator": ">=", "threshold": 0.1}, "pass"),
        ({"metric": "equalized_odds_difference", "threshold": 0.9}, "insufficient"),  # no positives: FNR undefined
        ({"metric": "fnr", "threshold": 0.5}, "insufficient"),
        ({"metric": "fnr", "threshold": 0.5, "insufficient": "warn"}, "warn"),
        ({"metric": "fnr", "threshold": 0.5, "insufficient": "fail"}, "fail"),
        ({"metric": "fnr", "threshold": 0.5, "severity": "warn"}, "warn"),
    ],
)
def test_metric_kinds_and_severity(fairness, fields, status):
    (outcome,) = evaluate_gates(fairness, [gate(**fields)]).outcomes
    assert outcome.status == status, outcome.message


def test_insufficient_data_is_reported_and_can_warn_or_fail(fairness):
    (listed,) = evaluate_gates(fairness, [gate(threshold=5.0)]).outcomes  # default: block
    assert listed.status == "pass" and listed.groups_without_data == ("tiny",)
    assert "not enough evidence for tiny" in listed.message
    (warned,) = evaluate_gates(fairness, [gate(threshold=5.0, insufficient="warn")]).outcomes
    assert warned.status == "warn"
    (failed,) = evaluate_gates(fairness, [gate(threshold=5.0, insufficient="fail")]).outcomes
    assert failed.status == "fail"
    (soft,) = evaluate_gates(fairness, [gate(threshold=5.0, insufficient="fail", severity="warn")]).outcomes
    assert soft.status == "warn"
    (strict,) = evaluate_gates(fairness, [gate(threshold=5.0, min_group_size=500, insufficient="fail")]).outcomes
    assert strict.status == "fail" and "b" in strict.groups_without_data and "min_group_size 500" in strict.message


def test_failure_message_names_metric_group_value_ci_limit_and_mode(fairness):
    (outcome,) = evaluate_gates(fairness, [gate(threshold=1.2, mode="precautionary")]).outcomes
    for part in ("fpr_ratio", "'b'", "95% CI", "precautionary", "<= 1.2"):
        assert part in outcome.message


def test_scope_selection():
    rng = np.random.default_rng(1)
    groups = {"x": rng.choice(["p", "q"], 600), "z": rng.choice(["u", "v"], 600)}
    result = assess(rng.random(600) < 0.3, rng.random(600) < 0.3, sensitive_features=groups, settings=AssessSettings(n_boot=0))
    count = lambda scope: len(evaluate_gates(result, [gate(threshold=9, scope=scope)]).outcomes)  # noqa: E731
    assert (count("*"), count("features"), count("intersections"), count("x & z")) == (3, 2, 1, 1)
    with pytest.raises(ConfigError, match="gates\\[0\\] -> scope: 'nationality'"):
        evaluate_gates(result, [gate(threshold=1, scope="nationality")])
    with pytest.raises(ConfigError, match="needs model scores"):
        evaluate_gates(result, [gate(metric="roc_auc", threshold=0.5, comparator=">=")])


def test_unknown_metric_and_missing_threshold_fail_validation():
    with pytest.raises(ValueError, match="unknown gate metric 'fpr_ratoi'"):
        GateConfig(metric="fpr_ratoi", threshold=1)
    with pytest.raises(ValueError, match="set threshold"):
        GateConfig(metric="fpr_ratio")


def baseline_of(result) -> BaselineView:
    return BaselineView({"fairness": result.to_dict()}, source="test")


@pytest.mark.parametrize(
    ("mode", "margin", "status"),
    [("point", 0.0, "fail"), ("point", 5.0, "pass"), ("confident", 0.0, "fail"), ("precautionary", 0.0, "fail")],
)
def test_regression_against_a_baseline(mode, margin, status):
    before, after = biased(0.11, seed=3), biased(0.30, seed=3)
    regression = {"baseline": "before.json", "margin": margin}
    (outcome,) = evaluate_gates(after, [gate(regression=regression, mode=mode)], baselines={"before.json": baseline_of(before)}).outcomes
    assert outcome.status == status, outcome.message
    assert outcome.baseline_value == pytest.approx(before.feature("g").group("b").ratio["fpr"].value)


def test_regression_confident_does_not_cry_wolf_on_noise():
    before, after = biased(0.16, seed=4), biased(0.16, seed=5)  # same truth, different noise
    regression = {"baseline": "b", "margin": 0.0}
    (outcome,) = evaluate_gates(after, [gate(regression=regression, mode="confident")], baselines={"b": baseline_of(before)}).outcomes
    assert outcome.status == "pass"


def test_regression_on_a_feature_summary():
    before, after = biased(0.12), biased(0.35)
    regression = {"baseline": "b", "margin": 0.02}
    (outcome,) = evaluate_gates(after, [gate(metric="fpr_spread", regression=regression)], baselines={"b": baseline_of(before)}).outcomes
    assert outcome.status == "fail" and outcome.group is None


def test_load_baseline_from_file_and_folder(tmp_path, fairness):
    (tmp_path / "audit.json").write_text(json.dumps({"fairness": fairness.to_dict()}))
    for spec in (tmp_path / "audit.json", tmp_path):
        view = load_baseline(str(spec), tracking_uri="sqlite:///unused.db")
        assert view.group("g", "b", "group_ratio", "fpr_ratio").value == pytest.approx(fairness.feature("g").group("b").ratio["fpr"].value)
    with pytest.raises(ConfigError, match="does not exist"):
        load_baseline(str(tmp_path / "nope.json"), tracking_uri="sqlite:///unused.db")
    (tmp_path / "other.json").write_text("{}")
    with pytest.raises(ConfigError, match="not an ethicscheck audit"):
        load_baseline(str(tmp_path / "other.json"), tracking_uri="sqlite:///unused.db")


def test_junit_has_one_case_per_gate_and_scope_and_parses_back(fairness, tmp_path):
    gates = [
        gate(threshold=1.2),
        gate(threshold=9.0, severity="warn"),
        gate(metric="fnr", threshold=0.5),
        gate(threshold=1.2, severity="warn"),
    ]
    verdict = evaluate_gates(fairness, gates)
    path = write_junit(verdict, tmp_path / "junit.xml", suite="demo")
    root = ET.parse(path).getroot()
    assert root.tag == "testsuite" and root.get("name") == "ethicscheck.demo"
    cases = root.findall("testcase")
    assert len(cases) == int(root.get("tests")) == 4
    assert int(root.get("failures")) == len(root.findall("testcase/failure")) == 1
    assert int(root.get("errors")) == len(root.findall("testcase/error")) == 1  # fnr: no positives to judge
    assert root.find("testcase/error").get("type") == "insufficient evidence"
    assert root.find("properties/property[@name='verdict']").get("value") == "fail"
    failure = root.find("testcase/failure")
    assert "'b'" in failure.get("message") and "fpr_ratio" in failure.get("type")
    assert "WARNING" in root.find("testcase/system-out").text
    for case in cases:
        assert case.get("classname").startswith("ethicscheck.demo.") and case.get("name")


def test_summary_markdown_lists_each_outcome(fairness, tmp_path, monkeypatch):
    from ethicscheck.gates import publish_summary

    verdict = evaluate_gates(fairness, [gate(threshold=1.2), gate(metric="fpr", threshold=0.9)])
    markdown = summary_markdown(verdict, audit="demo")
    assert "### ethicscheck audit “demo”: fail" in markdown
    assert sum(line.startswith("| ") for line in markdown.splitlines()) == 3  # header and two outcomes
    step = tmp_path / "step.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(step))
    publish_summary(markdown, tmp_path)
    assert (tmp_path / "summary.md").read_text() == markdown and markdown in step.read_text()


def test_no_gates_is_a_pass(fairness):
    verdict = evaluate_gates(fairness, [])
    assert verdict.passed and verdict.label == "no gates"


def test_privacy_gates_read_outputs_and_artifacts(fairness):
    import pandas as pd

    from ethicscheck.privacy import DEFAULT_ENTITIES, ArtifactScan, ScanOptions, scan_texts

    frame = pd.DataFrame({"text": ["Call 212-555-0143."] * 40, "reply": ["Try maria.k@example.org."] * 40})
    privacy = scan_texts(frame, ["text"], ScanOptions(entities=DEFAULT_ENTITIES), output_columns=["reply"])
    gates = [
        GateConfig(metric="pii.outputs.novel", threshold=0),
        GateConfig(metric="pii.inputs.row_rate", threshold=1.0),
        GateConfig(metric="pii.artifacts", threshold=0),
    ]
    novel, rate, artifacts = evaluate_gates(fairness, gates, privacy=privacy).outcomes
    assert novel.status == "fail" and novel.value == 40 and "reply" in novel.group
    assert rate.status == "pass" and rate.value == 1.0
    assert artifacts.status == "insufficient"  # the files were not scanned in this test
    from dataclasses import replace

    scanned = replace(privacy, artifacts=ArtifactScan(files={"card.md": {}}, leaked_input_values=0))
    assert evaluate_gates(fairness, [gates[2]], privacy=scanned).outcomes[0].status == "pass"


@pytest.mark.parametrize(
    ("metric", "needs"), [("tnr_spread", "tnr"), ("npv_max_over_min", "npv"), ("fdr_ratio", "fdr"), ("accuracy", "accuracy")]
)
def test_gate_on_an_uncomputed_rate_is_a_config_error(metric, needs):
    result = assess(
        [0, 1] * 50, [1, 0] * 50, sensitive_features={"g": ["a", "b"] * 50}, settings=AssessSettings(metrics=("fpr",), n_boot=0)
    )
    with pytest.raises(ConfigError, match=f"needs '{needs}' in fairness.metrics"):
        evaluate_gates(result, [GateConfig(metric=metric, threshold=0.5)])
