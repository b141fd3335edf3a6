"""Helpers that put small real models into a real MLflow store for the tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression


def scored_frame(seed: int, n: int, groups: tuple[str, ...]) -> pd.DataFrame:
    """One feature x, a group column and a label that depends on x."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"x": rng.normal(size=n), "group": rng.choice(list(groups), n)})
    frame["label"] = (frame["x"] + rng.normal(0, 1, n) > 1).astype(int)
    return frame


def register_logistic(uri: str, folder: Path | None, name: str, frame: pd.DataFrame, *, strengths: tuple[float, ...] = (1.0,)) -> None:
    """Log one logistic regression per strength (skops) and register each as the next version of ``name``."""
    import mlflow

    client = mlflow.MlflowClient(tracking_uri=uri)
    mlflow.set_tracking_uri(uri)
    experiment = None
    if folder is not None:  # a local store needs an artifact location; a server proxies its own
        found = client.get_experiment_by_name("models")
        experiment = found.experiment_id if found else client.create_experiment("models", artifact_location=(folder / "artifacts").as_uri())
    for strength in strengths:
        with mlflow.start_run(experiment_id=experiment):
            model = LogisticRegression(C=strength).fit(frame[["x"]], frame["label"])
            mlflow.sklearn.log_model(model, name="model", registered_model_name=name, input_example=frame[["x"]].head(2))


def offline_config(data: Path, tracking_uri: str, name: str) -> dict:
    """An audit of precomputed decisions (column 'flagged') that logs to ``tracking_uri``."""
    return {
        "name": name,
        "data": {"path": str(data), "label": {"column": "label"}, "sensitive_features": [{"column": "group"}]},
        "model": {"kind": "precomputed", "decision_column": "flagged"},
        "fairness": {"n_boot": 100},
        "tracking": {"uri": tracking_uri},
    }
