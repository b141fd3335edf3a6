"""MLflow tracking: one run per audit, with explicit tracking URIs and MLflow-safe metric names."""

from ethicscheck.tracking._log import group_table, log_audit, metric_items
from ethicscheck.tracking._uri import (
    DEFAULT_TRACKING_URI,
    public_uri,
    resolve_tracking_uri,
    slug,
    unique_slugs,
)

__all__ = ["DEFAULT_TRACKING_URI", "group_table", "log_audit", "metric_items", "public_uri", "resolve_tracking_uri", "slug", "unique_slugs"]
