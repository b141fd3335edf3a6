"""Apply ``data.filter`` to a table and count what each predicate removed (for the provenance)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ethicscheck._serialize import Serializable
from ethicscheck._values import describe_values, equals_value
from ethicscheck.config import RowPredicate
from ethicscheck.errors import DataError

__all__ = ["FilterStep", "apply_filter", "no_row_left"]


@dataclass(frozen=True)
class FilterStep(Serializable):
    """One predicate of ``data.filter`` and the rows before and after it."""

    predicate: str
    rows_before: int
    rows_after: int


def apply_filter(
    frame: pd.DataFrame, predicates: Sequence[RowPredicate], *, source: str, allow_empty: bool = False
) -> tuple[pd.DataFrame, tuple[FilterStep, ...]]:
    """Keep the rows for which every predicate holds, in order; the index is reset.

    ``allow_empty`` lets one batch of a streamed file lose every row (the stream engine checks the total).

    Raises
    ------
    DataError
        A predicate names a column the file lacks (the message lists the available ones), an order
        comparison meets a column that is not numeric (the message names the values), or no row is left.
    """
    steps = []
    keep = np.ones(len(frame), dtype=bool)
    for index, predicate in enumerate(predicates):
        if predicate.column not in frame.columns:
            available = ", ".join(frame.columns[:30]) + (" ..." if len(frame.columns) > 30 else "")
            raise DataError(
                f"{source}: data.filter[{index}] names column '{predicate.column}', which is not in the file. Available: {available}."
            )
        before = int(keep.sum())
        keep &= _holds(frame[predicate.column], predicate, where=f"{source}: data.filter[{index}] ({predicate.describe()})")
        steps.append(FilterStep(predicate.describe(), before, int(keep.sum())))
    if predicates and not keep.any() and not allow_empty:
        raise no_row_left(source, len(frame), steps)
    filtered = frame.loc[keep].reset_index(drop=True) if predicates else frame
    return filtered, tuple(steps)


def no_row_left(source: str, n_rows: int, steps: Sequence[FilterStep]) -> DataError:
    """The error when ``data.filter`` removes every row."""
    return DataError(f"{source}: data.filter keeps no row of {n_rows} ({'; '.join(s.predicate for s in steps)}). Check the predicates.")


def _holds(column: pd.Series, predicate: RowPredicate, *, where: str) -> np.ndarray:
    missing = column.isna().to_numpy()
    op, value = predicate.operator, predicate.operand
    if op == "missing":
        return missing if value else ~missing
    values = column.to_numpy(dtype=object) if isinstance(column.dtype, pd.CategoricalDtype) else column.to_numpy()
    if op in ("equal", "not_equal", "in", "not_in"):
        wanted = [value] if op in ("equal", "not_equal") else list(value)
        hit = np.zeros(len(column), dtype=bool)
        for item in wanted:
            hit |= equals_value(values, item)
        return ~missing & (hit if op in ("equal", "in") else ~hit)
    numbers = pd.to_numeric(column.astype(object).where(~missing), errors="coerce").to_numpy(dtype=float)
    not_numeric = ~missing & np.isnan(numbers)
    if not_numeric.any():
        raise DataError(f"{where}: the column is not numeric; it holds {describe_values(column[not_numeric])}. Use equal / in for text.")
    with np.errstate(invalid="ignore"):
        if op == "between":
            low, high = value
            result = (numbers >= low) & (numbers <= high)
        elif op == "less_than":
            result = numbers < value
        elif op == "at_most":
            result = numbers <= value
        elif op == "greater_than":
            result = numbers > value
        else:
            result = numbers >= value
    return np.asarray(~missing & result, dtype=bool)
