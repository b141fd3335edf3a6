"""Count once, group many ways: one joint table over all sensitive features.

Every row falls into one *joint cell*: one value of each sensitive feature. Counting ``[tn, fp, fn, tp]``
per joint cell takes one pass over the rows; the counts of any single feature or intersection are then
sums over the other features' axes of that small table. With 10M rows this replaces one pass per
feature and intersection (and a per-row intersection code) with a single ``bincount``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import prod

import numpy as np

from ethicscheck.errors import DataError
from ethicscheck.fairness._groups import JOIN, GroupEncoding
from ethicscheck.fairness._metrics import cell_counts

__all__ = ["GroupTable", "JointIndex", "joint_index", "group_tables", "intersect"]

#: Largest joint table (cells x 4 counts) counted directly; beyond it intersections fall back to per-row codes.
MAX_JOINT_CELLS = 20_000_000


@dataclass(frozen=True)
class JointIndex:
    """The joint cell of every row and the shape of the joint table (one axis per feature)."""

    cells: np.ndarray
    shape: tuple[int, ...]
    features: tuple[GroupEncoding, ...]

    @property
    def size(self) -> int:
        return prod(self.shape)


@dataclass(frozen=True)
class GroupTable:
    """Counts of one feature or intersection, and how joint cells map onto its groups.

    Attributes
    ----------
    name, columns, labels, values
        As in :class:`GroupEncoding`.
    counts : ndarray, shape (groups, 4)
        ``[tn, fp, fn, tp]`` per group.
    cell_to_group : ndarray, shape (joint cells,)
        Group index of each joint cell, -1 for cells that are empty in this grouping.
    """

    name: str
    columns: tuple[str, ...]
    labels: tuple[str, ...]
    values: tuple[tuple[str, ...], ...]
    counts: np.ndarray
    cell_to_group: np.ndarray

    @property
    def n_groups(self) -> int:
        return len(self.labels)

    def row_codes(self, joint: JointIndex) -> np.ndarray:
        """Group index of every row (one gather; only computed when a per-row view is needed)."""
        return np.asarray(self.cell_to_group[joint.cells])


def joint_index(features: Sequence[GroupEncoding]) -> JointIndex:
    """Combine per-feature codes into one joint cell index per row."""
    shape = tuple(f.n_groups for f in features)
    if prod(shape) * 4 > MAX_JOINT_CELLS:
        raise DataError(
            f"The sensitive features {', '.join(f.name for f in features)} have {prod(shape):,} combinations, too many to "
            "count jointly. Use fewer or coarser features, or bin numeric ones."
        )
    dtype = np.int32 if prod(shape) * 4 < 2**31 else np.int64
    cells: np.ndarray = np.zeros(len(features[0].codes), dtype=dtype)
    for feature in features:
        cells *= feature.n_groups
        cells += feature.codes
    return JointIndex(cells=cells, shape=shape, features=tuple(features))


def group_tables(joint: JointIndex, combos: Sequence[Sequence[int]], cell_table: np.ndarray, *, max_groups: int) -> list[GroupTable]:
    """Counts of each single feature, then of each intersection (given as feature positions), from the
    ``(joint cells, 4)`` count table.

    Raises
    ------
    DataError
        An intersection has more than ``max_groups`` non-empty groups.
    """
    table = cell_table.reshape(*joint.shape, 4)
    tables = [_single(joint, position, table) for position in range(len(joint.shape))]
    tables += [_intersection(joint, list(combo), table, max_groups) for combo in combos]
    return tables


def _single(joint: JointIndex, position: int, table: np.ndarray) -> GroupTable:
    feature = joint.features[position]
    others = tuple(i for i in range(len(joint.shape)) if i != position)
    counts = table.sum(axis=others) if others else table
    cell_to_group = np.indices(joint.shape)[position].ravel()
    return GroupTable(feature.name, feature.columns, feature.labels, feature.values, counts, cell_to_group)


def _intersection(joint: JointIndex, positions: list[int], table: np.ndarray, max_groups: int) -> GroupTable:
    parts = [joint.features[p] for p in positions]
    name = JOIN.join(p.name for p in parts)
    others = tuple(i for i in range(len(joint.shape)) if i not in positions)
    sub = table.sum(axis=others) if others else table
    sub_shape = sub.shape[:-1]
    flat = sub.reshape(-1, 4)
    occupied = np.flatnonzero(flat.sum(axis=1) > 0)
    if len(occupied) > max_groups:
        raise DataError(
            f"The intersection '{name}' has {len(occupied):,} groups (limit fairness.max_groups = {max_groups}). "
            "Set data.intersections to fewer or coarser features, or 'none'."
        )
    renumber = np.full(flat.shape[0], -1, dtype=np.int64)
    renumber[occupied] = np.arange(len(occupied))
    combo_of_cell = np.ravel_multi_index(tuple(np.indices(joint.shape)[p].ravel() for p in positions), sub_shape)
    values = [tuple(part.labels[i] for part, i in zip(parts, np.unravel_index(key, sub_shape))) for key in occupied]
    return GroupTable(
        name=name,
        columns=tuple(c for p in parts for c in p.columns),
        labels=tuple(JOIN.join(v) for v in values),
        values=tuple(values),
        counts=flat[occupied],
        cell_to_group=renumber[combo_of_cell],
    )


def intersect(parts: Sequence[GroupEncoding], *, max_groups: int = 1000) -> GroupEncoding:
    """The intersection of several encodings; only combinations that occur become groups.

    Built with the same joint table the fairness engine counts with, so both agree on labels,
    order and the ``max_groups`` limit.
    """
    joint = joint_index(parts)
    none = np.zeros(len(parts[0].codes), dtype=bool)  # labels and decisions do not matter for the grouping
    cell_table = cell_counts(joint.cells, none, none, joint.size)
    table = group_tables(joint, [list(range(len(parts)))], cell_table, max_groups=max_groups)[-1]
    return GroupEncoding(table.name, table.columns, table.row_codes(joint).astype(np.int64), table.labels, table.values)
