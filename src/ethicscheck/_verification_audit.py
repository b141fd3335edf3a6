"""Run a face-matching (verification) audit: the comparisons file through the verification stage, then the same
verdict, report folder, CI files and MLflow logging as a classification audit.

comparisons file -> checked comparisons -> verification statistics -> gates -> result -> cards -> MLflow
"""

from __future__ import annotations

from pathlib import Path

from ethicscheck import __version__
from ethicscheck._personal_data import keep_pseudonyms, protect_columns, protect_config
from ethicscheck._provenance import config_digest, now, package_versions, public_config, published_file_name
from ethicscheck._reporter import Reporter, SilentReporter, report_not_logged, timed
from ethicscheck._staging import staged_folder
from ethicscheck.cards import write_verification_cards
from ethicscheck.config import AuditConfig, VerificationConfig
from ethicscheck.data import apply_filter, file_sha256, read_options, read_table
from ethicscheck.errors import TrackingError
from ethicscheck.gates import evaluate_verification_gates, load_verification_baseline, publish_summary, summary_markdown, write_junit
from ethicscheck.result import ComparisonsSummary, RunInfo, TrackingInfo, VerificationAuditResult
from ethicscheck.verification import Comparisons, SideFeature, assess_verification

__all__ = ["read_comparisons", "run_verification_audit"]


def run_verification_audit(
    config: AuditConfig,
    *,
    out_dir: Path | None = None,
    tracking_uri: str,
    reporter: Reporter | None = None,
) -> tuple[VerificationAuditResult, Path, dict[str, Path]]:
    """Audit the comparisons of ``config`` (``task: verification``); returns the result, the report folder and its files.

    Raises
    ------
    EthicsCheckError
        Bad config or comparisons (exit 2). When MLflow fails and ``tracking.required`` is true, a ``TrackingError``
        is raised after the report is written.
    """
    from dataclasses import replace

    from ethicscheck.tracking import log_verification_audit

    assert config.verification is not None  # the config validator guarantees it for task: verification
    settings = config.verification
    reporter = reporter or SilentReporter()
    started = now()
    timings: dict[str, float] = {}
    report_dir = Path(out_dir or config.output.dir or Path("reports") / config.name)
    # Contact data in card fields, feature names and group values becomes pseudonyms before anything is computed
    # from them (or stops the audit: privacy.on_personal_data), judged by the self-scan's recognizers.
    config, named = protect_config(config)
    public_name = published_file_name(config, config.data.path.name)
    baselines = {g.regression.baseline: load_verification_baseline(g.regression.baseline) for g in config.gates if g.regression}
    with timed(timings, "load_data"):
        reporter.stage(f"Reading the comparisons in {public_name}")
        comparisons, groups = read_comparisons(config)
    pseudonyms = {**groups, **named}
    with timed(timings, "verification"):
        reporter.stage(f"Measuring false-match and false non-match rates by group ({comparisons.n_comparisons:,} comparisons)")
        verification = assess_verification(
            comparisons,
            targets=settings.targets,
            thresholds=settings.thresholds,
            n_boot=config.fairness.n_boot,
            confidence_level=config.fairness.confidence_level,
            alpha=settings.alpha,
            min_genuine_pairs=settings.min_genuine_pairs,
            references={f.display_name: f.reference for f in config.data.sensitive_features if f.reference},
            seed=config.seed,
        )
    verdict = evaluate_verification_gates(verification, config.gates, baselines=baselines)
    published = public_config(config)
    result = VerificationAuditResult(
        run=RunInfo(
            name=config.name,
            ethicscheck_version=__version__,
            seed=config.seed,
            config_digest=config_digest(published),
            config=published,
            packages=package_versions(),
            started_at=started,
            finished_at=now(),
            timings={k: round(v, 3) for k, v in timings.items()},
        ),
        data=ComparisonsSummary(
            file=public_name,
            sha256=file_sha256(config.data.path),
            n_rows=verification.n_comparisons,
            n_genuine=verification.n_genuine,
            n_impostor=verification.n_impostor,
            n_subjects=verification.n_subjects,
            score_column=settings.score_column,
            higher_is_more_similar=settings.higher_is_more_similar,
            sensitive_features=tuple(f.display_name for f in config.data.sensitive_features),
        ),
        verification=verification,
        verdict=verdict,
    )
    not_logged: TrackingError | None = None
    with staged_folder(report_dir) as staging:
        files = _write_report(result, config, settings, staging)
        if config.tracking.enabled:
            reporter.stage("Logging to MLflow")
            try:
                tracking = log_verification_audit(
                    result,
                    tracking_uri=tracking_uri,
                    experiment=config.tracking.experiment,
                    artifacts=[p for n, p in files.items() if n != "audit.json"],
                    timeout=config.tracking.timeout_s,
                )
            except TrackingError as exc:
                not_logged = exc
                tracking = TrackingInfo(logged=False, message=str(exc))
            result = replace(result, tracking=tracking)
            result.write_json(files["audit.json"])
    files = {name: report_dir / path.name for name, path in files.items()}
    keep_pseudonyms(pseudonyms, report_dir, reporter)
    publish_summary(files["summary.md"].read_text(encoding="utf-8"), report_dir, step_summary=True)
    if not_logged is not None:
        report_not_logged(not_logged, report_dir, reporter, required=config.tracking.required)
    return result, report_dir, files


def read_comparisons(config: AuditConfig) -> tuple[Comparisons, dict[str, str]]:
    """Read and check the comparisons file of a verification config; group names with contact data become pseudonyms.

    Raises
    ------
    DataError
        The file cannot be read, a configured column is missing, or the comparisons are inconsistent.
    """
    assert config.verification is not None
    settings: VerificationConfig = config.verification
    data = config.data
    first, second = settings.side_suffixes
    frame = read_table(data.path, format=data.format, what="comparisons", options=read_options(data))
    frame, _ = apply_filter(frame, data.filter, source=data.path.name)
    sides = [f"{f.column}{suffix}" for f in data.sensitive_features for suffix in (first, second)]
    frame, pseudonyms = protect_columns(config, frame, [c for c in sides if c in frame.columns])
    features = [SideFeature(f.display_name, f"{f.column}{first}", f"{f.column}{second}") for f in data.sensitive_features]
    by_column = {f.column: f.display_name for f in data.sensitive_features}
    intersections = (
        data.intersections if isinstance(data.intersections, str) else [[by_column[c] for c in combo] for combo in data.intersections]
    )
    comparisons = Comparisons.from_frame(
        frame,
        genuine_column=data.label.column,
        genuine_value=data.label.positive,
        subject_columns=settings.subject_columns,
        features=features,
        score_column=settings.score_column,
        decision_column=settings.decision_column,
        match_value=settings.match_value,
        higher_is_more_similar=settings.higher_is_more_similar,
        intersections=intersections,
        source=f"The comparisons file {data.path.name}",
    )
    return comparisons, pseudonyms


def _write_report(result: VerificationAuditResult, config: AuditConfig, settings: VerificationConfig, folder: Path) -> dict[str, Path]:
    """audit.json, the cards and charts, junit.xml and summary.md."""
    files = {"audit.json": result.write_json(folder / "audit.json")}
    for path in write_verification_cards(result, config.card, settings, folder):
        files[path.name] = path
    files["junit.xml"] = write_junit(result.verdict, folder / "junit.xml", suite=config.name)
    files["summary.md"] = publish_summary(summary_markdown(result.verdict, audit=config.name), folder, step_summary=False)[0]
    return files
