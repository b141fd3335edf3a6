"""Turn whatever a model returned (labels, scores, probabilities) into :class:`Predictions`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from ethicscheck._values import equals_value
from ethicscheck.errors import ModelError
from ethicscheck.models._protocol import Predictions

__all__ = ["to_predictions", "OutputMode", "concat_predictions"]

OutputMode = Literal["auto", "label", "score", "proba"]


def to_predictions(
    raw: Any,
    *,
    mode: OutputMode,
    positive_class: Any,
    threshold: float,
    n_rows: int,
    source: str,
    classes: Sequence[Any] | None = None,
) -> Predictions:
    """Read a model's raw output.

    Parameters
    ----------
    raw : array-like, DataFrame or list of dicts
        What the model returned for ``n_rows`` rows.
    mode : {"auto", "label", "score", "proba"}
        ``label``: class values, compared with ``positive_class``. ``score``: one number in [0, 1] per
        row. ``proba``: one column per class; the positive column is found in ``classes`` (or the
        dict keys), else it is the last column. ``auto`` picks by shape and values: two or more
        columns are probabilities, floats in [0, 1] that are not all 0/1 are scores, anything else
        is labels.
    positive_class : Any
        Class value meaning flagged.
    threshold : float
        Scores at or above it are flagged.
    n_rows : int
        Rows sent to the model; the output must match.
    source : str
        Model description for error messages.
    classes : sequence, optional
        Class order of probability columns, when the model knows it.

    Raises
    ------
    ModelError
        Wrong number of rows, missing or out-of-range scores, or an unreadable shape.
    """
    if isinstance(raw, dict) and "predictions" in raw:
        raw = raw["predictions"]
    if isinstance(raw, list) and raw and isinstance(raw[0], dict):
        raw = pd.DataFrame(raw)
    if isinstance(raw, pd.DataFrame):
        if classes is None:
            classes = list(raw.columns)
        values = raw.to_numpy()
    else:
        values = np.asarray(raw)
    if values.ndim == 2 and values.shape[1] == 1:
        values = values[:, 0]
    if values.ndim not in (1, 2) or len(values) != n_rows:
        shape = "x".join(str(s) for s in values.shape)
        raise ModelError(
            f"{source} returned output of shape {shape} for {n_rows} rows; expected one value or one row of class probabilities per input row."
        )
    if mode == "auto":
        mode = _infer_mode(values)
    if mode == "proba":
        if values.ndim != 2:
            raise ModelError(f"{source}: output mode 'proba' needs one column per class, got a single column. Use output: score or label.")
        return _from_score(values[:, _positive_column(classes, positive_class, values.shape[1])], threshold, source)
    if mode == "score":
        return _from_score(values if values.ndim == 1 else values[:, -1], threshold, source)
    if values.ndim != 1:
        raise ModelError(f"{source}: output mode 'label' needs one value per row, got {values.shape[1]} columns.")
    if pd.isna(values).any():
        raise ModelError(f"{source} returned {int(pd.isna(values).sum())} missing decisions; every row needs one.")
    return Predictions(decision=equals_value(values, positive_class), score=None)


def concat_predictions(parts: list[Predictions]) -> Predictions:
    """Join batch results in order."""
    decision = np.concatenate([p.decision for p in parts])
    has_score = all(p.score is not None for p in parts)
    score = np.concatenate([p.score for p in parts]) if has_score else None  # type: ignore[misc]
    return Predictions(decision=decision, score=score)


def _infer_mode(values: np.ndarray) -> str:
    if values.ndim == 2:
        return "proba"
    if np.issubdtype(values.dtype, np.floating):
        finite = values[np.isfinite(values)]
        if finite.size and finite.min() >= 0.0 and finite.max() <= 1.0 and not np.isin(finite, (0.0, 1.0)).all():
            return "score"
    return "label"


def _positive_column(classes: Sequence[Any] | None, positive_class: Any, n_columns: int) -> int:
    if classes is not None and len(classes) == n_columns:
        hits = np.flatnonzero(equals_value(np.asarray(list(classes), dtype=object), positive_class))
        if hits.size:
            return int(hits[0])
    return n_columns - 1


def _from_score(score: Any, threshold: float, source: str) -> Predictions:
    try:
        score = np.asarray(score, dtype=float)
    except (TypeError, ValueError):
        raise ModelError(f"{source}: scores are not numbers; set output: label if the model returns classes.") from None
    bad = ~np.isfinite(score)
    if bad.any():
        raise ModelError(f"{source} returned {int(bad.sum())} missing or infinite scores; every row needs a score.")
    if score.min() < 0.0 or score.max() > 1.0:
        raise ModelError(
            f"{source} returned scores outside [0, 1] (min {score.min():.3g}, max {score.max():.3g}); "
            "ethicscheck needs probabilities. Use output: label or calibrate the model."
        )
    return Predictions(decision=score >= threshold, score=score)
