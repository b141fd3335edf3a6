"""One pass over the scores: a fine per-joint-cell histogram that every score metric reads.

Scores fall into ``fine`` equal-width bins (bin k holds ``[k/fine, (k+1)/fine)``, the last one also
1.0), exact at the edges. Threshold grids of step 1/100 and calibration bins of width 1/10 are whole
multiples of them, so threshold curves, the reliability table and binned AUC/AP need no further pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ethicscheck.fairness._tables import GroupTable, JointIndex

__all__ = ["ScoreHistogram", "score_histogram", "to_groups"]

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

    def coarse(self, per_cell: np.ndarray, steps: int) -> np.ndarray:
        """Sum fine bins into ``steps`` bins of width ``1/steps`` (the last one includes 1.0)."""
        width = self.fine // steps
        body = per_cell[:, : self.fine].reshape(per_cell.shape[0], steps, width, *per_cell.shape[2:]).sum(axis=2)
        body[:, -1] += per_cell[:, self.fine]
        return np.asarray(body)


def score_histogram(joint: JointIndex, y_true: np.ndarray, score: np.ndarray) -> ScoreHistogram:
    """Build the histogram in one pass: two bincounts over a 32-bit cell index, two small ones."""
    fine = 4000 if joint.size * 4001 * 2 <= _MAX_ENTRIES else 100
    scaled = score * fine
    bins = scaled.astype(np.int32)  # floor, as scores are >= 0
    # Floating point can put a score that equals an edge k/fine just below k after scaling (0.29 * 4000
    # = 1159.999...). Only scores within rounding distance of an edge need the exact comparison.
    near = np.flatnonzero(np.abs(scaled - np.rint(scaled)) < 1e-6)
    if near.size:
        edges = np.arange(fine + 1) / fine
        bins[near] = np.searchsorted(edges, score[near], side="right") - 1
    np.minimum(bins, fine, out=bins)
    y = y_true.astype(np.int32)
    index = joint.cells.astype(np.int32) * (fine + 1)
    index += bins
    index *= 2
    index += y
    size = joint.size * (fine + 1) * 2
    shape = (joint.size, fine + 1, 2)
    counts = np.bincount(index, minlength=size).reshape(shape)
    score_sums = np.bincount(index, weights=score, minlength=size).reshape(shape)
    error2 = score - y_true
    error2 *= error2
    squared_error = np.bincount(joint.cells, weights=error2, minlength=joint.size)
    error2 *= error2
    error4 = np.bincount(joint.cells, weights=error2, minlength=joint.size)
    return ScoreHistogram(fine, counts, score_sums, squared_error, error4)


def to_groups(per_cell: np.ndarray, table: GroupTable) -> np.ndarray:
    """Sum per-joint-cell arrays into the table's groups."""
    valid = table.cell_to_group >= 0
    out = np.zeros((table.n_groups, *per_cell.shape[1:]), dtype=np.result_type(per_cell.dtype, np.float64))
    np.add.at(out, table.cell_to_group[valid], per_cell[valid])
    return out
