"""``ethicscheck log``: upload a saved report to MLflow later, exactly once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ethicscheck.cli._console import out

__all__ = ["log"]


def log(
    report: Annotated[Path, typer.Argument(help="A report folder (reports/<name>) with audit.json.")],
    tracking_uri: Annotated[str | None, typer.Option("--tracking-uri", help="MLflow tracking URI.")] = None,
    experiment: Annotated[str, typer.Option("--experiment", help="Experiment for a new run.")] = "ethicscheck",
) -> int:
    """Log a saved audit to MLflow; does nothing if that audit is already there."""
    from ethicscheck.tracking import resolve_tracking_uri, upload_report

    info, uploaded = upload_report(report, tracking_uri=resolve_tracking_uri(None, tracking_uri), experiment=experiment)
    what = "Logged" if uploaded else "Already logged, nothing uploaded:"
    out.print(f"{what} run {info.run_id} at {info.tracking_uri}", markup=False)
    return 0
