from __future__ import annotations

import json
import re

import pytest

from ethicscheck.errors import TrackingError
from ethicscheck.tracking import public_uri, resolve_tracking_uri, slug, unique_slugs
from tests.audit_helpers import audit, demo_config
from tests.servers import free_port


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("not mentioned", "not_mentioned"),
        ("Nigerian", "nigerian"),
        ("Nepali & north", "nepali_north"),
        ("a=b", "a_b"),
        ("Ελλάδα", re.compile(r"_[0-9a-f]{6}")),
    ],
)
def test_slug_is_readable_and_mlflow_safe(value, expected):
    result = slug(value)
    assert expected.fullmatch(result) if isinstance(expected, re.Pattern) else result == expected
    assert re.fullmatch(r"[a-z0-9_.-]+", result)


def test_colliding_groups_get_distinct_slugs():
    slugs = unique_slugs(["a b", "a_b", "A B", "other", "Ελλάδα", "日本"])
    assert len(set(slugs.values())) == 6
    assert slugs["other"] == "other"
    assert unique_slugs(["a b", "a_b"]) == unique_slugs(["a b", "a_b"])


def test_tracking_uri_precedence(monkeypatch):
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    assert resolve_tracking_uri(None) == "sqlite:///mlflow.db"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "sqlite:///env.db")
    assert resolve_tracking_uri(None) == "sqlite:///env.db"
    assert resolve_tracking_uri("sqlite:///config.db") == "sqlite:///config.db"
    assert resolve_tracking_uri("sqlite:///config.db", "http://cli") == "http://cli"


def test_public_uri_drops_credentials_keeps_sqlite():
    assert public_uri("https://me:pw@mlflow.example.com:5000/x?token=1") == "https://mlflow.example.com:5000/x"
    assert public_uri("sqlite:///mlflow.db") == "sqlite:///mlflow.db"


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("sqlite:////srv/audits/mlflow.db", "file:///srv/audits/mlartifacts"),
        ("sqlite:////srv/my%20audits/mlflow.db", "file:///srv/my%20audits/mlartifacts"),
        ("http://127.0.0.1:5000", None),
        ("databricks", None),
    ],
)
def test_artifacts_live_beside_a_sqlite_store(uri, expected):
    from ethicscheck.tracking import artifact_location

    assert artifact_location(uri) == expected


def test_a_relative_sqlite_store_keeps_artifacts_beside_it_never_in_mlruns(demo_inputs, tmp_path, monkeypatch):
    """The README's promise: with the default sqlite:///mlflow.db, no ./mlruns appears; artifacts go to ./mlartifacts."""
    from mlflow import MlflowClient

    monkeypatch.chdir(tmp_path)
    outcome = audit(demo_config(demo_inputs, name="artifact-place", privacy={"enabled": False}), tmp_path / "out", "sqlite:///mlflow.db")
    run = MlflowClient(tracking_uri="sqlite:///mlflow.db").get_run(outcome.result.tracking.run_id)
    assert run.info.artifact_uri.startswith((tmp_path / "mlartifacts").resolve().as_uri())
    assert (tmp_path / "mlartifacts").is_dir() and not (tmp_path / "mlruns").exists()


def test_audit_run_is_readable_with_mlflow_client(demo_inputs, tmp_path, session_tracking_uri):
    from mlflow import MlflowClient

    outcome = audit(demo_config(demo_inputs, privacy={"enabled": False}), tmp_path, session_tracking_uri)  # the run, not a text scan
    tracking = outcome.result.tracking
    assert tracking.logged and tracking.run_id
    client = MlflowClient(tracking_uri=session_tracking_uri)
    run = client.get_run(tracking.run_id)
    assert run.data.tags["ethicscheck.verdict"] == outcome.result.verdict.label
    assert run.data.tags["ethicscheck.config"] == "demo-test"
    # the run page's description: verdict, why, and the top finding, which the card also puts first
    from ethicscheck.cards import findings
    from ethicscheck.cards._render import _md_escape

    description = run.data.tags["mlflow.note.content"]
    assert description.startswith(f"**ethicscheck audit “demo-test”: {outcome.result.verdict.label}.**")
    top = next(f for f in findings(outcome.result, "ads") if f.severity == "disparity")
    assert f"**Top finding:** {_md_escape(top.text)}" in description
    assert run.data.params["data_sha256"] == outcome.result.data.sha256
    nigerian = outcome.result.fairness.feature("nationality").group("Nigerian").metrics["fpr"].value
    assert run.data.metrics["fpr/nationality/nigerian"] == pytest.approx(nigerian)
    assert "fpr_max_ratio_to_reference_ci_low/nationality" in run.data.metrics
    artifacts = {a.path for a in client.list_artifacts(tracking.run_id)}
    assert {"audit.json", "model_card.md", "model_card.html", "tables"} <= artifacts
    logged = json.loads(open(client.download_artifacts(tracking.run_id, "audit.json", str(tmp_path / "dl"))).read())
    assert logged["fairness"] == outcome.result.to_dict()["fairness"]
    local = json.loads(outcome.files["audit.json"].read_text())
    assert local["tracking"]["run_id"] == tracking.run_id


def test_unreachable_tracking_server_keeps_the_local_report(demo_inputs, tmp_path, monkeypatch):
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "3")
    dead = f"http://127.0.0.1:{free_port()}"
    no_scan = {"enabled": False}  # what reaches MLflow is not the point here: the report that stays is
    outcome = audit(demo_config(demo_inputs, privacy=no_scan), tmp_path, dead)
    assert outcome.result.tracking.logged is False and "127.0.0.1" in outcome.result.tracking.message
    saved = json.loads(outcome.files["audit.json"].read_text())
    assert saved["tracking"]["logged"] is False and saved["fairness"]["features"]
    with pytest.raises(TrackingError, match=r"Nothing of this audit was logged to MLflow; the report is complete in .*`ethicscheck log "):
        audit(demo_config(demo_inputs, privacy=no_scan, tracking={"required": True}), tmp_path / "required", dead)
    assert (tmp_path / "required" / "model_card.html").is_file()
