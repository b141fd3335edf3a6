"""The short summary printed after an audit."""

from __future__ import annotations

from rich.table import Table

from ethicscheck.audit import AuditOutcome
from ethicscheck.cards import findings
from ethicscheck.cli._console import out

__all__ = ["print_summary"]

_STYLE = {"pass": "green", "fail": "bold red", "warn": "yellow", "no_data": "dim"}


def print_summary(outcome: AuditOutcome) -> None:
    """Findings, gate outcomes and where the report is."""
    result = outcome.result
    out.print()
    noun = result.run.config.get("card", {}).get("item_noun", "records")
    for finding in findings(result, noun)[:6]:
        out.print(f"• {finding.text}", markup=False)
    if result.verdict.outcomes:
        table = Table(title="Gates", show_lines=False)
        for column in ("gate", "feature", "result", "detail"):
            table.add_column(column)
        for o in result.verdict.outcomes:
            table.add_row(o.gate, o.feature, f"[{_STYLE[o.status]}]{o.status}[/]", o.message)
        out.print(table)
    out.print(f"Verdict: [bold]{result.verdict.label}[/] · report: {outcome.report_dir}")
    if result.tracking is not None and result.tracking.logged:
        out.print(f"MLflow run {result.tracking.run_id} at {result.tracking.tracking_uri}", markup=False)
