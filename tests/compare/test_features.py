"""Feature maps: explicit missing levels, config-given bounds and levels, what DP covers, independent noise per ε."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from ethicscheck.compare._candidates import noise_seed
from ethicscheck.compare._config import HashingFeatures, TabularFeatures, TextFeatures
from ethicscheck.compare._features import fit_features
from ethicscheck.errors import ConfigError
from tests.conftest import run_cli


def _frame():
    return pd.DataFrame(
        {
            "workclass": ["Private", None, "State-gov", np.nan, "Private"],
            "fnlwgt": [77516.0, 83311.0, 215646.0, 234721.0, 1_490_400.0],
            "age": [39, 50, 38, 53, 28],
            "text": ["call me", None, "job offer", "rent", "call now"],
        }
    )


def test_missing_categorical_values_become_an_explicit_level():
    space = fit_features(TabularFeatures(columns=["workclass"]), _frame(), text_column=None, sensitive=[])
    X = space(_frame())
    column = space.names.index("workclass=(missing)")
    assert X[:, column].tolist() == [0, 1, 0, 1, 0] and X.sum(axis=1).tolist() == [1] * 5
    # a level never seen in training (and a missing one in new rows) still encode, as one-hot rows
    new = pd.DataFrame({"workclass": ["Never-worked", None]})
    assert space(new).sum(axis=1).tolist() == [0, 1]


@pytest.mark.parametrize(
    ("bounds", "row", "expected"),
    [
        ({"age": (0.0, 100.0)}, 0, 0.39),
        ({"age": (40.0, 60.0)}, 0, 0.0),  # below the bound: clipped
        ({"age": (0.0, 30.0)}, 1, 1.0),  # above: clipped
    ],
)
def test_numeric_columns_are_scaled_by_config_bounds(bounds, row, expected):
    space = fit_features(TabularFeatures(columns=["age"], bounds=bounds), _frame(), text_column=None, sensitive=[], dp=True)
    assert space(_frame())[row, space.names.index("age")] == pytest.approx(expected)
    assert space.learned == () and space.max_norm == pytest.approx(1.0)


def test_unbounded_numeric_columns_are_standardized_and_said_to_be_learned():
    space = fit_features(TabularFeatures(columns=["fnlwgt", "workclass"]), _frame(), text_column=None, sensitive=[])
    values = space(_frame())[:, space.names.index("fnlwgt")]
    assert values.mean() == pytest.approx(0.0, abs=1e-12) and values.std() == pytest.approx(1.0)
    assert space.learned == ("mean and SD of fnlwgt", "levels of workclass") and space.max_norm is None


def test_dp_candidates_refuse_a_numeric_column_without_bounds():
    with pytest.raises(ConfigError, match=r"numeric column 'fnlwgt' has no bounds.*features: \{bounds: \{fnlwgt: \[LOW, HIGH\]\}\}"):
        fit_features(
            TabularFeatures(columns=["fnlwgt", "age"], bounds={"age": (0, 100)}), _frame(), text_column=None, sensitive=[], dp=True
        )


def test_config_levels_and_hashed_text_learn_nothing_from_the_data():
    levels = TabularFeatures(columns=["workclass"], levels={"workclass": ["Private", "State-gov"]})
    assert fit_features(levels, _frame(), text_column=None, sensitive=[]).learned == ()
    hashed = fit_features(HashingFeatures(n_features=64), _frame(), text_column="text", sensitive=[])
    assert hashed.learned == () and np.linalg.norm(hashed(_frame()), axis=1).max() == pytest.approx(1.0)
    tfidf = fit_features(TextFeatures(min_df=1), _frame(), text_column="text", sensitive=[])
    assert tfidf.learned == ("TF-IDF vocabulary and IDF weights",)


def test_each_epsilon_draws_its_own_noise():
    seeds = {noise_seed(0, eps) for eps in (0.1, 1.0, 10.0)} | {noise_seed(1, 1.0)}
    assert len(seeds) == 4 and noise_seed(0, 1.0) == noise_seed(0, 1.0)


def _write(tmp_path, features):
    frame = pd.concat([_frame()] * 40, ignore_index=True).assign(label=[True, False] * 100, group=["a", "b", "b", "a"] * 50)
    frame.to_csv(tmp_path / "rows.csv", index=False)
    config = {
        "name": "dp",
        "seeds": [0],
        "data": {
            "path": str(tmp_path / "rows.csv"),
            "label": {"column": "label", "positive": True},
            "sensitive_features": [{"column": "group"}],
        },
        "features": features,
        "candidates": [{"method": "dp_logistic_regression", "epsilons": [1.0], "data_norm": 2.0}],
        "privacy_risk": {"enabled": False},
        "fairness": {"n_boot": 0, "min_group_size": 5},
        "paired": {"n_boot": 200},
        "tracking": {"enabled": False},
    }
    (tmp_path / "compare.yaml").write_text(json.dumps(config), encoding="utf-8")
    return tmp_path / "compare.yaml"


def test_cli_exits_2_naming_an_unscaled_numeric_column_for_dp(tmp_path):
    result = run_cli("compare", "--config", str(_write(tmp_path, {"kind": "tabular", "columns": ["fnlwgt", "workclass"]})))
    assert result.code == 2 and "numeric column 'fnlwgt' has no bounds" in result.stderr and "Traceback" not in result.stderr


def test_cli_runs_dp_on_a_categorical_column_with_missing_values(tmp_path):
    features = {"kind": "tabular", "columns": ["fnlwgt", "workclass"], "bounds": {"fnlwgt": [0, 1_500_000]}}
    result = run_cli("compare", "--config", str(_write(tmp_path, features)), "--out", str(tmp_path / "out"))
    assert result.code == 0, result.stderr
    report = json.loads((tmp_path / "out" / "comparison.json").read_text(encoding="utf-8"))
    assert report["dp_scope"]["not_covered"] == ["levels of workclass"]
