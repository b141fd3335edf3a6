"""`ethicscheck log` counts only a FINISHED run as logged: an interrupted upload is completed by the next one."""

from __future__ import annotations

import mlflow
import pytest

from ethicscheck.audit import run_audit
from ethicscheck.config import config_from_dict
from ethicscheck.errors import TrackingError
from ethicscheck.tracking import audit_id, upload_report
from tests.mlflow_models import offline_config, scored_frame


@pytest.fixture
def report(tmp_path, session_tracking_uri):
    frame = scored_frame(3, 400, ("a", "b"))
    frame["flagged"] = (frame["x"] > 0.5).astype(int)
    frame.to_csv(tmp_path / "scored.csv", index=False)
    config = offline_config(tmp_path / "scored.csv", session_tracking_uri, "resume")
    config["tracking"]["enabled"] = False
    outcome = run_audit(config_from_dict(config), out_dir=tmp_path / "report")
    return outcome


def _runs(uri, result):
    client = mlflow.MlflowClient(tracking_uri=uri)
    experiments = [e.experiment_id for e in client.search_experiments()]
    return client.search_runs(experiments, filter_string=f"tags.`ethicscheck.audit_id` = '{audit_id(result)}'")


def test_interrupted_upload_is_marked_failed_and_completed_by_the_next_log(report, session_tracking_uri, monkeypatch):
    calls = {"n": 0}
    real = mlflow.MlflowClient.log_artifact

    def storage_fails_once(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(mlflow.MlflowClient, "log_artifact", storage_fails_once)
    with pytest.raises(TrackingError, match="No space left on device"):
        upload_report(report.report_dir, tracking_uri=session_tracking_uri, experiment="resume")
    [broken] = _runs(session_tracking_uri, report.result)
    assert broken.info.status == "FAILED"

    info, uploaded = upload_report(report.report_dir, tracking_uri=session_tracking_uri, experiment="resume")
    assert uploaded and info.run_id != broken.info.run_id
    [complete] = _runs(session_tracking_uri, report.result)  # the broken run was replaced, not kept beside it
    assert complete.info.status == "FINISHED"
    artifacts = {a.path for a in mlflow.MlflowClient(tracking_uri=session_tracking_uri).list_artifacts(complete.info.run_id)}
    assert {"audit.json", "model_card.html", "model_card.md", "model_card.json", "junit.xml", "summary.md"} <= artifacts
    assert upload_report(report.report_dir, tracking_uri=session_tracking_uri, experiment="resume")[1] is False


def test_run_left_running_by_a_killed_upload_is_replaced(report, session_tracking_uri):
    client = mlflow.MlflowClient(tracking_uri=session_tracking_uri)
    experiment = client.get_experiment_by_name("resume") or client.get_experiment(client.create_experiment("resume"))
    stale = client.create_run(experiment.experiment_id, tags={"ethicscheck.audit_id": audit_id(report.result)}).info.run_id
    info, uploaded = upload_report(report.report_dir, tracking_uri=session_tracking_uri, experiment="resume")
    assert uploaded and info.run_id != stale
    assert [r.info.status for r in _runs(session_tracking_uri, report.result)] == ["FINISHED"]
