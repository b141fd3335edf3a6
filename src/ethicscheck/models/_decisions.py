"""Read a decision column: every value must be accounted for as flagged or not flagged.

A decision column is read strictly because the lenient reading ("flagged where it equals the positive
class, everything else not flagged") turns a column of ``flagged``/``clear`` text, or 0/1 with a stray
``maybe``, into "nothing flagged" without a word, and the card then shows an FPR of 0%.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ethicscheck._values import describe_values, equals_value
from ethicscheck.errors import DataError

__all__ = ["read_decisions"]


def read_decisions(
    values: Any,
    *,
    column: str,
    source: str,
    positive_class: Any,
    flagged_values: Sequence[Any] | None = None,
    not_flagged_values: Sequence[Any] = (),
) -> np.ndarray:
    """Booleans (True = flagged) from a decision column.

    Parameters
    ----------
    values : array-like
        The column.
    column, source : str
        The column and file names, for messages.
    positive_class : Any
        Without ``flagged_values``: the one value meaning flagged. The other values must then be its
        complement (0 for 1, False for True) or, when it has none, one single other value.
    flagged_values, not_flagged_values : sequence, optional
        The values meaning flagged and not flagged; together they must cover every row.

    Raises
    ------
    DataError
        Missing decisions, or values that are neither flagged nor not flagged; the message names the
        column and every value with its row count, and says which config field fixes it.
    """
    raw = np.asarray(values, dtype=object) if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype) else values
    array = np.asarray(raw)
    where = f"{source}: model.decision_column '{column}'"
    missing = pd.isna(pd.Series(array.ravel(), dtype=object)).to_numpy()
    if missing.any():
        raise DataError(
            f"{where} has {int(missing.sum())} of {len(missing)} rows without a decision (empty, or a missing-value marker such as "
            f"N/A). Every audited row needs one: leave such rows out with data.filter: [{{column: {column}, missing: false}}]."
        )
    if flagged_values is not None:
        flagged = _matches(array, flagged_values)
        known = flagged | _matches(array, not_flagged_values)
        if not known.all():
            raise DataError(
                f"{where} holds values listed in neither model.flagged_values nor model.not_flagged_values: "
                f"{describe_values(array[~known])}. Add each to one of the two lists."
            )
        return flagged
    flagged = equals_value(array, positive_class)
    complement = _complement(positive_class)
    if complement is not None:
        unexplained = ~flagged & ~equals_value(array, complement)
    else:
        # No known "not flagged" value: accept exactly one other value, and only beside the flagged one.
        others = pd.unique(pd.Series(array[~flagged].ravel(), dtype=object).astype(str).str.strip())
        unexplained = ~flagged if (len(others) > 1 or not flagged.any()) else np.zeros_like(flagged)
    if unexplained.any():
        raise DataError(
            f"{where} cannot be read with the flagged value {positive_class!r}: it holds {describe_values(array)}. "
            "Say which values mean flagged: model.flagged_values: [...] and model.not_flagged_values: [...]."
        )
    return flagged


def _matches(array: np.ndarray, wanted: Sequence[Any]) -> np.ndarray:
    hit = np.zeros(len(array), dtype=bool)
    for value in wanted:
        hit |= equals_value(array, value)
    return hit


def _complement(positive: Any) -> Any:
    """The value meaning "not flagged" when the flagged value is boolean-like (1/0, True/False, "1"/"0")."""
    if isinstance(positive, bool):
        return not positive
    if isinstance(positive, (int, float, np.number)) and float(positive) in (0.0, 1.0):
        return 1 - int(positive)
    if isinstance(positive, str) and positive.strip() in ("0", "1"):
        return "1" if positive.strip() == "0" else "0"
    return None
