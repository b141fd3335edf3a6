"""The text the scan reads in a cell of any type (privacy/_cells.py)."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from ethicscheck.privacy._cells import cell_text, cell_texts


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("call 555 0199", "call 555 0199"),
        ("", ""),
        (651706749, "651706749"),
        (np.int64(651706749), "651706749"),
        (651706749.0, "651706749"),  # a column of integers with an empty cell: the same text as the integer
        (np.float32(7.0), "7"),
        (12.5, "12.5"),
        (float("inf"), "inf"),
        (Decimal("651706749"), "651706749"),
        (None, None),
        (float("nan"), None),
        (np.float64("nan"), None),
        (pd.NA, None),
        (pd.NaT, None),
        (True, None),
        (np.bool_(False), None),
    ],
)
def test_a_cell_reads_as_the_text_of_its_value(value, text):
    assert cell_text(value) == text


def test_every_engine_s_typing_of_a_number_column_gives_the_same_texts():
    """pandas reads a CSV column of digits as int64, as float64 once a cell is empty; pyarrow as Int64 with NA."""
    as_ints = cell_texts(pd.Series([651706749, 2025550123]))
    as_floats = cell_texts(pd.Series([651706749.0, 2025550123.0, np.nan]))
    as_nullable = cell_texts(pd.Series([651706749, 2025550123, None], dtype="Int64"))
    assert as_ints == as_floats[:2] == as_nullable[:2] == ["651706749", "2025550123"]
    assert as_floats[2] is None and as_nullable[2] is None


def test_a_text_column_is_returned_as_it_is():
    texts = ["a", "b", "c"]
    assert cell_texts(pd.Series(texts, dtype=object)) == texts
    assert cell_texts(pd.Series(["a", None], dtype=object)) == ["a", None]
