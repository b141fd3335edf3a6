"""Regression gate whose baseline is the last audit of a registered model version in MLflow."""

from __future__ import annotations

import pytest

from ethicscheck.audit import run_audit
from ethicscheck.config import config_from_dict
from ethicscheck.errors import TrackingError
from ethicscheck.gates import find_model_audit
from tests.mlflow_models import register_logistic, scored_frame


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A sqlite store with model 'screener' v1 (alias 'production') and two evaluation files."""
    import mlflow

    folder = tmp_path_factory.mktemp("baseline")
    uri = f"sqlite:///{folder / 'mlflow.db'}"
    frame = scored_frame(0, 4000, ("a", "b"))
    register_logistic(uri, folder, "screener", frame)
    mlflow.MlflowClient(tracking_uri=uri).set_registered_model_alias("screener", "production", "1")
    frame.to_csv(folder / "before.csv", index=False)
    # later data: group b's innocent rows now look riskier, so more of them are flagged
    later = frame.copy()
    shift = (later["group"] == "b") & (later["label"] == 0)
    later.loc[shift, "x"] += 0.8
    later.to_csv(folder / "after.csv", index=False)
    return {"uri": uri, "folder": folder}


def audit(store, data: str, gates: list[dict], name: str):
    config = config_from_dict(
        {
            "name": name,
            "data": {
                "path": str(store["folder"] / data),
                "label": {"column": "label"},
                "sensitive_features": [{"column": "group", "reference": "a"}],
            },
            "model": {"kind": "mlflow", "uri": "models:/screener@production", "input_columns": ["x"]},
            "fairness": {"n_boot": 300},
            "privacy": {"enabled": False},
            "gates": gates,
            "tracking": {"uri": store["uri"], "experiment": "audits"},
        }
    )
    return run_audit(config, out_dir=store["folder"] / name)


def test_regression_gate_against_the_model_versions_last_audit(store):
    first = audit(store, "before.csv", [], "baseline-audit")
    assert first.result.tracking.logged
    baseline = find_model_audit("models:/screener/1", tracking_uri=store["uri"])
    assert baseline["fairness"] == first.result.to_dict()["fairness"]

    gate = {
        "metric": "fpr_ratio",
        "scope": "group",
        "regression": {"baseline": "models:/screener@production", "margin": 0.1},
        "mode": "confident",
    }
    same = audit(store, "before.csv", [gate], "same-data")
    assert same.result.verdict.passed, same.result.verdict.outcomes[0].message
    worse = audit(store, "after.csv", [gate], "worse-data")
    (outcome,) = worse.result.verdict.outcomes
    assert outcome.status == "fail" and outcome.group == "b", outcome.message
    assert outcome.baseline_value == pytest.approx(first.result.fairness.feature("group").group("b").ratio["fpr"].value)


def test_baseline_of_an_unaudited_version_is_a_clear_error(store):
    import mlflow

    client = mlflow.MlflowClient(tracking_uri=store["uri"])
    client.create_registered_model("never-audited")
    with pytest.raises(TrackingError, match="is not a registered model version|No ethicscheck audit"):
        find_model_audit("models:/never-audited/3", tracking_uri=store["uri"])
