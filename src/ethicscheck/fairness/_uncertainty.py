"""Confidence intervals: Wilson score intervals and a bootstrap over cell counts."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import numpy.typing as npt
from scipy.special import ndtri  # scipy.stats.norm.ppf's own function, without importing scipy.stats (~1 s)

from ethicscheck.errors import renamed_keyword


@lru_cache(maxsize=16)
def z_value(confidence_level: float) -> float:
    """Two-sided standard-normal quantile for a confidence level (cached)."""
    return float(ndtri(0.5 + confidence_level / 2))


__all__ = [
    "wilson_interval",
    "wilson_limits",
    "bootstrap_counts",
    "percentile_interval",
    "basic_interval",
    "newcombe_difference",
    "katz_ratio",
]


def wilson_interval(
    successes: npt.ArrayLike, trials: npt.ArrayLike, *, confidence_level: float | None = None, confidence: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for binomial proportions; NaN where ``trials`` is 0.

    Unlike the normal approximation it stays inside [0, 1] and keeps its coverage for small counts
    and rates near 0, which is where false-positive rates usually sit.
    """
    confidence_level = renamed_keyword(confidence_level, confidence, old="confidence", new="confidence_level", function="wilson_interval")
    return wilson_limits(successes, trials, np.array(z_value(confidence_level)))


def wilson_limits(successes_in: npt.ArrayLike, trials_in: npt.ArrayLike, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`wilson_interval` at a given normal quantile ``z`` (broadcast against the counts)."""
    successes = np.asarray(successes_in, dtype=float)
    trials = np.asarray(trials_in, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = successes / trials
        denominator = 1 + z**2 / trials
        centre = (p + z**2 / (2 * trials)) / denominator
        half = z * np.sqrt(p * (1 - p) / trials + z**2 / (4 * trials**2)) / denominator
    low = np.where(trials > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
    high = np.where(trials > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return low, high


def bootstrap_counts(counts: np.ndarray, *, n_boot: int, rng: np.random.Generator, mode: str = "stratified") -> np.ndarray:
    """Nonparametric bootstrap of per-group cell counts.

    Resampling rows with replacement within a group of size n is the same as drawing its four cell
    counts from a multinomial with n trials and the observed cell shares, so each replicate costs
    O(groups), whatever the number of rows. ``stratified`` holds each group's n fixed; ``pooled``
    resamples all rows at once (one multinomial over every cell), so group sizes vary too.

    Parameters
    ----------
    counts : ndarray of int, shape (groups, 4)
    n_boot : int
        Number of replicates.
    rng : numpy.random.Generator

    Returns
    -------
    ndarray of int64, shape (n_boot, groups, 4)
    """
    if mode == "pooled":
        total = counts.sum()
        flat = rng.multinomial(total, (counts / max(total, 1)).ravel(), size=n_boot)
        return flat.reshape(n_boot, *counts.shape)
    n = counts.sum(axis=1)
    shares = np.where(n[:, None] > 0, counts / np.maximum(n, 1)[:, None], np.array([1.0, 0.0, 0.0, 0.0]))
    return rng.multinomial(n, shares, size=(n_boot, counts.shape[0]))


def percentile_interval(
    replicates: np.ndarray,
    *,
    confidence_level: float | None = None,
    confidence: float | None = None,
    max_undefined: float = 0.05,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Percentile bootstrap interval over axis 0, ignoring undefined (NaN) replicates.

    Returns ``(low, high, undefined_share)``; where more than ``max_undefined`` of the replicates are
    undefined the interval is NaN, because ignoring them would bias it.
    """
    confidence_level = renamed_keyword(
        confidence_level, confidence, old="confidence", new="confidence_level", function="percentile_interval"
    )
    alpha = (1 - confidence_level) / 2
    undefined = np.isnan(replicates).mean(axis=0)
    low, high = nan_quantiles(replicates, (alpha, 1 - alpha))
    unstable = undefined > max_undefined
    return np.where(unstable, np.nan, low), np.where(unstable, np.nan, high), undefined


def nan_quantiles(values: np.ndarray, quantiles: tuple[float, ...]) -> list[np.ndarray]:
    """Quantiles over axis 0 ignoring NaN, like ``np.nanquantile`` (linear method), vectorized.

    ``np.nanquantile`` with an axis loops over columns in Python when NaNs are present; sorting once
    (NaNs sort last) and interpolating per column is two orders of magnitude faster for the
    (replicates, groups) arrays used here. All-NaN columns give NaN.
    """
    ordered = np.sort(values, axis=0)
    valid = (~np.isnan(values)).sum(axis=0)
    out = []
    for q in quantiles:
        position = q * np.maximum(valid - 1, 0)
        below = np.floor(position).astype(np.int64)
        above = np.minimum(below + 1, np.maximum(valid - 1, 0))
        low = np.take_along_axis(ordered, below[None, ...], axis=0)[0]
        high = np.take_along_axis(ordered, above[None, ...], axis=0)[0]
        result = low + (high - low) * (position - below)
        out.append(np.where(valid > 0, result, np.nan))
    return out


def basic_interval(
    replicates: np.ndarray,
    point: np.ndarray | float,
    *,
    confidence_level: float | None = None,
    confidence: float | None = None,
    bounds: tuple[float, float] = (-np.inf, np.inf),
    max_undefined: float = 0.05,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Basic (reflected) bootstrap interval ``[2*point - q_high, 2*point - q_low]``.

    Between-group spreads (max - min, min/max, the worst group's ratio) are biased upward by noise: even
    when all groups share one true rate, the observed spread is positive and resampled spreads are
    larger still, so a percentile interval can sit entirely above the estimate and far from the truth.
    Reflecting the quantiles around the estimate corrects for that bias. The interval is clipped to
    ``bounds`` (a spread cannot be negative) and stretched to contain the estimate itself.
    """
    confidence_level = renamed_keyword(confidence_level, confidence, old="confidence", new="confidence_level", function="basic_interval")
    low, high, undefined = percentile_interval(replicates, confidence_level=confidence_level, max_undefined=max_undefined)
    point = np.asarray(point, dtype=float)
    reflected_low = np.clip(2 * point - high, *bounds)
    reflected_high = np.clip(2 * point - low, *bounds)
    return np.minimum(reflected_low, point), np.maximum(reflected_high, point), undefined


def newcombe_difference(
    successes: tuple[int, int], trials: tuple[int, int], *, confidence_level: float | None = None, confidence: float | None = None
) -> tuple[float, float]:
    """Newcombe's hybrid score interval for ``p1 - p2``, built from the two Wilson intervals.

    It stays valid with zero or very few events, where a bootstrap collapses.
    """
    confidence_level = renamed_keyword(
        confidence_level, confidence, old="confidence", new="confidence_level", function="newcombe_difference"
    )
    (x1, x2), (n1, n2) = successes, trials
    (l1, l2), (u1, u2) = wilson_interval(np.array([x1, x2]), np.array([n1, n2]), confidence_level=confidence_level)
    p1, p2 = x1 / n1, x2 / n2
    d = p1 - p2
    return float(d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)), float(d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2))


def katz_ratio(
    successes: tuple[int, int], trials: tuple[int, int], *, confidence_level: float | None = None, confidence: float | None = None
) -> tuple[float, float]:
    """Katz log interval for ``p1 / p2``.

    With a zero count, a 0.5 continuity correction keeps the logarithm finite; it also shifts the
    interval's centre, so the interval is stretched to contain the uncorrected estimate.
    """
    confidence_level = renamed_keyword(confidence_level, confidence, old="confidence", new="confidence_level", function="katz_ratio")
    estimate = (successes[0] / trials[0]) / (successes[1] / trials[1]) if successes[1] else np.inf
    shift = 0.5 if 0 in successes else 0.0
    x1, x2, n1, n2 = (float(v) + shift for v in (*successes, *trials))
    z = z_value(confidence_level)
    log_ratio = np.log((x1 / n1) / (x2 / n2))
    se = np.sqrt(1 / x1 - 1 / n1 + 1 / x2 - 1 / n2)
    return float(min(np.exp(log_ratio - z * se), estimate)), float(max(np.exp(log_ratio + z * se), estimate))
