"""A face-matching audit end to end: config -> comparisons -> statistics -> gates -> audit.json, card, charts, MLflow."""

from __future__ import annotations

import json

import pytest

from ethicscheck.audit import run_audit
from ethicscheck.config import config_from_dict
from ethicscheck.result import VerificationAuditResult
from ethicscheck.synth import ComparisonSpec, generate_comparisons


@pytest.fixture(scope="module")
def comparisons_file(tmp_path_factory):
    spec = ComparisonSpec(
        fmr_factor={"female": 3.0, "male": 1.0}, subjects_per_group=300, impostors_per_group=30_000, cross_impostors=10_000
    )
    path = tmp_path_factory.mktemp("verification") / "comparisons.csv"
    generate_comparisons(spec, seed=0).to_csv(path, index=False)
    return path


def _config(path, **extra):
    raw = {
        "name": "faces",
        "task": "verification",
        "data": {
            "path": str(path),
            "label": {"column": "same_person"},
            "sensitive_features": [{"column": "sex", "reference": "male"}, {"column": "region"}],
        },
        "verification": {"score_column": "similarity", "targets": [1e-2, 1e-3], "group_nouns": {"female": "women", "male": "men"}},
        "fairness": {"n_boot": 50},
        "gates": [
            {"metric": "fmr_ratio@1e-02", "scope": "sex", "threshold": 1.5, "mode": "confident"},
            {"metric": "fnmr", "scope": "region", "threshold": 0.5},
        ],
        "tracking": {"enabled": False},
        **extra,
    }
    return config_from_dict(raw)


def test_a_planted_differential_fails_its_gate_and_the_card_says_it_in_plain_words(comparisons_file, tmp_path):
    outcome = run_audit(_config(comparisons_file), out_dir=tmp_path / "report")
    assert isinstance(outcome.result, VerificationAuditResult)
    assert outcome.exit_code == 1
    statuses = {(o.metric, o.feature): o.status for o in outcome.result.verdict.outcomes}
    assert statuses[("fmr_ratio@1e-02", "sex at fmr@1e-02")] == "fail"
    assert statuses[("fnmr", "region at fmr@1e-02")] == "pass" and ("fnmr", "region at fmr@1e-03") in statuses
    saved = json.loads((tmp_path / "report" / "audit.json").read_text())
    assert saved["task"] == "verification" and "fairness" not in saved
    assert VerificationAuditResult.from_dict(saved).to_dict() == saved
    card = (tmp_path / "report" / "model_card.md").read_text()
    assert "Comparisons of two different women are wrongly declared a match" in card
    assert "at the threshold where 1 in 100 impostor comparisons match overall" in card
    for name in ("chart_00_cross_group.svg", "chart_00_det.svg", "model_card.html", "junit.xml", "summary.md"):
        assert (tmp_path / "report" / name).is_file()
    det = (tmp_path / "report" / "chart_00_det.svg").read_text()
    assert det.startswith("<?xml") and "1e-02" in det and "mathdefault" not in det  # log ticks as plain text, not raw TeX
    published = card + (tmp_path / "report" / "model_card.html").read_text() + (tmp_path / "report" / "audit.json").read_text()
    assert "S0001" not in published and "S0599" not in published  # no subject id is published


def test_small_groups_are_left_out_of_the_card_but_kept_in_audit_json(comparisons_file, tmp_path):
    outcome = run_audit(_config(comparisons_file, card={"min_published_group": 400}), out_dir=tmp_path / "report")
    card = (tmp_path / "report" / "model_card.md").read_text()
    assert "Left out of this card" in card
    assert len(outcome.result.verification.feature("sex").groups) == 2


def test_metrics_reach_mlflow_under_names_it_accepts(comparisons_file, tmp_path, session_tracking_uri):
    import mlflow

    uri = session_tracking_uri
    config = _config(comparisons_file, tracking={"enabled": True, "experiment": "faces"}, gates=[])
    outcome = run_audit(config, out_dir=tmp_path / "report", tracking_uri=uri)
    assert outcome.result.tracking is not None and outcome.result.tracking.logged
    run = mlflow.MlflowClient(tracking_uri=uri).get_run(outcome.result.tracking.run_id)
    female = outcome.result.verification.feature("sex").at("fmr@1e-02").group("female").fmr.value
    assert run.data.metrics["fmr_at_1e-02/sex/female"] == pytest.approx(female)
    assert "garbe_at_1e-03/sex" in run.data.metrics and run.data.tags["ethicscheck.task"] == "verification"


def test_validate_reads_the_comparisons_as_the_audit_does(comparisons_file, tmp_path):
    import yaml

    from ethicscheck.validation import validate_file

    raw = _config(comparisons_file).model_dump(mode="json", exclude={"model"})
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(raw))
    assert validate_file(good).problems == ()
    raw["data"]["sensitive_features"] = [{"column": "age"}]
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(raw))
    assert any("'age_a'" in problem for problem in validate_file(bad).problems)
