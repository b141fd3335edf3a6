"""Callables used as models by the adapter tests (imported by 'tests.models.helpers:...')."""

from __future__ import annotations

import numpy as np
import pandas as pd


def score_from_x1(frame: pd.DataFrame) -> np.ndarray:
    """A probability-like score: the logistic of column x1."""
    return 1 / (1 + np.exp(-frame["x1"].to_numpy()))


def labels_from_x1(frame: pd.DataFrame) -> list[str]:
    return ["flag" if v > 0 else "clear" for v in frame["x1"]]


def wrong_length(frame: pd.DataFrame) -> np.ndarray:
    return np.zeros(len(frame) + 1)


def broken(frame: pd.DataFrame) -> np.ndarray:
    raise RuntimeError("model exploded")


def custom_transform(values):
    """A user function inside a pipeline: skops does not trust it by default."""
    return values * 2.0
