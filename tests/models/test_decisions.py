"""Reading decision columns strictly: (values, config) -> flags, or an error naming column and values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ethicscheck.errors import DataError
from ethicscheck.models._decisions import read_decisions


def read(values, positive=1, flagged=None, not_flagged=()):
    return read_decisions(
        pd.Series(values), column="d", source="f.csv", positive_class=positive, flagged_values=flagged, not_flagged_values=not_flagged
    ).tolist()


@pytest.mark.parametrize(
    ("values", "positive", "flagged", "not_flagged", "expected"),
    [
        ([0, 1, 1], 1, None, (), [False, True, True]),
        ([0.0, 1.0], 1, None, (), [False, True]),
        (["0", "1"], 1, None, (), [False, True]),
        ([True, False], 1, None, (), [True, False]),
        ([True, False], True, None, (), [True, False]),
        ([0, 0], 1, None, (), [False, False]),  # nothing flagged is a warning, not a misreading
        ([1, 1], 1, None, (), [True, True]),
        (["yes", "no"], "yes", None, (), [True, False]),  # one other value beside the flagged one
        (["yes", "yes"], "yes", None, (), [True, True]),
        (["Low", "Medium", "High"], None, ["Medium", "High"], ["Low"], [False, True, True]),
        ([" Medium", "Low "], None, ["Medium", "High"], ["Low"], [True, False]),  # stripped text
        ([1, 2, 3, 4], None, [3, 4], [1, 2], [False, False, True, True]),
        (["1", "2"], None, [2], [1], [False, True]),  # numbers read as text still match
        (pd.Categorical(["Low", "High"]), None, ["High"], ["Low"], [False, True]),
    ],
)
def test_readable_columns(values, positive, flagged, not_flagged, expected):
    assert read(values, positive, flagged, not_flagged) == expected


@pytest.mark.parametrize(
    ("values", "positive", "flagged", "not_flagged", "message"),
    [
        (["flagged", "clear", "clear"], 1, None, (), r"holds 'clear' \(2 rows\), 'flagged' \(1 row\)"),
        ([0, 1, "maybe"], 1, None, (), r"'maybe' \(1 row\)"),
        ([0, 1, 2], 1, None, (), r"2 \(1 row\)"),
        ([2, 3], 1, None, (), r"2 \(1 row\), 3 \(1 row\)"),  # near miss: two values, neither 1 nor 0
        (["no", "no"], "yes", None, (), r"'no' \(2 rows\)"),  # no known complement of 'yes'
        (["yes", "no", "maybe"], "yes", None, (), r"'maybe' \(1 row\)"),
        (
            ["Low", "Medium", "High"],
            None,
            ["Medium", "High"],
            (),
            r"neither model.flagged_values nor model.not_flagged_values: 'Low' \(1 row\)",
        ),
        (["Low", "N/A"], None, ["High"], ["Low"], r"'N/A' \(1 row\)"),
        ([0, None, 1], 1, None, (), r"1 of 3 rows without a decision"),
    ],
)
def test_misreadings_are_errors_naming_column_and_values(values, positive, flagged, not_flagged, message):
    with pytest.raises(DataError, match=message) as info:
        read(values, positive, flagged, not_flagged)
    assert "f.csv: model.decision_column 'd'" in str(info.value)


def test_free_text_decisions_are_not_echoed():
    texts = [f"please call me on 0712 345 {i:03d}" for i in range(5)]
    with pytest.raises(DataError, match="look like free text") as info:
        read(texts)
    assert "0712" not in str(info.value)


@given(st.lists(st.sampled_from(["Low", "Medium", "High"]), min_size=1, max_size=50))
def test_flagged_values_partition_the_rows(values):
    flags = np.array(read(values, None, ["Medium", "High"], ["Low"]))
    assert flags.tolist() == [v != "Low" for v in values]
    assert flags.sum() + (~flags).sum() == len(values)
