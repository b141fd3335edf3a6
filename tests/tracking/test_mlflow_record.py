"""MLflow as the system of record: registry, dataset input, later upload, history, evaluator plugin."""

from __future__ import annotations

import json

import pytest

from ethicscheck.audit import run_audit
from ethicscheck.config import config_from_dict
from ethicscheck.result import AuditResult
from ethicscheck.tracking import audit_id
from tests.conftest import run_cli
from tests.mlflow_models import offline_config, register_logistic, scored_frame
from tests.servers import free_port


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    """A sqlite store holding 'screener' versions 1 and 2 (alias 'champion' on 2) and evaluation data."""
    import mlflow

    folder = tmp_path_factory.mktemp("record")
    uri = f"sqlite:///{folder / 'mlflow.db'}"
    frame = scored_frame(1, 3000, ("a", "b", "c"))
    frame.to_csv(folder / "eval.csv", index=False)
    register_logistic(uri, folder, "screener", frame, strengths=(1.0, 0.01))
    mlflow.MlflowClient(tracking_uri=uri).set_registered_model_alias("screener", "champion", "2")
    return {"uri": uri, "folder": folder, "frame": frame}


def config(registry, model_uri: str, name: str, **tracking):
    return config_from_dict(
        {
            "name": name,
            "data": {
                "path": str(registry["folder"] / "eval.csv"),
                "label": {"column": "label"},
                "sensitive_features": [{"column": "group"}],
            },
            "model": {"kind": "mlflow", "uri": model_uri, "input_columns": ["x"]},
            "fairness": {"n_boot": 100},
            "gates": [{"metric": "fpr_ratio", "threshold": 3.0}],
            "tracking": {"uri": registry["uri"], "experiment": "audits", **tracking},
            "card": {"model_name": "Screener"},
        }
    )


def test_registered_version_gets_the_card_summary_and_tags(registry):
    import mlflow

    outcome = run_audit(config(registry, "models:/screener@champion", "champion-audit"), out_dir=registry["folder"] / "champion")
    run_id = outcome.result.tracking.run_id
    client = mlflow.MlflowClient(tracking_uri=registry["uri"])
    version = client.get_model_version("screener", "2")
    assert version.tags["ethicscheck.verdict"] == outcome.result.verdict.label
    assert version.tags["ethicscheck.audit_run"] == run_id
    assert "ethicscheck audit “champion-audit”" in version.description and run_id in version.description
    assert len(version.description) <= 5000
    run = client.get_run(run_id)
    assert run.data.tags["ethicscheck.model_name"] == "screener" and run.data.tags["ethicscheck.model_version"] == "2"
    assert run.data.tags["ethicscheck.audit_id"] == audit_id(outcome.result)
    (dataset_input,) = run.inputs.dataset_inputs
    assert dataset_input.dataset.name == "eval.csv" and dataset_input.dataset.digest == outcome.result.data.sha256[:16]
    assert json.loads(dataset_input.dataset.profile)["num_rows"] == 3000
    artifacts = {a.path for a in client.list_artifacts(run_id)} | {a.path for a in client.list_artifacts(run_id, "charts")}
    assert {"model_card.md", "model_card.html", "junit.xml", "summary.md", "audit.json", "tables"} <= artifacts
    assert any(p.startswith("charts/") and p.endswith(".svg") for p in artifacts)


def test_history_lists_each_version_and_draws_the_trend(registry, tmp_path):
    run_audit(config(registry, "models:/screener/1", "v1-audit"), out_dir=tmp_path / "v1")
    run_audit(config(registry, "models:/screener/2", "v2-audit"), out_dir=tmp_path / "v2")
    chart = tmp_path / "trend.svg"
    result = run_cli("history", "--model", "models:/screener", "--tracking-uri", registry["uri"], "--chart", str(chart))
    assert result.code == 0, result.stderr
    assert "v1-audit" in result.stdout and "v2-audit" in result.stdout and "worst FPR ratio" in result.stdout
    assert chart.read_text().startswith("<?xml") and "<svg" in chart.read_text()
    assert run_cli("history", "--tracking-uri", registry["uri"]).code == 2  # neither --model nor --experiment
    machine = run_cli("history", "--model", "models:/screener", "--tracking-uri", registry["uri"], "--chart", str(chart), "--json")
    parsed = json.loads(machine.stdout)
    assert machine.code == 0 and parsed["chart"] == str(chart)
    audits = {a["audit"]: a for a in parsed["audits"]}
    assert {"v1-audit", "v2-audit"} <= audits.keys() and audits["v2-audit"]["model_version"] == "2"
    assert audits["v2-audit"]["verdict"] in ("pass", "fail", "insufficient evidence", "pass with warnings")


def test_dead_tracking_server_then_log_uploads_exactly_once(registry, tmp_path, monkeypatch):
    import mlflow

    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "3")
    frame = registry["frame"].assign(flagged=(registry["frame"]["x"] > 1).astype(int))
    frame.to_csv(tmp_path / "scored.csv", index=False)
    raw = offline_config(tmp_path / "scored.csv", f"http://127.0.0.1:{free_port()}", "offline-audit")
    outcome = run_audit(config_from_dict(raw), out_dir=tmp_path / "report")
    saved = json.loads((tmp_path / "report" / "audit.json").read_text())
    assert saved["tracking"]["logged"] is False and "127.0.0.1" in saved["tracking"]["message"]
    assert (tmp_path / "report" / "model_card.html").is_file() and outcome.result.fairness.features

    first = run_cli("log", str(tmp_path / "report"), "--tracking-uri", registry["uri"], "--experiment", "late")
    assert first.code == 0 and first.stdout.startswith("Logged run"), first.stderr
    again = run_cli("log", str(tmp_path / "report"), "--tracking-uri", registry["uri"], "--experiment", "late")
    assert again.code == 0 and "Already logged" in again.stdout
    client = mlflow.MlflowClient(tracking_uri=registry["uri"])
    experiment = client.get_experiment_by_name("late")
    runs = client.search_runs([experiment.experiment_id], filter_string=f"tags.`ethicscheck.audit_id` = '{audit_id(outcome.result)}'")
    assert len(runs) == 1
    assert AuditResult.read_json(tmp_path / "report" / "audit.json").tracking.run_id == runs[0].info.run_id
    assert run_cli("log", str(tmp_path / "nowhere"), "--tracking-uri", registry["uri"]).code == 2


def test_mlflow_evaluate_runs_an_ethicscheck_audit(registry):
    import mlflow

    from ethicscheck.integrations._mlflow_evaluator import EthicsCheckEvaluator

    assert not EthicsCheckEvaluator.can_evaluate(model_type="classifier", evaluator_config={})
    assert EthicsCheckEvaluator.can_evaluate(model_type="classifier", evaluator_config={"sensitive_features": ["group"]})
    mlflow.set_tracking_uri(registry["uri"])
    experiment = mlflow.get_experiment_by_name("models").experiment_id
    with mlflow.start_run(experiment_id=experiment) as run:
        result = mlflow.models.evaluate(
            "models:/screener/1",
            registry["frame"],
            targets="label",
            model_type="classifier",
            evaluators=["ethicscheck"],
            evaluator_config={
                "ethicscheck": {"sensitive_features": ["group"], "fairness": {"n_boot": 50}, "gates": [{"metric": "fpr", "threshold": 0.9}]}
            },
        )
    assert "fpr/group/a" in result.metrics and "fpr_max_ratio_to_reference/group" in result.metrics
    client = mlflow.MlflowClient(tracking_uri=registry["uri"])
    tags = client.get_run(run.info.run_id).data.tags
    assert tags["ethicscheck.verdict"] == "pass"
    assert "model_card.html" in {a.path for a in client.list_artifacts(run.info.run_id)}
