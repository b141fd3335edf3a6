"""What ethicscheck's MLflow evaluator can promise about user code, and what it cannot.

``mlflow.models.evaluate(model_uri, ..., evaluators=["ethicscheck"])`` hands the evaluator a model MLflow has
already loaded: MLflow imports a ``loader_module`` before any evaluator is called. The first test pins that
(the README says so; if MLflow ever changes it, the README must change too). The others test what the
evaluator controls: it loads nothing itself (a whole audit through it is
tests/tracking/test_mlflow_record.py's), refuses keys it does not know (``model``, ``allow_pickle``, another
evaluator's ``pos_label``), and guards the model's scoring.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest

from ethicscheck.errors import ConfigError, ModelError
from tests.payloads import mlflow_folder

OPTIONS = {"sensitive_features": ["group"], "fairness": {"n_boot": 20}}


@pytest.fixture(scope="module")
def store(tmp_path_factory, session_tracking_uri):
    """The session's MLflow store and 300 rows with a feature, a group, a label and precomputed decisions."""
    import mlflow

    folder = tmp_path_factory.mktemp("evaluate")
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"x": rng.normal(size=300), "group": rng.choice(["a", "b"], 300)})
    frame["label"] = (frame["x"] + rng.normal(0, 1, 300) > 0.5).astype(int)
    frame["flagged"] = (frame["x"] > 0.5).astype(int)
    mlflow.set_tracking_uri(session_tracking_uri)
    experiment = mlflow.MlflowClient().create_experiment(f"evaluator-{folder.name}", artifact_location=(folder / "artifacts").as_uri())
    return {"folder": folder, "frame": frame, "experiment": experiment}


def _evaluate(store, model, options, **kwargs):  # type: ignore[no-untyped-def]
    import mlflow

    with mlflow.start_run(experiment_id=store["experiment"]):
        return mlflow.models.evaluate(
            model,
            kwargs.pop("data", store["frame"][["x", "group", "label"]]),
            targets="label",
            model_type="classifier",
            evaluators=["ethicscheck"],
            evaluator_config={"ethicscheck": options},
            **kwargs,
        )


def test_mlflow_runs_a_model_uris_loader_code_before_any_evaluator(store):
    """What ethicscheck cannot promise: the loader ran although the evaluator refused the config at its first line."""
    marker = store["folder"] / "loader-ran"
    folder = mlflow_folder(store["folder"] / "loader-model", marker, variant="loader")
    with pytest.raises(ConfigError, match="allow_pickle"):
        _evaluate(store, str(folder), {**OPTIONS, "allow_pickle": False})
    assert marker.exists(), "MLflow no longer loads the model before the evaluators: update the README's evaluator paragraph"


@pytest.mark.parametrize("key", ["model", "pos_label", "col_mapping"])
def test_keys_the_evaluator_does_not_read_are_refused_by_name(store, key):
    with pytest.raises(ConfigError, match=rf"unknown key\(s\) '{key}'.*evaluator_config=\{{'ethicscheck'"):
        _evaluate(store, None, {**OPTIONS, key: 1}, data=store["frame"], predictions="flagged")


@pytest.mark.parametrize(
    ("behaviour", "says"),
    [(lambda: sys.exit(3), r"called sys.exit\(3\) while scoring rows"), (lambda: 1 / 0, "raised ZeroDivisionError")],
)
def test_a_model_that_raises_or_exits_while_scoring_becomes_a_model_error(store, behaviour, says):
    calls = []

    def model(frame: pd.DataFrame) -> np.ndarray:
        calls.append(len(frame))
        if len(calls) > 1 or len(frame) == len(store["frame"]):  # the evaluator's call (MLflow may try a few rows first)
            behaviour()
        return np.zeros(len(frame))

    with pytest.raises(ModelError, match=says):
        _evaluate(store, model, OPTIONS)
