"""Against a real `mlflow server` on 127.0.0.1: audit a registered model over HTTP; survive the server going away."""

from __future__ import annotations

import json

import pytest

from ethicscheck.audit import run_audit
from ethicscheck.config import config_from_dict
from ethicscheck.tracking import audit_id
from tests.conftest import run_cli
from tests.mlflow_models import offline_config, register_logistic, scored_frame
from tests.servers import mlflow_process


def server_args(folder) -> list[str]:
    return [
        "server",
        "--backend-store-uri",
        f"sqlite:///{folder / 'server.db'}",
        "--artifacts-destination",
        str(folder / "artifacts"),
        "--workers",
        "1",
    ]


@pytest.mark.slow
def test_registered_model_over_http_then_server_down_then_log_once(tmp_path, monkeypatch):
    import mlflow

    frame = scored_frame(2, 2000, ("a", "b"))
    frame.to_csv(tmp_path / "eval.csv", index=False)

    def audit(uri: str, name: str):
        raw = {
            "name": name,
            "data": {"path": str(tmp_path / "eval.csv"), "label": {"column": "label"}, "sensitive_features": [{"column": "group"}]},
            "model": {"kind": "mlflow", "uri": "models:/served-screener/1", "input_columns": ["x"]},
            "fairness": {"n_boot": 100},
            "tracking": {"uri": uri, "experiment": "server-audits"},
        }
        return run_audit(config_from_dict(raw), out_dir=tmp_path / name)

    with mlflow_process(server_args(tmp_path), "/health", log=tmp_path / "server1.log") as base:
        register_logistic(base, None, "served-screener", frame)
        outcome = audit(base, "online")
        client = mlflow.MlflowClient(tracking_uri=base)
        run = client.get_run(outcome.result.tracking.run_id)
        assert run.data.tags["ethicscheck.verdict"] == outcome.result.verdict.label
        version = client.get_model_version("served-screener", "1")
        assert version.tags["ethicscheck.audit_run"] == run.info.run_id
        assert "ethicscheck audit “online”" in version.description
        assert "model_card.html" in {a.path for a in client.list_artifacts(run.info.run_id)}
        port = base.rsplit(":", 1)[1]

    # The server is gone: the audit still writes its report and says why nothing was logged.
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "3")
    frame.assign(flagged=(frame["x"] > 1).astype(int)).to_csv(tmp_path / "scored.csv", index=False)
    down = run_audit(
        config_from_dict(offline_config(tmp_path / "scored.csv", f"http://127.0.0.1:{port}", "while-down")), out_dir=tmp_path / "while-down"
    )
    saved = json.loads((tmp_path / "while-down" / "audit.json").read_text())
    assert saved["tracking"]["logged"] is False and f"127.0.0.1:{port}" in saved["tracking"]["message"]

    with mlflow_process(server_args(tmp_path), "/health", log=tmp_path / "server2.log") as base:
        for _ in range(2):
            result = run_cli("log", str(tmp_path / "while-down"), "--tracking-uri", base, "--experiment", "late-uploads")
            assert result.code == 0, result.stderr
        client = mlflow.MlflowClient(tracking_uri=base)
        runs = client.search_runs(
            [e.experiment_id for e in client.search_experiments()], filter_string=f"tags.`ethicscheck.audit_id` = '{audit_id(down.result)}'"
        )
        assert len(runs) == 1
