"""Paired comparison of two candidates on the same held-out rows, per seed and pooled over seeds.

Two candidates scored on the same rows make correlated errors, so whether one narrows the other's FPR gap
is a question about the *difference* of their gaps on those rows, not about two separate intervals. Every
figure compared here (FPR gap, accuracy, recall, a signed FPR difference) is a function of the joint count
table group x label x first decision x second decision, so the bootstrap resamples that table instead of
rows: rows with the same group, label and decisions are interchangeable.

Seeds split the same data differently, so their held-out sets overlap and their estimates are correlated.
The bootstrap therefore resamples rows of the whole data set once per replicate, for every seed at once:
a row's *signature* is its group, its label and, per seed, whether it is held out there and what both
candidates decided. Signatures are drawn from a multinomial per stratum (group x the seeds that hold
the row out), which fixes every seed's held-out group sizes (a group-stratified bootstrap per seed) and
keeps the overlap between seeds. The pooled estimate is the mean over seeds (a fixed-effect combination:
the seeds' fitted models are taken as given; how much they differ shows in the per-seed intervals). Also
resampling the seeds was measured and rejected: it counts the held-out noise twice, claimed 0.3% instead of
2.5% under no difference and detected a 3-SE reduction 59% of the time (benchmarks/bench_compare_stats.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from ethicscheck.errors import renamed_keyword

__all__ = [
    "HeldOut",
    "PairedFigures",
    "GapStatistic",
    "IntervalRule",
    "max_minus_min",
    "paired_figures",
    "interval_and_p",
]

#: A between-group spread of per-group rates: ``(..., groups) -> (...)``; NaN columns are groups without data.
GapStatistic = Callable[[np.ndarray], np.ndarray]
IntervalRule = Literal["percentile", "basic"]


def max_minus_min(rates: np.ndarray) -> np.ndarray:
    """fairlearn's ``false_positive_rate_difference`` over the columns given: largest minus smallest rate."""
    with np.errstate(invalid="ignore"):
        return np.asarray(np.nanmax(rates, axis=-1) - np.nanmin(rates, axis=-1), dtype=float)


@dataclass(frozen=True)
class HeldOut:
    """One seed's held-out rows: their positions in the whole data set, group codes and labels."""

    rows: np.ndarray
    group: np.ndarray
    y: np.ndarray


@dataclass(frozen=True)
class PairedFigures:
    """Observed per-seed figures of two candidates and their bootstrap replicates.

    Every array has the seeds on axis 0 (observed: shape ``(seeds,)``; replicates ``(seeds, n_boot)``),
    keyed by figure name with ``first_`` / ``second_`` prefixes: ``fpr_gap``, ``accuracy``, ``recall`` and
    ``fpr_signed`` (second usable group's FPR minus the first's, in code order; NaN unless exactly two groups
    are usable).
    """

    observed: dict[str, np.ndarray]
    replicates: dict[str, np.ndarray]
    usable: np.ndarray  # (seeds, groups): groups with at least min_negatives negatives in that seed's held-out rows

    def difference(self, figure: str) -> tuple[np.ndarray, np.ndarray]:
        """First minus second: observed per seed, replicates per seed."""
        return self.observed[f"first_{figure}"] - self.observed[f"second_{figure}"], (
            self.replicates[f"first_{figure}"] - self.replicates[f"second_{figure}"]
        )

    @staticmethod
    def pooled(per_seed: np.ndarray, replicates: np.ndarray) -> tuple[float, np.ndarray]:
        """Mean over seeds, and its replicates (each from one joint draw of rows for every seed)."""
        return float(per_seed.mean()), replicates.mean(axis=0)


def paired_figures(
    heldout: list[HeldOut],
    first: list[np.ndarray],
    second: list[np.ndarray],
    *,
    n_groups: int,
    min_negatives: int,
    n_boot: int,
    rng: np.random.Generator,
    gap: GapStatistic = max_minus_min,
) -> PairedFigures:
    """Per seed, the two candidates' figures on the same held-out rows, with joint bootstrap replicates.

    Parameters
    ----------
    heldout : list of HeldOut
        One per seed.
    first, second : list of ndarray of bool
        Each candidate's decisions on each seed's held-out rows (aligned with ``heldout[s].rows``).
    n_groups : int
        Number of group codes.
    min_negatives : int
        A group's FPR takes part in the gap only with at least this many negatives among the seed's held-out rows.
    gap : callable
        The between-group spread of FPRs (pluggable; default max - min).
    """
    k = len(heldout)
    rows = np.concatenate([h.rows for h in heldout])
    union, position = np.unique(rows, return_inverse=True)
    group = np.zeros(len(union), dtype=np.int64)
    label = np.zeros(len(union), dtype=np.int64)
    state = np.zeros((len(union), k), dtype=np.int64)  # 0: not held out in that seed; else 1 + 2 * first + second
    start = 0
    for s, h in enumerate(heldout):
        where = position[start : start + len(h.rows)]
        start += len(h.rows)
        group[where], label[where] = h.group, h.y.astype(np.int64)
        state[where, s] = 1 + 2 * first[s].astype(np.int64) + second[s].astype(np.int64)
    key = (group * 2 + label) * 5**k + state @ (5 ** np.arange(k, dtype=np.int64))
    signatures, first_row, counts = np.unique(key, return_index=True, return_counts=True)
    sig_group, sig_label, sig_state = group[first_row], label[first_row], state[first_row]
    stratum = sig_group * 2**k + (sig_state > 0) @ (2 ** np.arange(k, dtype=np.int64))
    weights = np.empty((n_boot, len(signatures)))
    for value in np.unique(stratum):
        inside = np.flatnonzero(stratum == value)
        total = counts[inside].sum()
        weights[:, inside] = rng.multinomial(total, counts[inside] / total, size=n_boot)
    observed: dict[str, list[float]] = {}
    replicates: dict[str, list[np.ndarray]] = {}
    usable = np.zeros((k, n_groups), dtype=bool)
    for s in range(k):
        held = sig_state[:, s] > 0
        cell = ((sig_group * 2 + sig_label) * 2 + (sig_state[:, s] - 1) // 2) * 2 + (sig_state[:, s] - 1) % 2
        onehot = np.zeros((len(signatures), 8 * n_groups))
        onehot[np.flatnonzero(held), cell[held]] = 1.0
        table = (counts @ onehot).reshape(n_groups, 2, 2, 2)
        usable[s] = table[:, 0].sum(axis=(1, 2)) >= min_negatives
        tables = (weights @ onehot).reshape(n_boot, n_groups, 2, 2, 2)
        for name, value in _figures(table, usable[s], gap).items():
            observed.setdefault(name, []).append(float(value))
        for name, values in _figures(tables, usable[s], gap).items():
            replicates.setdefault(name, []).append(values)
    return PairedFigures(
        observed={name: np.array(values) for name, values in observed.items()},
        replicates={name: np.stack(values) for name, values in replicates.items()},
        usable=usable,
    )


def _figures(table: np.ndarray, usable: np.ndarray, gap: GapStatistic) -> dict[str, np.ndarray]:
    """Figures of both candidates from tables ``(..., group, label, first, second)``."""
    out: dict[str, np.ndarray] = {}
    total = table.sum(axis=(-4, -3, -2, -1))
    for who, axis in (("first", -1), ("second", -2)):
        own = table.sum(axis=axis)  # (..., group, label, decision)
        negatives, positives = own[..., 0, :].sum(axis=-1), own[..., 1, :].sum(axis=-1)
        false_pos, true_pos = own[..., 0, 1], own[..., 1, 1]
        with np.errstate(divide="ignore", invalid="ignore"):
            fpr = np.where(negatives > 0, false_pos / negatives, np.nan)[..., usable]
            out[f"{who}_accuracy"] = (own[..., 0, 0].sum(axis=-1) + true_pos.sum(axis=-1)) / total
            out[f"{who}_recall"] = true_pos.sum(axis=-1) / positives.sum(axis=-1)
        out[f"{who}_fpr_gap"] = gap(fpr) if usable.sum() >= 2 else np.full(np.shape(total), np.nan)
        out[f"{who}_fpr_signed"] = fpr[..., 1] - fpr[..., 0] if usable.sum() == 2 else np.full(np.shape(total), np.nan)
    return out


def interval_and_p(
    point: float,
    replicates: np.ndarray,
    *,
    confidence_level: float | None = None,
    rule: IntervalRule,
    max_undefined: float = 0.05,
    confidence: float | None = None,
) -> tuple[float | None, float | None, float | None]:
    """Bootstrap interval of a difference and the two-sided p-value of "no difference" that matches it.

    ``percentile``: the replicates' quantiles. ``basic``: reflected around the estimate
    (``2 * point - quantile``), which corrects for a bias the replicates repeat. The p-value is the smallest
    ``1 - confidence_level`` whose interval excludes 0, computed as ``(count + 1) / (n_boot + 1)`` so it is never 0.
    Returns ``(low, high, p)``; all None when more than ``max_undefined`` of the replicates are undefined.
    ``confidence=`` is the old spelling of ``confidence_level`` (read with a deprecation warning).
    """
    confidence_level = renamed_keyword(confidence_level, confidence, old="confidence", new="confidence_level", function="interval_and_p")
    defined = replicates[~np.isnan(replicates)]
    if np.isnan(point) or len(defined) < (1 - max_undefined) * len(replicates) or len(defined) == 0:
        return None, None, None
    alpha = 1 - confidence_level
    low, high = np.quantile(defined, [alpha / 2, 1 - alpha / 2])
    # Under "basic", the interval excludes 0 from above when fewer than alpha/2 replicates lie below 2 * point.
    pivot = 0.0 if rule == "percentile" else 2 * point
    if rule == "basic":
        low, high = 2 * point - high, 2 * point - low
    n = len(defined)
    below, above = (np.sum(defined <= pivot) + 1) / (n + 1), (np.sum(defined >= pivot) + 1) / (n + 1)
    return float(low), float(high), float(min(1.0, 2 * min(below, above)))
