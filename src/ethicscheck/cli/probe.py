"""``ethicscheck probe``: the audit with its counterfactual term-swap probes on (default settings when the config has none)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ethicscheck.cli.audit import run_config

__all__ = ["probe"]


def probe(
    config: Annotated[Path, typer.Option("--config", "-c", help="YAML audit config (its probes: section, or the defaults).")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Report folder (default: reports/<name>).")] = None,
    tracking_uri: Annotated[str | None, typer.Option("--tracking-uri", help="MLflow tracking URI (overrides the config).")] = None,
    no_tracking: Annotated[bool, typer.Option("--no-tracking", help="Do not log to MLflow.")] = False,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the verdict, gate outcomes and report paths as JSON on stdout.")
    ] = False,
) -> int:
    """Would an ad be flagged if it named another nationality? Swap identity terms, score the copies, report with intervals."""
    # An empty section merged into the config's own: its settings where it has them, the defaults where not.
    return run_config(
        config, out=out, tracking_uri=tracking_uri, no_tracking=no_tracking, json_output=json_output, overrides={"probes": {}}
    )
