"""A CSV's group and id columns are read as text ("007" is a group of its own); a model that takes such a column
as an input gets it typed as a CSV reader types any other column, so a model trained on numbers still scores."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import skops.io
from sklearn.linear_model import LogisticRegression

from ethicscheck.audit import run_audit
from ethicscheck.config import load_config
from ethicscheck.models._inputs import typed_as_csv


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["007", "7", "12"], [7, 7, 12]),
        (["1", None, "0"], [1.0, np.nan, 0.0]),
        (["7.5", "1e3", "2"], [7.5, 1000.0, 2.0]),
        (["True", "false", "TRUE"], [True, False, True]),
        (["NA", "7"], ["NA", "7"]),
        (["a", "b"], ["a", "b"]),
    ],
)
def test_typed_as_csv_types_text_as_a_csv_reader_does(cells, expected):
    typed = typed_as_csv(pd.Series(cells, dtype="category"))
    assert typed.tolist() == pytest.approx(expected, nan_ok=True) if typed.dtype.kind == "f" else typed.tolist() == expected
    if all(type(v) is int for v in expected):
        assert typed.dtype.kind == "i"


def test_an_empty_column_stays_as_it_is():
    column = pd.Series([None, None], dtype="object")
    assert typed_as_csv(column) is column


def _audit_numeric_model(tmp_path, engine: str, numeric: str, privacy: str) -> tuple[dict, np.ndarray]:
    """A CSV with a number column ``numeric`` (0-2) a scikit-learn model was trained on with ``x``, audited on ``engine``
    with the model taking both and the group column ``sex``: audit.json and the model's own decisions."""
    rng = np.random.default_rng(0)
    n = 600
    frame = pd.DataFrame({"id": np.arange(n), "x": rng.normal(size=n), "sex": rng.integers(0, 2, n)})
    frame[numeric] = frame.sex if numeric == "sex" else rng.integers(0, 3, n)
    frame["label"] = (frame.x + 0.5 * frame[numeric] + rng.normal(size=n) > 0.5).astype(int)
    model = LogisticRegression().fit(frame[["x", numeric]], frame.label)
    skops.io.dump(model, tmp_path / "model.skops")
    frame.to_csv(tmp_path / "data.csv", index=False)
    (tmp_path / "audit.yaml").write_text(
        "name: typed\n"
        f"data: {{path: data.csv, engine: {engine}, label: {{column: label}}, sensitive_features: [{{column: sex}}]}}\n"
        f"model: {{kind: sklearn, path: model.skops, input_columns: [x, {numeric}]}}\n"
        f"fairness: {{n_boot: 50}}\nprivacy: {privacy}\ntracking: {{enabled: false}}\n"
    )
    outcome = run_audit(load_config(tmp_path / "audit.yaml"), out_dir=tmp_path / "out", tracking_uri=None)
    return json.loads(outcome.files["audit.json"].read_text()), model.predict(frame[["x", numeric]])


@pytest.mark.parametrize("engine", ["pandas", "stream"])
def test_a_numeric_model_input_that_is_also_a_group_column_scores(engine, tmp_path):
    document, flagged = _audit_numeric_model(tmp_path, engine, "sex", "{enabled: false}")
    assert document["data"]["n_rows"] == len(flagged)
    per_group = {g["group"]: g for g in document["fairness"]["features"][0]["groups"]}
    assert set(per_group) == {"0", "1"}
    assert sum(g["n_flagged"] for g in per_group.values()) == int(flagged.sum())


@pytest.mark.parametrize("engine", ["pandas", "stream"])
def test_a_numeric_model_input_that_is_also_a_scanned_column_scores(engine, tmp_path):
    """privacy.columns are read from a CSV as text (a phone number keeps its leading zero); a model that takes one as an
    input gets it typed as before, so a model trained on its numbers scores the same."""
    document, flagged = _audit_numeric_model(tmp_path, engine, "code", "{columns: [code]}")
    assert document["model"]["n_flagged"] == int(flagged.sum())
