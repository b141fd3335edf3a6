"""Run a comparison, write its report and log it to MLflow: what ``ethicscheck compare`` does, as a library call."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ethicscheck._reporter import Reporter, SilentReporter
from ethicscheck.compare._candidates import candidate_specs
from ethicscheck.compare._config import CompareConfig
from ethicscheck.compare._report import comparison_findings, write_comparison
from ethicscheck.compare._result import ComparisonResult
from ethicscheck.compare._run import run_comparison
from ethicscheck.compare._tracking import log_comparison
from ethicscheck.errors import TrackingError
from ethicscheck.result import TrackingInfo
from ethicscheck.tracking import resolve_tracking_uri

__all__ = ["ComparisonOutcome", "report_comparison"]


@dataclass(frozen=True)
class ComparisonOutcome:
    """The result, where its report files are, its findings in plain words and how it was logged."""

    result: ComparisonResult
    report_dir: Path
    files: dict[str, Path]
    findings: tuple[str, ...]
    tracking: TrackingInfo | None


def report_comparison(
    config: CompareConfig,
    *,
    out_dir: Path | None = None,
    tracking_uri: str | None = None,
    reporter: Reporter | None = None,
) -> ComparisonOutcome:
    """Run the comparison in ``config``, write its report folder and log it to MLflow when tracking is on.

    Parameters
    ----------
    config : CompareConfig
        Validated comparison config.
    out_dir : Path, optional
        Report folder; defaults to ``config.out_dir`` or ``reports/<name>``.
    tracking_uri : str, optional
        Overrides the configured MLflow tracking URI.
    reporter : Reporter, optional
        Receives progress (one step per candidate and seed); silent by default.

    Returns
    -------
    ComparisonOutcome

    Raises
    ------
    EthicsCheckError
        Bad config or data (exit code 2). When MLflow fails and ``tracking.required`` is true, a
        ``TrackingError`` is raised after the local report is written; otherwise the failure is a warning
        and ``tracking.logged`` is false.
    """
    reporter = reporter or SilentReporter()
    folder = out_dir or config.out_dir or Path("reports") / config.name
    total = len(candidate_specs(config)) * len(config.seeds)
    reporter.stage(f"Comparing {total // len(config.seeds)} candidates over {len(config.seeds)} seed(s)")
    with reporter.progress("Training and evaluating", total) as advance:
        result = run_comparison(config, progress=lambda label: advance(1, label))
    files = write_comparison(result, folder)
    tracking = None
    if config.tracking.enabled:
        uri = resolve_tracking_uri(config.tracking.uri, tracking_uri)
        reporter.stage(f"Logging to MLflow ({uri})")
        # comparison.json last: a reader that finds it in the run finds the rest of the report too.
        artifacts = [p for n, p in files.items() if n != "comparison.json"] + [files["comparison.json"]]
        try:
            tracking = log_comparison(result, tracking_uri=uri, experiment=config.tracking.experiment, artifacts=artifacts)
        except TrackingError as exc:
            if config.tracking.required:
                raise TrackingError(f"{exc} The local report is complete in {folder}.") from None
            reporter.warning(f"{exc} The local report is complete in {folder}.")
            tracking = TrackingInfo(logged=False, message=str(exc))
    return ComparisonOutcome(result=result, report_dir=folder, files=files, findings=tuple(comparison_findings(result)), tracking=tracking)
