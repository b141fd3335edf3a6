"""Which MLflow models spark_udf scores (only those the user allowed to run code, read as in memory), and how
their raw outputs travel as Spark columns and come back as the model gave them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ethicscheck.engines._spark_mlflow import UDF_COLUMN, UdfOutput, read_udf_outputs, udf_output
from ethicscheck.models._inputs import InputSpec
from ethicscheck.models._mlflow import PyfuncDetector
from ethicscheck.models._protocol import ModelInfo
from ethicscheck.models._sklearn import EstimatorDetector

HEAD = pd.DataFrame({"x": [0.1, -2.0, 3.0], "group": ["a", "b", "a"]})


class _Model:
    def __init__(self, raw: object) -> None:
        self.raw = raw

    def predict(self, frame: pd.DataFrame) -> object:
        assert list(frame.columns) == ["x"]
        if isinstance(self.raw, np.ndarray) and len(self.raw) != len(frame):  # scored in batches: the batch's rows
            return self.raw[frame.index.to_numpy()]
        return self.raw


def _detector(raw: object, *, inputs: tuple[str, ...] = ("x",)) -> PyfuncDetector:
    info = ModelInfo(kind="mlflow", source="models:/d/1", flavor="python_function")
    return PyfuncDetector(
        _Model(raw), inputs=InputSpec(list(inputs), as_series=False), positive_class=1, threshold=0.5, batch_size=2, info=info
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (np.array([0.2, 0.7, 0.9]), UdfOutput("column", "double")),
        (pd.Series([1, 0, 1]), UdfOutput("column", "bigint")),
        (np.array([True, False, True]), UdfOutput("column", "boolean")),
        (np.array(["yes", "no", "yes"], dtype=object), UdfOutput("column", "string")),
        (np.array([[0.8, 0.2], [0.3, 0.7], [0.1, 0.9]]), UdfOutput("matrix", "array<double>")),
        (pd.DataFrame({"no": [0.8, 0.3, 0.1], "yes": [0.2, 0.7, 0.9]}), UdfOutput("table", "`no` double, `yes` double", ("no", "yes"))),
        ([{"label": "yes"}, {"label": "no"}, {"label": "yes"}], UdfOutput("table", "`label` string", ("label",))),
        ({"predictions": [0.2, 0.7, 0.9]}, UdfOutput("column", "double")),
    ],
    ids=["scores", "labels", "booleans", "strings", "matrix", "table", "records", "predictions"],
)
def test_outputs_get_a_spark_type_and_come_back_as_the_model_gave_them(raw, expected):
    output = udf_output(_detector(raw), HEAD, group_columns=["group"], pseudonymised=False)
    assert output == expected
    if expected.layout == "column":
        spark_column = list(np.asarray(raw["predictions"] if isinstance(raw, dict) else raw))
    elif expected.layout == "matrix":
        spark_column = [list(row) for row in raw]  # an array column reaches a partition as arrays
    else:
        spark_column = pd.DataFrame(raw).to_dict("records")  # a struct column reaches a partition as dicts
    back = output.raw(pd.DataFrame({UDF_COLUMN: spark_column}))
    if isinstance(back, pd.DataFrame):
        pd.testing.assert_frame_equal(back, pd.DataFrame(raw))
    else:
        np.testing.assert_array_equal(back, np.asarray(raw["predictions"] if isinstance(raw, dict) else raw))


def test_what_spark_udf_cannot_score_as_memory_does_stays_with_map_in_pandas():
    mixed = np.array([1, "yes", 0.5], dtype=object)
    assert udf_output(_detector(mixed), HEAD, group_columns=["group"], pseudonymised=False) is None  # no column type
    cube = np.zeros((3, 2, 2))
    assert udf_output(_detector(cube), HEAD, group_columns=["group"], pseudonymised=False) is None
    grouped = _detector(np.array([0.2, 0.7, 0.9]), inputs=("x", "group"))
    assert udf_output(grouped, HEAD, group_columns=["group"], pseudonymised=True) is None  # the model sees pseudonyms in memory
    estimator = EstimatorDetector.__new__(EstimatorDetector)  # predict_proba in memory, pyfunc predict in a UDF
    assert udf_output(estimator, HEAD, group_columns=["group"], pseudonymised=False) is None


def test_partitions_read_the_udf_output_with_the_in_memory_adapter():
    raw = np.array([0.2, 0.7, 0.9, 0.4])
    detector = _detector(raw)
    detector.label_values = (0, 1)
    reader = read_udf_outputs(detector, UdfOutput("column", "double"))
    assert reader.model is None and reader.label_values == (0, 1)
    predictions = reader.predict(pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], UDF_COLUMN: raw}))
    in_memory = _detector(raw).predict(pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0]}))
    np.testing.assert_array_equal(predictions.decision, [False, True, True, False])
    np.testing.assert_array_equal(predictions.score, raw)
    assert predictions.outputs == in_memory.outputs
