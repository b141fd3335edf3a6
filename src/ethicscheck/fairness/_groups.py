"""Turn sensitive-feature columns into integer group codes, alone and intersected."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ethicscheck.errors import DataError

__all__ = ["GroupEncoding", "MISSING", "encode_feature", "intersect"]

#: Label of the explicit group of rows whose sensitive value is missing.
MISSING = "(missing)"
#: Joins the values of an intersectional group, e.g. "Nepali & north".
JOIN = " & "


@dataclass(frozen=True)
class GroupEncoding:
    """Rows mapped to groups of one feature or intersection.

    Attributes
    ----------
    name : str
        Display name, e.g. ``nationality`` or ``nationality & region``.
    columns : tuple of str
        Source columns.
    codes : ndarray of int64
        Group index of every row.
    labels : tuple of str
        Label of each group index; intersections join values with `` & ``.
    values : tuple of tuple of str
        The per-column values of each group.
    """

    name: str
    columns: tuple[str, ...]
    codes: np.ndarray
    labels: tuple[str, ...]
    values: tuple[tuple[str, ...], ...]

    @property
    def n_groups(self) -> int:
        return len(self.labels)


def encode_feature(
    column: pd.Series,
    *,
    name: str,
    bins: Sequence[float] | None = None,
    max_groups: int = 1000,
) -> GroupEncoding:
    """Encode one column.

    Values become text (``1`` and ``"1"`` are one group), missing values become the explicit group
    ``(missing)``, listed last; other groups are sorted. With ``bins`` a numeric column is cut into
    bands ``[a, b)`` labelled ``a-b``, plus ``<first`` and ``>=last``.

    Raises
    ------
    DataError
        A binned column is not numeric, or the column has more than ``max_groups`` groups.
    """
    if bins is not None:
        text, order = _binned(column, bins, name)
    else:
        text = column.astype("string").str.strip()
        text = text.mask(text == "", pd.NA)
        order = None
    missing = text.isna().to_numpy()
    present = [str(v) for v in pd.unique(text[~missing])]
    uniques = sorted(present) if order is None else [label for label in order if label in set(present)]
    labels = uniques + ([MISSING] if missing.any() else [])
    if len(labels) > max_groups:
        raise DataError(
            f"Sensitive feature '{name}' has {len(labels):,} distinct values (limit fairness.max_groups = "
            f"{max_groups}). Bin it with sensitive_features[].bins or map it to coarser groups first."
        )
    codes = np.full(len(text), len(labels) - 1, dtype=np.int64)
    if uniques:
        index = pd.Index(uniques)
        codes[~missing] = index.get_indexer(text[~missing].astype(str).to_numpy())
    return GroupEncoding(name=name, columns=(str(column.name),), codes=codes, labels=tuple(labels), values=tuple((lab,) for lab in labels))


def intersect(parts: Sequence[GroupEncoding], *, max_groups: int = 1000) -> GroupEncoding:
    """The intersection of several encodings; only combinations that occur become groups."""
    combined = np.zeros(len(parts[0].codes), dtype=np.int64)
    for part in parts:
        combined = combined * part.n_groups + part.codes
    observed, codes = np.unique(combined, return_inverse=True)
    name = JOIN.join(p.name for p in parts)
    if len(observed) > max_groups:
        raise DataError(
            f"The intersection '{name}' has {len(observed):,} groups (limit fairness.max_groups = {max_groups}). "
            "Set data.intersections to fewer or coarser features, or 'none'."
        )
    values = []
    for key in observed:
        combo = []
        for part in reversed(parts):
            key, index = divmod(int(key), part.n_groups)
            combo.append(part.labels[index])
        values.append(tuple(reversed(combo)))
    return GroupEncoding(
        name=name,
        columns=tuple(c for p in parts for c in p.columns),
        codes=codes.astype(np.int64),
        labels=tuple(JOIN.join(v) for v in values),
        values=tuple(values),
    )


def _binned(column: pd.Series, bins: Sequence[float], name: str) -> tuple[pd.Series, list[str]]:
    numeric = pd.to_numeric(column, errors="coerce")
    bad = numeric.isna() & column.notna()
    if bad.any():
        example = column[bad].iloc[0]
        raise DataError(f"Sensitive feature '{name}' has bins but {int(bad.sum())} non-numeric values (e.g. {example!r}). Remove bins or clean the column.")
    edges = [-np.inf, *bins, np.inf]
    labels = [f"<{bins[0]:g}"] + [f"{a:g}-{b:g}" for a, b in zip(bins[:-1], bins[1:])] + [f">={bins[-1]:g}"]
    banded = pd.Series(pd.cut(numeric, edges, right=False, labels=labels), index=column.index).astype("string")
    return banded, labels
