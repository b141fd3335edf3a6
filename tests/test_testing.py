from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import skops.io as sio

from ethicscheck.errors import EthicsCheckDeprecationWarning
from ethicscheck.testing import assert_fpr_parity, assert_parity


@pytest.fixture(scope="module")
def demo(demo_inputs):
    return sio.load(demo_inputs.model_path, trusted=[]), pd.read_parquet(demo_inputs.eval_path)


def test_fpr_parity_fails_on_the_planted_bias_naming_the_group(demo):
    model, ads = demo
    with pytest.raises(AssertionError) as info:
        assert_fpr_parity(model, ads, sensitive="nationality", features="text", max_ratio=1.25, reference={"nationality": "not mentioned"})
    assert any(g in str(info.value) for g in ("Nigerian", "Nepali")) and "fpr_ratio <= 1.25" in str(info.value)


def test_fpr_parity_passes_with_a_generous_limit_and_returns_the_result(demo):
    model, ads = demo
    result = assert_fpr_parity(model, ads, sensitive=["nationality", "region"], features="text", max_ratio=20, mode="confident")
    assert result.has_scores and {f.name for f in result.features} == {"nationality", "region", "nationality & region"}


def test_callable_models_and_other_metrics():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=2000), "g": rng.choice(["a", "b"], 2000)})
    frame["label"] = (frame["x"] + rng.normal(0, 1, 2000) > 0).astype(int)
    fair = lambda table: (table["x"] > 0).astype(int).to_numpy()  # noqa: E731
    assert_parity(fair, frame, sensitive="g", metric="fnr_ratio", limit=1.5, features=["x"])
    unfair = lambda table: ((table["x"] > 0) | (np.arange(len(table)) % 2 == 0)).astype(int).to_numpy()  # noqa: E731
    assert_parity(unfair, frame, sensitive="g", metric="fpr_ratio", limit=1.5, features=["x"])  # equally unfair to both groups


def test_old_min_n_argument_is_read_as_min_group_size_with_a_warning():
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"x": rng.normal(size=400), "g": rng.choice(["a", "b"], 400)})
    frame["label"] = (frame["x"] + rng.normal(0, 1, 400) > 0).astype(int)
    model = lambda table: (table["x"] > 0).astype(int).to_numpy()  # noqa: E731
    with pytest.warns(EthicsCheckDeprecationWarning, match="pass min_group_size"):
        old = assert_parity(model, frame, sensitive="g", metric="fnr_ratio", limit=1.5, features=["x"], min_n=50)
    new = assert_parity(model, frame, sensitive="g", metric="fnr_ratio", limit=1.5, features=["x"], min_group_size=50)
    assert old.min_group_size == new.min_group_size == 50


@pytest.mark.parametrize(("labels", "message"), [(["yes"] * 40, r"'yes' \(40 rows\)"), ([0] * 40, r"0 \(40 rows\)")])
def test_labels_without_a_positive_row_are_an_error_not_all_negative(labels, message):
    from ethicscheck.errors import DataError

    frame = pd.DataFrame({"x": np.arange(40.0), "g": ["a", "b"] * 20, "label": labels})
    with pytest.raises(DataError, match=r"column 'label': no row equals data.label.positive \(1\).*" + message):
        assert_parity(lambda t: (t["x"] > 20).astype(int).to_numpy(), frame, sensitive="g", features=["x"])
