"""Turn whatever a model returned (labels, scores, probabilities) into :class:`Predictions`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from ethicscheck._values import equals_value, name_values, safe_value
from ethicscheck.errors import ModelError
from ethicscheck.models._protocol import OutputSummary, Predictions

__all__ = ["to_predictions", "OutputMode", "check_model_output", "concat_predictions"]

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
    label_values: Sequence[Any] | None = None,
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
    label_values : sequence, optional
        Checks what a *model* returned (not a data column): labels must be among these values (the
        data's label values), or, when empty, be at most two distinct values of one type (the model
        has its own ``positive_class``). Numbers sent as text, text mixed with numbers, missing values,
        and more than two probability columns without class names are refused.

    Raises
    ------
    ModelError
        Wrong number of rows, missing or out-of-range scores, an unreadable shape, or (with
        ``label_values``) outputs that do not fit the label; the message says what came back.
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
            f"{source} returned output of shape {shape} for {n_rows} rows; expected one value or one row of class probabilities per "
            f"input row."
        )
    if label_values is not None:
        values = check_model_output(values, source=source, positive_class=positive_class, label_values=label_values, classes=classes)
    if mode == "auto":
        mode = _infer_mode(values)
    if mode == "proba":
        if values.ndim != 2:
            raise ModelError(f"{source}: output mode 'proba' needs one column per class, got a single column. Use output: score or label.")
        column = _positive_column(classes, positive_class, values.shape[1])
        if column is None and label_values is not None:
            raise ModelError(
                f"{source} returned probability columns for classes {name_values(list(classes or []))}, none of which is "
                f"the positive class {name_values([positive_class])}; set model.positive_class to the model's class meaning flagged."
            )
        return _from_score(values[:, values.shape[1] - 1 if column is None else column], threshold, source)
    if mode == "score":
        return _from_score(values if values.ndim == 1 else values[:, -1], threshold, source)
    if values.ndim != 1:
        raise ModelError(f"{source}: output mode 'label' needs one value per row, got {values.shape[1]} columns.")
    if pd.isna(values).any():
        raise ModelError(f"{source} returned {int(pd.isna(values).sum())} missing decisions; every row needs one.")
    if label_values is not None:
        check_labels(values, source, positive_class, label_values)
    rule = f"the positive class is {safe_value(positive_class)}"
    return Predictions(decision=equals_value(values, positive_class), score=None, outputs=OutputSummary.of_labels(values, rule))


def check_model_output(
    values: np.ndarray, *, source: str, positive_class: Any, label_values: Sequence[Any], classes: Sequence[Any] | None
) -> np.ndarray:
    """Refuse model outputs that would be silently misread; return numeric object arrays as floats.

    Raises
    ------
    ModelError
        Naming what came back: missing values, numbers as text, text mixed with numbers, labels that
        are not among the data's label values (or more than two of them), or a probability table with
        more than two columns and no class names.
    """
    if values.ndim == 2:
        if values.shape[1] > 2 and (classes is None or len(classes) != values.shape[1]):
            raise ModelError(
                f"{source} returned {values.shape[1]} probability columns for a binary label and no class names; "
                "return one score column, two columns (not flagged, flagged), or name the columns by class."
            )
        if not _numeric(values):
            raise ModelError(f"{source} returned a {values.shape[1]}-column table that is not all numbers; expected class probabilities.")
        return values.astype(float)
    present = values[~pd.isna(values)] if values.dtype == object else values
    if len(present) < len(values) or (values.dtype.kind == "f" and np.isnan(values).any()):
        missing = len(values) - len(present) if len(present) < len(values) else int(np.isnan(values).sum())
        raise ModelError(
            f"{source} returned {missing} missing value(s) (None/NaN) for {len(values)} rows; every row needs a decision or a score."
        )
    if values.dtype.kind in "biuf":
        return values
    kinds = {
        (
            "text"
            if isinstance(v, (str, bytes))
            else "number"
            if isinstance(v, (int, float, np.number, bool, np.bool_))
            else type(v).__name__
        )
        for v in present
    }
    if len(kinds) > 1:
        examples = name_values([next(v for v in present if _kind(v) == k) for k in sorted(kinds)])
        raise ModelError(
            f"{source} returned a mix of {' and '.join(sorted(kinds))} values (e.g. {examples}); return one type for every row."
        )
    if kinds == {"number"}:
        return values.astype(float)
    if kinds == {"text"}:
        numeric = pd.to_numeric(pd.Series(values), errors="coerce")
        if numeric.notna().all() and not _all_known(values, positive_class, label_values):
            raise ModelError(
                f"{source} returned numbers as text (e.g. {name_values(pd.unique(values)[:3])}); return numbers "
                "(floats in [0, 1] for scores) instead of strings."
            )
        return values
    raise ModelError(f"{source} returned {', '.join(sorted(kinds))} objects; expected labels, scores or class probabilities.")


def _kind(value: Any) -> str:
    if isinstance(value, (str, bytes)):
        return "text"
    return "number" if isinstance(value, (int, float, np.number, bool, np.bool_)) else type(value).__name__


def _numeric(values: np.ndarray) -> bool:
    if values.dtype.kind in "biuf":
        return True
    return bool(pd.DataFrame(values).apply(lambda c: pd.to_numeric(c, errors="coerce")).notna().all().all()) and all(
        not isinstance(v, str) for v in values.ravel()
    )


def _all_known(values: np.ndarray, positive_class: Any, label_values: Sequence[Any]) -> bool:
    distinct = pd.unique(pd.Series(values))
    allowed = [positive_class, *label_values]
    return all(any(equals_value(np.asarray([v], dtype=object), a)[0] for a in allowed) for v in distinct)


def check_labels(values: np.ndarray, source: str, positive_class: Any, label_values: Sequence[Any]) -> None:
    """Labels must be the data's label values (or, for a model with its own classes, at most two)."""
    distinct = sorted(pd.unique(pd.Series(values)), key=str)
    if len(distinct) > 2:
        raise ModelError(
            f"{source} returned {len(distinct)} different labels ({name_values(distinct)}) for a binary label; "
            "return two classes, or scores in [0, 1]."
        )
    if label_values and not _all_known(values, positive_class, label_values):
        unknown = [v for v in distinct if not _all_known(np.asarray([v], dtype=object), positive_class, label_values)]
        raise ModelError(
            f"{source} returned labels {name_values(unknown)}, which are not among the label values of the data "
            f"({name_values(sorted(label_values, key=str))}); set model.positive_class to the model's own class meaning flagged, "
            "or make the model return the data's label values."
        )


def concat_predictions(parts: list[Predictions]) -> Predictions:
    """Join batch results in order."""
    decision = np.concatenate([p.decision for p in parts])
    has_score = all(p.score is not None for p in parts)
    score = np.concatenate([p.score for p in parts if p.score is not None]) if has_score else None
    summaries = [p.outputs for p in parts if p.outputs is not None]
    outputs = None
    if summaries and len(summaries) == len(parts):
        outputs = summaries[0]
        for summary in summaries[1:]:
            outputs = outputs.merged(summary)
    return Predictions(decision=decision, score=score, outputs=outputs)


def _infer_mode(values: np.ndarray) -> Literal["label", "score", "proba"]:
    if values.ndim == 2:
        return "proba"
    if np.issubdtype(values.dtype, np.floating):
        finite = values[np.isfinite(values)]
        if finite.size and finite.min() >= 0.0 and finite.max() <= 1.0 and not np.isin(finite, (0.0, 1.0)).all():
            return "score"
    return "label"


def _positive_column(classes: Sequence[Any] | None, positive_class: Any, n_columns: int) -> int | None:
    """The positive class's column; the last one when the classes are unnamed, None when named and absent."""
    if classes is not None and len(classes) == n_columns:
        hits = np.flatnonzero(equals_value(np.asarray(list(classes), dtype=object), positive_class))
        return int(hits[0]) if hits.size else None
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
    rule = f"a row is flagged at a score of {threshold:g} or more"
    return Predictions(decision=score >= threshold, score=score, outputs=OutputSummary.of_scores(score, rule))
