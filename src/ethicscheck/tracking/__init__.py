"""MLflow tracking: one run per audit, with explicit tracking URIs and MLflow-safe metric names.

The names that read an audit's result (``log_audit``, ``audit_history``, ...) load on first use: their
modules import the result types, pandas and scipy, and the MLflow worker process (``_worker``), which
imports this package, needs none of them before MLflow itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ethicscheck.tracking._send import log_metric_items, mlflow_errors, quiet_mlflow
from ethicscheck.tracking._uri import (
    DEFAULT_TRACKING_URI,
    artifact_location,
    public_uri,
    resolve_tracking_uri,
    slug,
    unique_slugs,
)
from ethicscheck.tracking._worker import LoggingWorker, audit_worker, logging_worker

if TYPE_CHECKING:
    from ethicscheck.tracking._history import AuditRecord, audit_history, trend_chart
    from ethicscheck.tracking._log import audit_id, fairness_metric_items, group_table, log_audit, metric_items
    from ethicscheck.tracking._upload import upload_report
    from ethicscheck.tracking._verification import log_verification_audit, verification_metric_items

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
    "audit_worker",
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


def __getattr__(name: str) -> Any:
    """The result-reading names, imported on first use (PEP 562)."""
    if name not in __all__:  # submodules too: asked for while they are imported
        raise AttributeError(f"module 'ethicscheck.tracking' has no attribute {name!r}")
    from ethicscheck.tracking import _history, _log, _upload, _verification

    for module in (_history, _log, _upload, _verification):
        if hasattr(module, name):
            value = getattr(module, name)
            globals()[name] = value
            return value
    raise AttributeError(f"module 'ethicscheck.tracking' has no attribute {name!r}")
