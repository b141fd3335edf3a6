"""No user code runs without consent, on every model path: a marker file proves whether it did."""

from __future__ import annotations

import numpy as np
import pytest

from ethicscheck.errors import ModelError
from ethicscheck.models import load_detector
from tests.models.conftest import dataset_and_config
from tests.payloads import MLFLOW_VARIANTS_CODE, MLFLOW_VARIANTS_SAFE, mlflow_folder, pickle_payload

FEATURES = {"input_columns": ["x1", "x2"]}


def _load(tabular, model: dict, tracking_uri: str | None = None):
    tracking_uri = tracking_uri or f"sqlite:///{tabular['folder'] / 'unused.db'}"
    dataset, config = dataset_and_config(tabular, {**model, **FEATURES})
    return dataset, load_detector(config, dataset, tracking_uri=tracking_uri)


@pytest.mark.parametrize("variant", MLFLOW_VARIANTS_SAFE)
@pytest.mark.parametrize("allow_pickle", [False, True])
def test_safe_flavor_is_read_from_its_file_and_bundled_code_never_runs(tabular, tmp_path, variant, allow_pickle):
    marker = tmp_path / "marker"
    folder = mlflow_folder(tmp_path / "model", marker, variant=variant, model=tabular["model"])
    dataset, detector = _load(tabular, {"kind": "mlflow", "uri": str(folder), "allow_pickle": allow_pickle})
    predictions = detector.predict(dataset.frame)
    expected = tabular["model"].predict_proba(tabular["frame"][["x1", "x2"]])[:, 1]
    np.testing.assert_allclose(predictions.score, expected, atol=1e-5)  # onnx computes in float32
    assert not marker.exists(), "bundled code ran although a safe flavor was there to load"
    assert detector.info.flavor in ("onnx", "sklearn")


@pytest.mark.parametrize(
    ("variant", "named"),
    [
        ("loader", "loader_module 'evil_loader_"),
        ("python_model", "unpickles 'python_model.pkl'"),
        ("custom", "'my_flavor'"),
        ("pickle", "unpickles 'model.pkl' (cloudpickle)"),
    ],
)
def test_model_that_runs_code_is_refused_naming_what_would_run(tabular, tmp_path, variant, named):
    marker = tmp_path / "marker"
    folder = mlflow_folder(tmp_path / "model", marker, variant=variant, model=tabular["model"])
    with pytest.raises(ModelError, match="would run code when loaded") as raised:
        _load(tabular, {"kind": "mlflow", "uri": str(folder)})
    assert named in str(raised.value) and "allow_pickle: true" in str(raised.value)
    assert not marker.exists()


@pytest.mark.parametrize("variant", MLFLOW_VARIANTS_CODE)
def test_code_runs_with_consent_and_failures_are_model_errors(tabular, tmp_path, variant):
    marker = tmp_path / "marker"
    folder = mlflow_folder(tmp_path / "model", marker, variant=variant, model=tabular["model"])
    try:
        dataset, detector = _load(tabular, {"kind": "mlflow", "uri": str(folder), "allow_pickle": True})
        detector.predict(dataset.frame)
    except ModelError:
        pass  # the payloads are not working models; what matters is that they ran, and failed cleanly
    assert marker.exists(), "with allow_pickle the model's own loader is used"


@pytest.mark.parametrize("suffix", [".pkl", ".joblib", ".pickle"])
def test_sklearn_pickles_need_consent(tabular, tmp_path, suffix):
    marker = tmp_path / "marker"
    path = pickle_payload(tmp_path / f"model{suffix}", marker)
    with pytest.raises(ModelError, match="allow_pickle: true"):
        _load(tabular, {"kind": "sklearn", "path": str(path)})
    assert not marker.exists()
    with pytest.raises(ModelError):  # the payload is not an estimator: it ran, then failed cleanly
        _load(tabular, {"kind": "sklearn", "path": str(path), "allow_pickle": True})
    assert marker.exists()


@pytest.mark.parametrize(
    ("kind", "suffix", "extra"), [("sklearn", ".skops", {}), ("onnx", ".onnx", {}), ("sklearn", ".bin", {"format": "skops"})]
)
def test_pickle_under_a_safe_name_never_runs(tabular, tmp_path, kind, suffix, extra):
    marker = tmp_path / "marker"
    path = pickle_payload(tmp_path / f"model{suffix}", marker)
    with pytest.raises(ModelError):
        _load(tabular, {"kind": kind, "path": str(path), **extra})
    assert not marker.exists()


def test_registered_payload_as_model_or_regression_baseline_never_runs(tabular, tmp_path):
    import mlflow

    from ethicscheck.gates import load_baseline

    marker = tmp_path / "marker"
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    client = mlflow.MlflowClient(tracking_uri=uri)
    folder = mlflow_folder(tmp_path / "model", marker, variant="loader", model=tabular["model"])
    client.create_registered_model("payload")
    client.create_model_version("payload", source=str(folder))
    with pytest.raises(ModelError, match="loader_module 'evil_loader_"):
        _load(tabular, {"kind": "mlflow", "uri": "models:/payload/1"}, tracking_uri=uri)
    with pytest.raises(Exception, match="No ethicscheck audit of payload version 1"):
        load_baseline("models:/payload/1", tracking_uri=uri)
    assert not marker.exists()


def test_callable_exit_and_exceptions_are_model_errors(tabular, tmp_path):
    script = tmp_path / "model.py"
    script.write_text(
        'import sys\ndef exits(frame):\n    sys.exit(3)\ndef leaks(frame):\n    raise ValueError("could not convert string to float: '
        "'Call Anna on +44 7700 900123 today'\")\n"
    )
    with pytest.raises(ModelError, match=r"called sys.exit\(3\)"):
        dataset, detector = _load(tabular, {"kind": "callable", "target": f"{script}:exits"})
        detector.predict(dataset.frame)
    with pytest.raises(ModelError) as raised:
        dataset, detector = _load(tabular, {"kind": "callable", "target": f"{script}:leaks"})
        detector.predict(dataset.frame)
    assert "ValueError" in str(raised.value) and "7700" not in str(raised.value) and "Anna" not in str(raised.value)
