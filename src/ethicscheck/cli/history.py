"""``ethicscheck history``: how a model's audits moved across versions."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ethicscheck.cli._console import out, print_json
from ethicscheck.errors import ConfigError

__all__ = ["history"]


def history(
    model: Annotated[str | None, typer.Option("--model", help="Registered model, e.g. models:/screener.")] = None,
    experiment: Annotated[str | None, typer.Option("--experiment", help="Or: every audit in this experiment.")] = None,
    tracking_uri: Annotated[str | None, typer.Option("--tracking-uri", help="MLflow tracking URI.")] = None,
    chart: Annotated[Path | None, typer.Option("--chart", help="Write the trend chart here (.svg or .png).")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the audits as JSON on stdout (and still write the chart).")] = False,
) -> int:
    """List the audits of each model version with headline rates and verdicts, and draw the trend."""
    from ethicscheck.tracking import audit_history, resolve_tracking_uri, trend_chart

    if bool(model) == bool(experiment):
        raise ConfigError("Pass exactly one of --model models:/name or --experiment NAME.")
    records = audit_history(tracking_uri=resolve_tracking_uri(None, tracking_uri), model=model, experiment=experiment)
    subject = model or f"experiment {experiment}"
    if not records:
        if json_output:
            print_json({"subject": subject, "audits": [], "chart": None})
        else:
            out.print(f"No ethicscheck audits found for {subject}.", markup=False)
        return 0
    target = chart or Path("reports") / f"history_{(model or experiment or 'audits').replace(':/', '_').replace('/', '_')}.svg"
    target.parent.mkdir(parents=True, exist_ok=True)
    trend_chart(records, target, title=f"Fairness over time: {subject}")
    if json_output:
        print_json({"subject": subject, "audits": [asdict(r) for r in records], "chart": str(target)})
        return 0
    table = Table(title=f"ethicscheck audits of {subject}")
    for column in ("version", "date", "audit", "verdict", "FPR", "FNR", "worst FPR ratio (95% CI)", "run"):
        table.add_column(column)
    for r in records:
        if r.task == "verification":
            continue
        ci = f" ({r.worst_fpr_ratio_ci[0]:.2f}-{r.worst_fpr_ratio_ci[1]:.2f})" if None not in r.worst_fpr_ratio_ci else ""
        ratio = f"{r.worst_fpr_ratio:.2f}{ci} [{r.feature}]" if r.worst_fpr_ratio is not None else "—"
        table.add_row(r.model_version or "—", r.started[:10], r.audit, r.verdict, _pct(r.fpr), _pct(r.fnr), ratio, r.run_id[:8])
    if table.row_count:
        out.print(table)
    faces = [r for r in records if r.task == "verification"]
    if faces:
        matching = Table(title=f"ethicscheck face-matching audits of {subject}")
        for column in ("version", "date", "audit", "verdict", "threshold", "FMR", "FNMR", "highest FMR / geometric mean (95% CI)", "run"):
            matching.add_column(column)
        for r in faces:
            low, high = r.fmr_max_over_geomean_ci
            interval = f" ({low:.2f}-{high:.2f})" if low is not None and high is not None else ""
            spread = f"{r.fmr_max_over_geomean:.2f}{interval} [{r.feature}]" if r.fmr_max_over_geomean is not None else "—"
            fmr = "—" if r.fmr is None else f"{r.fmr:.2e}"
            matching.add_row(
                r.model_version or "—", r.started[:10], r.audit, r.verdict, r.point or "—", fmr, _pct(r.fnmr), spread, r.run_id[:8]
            )
        out.print(matching)
    out.print(f"Trend chart: {target}", markup=False)
    return 0


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"
