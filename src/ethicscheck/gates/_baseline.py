"""Baselines for regression gates: a saved audit.json, or the last audit of a registered model version."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ethicscheck._net import DEFAULT_TRACKING_TIMEOUT, bounded_mlflow, require_tracking
from ethicscheck.errors import ConfigError, TrackingError
from ethicscheck.fairness import Estimate
from ethicscheck.models._mlflow import registered_version

__all__ = ["BaselineView", "load_baseline", "find_model_audit"]


class BaselineView:
    """Read estimates out of a baseline ``audit.json`` (its documented shape, see docs/audit_json.md)."""

    def __init__(self, audit: dict[str, Any], *, source: str) -> None:
        self.source = source
        self.features = {f["name"]: f for f in audit.get("fairness", {}).get("features", [])}

    def summary(self, feature: str, key: str) -> Estimate | None:
        return self.summaries(feature).get(key)

    def summaries(self, feature: str) -> dict[str, Estimate]:
        """Every between-group summary of ``feature`` (empty when the baseline lacks the feature)."""
        found = self.features.get(feature, {}).get("disparities", {})
        return {key: Estimate.from_dict(data) for key, data in found.items() if data}

    def group_ratios(self, feature: str, rate: str) -> list[Estimate]:
        """Every non-reference group's ratio to the reference for ``rate``."""
        groups = self.features.get(feature, {}).get("groups", [])
        found = [g.get("ratio_to_reference", {}).get(rate) for g in groups if not g.get("is_reference")]
        return [Estimate.from_dict(data) for data in found if data]

    def group(self, feature: str, group: str, kind: str, metric: str) -> Estimate | None:
        groups = {g["group"]: g for g in self.features.get(feature, {}).get("groups", [])}
        found = groups.get(group)
        if found is None:
            return None
        if kind == "group_ratio":
            data = found.get("ratio_to_reference", {}).get(metric.removesuffix("_ratio"))
        elif kind == "group_difference":
            data = found.get("difference_to_reference", {}).get(metric.removesuffix("_difference"))
        else:
            data = found.get("metrics", {}).get(metric) or found.get("score_metrics", {}).get(metric)
        return Estimate.from_dict(data) if data else None


def load_baseline(spec: str, *, tracking_uri: str) -> BaselineView:
    """Load a baseline named by a path to ``audit.json`` (or its folder) or a ``models:/`` URI.

    Raises
    ------
    ConfigError
        The file does not exist or is not an ethicscheck result.
    TrackingError
        MLflow has no ethicscheck audit of that model version.
    """
    if spec.startswith("models:/"):
        return BaselineView(find_model_audit(spec, tracking_uri=tracking_uri), source=spec)
    path = Path(spec)
    if path.is_dir():
        path = path / "audit.json"
    if not path.is_file():
        raise ConfigError(f"Baseline {path} does not exist. Point regression.baseline at a saved audit.json or a models:/ URI.")
    try:
        audit = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"Baseline {path} is not JSON: {exc}") from None
    if "fairness" not in audit:
        raise ConfigError(f"Baseline {path} is not an ethicscheck audit.json (no 'fairness' section).")
    return BaselineView(audit, source=str(path))


def find_model_audit(uri: str, *, tracking_uri: str) -> dict[str, Any]:
    """The ``audit.json`` of the most recent ethicscheck run on the model version ``uri`` resolves to.

    Only JSON is read: the model version's own files (and any code they bundle) are never loaded.
    """
    require_tracking(tracking_uri)
    import mlflow
    from mlflow.exceptions import MlflowException

    client = mlflow.MlflowClient(tracking_uri=tracking_uri)
    try:
        with bounded_mlflow(DEFAULT_TRACKING_TIMEOUT):
            resolved = registered_version(uri, client)
            if resolved is None:
                raise TrackingError(f"Baseline '{uri}' is not a registered model version (use models:/name/version or models:/name@alias).")
            name, version = resolved
            runs = client.search_runs(
                [e.experiment_id for e in client.search_experiments()],
                filter_string=f"tags.`ethicscheck.model_name` = '{name}' and tags.`ethicscheck.model_version` = '{version}'",
                order_by=["attributes.start_time DESC"],
                max_results=1,
            )
            if not runs:
                raise TrackingError(f"No ethicscheck audit of {name} version {version} found at {tracking_uri}; audit that version first.")
            local = client.download_artifacts(runs[0].info.run_id, "audit.json")
        return dict(json.loads(Path(local).read_text(encoding="utf-8")))
    except (MlflowException, OSError, ValueError) as exc:
        raise TrackingError(f"Baseline '{uri}' could not be read from MLflow: {str(exc).splitlines()[0][:200]}") from None
