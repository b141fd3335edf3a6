"""Log a face-matching audit as one MLflow run, like a classification audit: tags, params, metrics, audit.json, cards."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from ethicscheck._net import DEFAULT_TRACKING_TIMEOUT
from ethicscheck._vocabulary import VERIFICATION_RATES, mlflow_metric_key, verification_metric_name
from ethicscheck.result import TrackingInfo, VerificationAuditResult
from ethicscheck.tracking._log import audit_id, refuse_personal_data
from ethicscheck.tracking._send import AuditLog, send_audit_log
from ethicscheck.tracking._uri import public_uri, slug, unique_slugs

__all__ = ["log_verification_audit", "verification_metric_items"]


def log_verification_audit(
    result: VerificationAuditResult,
    *,
    tracking_uri: str,
    experiment: str,
    artifacts: list[Path],
    timeout: float = DEFAULT_TRACKING_TIMEOUT,
) -> TrackingInfo:
    """Log a verification audit as a new MLflow run (metrics ``fmr@1e-04/<feature>/<group>``, as MLflow spells them).

    Raises
    ------
    TrackingError
        The store cannot be reached or refused a call.
    PersonalDataError
        A param, metric key, tag, run or experiment name holds contact data; nothing was logged.
    """
    log = AuditLog(
        run_name=result.run.name,
        experiment=experiment,
        tags=_tags(result),
        params={k: str(v)[:6000] for k, v in _params(result).items() if v is not None},
        metrics=[(mlflow_metric_key(k), v) for k, v in verification_metric_items(result)],
        audit=result.to_dict(),
        tables={},
        artifacts=tuple(artifacts),
        description=None,
    )
    strings = [(value, f"MLflow param '{key}'") for key, value in log.params.items()]
    strings += [(name, "an MLflow metric key") for name, _ in log.metrics]
    strings += [(f"{f.name}\n" + "\n".join(f.groups), "a name in an MLflow metric key") for f in result.verification.features]
    strings += [(value, f"MLflow tag '{key}'") for key, value in log.tags.items()]
    strings += [(result.run.name, "the MLflow run name"), (experiment, "the MLflow experiment name")]
    refuse_personal_data(strings, config=result.run.config)
    experiment_id, run_id = send_audit_log(log, tracking_uri=tracking_uri, timeout=timeout)
    return TrackingInfo(logged=True, tracking_uri=public_uri(tracking_uri), experiment_id=experiment_id, run_id=run_id)


def verification_metric_items(result: VerificationAuditResult) -> list[tuple[str, float]]:
    """``(name, value)`` of every defined number: ``fmr@1e-04/<feature>/<group>``, ``fmr_ratio@...``, ``garbe@1e-04/<feature>``,
    and each summary's interval beside it (``garbe_ci_low@1e-04/<feature>``, ``garbe_ci_high@...``)."""
    items: list[tuple[str, float]] = []
    for point in result.verification.points:
        for rate in VERIFICATION_RATES:
            value = getattr(point, rate)
            if value is not None:
                items.append((f"{verification_metric_name(rate, point.key)}/overall", float(value)))
    for feature in result.verification.features:
        feature_slug = slug(feature.name)
        names = unique_slugs(list(feature.groups))
        for at in feature.points:
            for group in at.groups:
                for key in (*VERIFICATION_RATES, *(f"{r}_ratio" for r in VERIFICATION_RATES)):
                    estimate = getattr(group, key)
                    if estimate is not None and estimate.value is not None:
                        items.append(
                            (f"{verification_metric_name(key, at.point)}/{feature_slug}/{names[group.group]}", float(estimate.value))
                        )
            for key, estimate in at.summaries.items():
                if estimate.value is None:
                    continue
                for suffix, value in (("", estimate.value), ("_ci_low", estimate.ci_low), ("_ci_high", estimate.ci_high)):
                    if value is not None and math.isfinite(value):  # an unbounded limit (a zero rate below) is left out
                        items.append((f"{verification_metric_name(key + suffix, at.point)}/{feature_slug}", float(value)))
    items.append(("gates_passed", 1.0 if result.verdict.passed else 0.0))
    return items


def _params(result: VerificationAuditResult) -> dict[str, Any]:
    settings = result.verification.settings
    return {
        "task": "verification",
        "config_digest": result.run.config_digest,
        "seed": result.run.seed,
        "data_file": result.data.file,
        "data_sha256": result.data.sha256,
        "n_rows": result.data.n_rows,
        "targets": ",".join(f"{t:g}" for t in settings.targets),
        "thresholds": ",".join(f"{t:g}" for t in settings.thresholds),
        "n_boot": settings.n_boot,
        "confidence_level": settings.confidence_level,
        # how the comparisons were read: engine, batch size or master and partitions, rows read (as for classification)
        **{f"engine.{k}" if k != "name" else "engine": v for k, v in result.run.engine.items()},
    }


def _tags(result: VerificationAuditResult) -> dict[str, str]:
    return {
        "ethicscheck.audit_id": audit_id(result.to_dict()),
        "ethicscheck.task": "verification",
        "ethicscheck.verdict": result.verdict.label,
        "ethicscheck.verdict_status": result.verdict.status,
        "ethicscheck.version": result.run.ethicscheck_version,
        "ethicscheck.config": result.run.name,
        "ethicscheck.config_digest": result.run.config_digest,
    }
