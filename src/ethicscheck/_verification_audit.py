"""Run a face-matching (verification) audit: the comparisons file through the verification stage, then the same
verdict, report folder, CI files and MLflow logging as a classification audit.

comparisons file -> checked comparisons -> counts at the thresholds -> verification statistics -> gates -> result
-> cards -> MLflow

The counts come from the comparisons in memory (``data.engine: pandas``) or from batches of the file
(``stream``: a CSV, a Parquet file or a folder of Parquet files; memory follows ``data.batch_rows``); both give the
same counts, so the same audit.json apart from timings and the engine's provenance.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ethicscheck import __version__
from ethicscheck._personal_data import keep_pseudonyms, protect_columns, protect_config, protect_groups, publish_without_personal_data
from ethicscheck._provenance import config_digest, now, package_versions, public_config, published_file_name
from ethicscheck._reporter import Reporter, SilentReporter, report_not_logged, timed
from ethicscheck._staging import staged_folder
from ethicscheck._verification_spark import spark_comparisons, spark_sha256
from ethicscheck.cards import write_verification_cards
from ethicscheck.config import AuditConfig, VerificationConfig
from ethicscheck.data import apply_filter, path_sha256, read_options, read_table
from ethicscheck.engines import EngineName, choose_engine
from ethicscheck.engines._batches import source_columns
from ethicscheck.errors import DataError, TrackingError
from ethicscheck.gates import evaluate_verification_gates, load_verification_baseline, publish_summary, summary_markdown, write_junit
from ethicscheck.result import ComparisonsSummary, RunInfo, TrackingInfo, VerificationAuditResult
from ethicscheck.verification import (
    BatchSource,
    ComparisonColumns,
    Comparisons,
    CountedComparisons,
    SideFeature,
    VerificationSettings,
    assess_counted,
    count_comparisons,
    stream_comparisons,
    verification_settings,
)

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
    engine = choose_engine(config.data)
    statistics = verification_settings(
        has_score=settings.score_column is not None,
        higher_is_more_similar=settings.higher_is_more_similar,
        targets=settings.targets,
        thresholds=settings.thresholds,
        n_boot=config.fairness.n_boot,
        confidence_level=config.fairness.confidence_level,
        alpha=settings.alpha,
        min_genuine_pairs=settings.min_genuine_pairs,
        seed=config.seed,
    )
    counted, groups, provenance = _count(config, engine, statistics, public_name, reporter, timings)
    pseudonyms = {**groups, **named}
    with timed(timings, "verification"):
        reporter.stage(f"Measuring false-match and false non-match rates by group ({counted.n_comparisons:,} comparisons)")
        verification = assess_counted(
            counted, statistics, references={f.display_name: f.reference for f in config.data.sensitive_features if f.reference}
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
            engine=provenance,
        ),
        data=ComparisonsSummary(
            file=public_name,
            sha256=spark_sha256(config) if engine == "spark" else path_sha256(config.data.path),
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
        if config.privacy.scan_artifacts:
            # Scan what we are about to publish: what the recognizers find (a phone number in a group noun, a gate name)
            # becomes a pseudonym and the report is written again, or the audit stops (privacy.on_personal_data).
            reporter.stage("Scanning the report files for personal data")
            scanned = publish_without_personal_data(
                result, config, files, write=lambda r, c: _write_report(r, c, c.verification or settings, staging), known_values=set()
            )
            result, config, files = scanned.result, scanned.config, scanned.files
            pseudonyms = {**pseudonyms, **scanned.pseudonyms}
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
    comparisons, pseudonyms, _ = _read_in_memory(config)
    return comparisons, pseudonyms


def comparison_columns(config: AuditConfig) -> ComparisonColumns:
    """How the comparisons file's columns map onto comparisons (``data`` and ``verification`` sections)."""
    assert config.verification is not None
    settings: VerificationConfig = config.verification
    data = config.data
    first, second = settings.side_suffixes
    by_column = {f.column: f.display_name for f in data.sensitive_features}
    intersections = (
        data.intersections if isinstance(data.intersections, str) else [[by_column[c] for c in combo] for combo in data.intersections]
    )
    return ComparisonColumns(
        genuine_column=data.label.column,
        genuine_value=data.label.positive,
        subject_columns=settings.subject_columns,
        features=tuple(SideFeature(f.display_name, f"{f.column}{first}", f"{f.column}{second}") for f in data.sensitive_features),
        score_column=settings.score_column,
        decision_column=settings.decision_column,
        match_value=settings.match_value,
        higher_is_more_similar=settings.higher_is_more_similar,
        intersections=intersections,
        source=f"The comparisons file {data.path.name}",
    )


def _count(
    config: AuditConfig,
    engine: EngineName,
    statistics: VerificationSettings,
    public_name: str,
    reporter: Reporter,
    timings: dict[str, float],
) -> tuple[CountedComparisons, dict[str, str], dict[str, Any]]:
    """The counts the statistics read, the group values given pseudonyms and the engine's provenance."""
    data = config.data
    if engine == "pandas":
        with timed(timings, "load_data"):
            reporter.stage(f"Reading the comparisons in {public_name}")
            comparisons, pseudonyms, rows_read = _read_in_memory(config)
        with timed(timings, "count"):
            return count_comparisons(comparisons, statistics), pseudonyms, {"name": "pandas", "rows_read": rows_read}
    columns = comparison_columns(config)
    protect = lambda values: protect_groups(config, values)  # noqa: E731
    if engine == "spark":
        with timed(timings, "count"):
            reporter.stage(f"Counting the comparisons in {public_name} on Spark ({config.spark.master}, three jobs)")
            on_spark, spark_provenance = spark_comparisons(config, columns, statistics, protect=protect)
        return on_spark.counted, on_spark.pseudonyms, spark_provenance
    path = Path(data.path)
    if not path.exists():
        raise DataError(f"The comparisons file {path} does not exist. Check data.path in the config.")
    source = BatchSource(path, format=data.format, options=read_options(data), batch_rows=data.batch_rows, predicates=tuple(data.filter))
    with timed(timings, "count"):
        reporter.stage(f"Reading the comparisons in {public_name} in batches of {data.batch_rows:,} rows (three passes)")
        streamed = stream_comparisons(
            source,
            columns,
            statistics,
            available=source_columns(path, data),
            protect=protect,
        )
    provenance: dict[str, Any] = {
        "name": "stream",
        "batch_rows": data.batch_rows,
        "batches": streamed.batches,
        "rows_read": streamed.rows_read,
    }
    return streamed.counted, streamed.pseudonyms, provenance


def _read_in_memory(config: AuditConfig) -> tuple[Comparisons, dict[str, str], int]:
    """The comparisons, the group values given pseudonyms, and the rows read before ``data.filter``."""
    data = config.data
    columns = comparison_columns(config)
    frame = read_table(data.path, format=data.format, what="comparisons", categorical=columns.grouping, options=read_options(data))
    rows_read = len(frame)
    frame, _ = apply_filter(frame, data.filter, source=data.path.name)
    sides = [c for f in columns.features for c in (f.column_a, f.column_b)]
    frame, pseudonyms = protect_columns(config, frame, [c for c in sides if c in frame.columns])
    return Comparisons.from_frame(frame, **columns.keywords()), pseudonyms, rows_read


def _write_report(result: VerificationAuditResult, config: AuditConfig, settings: VerificationConfig, folder: Path) -> dict[str, Path]:
    """audit.json, the cards and charts, junit.xml and summary.md."""
    files = {"audit.json": result.write_json(folder / "audit.json")}
    for path in write_verification_cards(result, config.card, settings, folder):
        files[path.name] = path
    files["junit.xml"] = write_junit(result.verdict, folder / "junit.xml", suite=config.name)
    files["summary.md"] = publish_summary(summary_markdown(result.verdict, audit=config.name), folder, step_summary=False)[0]
    return files
