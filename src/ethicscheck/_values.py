"""Comparing user-supplied class values with what a file or a model produced."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["equals_value", "describe_values", "looks_like_free_text"]


def equals_value(values: Any, target: Any) -> np.ndarray:
    """Boolean mask of ``values == target``, tolerant of how files store classes.

    Numbers compare as numbers (``1`` equals ``1.0`` and ``True``); everything else compares as
    stripped text, so ``"1"`` read from a CSV equals a configured ``1``.
    """
    series = pd.Series(np.asarray(values).ravel())
    if isinstance(target, (bool, int, float, np.number)) and pd.api.types.is_numeric_dtype(series):
        return series.to_numpy(dtype=float) == float(target)
    if isinstance(target, (bool, int, float, np.number)) and pd.api.types.is_bool_dtype(series):
        return series.to_numpy(dtype=float) == float(target)
    as_text = series.astype(str).str.strip()
    wanted = {str(target).strip()}
    if isinstance(target, (int, float, np.number)) and not isinstance(target, bool) and float(target).is_integer():
        wanted |= {str(int(target)), f"{float(target)}"}
    return as_text.isin(wanted).to_numpy()


def describe_values(values: Any, *, limit: int = 8) -> str:
    """The distinct values of a column with their row counts, for an error message.

    ``'clear' (3 rows), 'flagged' (2 rows)``, most frequent first. A column that looks like free text
    (long or many-worded values, contact-like strings, or very many distinct values) is described
    without echoing any value, because error messages end up in CI logs.
    """
    series = pd.Series(np.asarray(values, dtype=object).ravel())
    counts = series.value_counts(dropna=False)
    if looks_like_free_text(counts.index):
        return f"{len(counts)} distinct values that look like free text (not shown)"
    ordered = sorted(counts.items(), key=lambda item: (-int(item[1]), str(item[0])))
    parts = [f"{_show(value)} ({int(n)} row{'s' if n != 1 else ''})" for value, n in ordered[:limit]]
    if len(ordered) > limit:
        parts.append(f"and {len(ordered) - limit} more values")
    return ", ".join(parts)


#: Beyond any of these a column is treated as free text and its values are not repeated in messages.
_FREE_TEXT_DISTINCT = 50
_FREE_TEXT_CHARS = 40
_FREE_TEXT_WORDS = 4


def looks_like_free_text(distinct: Any) -> bool:
    """True when values look like sentences, contact details or identifiers rather than class names."""
    values = list(distinct)
    if len(values) > _FREE_TEXT_DISTINCT:
        return True
    for value in values:
        if not isinstance(value, str):
            continue
        if len(value) > _FREE_TEXT_CHARS or len(value.split()) > _FREE_TEXT_WORDS or "@" in value:
            return True
        if sum(ch.isdigit() for ch in value) >= 6:  # phone numbers, ids
            return True
    return False


def _show(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "(missing)"
    if isinstance(value, np.generic):
        value = value.item()
    return repr(value)
