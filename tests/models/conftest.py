from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from ethicscheck.config import config_from_dict
from ethicscheck.data import load_dataset


@pytest.fixture(scope="module")
def tabular(tmp_path_factory):
    """A tabular evaluation file (x1, x2 features) and a logistic regression fitted on it."""
    folder = tmp_path_factory.mktemp("tabular")
    rng = np.random.default_rng(0)
    n = 600
    frame = pd.DataFrame({"row_id": np.arange(n), "x1": rng.normal(size=n), "x2": rng.normal(size=n), "group": rng.choice(["a", "b"], n)})
    frame["label"] = (frame["x1"] + 0.5 * frame["x2"] + rng.normal(0, 0.5, n) > 0).astype(int)
    path = folder / "tabular.csv"
    frame.to_csv(path, index=False)
    model = LogisticRegression().fit(frame[["x1", "x2"]], frame["label"])
    return {"folder": folder, "path": path, "frame": frame, "model": model}


def tabular_config(tabular, model: dict, **data):
    block = {"path": str(tabular["path"]), "label": {"column": "label"}, "sensitive_features": [{"column": "group"}], "id_column": "row_id"}
    block.update(data)
    return config_from_dict({"name": "t", "data": block, "model": model})


def dataset_and_config(tabular, model: dict, **data):
    config = tabular_config(tabular, model, **data)
    return load_dataset(config), config
