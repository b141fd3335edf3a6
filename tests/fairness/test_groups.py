from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ethicscheck.errors import DataError
from ethicscheck.fairness import MISSING, encode_feature, intersect


def test_missing_and_blank_values_form_one_explicit_group_listed_last():
    encoding = encode_feature(pd.Series(["b", "a", None, " ", np.nan, "a"]), name="x")
    assert encoding.labels == ("a", "b", MISSING)
    assert encoding.codes.tolist() == [1, 0, 2, 2, 2, 0]


def test_numbers_and_their_text_are_one_group():
    encoding = encode_feature(pd.Series([1, "1", 2]), name="x")
    assert encoding.labels == ("1", "2")


@pytest.mark.parametrize(
    ("values", "bins", "labels", "codes"),
    [
        ([17, 18, 30, 70, None], [18, 25, 35], ("<18", "18-25", "25-35", ">=35", MISSING), [0, 1, 2, 3, 4]),
        ([-7, -5, 0], [-5, 0], ("<-5", "-5-0", ">=0"), [0, 1, 2]),
        ([19.5, 24.9], [18, 25], ("18-25",), [0, 0]),
    ],
)
def test_binning_table(values, bins, labels, codes):
    encoding = encode_feature(pd.Series(values, dtype="float"), name="age", bins=bins)
    assert encoding.labels == labels
    assert encoding.codes.tolist() == codes


def test_binning_a_text_column_is_an_error():
    with pytest.raises(DataError, match="non-numeric"):
        encode_feature(pd.Series(["x", "1"]), name="age", bins=[1, 2])


def test_intersection_keeps_only_observed_combinations():
    a = encode_feature(pd.Series(["x", "y", "x"]), name="a")
    b = encode_feature(pd.Series(["1", "2", "2"]), name="b")
    both = intersect([a, b])
    assert both.labels == ("x & 1", "x & 2", "y & 2")
    assert both.codes.tolist() == [0, 2, 1]
    assert both.values[2] == ("y", "2")
