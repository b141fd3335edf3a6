"""Log one audit as one MLflow run: params, metrics, tables, the result and the cards."""

from __future__ import annotations

import hashlib
import json
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ethicscheck._net import DEFAULT_TRACKING_TIMEOUT
from ethicscheck._vocabulary import DEFAULT_PHONE_REGIONS, DETECTABLE_GATE_METRICS
from ethicscheck.config import CardConfig
from ethicscheck.data import Dataset
from ethicscheck.errors import PersonalDataError
from ethicscheck.fairness import FairnessResult
from ethicscheck.probes import ProbeResult
from ethicscheck.result import AuditResult, TrackingInfo
from ethicscheck.tracking._send import AuditLog, DatasetLog, RegistryLog, log_metric_items, mlflow_errors, quiet_mlflow, send_audit_log
from ethicscheck.tracking._uri import public_uri, slug, unique_slugs

if TYPE_CHECKING:
    from ethicscheck.tracking._worker import LoggingWorker

__all__ = [
    "audit_id",
    "group_table",
    "log_audit",
    "log_metric_items",
    "metric_items",
    "mlflow_errors",
    "prepare_audit_log",
    "public_fairness",
    "quiet_mlflow",
]


def log_audit(
    result: AuditResult,
    *,
    tracking_uri: str,
    experiment: str,
    artifacts: list[Path],
    dataset: Dataset | None = None,
    run_id: str | None = None,
    timeout: float = DEFAULT_TRACKING_TIMEOUT,
    worker: LoggingWorker | None = None,
) -> TrackingInfo:
    """Log an audit as an MLflow run, and describe the audited registered model version.

    Parameters
    ----------
    result : AuditResult
        What to log; nothing is recomputed.
    tracking_uri : str
        Explicit tracking URI.
    experiment : str
        Experiment name, created when missing (unused when ``run_id`` is given).
    artifacts : list of Path
        Report files to attach (cards, charts, junit.xml, summary.md).
    dataset : Dataset, optional
        The evaluation data, logged as a run input (name, digest, schema, row count; never its rows).
    run_id : str, optional
        Log into this existing run (e.g. one opened by ``mlflow.models.evaluate``) instead of a new one.
    timeout : float
        Seconds the server gets to answer the reachability probe and each call.
    worker : LoggingWorker, optional
        A second process that imported MLflow while the audit computed: it makes the MLflow calls.

    Raises
    ------
    TrackingError
        The store cannot be reached or refused a call.
    PersonalDataError
        Something about to be logged holds contact data; nothing was logged.
    """
    log = prepare_audit_log(result, experiment=experiment, artifacts=artifacts, dataset=dataset, named_experiment=run_id is None)
    if worker is not None:
        experiment_id, run_id = worker.send(log, tracking_uri=tracking_uri, run_id=run_id, timeout=timeout)
    else:
        experiment_id, run_id = send_audit_log(log, tracking_uri=tracking_uri, run_id=run_id, timeout=timeout)
    return TrackingInfo(logged=True, tracking_uri=public_uri(tracking_uri), experiment_id=experiment_id, run_id=run_id)


def prepare_audit_log(
    result: AuditResult, *, experiment: str, artifacts: list[Path], dataset: Dataset | None = None, named_experiment: bool = True
) -> AuditLog:
    """Everything :func:`log_audit` logs, computed without MLflow and checked for personal data.

    ``named_experiment`` is False when the audit goes into an existing run: the experiment's name is then not logged.

    Raises
    ------
    PersonalDataError
        A param, metric key, tag, table, run or experiment name, or description holds contact data.
    """
    from ethicscheck.cards import render_run_description

    params, items, tags, tables = _params(result), metric_items(result), _tags(result), _group_tables(result)
    description = render_run_description(result)
    _refuse_personal_data(result, experiment if named_experiment else None, params, items, tags, tables, description)
    details = result.model.info.details
    name, version = details.get("registered_model"), details.get("model_version")
    registry = (
        RegistryLog(str(name), str(version), result.verdict.label, result.verdict.status, partial(_registry_summary, result))
        if name and version
        else None
    )
    return AuditLog(
        run_name=result.run.name,
        experiment=experiment,
        tags=tags,
        params=params,
        metrics=items,
        audit=result.to_dict(),
        tables=tables,
        artifacts=tuple(artifacts),
        description=description,
        dataset=_dataset_log(dataset, file_name=result.data.file) if dataset is not None else None,
        registry=registry,
    )


def audit_id(result: AuditResult | dict[str, Any]) -> str:
    """A digest of the result without its tracking section: the same audit always has the same id."""
    data = dict(result.to_dict() if isinstance(result, AuditResult) else result)
    data.pop("tracking", None)
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:32]


def _dataset_log(dataset: Dataset, *, file_name: str) -> DatasetLog:
    """The evaluation data as a run input: its published file name, our file digest and schema, never its rows.

    Columns whose names hold contact data are left out of the schema.
    """
    from ethicscheck.privacy import scan_strings

    named = {leak.value for leak in scan_strings([(str(c), str(c)) for c in dataset.frame.columns])}
    columns = [c for c in dataset.frame.columns if not any(value in str(c) for value in named)]
    return DatasetLog(
        schema=dataset.frame[columns].head(0),
        name=file_name,
        digest=dataset.sha256[:16],
        targets=dataset.label_column if dataset.label_column in columns else None,
        n_rows=dataset.n_rows,
        n_elements=int(dataset.frame.size),
    )


def _registry_summary(result: AuditResult, run_id: str) -> str:
    from ethicscheck.cards import render_registry_summary

    return render_registry_summary(result, run_id=run_id)


def metric_items(result: AuditResult) -> list[tuple[str, float]]:
    """``(name, value)`` of every defined number: ``<metric>/<feature>/<group>`` and ``<disparity>/<feature>``.

    Groups the card leaves out (fewer rows than ``card.min_published_group``, and their complements) get no
    metric key: a key names its group.
    """
    probes = probe_metric_items(result.probes) if result.probes is not None else []
    return [*fairness_metric_items(public_fairness(result)), *probes, ("gates_passed", 1.0 if result.verdict.passed else 0.0)]


def public_fairness(result: AuditResult) -> FairnessResult:
    """The fairness results without the groups the card suppresses (exact values: no published-card noise)."""
    from ethicscheck.cards import publishable

    card = CardConfig.model_validate(result.run.config.get("card", {}))
    return publishable(result, card.model_copy(update={"dp_epsilon": None})).result.fairness


def probe_metric_items(probes: ProbeResult) -> list[tuple[str, float]]:
    """The probes' gate figures per term: ``swap.flip_rate/<lexicon>/<term>`` (texts labelled negative, beyond the
    control), ``swap.score_delta/...``, and the identity-mention AUCs ``bpsn_auc/<lexicon>/<term>`` (and subgroup, BNSP)."""
    items: list[tuple[str, float]] = []
    for lexicon in probes.lexicons:
        for target in lexicon.targets:
            stats = target.negative
            if stats is None:
                continue
            base = f"{slug(lexicon.name)}/{slug(target.target)}"
            for key, estimate in (
                ("swap.flip_rate", stats.flip_rate_beyond_control),
                ("swap.score_delta", stats.score_delta_beyond_control),
            ):
                if estimate is not None and estimate.value is not None:
                    items.append((f"{key}/{base}", estimate.value))
        for aucs in lexicon.identity_aucs:
            base = f"{slug(lexicon.name)}/{slug(aucs.term)}"
            for key, estimate in (("subgroup_auc", aucs.subgroup_auc), ("bpsn_auc", aucs.bpsn_auc), ("bnsp_auc", aucs.bnsp_auc)):
                if estimate.value is not None:
                    items.append((f"{key}/{base}", estimate.value))
    return items


def fairness_metric_items(fairness: FairnessResult) -> list[tuple[str, float]]:
    """The fairness part of :func:`metric_items` (also logged by each candidate of a comparison)."""
    items: list[tuple[str, float]] = []
    for key, estimate in {**fairness.overall.metrics, **fairness.overall.score_metrics}.items():
        if estimate.value is not None:
            items.append((f"{key}/overall", estimate.value))
    for feature in fairness.features:
        feature_slug = slug(feature.name)
        group_slugs = unique_slugs([g.group for g in feature.groups])
        for group in feature.groups:
            base = f"{feature_slug}/{group_slugs[group.group]}"
            for key, estimate in group.metrics.items():
                if estimate.value is not None:
                    items.append((f"{key}/{base}", estimate.value))
            for key, estimate in group.ratio.items():
                if estimate.value is not None:
                    items.append((f"{key}_ratio/{base}", estimate.value))
            for key, estimate in group.score_metrics.items():
                if estimate.value is not None:
                    items.append((f"{key}/{base}", estimate.value))
            for name, rate in DETECTABLE_GATE_METRICS.items():
                found = group.detectable.get(rate)
                if found is not None and found.ratio is not None:
                    items.append((f"{name}/{base}", found.ratio))
        for key, estimate in feature.disparities.items():
            for suffix, value in (("", estimate.value), ("_ci_low", estimate.ci_low), ("_ci_high", estimate.ci_high)):
                if value is not None:
                    items.append((f"{key}{suffix}/{feature_slug}", value))
    return items


def _group_tables(result: AuditResult) -> dict[str, dict[str, list[Any]]]:
    """``{feature name: group_table}`` for every feature the card publishes."""
    return {feature.name: group_table(result, feature.name) for feature in public_fairness(result).features}


def group_table(result: AuditResult, feature_name: str) -> dict[str, list[Any]]:
    """Column-oriented per-group table of the groups the card publishes (small groups left out), for ``log_table``."""
    feature = public_fairness(result).feature(feature_name)
    table: dict[str, list[Any]] = {"group": [], "is_reference": [], "n": [], "n_negative": [], "n_positive": []}
    for key in result.fairness.metrics:
        for suffix in ("", "_ci_low", "_ci_high", "_status"):
            table[f"{key}{suffix}"] = []
        table[f"{key}_ratio"] = []
    for group in feature.groups:
        table["group"].append(group.group)
        table["is_reference"].append(group.is_reference)
        table["n"].append(group.n)
        table["n_negative"].append(group.n_negative)
        table["n_positive"].append(group.n_positive)
        for key in result.fairness.metrics:
            estimate = group.metrics[key]
            table[key].append(estimate.value)
            table[f"{key}_ci_low"].append(estimate.ci_low)
            table[f"{key}_ci_high"].append(estimate.ci_high)
            table[f"{key}_status"].append(estimate.status)
            ratio = group.ratio.get(key)
            table[f"{key}_ratio"].append(ratio.value if ratio else None)
    return table


def _params(result: AuditResult) -> dict[str, str]:
    values = {
        "config_digest": result.run.config_digest,
        "seed": result.run.seed,
        "threshold": result.model.threshold,
        "model_kind": result.model.info.kind,
        "model_source": result.model.info.source,
        "model_sha256": result.model.info.sha256,
        "data_file": result.data.file,
        "data_sha256": result.data.sha256,
        "n_rows": result.data.n_rows,
        "n_boot": result.fairness.n_boot,
        "confidence_level": result.fairness.confidence_level,
        "min_group_size": result.fairness.min_group_size,
        # how the rows were read: engine, batch size or master and partitions, rows read
        **{f"engine.{k}" if k != "name" else "engine": v for k, v in result.run.engine.items()},
    }
    return {k: str(v)[:6000] for k, v in values.items() if v is not None}


def _refuse_personal_data(
    result: AuditResult,
    experiment: str | None,
    params: dict[str, str],
    items: list[tuple[str, float]],
    tags: dict[str, str],
    tables: dict[str, dict[str, list[Any]]],
    description: str,
) -> None:
    """Run the self-scan over every field about to be logged; raise before anything is logged if it finds something.

    Metric keys are slugs, so the group and feature names they are made from are scanned as well.

    Raises
    ------
    PersonalDataError
        A param, metric key, tag, table, run or experiment name, or description holds contact data.
    """
    public = public_fairness(result)
    strings = [(value, f"MLflow param '{key}'") for key, value in params.items()]
    strings += [(name, "an MLflow metric key") for name, _ in items]
    strings += [(f"{f.name}\n" + "\n".join(g.group for g in f.groups), "a name in an MLflow metric key") for f in public.features]
    strings += [(value, f"MLflow tag '{key}'") for key, value in tags.items()]
    strings += [(description, "the MLflow run description")]
    strings += [("\n".join(str(g) for g in table["group"]), f"MLflow table of {len(table['group'])} groups") for table in tables.values()]
    strings += [(result.run.name, "the MLflow run name"), *([(experiment, "the MLflow experiment name")] if experiment else [])]
    refuse_personal_data(strings, config=result.run.config)


def refuse_personal_data(strings: list[tuple[str, str]], *, config: dict[str, Any]) -> None:
    """Raise before anything is logged when one of ``(text, where)`` holds contact data (the self-scan's recognizers,
    with the audit's ``privacy.phone_regions``).

    Raises
    ------
    PersonalDataError
        Naming where, never the value.
    """
    from ethicscheck.privacy import scan_strings

    leaks = scan_strings(strings, phone_regions=tuple(config.get("privacy", {}).get("phone_regions", DEFAULT_PHONE_REGIONS)))
    if leaks:
        raise PersonalDataError(
            f"{leaks[0].place} would carry {leaks[0].kind}; nothing was logged to MLflow. Re-run the audit (it replaces contact "
            "data by pseudonyms unless privacy.on_personal_data is 'stop'), or remove it from the data or config."
        )


def _tags(result: AuditResult) -> dict[str, str]:
    tags = {
        "ethicscheck.audit_id": audit_id(result),
        "ethicscheck.verdict": result.verdict.label,
        "ethicscheck.verdict_status": result.verdict.status,
        "ethicscheck.version": result.run.ethicscheck_version,
        "ethicscheck.config": result.run.name,
        "ethicscheck.config_digest": result.run.config_digest,
    }
    details = result.model.info.details
    if details.get("registered_model"):  # lets regression gates and history find audits of a model version
        tags["ethicscheck.model_name"] = details["registered_model"]
        tags["ethicscheck.model_version"] = details["model_version"]
    return tags
