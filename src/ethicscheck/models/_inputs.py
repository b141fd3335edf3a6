"""Choosing the model's input columns and scoring them in batches."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from ethicscheck.data import require_columns
from ethicscheck.errors import ConfigError
from ethicscheck.models._protocol import Predictions, Progress

__all__ = ["InputSpec", "LoadContext", "resolve_inputs", "score_in_batches", "typed_as_csv"]


@dataclass(frozen=True)
class LoadContext:
    """What a model kind's loader may need beyond its own config section.

    Attributes
    ----------
    tracking_uri : str
        MLflow tracking URI that ``runs:/`` and ``models:/`` URIs resolve against.
    timeout_s : float
        Deadline of one call to the tracking server, in seconds.
    base_dir : Path or None
        Folder that relative file targets resolve from (the config's folder).
    """

    tracking_uri: str
    timeout_s: float
    base_dir: Path | None = None


class InputSpec:
    """Which columns a model sees and whether a single column goes in as a 1-D array.

    ``typed``: input columns a CSV's reader kept as text because they are group labels or the id ("007" is a
    group of its own); the model gets them typed as a CSV reader types any other column (:func:`typed_as_csv`),
    so a model trained on a numeric column gets numbers.
    """

    def __init__(self, columns: list[str], *, as_series: bool, typed: tuple[str, ...] = ()) -> None:
        self.columns = columns
        self.as_series = as_series
        self.typed = tuple(c for c in typed if c in columns)

    def typed_frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` with the ``typed`` columns as a CSV reader types them (``frame`` itself when there are none)."""
        if not self.typed:
            return frame
        return frame.assign(**{c: typed_as_csv(frame[c]) for c in self.typed})

    def take(self, frame: pd.DataFrame) -> Any:
        """The model input for ``frame``: a 1-D array of the one column, or a DataFrame."""
        if self.as_series:
            return frame[self.columns[0]].to_numpy()
        return frame[self.columns]


def typed_as_csv(column: pd.Series) -> pd.Series:
    """A column read as text, typed as pandas types a CSV column: numbers when every present cell is one, else text.

    Whole numbers without missing cells are integers ("007" -> 7), otherwise floats (missing -> NaN); the words
    true/false (any case) are booleans when every present cell is one; anything else stays as it was.
    """
    values = column.astype(object).where(column.notna(), None)
    present = values.dropna()
    if present.empty:
        return column
    words = present.map(lambda v: str(v).strip().lower())
    if words.isin(("true", "false")).all():
        return values.map(lambda v: None if v is None else str(v).strip().lower() == "true").astype(
            "bool" if len(present) == len(values) else "object"
        )
    try:
        numbers = pd.to_numeric(values)
    except (ValueError, TypeError):
        return column
    return pd.Series(numbers, index=column.index, name=column.name)


def resolve_inputs(
    frame: pd.DataFrame,
    *,
    input_columns: list[str] | Literal["all_but_label"] | None,
    input_as: Literal["auto", "series", "dataframe"],
    text_column: str | None,
    role_columns: set[str],
    label_column: str | None = None,
    id_column: str | None = None,
    auto_series: bool,
    source: str,
    typed: tuple[str, ...] = (),
) -> InputSpec:
    """Work out the model's input columns.

    Defaults to the text column when there is one, else every column without a role (label,
    sensitive features, id). ``"all_but_label"`` is every column except the label and the id;
    sensitive features may be model inputs, listed or through that switch. ``auto_series`` says whether this kind of model takes one
    column as a
    1-D array under ``input_as: auto`` (sklearn text pipelines do; DataFrame callables do not). ``typed``: the
    columns a CSV's reader kept as text (see :class:`InputSpec`).
    """
    if input_columns == "all_but_label":
        input_columns = [c for c in frame.columns if c not in {label_column, id_column}]
    elif input_columns is None:
        input_columns = [text_column] if text_column else [c for c in frame.columns if c not in role_columns]
    require_columns(frame, {f"model.input_columns[{i}]": c for i, c in enumerate(input_columns)}, source=source)
    if not input_columns:
        raise ConfigError(
            f"{source}: no model input columns left after removing label, id and sensitive features; set model.input_columns."
        )
    single = len(input_columns) == 1
    as_series = input_as == "series" or (input_as == "auto" and auto_series and single)
    if as_series and not single:
        raise ConfigError("model.input_as is 'series' but model.input_columns lists several columns; list one or use 'dataframe'.")
    return InputSpec(list(input_columns), as_series=as_series, typed=typed)


def score_in_batches(
    frame: pd.DataFrame,
    batch_size: int,
    score_batch: Callable[[pd.DataFrame], Predictions],
    progress: Progress | None,
) -> list[Predictions]:
    """Call ``score_batch`` on consecutive row slices, advancing ``progress`` after each."""
    parts = []
    for batch in _batches(frame, batch_size):
        parts.append(score_batch(batch))
        if progress is not None:
            progress(len(batch))
    return parts


def _batches(frame: pd.DataFrame, size: int) -> Iterator[pd.DataFrame]:
    for start in range(0, len(frame), size):
        yield frame.iloc[start : start + size]
