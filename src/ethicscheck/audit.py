"""Run one audit end to end. This module is the only place where the stages are wired together.

data -> model -> predictions -> fairness + privacy -> gates -> AuditResult -> cards -> MLflow
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ethicscheck import __version__
from ethicscheck._adapters import assess_configured, sensitive_encodings
from ethicscheck._background import BackgroundFailed, forking_pays
from ethicscheck._heap import settle, settled_heap
from ethicscheck._personal_data import Protected, keep_pseudonyms, protect_config, protect_inputs, publish_without_personal_data
from ethicscheck._provenance import config_digest, now, package_versions, public_config, published_file_name
from ethicscheck._pseudonyms import pseudonymize_text
from ethicscheck._reporter import Reporter, SilentReporter, report_not_logged, timed
from ethicscheck._staging import staged_folder
from ethicscheck._verification_audit import run_verification_audit
from ethicscheck.config import AuditConfig
from ethicscheck.data import Dataset, load_dataset, missing_sensitive
from ethicscheck.engines import Measured, choose_engine, refuse_in_memory_settings, spark_measure, stream_measure
from ethicscheck.errors import ConfigError, EthicsCheckError, TrackingError
from ethicscheck.fairness import FairnessResult
from ethicscheck.gates import evaluate_gates, load_baseline, publish_summary, summary_markdown, write_junit
from ethicscheck.membership import MembershipRisk, measure_membership
from ethicscheck.models import Detector, PrecomputedDetector, Predictions, load_detector
from ethicscheck.privacy import PrivacyResult, ScanOptions, contact_finder, scan_texts
from ethicscheck.privacy._parallel import SplitScan, start_split_scan
from ethicscheck.privacy._scan import plan_scan
from ethicscheck.probes import ProbeResult, ProbeSettings, plan_probes, run_probes, texts_of
from ethicscheck.result import (
    AuditResult,
    DataSummary,
    ModelSummary,
    RunInfo,
    TrackingInfo,
    VerificationAuditResult,
)

if TYPE_CHECKING:
    from ethicscheck.cards import DrawnCharts
    from ethicscheck.tracking import LoggingWorker

# Reporter, SilentReporter, public_config, package_versions and assess_configured live in modules that
# compare uses too; they stay importable from here, where users met them first.
__all__ = [
    "AuditOutcome",
    "Reporter",
    "SilentReporter",
    "assess_configured",
    "audit_dataset",
    "run_audit",
    "public_config",
    "package_versions",
]


@dataclass(frozen=True)
class AuditOutcome:
    """The result plus where its report files are (a :class:`VerificationAuditResult` for ``task: verification``)."""

    result: AuditResult | VerificationAuditResult
    report_dir: Path
    files: dict[str, Path]

    @property
    def exit_code(self) -> int:
        return self.result.verdict.exit_code


def run_audit(
    config: AuditConfig,
    *,
    out_dir: Path | None = None,
    tracking_uri: str | None = None,
    config_dir: Path | None = None,
    reporter: Reporter | None = None,
    worker: LoggingWorker | None = None,
) -> AuditOutcome:
    """Run the audit described by ``config``.

    Parameters
    ----------
    config : AuditConfig
        Validated configuration.
    out_dir : Path, optional
        Report folder; defaults to ``config.output.dir`` or ``reports/<name>``.
    tracking_uri : str, optional
        Overrides the configured MLflow tracking URI.
    config_dir : Path, optional
        Folder of the config file (relative callable targets resolve from it).
    reporter : Reporter, optional
        Receives progress; silent by default.
    worker : LoggingWorker, optional
        The MLflow worker process, started by the caller (:func:`ethicscheck.tracking.audit_worker`, before importing
        this module); by default the audit starts its own when it pays off.

    Returns
    -------
    AuditOutcome

    Raises
    ------
    EthicsCheckError
        Any problem with config, data or model (exit code 2). When MLflow fails and
        ``tracking.required`` is true, a ``TrackingError`` is raised after the local report is
        written, so nothing computed is lost.
    """
    from ethicscheck.tracking import audit_worker, resolve_tracking_uri

    reporter = reporter or SilentReporter()
    started = now()
    timings: dict[str, float] = {}
    uri = resolve_tracking_uri(config.tracking.uri, tracking_uri)
    if config.task == "verification":  # one row compares two face images: its own statistics, the same report machinery
        result, report_dir, files = run_verification_audit(config, out_dir=out_dir, tracking_uri=uri, reporter=reporter)
        return AuditOutcome(result=result, report_dir=report_dir, files=files)
    engine = choose_engine(config.data)
    # MLflow is imported by a second process while the audit computes (when there is a second core for it), unless
    # this process imports it anyway: to load an MLflow model or a regression gate's baseline run.
    with nullcontext(worker) if worker is not None else audit_worker(config, uri) as worker, settled_heap():
        if engine != "pandas":
            refuse_in_memory_settings(config, engine)
            # Feature names and card fields as in memory (protect_inputs); the engine treats group values the same way
            # once its first pass has collected them (RoleTally.protect).
            config, named = protect_config(config)
            measure = stream_measure if engine == "stream" else spark_measure
            measured = measure(config, tracking_uri=uri, config_dir=config_dir, reporter=reporter, timings=timings)
            if named:
                measured = replace(measured, pseudonyms={**named, **measured.pseudonyms})
            return _publish(
                config, measured, out_dir=out_dir, tracking_uri=uri, reporter=reporter, started=started, timings=timings, worker=worker
            )
        with timed(timings, "load_data"):
            reporter.stage(f"Loading {published_file_name(config, config.data.path.name)}")
            dataset = load_dataset(config)
        # The input scan starts now, in forked processes, and runs while the model loads and scores.
        protected = protect_inputs(config, dataset)
        settle()  # the data, the scanner and the modules they needed stay to the end (ethicscheck._heap), in forked helpers too
        with _scan_started(protected) as scanning:
            with timed(timings, "load_model"):
                reporter.stage(f"Loading the {config.model.kind} model")
                detector = load_detector(config, dataset, tracking_uri=uri, base_dir=config_dir)
            settle()  # and the model
            return _audit_protected(
                protected,
                detector,
                scanning,
                out_dir=out_dir,
                tracking_uri=uri,
                reporter=reporter,
                started=started,
                timings=timings,
                worker=worker,
            )


def audit_dataset(
    config: AuditConfig,
    dataset: Dataset,
    detector: Detector,
    *,
    out_dir: Path | None = None,
    tracking_uri: str | None = None,
    reporter: Reporter | None = None,
    run_id: str | None = None,
    started: str | None = None,
    timings: dict[str, float] | None = None,
    worker: LoggingWorker | None = None,
) -> AuditOutcome:
    """Audit data already loaded with a model already loaded (the part of :func:`run_audit` after loading).

    ``run_id`` logs into an existing MLflow run (the evaluator plugin) instead of creating one; ``worker`` (from
    :func:`ethicscheck.tracking.logging_worker`) makes the MLflow calls in a second process.
    """
    # Contact data in group values, feature names and card fields becomes pseudonyms before anything is
    # computed from them (or stops the audit: privacy.on_personal_data).
    protected = protect_inputs(config, dataset)
    with _scan_started(protected) as scanning:
        return _audit_protected(
            protected,
            detector,
            scanning,
            out_dir=out_dir,
            tracking_uri=tracking_uri,
            reporter=reporter,
            run_id=run_id,
            started=started,
            timings=timings,
            worker=worker,
        )


def _audit_protected(
    protected: Protected,
    detector: Detector,
    scanning: SplitScan | None,
    *,
    out_dir: Path | None = None,
    tracking_uri: str | None = None,
    reporter: Reporter | None = None,
    run_id: str | None = None,
    started: str | None = None,
    timings: dict[str, float] | None = None,
    worker: LoggingWorker | None = None,
) -> AuditOutcome:
    """:func:`audit_dataset` once the inputs are protected and the input scan started (``scanning``, when it runs apart)."""
    from ethicscheck.tracking import resolve_tracking_uri

    reporter = reporter or SilentReporter()
    started = started or now()
    timings = timings if timings is not None else {}
    config, dataset = protected.config, protected.dataset
    uri = resolve_tracking_uri(config.tracking.uri, tracking_uri)
    measured = _score_and_count(config, dataset, detector, reporter, timings, scanning)
    if protected.pseudonyms:
        measured = replace(measured, pseudonyms={**protected.pseudonyms, **measured.pseudonyms})
    membership = None
    if config.membership_risk is not None:
        with timed(timings, "membership"):
            reporter.stage("Attacking the model for membership (training rows against rows it never saw)")
            membership, named = measure_membership(config, detector, public_name=lambda name: published_file_name(config, name))
        measured = replace(measured, pseudonyms={**named, **measured.pseudonyms})  # values only the member files hold too
    return _publish(
        config,
        measured,
        out_dir=out_dir,
        tracking_uri=uri,
        reporter=reporter,
        run_id=run_id,
        started=started,
        timings=timings,
        membership=membership,
        worker=worker,
    )


def _score_and_count(
    config: AuditConfig,
    dataset: Dataset,
    detector: Detector,
    reporter: Reporter,
    timings: dict[str, float],
    scanning: SplitScan | None,
) -> Measured:
    """The in-memory engine: score, count and scan the rows of ``dataset`` (the scan's answer taken last)."""
    # Group names holding contact data are pseudonyms already (protect_inputs, before anything was computed).
    with timed(timings, "predict"), reporter.progress("Scoring rows", dataset.n_rows) as advance:
        predictions = detector.predict(dataset.frame, progress=advance)
    model_summary = ModelSummary(
        info=replace(
            detector.info,
            source=pseudonymize_text(
                detector.info.source, salt=config.privacy.hash_salt, finder=contact_finder(tuple(config.privacy.phone_regions))
            ),
        ),
        threshold=getattr(config.model, "threshold", None) if predictions.score is not None else None,
        has_score=predictions.score is not None,
        n_flagged=int(predictions.decision.sum()),
        n_rows=len(predictions.decision),
        score_is_probability=predictions.score_is_probability,
        higher_is_riskier=predictions.higher_is_riskier,
        decision_note=predictions.decision_note(),
    )
    with timed(timings, "fairness"):
        reporter.stage("Measuring error rates by group")
        fairness = _assess(config, dataset, predictions)
    probes = None
    if config.probes is not None:
        with timed(timings, "probes"):
            probes = _probe(config, dataset, detector, predictions, reporter)
    found_values: set[str] = set()  # raw input values, in memory only: to check our own files for them
    with timed(timings, "privacy"):
        privacy = _scan_answer(scanning, config, dataset, reporter, found_values)
    engine = {"name": "pandas", "rows_read": dataset.rows_read}
    return Measured(_data_summary(config, dataset), model_summary, fairness, privacy, engine, found_values, {}, dataset, probes)


def _publish(
    config: AuditConfig,
    measured: Measured,
    *,
    out_dir: Path | None,
    tracking_uri: str,
    reporter: Reporter,
    run_id: str | None = None,
    started: str | None = None,
    timings: dict[str, float],
    membership: MembershipRisk | None = None,
    worker: LoggingWorker | None = None,
) -> AuditOutcome:
    """Judge the gates, write the report, scan it, log it (through ``worker`` when there is one): the same for every engine."""
    from ethicscheck.tracking import log_audit

    uri = tracking_uri
    started = started or now()
    report_dir = Path(out_dir or config.output.dir or Path("reports") / config.name)
    model_summary, fairness, privacy, found_values, pseudonyms, probes = (
        measured.model,
        measured.fairness,
        measured.privacy,
        measured.found_values,
        measured.pseudonyms,
        measured.probes,
    )
    degenerate = model_summary.warning(config.card.item_noun, flagged=config.card.outcome.flagged)
    if degenerate:
        reporter.warning(degenerate)
    baselines = {g.regression.baseline: load_baseline(g.regression.baseline, tracking_uri=uri) for g in config.gates if g.regression}
    verdict = evaluate_gates(
        fairness,
        config.gates,
        privacy=privacy,
        probes=probes,
        baselines=baselines,
        decision_note=model_summary.decision_note,
        flagged=config.card.outcome.flagged,
    )

    result = AuditResult(
        run=_run_info(config, started, timings, measured.engine),
        data=measured.data,
        model=model_summary,
        fairness=fairness,
        privacy=privacy,
        verdict=verdict,
        probes=probes,
        membership=membership,
    )
    not_logged: TrackingError | None = None
    from ethicscheck.cards import DrawnCharts

    charts = DrawnCharts()
    with staged_folder(report_dir) as staging:  # the folder appears whole when everything is written
        files = _write_report(result, config, staging, charts)
        if config.privacy.scan_artifacts:
            # Scan what we are about to publish (pseudonymising what it finds and writing it again, or stopping).
            # Charts are drawn once for what they show: a rewrite draws only those whose names changed.
            reporter.stage("Scanning the report files for personal data")
            published = publish_without_personal_data(
                result, config, files, write=lambda r, c: _write_report(r, c, staging, charts), known_values=found_values
            )
            result, config, files = published.result, published.config, published.files
            pseudonyms = {**pseudonyms, **published.pseudonyms}
            if result.privacy is not None:
                # The scan's counts are part of the report (privacy.artifacts, pii.artifacts gates): judge the gates
                # again and write the report once more, with every chart reused. Without a privacy section the
                # report as scanned is the report published: written once.
                privacy = replace(result.privacy, artifacts=published.scan)
                verdict = evaluate_gates(
                    result.fairness,
                    config.gates,
                    privacy=privacy,
                    probes=result.probes,
                    baselines=baselines,
                    decision_note=model_summary.decision_note,
                    flagged=config.card.outcome.flagged,
                )
                result = replace(result, privacy=privacy, verdict=verdict)
                files = _write_report(result, config, staging, charts)
        found_values.clear()
        if config.tracking.enabled:
            from ethicscheck.tracking import public_uri

            reporter.stage(f"Logging to MLflow ({public_uri(uri)})")
            settle()  # and the findings and the report, while MLflow's modules are imported
            try:
                tracking = log_audit(
                    result,
                    tracking_uri=uri,
                    experiment=config.tracking.experiment,
                    artifacts=_logged_files(files),
                    dataset=measured.dataset,
                    run_id=run_id,
                    timeout=config.tracking.timeout_s,
                    worker=worker,
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
    return AuditOutcome(result=result, report_dir=report_dir, files=files)


def _write_report(result: AuditResult, config: AuditConfig, report_dir: Path, charts: DrawnCharts) -> dict[str, Path]:
    """audit.json, the cards and charts, junit.xml and summary.md (the CI step summary gets it after the swap)."""
    from ethicscheck.cards import publishable, write_cards

    files = {"audit.json": result.write_json(report_dir / "audit.json")}
    for path in write_cards(result, config.card, report_dir, charts=charts):
        files[path.name] = path
    # CI pages are published like the card: gate results from the same public view (small groups unnamed).
    public = publishable(result, config.card).result.verdict
    files["junit.xml"] = write_junit(public, report_dir / "junit.xml", suite=config.name)
    files["summary.md"] = publish_summary(summary_markdown(public, audit=config.name), report_dir, step_summary=False)[0]
    return files


def _logged_files(files: dict[str, Path]) -> list[Path]:
    """Report files attached to the MLflow run (audit.json goes in through log_dict)."""
    return [path for name, path in files.items() if name != "audit.json"]


def _assess(config: AuditConfig, dataset: Dataset, predictions: Predictions) -> FairnessResult:
    return assess_configured(
        config.data,
        config.fairness,
        dataset.frame,
        dataset.y_true,
        predictions.decision,
        predictions.score,
        seed=config.seed,
        score_is_probability=predictions.score_is_probability,
        higher_is_riskier=predictions.higher_is_riskier,
    )


def _probe(config: AuditConfig, dataset: Dataset, detector: Detector, predictions: Predictions, reporter: Reporter) -> ProbeResult:
    """Swap identity terms in the texts and score the copies with the same model (the copies stay in memory)."""
    if config.probes is None or dataset.text_column is None:
        raise ConfigError("probes need a probes: section and data.text_column")  # the config's validation says so first
    if isinstance(detector, PrecomputedDetector):
        raise ConfigError(
            "probes need a model to score the swapped texts, and this audit has precomputed predictions only; configure the "
            "model itself (sklearn, onnx, mlflow, callable or http), or remove the probes section."
        )
    settings = ProbeSettings.from_config(config.probes, seed=config.seed)
    reporter.stage("Finding identity terms in the texts")
    plan = plan_probes(texts_of(dataset.frame, dataset.text_column), settings)
    with reporter.progress("Scoring texts with swapped terms", plan.n_copies) as advance:
        return run_probes(
            dataset.frame,
            detector,
            text_column=dataset.text_column,
            y_true=dataset.y_true,
            settings=settings,
            before=predictions,
            plan=plan,
            progress=advance,
        )


@contextmanager
def _scan_started(protected: Protected) -> Iterator[SplitScan | None]:
    """The input scan started apart (:func:`_start_scan`) for the audit inside the block, and ended when the block ends
    before the answer (an error, an interrupt); ending it once answered does nothing."""
    scanning = _start_scan(protected.config, protected.dataset)
    try:
        yield scanning
    finally:
        if scanning is not None:
            scanning.cancel()


def _start_scan(config: AuditConfig, dataset: Dataset) -> SplitScan | None:
    """The input scan started in forked processes (:mod:`ethicscheck.privacy._parallel`), when it runs at all and forking
    is safe; None otherwise, and the scan runs here when its answer is wanted (with any error in its usual place)."""
    planned = _scan_columns(config, dataset)
    if planned is None or not forking_pays():
        return None
    settings = config.privacy
    try:
        groups = sensitive_encodings(config.data, config.fairness, dataset.frame)
        options = ScanOptions.from_settings(settings)
        plan = plan_scan(
            dataset.frame,
            planned[0],
            options,
            output_columns=settings.output_columns,
            groups=groups,
            max_rows=settings.max_rows,
            seed=config.seed,
            source=published_file_name(config, dataset.path.name),
        )
    except EthicsCheckError:
        return None
    return start_split_scan(dataset.frame, plan, options, groups=groups, seed=config.seed, processes=settings.n_jobs)


def _scan_answer(
    scanning: SplitScan | None, config: AuditConfig, dataset: Dataset, reporter: Reporter, found_values: set[str]
) -> PrivacyResult | None:
    """The split scan's result (this process scanning its share too, from ``privacy.n_jobs: 2`` on), or the scan run
    here: when it was not started, or a process of it ended without an answer (any error is then this process's own,
    with its usual message)."""
    if scanning is not None:
        try:
            with reporter.progress("Scanning text for personal data", scanning.n_texts) as advance:
                privacy, found = scanning.result(advance)
        except BackgroundFailed:
            pass
        else:
            found_values.update(found)
            return privacy
    return _scan(config, dataset, reporter, found_values)


def _scan_columns(config: AuditConfig, dataset: Dataset) -> tuple[list[str], int] | None:
    """The input columns the privacy scan reads and how many texts it scans, or None when it does not run."""
    settings = config.privacy
    columns = settings.columns or ([dataset.text_column] if dataset.text_column else [])
    if not settings.enabled or not (columns or settings.output_columns):
        return None
    return columns, min(dataset.n_rows, settings.max_rows or dataset.n_rows) * (len(columns) + len(settings.output_columns))


def _scan(config: AuditConfig, dataset: Dataset, reporter: Reporter, found_values: set[str]) -> PrivacyResult | None:
    planned = _scan_columns(config, dataset)
    if planned is None:
        return None
    settings = config.privacy
    columns, n_texts = planned
    groups = sensitive_encodings(config.data, config.fairness, dataset.frame)
    options = ScanOptions.from_settings(settings)
    with reporter.progress("Scanning text for personal data", n_texts) as advance:
        return scan_texts(
            dataset.frame,
            columns,
            options,
            output_columns=settings.output_columns,
            groups=groups,
            max_rows=settings.max_rows,
            seed=config.seed,
            progress=advance,
            source=published_file_name(config, dataset.path.name),
            found_values=found_values,
        )


def _data_summary(config: AuditConfig, dataset: Dataset) -> DataSummary:
    missing = missing_sensitive(config.data, dataset.frame)
    n_positive = int(dataset.y_true.sum())
    return DataSummary(
        file=published_file_name(config, dataset.path.name),
        sha256=dataset.sha256,
        n_rows=dataset.n_rows,
        n_positive=n_positive,
        n_negative=dataset.n_rows - n_positive,
        label_column=dataset.label_column,
        sensitive_features=tuple(f.display_name for f in config.data.sensitive_features),
        text_column=dataset.text_column,
        missing_sensitive=missing,
        n_rows_read=dataset.rows_read,
        filter=dataset.filter_steps,
    )


def _run_info(config: AuditConfig, started: str, timings: dict[str, float], engine: dict[str, Any]) -> RunInfo:
    published = public_config(config)
    return RunInfo(
        name=config.name,
        ethicscheck_version=__version__,
        seed=config.seed,
        config_digest=config_digest(published),
        config=published,
        packages=package_versions(),
        started_at=started,
        finished_at=now(),
        timings={k: round(v, 3) for k, v in timings.items()},
        engine=engine,
    )
