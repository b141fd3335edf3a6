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
    from ethicscheck.compare import load_compare_config, run_comparison
    from ethicscheck.compare._candidates import candidate_specs
    from ethicscheck.compare._report import comparison_findings, write_comparison
    from ethicscheck.compare._tracking import log_comparison
    from ethicscheck.errors import TrackingError
    from ethicscheck.tracking import resolve_tracking_uri

    loaded = load_compare_config(config)
    reporter = ConsoleReporter()
    folder = out_dir or loaded.out_dir or Path("reports") / loaded.name
    total = len(candidate_specs(loaded)) * len(loaded.seeds)
    reporter.stage(f"Comparing {total // len(loaded.seeds)} candidates over {len(loaded.seeds)} seed(s)")
    with reporter.progress("Training and evaluating", total) as advance:

        def progress(label: str) -> None:
            advance(1)
            if not _terminal():
                reporter.stage(f"done: {label}")

        result = run_comparison(loaded, progress=progress)
    files = write_comparison(result, folder)
    for finding in comparison_findings(result):
        out.print(f"- {finding}", markup=False)
    out.print(f"Comparison ({result.seconds:.0f} s): {files['comparison.html']}", markup=False)
    if loaded.tracking.enabled:
        uri = resolve_tracking_uri(loaded.tracking.uri, tracking_uri)
        try:
            info = log_comparison(
                result,
                tracking_uri=uri,
                experiment=loaded.tracking.experiment,
                artifacts=[p for n, p in files.items() if n != "comparison.json"] + [files["comparison.json"]],
            )
        except TrackingError as exc:
            if loaded.tracking.required:
                raise
            reporter.warning(f"{exc} The local report is complete in {folder}.")
        else:
            out.print(f"MLflow parent run {info.run_id} at {info.tracking_uri} ({len(result.runs)} child runs)", markup=False)
    return 0


def _terminal() -> bool:
    from ethicscheck.cli._console import err

    return err.is_terminal
