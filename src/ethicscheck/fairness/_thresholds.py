"""How each group's error rates move with the decision threshold (score models only).

Reports, per group: FPR and TPR on a threshold grid; FPR and TPR at the operating point where the
*overall* FPR equals a target (e.g. 1%); and the threshold that would give the group that same FPR
(information for the reader, never applied). Everything derives from one per-joint-cell histogram of
scores on the grid, so cost does not depend on the number of groups.
"""

from __future__ import annotations

import numpy as np

from ethicscheck.fairness._histogram import ScoreHistogram, to_groups
from ethicscheck.fairness._result import GroupThresholds, ThresholdAnalysis
from ethicscheck.fairness._tables import GroupTable

__all__ = ["threshold_analysis"]


def threshold_analysis(
    tables: list[GroupTable],
    histogram: ScoreHistogram,
    *,
    cut: float,
    at_cut: np.ndarray,
    target_fpr: float = 0.01,
    steps: int = 100,
) -> list[ThresholdAnalysis]:
    """Threshold curves for every table.

    Parameters
    ----------
    tables : list of GroupTable
    histogram : ScoreHistogram
        Fine per-cell histogram; grid bins are sums of its bins.
    cut : float
        The operating point on [0, 1]: the lowest threshold whose overall FPR is at most ``target_fpr``.
    at_cut : ndarray, shape (joint cells, 4)
        ``[tn, fp, fn, tp]`` per joint cell when flagging at ``cut``.
    target_fpr : float
        Overall FPR that fixes the operating point.
    steps : int
        Grid of ``steps + 1`` thresholds from 0 to 1 (``steps`` must divide the histogram's bins);
        equalizing thresholds are read off this grid.
    """
    grid = np.linspace(0.0, 1.0, steps + 1)
    width = histogram.fine // steps
    cells = histogram.counts.shape[0]
    # grid bin j holds scores in [j/steps, (j+1)/steps); bin `steps` holds scores equal to 1.
    body = histogram.counts[:, : histogram.fine].reshape(cells, steps, width, 2).sum(axis=2)
    hist = np.concatenate([body, histogram.counts[:, histogram.fine :]], axis=1)
    return [_table_curves(table, hist, at_cut, grid, target_fpr, cut) for table in tables]


def _table_curves(
    table: GroupTable, hist: np.ndarray, at_cut: np.ndarray, grid: np.ndarray, target: float, cut: float
) -> ThresholdAnalysis:
    group_hist = to_groups(hist, table)
    group_cut = to_groups(at_cut, table)
    at_or_above = np.cumsum(group_hist[:, ::-1], axis=1)[:, ::-1]  # rows with score >= grid[k]
    negatives, positives = at_or_above[:, 0, 0], at_or_above[:, 0, 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        fpr = at_or_above[..., 0] / negatives[:, None]
        tpr = at_or_above[..., 1] / positives[:, None]
        fpr_cut = group_cut[:, 1] / (group_cut[:, 0] + group_cut[:, 1])
        tpr_cut = group_cut[:, 3] / (group_cut[:, 2] + group_cut[:, 3])
    groups = []
    for g, label in enumerate(table.labels):
        meets = np.flatnonzero(fpr[g] <= target) if negatives[g] else np.array([], dtype=int)
        groups.append(
            GroupThresholds(
                group=label,
                fpr=_clean_row(fpr[g]),
                tpr=_clean_row(tpr[g]),
                fpr_at_operating_point=_clean(fpr_cut[g]),
                tpr_at_operating_point=_clean(tpr_cut[g]),
                equalizing_threshold=float(grid[meets[0]]) if meets.size else None,
            )
        )
    return ThresholdAnalysis(tuple(float(t) for t in grid), target, cut, tuple(groups))


def _clean(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def _clean_row(values: np.ndarray) -> tuple[float | None, ...]:
    """:func:`_clean` of every value (``tolist`` gives the same floats; NaN is the value unequal to itself)."""
    return tuple(None if v != v else v for v in values.tolist())
