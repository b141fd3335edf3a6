"""Log one audit as one MLflow run: params, metrics, tables, the result and the cards."""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ethicscheck.errors import TrackingError
from ethicscheck.result import AuditResult, TrackingInfo
from ethicscheck.tracking._uri import public_uri, slug, unique_slugs

__all__ = ["log_audit", "metric_items", "group_table"]

_BATCH = 1000


def log_audit(result: AuditResult, *, tracking_uri: str, experiment: str, artifacts: list[Path]) -> TrackingInfo:
    """Create a run holding the audit.

    Parameters
    ----------
    result : AuditResult
        What to log; nothing is recomputed.
    tracking_uri : str
        Explicit tracking URI.
    experiment : str
        Experiment name, created when missing.
    artifacts : list of Path
        Report files to attach (cards, audit.json).

    Raises
    ------
    TrackingError
        The store cannot be reached or refused a call.
    """
    with _quiet_mlflow():
        import mlflow
        from mlflow.exceptions import MlflowException

        try:
            client = mlflow.MlflowClient(tracking_uri=tracking_uri)
            found = client.get_experiment_by_name(experiment)
            experiment_id = found.experiment_id if found else client.create_experiment(experiment)
            run = client.create_run(experiment_id, run_name=result.run.name, tags=_tags(result))
            run_id = run.info.run_id
            client.log_batch(run_id, params=_params(result))
            metrics = _metrics(result)
            for start in range(0, len(metrics), _BATCH):  # MLflow takes at most 1000 metrics per call
                client.log_batch(run_id, metrics=metrics[start : start + _BATCH])
            client.log_dict(run_id, result.to_dict(), "audit.json")
            for feature in result.fairness.features:
                client.log_table(run_id, group_table(result, feature.name), f"tables/fairness_{slug(feature.name)}.json")
            for path in artifacts:
                client.log_artifact(run_id, str(path))
            client.set_terminated(run_id, status="FINISHED")
        except (MlflowException, OSError, ConnectionError) as exc:
            raise TrackingError(f"MLflow at {public_uri(tracking_uri)} failed: {str(exc).splitlines()[0][:300]}") from None
        except Exception as exc:  # mlflow surfaces connection problems as many exception types
            if "Connection" in type(exc).__name__ or "Timeout" in type(exc).__name__:
                raise TrackingError(f"MLflow at {public_uri(tracking_uri)} cannot be reached: {type(exc).__name__}") from None
            raise
    return TrackingInfo(logged=True, tracking_uri=public_uri(tracking_uri), experiment_id=experiment_id, run_id=run_id)


def metric_items(result: AuditResult) -> list[tuple[str, float]]:
    """``(name, value)`` of every defined number: ``<metric>/<feature>/<group>`` and ``<disparity>/<feature>``."""
    items: list[tuple[str, float]] = []
    for key, estimate in {**result.fairness.overall.metrics, **result.fairness.overall.score_metrics}.items():
        if estimate.value is not None:
            items.append((f"{key}/overall", estimate.value))
    for feature in result.fairness.features:
        feature_slug = slug(feature.name)
        group_slugs = unique_slugs([g.group for g in feature.groups])
        for group in feature.groups:
            base = f"{feature_slug}/{group_slugs[group.group]}"
            for key, estimate in group.metrics.items():
                if estimate.value is not None:
                    items.append((f"{key}/{base}", estimate.value))
            for key, estimate in group.ratio.items():
                if estimate.value is not None:
                    items.append((f"{key}_ratio/{base}", estimate.value))
            for key, estimate in group.score_metrics.items():
                if estimate.value is not None:
                    items.append((f"{key}/{base}", estimate.value))
        for key, estimate in feature.disparities.items():
            for suffix, value in (("", estimate.value), ("_ci_low", estimate.ci_low), ("_ci_high", estimate.ci_high)):
                if value is not None:
                    items.append((f"{key}{suffix}/{feature_slug}", value))
    items.append(("gates_passed", 1.0 if result.verdict.passed else 0.0))
    return items


def group_table(result: AuditResult, feature_name: str) -> dict[str, list[Any]]:
    """Column-oriented per-group table with the raw group values, for ``log_table``."""
    feature = result.fairness.feature(feature_name)
    table: dict[str, list[Any]] = {"group": [], "is_reference": [], "n": [], "n_negative": [], "n_positive": []}
    for key in result.fairness.metrics:
        for suffix in ("", "_ci_low", "_ci_high", "_status"):
            table[f"{key}{suffix}"] = []
        table[f"{key}_ratio"] = []
    for group in feature.groups:
        table["group"].append(group.group)
        table["is_reference"].append(group.is_reference)
        table["n"].append(group.n)
        table["n_negative"].append(group.n_negative)
        table["n_positive"].append(group.n_positive)
        for key in result.fairness.metrics:
            estimate = group.metrics[key]
            table[key].append(estimate.value)
            table[f"{key}_ci_low"].append(estimate.ci_low)
            table[f"{key}_ci_high"].append(estimate.ci_high)
            table[f"{key}_status"].append(estimate.status)
            ratio = group.ratio.get(key)
            table[f"{key}_ratio"].append(ratio.value if ratio else None)
    return table


def _metrics(result: AuditResult) -> list[Any]:
    from mlflow.entities import Metric

    now = int(time.time() * 1000)
    return [Metric(key=name, value=float(value), timestamp=now, step=0) for name, value in metric_items(result)]


def _params(result: AuditResult) -> list[Any]:
    from mlflow.entities import Param

    values = {
        "config_digest": result.run.config_digest,
        "seed": result.run.seed,
        "threshold": result.model.threshold,
        "model_kind": result.model.info.kind,
        "model_source": result.model.info.source,
        "model_sha256": result.model.info.sha256,
        "data_file": result.data.file,
        "data_sha256": result.data.sha256,
        "n_rows": result.data.n_rows,
        "n_boot": result.fairness.n_boot,
        "confidence_level": result.fairness.confidence_level,
        "min_group_size": result.fairness.min_group_size,
    }
    return [Param(k, str(v)[:6000]) for k, v in values.items() if v is not None]


def _tags(result: AuditResult) -> dict[str, str]:
    tags = {
        "ethicscheck.verdict": result.verdict.label,
        "ethicscheck.version": result.run.ethicscheck_version,
        "ethicscheck.config": result.run.name,
        "ethicscheck.config_digest": result.run.config_digest,
    }
    details = result.model.info.details
    if details.get("registered_model"):  # lets regression gates and history find audits of a model version
        tags["ethicscheck.model_name"] = details["registered_model"]
        tags["ethicscheck.model_version"] = details["model_version"]
    return tags


@contextmanager
def _quiet_mlflow() -> Iterator[None]:
    """Hide MLflow's own deprecation and future warnings so ``-W error`` users are not broken by them."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        warnings.filterwarnings("ignore", category=FutureWarning)
        warnings.filterwarnings("ignore", category=UserWarning, module="mlflow")
        yield
