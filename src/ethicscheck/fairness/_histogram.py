"""One pass over the scores: a fine per-joint-cell histogram that every score metric reads.

Scores fall into ``fine`` equal-width bins (bin k holds ``[k/fine, (k+1)/fine)``, the last one also
1.0), exact at the edges. Threshold grids of step 1/100 and calibration bins of width 1/10 are whole
multiples of them, so threshold curves, the reliability table and binned AUC/AP need no further pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ethicscheck.fairness._tables import GroupTable

__all__ = ["ScoreHistogram", "histogram_index", "to_groups"]

#: Histogram entries (cells x bins x 2) above which a coarser histogram is used.
_MAX_ENTRIES = 40_000_000


@dataclass(frozen=True)
class ScoreHistogram:
    """Per joint cell: label counts and score sums in each fine bin, and moments for the Brier score.

    Attributes
    ----------
    fine : int
        Number of fine bins (a multiple of 100).
    counts, score_sums : ndarray, shape (cells, fine + 1, 2)
        Rows and summed scores per (cell, bin, label); index ``fine`` holds scores equal to 1.
    squared_error : ndarray, shape (cells,)
        Sum of ``(score - label) ** 2`` per cell (the Brier score's numerator).
    error4 : ndarray, shape (cells,)
        Sum of ``(score - label) ** 4`` per cell (for the Brier score's standard error).
    """

    fine: int
    counts: np.ndarray
    score_sums: np.ndarray
    squared_error: np.ndarray
    error4: np.ndarray

    @staticmethod
    def fine_bins(cells: int) -> int:
        """4000 bins (1/4000 wide) while the histogram stays small, else 100."""
        return 4000 if cells * 4001 * 2 <= _MAX_ENTRIES else 100

    def coarse(self, per_cell: np.ndarray, steps: int) -> np.ndarray:
        """Sum fine bins into ``steps`` bins of width ``1/steps`` (the last one includes 1.0)."""
        width = self.fine // steps
        body = per_cell[:, : self.fine].reshape(per_cell.shape[0], steps, width, *per_cell.shape[2:]).sum(axis=2)
        body[:, -1] += per_cell[:, self.fine]
        return np.asarray(body)


def histogram_index(cells: np.ndarray, y_true: np.ndarray, score: np.ndarray, fine: int) -> np.ndarray:
    """The flat (cell, fine bin, label) index of every row, for one bincount per histogram table."""
    scaled = score * fine
    bins = scaled.astype(np.int32)  # floor, as scores are >= 0
    # Floating point can put a score that equals an edge k/fine just below k after scaling (0.29 * 4000
    # = 1159.999...). Only scores within rounding distance of an edge need the exact comparison.
    near = np.flatnonzero(np.abs(scaled - np.rint(scaled)) < 1e-6)
    if near.size:
        edges = np.arange(fine + 1) / fine
        bins[near] = np.searchsorted(edges, score[near], side="right") - 1
    np.minimum(bins, fine, out=bins)
    index: np.ndarray = cells.astype(np.int32 if cells.dtype.itemsize <= 4 else np.int64) * (fine + 1)
    index += bins
    index *= 2
    index += y_true.astype(np.int32)
    return index


def to_groups(per_cell: np.ndarray, table: GroupTable) -> np.ndarray:
    """Sum per-joint-cell arrays into the table's groups.

    Each group's cells are added in ascending cell order, one cell per group at a time (the sums of
    ``np.add.at``, which does the same one element at a time and was most of the score metrics' time).
    """
    valid = np.flatnonzero(table.cell_to_group >= 0)
    groups = table.cell_to_group[valid]
    out = np.zeros((table.n_groups, *per_cell.shape[1:]), dtype=np.result_type(per_cell.dtype, np.float64))
    order = np.argsort(groups, kind="stable")  # by group, cells ascending within a group
    starts = np.searchsorted(groups[order], np.arange(table.n_groups))
    rank = np.arange(len(order)) - starts[groups[order]]  # the k-th cell of its group
    for k in range(int(rank.max(initial=-1)) + 1):
        at = order[rank == k]
        out[groups[at]] += per_cell[valid[at]]
    return out
