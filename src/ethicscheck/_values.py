"""Comparing user-supplied class values with what a file or a model produced."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["equals_value"]


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
