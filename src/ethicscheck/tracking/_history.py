"""How a model's audits changed across versions (or across runs of an experiment)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

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


def _record(run) -> AuditRecord:  # type: ignore[no-untyped-def]
    metrics, tags = run.data.metrics, run.data.tags
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


def trend_chart(records: list[AuditRecord], path: Path, *, title: str) -> Path:
    """A chart of the worst FPR ratio (with its CI) and overall FPR across audits, as SVG or PNG."""
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
