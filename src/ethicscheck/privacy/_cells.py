"""The text of a scanned column's cells, whatever type a reader gave the column.

A column the scan reads (``privacy.columns``, ``privacy.output_columns``) is usually text, and a CSV's is read as
the text it holds (:func:`~ethicscheck.data.scanned_text_columns`), but a typed source may hold numbers: a Parquet
export stores a column of phone numbers as integers, a float 651706749.0 where a cell is empty once pandas or Spark
hand it over. Such cells hold personal data as much as text does, so each is read as the text of its value — an
integer as its digits, a whole float as the integer's digits (the same text on every engine, whichever of the two a
reader chose), any other number or value as Python writes it. Missing cells (None, NaN, pandas' NA) and booleans (a
yes/no flag holds no personal data) are not text and are not scanned.

Examples
--------
>>> import pandas as pd
>>> cell_texts(pd.Series([651706749, 2025550123]))
['651706749', '2025550123']
>>> cell_texts(pd.Series([651706749.0, None, 12.5]))
['651706749', None, '12.5']
>>> cell_texts(pd.Series(["call 555 0199", None]))
['call 555 0199', None]
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["cell_text", "cell_texts"]


def cell_text(value: Any) -> str | None:
    """The text the scan reads in one cell, or None for a cell that holds no text (missing, a boolean)."""
    if type(value) is str:
        return value
    if value is None or value is pd.NA or value is pd.NaT or isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isnan(number):
            return None
        return str(int(number)) if math.isfinite(number) and number.is_integer() else repr(number)
    return str(value)  # a str subclass, a Decimal, a date: as Python writes it


def cell_texts(column: pd.Series) -> list[str | None]:
    """:func:`cell_text` of every cell of ``column``, in order (a column of text only is returned as its values)."""
    values = column.tolist()
    if all(type(value) is str for value in values):
        return values
    return [cell_text(value) for value in values]
