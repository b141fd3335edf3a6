"""Log one audit as one MLflow run: params, metrics, tables, the result and the cards."""

from __future__ import annotations

import hashlib
import json
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from ethicscheck._net import DEFAULT_TRACKING_TIMEOUT, bounded_mlflow, require_tracking
from ethicscheck._values import scrub_message
from ethicscheck._vocabulary import DEFAULT_PHONE_REGIONS, DETECTABLE_GATE_METRICS
from ethicscheck.config import CardConfig
from ethicscheck.data import Dataset
from ethicscheck.errors import PersonalDataError, TrackingError, require_supported_mlflow
from ethicscheck.fairness import FairnessResult
from ethicscheck.probes import ProbeResult
from ethicscheck.result import AuditResult, TrackingInfo
from ethicscheck.tracking._uri import artifact_location, public_uri, slug, unique_slugs

__all__ = ["audit_id", "group_table", "log_audit", "metric_items", "mlflow_errors", "public_fairness", "quiet_mlflow"]

_BATCH = 1000


def log_audit(
    result: AuditResult,
    *,
    tracking_uri: str,
    experiment: str,
    artifacts: list[Path],
    dataset: Dataset | None = None,
    run_id: str | None = None,
    timeout: float = DEFAULT_TRACKING_TIMEOUT,
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

    Raises
    ------
    TrackingError
        The store cannot be reached or refused a call.
    """
    with quiet_mlflow(), mlflow_errors(tracking_uri, timeout=timeout):
        import mlflow

        params, items, tags, tables = _params(result), metric_items(result), _tags(result), _group_tables(result)
        _refuse_personal_data(result, experiment if run_id is None else None, params, items, tags, tables)
        client = mlflow.MlflowClient(tracking_uri=tracking_uri)
        if run_id is None:
            found = client.get_experiment_by_name(experiment)
            experiment_id = (
                found.experiment_id if found else client.create_experiment(experiment, artifact_location=artifact_location(tracking_uri))
            )
            run_id = client.create_run(experiment_id, run_name=result.run.name, tags=tags).info.run_id
            owns_run = True
        else:
            experiment_id = client.get_run(run_id).info.experiment_id
            for key, value in tags.items():
                client.set_tag(run_id, key, value)
            owns_run = False
        try:
            client.log_batch(run_id, params=params)
            log_metric_items(client, run_id, items)
            client.log_dict(run_id, result.to_dict(), "audit.json")
            for name, table in tables.items():
                client.log_table(run_id, table, f"tables/fairness_{slug(name)}.json")
            for path in artifacts:
                client.log_artifact(run_id, str(path), artifact_path="charts" if path.suffix == ".svg" else None)
            if dataset is not None:
                _log_dataset(client, run_id, dataset, file_name=result.data.file)
            _describe_run(client, result, run_id, replace=owns_run)
        except BaseException:
            # Only a run with every artifact is FINISHED; `ethicscheck log` replaces a FAILED or RUNNING one.
            if owns_run:
                with suppress(Exception):
                    client.set_terminated(run_id, status="FAILED")
            raise
        if owns_run:
            client.set_terminated(run_id, status="FINISHED")
        _describe_model_version(client, result, run_id)
    return TrackingInfo(logged=True, tracking_uri=public_uri(tracking_uri), experiment_id=experiment_id, run_id=run_id)


def audit_id(result: AuditResult | dict[str, Any]) -> str:
    """A digest of the result without its tracking section: the same audit always has the same id."""
    data = dict(result.to_dict() if isinstance(result, AuditResult) else result)
    data.pop("tracking", None)
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:32]


def _log_dataset(client: Any, run_id: str, dataset: Dataset, *, file_name: str) -> None:
    """Log the evaluation data as a run input: its published file name, our file digest and schema, never its rows.

    Columns whose names hold contact data are left out of the schema.
    """
    from mlflow.data.pandas_dataset import from_pandas
    from mlflow.entities import Dataset as MlflowDataset
    from mlflow.entities import DatasetInput, InputTag

    from ethicscheck.privacy import scan_strings

    named = {leak.value for leak in scan_strings([(str(c), str(c)) for c in dataset.frame.columns])}
    columns = [c for c in dataset.frame.columns if not any(value in str(c) for value in named)]
    # Our sha256 is the digest, so MLflow does not hash large text columns itself.
    logged = from_pandas(
        dataset.frame[columns].head(0),
        source=file_name,
        targets=dataset.label_column if dataset.label_column in columns else None,
        name=file_name,
        digest=dataset.sha256[:16],
    )
    schema_only = logged._to_mlflow_entity()
    entity = MlflowDataset(
        name=schema_only.name,
        digest=schema_only.digest,
        source_type=schema_only.source_type,
        source=schema_only.source,
        schema=schema_only.schema,
        profile=json.dumps({"num_rows": dataset.n_rows, "num_elements": int(dataset.frame.size)}),
    )
    client.log_inputs(run_id, datasets=[DatasetInput(dataset=entity, tags=[InputTag(key="mlflow.data.context", value="evaluation")])])


def _describe_run(client: Any, result: AuditResult, run_id: str, *, replace: bool) -> None:
    """The run's description in MLflow's UI (``mlflow.note.content``): verdict, why, top finding.

    A run ethicscheck did not open (``mlflow.models.evaluate``'s) keeps a description its owner wrote.
    """
    from ethicscheck.cards import render_run_description

    if not replace and "mlflow.note.content" in client.get_run(run_id).data.tags:
        return
    client.set_tag(run_id, "mlflow.note.content", render_run_description(result))


def _describe_model_version(client: Any, result: AuditResult, run_id: str) -> None:
    """Put the card's summary on the audited registered model version, with verdict and run tags."""
    from ethicscheck.cards import render_registry_summary

    details = result.model.info.details
    name, version = details.get("registered_model"), details.get("model_version")
    if not name or not version:
        return
    client.update_model_version(name, version, description=render_registry_summary(result, run_id=run_id))
    client.set_model_version_tag(name, version, "ethicscheck.verdict", result.verdict.label)
    client.set_model_version_tag(name, version, "ethicscheck.verdict_status", result.verdict.status)
    client.set_model_version_tag(name, version, "ethicscheck.audit_run", run_id)


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


def log_metric_items(client: Any, run_id: str, items: list[tuple[str, float]]) -> None:
    """Log ``(name, value)`` pairs at one timestamp, in batches MLflow accepts (at most 1000 per call)."""
    from mlflow.entities import Metric

    now = int(time.time() * 1000)
    metrics = [Metric(key=name, value=float(value), timestamp=now, step=0) for name, value in items]
    for start in range(0, len(metrics), _BATCH):
        client.log_batch(run_id, metrics=metrics[start : start + _BATCH])


def _params(result: AuditResult) -> list[Any]:
    from mlflow.entities import Param

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
    return [Param(k, str(v)[:6000]) for k, v in values.items() if v is not None]


def _refuse_personal_data(
    result: AuditResult,
    experiment: str | None,
    params: list[Any],
    items: list[tuple[str, float]],
    tags: dict[str, str],
    tables: dict[str, dict[str, list[Any]]],
) -> None:
    """Run the self-scan over every field about to be logged; raise before anything is logged if it finds something.

    Metric keys are slugs, so the group and feature names they are made from are scanned as well.

    Raises
    ------
    PersonalDataError
        A param, metric key, tag, table, run or experiment name, or description holds contact data.
    """
    from ethicscheck.cards import render_run_description
    from ethicscheck.privacy import scan_strings

    public = public_fairness(result)
    strings = [(str(p.value), f"MLflow param '{p.key}'") for p in params]
    strings += [(name, "an MLflow metric key") for name, _ in items]
    strings += [(f"{f.name}\n" + "\n".join(g.group for g in f.groups), "a name in an MLflow metric key") for f in public.features]
    strings += [(value, f"MLflow tag '{key}'") for key, value in tags.items()]
    strings += [(render_run_description(result), "the MLflow run description")]
    strings += [("\n".join(str(g) for g in table["group"]), f"MLflow table of {len(table['group'])} groups") for table in tables.values()]
    strings += [(result.run.name, "the MLflow run name"), *([(experiment, "the MLflow experiment name")] if experiment else [])]
    leaks = scan_strings(strings, phone_regions=tuple(result.run.config.get("privacy", {}).get("phone_regions", DEFAULT_PHONE_REGIONS)))
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


@contextmanager
def mlflow_errors(tracking_uri: str, *, timeout: float = DEFAULT_TRACKING_TIMEOUT) -> Iterator[None]:
    """Probe the tracking server, bound MLflow's retries and timeouts, and turn failures into one-line
    :class:`TrackingError` s naming the store.

    The probe (``timeout`` seconds) runs before any MLflow call, so a dead server costs seconds, not
    MLflow's default minutes of retries.
    """
    require_supported_mlflow()
    require_tracking(tracking_uri, timeout=timeout)
    from mlflow.exceptions import MlflowException

    try:
        with bounded_mlflow(timeout):
            yield
    except (MlflowException, OSError, ConnectionError) as exc:
        raise TrackingError(f"MLflow at {public_uri(tracking_uri)} failed: {scrub_message(str(exc), limit=300)}") from None
    except Exception as exc:  # mlflow surfaces connection problems as many exception types (requests, urllib3)
        if "Connection" in type(exc).__name__ or "Timeout" in type(exc).__name__:
            raise TrackingError(f"MLflow at {public_uri(tracking_uri)} cannot be reached: {type(exc).__name__}") from None
        raise


@contextmanager
def quiet_mlflow() -> Iterator[None]:
    """Hide MLflow's own deprecation and future warnings so ``-W error`` users are not broken by them."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        warnings.filterwarnings("ignore", category=FutureWarning)
        warnings.filterwarnings("ignore", category=UserWarning, module="mlflow")
        yield
