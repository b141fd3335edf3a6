"""MLflow tracking: one run per audit, with explicit tracking URIs and MLflow-safe metric names."""

from ethicscheck.tracking._history import AuditRecord, audit_history, trend_chart
from ethicscheck.tracking._log import (
    audit_id,
    fairness_metric_items,
    group_table,
    log_audit,
    log_metric_items,
    metric_items,
    mlflow_errors,
    quiet_mlflow,
)
from ethicscheck.tracking._upload import upload_report
from ethicscheck.tracking._uri import (
    DEFAULT_TRACKING_URI,
    artifact_location,
    public_uri,
    resolve_tracking_uri,
    slug,
    unique_slugs,
)
from ethicscheck.tracking._verification import log_verification_audit, verification_metric_items
from ethicscheck.tracking._worker import LoggingWorker, logging_worker

__all__ = [
    "log_verification_audit",
    "verification_metric_items",
    "AuditRecord",
    "DEFAULT_TRACKING_URI",
    "artifact_location",
    "audit_history",
    "trend_chart",
    "upload_report",
    "audit_id",
    "group_table",
    "log_audit",
    "LoggingWorker",
    "logging_worker",
    "log_metric_items",
    "fairness_metric_items",
    "metric_items",
    "mlflow_errors",
    "quiet_mlflow",
    "public_uri",
    "resolve_tracking_uri",
    "slug",
    "unique_slugs",
]
