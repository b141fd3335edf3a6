"""MLflow models on Spark: ``mlflow.pyfunc.spark_udf`` where the user's consent allows it, ``mapInPandas`` where not.

The consent rules are the in-memory ones (:mod:`ethicscheck.models._mlflow`): no code that comes with a
model runs unless ``model.allow_pickle: true`` says so.

- **A model that runs code when loaded** (a custom python model, a flavor with a ``loader_module`` or
  ``code_paths``, a pickled flavor) is refused on the driver without ``allow_pickle`` before any job
  runs (the in-memory message). With it, every executor loads the model through ``spark_udf``
  (``env_manager="local"``: this Python, no environment is built), with
  ``MLFLOW_ALLOW_PICKLE_DESERIALIZATION`` set for that UDF only — as in memory, for that load only.
  The UDF returns the model's raw output as Spark columns; the in-memory adapter's own reading of
  outputs (labels, scores or probabilities, the threshold, the checks against the label values) turns
  it into decisions in the partition, so the audit is the in-memory audit.
- **An ONNX flavor, or a scikit-learn flavor saved with skops**, is read in memory straight from its
  file, never through ``mlflow.pyfunc``: nothing the ``MLmodel`` file names is imported. ``spark_udf``
  cannot honour that: each executor would load the model with ``mlflow.pyfunc.load_model``, which
  imports the ``loader_module`` ``MLmodel`` names and puts its ``code_paths`` first on the import path.
  These models are scored with ``mapInPandas`` around the in-memory loader instead, with or without
  ``allow_pickle``.
- **A scikit-learn flavor read as an estimator** (``allow_pickle: true``, ``model.output: auto``): in
  memory ``predict_proba`` gives scores, while the pyfunc ``predict`` that ``spark_udf`` calls gives
  labels, so the audit would change: ``mapInPandas`` with the in-memory loader.
- **Model inputs that are pseudonymised group columns**: in memory the model sees the pseudonyms;
  ``spark_udf`` would score the values as read: ``mapInPandas``.
- **Outputs Spark has no column type for** (nested objects, mixed types): ``mapInPandas``.

``run.engine.scoring`` in audit.json says which one scored the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ethicscheck.models._mlflow import PyfuncDetector
from ethicscheck.models._protocol import Predictions

__all__ = ["UDF_COLUMN", "UdfOutput", "read_udf_outputs", "udf_output", "with_udf_output"]

#: The column the UDF's output is written to (one per field of a table output).
UDF_COLUMN = "__ethicscheck_model_output"

#: Spark's column type for each NumPy dtype kind a model returns.
_SPARK_TYPES = {"b": "boolean", "i": "bigint", "u": "bigint", "f": "double", "U": "string", "O": "string"}


@dataclass(frozen=True)
class UdfOutput:
    """The shape of a model's raw output, as the driver saw it on the first rows, and its Spark type.

    Attributes
    ----------
    layout : {"column", "matrix", "table"}
        One value per row, a row of numbers per row (a 2-D array), or a table with named columns.
    result_type : str
        The UDF's Spark type (DDL).
    names : tuple of str
        The table's column names (``table`` only).
    """

    layout: str
    result_type: str
    names: tuple[str, ...] = ()

    def raw(self, batch: pd.DataFrame) -> Any:
        """What the model returned for ``batch``'s rows, rebuilt from the UDF's column as the model gave it."""
        values = batch[UDF_COLUMN]
        if self.layout == "column":
            return values.to_numpy()
        if self.layout == "matrix":
            return np.stack([np.asarray(v) for v in values]) if len(values) else np.zeros((0, 0))
        rows = [v if isinstance(v, dict) else v.asDict() for v in values]
        return pd.DataFrame(rows, columns=list(self.names))


def udf_output(detector: Any, head: pd.DataFrame, *, group_columns: list[str], pseudonymised: bool) -> UdfOutput | None:
    """How ``spark_udf`` would carry this model's output, or None where it cannot score as memory does (module docstring).

    ``head``: the first rows, prepared as the partitions prepare them; the driver's model (loaded with the
    user's ``allow_pickle``, as in memory) scores them to learn the output's shape.
    """
    if type(detector) is not PyfuncDetector:  # ONNX, skops, or an estimator's predict_proba: no spark_udf
        return None
    if pseudonymised and set(detector.inputs.columns) & set(group_columns):
        return None
    raw = detector.model.predict(head[detector.inputs.columns])
    if isinstance(raw, dict) and "predictions" in raw:
        raw = raw["predictions"]
    if isinstance(raw, list) and raw and isinstance(raw[0], dict):
        raw = pd.DataFrame(raw)
    if isinstance(raw, pd.DataFrame):
        types = [_spark_type(raw[c].to_numpy()) for c in raw.columns]
        names = tuple(str(c) for c in raw.columns)
        if None in types or len(set(names)) != len(names) or any("`" in n for n in names):
            return None
        return UdfOutput("table", ", ".join(f"`{n}` {t}" for n, t in zip(names, types)), names)
    array = np.asarray(raw.to_numpy() if isinstance(raw, pd.Series) else raw)
    kind = _spark_type(array.reshape(-1)) if array.ndim in (1, 2) else None
    if kind is None:
        return None
    return UdfOutput("column", kind) if array.ndim == 1 else UdfOutput("matrix", f"array<{kind}>")


def _spark_type(values: np.ndarray) -> str | None:
    """The Spark type of one output column; None for objects that are not all strings."""
    kind = _SPARK_TYPES.get(values.dtype.kind)
    if kind == "string" and values.dtype.kind == "O" and not all(isinstance(v, str) for v in values):
        return None
    return kind


def with_udf_output(spark: Any, frame: Any, uri: str, inputs: list[str], output: UdfOutput) -> Any:
    """``frame`` with the model's output in :data:`UDF_COLUMN`, scored by ``mlflow.pyfunc.spark_udf`` on the executors."""
    import mlflow
    from pyspark.sql import functions as sql

    predict = mlflow.pyfunc.spark_udf(
        spark,
        uri,
        result_type=output.result_type,
        env_manager="local",
        extra_env={"MLFLOW_ALLOW_PICKLE_DESERIALIZATION": "true"},  # the user's allow_pickle: true, for this UDF
    )
    return frame.withColumn(UDF_COLUMN, predict(sql.struct(*[sql.col(f"`{c}`") for c in inputs])))


class _UdfOutputs(PyfuncDetector):
    """The driver's detector in a partition: reads the outputs ``spark_udf`` wrote instead of calling a model."""

    def __init__(self, detector: PyfuncDetector, output: UdfOutput) -> None:
        super().__init__(
            None,
            inputs=detector.inputs,
            positive_class=detector.positive_class,
            threshold=detector.threshold,
            batch_size=detector.batch_size,
            info=detector.info,
            output=detector.output,
        )
        self.label_values = detector.label_values
        self.udf = output

    def _score(self, batch: pd.DataFrame) -> Predictions:
        return self._read(self.udf.raw(batch), len(batch))


def read_udf_outputs(detector: PyfuncDetector, output: UdfOutput) -> Any:
    """A detector for the partitions whose ``predict`` reads :data:`UDF_COLUMN` in the in-memory batches."""
    return _UdfOutputs(detector, output)
