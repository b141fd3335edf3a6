"""``ethicscheck compare``: baseline and mitigation candidates on the same splits and seeds."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ethicscheck.cli._console import ConsoleReporter, out

__all__ = ["compare"]


def compare(
    config: Annotated[Path, typer.Option("--config", "-c", help="Comparison config (see configs/compare_demo.yaml).")],
    out_dir: Annotated[
        Path | None, typer.Option("--out", "-o", help="Report folder (default: out_dir of the config, else reports/<name>).")
    ] = None,
    tracking_uri: Annotated[str | None, typer.Option("--tracking-uri", help="MLflow tracking URI.")] = None,
) -> int:
    """Train the baseline and every candidate per seed; compare FPR gaps, accuracy and membership-inference risk."""
    from ethicscheck.compare import load_compare_config, report_comparison

    outcome = report_comparison(load_compare_config(config), out_dir=out_dir, tracking_uri=tracking_uri, reporter=ConsoleReporter())
    for finding in outcome.findings:
        out.print(f"- {finding}", markup=False)
    out.print(f"Comparison ({outcome.result.seconds:.0f} s): {outcome.files['comparison.html']}", markup=False)
    if outcome.tracking is not None and outcome.tracking.logged:
        info = outcome.tracking
        out.print(f"MLflow parent run {info.run_id} at {info.tracking_uri} ({len(outcome.result.runs)} child runs)", markup=False)
    return 0
