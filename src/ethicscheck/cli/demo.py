"""``ethicscheck demo``: build the synthetic corpus and demo model, then audit it with configs/demo.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ethicscheck.cli._console import ConsoleReporter, out
from ethicscheck.cli._summary import print_summary

__all__ = ["demo", "demo_config_path"]


def demo(
    folder: Annotated[Path, typer.Option("--out", "-o", help="Report folder.")] = Path("reports/demo"),
    tracking_uri: Annotated[str | None, typer.Option("--tracking-uri", help="MLflow tracking URI.")] = None,
    config: Annotated[Path | None, typer.Option("--config", "-c", help="Demo config (default: the bundled demo.yaml).")] = None,
) -> int:
    """Generate synthetic recruitment ads, train a naive text model, and audit it end to end."""
    from ethicscheck.audit import run_audit
    from ethicscheck.config import load_config
    from ethicscheck.synth import build_demo_inputs

    reporter = ConsoleReporter()
    reporter.stage("Generating the synthetic ad corpus and training the demo model")
    inputs = build_demo_inputs(folder / "inputs")
    config_path = config or demo_config_path()
    overrides = {"data": {"path": str(inputs.eval_path.resolve())}, "model": {"path": str(inputs.model_path.resolve())}}
    loaded = load_config(config_path, overrides=overrides)
    outcome = run_audit(loaded, out_dir=folder, tracking_uri=tracking_uri, config_dir=config_path.parent, reporter=reporter)
    print_summary(outcome)
    if not outcome.result.verdict.passed:
        out.print(
            "The demo model's planted bias fails the gate, as intended: `ethicscheck audit` with this config "
            "exits 1. Open the model card to see who is wrongly flagged.",
            markup=False,
        )
    return 0  # the demo succeeded when the audit ran; its verdict is the lesson, not an error


def demo_config_path() -> Path:
    """The bundled demo config (a copy of configs/demo.yaml inside the package)."""
    return Path(__file__).resolve().parent.parent / "configs" / "demo.yaml"
