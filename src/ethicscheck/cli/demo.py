"""``ethicscheck demo``: build the synthetic corpus and demo model, then audit it with configs/demo.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ethicscheck.cli._console import ConsoleReporter, out
from ethicscheck.cli._summary import print_summary

if TYPE_CHECKING:
    from ethicscheck.config import AuditConfig

__all__ = ["demo", "demo_config_path"]


def demo(
    folder: Annotated[Path, typer.Option("--out", "-o", help="Report folder.")] = Path("reports/demo"),
    tracking_uri: Annotated[str | None, typer.Option("--tracking-uri", help="MLflow tracking URI.")] = None,
    config: Annotated[Path | None, typer.Option("--config", "-c", help="Demo config (default: the bundled demo.yaml).")] = None,
    verification: Annotated[
        bool, typer.Option("--verification", help="Audit a synthetic face-matching system instead (verification_demo.yaml).")
    ] = False,
) -> int:
    """Generate synthetic recruitment ads, train a naive text model, and audit it end to end."""
    from ethicscheck.config import load_config
    from ethicscheck.synth import DemoInputs, build_demo_inputs
    from ethicscheck.tracking import audit_worker

    reporter = ConsoleReporter()
    if verification:
        return _verification_demo(folder if folder != Path("reports/demo") else Path("reports/verification_demo"), tracking_uri, config)
    reporter.stage("Generating the synthetic ad corpus and training the demo model")
    config_path = config or demo_config_path()
    planned = DemoInputs.in_folder(folder / "inputs")
    overrides = {"data": {"path": str(planned.eval_path.resolve())}, "model": {"path": str(planned.model_path.resolve())}}
    loaded = load_config(config_path, overrides=overrides)  # read first: the files it names are written next
    # MLflow's import starts on the second core now, while this process imports scikit-learn (and before the audit's
    # personal-data scan goes there); the corpus and model are written by a forked child meanwhile.
    with audit_worker(loaded, tracking_uri) as worker:
        build_demo_inputs(folder / "inputs", meanwhile=lambda: _prepare_audit(loaded))
        from ethicscheck.audit import run_audit

        outcome = run_audit(
            loaded, out_dir=folder, tracking_uri=tracking_uri, config_dir=config_path.parent, reporter=reporter, worker=worker
        )
    print_summary(outcome)
    if not outcome.result.verdict.passed:
        out.print(
            "The demo model's planted bias fails the gate, as intended: `ethicscheck audit` with this config "
            "exits 1. Open the model card to see who is wrongly flagged.",
            markup=False,
        )
    return 0  # the demo succeeded when the audit ran; its verdict is the lesson, not an error


def _verification_demo(folder: Path, tracking_uri: str | None, config: Path | None) -> int:
    """Generate synthetic face-matching comparisons with a planted differential and audit them."""
    from ethicscheck.audit import run_audit
    from ethicscheck.config import load_config
    from ethicscheck.synth import ComparisonSpec, generate_comparisons

    reporter = ConsoleReporter()
    reporter.stage("Generating synthetic face-matching comparisons (two different women are matched 3x as often)")
    inputs = folder / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    spec = ComparisonSpec(
        fmr_factor={"female": 3.0, "male": 1.0}, subjects_per_group=1000, impostors_per_group=300_000, cross_impostors=100_000
    )
    path = inputs / "comparisons.csv"
    generate_comparisons(spec, seed=0).to_csv(path, index=False)
    config_path = config or demo_config_path().with_name("verification_demo.yaml")
    loaded = load_config(config_path, overrides={"data": {"path": str(path.resolve())}})
    outcome = run_audit(loaded, out_dir=folder, tracking_uri=tracking_uri, config_dir=config_path.parent, reporter=reporter)
    print_summary(outcome)
    if not outcome.result.verdict.passed:
        out.print(
            "The planted differential fails the gate, as intended. Open the model card to see whom the system confuses.", markup=False
        )
    return 0


def _prepare_audit(config: AuditConfig) -> None:
    """While the demo's corpus is written and its model trained: build the audit's personal-data recognizers (presidio and
    spaCy, ~2 s).

    Every audit builds them first (to check the file names it prints and publishes); they are cached, so the audit
    finds them ready and its results are the same.
    """
    from ethicscheck.privacy import contact_finder

    contact_finder(tuple(config.privacy.phone_regions))


def demo_config_path() -> Path:
    """The bundled demo config (a copy of configs/demo.yaml inside the package)."""
    return Path(__file__).resolve().parent.parent / "configs" / "demo.yaml"
