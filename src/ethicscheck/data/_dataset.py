"""The labeled evaluation data with its column roles, validated."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ethicscheck._values import describe_values, equals_value
from ethicscheck.config import AuditConfig, DataConfig
from ethicscheck.data._filter import FilterStep, apply_filter
from ethicscheck.data._read import ReadOptions, path_sha256, read_table
from ethicscheck.errors import DataError

__all__ = [
    "Dataset",
    "missing_labels",
    "missing_sensitive",
    "no_positive",
    "not_binary",
    "load_dataset",
    "dataset_from_frame",
    "binary_labels",
    "configured_columns",
    "frame_digest",
    "read_as_text",
    "scanned_text_columns",
    "read_options",
    "text_columns",
]


@dataclass(frozen=True)
class Dataset:
    """Evaluation rows plus the roles ethicscheck needs.

    Attributes
    ----------
    frame : DataFrame
        The rows as read (original columns, original order).
    y_true : ndarray of bool
        True where the label means trafficking-related.
    path : Path
        The file read.
    sha256 : str
        Digest of the file, for provenance.
    """

    frame: pd.DataFrame
    y_true: np.ndarray
    path: Path
    sha256: str
    label_column: str
    sensitive_columns: tuple[str, ...]
    text_column: str | None
    id_column: str | None
    rows_read: int | None = None
    filter_steps: tuple[FilterStep, ...] = ()

    @property
    def n_rows(self) -> int:
        return len(self.frame)

    def role_columns(self) -> set[str]:
        """Columns that are not model inputs: label, sensitive features, id."""
        roles = {self.label_column, *self.sensitive_columns}
        if self.id_column:
            roles.add(self.id_column)
        return roles


def load_dataset(config: AuditConfig | DataConfig) -> Dataset:
    """Read ``config.data.path`` (or a bare data config's ``path``) and check every configured column role.

    Raises
    ------
    DataError
        Missing columns (the message lists the available ones), missing or non-binary labels (it
        counts the rows), duplicated ids, or an unreadable file.
    """
    data = _data_config(config)
    group_columns = tuple(f.column for f in data.sensitive_features if f.bins is None)
    also_text = scanned_text_columns(config) if isinstance(config, AuditConfig) else ()
    frame = read_table(data.path, format=data.format, categorical=group_columns, options=read_options(data, also_text=also_text))
    return dataset_from_frame(frame, config, path=Path(data.path), sha256=path_sha256(Path(data.path)))


def dataset_from_frame(frame: pd.DataFrame, config: AuditConfig | DataConfig, *, path: Path, sha256: str) -> Dataset:
    """Check a frame already in memory against the configured column roles (as :func:`load_dataset`)."""
    data = _data_config(config)
    source = path.name
    require_columns(frame, configured_columns(data), source=source)
    rows_read = len(frame)
    frame, steps = apply_filter(frame, data.filter, source=source)
    y_true = binary_labels(frame[data.label.column], data.label.positive, where=f"{source} column '{data.label.column}'")
    if data.id_column and not frame[data.id_column].is_unique:  # one hash pass; duplicated() also builds the row mask
        n_dup = int(frame[data.id_column].duplicated().sum())
        raise DataError(
            f"{source}: id column '{data.id_column}' has {n_dup} duplicated values; ids must be unique "
            "to join predictions. Fix the ids or remove data.id_column."
        )
    return Dataset(
        frame=frame,
        y_true=y_true,
        path=path,
        sha256=sha256,
        label_column=data.label.column,
        sensitive_columns=tuple(f.column for f in data.sensitive_features),
        text_column=data.text_column,
        id_column=data.id_column,
        rows_read=rows_read,
        filter_steps=steps,
    )


def configured_columns(data: DataConfig) -> dict[str, str]:
    """Every column the data section names, by the field that names it (``data.label.column``: ``label``)."""
    wanted = {"data.label.column": data.label.column}
    wanted.update({f"data.sensitive_features[{i}].column": f.column for i, f in enumerate(data.sensitive_features)})
    if data.text_column:
        wanted["data.text_column"] = data.text_column
    if data.id_column:
        wanted["data.id_column"] = data.id_column
    return wanted


def read_options(data: DataConfig, *, also_text: tuple[str, ...] = ()) -> ReadOptions:
    """How ``data.path`` is read: header, column names, preamble, separator, encoding, missing markers, text columns
    (:func:`read_as_text`, and ``also_text``: the other columns an audit scans, :func:`scanned_text_columns`)."""
    return ReadOptions(
        header=data.header,
        columns=tuple(data.columns) if data.columns is not None else None,
        skip_rows=data.skip_rows,
        delimiter=data.delimiter,
        encoding=data.encoding,
        na_values=tuple(data.na_values),
        text=tuple(dict.fromkeys([*read_as_text(data), *also_text])),
    )


def text_columns(data: DataConfig) -> tuple[str, ...]:
    """The columns read as the text a CSV holds on every engine: the group columns (sensitive features without bins) and the id.

    "007" and "7" are two groups (two ids), as written; a binned feature is read as numbers. A model that takes one
    of them as an input gets it typed as a CSV reader types any column (:class:`~ethicscheck.models.InputSpec`).
    """
    groups = [f.column for f in data.sensitive_features if f.bins is None]
    return tuple(dict.fromkeys([*groups, *([data.id_column] if data.id_column else [])]))


def read_as_text(data: DataConfig) -> tuple[str, ...]:
    """Every column a CSV reader keeps as the text it holds, on every engine: :func:`text_columns` and ``data.text_column``.

    An ad is text as written: only its empty cells and ``data.na_values`` are missing, so an ad that reads "NA" or
    "null" is scanned (pandas' own reading made it missing, unscanned, where Spark scanned it), and an ad of digits
    stays its digits (a model scoring the text gets it as written).
    """
    return tuple(dict.fromkeys([*text_columns(data), *([data.text_column] if data.text_column else [])]))


def scanned_text_columns(config: AuditConfig) -> tuple[str, ...]:
    """The other columns the personal-data scan reads (``privacy.columns``, ``privacy.output_columns``), which a CSV
    reader keeps as the text it holds on every engine: a column of phone numbers alone, ``0651706749``, stays
    ``0651706749`` (read as numbers it was 651706749, its leading zero gone). None when the scan is off.
    """
    privacy = config.privacy
    if not privacy.enabled:
        return ()
    return tuple(dict.fromkeys([*(privacy.columns or []), *privacy.output_columns]))


def _data_config(config: AuditConfig | DataConfig) -> DataConfig:
    return config if isinstance(config, DataConfig) else config.data


def require_columns(frame: pd.DataFrame, wanted: dict[str, str], *, source: str) -> None:
    """Raise one clear error naming every configured column that the table lacks."""
    missing = [f"'{column}' ({field})" for field, column in wanted.items() if column not in frame.columns]
    if missing:
        available = ", ".join(frame.columns[:30]) + (" ..." if len(frame.columns) > 30 else "")
        raise DataError(f"{source}: column {', '.join(missing)} not found. Available: {available}. Fix the column name in the config.")


def binary_labels(values: pd.Series, positive: Any, *, where: str) -> np.ndarray:
    """Map a label column to booleans: True where it equals ``positive``.

    Numbers compare as numbers (``1`` matches ``1.0``); anything else compares as stripped text, so a
    CSV column of ``"yes"``/``"no"`` works with ``positive: "yes"``.

    Raises
    ------
    DataError
        When labels are missing (the rows are counted), take more than two values, or no row equals
        ``positive`` (whatever the number of values: a column of ``yes`` with ``positive: 1`` would
        otherwise read as "nothing is trafficking-related"). The message lists the values seen with
        their counts, unless the column looks like free text.
    """
    missing = values.isna().to_numpy()
    if missing.any():
        raise missing_labels(where, int(missing.sum()), len(values), np.flatnonzero(missing)[:5])
    distinct = pd.unique(values)
    if len(distinct) > 2:
        raise not_binary(where, len(distinct), describe_values(values))
    flagged = equals_value(values.to_numpy(), positive)
    if not flagged.any():
        raise no_positive(where, positive, describe_values(values))
    return flagged.astype(bool)


def missing_labels(where: str, n_missing: int, n_rows: int, first: Any) -> DataError:
    """Rows without a label (``first``: the first few row numbers, from 0)."""
    shown = ", ".join(str(i) for i in first)
    return DataError(
        f"{where}: {n_missing} of {n_rows} rows have no label (first at rows {shown}, counting from 0). Label or drop those rows."
    )


def not_binary(where: str, n_distinct: int, described: str) -> DataError:
    """A label column with more than two values."""
    return DataError(
        f"{where}: the label must be binary, found {n_distinct} values: {described}. "
        "Map it to two values first (trafficking-related or not), or point data.label.column at the label."
    )


def no_positive(where: str, positive: Any, described: str) -> DataError:
    """A label column where no row equals ``data.label.positive``."""
    return DataError(
        f"{where}: no row equals data.label.positive ({positive!r}); the column holds {described}. "
        "Set data.label.positive to the value that means trafficking-related (an evaluation set needs such rows)."
    )


def missing_sensitive(data: DataConfig, frame: pd.DataFrame) -> dict[str, int]:
    """Rows without a value (missing or blank) per sensitive feature that has any, by display name."""
    missing = {}
    for feature in data.sensitive_features:
        column = frame[feature.column]
        count = int(column.isna().sum() + (column.astype("string").str.strip() == "").fillna(False).sum())
        if count:
            missing[feature.display_name] = count
    return missing


def frame_digest(frame: pd.DataFrame) -> str:
    """A content digest of a frame that has no file (hashes values, not the Python objects)."""
    import hashlib

    hashed = pd.util.hash_pandas_object(frame, index=False).to_numpy()
    return hashlib.sha256(hashed.tobytes() + ",".join(map(str, frame.columns)).encode()).hexdigest()
