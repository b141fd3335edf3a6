from __future__ import annotations

import numpy as np
import pytest

from ethicscheck.errors import ModelError
from ethicscheck.models import load_detector
from tests.models.conftest import dataset_and_config
from tests.servers import mlflow_process

FEATURES = {"input_columns": ["x1", "x2"]}


@pytest.fixture(scope="module")
def registered(tabular, tmp_path_factory):
    """The tabular model logged (skops) and registered as 'detector' v1 with alias 'champion'."""
    import mlflow

    folder = tmp_path_factory.mktemp("mlflow_models")
    uri = f"sqlite:///{folder / 'mlflow.db'}"
    client = mlflow.MlflowClient(tracking_uri=uri)
    experiment = client.create_experiment("models", artifact_location=(folder / "artifacts").as_uri())
    mlflow.set_tracking_uri(uri)
    example = tabular["frame"][["x1", "x2"]].head(3)
    with mlflow.start_run(experiment_id=experiment) as run:
        mlflow.sklearn.log_model(tabular["model"], name="model", registered_model_name="detector", input_example=example)
        mlflow.sklearn.log_model(tabular["model"], name="pickled", serialization_format="cloudpickle", input_example=example)
    client.set_registered_model_alias("detector", "champion", "1")
    local = folder / "saved_model"
    mlflow.sklearn.save_model(tabular["model"], str(local), pyfunc_predict_fn="predict_proba", input_example=example)
    return {"uri": uri, "run_id": run.info.run_id, "local": local, "folder": folder}


def expected_score(tabular):
    return tabular["model"].predict_proba(tabular["frame"][["x1", "x2"]])[:, 1]


@pytest.mark.parametrize("model_uri", ["runs:/{run_id}/model", "models:/detector/1", "models:/detector@champion"])
def test_mlflow_uris_load_skops_models_with_scores(tabular, registered, model_uri):
    dataset, config = dataset_and_config(tabular, {"kind": "mlflow", "uri": model_uri.format(run_id=registered["run_id"]), **FEATURES})
    detector = load_detector(config, dataset, tracking_uri=registered["uri"])
    predictions = detector.predict(dataset.frame)
    np.testing.assert_allclose(predictions.score, expected_score(tabular), atol=1e-12)
    assert detector.info.flavor == "sklearn"


def test_pickled_mlflow_model_needs_allow_pickle(tabular, registered):
    uri = f"runs:/{registered['run_id']}/pickled"
    dataset, config = dataset_and_config(tabular, {"kind": "mlflow", "uri": uri, **FEATURES})
    with pytest.raises(ModelError, match="allow_pickle: true"):
        load_detector(config, dataset, tracking_uri=registered["uri"])
    dataset, config = dataset_and_config(tabular, {"kind": "mlflow", "uri": uri, "allow_pickle": True, **FEATURES})
    predictions = load_detector(config, dataset, tracking_uri=registered["uri"]).predict(dataset.frame)
    np.testing.assert_allclose(predictions.score, expected_score(tabular), atol=1e-12)


def test_unknown_mlflow_uri(tabular, registered):
    dataset, config = dataset_and_config(tabular, {"kind": "mlflow", "uri": "models:/nobody/7", **FEATURES})
    with pytest.raises(ModelError, match="could not be resolved"):
        load_detector(config, dataset, tracking_uri=registered["uri"])


def test_http_dead_port_fails_after_retries(tabular):
    from tests.servers import free_port

    dataset, config = dataset_and_config(
        tabular, {"kind": "http", "url": f"http://127.0.0.1:{free_port()}", "retries": 1, "timeout_s": 2, **FEATURES}
    )
    detector = load_detector(config, dataset, tracking_uri="sqlite:///unused.db")
    with pytest.raises(ModelError, match="did not answer after 2 attempts"):
        detector.predict(dataset.frame)


@pytest.mark.slow
def test_http_against_a_real_mlflow_scoring_server(tabular, registered):
    args = ["models", "serve", "-m", str(registered["local"]), "--env-manager", "local"]
    with mlflow_process(args, "/ping", log=registered["folder"] / "serve.log") as base:
        dataset, config = dataset_and_config(
            tabular, {"kind": "http", "url": f"http://user:secret@{base.removeprefix('http://')}", "batch_size": 250, **FEATURES}
        )
        detector = load_detector(config, dataset, tracking_uri="sqlite:///unused.db")
        predictions = detector.predict(dataset.frame)
    np.testing.assert_allclose(predictions.score, expected_score(tabular), atol=1e-9)
    assert "secret" not in detector.info.source and "user" not in detector.info.source


def test_a_local_mlflow_model_leaves_no_tracking_store_behind(tabular, registered, tmp_path, monkeypatch):
    """Tracking off resolves to the default sqlite:///mlflow.db; loading a model from a folder must not create it."""
    monkeypatch.chdir(tmp_path)
    dataset, config = dataset_and_config(tabular, {"kind": "mlflow", "uri": str(registered["local"]), **FEATURES})
    predictions = load_detector(config, dataset, tracking_uri="sqlite:///mlflow.db").predict(dataset.frame)
    np.testing.assert_allclose(predictions.score, expected_score(tabular), atol=1e-12)
    assert sorted(p.name for p in tmp_path.iterdir()) == []
