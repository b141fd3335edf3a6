"""Send one audit's log to MLflow: everything it logs, computed beforehand, then only MLflow calls.

What an audit logs (params, metrics, tags, tables, its description, the dataset's schema) is computed and
checked for personal data by :func:`ethicscheck.tracking._log.prepare_audit_log`, without importing
MLflow; :func:`send_audit_log` makes the calls. The split lets a second process (``_worker``) import MLflow
while the audit computes and then send the log, with the same calls and the same errors as in one process.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ethicscheck._net import DEFAULT_TRACKING_TIMEOUT, bounded_mlflow, require_tracking
from ethicscheck._values import scrub_message
from ethicscheck.errors import TrackingError, require_supported_mlflow
from ethicscheck.tracking._uri import artifact_location, public_uri, slug

__all__ = ["AuditLog", "DatasetLog", "RegistryLog", "log_metric_items", "mlflow_errors", "quiet_mlflow", "send_audit_log"]

_BATCH = 1000
#: The tag MLflow's UI shows as the run's description.
DESCRIPTION_TAG = "mlflow.note.content"


@dataclass(frozen=True)
class DatasetLog:
    """The evaluation data as a run input: its published name, our digest, its schema (no rows) and its size."""

    schema: Any  # a pandas DataFrame of zero rows: the published columns and their types
    name: str
    digest: str
    targets: str | None
    n_rows: int
    n_elements: int


@dataclass(frozen=True)
class RegistryLog:
    """The audited registered model version, and its new description for a given run id."""

    name: str
    version: str
    verdict_label: str
    verdict_status: str
    summary: Callable[[str], str]


@dataclass(frozen=True)
class AuditLog:
    """Everything one audit logs to MLflow, already checked for personal data."""

    run_name: str
    experiment: str
    tags: dict[str, str]
    params: dict[str, str]
    metrics: list[tuple[str, float]]
    audit: dict[str, Any]
    tables: dict[str, dict[str, list[Any]]]
    artifacts: tuple[Path, ...]
    description: str | None  # None: the run gets no description tag (a face-matching audit's)
    dataset: DatasetLog | None = None
    registry: RegistryLog | None = None


def send_audit_log(
    log: AuditLog, *, tracking_uri: str, run_id: str | None = None, timeout: float = DEFAULT_TRACKING_TIMEOUT
) -> tuple[str, str]:
    """Log ``log`` as one MLflow run (or into the existing run ``run_id``); return ``(experiment_id, run_id)``.

    Raises
    ------
    TrackingError
        The store cannot be reached or refused a call.
    """
    with quiet_mlflow(), mlflow_errors(tracking_uri, timeout=timeout):
        import mlflow
        from mlflow.entities import Param

        client = mlflow.MlflowClient(tracking_uri=tracking_uri)
        if run_id is None:
            found = client.get_experiment_by_name(log.experiment)
            experiment_id = (
                found.experiment_id
                if found
                else client.create_experiment(log.experiment, artifact_location=artifact_location(tracking_uri))
            )
            run_id = client.create_run(experiment_id, run_name=log.run_name, tags=log.tags).info.run_id
            owns_run = True
        else:
            experiment_id = client.get_run(run_id).info.experiment_id
            for key, value in log.tags.items():
                client.set_tag(run_id, key, value)
            owns_run = False
        try:
            client.log_batch(run_id, params=[Param(key, value) for key, value in log.params.items()])
            client.log_dict(run_id, log.audit, "audit.json")
            # MLflow's log_table reads the whole run (every metric) twice per table: the metrics go in after the tables
            for name, table in log.tables.items():
                client.log_table(run_id, table, f"tables/fairness_{slug(name)}.json")
            for path in log.artifacts:
                client.log_artifact(run_id, str(path), artifact_path="charts" if path.suffix == ".svg" else None)
            if log.dataset is not None:
                _log_dataset(client, run_id, log.dataset)
            log_metric_items(client, run_id, log.metrics)
            # A run ethicscheck did not open (``mlflow.models.evaluate``'s) keeps a description its owner wrote.
            if log.description is not None and (owns_run or DESCRIPTION_TAG not in client.get_run(run_id).data.tags):
                client.set_tag(run_id, DESCRIPTION_TAG, log.description)
        except BaseException:
            # Only a run with every artifact is FINISHED; `ethicscheck log` replaces a FAILED or RUNNING one.
            if owns_run:
                with suppress(Exception):
                    client.set_terminated(run_id, status="FAILED")
            raise
        if owns_run:
            client.set_terminated(run_id, status="FINISHED")
        if log.registry is not None:
            _describe_model_version(client, log.registry, run_id)
    return experiment_id, run_id


def _log_dataset(client: Any, run_id: str, dataset: DatasetLog) -> None:
    from mlflow.data.pandas_dataset import from_pandas
    from mlflow.entities import Dataset as MlflowDataset
    from mlflow.entities import DatasetInput, InputTag

    # Our sha256 is the digest, so MLflow does not hash large text columns itself.
    schema_only = from_pandas(dataset.schema, source=dataset.name, targets=dataset.targets, name=dataset.name, digest=dataset.digest)
    logged = schema_only._to_mlflow_entity()
    entity = MlflowDataset(
        name=logged.name,
        digest=logged.digest,
        source_type=logged.source_type,
        source=logged.source,
        schema=logged.schema,
        profile=json.dumps({"num_rows": dataset.n_rows, "num_elements": dataset.n_elements}),
    )
    client.log_inputs(run_id, datasets=[DatasetInput(dataset=entity, tags=[InputTag(key="mlflow.data.context", value="evaluation")])])


def _describe_model_version(client: Any, registry: RegistryLog, run_id: str) -> None:
    """Put the card's summary on the audited registered model version, with verdict and run tags."""
    client.update_model_version(registry.name, registry.version, description=registry.summary(run_id))
    client.set_model_version_tag(registry.name, registry.version, "ethicscheck.verdict", registry.verdict_label)
    client.set_model_version_tag(registry.name, registry.version, "ethicscheck.verdict_status", registry.verdict_status)
    client.set_model_version_tag(registry.name, registry.version, "ethicscheck.audit_run", run_id)


def log_metric_items(client: Any, run_id: str, items: list[tuple[str, float]]) -> None:
    """Log ``(name, value)`` pairs at one timestamp, in batches MLflow accepts (at most 1000 per call)."""
    from mlflow.entities import Metric

    now = int(time.time() * 1000)
    metrics = [Metric(key=name, value=float(value), timestamp=now, step=0) for name, value in items]
    for start in range(0, len(metrics), _BATCH):
        client.log_batch(run_id, metrics=metrics[start : start + _BATCH])


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
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        warnings.filterwarnings("ignore", category=FutureWarning)
        warnings.filterwarnings("ignore", category=UserWarning, module="mlflow")
        yield
