"""What a model returns is checked by type and shape before use: anything ambiguous is exit 2, naming it."""

from __future__ import annotations

import numpy as np
import pytest

from ethicscheck.errors import ModelError
from ethicscheck.models import load_detector
from tests.models.conftest import dataset_and_config

MODELS = """
import numpy as np
import pandas as pd

def n(frame):
    return len(frame)

def label_words(frame):
    return np.where(frame["x1"] > 0, "trafficking", "benign")

def numeric_strings(frame):
    return np.array(["0.9"] * n(frame), dtype=object)

def mixed(frame):
    return np.array([1, "x"] * (n(frame) // 2) + [1] * (n(frame) % 2), dtype=object)

def three_columns(frame):
    return np.full((n(frame), 3), 1 / 3)

def nan_scores(frame):
    out = np.full(n(frame), 0.3)
    out[0] = np.nan
    return out

def none_labels(frame):
    return [None] + [1] * (n(frame) - 1)

def three_labels(frame):
    return (np.arange(n(frame)) % 3)

def string_table(frame):
    return pd.DataFrame({"a": ["0.1"] * n(frame), "b": ["0.9"] * n(frame)}).to_numpy()

def dict_wrong_classes(frame):
    return [{"cat": 0.2, "dog": 0.8}] * n(frame)

def good_labels(frame):
    return (frame["x1"] > 0).astype(int).to_numpy()

def good_label_text(frame):
    return np.where(frame["x1"] > 0, "1", "0")

def good_two_columns(frame):
    p = 1 / (1 + np.exp(-frame["x1"].to_numpy()))
    return np.column_stack([1 - p, p])

def good_dicts(frame):
    p = 1 / (1 + np.exp(-frame["x1"].to_numpy()))
    return [{"0": 1 - v, "1": v} for v in p]

def echo_text(frame):
    return np.array(["Call Anna on +44 7700 900123"] * n(frame), dtype=object)

def own_classes(frame):
    return np.where(frame["x1"] > 0, "flag", "clear")
"""


@pytest.fixture(scope="module")
def models_file(tabular):
    path = tabular["folder"] / "returns.py"
    path.write_text(MODELS)
    return path


def predict(tabular, models_file, function: str, **model):
    dataset, config = dataset_and_config(
        tabular, {"kind": "callable", "target": f"{models_file}:{function}", "input_columns": ["x1", "x2"], **model}
    )
    return load_detector(config, dataset, tracking_uri="sqlite:///:memory:").predict(dataset.frame)


@pytest.mark.parametrize(
    ("function", "message"),
    [
        ("label_words", r"returned labels 'benign', 'trafficking', which are not among the label values of the data \(0, 1\)"),
        ("numeric_strings", r"returned numbers as text \(e.g. '0.9'\)"),
        ("mixed", r"returned a mix of number and text values \(e.g. 1, 'x'\)"),
        ("three_columns", r"returned 3 probability columns for a binary label and no class names"),
        ("nan_scores", r"returned 1 missing value\(s\)"),
        ("none_labels", r"returned 1 missing value\(s\)"),
        ("three_labels", r"returned 3 different labels \(0, 1, 2\)"),
        ("string_table", r"2-column table that is not all numbers"),
        ("dict_wrong_classes", r"classes 'cat', 'dog', none of which is the positive class 1"),
    ],
)
def test_ambiguous_outputs_are_refused_naming_what_came_back(tabular, models_file, function, message):
    with pytest.raises(ModelError, match=message) as raised:
        predict(tabular, models_file, function)
    assert f"{models_file.name}:{function}" in str(raised.value)


@pytest.mark.parametrize(
    ("function", "model", "has_score"),
    [
        ("good_labels", {}, False),
        ("good_label_text", {}, False),  # the label values as text, as a CSV-trained model might return them
        ("good_two_columns", {}, True),
        ("good_dicts", {}, True),
        ("own_classes", {"positive_class": "flag"}, False),  # the model's own classes, named in the config
    ],
)
def test_well_formed_outputs_still_work(tabular, models_file, function, model, has_score):
    predictions = predict(tabular, models_file, function, **model)
    expected = (tabular["frame"]["x1"] > 0).to_numpy()
    if has_score:
        expected = 1 / (1 + np.exp(-tabular["frame"]["x1"].to_numpy())) >= 0.5
    np.testing.assert_array_equal(predictions.decision, expected)
    assert (predictions.score is not None) == has_score


def test_outputs_that_echo_input_text_are_described_not_printed(tabular, models_file):
    with pytest.raises(ModelError, match="returned labels <text of 28 characters>") as raised:
        predict(tabular, models_file, "echo_text")
    assert "7700" not in str(raised.value) and "Anna" not in str(raised.value)
