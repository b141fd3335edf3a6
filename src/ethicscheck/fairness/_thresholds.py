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
from ethicscheck.fairness._tables import GroupTable, JointIndex

__all__ = ["threshold_analysis", "operating_threshold"]


def operating_threshold(y_true: np.ndarray, score: np.ndarray, target_fpr: float) -> float:
    """The lowest threshold whose overall FPR (share of negatives with score >= threshold) is <= target.

    Exact: it is the smallest score above the k-th largest negative score, with k = floor(target * N),
    found with a partial sort (linear time).
    """
    negatives = score[~y_true]
    allowed = int(np.floor(target_fpr * len(negatives)))
    if len(negatives) == 0:
        return 0.0
    if allowed >= len(negatives):
        return float(negatives.min())
    # Flagging needs score >= t; at most `allowed` negatives may reach it.
    kth_largest = np.partition(negatives, len(negatives) - allowed - 1)[len(negatives) - allowed - 1]
    return float(np.nextafter(kth_largest, np.inf))


def threshold_analysis(
    tables: list[GroupTable],
    joint: JointIndex,
    y_true: np.ndarray,
    score: np.ndarray,
    histogram: ScoreHistogram,
    *,
    target_fpr: float = 0.01,
    steps: int = 100,
) -> list[ThresholdAnalysis]:
    """Threshold curves for every table.

    Parameters
    ----------
    tables : list of GroupTable
    joint : JointIndex
    y_true : ndarray of bool
    score : ndarray of float in [0, 1]
    histogram : ScoreHistogram
        Fine per-cell histogram; grid bins are sums of its bins.
    target_fpr : float
        Overall FPR that fixes the operating point.
    steps : int
        Grid of ``steps + 1`` thresholds from 0 to 1 (``steps`` must divide the histogram's bins);
        equalizing thresholds are read off this grid.
    """
    grid = np.linspace(0.0, 1.0, steps + 1)
    width = histogram.fine // steps
    # grid bin j holds scores in [j/steps, (j+1)/steps); bin `steps` holds scores equal to 1.
    body = histogram.counts[:, : histogram.fine].reshape(joint.size, steps, width, 2).sum(axis=2)
    hist = np.concatenate([body, histogram.counts[:, histogram.fine :]], axis=1)
    cut = operating_threshold(y_true, score, target_fpr)
    flagged = score >= cut
    at_cut = np.bincount(joint.cells * 4 + (y_true.astype(np.int8) * 2 + flagged), minlength=joint.size * 4).reshape(joint.size, 4)
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
                fpr=tuple(_clean(v) for v in fpr[g]),
                tpr=tuple(_clean(v) for v in tpr[g]),
                fpr_at_operating_point=_clean(fpr_cut[g]),
                tpr_at_operating_point=_clean(tpr_cut[g]),
                equalizing_threshold=float(grid[meets[0]]) if meets.size else None,
            )
        )
    return ThresholdAnalysis(tuple(float(t) for t in grid), target, cut, tuple(groups))


def _clean(value: float) -> float | None:
    return None if np.isnan(value) else float(value)
