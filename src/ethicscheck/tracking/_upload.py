"""Upload a saved report to MLflow later, exactly once."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ethicscheck.errors import ConfigError
from ethicscheck.result import AuditResult, TrackingInfo, VerificationAuditResult, read_audit_json
from ethicscheck.tracking._log import audit_id, log_audit, mlflow_errors, quiet_mlflow
from ethicscheck.tracking._uri import public_uri
from ethicscheck.tracking._verification import log_verification_audit

__all__ = ["upload_report"]


def upload_report(folder: Path, *, tracking_uri: str, experiment: str) -> tuple[TrackingInfo, bool]:
    """Log ``folder/audit.json`` (and its cards) unless a FINISHED run with the same audit id already exists.

    A run of the same audit that an interrupted upload left RUNNING or FAILED does not count: it is
    deleted and the audit is uploaded again in full.

    Returns
    -------
    (TrackingInfo, uploaded)
        ``uploaded`` is False when the audit was already in MLflow; either way the local
        ``audit.json`` then records the run.

    Raises
    ------
    ConfigError
        The folder has no audit.json.
    TrackingError
        MLflow cannot be reached.
    """
    path = folder / "audit.json"
    if not path.is_file():
        raise ConfigError(f"{folder} has no audit.json. Pass the folder an audit wrote (e.g. reports/<name>).")
    result = read_audit_json(path)
    existing = _find_run(result, tracking_uri)
    if existing is not None:
        info = TrackingInfo(logged=True, tracking_uri=public_uri(tracking_uri), experiment_id=existing[0], run_id=existing[1])
        uploaded = False
    else:
        from ethicscheck.cards import card_files

        report_files = (*card_files(), "junit.xml", "summary.md")
        artifacts = [folder / name for name in report_files if (folder / name).is_file()] + sorted(folder.glob("chart_*.svg"))
        if isinstance(result, AuditResult):
            info = log_audit(result, tracking_uri=tracking_uri, experiment=experiment, artifacts=artifacts)
        else:
            info = log_verification_audit(result, tracking_uri=tracking_uri, experiment=experiment, artifacts=artifacts)
        uploaded = True
    replace(result, tracking=info).write_json(path)
    return info, uploaded


def _find_run(result: AuditResult | VerificationAuditResult, tracking_uri: str) -> tuple[str, str] | None:
    """The FINISHED run of this audit, if any. Runs of it left RUNNING or FAILED by an interrupted
    upload are incomplete: they are deleted, so the next upload replaces them whole."""
    with quiet_mlflow(), mlflow_errors(tracking_uri):
        import mlflow

        client = mlflow.MlflowClient(tracking_uri=tracking_uri)
        experiments = [e.experiment_id for e in client.search_experiments()]
        runs = (
            client.search_runs(experiments, filter_string=f"tags.`ethicscheck.audit_id` = '{audit_id(result.to_dict())}'", max_results=100)
            if experiments
            else []
        )
        finished = next((run for run in runs if run.info.status == "FINISHED"), None)
        for run in runs:
            if run.info.status != "FINISHED":
                client.delete_run(run.info.run_id)
    return (finished.info.experiment_id, finished.info.run_id) if finished else None
