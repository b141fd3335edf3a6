"""One pass over the comparisons: how many pass each threshold, per group, per pair of groups and per subject.

Everything after this module works on these small tables, never on the comparisons again: the
rates, the cross-group matrix, the DET curves and the subject bootstrap. The pass runs in slices of a
few million comparisons, so its working memory stays small however many there are (10^8 impostor
comparisons add about 100 MB of per-comparison levels to the input arrays).

A comparison's *level* is the number of grid thresholds at or below its similarity: it matches at grid
threshold ``i`` exactly when its level is above ``i``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from ethicscheck.verification._comparisons import Comparisons, SubjectGroups
from ethicscheck.verification._result import PointKind

__all__ = [
    "CountedComparisons",
    "FeatureCounts",
    "Levels",
    "ThresholdGrid",
    "count_feature",
    "count_overall",
    "levels",
    "matched_from_levels",
]

#: Comparisons handled per slice (bounded temporary memory).
_SLICE = 1 << 22
#: Largest (group pair x level) table counted in one bincount.
_PAIR_TABLE = 1 << 22


@dataclass(frozen=True)
class Levels:
    """Each comparison's level on the threshold grid, and the operating points' places on that grid.

    Attributes
    ----------
    level : ndarray of uint8 or uint16
        Per comparison: how many grid thresholds it reaches.
    n_grid : int
        Grid thresholds (``L``; levels run 0..L).
    point_grid : ndarray of int
        Grid index of each operating point, in the points' order.
    """

    level: np.ndarray
    n_grid: int
    point_grid: np.ndarray

    @property
    def n_points(self) -> int:
        return len(self.point_grid)

    def point_levels(self) -> tuple[np.ndarray, np.ndarray]:
        """Table from grid level to operating-point level (how many operating points a comparison reaches, ordered
        by threshold), and the order of the points by threshold."""
        order = np.argsort(self.point_grid, kind="stable")
        return np.searchsorted(self.point_grid[order], np.arange(self.n_grid + 1), side="left").astype(np.int64), order


@dataclass(frozen=True)
class FeatureCounts:
    """Counts for one attribute or intersection, at every grid threshold or operating point.

    Attributes
    ----------
    same_impostor : ndarray (G, L + 1)
        Impostor comparisons between two members of one group, by level.
    genuine : ndarray (G, L + 1)
        Genuine comparisons of the group's subjects, by level.
    cross_impostor : ndarray (G, G, P + 1)
        Impostor comparisons by the (unordered) pair of the two sides' groups, by operating-point level; only
        the upper triangle (row group <= column group) is filled.
    subject_impostor : ndarray (S, P + 1)
        Same-group impostor comparisons each subject takes part in (a comparison counts for both its subjects), by
        operating-point level.
    subject_genuine : ndarray (S, P + 1)
        Genuine comparisons of each subject, by operating-point level.
    """

    same_impostor: np.ndarray
    genuine: np.ndarray
    cross_impostor: np.ndarray
    subject_impostor: np.ndarray
    subject_genuine: np.ndarray


@dataclass(frozen=True)
class ThresholdGrid:
    """The thresholds the comparisons are counted at: the operating points' and the DET curves'.

    Attributes
    ----------
    values : ndarray
        Grid thresholds on the similarity scale, ascending (with decisions only, one placeholder: level 1 is matched).
    point_grid : ndarray of int
        Grid index of each operating point, in the points' order.
    kinds, targets, thresholds : tuple
        Per operating point: its kind, target overall FMR (or None) and threshold on the user's scale (or None).
    """

    values: np.ndarray
    point_grid: np.ndarray
    kinds: tuple[PointKind, ...]
    targets: tuple[float | None, ...]
    thresholds: tuple[float | None, ...]

    def levels(self, level: np.ndarray | None = None) -> Levels:
        """:class:`Levels` on this grid (``level``: per comparison; none once they are counted)."""
        return Levels(np.zeros(0, dtype=np.uint8) if level is None else level, len(self.values), self.point_grid)


@dataclass(frozen=True)
class CountedComparisons:
    """Everything the assessment reads from the comparisons, whichever reader counted them (in memory or in batches).

    Attributes
    ----------
    n_comparisons, n_subjects : int
        Comparisons and distinct subjects.
    features : tuple of SubjectGroups
        Every subject's group, per attribute and intersection.
    grid : ThresholdGrid
        The thresholds counted at.
    overall_impostor, overall_genuine : ndarray (L + 1)
        All impostor and genuine comparisons, by level.
    counts : tuple of FeatureCounts
        One per feature.
    """

    n_comparisons: int
    n_subjects: int
    features: tuple[SubjectGroups, ...]
    grid: ThresholdGrid
    overall_impostor: np.ndarray
    overall_genuine: np.ndarray
    counts: tuple[FeatureCounts, ...]


def levels(similarity: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Per comparison, the number of ``grid`` values (sorted ascending) at or below its similarity."""
    dtype = np.uint8 if len(grid) < 255 else np.uint16
    out = np.empty(len(similarity), dtype=dtype)
    for part in _slices(len(similarity)):
        out[part] = np.searchsorted(grid, similarity[part], side="right")
    return out


def count_feature(comparisons: Comparisons, feature: SubjectGroups, grid_levels: Levels) -> FeatureCounts:
    """Count one feature's comparisons by group, pair of groups and subject, at every threshold."""
    n_groups, n_levels = feature.n_groups, grid_levels.n_grid + 1
    n_point_levels = grid_levels.n_points + 1
    n_subjects = comparisons.n_subjects
    to_point, _ = grid_levels.point_levels()
    to_point = to_point.astype(np.int16)
    group_of = feature.codes.astype(np.int16 if n_groups < 2**15 else np.int32)
    # Small tables are counted by level for every pair of groups in one bincount, and both the same-group table
    # (the diagonal) and the cross-group table (levels summed into operating-point levels) are read from it.
    pair_levels = n_groups * n_groups * n_levels <= _PAIR_TABLE
    key_type = np.int32 if max(n_groups * n_groups * n_levels, n_subjects * n_point_levels) < 2**31 else np.int64
    pairs = np.zeros(n_groups * n_groups * (n_levels if pair_levels else n_point_levels), dtype=np.int64)
    same = np.zeros(n_groups * n_levels, dtype=np.int64)
    genuine = np.zeros(n_groups * n_levels, dtype=np.int64)
    subject_imp = np.zeros(n_subjects * n_point_levels, dtype=np.int64)
    subject_gen = np.zeros(n_subjects * n_point_levels, dtype=np.int64)
    for part in _slices(comparisons.n_comparisons):
        a, b = comparisons.subject_a[part], comparisons.subject_b[part]
        level = grid_levels.level[part].astype(key_type)
        point = to_point[level].astype(key_type)
        is_genuine = comparisons.genuine[part]
        ga, gb = group_of[a].astype(key_type), group_of[b].astype(key_type)
        impostor = ~is_genuine
        pair = np.minimum(ga, gb) * n_groups + np.maximum(ga, gb)
        if pair_levels:
            pairs += np.bincount((pair * n_levels + level)[impostor], minlength=len(pairs))
        else:
            pairs += np.bincount((pair * n_point_levels + point)[impostor], minlength=len(pairs))
            within = impostor & (ga == gb)
            same += np.bincount((ga * n_levels + level)[within], minlength=len(same))
        genuine += np.bincount((ga * n_levels + level)[is_genuine], minlength=len(genuine))
        within = impostor & (ga == gb)
        point_within = point[within]
        subject_imp += np.bincount(a[within].astype(key_type) * n_point_levels + point_within, minlength=len(subject_imp))
        subject_imp += np.bincount(b[within].astype(key_type) * n_point_levels + point_within, minlength=len(subject_imp))
        subject_gen += np.bincount(a[is_genuine].astype(key_type) * n_point_levels + point[is_genuine], minlength=len(subject_gen))
    if pair_levels:
        by_level = pairs.reshape(n_groups, n_groups, n_levels)
        same = np.einsum("ggl->gl", by_level).copy()
        cross = np.zeros((n_groups, n_groups, n_point_levels), dtype=np.int64)
        for grid_level, point_level in enumerate(to_point.tolist()):
            cross[:, :, point_level] += by_level[:, :, grid_level]
    else:
        cross = pairs.reshape(n_groups, n_groups, n_point_levels)
    return FeatureCounts(
        same_impostor=same.reshape(n_groups, n_levels),
        genuine=genuine.reshape(n_groups, n_levels),
        cross_impostor=cross,
        subject_impostor=subject_imp.reshape(n_subjects, n_point_levels),
        subject_genuine=subject_gen.reshape(n_subjects, n_point_levels),
    )


def count_overall(comparisons: Comparisons, grid_levels: Levels) -> tuple[np.ndarray, np.ndarray]:
    """All impostor and all genuine comparisons, by level."""
    size = grid_levels.n_grid + 1
    impostor = np.zeros(size, dtype=np.int64)
    genuine = np.zeros(size, dtype=np.int64)
    for part in _slices(comparisons.n_comparisons):
        level = grid_levels.level[part]
        is_genuine = comparisons.genuine[part]
        impostor += np.bincount(level[~is_genuine], minlength=size)
        genuine += np.bincount(level[is_genuine], minlength=size)
    return impostor, genuine


def matched_from_levels(by_level: np.ndarray) -> np.ndarray:
    """From counts by level (last axis 0..L) to counts matched at each threshold (last axis 0..L-1)."""
    return np.cumsum(by_level[..., ::-1], axis=-1)[..., ::-1][..., 1:]


def _slices(n: int) -> Iterator[slice]:
    for start in range(0, n, _SLICE):
        yield slice(start, min(start + _SLICE, n))
