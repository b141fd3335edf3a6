from __future__ import annotations

import pickle

import joblib
import numpy as np
import pandas as pd
import pytest
import skops.io as sio

from ethicscheck.config import config_from_dict
from ethicscheck.data import load_dataset
from ethicscheck.errors import ConfigError, DataError, ModelError
from ethicscheck.models import Detector, load_detector
from tests.models.conftest import dataset_and_config

FEATURES = {"input_columns": ["x1", "x2"]}


def expected_score(tabular):
    return tabular["model"].predict_proba(tabular["frame"][["x1", "x2"]])[:, 1]


def predict(tabular, model: dict, tracking_uri: str = "sqlite:///unused.db", **data):
    dataset, config = dataset_and_config(tabular, model, **data)
    detector = load_detector(config, dataset, tracking_uri=tracking_uri)
    assert isinstance(detector, Detector)
    return detector, detector.predict(dataset.frame)


# --------------------------------------------------------------------------- sklearn


def test_sklearn_skops_text_pipeline(demo_inputs):
    config = config_from_dict(
        {
            "name": "t",
            "data": {
                "path": str(demo_inputs.eval_path),
                "label": {"column": "label"},
                "sensitive_features": [{"column": "nationality"}],
                "text_column": "text",
            },
            "model": {"kind": "sklearn", "path": str(demo_inputs.model_path), "batch_size": 700},
        }
    )
    dataset = load_dataset(config)
    detector = load_detector(config, dataset, tracking_uri="sqlite:///unused.db")
    predictions = detector.predict(dataset.frame)
    model = sio.load(demo_inputs.model_path, trusted=[])
    np.testing.assert_allclose(predictions.score, model.predict_proba(dataset.frame["text"])[:, 1], atol=1e-12)
    assert predictions.decision.tolist() == (predictions.score >= 0.5).tolist()
    assert detector.info.sha256 and detector.info.flavor == "skops"


def test_sklearn_tabular_skops(tabular):
    path = tabular["folder"] / "lr.skops"
    sio.dump(tabular["model"], path)
    _, predictions = predict(tabular, {"kind": "sklearn", "path": str(path), **FEATURES})
    np.testing.assert_allclose(predictions.score, expected_score(tabular), atol=1e-12)


def test_pickle_refused_without_allow_pickle_then_loaded(tabular):
    path = tabular["folder"] / "lr.joblib"
    joblib.dump(tabular["model"], path)
    with pytest.raises(ModelError, match="allow_pickle: true"):
        predict(tabular, {"kind": "sklearn", "path": str(path), **FEATURES})
    _, predictions = predict(tabular, {"kind": "sklearn", "path": str(path), "allow_pickle": True, **FEATURES})
    np.testing.assert_allclose(predictions.score, expected_score(tabular), atol=1e-12)
    pkl = tabular["folder"] / "lr.pkl"
    pkl.write_bytes(pickle.dumps(tabular["model"]))
    with pytest.raises(ModelError, match="pickle file"):
        predict(tabular, {"kind": "sklearn", "path": str(pkl), **FEATURES})


def test_skops_untrusted_types_are_listed_and_can_be_trusted(tabular):
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    from tests.models.helpers import custom_transform

    pipeline = make_pipeline(FunctionTransformer(custom_transform), tabular["model"])
    path = tabular["folder"] / "untrusted.skops"
    sio.dump(pipeline, path)
    untrusted = sio.get_untrusted_types(file=path)
    assert untrusted
    with pytest.raises(ModelError, match="does not trust") as info:
        predict(tabular, {"kind": "sklearn", "path": str(path), **FEATURES})
    assert untrusted[0] in str(info.value)
    _, predictions = predict(tabular, {"kind": "sklearn", "path": str(path), "trusted_types": untrusted, **FEATURES})
    assert len(predictions.decision) == 600


def test_positive_class_must_be_a_model_class(tabular):
    path = tabular["folder"] / "lr2.skops"
    sio.dump(tabular["model"], path)
    with pytest.raises(ModelError, match="not among the model's classes"):
        predict(tabular, {"kind": "sklearn", "path": str(path), "positive_class": "yes", **FEATURES})


def test_missing_model_file(tabular):
    with pytest.raises(ModelError, match="does not exist"):
        predict(tabular, {"kind": "sklearn", "path": str(tabular["folder"] / "nope.skops"), **FEATURES})


def test_wrong_input_columns_name_the_field(tabular):
    path = tabular["folder"] / "lr3.skops"
    sio.dump(tabular["model"], path)
    with pytest.raises(DataError, match=r"'x9' \(model.input_columns\[1\]\)"):
        predict(tabular, {"kind": "sklearn", "path": str(path), "input_columns": ["x1", "x9"]})


# --------------------------------------------------------------------------- onnx


def test_onnx_converted_by_skl2onnx_matches_sklearn(tabular):
    from skl2onnx import to_onnx

    path = tabular["folder"] / "lr.onnx"
    onnx_model = to_onnx(tabular["model"], tabular["frame"][["x1", "x2"]].to_numpy(dtype=np.float32)[:1], target_opset=17)
    path.write_bytes(onnx_model.SerializeToString())
    detector, predictions = predict(tabular, {"kind": "onnx", "path": str(path), **FEATURES})
    np.testing.assert_allclose(predictions.score, expected_score(tabular), atol=1e-5)
    assert detector.info.kind == "onnx" and detector.info.sha256


def test_onnx_garbage_file(tabular):
    path = tabular["folder"] / "bad.onnx"
    path.write_bytes(b"not a model")
    with pytest.raises(ModelError, match="not a loadable ONNX model"):
        predict(tabular, {"kind": "onnx", "path": str(path), **FEATURES})


# --------------------------------------------------------------------------- callable


@pytest.mark.parametrize(
    ("target", "output", "check"),
    [
        ("tests.models.helpers:score_from_x1", "auto", lambda p, f: np.allclose(p.score, 1 / (1 + np.exp(-f["x1"])))),
        ("tests.models.helpers:labels_from_x1", "label", lambda p, f: p.score is None and p.decision.tolist() == (f["x1"] > 0).tolist()),
    ],
)
def test_callable_module_targets(tabular, target, output, check):
    model = {"kind": "callable", "target": target, "output": output, "positive_class": "flag" if "labels" in target else None, **FEATURES}
    _, predictions = predict(tabular, model)
    assert check(predictions, tabular["frame"])


def test_callable_file_target(tabular, tmp_path):
    module = tmp_path / "my_model.py"
    module.write_text("def predict(frame):\n    return (frame['x2'] > 0).astype(int).to_numpy()\n")
    _, predictions = predict(tabular, {"kind": "callable", "target": f"{module}:predict", **FEATURES})
    assert predictions.decision.tolist() == (tabular["frame"]["x2"] > 0).tolist()


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("tests.models.helpers:wrong_length", "returned output of shape 601 for 600 rows"),
        ("tests.models.helpers:broken", "raised RuntimeError: model exploded"),
        ("tests.models.helpers:nothing_here", "has no callable named 'nothing_here'"),
        ("no_such_package.mod:fn", "cannot import 'no_such_package.mod'"),
        ("missing_colon", "must look like"),
    ],
)
def test_callable_errors(tabular, target, message):
    with pytest.raises(ModelError, match=message):
        predict(tabular, {"kind": "callable", "target": target, **FEATURES})


# --------------------------------------------------------------------------- precomputed


def test_precomputed_columns(tabular):
    _, predictions = predict(tabular, {"kind": "precomputed", "decision_column": "label"})
    assert predictions.decision.tolist() == (tabular["frame"]["label"] == 1).tolist()


def test_precomputed_file_joined_on_id(tabular, tmp_path):
    shuffled = tabular["frame"].sample(frac=1.0, random_state=1)
    scores = pd.DataFrame({"row_id": shuffled["row_id"], "p": 1 / (1 + np.exp(-shuffled["x1"]))})
    path = tmp_path / "scores.parquet"
    scores.to_parquet(path)
    _, predictions = predict(tabular, {"kind": "precomputed", "score_column": "p", "path": str(path), "threshold": 0.7})
    expected = 1 / (1 + np.exp(-tabular["frame"]["x1"].to_numpy()))
    np.testing.assert_allclose(predictions.score, expected)
    assert predictions.decision.tolist() == (expected >= 0.7).tolist()
    scores.iloc[:-5].to_parquet(path)
    with pytest.raises(DataError, match="5 of 600 evaluation rows have no prediction"):
        predict(tabular, {"kind": "precomputed", "score_column": "p", "path": str(path)})


def test_precomputed_scores_outside_unit_interval_need_a_threshold_on_their_scale(tabular):
    with pytest.raises(ConfigError, match=r"model.score_column 'x1' ranges from -3.89942 to 3.06604, not 0 to 1.*Set model.threshold"):
        predict(tabular, {"kind": "precomputed", "score_column": "x1"})
    _, predictions = predict(tabular, {"kind": "precomputed", "score_column": "x1", "threshold": 0.25})
    assert predictions.decision.tolist() == (tabular["frame"]["x1"] >= 0.25).tolist()
    assert not predictions.score_is_probability


def test_precomputed_file_needs_id_column(tabular, tmp_path):
    dataset_path = tabular["path"]
    config = config_from_dict(
        {
            "name": "t",
            "data": {"path": str(dataset_path), "label": {"column": "label"}, "sensitive_features": [{"column": "group"}]},
            "model": {"kind": "precomputed", "decision_column": "d", "path": str(tmp_path / "p.csv")},
        }
    )
    with pytest.raises(ConfigError, match="data.id_column must be set"):
        load_detector(config, load_dataset(config), tracking_uri="sqlite:///unused.db")
