"""``ethicscheck audit``: run one audit from a config file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ethicscheck.cli._console import ConsoleReporter, print_json
from ethicscheck.cli._summary import outcome_json, print_summary

__all__ = ["audit", "run_config"]


def audit(
    config: Annotated[Path, typer.Option("--config", "-c", help="YAML audit config.")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Report folder (default: reports/<name>).")] = None,
    tracking_uri: Annotated[str | None, typer.Option("--tracking-uri", help="MLflow tracking URI (overrides the config).")] = None,
    no_tracking: Annotated[bool, typer.Option("--no-tracking", help="Do not log to MLflow.")] = False,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the verdict, gate outcomes and report paths as JSON on stdout.")
    ] = False,
    engine: Annotated[
        str | None, typer.Option("--engine", help="How rows are read: pandas, stream or spark (overrides data.engine).")
    ] = None,
) -> int:
    """Audit a detection model for false positives by group and personal data; exit 1 if a gate fails or lacks evidence."""
    overrides: dict[str, object] | None = {"data": {"engine": engine}} if engine else None
    return run_config(config, out=out, tracking_uri=tracking_uri, no_tracking=no_tracking, json_output=json_output, overrides=overrides)


def run_config(
    config: Path,
    *,
    out: Path | None,
    tracking_uri: str | None,
    no_tracking: bool,
    json_output: bool,
    overrides: dict[str, object] | None = None,
) -> int:
    """Load the config (with ``overrides`` merged in), run the audit, print its summary; the exit code."""
    from ethicscheck.config import load_config
    from ethicscheck.tracking import audit_worker

    merged = {**(overrides or {}), **({"tracking": {"enabled": False}} if no_tracking else {})}
    loaded = load_config(config, overrides=merged or None)
    with audit_worker(loaded, tracking_uri) as worker:  # MLflow's import starts on the second core before the audit's own
        from ethicscheck.audit import run_audit

        outcome = run_audit(
            loaded, out_dir=out, tracking_uri=tracking_uri, config_dir=config.parent.resolve(), reporter=ConsoleReporter(), worker=worker
        )
    if json_output:
        print_json(outcome_json(outcome))
    else:
        print_summary(outcome)
    return outcome.exit_code
