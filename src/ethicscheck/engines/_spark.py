"""The Spark engine: the stream engine's batch steps run in Spark partitions; only statistics reach the driver.

Jobs over the source DataFrame (Parquet, ORC or CSV), each a ``mapInPandas`` that returns one small
record per partition (JSON, never pickle: :mod:`ethicscheck.engines._wire`):

1. the role columns (:class:`RoleTally`: label counts, group names, filter counts, a precomputed
   score's range), merged on the driver in partition order and checked as one column;
2. scoring with the stream engine's per-batch code (the model loaded once per executor; a skops or
   ONNX file travels with the job as bytes, nothing is pickled; an MLflow model the user allowed to run
   its code is scored by ``mlflow.pyfunc.spark_udf``, :mod:`._spark_mlflow`) into a cached DataFrame of (joint cell,
   label, decision, score); the fairness stage's passes over it — counts, score histogram, counts at the
   operating point — are each one native Spark ``groupBy`` over (joint cell, label, decision or score
   bin), which counts every feature and intersection at once (the joint cell indexes them all) and
   sends the driver a small table (:mod:`._spark_counts`);
3. the personal-data scan (the scanner built once per executor): counts per entity and group and the
   first redacted examples of each partition.

What travels to the driver is the size of the statistics (joint cells x score bins), never rows.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ethicscheck._adapters import assess_configured_passes
from ethicscheck._provenance import published_file_name
from ethicscheck._reporter import Reporter, timed
from ethicscheck.config import AuditConfig, MlflowModelConfig, model_file
from ethicscheck.data import (
    configured_columns,
    detect_format,
    marked_missing,
    path_sha256,
    read_as_text,
    require_columns,
    scanned_text_columns,
    text_columns,
)
from ethicscheck.engines._batches import (
    RoleTally,
    ScanSettings,
    batch_detector,
    decision_note,
    group_layout,
    measured,
    merge_batch_scans,
    prepare_batch,
    privacy_cut,
    scan_batch,
    scan_settings,
    smallest_sample_keys,
    source_columns,
    with_score_kind,
)
from ethicscheck.engines._measured import Measured
from ethicscheck.engines._spark_counts import SparkReduce, count_table
from ethicscheck.engines._spark_mlflow import read_udf_outputs, udf_output, with_udf_output
from ethicscheck.engines._spark_session import java_message, spark_session
from ethicscheck.engines._wire import decode, encode
from ethicscheck.errors import DataError
from ethicscheck.models._protocol import OutputSummary
from ethicscheck.privacy import PrivacyResult
from ethicscheck.privacy._sample import SampleCut, smallest_keys

__all__ = ["spark_measure"]

#: Columns of the cached, scored DataFrame: all a partition keeps of a row (``outputs``: on each batch's first
#: row, what the model returned for the batch, as JSON; "none" when the adapter does not say).
_SCORED = "cells long, y_true boolean, decision boolean, score double, kind string, outputs string"


def spark_measure(
    config: AuditConfig, *, tracking_uri: str, config_dir: Path | None, reporter: Reporter, timings: dict[str, float]
) -> Measured:
    """Measure the configured data on Spark (see the module docstring for the jobs)."""
    data = config.data
    path = Path(data.path)
    source = path.name
    with timed(timings, "load_data"):
        kind = _checked_source(config)  # a local file's problems stop the audit before any JVM starts
        reporter.stage(f"Starting Spark ({config.spark.master})")
        spark = spark_session(config.spark, app_name=f"ethicscheck {config.name}")
        frame = _read(spark, config, kind)
        require_columns(pd.DataFrame(columns=frame.columns), configured_columns(data), source=source)
        partitions = frame.rdd.getNumPartitions()
        reporter.stage(f"Reading the label and group columns of {published_file_name(config, source)} ({partitions} partitions)")
        role_columns = [c for c in RoleTally.columns(config) if c in frame.columns]
        tallies = _per_partition(frame.select(*role_columns), _RolesJob(config, source))
        roles = RoleTally.merged([tallies[i] for i in sorted(tallies)])
        roles.check(config, source)
        roles.protect(config)
        local = data.table is None and data.location == str(path)
        sha256 = path_sha256(path) if local else hashlib.sha256(data.location.encode()).hexdigest()  # a table or URI: its name
    labels, joint = group_layout(config, roles)
    config = with_score_kind(config, roles, source)
    label_values = tuple(roles.labels)
    with timed(timings, "load_model"):
        loaded = _driver_detector(config, frame, labels, joint.shape, sha256, tracking_uri, config_dir, label_values, roles.pseudonyms)
        detector, head = loaded
        group_columns = [f.column for f in data.sensitive_features if f.bins is None]
        output = udf_output(detector, head, group_columns=group_columns, pseudonymised=bool(roles.pseudonyms))
    with timed(timings, "predict"):
        reporter.stage("Scoring the partitions" + (" with mlflow.pyfunc.spark_udf" if output is not None else ""))
        job = _ScoreJob(config, labels, joint.shape, sha256, tracking_uri, config_dir, label_values, _model_bytes(config), roles.pseudonyms)
        if output is not None:  # the model runs in the UDF; the partitions read its output with the in-memory adapter
            assert isinstance(config.model, MlflowModelConfig)
            frame = with_udf_output(spark, frame, config.model.uri, list(detector.inputs.columns), output)
            job.detector = read_udf_outputs(detector, output)
        scored = frame.mapInPandas(job, _SCORED).persist()
        table = count_table(scored, source, joint.size)
        has_score, score_is_probability, higher_is_riskier = table.kind
        n_flagged = table.n_flagged
        note = decision_note(_batch_outputs(scored), n_flagged=n_flagged, n_rows=roles.rows) if n_flagged in (0, roles.rows) else None
    with timed(timings, "fairness"):
        reporter.stage("Measuring error rates by group")
        fairness = assess_configured_passes(
            data,
            config.fairness,
            joint,
            SparkReduce(scored, table.stats),
            has_score=has_score,
            seed=config.seed,
            score_is_probability=score_is_probability,
            higher_is_riskier=higher_is_riskier,
        )
    scored.unpersist()
    privacy, found = None, set()
    settings = scan_settings(config)
    if settings is not None:
        with timed(timings, "privacy"):
            reporter.stage("Scanning text for personal data in the partitions")
            cuts = _sample_cuts(frame, config, settings, labels, joint.shape, roles)
            results = _per_partition(frame, _ScanJob(config, settings, labels, joint.shape, cuts, roles.pseudonyms))
            parts = [results[i] for i in sorted(results) if results[i][0] is not None]
            for _, values in parts:
                found |= values
            if parts:
                privacy = merge_batch_scans(config, [p for p, _ in parts], labels, sampled=cuts is not None)
    return measured(
        config,
        roles,
        fairness=fairness,
        privacy=privacy,
        found_values=found,
        detector_info=detector.info,
        n_flagged=n_flagged,
        note=note,
        score_kind=(has_score, score_is_probability, higher_is_riskier),
        sha256=sha256,
        engine={
            "name": "spark",
            "master": config.spark.master,
            "partitions": partitions,
            "rows_read": roles.rows_read,
            "scoring": "mlflow.pyfunc.spark_udf" if output is not None else "mapInPandas",
        },
    )


def _checked_source(config: AuditConfig) -> str:
    """How Spark reads the source (parquet, orc, csv; "table"), after the checks the driver can make without Spark.

    A local file or folder is checked here with the in-memory engine's messages — missing, unreadable, or
    without a configured column — so bad input stops in seconds, not after Spark's start. A URI
    (``s3a://``, ``hdfs://``, ...) and a table are read by Spark as written and checked once read.
    """
    kind = _source_kind(config)
    data = config.data
    path = Path(data.path)
    if data.table is None and data.location == str(path) and kind in ("parquet", "csv"):
        require_columns(pd.DataFrame(columns=source_columns(path, data)), configured_columns(data), source=path.name)
    return kind


def _source_kind(config: AuditConfig) -> str:
    """How Spark reads the source (parquet, orc, csv; "table"); a local file missing or unreadable stops here."""
    data = config.data
    if data.table is not None:
        return "table"
    path = Path(data.path)
    local = data.location == str(path)
    kind: str
    if data.format != "auto":
        kind = data.format
    elif path.suffix.lower() == ".orc":
        kind = "orc"
    elif local and path.is_file() and path.suffix.lower() not in (".parquet", ".pq"):
        kind = detect_format(path)
    elif path.suffix.lower() == ".csv":
        kind = "csv"
    else:  # a Parquet file, or a folder (of Parquet files unless data.format says otherwise)
        kind = "parquet"
    if kind not in ("parquet", "orc", "csv"):
        raise DataError(f"The data file {path} is {kind}; Spark reads Parquet, ORC and CSV. Convert it, or set data.engine: pandas.")
    if kind == "csv" and data.skip_rows:
        raise DataError(
            f"data.skip_rows: Spark's CSV reader cannot skip the {data.skip_rows} line(s) before the header of {path.name}: it "
            "would read them as the header or as rows. Remove them from the file, or set data.engine: stream (or pandas)."
        )
    if local and not path.exists():
        raise DataError(f"The data file {path} does not exist. Check data.path in the config.")
    if local and kind in ("parquet", "csv"):
        source_columns(path, data)  # an unreadable file gets the in-memory engine's message
    return kind


def _read(spark: Any, config: AuditConfig, kind: str | None = None, *, text: Sequence[str] = ()) -> Any:
    """The source as a Spark DataFrame: a table, or Parquet (a file or folder), ORC or CSV (``kind``: :func:`_source_kind`'s).

    A CSV's quoted fields are read as pandas reads them: a quote inside one is doubled (``""``), and one may
    span lines (so each CSV file is one partition: Spark cannot split a file whose records may hold line breaks).
    Group columns, the id and the free text (:func:`~ethicscheck.data.read_as_text`, and ``text``: a verification audit's
    subject and attribute columns) are read as the text a CSV holds, as the other engines read them ("007" stays "007",
    "NA" is text); from a typed source, an integer group or id column becomes its digits ("7", as the other engines
    name the group of an integer 7: Spark would hand a column with missing values to Python as floats, "7.0").
    """
    data = config.data
    kind = kind if kind is not None else _source_kind(config)
    groups = list(dict.fromkeys([*text_columns(data), *text]))
    wanted = list(dict.fromkeys([*read_as_text(data), *groups, *scanned_text_columns(config)]))
    if data.table is not None:
        try:
            return _integers_as_text(spark.table(data.table), groups)
        except Exception as exc:  # noqa: BLE001 - the catalog's error, reported with the table
            raise DataError(f"Spark cannot read the table {data.table!r} (data.table): {java_message(exc)[:300]}") from None
    try:
        if kind == "csv":
            options = {"header": str(data.header).lower(), "sep": data.delimiter or ",", "encoding": data.encoding, "inferSchema": "true"}
            options.update(escape='"', multiLine="true")
            if data.na_values:
                options["nullValue"] = data.na_values[0]
            frame = spark.read.options(**options).csv(data.location)
            names = list(data.columns) if data.columns is not None else [str(c) for c in frame.columns]
            if any(name in wanted for name in names):  # read again with those columns as text (the schema is inferred once)
                frame = spark.read.options(**options).schema(_with_text(frame.schema, names, wanted)).csv(data.location)
            frame = frame.toDF(*data.columns) if data.columns is not None else frame
            return _markers_as_missing(frame, wanted, data.na_values)
        return _markers_as_missing(_integers_as_text(getattr(spark.read, kind)(data.location), groups), wanted, data.na_values)
    except Exception as exc:  # noqa: BLE001 - Spark's analysis errors, reported with the file
        raise DataError(f"Spark cannot read {data.location} as {kind}: {java_message(exc)[:300]}") from None


def _with_text(schema: Any, names: list[str], text: list[str]) -> Any:
    """An inferred CSV schema with the ``text`` columns (by their ``names``, in file order) as strings."""
    from pyspark.sql.types import StringType, StructField, StructType

    return StructType([StructField(f.name, StringType(), True) if name in text else f for f, name in zip(schema.fields, names)])


def _markers_as_missing(frame: Any, text: list[str], markers: Sequence[str]) -> Any:
    """``frame`` with the values of its ``text`` columns equal to a ``data.na_values`` marker after stripping spaces as nulls.

    As the pandas reader marks them (Spark's own ``nullValue`` takes one marker, compared unstripped); done in
    the JVM, so every job (a verification audit's too) reads the same values.
    """
    from pyspark.sql import functions as sql
    from pyspark.sql.types import StringType

    wanted = sorted({m.strip() for m in markers})
    names = [f.name for f in frame.schema.fields if f.name in text and isinstance(f.dataType, StringType)] if wanted else []
    stripped = {name: sql.regexp_replace(sql.col(name), r"^\s+|\s+$", "") for name in names}
    return (
        frame.withColumns({name: sql.when(stripped[name].isin(wanted), None).otherwise(sql.col(name)) for name in names})
        if names
        else frame
    )


def _integers_as_text(frame: Any, text: list[str]) -> Any:
    """``frame`` with its integer ``text`` columns cast to their digits (Spark's cast: 7 -> "7", null stays null)."""
    from pyspark.sql import functions as sql
    from pyspark.sql.types import IntegralType

    integers = [f.name for f in frame.schema.fields if f.name in text and isinstance(f.dataType, IntegralType)]
    return frame.withColumns({name: sql.col(name).cast("string") for name in integers}) if integers else frame


def _per_partition(frame: Any, job: Callable[[Iterator[pd.DataFrame]], Any]) -> dict[int, Any]:
    """Run ``job`` over each partition's batches; its result by partition index (sent as JSON, :mod:`._wire`)."""
    rows = frame.mapInPandas(_PartitionResult(job), "part long, statistics string").collect()
    return {int(row.part): decode(row.statistics) for row in rows}


class _PartitionResult:
    """One record per partition: its index and ``job``'s result as JSON (ethicscheck's own statistics only).

    The driver never unpickles what a partition sends: :func:`~ethicscheck.engines._wire.decode` builds
    plain values, arrays and ethicscheck's dataclasses only. (The jobs themselves reach the executors the way
    PySpark sends every function: pickled by the driver, which unpickles nothing it did not write.)
    """

    def __init__(self, job: Callable[[Iterator[pd.DataFrame]], Any]) -> None:
        self.job = job

    def __call__(self, batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        yield pd.DataFrame({"part": [_partition_index()], "statistics": [encode(self.job(batches))]})


def _partition_index() -> int:
    from pyspark import TaskContext

    context = TaskContext.get()
    return context.partitionId() if context is not None else 0


def _as_read(batch: pd.DataFrame, config: AuditConfig) -> pd.DataFrame:
    """Group columns as categoricals and ``data.na_values`` as missing, as the pandas and stream engines read them."""
    for feature in config.data.sensitive_features:
        if feature.bins is None and feature.column in batch.columns:
            batch[feature.column] = batch[feature.column].astype("category")
    return marked_missing(batch, tuple(config.data.na_values))


class _RolesJob:
    def __init__(self, config: AuditConfig, source: str) -> None:
        self.config, self.source = config, source

    def __call__(self, batches: Iterator[pd.DataFrame]) -> RoleTally:
        tally = RoleTally.empty(self.config)
        for batch in batches:
            tally.add(_as_read(batch, self.config), self.config, self.source)
        return tally


def _sample_cuts(
    frame: Any, config: AuditConfig, settings: ScanSettings, labels: list[tuple[str, ...]], shape: tuple[int, ...], roles: RoleTally
) -> dict[int, SampleCut] | None:
    """Each partition's part of a ``privacy.max_rows`` sample (None: every row is scanned), chosen by content.

    One job returns each partition's smallest sample keys; the driver finds the cut, and where copies of
    one row (equal keys: the same texts and groups) straddle it, gives the ties to take to the partitions
    in order — any copies give the same scan.
    """
    max_rows = config.privacy.max_rows
    if max_rows is None or max_rows >= roles.rows:
        return None
    wanted = [c for c in dict.fromkeys([*RoleTally.columns(config), *settings[0], *settings[2]]) if c in frame.columns]
    smallest = _per_partition(frame.select(*wanted), _KeysJob(config, settings, labels, shape, roles.pseudonyms))
    cut = privacy_cut(config, smallest_keys(np.concatenate([*smallest.values(), np.zeros(0, dtype=np.uint64)]), max_rows), roles.rows)
    assert cut is not None
    cuts = {}
    for index in sorted(smallest):
        taken = min(int(np.count_nonzero(smallest[index] == cut.key)), cut.ties)
        cuts[index] = SampleCut(cut.key, taken)
        cut.ties -= taken
    return cuts


class _KeysJob:
    """A partition's ``privacy.max_rows`` smallest sample keys (:func:`~ethicscheck.engines._batches.smallest_sample_keys`)."""

    def __init__(
        self, config: AuditConfig, settings: ScanSettings, labels: list[tuple[str, ...]], shape: tuple[int, ...], pseudonyms: dict[str, str]
    ) -> None:
        self.config, self.settings, self.labels, self.shape, self.pseudonyms = config, settings, labels, shape, pseudonyms

    def __call__(self, batches: Iterator[pd.DataFrame]) -> np.ndarray:
        config = self.config
        prepared = (
            prepare_batch(
                config, _as_read(b, config), self.labels, self.shape, path=Path(config.data.path), sha256="", pseudonyms=self.pseudonyms
            )
            for b in batches
        )
        return smallest_sample_keys(config, self.settings, prepared)


def _model_bytes(config: AuditConfig) -> bytes | None:
    """A skops or ONNX model file's bytes, shipped to executors with the job (the file need not exist there)."""
    saved = model_file(config.model)
    return saved[1].read_bytes() if saved is not None else None


#: Model files written on this executor, by digest: each model is written and loaded once per executor.
_EXECUTOR_FILES: dict[str, Path] = {}


def _executor_config(config: AuditConfig, model_bytes: bytes | None) -> AuditConfig:
    if model_bytes is None:
        return config
    key = hashlib.sha256(model_bytes).hexdigest()
    saved = model_file(config.model)
    assert saved is not None  # the bytes were read from this file (_model_bytes)
    field, original = saved
    if key not in _EXECUTOR_FILES:
        target = Path(tempfile.mkdtemp(prefix="ethicscheck-model-")) / f"model{original.suffix}"
        target.write_bytes(model_bytes)
        _EXECUTOR_FILES[key] = target
    return config.model_copy(update={"model": config.model.model_copy(update={field: _EXECUTOR_FILES[key]})})


def _driver_detector(
    config: AuditConfig,
    frame: Any,
    labels: list[tuple[str, ...]],
    shape: tuple[int, ...],
    sha256: str,
    tracking_uri: str,
    config_dir: Path | None,
    label_values: tuple[Any, ...],
    pseudonyms: dict[str, str],
) -> tuple[Any, pd.DataFrame]:
    """The model loaded once on the driver against a few rows (its provenance, and errors before any job runs), and those rows prepared."""
    head = _as_read(frame.limit(100).toPandas(), config)
    prepared = prepare_batch(config, head, labels, shape, path=Path(config.data.path), sha256=sha256, pseudonyms=pseudonyms)
    if prepared is None:  # the first rows are all filtered out: load against them unfiltered
        prepared = prepare_batch(
            config.model_copy(update={"data": config.data.model_copy(update={"filter": []})}),
            head,
            labels,
            shape,
            path=Path(config.data.path),
            sha256=sha256,
            pseudonyms=pseudonyms,
        )
    assert prepared is not None
    return batch_detector(config, prepared, tracking_uri=tracking_uri, config_dir=config_dir, label_values=label_values), prepared.frame


class _ScoreJob:
    """Score each batch of a partition with the stream engine's steps; keep (cell, label, decision, score) per row."""

    def __init__(
        self,
        config: AuditConfig,
        labels: list[tuple[str, ...]],
        shape: tuple[int, ...],
        sha256: str,
        tracking_uri: str,
        config_dir: Path | None,
        label_values: tuple[Any, ...],
        model_bytes: bytes | None,
        pseudonyms: dict[str, str],
    ) -> None:
        self.config, self.labels, self.shape, self.sha256 = config, labels, shape, sha256
        self.tracking_uri, self.config_dir, self.label_values, self.model_bytes = tracking_uri, config_dir, label_values, model_bytes
        self.pseudonyms = pseudonyms
        #: A detector built on the driver (reading spark_udf's output); None: each executor loads the model.
        self.detector: Any = None

    def __call__(self, batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        config = _executor_config(self.config, self.model_bytes)
        path = Path(config.data.path)
        detector = self.detector
        for batch in batches:
            prepared = prepare_batch(
                config, _as_read(batch, config), self.labels, self.shape, path=path, sha256=self.sha256, pseudonyms=self.pseudonyms
            )
            if prepared is None:
                continue
            if detector is None:
                detector = batch_detector(
                    config, prepared, tracking_uri=self.tracking_uri, config_dir=self.config_dir, label_values=self.label_values
                )
            predictions = detector.predict(prepared.frame)
            flags = (predictions.score is not None, predictions.score_is_probability, predictions.higher_is_riskier)
            score = predictions.score if predictions.score is not None else np.zeros(len(prepared.cells))
            outputs: list[str | None] = [None] * len(prepared.cells)
            outputs[0] = "none" if predictions.outputs is None else json.dumps(dataclasses.asdict(predictions.outputs))
            yield pd.DataFrame(
                {
                    "cells": prepared.cells.astype(np.int64),
                    "y_true": prepared.y_true,
                    "decision": np.asarray(predictions.decision, dtype=bool),
                    "score": np.asarray(score, dtype=float),
                    "kind": "".join("1" if flag else "0" for flag in flags),
                    "outputs": outputs,
                }
            )


def _batch_outputs(scored: Any) -> list[OutputSummary | None]:
    """What the model returned for each batch, in row order (one small record per batch)."""
    rows = scored.where("outputs IS NOT NULL").select("outputs").collect()
    return [None if row.outputs == "none" else _output_summary(json.loads(row.outputs)) for row in rows]


def _output_summary(fields: dict[str, Any]) -> OutputSummary:
    return OutputSummary(**{**fields, "labels": tuple(fields["labels"])})


class _ScanJob:
    """Scan the rows of a partition that a whole-data scan would scan; counts and the partition's first examples."""

    def __init__(
        self,
        config: AuditConfig,
        settings: ScanSettings,
        labels: list[tuple[str, ...]],
        shape: tuple[int, ...],
        cuts: dict[int, SampleCut] | None,
        pseudonyms: dict[str, str],
    ) -> None:
        self.config, self.settings, self.labels, self.shape, self.cuts = config, settings, labels, shape, cuts
        self.pseudonyms = pseudonyms

    def __call__(self, batches: Iterator[pd.DataFrame]) -> tuple[PrivacyResult | None, set[str]]:
        config = self.config
        cut = None if self.cuts is None else self.cuts.get(_partition_index(), SampleCut(0, 0))
        parts: list[PrivacyResult] = []
        found: set[str] = set()
        for batch in batches:
            prepared = prepare_batch(
                config, _as_read(batch, config), self.labels, self.shape, path=Path(config.data.path), sha256="", pseudonyms=self.pseudonyms
            )
            if prepared is None:
                continue
            parts.append(scan_batch(config, self.settings, prepared, cut, found))
        if not parts:
            return None, found
        return merge_batch_scans(config, parts, self.labels, sampled=self.cuts is not None), found
