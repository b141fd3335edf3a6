"""How a model's audits changed across versions (or across runs of an experiment)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ethicscheck._plotting import OKABE_ITO, chart_style, save_figure
from ethicscheck.errors import TrackingError
from ethicscheck.tracking._log import mlflow_errors, quiet_mlflow
from ethicscheck.tracking._uri import public_uri

__all__ = ["AuditRecord", "audit_history", "trend_chart"]


@dataclass(frozen=True)
class AuditRecord:
    """One logged audit, with its headline figures."""

    run_id: str
    started: str
    audit: str
    model_version: str | None
    verdict: str
    fpr: float | None
    fnr: float | None
    worst_fpr_ratio: float | None
    worst_fpr_ratio_ci: tuple[float | None, float | None]
    feature: str | None
    task: str = "classification"
    #: face-matching audits: the operating point of the headline (the audited target FMR closest to 1e-4), the overall
    #: FMR and FNMR there, and the largest FMR max / geometric mean over the attributes (NIST's summary) with its
    #: interval (None where the run did not log one: audits logged before ethicscheck logged summary intervals)
    point: str | None = None
    fmr: float | None = None
    fnmr: float | None = None
    fmr_max_over_geomean: float | None = None
    fmr_max_over_geomean_ci: tuple[float | None, float | None] = (None, None)


def audit_history(*, tracking_uri: str, model: str | None = None, experiment: str | None = None) -> list[AuditRecord]:
    """Audits of every version of ``models:/name`` (or of one experiment), oldest first.

    The headline disparity is the worst group's FPR ratio to the reference on the first feature
    (``fpr_max_ratio_to_reference/<feature>`` with its CI).
    """
    with quiet_mlflow(), mlflow_errors(tracking_uri):
        import mlflow

        client = mlflow.MlflowClient(tracking_uri=tracking_uri)
        if model:
            name = model.removeprefix("models:/").split("/")[0].split("@")[0]
            where = f"tags.`ethicscheck.model_name` = '{name}'"
            experiments = [e.experiment_id for e in client.search_experiments()]
        else:
            found = client.get_experiment_by_name(experiment or "ethicscheck")
            if found is None:
                raise TrackingError(f"No experiment named '{experiment}' at {public_uri(tracking_uri)}.")
            where, experiments = "tags.`ethicscheck.version` != ''", [found.experiment_id]
        runs = (
            client.search_runs(experiments, filter_string=where, order_by=["attributes.start_time ASC"], max_results=5000)
            if experiments
            else []
        )
    return [_record(run) for run in runs]


def _record(run: Any) -> AuditRecord:  # an mlflow.entities.Run
    metrics, tags = run.data.metrics, run.data.tags
    if tags.get("ethicscheck.task") == "verification":
        return _verification_record(run)
    ratio_keys = sorted(k for k in metrics if k.startswith("fpr_max_ratio_to_reference/") and not k.endswith(("_ci_low", "_ci_high")))
    key = ratio_keys[0] if ratio_keys else None
    feature = key.split("/", 1)[1] if key else None
    started = datetime.fromtimestamp(run.info.start_time / 1000, tz=timezone.utc).isoformat(timespec="seconds")
    return AuditRecord(
        run_id=run.info.run_id,
        started=started,
        audit=tags.get("ethicscheck.config", ""),
        model_version=tags.get("ethicscheck.model_version"),
        verdict=tags.get("ethicscheck.verdict", "?"),
        fpr=metrics.get("fpr/overall"),
        fnr=metrics.get("fnr/overall"),
        worst_fpr_ratio=metrics.get(key) if key else None,
        worst_fpr_ratio_ci=(
            metrics.get(f"fpr_max_ratio_to_reference_ci_low/{feature}"),
            metrics.get(f"fpr_max_ratio_to_reference_ci_high/{feature}"),
        )
        if feature
        else (None, None),
        feature=feature,
    )


def _verification_record(run: Any) -> AuditRecord:
    metrics, tags = run.data.metrics, run.data.tags
    targets = {k.removeprefix("fmr_at_").removesuffix("/overall") for k in metrics if k.startswith("fmr_at_") and k.endswith("/overall")}
    numeric = {t: float(t) for t in targets if _is_number(t)}
    point = min(numeric, key=lambda t: abs(math.log10(numeric[t]) + 4)) if numeric else (sorted(targets)[0] if targets else None)
    spreads = {k: v for k, v in metrics.items() if point is not None and k.startswith(f"fmr_max_over_geomean_at_{point}/")}
    spread_keys = sorted(spreads, key=lambda k: -spreads[k])  # the attribute with the largest spread first
    feature = spread_keys[0].split("/", 1)[1] if spread_keys else None
    return AuditRecord(
        run_id=run.info.run_id,
        started=datetime.fromtimestamp(run.info.start_time / 1000, tz=timezone.utc).isoformat(timespec="seconds"),
        audit=tags.get("ethicscheck.config", ""),
        model_version=tags.get("ethicscheck.model_version"),
        verdict=tags.get("ethicscheck.verdict", "?"),
        fpr=None,
        fnr=None,
        worst_fpr_ratio=None,
        worst_fpr_ratio_ci=(None, None),
        feature=feature,
        task="verification",
        point=None if point is None else (f"fmr@{point}" if _is_number(point) else point),
        fmr=metrics.get(f"fmr_at_{point}/overall"),
        fnmr=metrics.get(f"fnmr_at_{point}/overall"),
        fmr_max_over_geomean=metrics.get(spread_keys[0]) if spread_keys else None,
        fmr_max_over_geomean_ci=(
            metrics.get(f"fmr_max_over_geomean_ci_low_at_{point}/{feature}"),
            metrics.get(f"fmr_max_over_geomean_ci_high_at_{point}/{feature}"),
        )
        if feature
        else (None, None),
    )


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def trend_chart(records: list[AuditRecord], path: Path, *, title: str) -> Path:
    """A chart of the worst FPR ratio (with its CI) and overall FPR across audits, as SVG or PNG."""
    if records and records[-1].task == "verification":
        return _verification_trend(records, path, title=title)
    labels = [f"v{r.model_version}" if r.model_version else r.started[:10] for r in records]
    x = range(len(records))
    shown = [i for i, r in enumerate(records) if r.worst_fpr_ratio is not None]
    values = [_or(r.worst_fpr_ratio, 0.0) for r in records]
    low = [_or(r.worst_fpr_ratio_ci[0], v) for r, v in zip(records, values)]
    high = [_or(r.worst_fpr_ratio_ci[1], v) for r, v in zip(records, values)]
    with chart_style() as plt:
        figure, (top, bottom) = plt.subplots(2, 1, figsize=(8, 5.5), sharex=True)
        top.errorbar(
            shown,
            [values[i] for i in shown],
            yerr=[[values[i] - low[i] for i in shown], [high[i] - values[i] for i in shown]],
            fmt="o-",
            color=OKABE_ITO[0],
            capsize=4,
        )
        top.axhline(1.0, color="#1a1a1a", linestyle="--", linewidth=1)
        top.set_ylabel("worst group's FPR\n÷ reference")
        top.set_title(title)
        bottom.plot(
            list(x),
            [r.fpr if r.fpr is not None else float("nan") for r in records],
            "o-",
            color=OKABE_ITO[1],
            label="FPR (wrongly flagged)",
        )
        bottom.plot(
            list(x), [r.fnr if r.fnr is not None else float("nan") for r in records], "s-", color=OKABE_ITO[2], label="FNR (missed)"
        )
        bottom.set_ylabel("overall rate")
        bottom.legend(loc="best", frameon=False)
        bottom.set_xticks(list(x), labels, rotation=30, ha="right")
        figure.tight_layout()
        return save_figure(figure, path)


def _or(value: float | None, default: float) -> float:
    """``value``, or ``default`` where it is missing (only points with a value are drawn)."""
    return default if value is None else value


def _verification_trend(records: list[AuditRecord], path: Path, *, title: str) -> Path:
    """Face-matching audits: the first attribute's FMR max / geometric mean and the overall FMR and FNMR at the headline."""
    records = [r for r in records if r.task == "verification"]
    labels = [f"v{r.model_version}" if r.model_version else r.started[:10] for r in records]
    x = list(range(len(records)))

    def series(values: list[float | None]) -> list[float]:
        return [float("nan") if v is None else v for v in values]

    with chart_style() as plt:
        figure, (top, bottom) = plt.subplots(2, 1, figsize=(8, 5.5), sharex=True)
        spread = series([r.fmr_max_over_geomean for r in records])
        low = [_or(r.fmr_max_over_geomean_ci[0], v) for r, v in zip(records, spread)]
        high = [_or(r.fmr_max_over_geomean_ci[1], v) for r, v in zip(records, spread)]
        below, above = [v - lo for v, lo in zip(spread, low)], [hi - v for v, hi in zip(spread, high)]
        top.errorbar(x, spread, yerr=[below, above], fmt="o-", color=OKABE_ITO[0], capsize=4)
        top.axhline(1.0, color="#1a1a1a", linestyle="--", linewidth=1)
        top.set_ylabel("highest group's FMR\n÷ geometric mean")
        top.set_title(title)
        bottom.plot(x, series([r.fmr for r in records]), "o-", color=OKABE_ITO[1], label="FMR (different people matched)")
        bottom.plot(x, series([r.fnmr for r in records]), "s-", color=OKABE_ITO[2], label="FNMR (same person missed)")
        bottom.set_yscale("log")
        bottom.set_ylabel("overall rate at the headline threshold")
        bottom.legend(loc="best", frameon=False)
        bottom.set_xticks(x, labels, rotation=30, ha="right")
        figure.tight_layout()
        return save_figure(figure, path)
