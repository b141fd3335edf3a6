"""Turn sensitive-feature columns into integer group codes, alone and intersected."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ethicscheck.errors import DataError

__all__ = ["GroupEncoding", "MISSING", "encode_feature", "encode_with_labels", "merged_labels"]

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
        column, order = _binned(column, bins, name)
    else:
        order = None
    # Factorize once (categorical columns reuse their codes), then clean only the distinct values:
    # 10M rows cost one pass over the column, not ten string operations over it.
    raw_codes, uniques = _factorize(column)
    text = [None if pd.isna(u) else str(u).strip() for u in uniques]
    present = sorted({t for t in text if t}) if order is None else [label for label in order if label in set(text)]
    labels = present + [MISSING]
    position = {label: i for i, label in enumerate(labels)}
    codes = _remap(raw_codes, [position[t] if t else len(present) for t in text], missing=len(present))
    sizes = np.bincount(codes, minlength=len(labels))
    if not sizes.all():  # categories no row uses (or no missing rows): drop them and renumber
        keep = np.flatnonzero(sizes)
        renumber = np.full(len(labels), -1, dtype=codes.dtype)
        renumber[keep] = np.arange(len(keep), dtype=codes.dtype)
        codes = renumber[codes]
        labels = [labels[i] for i in keep]
    _check_group_count(name, len(labels), max_groups)
    return GroupEncoding(name=name, columns=(str(column.name),), codes=codes, labels=tuple(labels), values=tuple((lab,) for lab in labels))


def _check_group_count(name: str, n_groups: int, max_groups: int) -> None:
    if n_groups > max_groups:
        raise DataError(
            f"Sensitive feature '{name}' has {n_groups:,} distinct values (limit fairness.max_groups = "
            f"{max_groups}). Bin it with sensitive_features[].bins or map it to coarser groups first."
        )


def merged_labels(name: str, seen: set[str], *, bins: Sequence[float] | None = None, max_groups: int = 1000) -> tuple[str, ...]:
    """The labels :func:`encode_feature` gives a column whose batches had the group labels ``seen`` (in its order)."""
    if bins is None:
        present = sorted(seen - {MISSING})
    else:
        present = [label for label in bin_labels(bins) if label in seen]
    labels = present + ([MISSING] if MISSING in seen else [])
    _check_group_count(name, len(labels), max_groups)
    return tuple(labels)


def encode_with_labels(column: pd.Series, *, name: str, labels: Sequence[str], bins: Sequence[float] | None = None) -> GroupEncoding:
    """Encode one batch of a column onto the labels of the whole column (:func:`merged_labels`)."""
    local = encode_feature(column, name=name, bins=bins, max_groups=len(labels))
    position = {label: i for i, label in enumerate(labels)}
    remap = np.array([position[label] for label in local.labels], dtype=np.int32)
    codes = remap[local.codes] if len(remap) else np.zeros(0, dtype=np.int32)
    return GroupEncoding(name, local.columns, codes, tuple(labels), tuple((label,) for label in labels))


def bin_labels(bins: Sequence[float]) -> list[str]:
    """Labels of the bands of a binned feature, in order: ``<a``, ``a-b``, ..., ``>=z``."""
    return [f"<{bins[0]:g}"] + [f"{a:g}-{b:g}" for a, b in zip(bins[:-1], bins[1:])] + [f">={bins[-1]:g}"]


def _binned(column: pd.Series, bins: Sequence[float], name: str) -> tuple[pd.Series, list[str]]:
    numeric = pd.to_numeric(column, errors="coerce")
    bad = numeric.isna() & column.notna()
    if bad.any():
        example = column[bad].iloc[0]
        raise DataError(
            f"Sensitive feature '{name}' has bins but {int(bad.sum())} non-numeric values (e.g. {example!r}). Remove bins or clean "
            f"the column."
        )
    edges = [-np.inf, *bins, np.inf]
    labels = bin_labels(bins)
    banded = pd.Series(pd.cut(numeric, edges, right=False, labels=labels), index=column.index, name=column.name)
    return banded, labels


def _remap(raw_codes: np.ndarray, targets: list[int], *, missing: int) -> np.ndarray:
    """``targets[code]`` for every row, ``missing`` where the code is -1.

    Categorical codes are int8 or int16; read through an unsigned view, -1 becomes the last slot of
    a 256- or 65536-entry table, and a table lookup with a small index type is several times faster
    than numpy's general gather (which first widens every index to 64 bits).
    """
    small = np.int16 if missing < 2**15 else np.int32
    if raw_codes.dtype.itemsize <= 2:
        unsigned = raw_codes.view(np.uint8 if raw_codes.dtype.itemsize == 1 else np.uint16)
        table = np.full(256 if raw_codes.dtype.itemsize == 1 else 65536, missing, dtype=small)
        table[: len(targets)] = targets
        return np.asarray(table[unsigned])
    table = np.array([*targets, missing], dtype=small)
    return np.asarray(table[raw_codes])


def _factorize(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes (-1 for missing) and the distinct values they index."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy(), np.asarray(column.cat.categories, dtype=object)
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    return codes, np.asarray(uniques, dtype=object)
