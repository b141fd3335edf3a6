"""Score-based metrics per group: ROC AUC, average precision, Brier score, calibration.

Like the rates, these reduce to per-joint-cell sums computed in one pass over the rows, then
aggregate to any group. ROC AUC and average precision are exact (rank-based, ties counted half) up
to ``EXACT_SCORE_ROWS`` rows (``_sufficient``); above it they come from a fine per-cell score histogram, and the result
says so and bounds the error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ethicscheck import _vocabulary
from ethicscheck.fairness._histogram import ScoreHistogram, to_groups
from ethicscheck.fairness._result import Estimate, ReliabilityBin, Status
from ethicscheck.fairness._settings import AssessSettings
from ethicscheck.fairness._tables import GroupTable
from ethicscheck.fairness._uncertainty import z_value

__all__ = ["SCORE_FUNCTIONS", "GroupScoreSums", "GroupScores", "ScoreFunction", "score_metrics"]


@dataclass(frozen=True)
class GroupScoreSums:
    """What one group's score metrics are computed from: sums over its rows, and its rank-based AUC and AP.

    Attributes
    ----------
    counts : ndarray, shape (fine bins, 2)
        Rows per fine score bin, ``[not trafficking-related, trafficking-related]``.
    squared_error, error4 : float
        Sums of ``(score - label) ** 2`` and ``** 4`` (Brier score and its standard error).
    calibration_counts, calibration_score_sums : ndarray, shape (calibration bins, 2)
        Rows and score sums per calibration bin, by label.
    auc, average_precision : float
        ROC AUC and average precision (NaN where undefined), computed by ``method``.
    method : str
        How ``auc`` and ``average_precision`` were computed (exact, or binned with an error bound).
    """

    counts: np.ndarray
    squared_error: float
    error4: float
    calibration_counts: np.ndarray
    calibration_score_sums: np.ndarray
    auc: float
    average_precision: float
    method: str


@dataclass(frozen=True)
class GroupScores:
    """Score-based metrics and the reliability table of one group."""

    metrics: dict[str, Estimate]
    reliability: tuple[ReliabilityBin, ...]


def score_metrics(
    tables: list[GroupTable],
    rows: tuple[np.ndarray, np.ndarray, np.ndarray] | None,
    histogram: ScoreHistogram,
    settings: AssessSettings,
) -> list[list[GroupScores]]:
    """Score metrics of every group of every table.

    Parameters
    ----------
    tables : list of GroupTable
        The groupings (single features and intersections).
    rows : tuple of ndarray, or None
        Joint cell, score in [0, 1] and label of every scored row, when there are few enough for ROC AUC
        and average precision to be exact (rank-based); None: they come from the fine histogram, with a
        reported error bound.
    histogram : ScoreHistogram
        The per-cell score histogram built once for all score metrics.
    settings : AssessSettings
        Uses ``confidence_level``, ``min_group_size`` (groups with fewer positives or negatives are
        ``insufficient_data``), ``calibration_bins`` (equal-width bins of the reliability table and the
        ECE; must divide 100), ``n_boot`` (resamples of each group's calibration table for the ECE
        interval) and ``seed``.
    """
    calibration_bins = settings.calibration_bins
    if 100 % calibration_bins:
        raise ValueError("calibration_bins must divide 100 (e.g. 5, 10, 20)")
    per_cell = {
        "counts": histogram.counts,
        "score_sums": histogram.score_sums,
        "squared_error": histogram.squared_error,
        "error4": histogram.error4,
    }
    out = []
    ranked = None if rows is None else _RankedRows.of(*rows)
    for index, table in enumerate(tables):
        sums = {k: to_groups(v, table) for k, v in per_cell.items()}
        if ranked is not None:
            auc, ap = _exact_auc_ap(table.cell_to_group[ranked.cells], table.n_groups, ranked)
            method = "exact"
        else:
            auc, ap, bound = _binned_auc_ap(sums["counts"])
            method = f"binned ({histogram.fine} score bins, |error| <= {np.nanmax(bound, initial=0):.1e})"
        calibration = {k: histogram.coarse(sums[k], calibration_bins) for k in ("counts", "score_sums")}
        rng = np.random.default_rng([settings.seed, 20_000 + index])
        groups = (
            GroupScoreSums(
                counts=sums["counts"][g],
                squared_error=float(sums["squared_error"][g]),
                error4=float(sums["error4"][g]),
                calibration_counts=calibration["counts"][g],
                calibration_score_sums=calibration["score_sums"][g],
                auc=float(auc[g]),
                average_precision=float(ap[g]),
                method=method,
            )
            for g in range(table.n_groups)
        )
        out.append([_group_scores(group, settings, rng) for group in groups])
    return out


@dataclass(frozen=True)
class _RankedRows:
    """The scored rows in ascending order of score (ties in row order), sorted once for every grouping."""

    cells: np.ndarray  # joint cell of each row
    score: np.ndarray
    positive: np.ndarray  # 1.0 where labelled trafficking-related, else 0.0
    rank: np.ndarray  # number of the row's score among the distinct scores, ascending from 0

    @classmethod
    def of(cls, cells: np.ndarray, score: np.ndarray, y_true: np.ndarray) -> _RankedRows:
        order = np.argsort(score, kind="stable")
        ordered = score[order]
        rank = np.cumsum(np.r_[len(ordered) > 0, ordered[1:] != ordered[:-1]]) - 1
        return cls(cells[order], ordered, y_true[order].astype(np.int8).astype(float), rank)

    @property
    def distinct(self) -> int:
        """How many distinct scores there are."""
        return int(self.rank[-1]) + 1 if len(self.rank) else 0


#: Up to this many (group, distinct score) bins per row, runs of tied scores are counted into bins; above, sorted.
_BINS_PER_ROW = 4


def _exact_auc_ap(codes: np.ndarray, n_groups: int, ranked: _RankedRows) -> tuple[np.ndarray, np.ndarray]:
    """Rank-based ROC AUC and step-wise average precision per group (scikit-learn's definitions).

    ``codes`` is the group of each of ``ranked``'s rows. Both need the runs of tied scores within each group, in
    ascending order of group and score: with few distinct scores (rounded ones) they are the non-empty bins of
    (group, score rank), counted in one pass; otherwise a stable sort by group, which keeps ascending scores within
    each group (a radix sort on 16-bit group numbers). The same runs either way, so the same numbers.
    """
    bins = n_groups * ranked.distinct
    if bins <= _BINS_PER_ROW * len(codes):
        key = codes.astype(np.int64) * ranked.distinct + ranked.rank
        rows = np.bincount(key, minlength=bins)
        positive = np.bincount(key, weights=ranked.positive, minlength=bins)
        runs = np.flatnonzero(rows)
        run_pos = positive[runs]
        return _auc_ap_from_runs(runs // ranked.distinct, run_pos, rows[runs] - run_pos, n_groups)
    keys = codes.astype(np.int16) if n_groups <= np.iinfo(np.int16).max else codes
    order = np.argsort(keys, kind="stable")  # group-major, ascending score within group
    g, s, pos = codes[order].astype(np.int64), ranked.score[order], ranked.positive[order]
    start = np.r_[True, (g[1:] != g[:-1]) | (s[1:] != s[:-1])]
    run = np.cumsum(start) - 1
    run_group = g[start]
    run_pos = np.bincount(run, weights=pos)
    run_neg = np.bincount(run) - run_pos
    return _auc_ap_from_runs(run_group, run_pos, run_neg, n_groups)


def _auc_ap_from_runs(run_group: np.ndarray, run_pos: np.ndarray, run_neg: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """AUC and AP from runs of tied scores, ordered by group then ascending score."""
    total_pos = np.bincount(run_group, weights=run_pos, minlength=n_groups)
    total_neg = np.bincount(run_group, weights=run_neg, minlength=n_groups)
    first = np.r_[True, run_group[1:] != run_group[:-1]]
    group_start = np.maximum.accumulate(np.where(first, np.arange(len(run_group)), 0))
    cum_neg = np.cumsum(run_neg) - run_neg
    cum_pos = np.cumsum(run_pos) - run_pos
    neg_before = cum_neg - cum_neg[group_start]
    pos_before = cum_pos - cum_pos[group_start]
    pairs = np.bincount(run_group, weights=run_pos * (neg_before + 0.5 * run_neg), minlength=n_groups)
    pos_at_or_above = total_pos[run_group] - pos_before
    neg_at_or_above = total_neg[run_group] - neg_before
    precision = pos_at_or_above / np.maximum(pos_at_or_above + neg_at_or_above, 1)
    ap_sum = np.bincount(run_group, weights=run_pos * precision, minlength=n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        auc = np.where((total_pos > 0) & (total_neg > 0), pairs / (total_pos * total_neg), np.nan)
        ap = np.where(total_pos > 0, ap_sum / total_pos, np.nan)
    return auc, ap


def _binned_auc_ap(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """AUC and AP per group from (groups, bins, 2) counts; pairs sharing a bin count as ties.

    The error bound is half the share of (positive, negative) pairs that share a bin.
    """
    neg, pos = counts[..., 0], counts[..., 1]
    n_groups, bins = neg.shape
    run_group = np.repeat(np.arange(n_groups), bins)
    auc, ap = _auc_ap_from_runs(run_group, pos.ravel(), neg.ravel(), n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        bound = 0.5 * (pos * neg).sum(axis=1) / (pos.sum(axis=1) * neg.sum(axis=1))
    return auc, ap, bound


def _group_scores(group: GroupScoreSums, settings: AssessSettings, rng: np.random.Generator) -> GroupScores:
    metrics = {key: SCORE_FUNCTIONS[key](group, settings, rng) for key in _vocabulary.SCORE_METRICS}
    return GroupScores(metrics, _reliability(group, settings) if group.counts.sum() else ())


ScoreFunction = Callable[[GroupScoreSums, AssessSettings, np.random.Generator], Estimate]


def _class_status(group: GroupScoreSums, settings: AssessSettings) -> tuple[Status, str | None]:
    """``insufficient_data`` when the smaller class has fewer rows than ``min_group_size``."""
    smaller = int(min(group.counts[:, 0].sum(), group.counts[:, 1].sum()))
    if smaller < settings.min_group_size:
        return "insufficient_data", f"only {smaller} rows of the smaller class (minimum {settings.min_group_size})"
    return "ok", None


def _row_status(n: float, settings: AssessSettings) -> tuple[Status, str | None]:
    """``insufficient_data`` when the group has fewer rows than ``min_group_size``."""
    if n >= settings.min_group_size:
        return "ok", None
    return "insufficient_data", f"only {int(n)} rows (minimum {settings.min_group_size})"


def _roc_auc(group: GroupScoreSums, settings: AssessSettings, rng: np.random.Generator) -> Estimate:
    n_neg, n_pos = group.counts[:, 0].sum(), group.counts[:, 1].sum()
    if n_pos == 0 or n_neg == 0:
        return Estimate(None, status="undefined", reason="needs rows with each label")
    status, reason = _class_status(group, settings)
    low, high = _hanley_mcneil(group.auc, n_pos, n_neg, z_value(settings.confidence_level))
    return Estimate(group.auc, low, high, status, reason, method=f"{group.method}; Hanley-McNeil interval")


def _average_precision(group: GroupScoreSums, settings: AssessSettings, rng: np.random.Generator) -> Estimate:
    n_neg, n_pos = group.counts[:, 0].sum(), group.counts[:, 1].sum()
    if n_pos == 0:
        return Estimate(None, status="undefined", reason="no rows with a positive label")
    status, reason = _class_status(group, settings)
    if n_neg == 0:
        return Estimate(group.average_precision, status=status, reason=reason, method=group.method)
    return Estimate(
        group.average_precision, None, None, status, reason or "no interval is computed for average precision", method=group.method
    )


def _brier(group: GroupScoreSums, settings: AssessSettings, rng: np.random.Generator) -> Estimate:
    n = group.counts.sum()
    if n == 0:
        return Estimate(None, status="undefined", reason="no rows")
    brier = group.squared_error / n
    spread = np.sqrt(max(group.error4 / n - brier**2, 0.0) / n)
    z = z_value(settings.confidence_level)
    return Estimate(
        float(brier), max(0.0, brier - z * spread), min(1.0, brier + z * spread), *_row_status(n, settings), method="normal approximation"
    )


def _ece_estimate(group: GroupScoreSums, settings: AssessSettings, rng: np.random.Generator) -> Estimate:
    if group.counts.sum() == 0:
        return Estimate(None, status="undefined", reason="no rows")
    bin_n = group.calibration_counts.sum(axis=1)
    bin_pos = group.calibration_counts[:, 1]
    bin_score = group.calibration_score_sums.sum(axis=1)
    ece = _ece(bin_n, bin_score, bin_pos)
    low, high = _ece_interval(bin_n, bin_score, bin_pos, settings.n_boot, rng, settings.confidence_level)
    method = f"{settings.calibration_bins} equal-width bins; bootstrap of the calibration table"
    return Estimate(float(ece), low, high, *_row_status(group.counts.sum(), settings), method=method)


def _reliability(group: GroupScoreSums, settings: AssessSettings) -> tuple[ReliabilityBin, ...]:
    bin_n = group.calibration_counts.sum(axis=1)
    bin_pos = group.calibration_counts[:, 1]
    bin_score = group.calibration_score_sums.sum(axis=1)
    n_bins = settings.calibration_bins
    return tuple(
        ReliabilityBin(
            lower=k / n_bins,
            upper=(k + 1) / n_bins,
            n=int(bin_n[k]),
            mean_score=float(bin_score[k] / bin_n[k]) if bin_n[k] else None,
            observed_rate=float(bin_pos[k] / bin_n[k]) if bin_n[k] else None,
        )
        for k in range(n_bins)
    )


#: How each score metric in the vocabulary's ``SCORE_METRICS`` is computed for one group, in the same
#: order: a function of the group's sums, the settings and the group's random generator (for bootstraps).
#: Each computes its own ``Estimate``, undefined (with a reason) where its definition needs rows that
#: are not there.
SCORE_FUNCTIONS: dict[str, ScoreFunction] = {
    "roc_auc": _roc_auc,
    "average_precision": _average_precision,
    "brier": _brier,
    "ece": _ece_estimate,
}


def _hanley_mcneil(auc: float, n_pos: float, n_neg: float, z: float) -> tuple[float, float]:
    """Hanley & McNeil (1982) standard error of the AUC, as a normal interval clipped to [0, 1]."""
    q1, q2 = auc / (2 - auc), 2 * auc**2 / (1 + auc)
    variance = (auc * (1 - auc) + (n_pos - 1) * (q1 - auc**2) + (n_neg - 1) * (q2 - auc**2)) / (n_pos * n_neg)
    se = np.sqrt(max(variance, 0.0))
    return max(0.0, auc - z * se), min(1.0, auc + z * se)


def _ece(bin_n: np.ndarray, bin_score: np.ndarray, bin_pos: np.ndarray) -> float:
    total = bin_n.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.where(bin_n > 0, np.abs(bin_score / bin_n - bin_pos / bin_n), 0.0)
    return float((bin_n * gap).sum() / total)


def _ece_interval(
    bin_n: np.ndarray, bin_score: np.ndarray, bin_pos: np.ndarray, n_boot: int, rng: np.random.Generator, confidence_level: float
) -> tuple[float | None, float | None]:
    """Resample rows into bins (multinomial) and their labels within a bin (binomial); bin mean scores held."""
    if n_boot == 0:
        return None, None
    total = int(bin_n.sum())
    counts = rng.multinomial(total, bin_n / total, size=n_boot).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(bin_n > 0, bin_pos / bin_n, 0.0)
        mean = np.where(bin_n > 0, bin_score / bin_n, 0.0)
    positives = rng.binomial(counts.astype(np.int64), rate)
    with np.errstate(divide="ignore", invalid="ignore"):
        gaps = np.where(counts > 0, np.abs(mean - positives / np.maximum(counts, 1)), 0.0)
    reps = (counts * gaps).sum(axis=1) / total
    alpha = (1 - confidence_level) / 2
    low, high = np.quantile(reps, [alpha, 1 - alpha])
    ece = _ece(bin_n, bin_score, bin_pos)
    return float(min(low, ece)), float(max(high, ece))
