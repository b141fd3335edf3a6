"""Between-group summaries of verification error rates, each with its published definition.

Every function takes the groups' rates along the last axis, so one call summarises a single audit
(shape ``(groups,)``) or every bootstrap replicate at once (shape ``(replicates, groups)``). A summary
with no value (a ratio over a zero rate, a Gini coefficient of rates that are all zero) is ``nan``;
the caller turns it into "undefined" with a reason.

Definitions
-----------
``max_over_min``
    max_g r_g / min_g r_g.
``max_over_geomean``
    max_g r_g / (prod_g r_g)^(1/n): the highest group's rate over the geometric mean of all groups'
    rates, the summary NIST prefers for demographic differentials (NISTIR 8280; ISO/IEC 19795-10).
``gini``
    The Gini coefficient sum_i sum_j |r_i - r_j| / (2 n^2 mean(r)): 0 when all groups share one rate,
    (n - 1) / n when one group carries every error.
``fdr``
    Fairness Discrepancy Rate (de Freitas Pereira & Marcel, "Fairness in biometrics: a figure of merit to
    assess biometric verification systems", IEEE T-BIOM 2021): ``1 - (alpha A + (1 - alpha) B)`` with
    A = max_{i,j} |FMR_i - FMR_j| and B = max_{i,j} |FNMR_i - FNMR_j| at one threshold. 1 is fair.
``garbe``
    Gini Aggregation Rate for Biometric Equitability (Howard, Laird, Sirotin, Rubin, Tipton & Vemury,
    "Evaluating proposed fairness models for face recognition algorithms", 2022):
    ``alpha G(FMR) + (1 - alpha) G(FNMR)`` where G is the Gini coefficient with the sample correction
    n / (n - 1), G(x) = n / (n - 1) * sum_i sum_j |x_i - x_j| / (2 n^2 mean(x)). 0 is fair.

Bounds
------
``*_bounds`` take every group's rate interval (``low``, ``high``, holding together: Bonferroni) and return the
range the summary can take when each true rate lies in its interval. The range always holds the estimate,
and covers the true summary whenever every group's interval covers its rate.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "fdr",
    "fdr_bounds",
    "garbe",
    "garbe_gini",
    "gini",
    "max_over_geomean",
    "max_over_geomean_bounds",
    "max_over_min",
    "max_over_min_bounds",
]


def max_over_min(rates: np.ndarray) -> np.ndarray:
    """Highest rate over the lowest (``nan`` when the lowest is 0: the ratio is unbounded)."""
    rates = np.asarray(rates, dtype=float)
    low = rates.min(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(low > 0, rates.max(axis=-1) / np.where(low > 0, low, 1.0), np.nan)


def max_over_geomean(rates: np.ndarray) -> np.ndarray:
    """Highest rate over the geometric mean of all rates (``nan`` when any rate is 0)."""
    rates = np.asarray(rates, dtype=float)
    positive = (rates > 0).all(axis=-1)
    logs = np.log(np.where(rates > 0, rates, 1.0))
    # In logs, so equal rates give exactly 1.
    return np.where(positive, np.exp(logs.max(axis=-1) - logs.mean(axis=-1)), np.nan)


def gini(rates: np.ndarray) -> np.ndarray:
    """Gini coefficient: sum_i sum_j |r_i - r_j| / (2 n^2 mean(r)) (``nan`` when every rate is 0)."""
    rates = np.sort(np.asarray(rates, dtype=float), axis=-1)
    n = rates.shape[-1]
    # sum over ordered pairs of |r_i - r_j| = 2 * sum_i (2i - n + 1) r_(i), with the rates sorted (0-based i).
    weights = 2.0 * np.arange(n) - n + 1
    pair_sum = 2.0 * (rates * weights).sum(axis=-1)
    total = rates.sum(axis=-1)  # n * mean, so 2 n^2 mean = 2 n * total
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, pair_sum / (2.0 * n * np.where(total > 0, total, 1.0)), np.nan)


def garbe_gini(rates: np.ndarray) -> np.ndarray:
    """The Gini coefficient with the sample correction n / (n - 1), as GARBE uses it (``nan`` for one group)."""
    n = np.asarray(rates).shape[-1]
    if n < 2:
        return np.full(np.asarray(rates).shape[:-1], np.nan)
    return np.asarray(n / (n - 1) * gini(rates))


def fdr(fmr: np.ndarray, fnmr: np.ndarray, *, alpha: float = 0.5) -> np.ndarray:
    """Fairness Discrepancy Rate: 1 - (alpha * (max - min FMR) + (1 - alpha) * (max - min FNMR))."""
    fmr, fnmr = np.asarray(fmr, dtype=float), np.asarray(fnmr, dtype=float)
    a = fmr.max(axis=-1) - fmr.min(axis=-1)
    b = fnmr.max(axis=-1) - fnmr.min(axis=-1)
    return np.asarray(1.0 - (alpha * a + (1.0 - alpha) * b))


def garbe(fmr: np.ndarray, fnmr: np.ndarray, *, alpha: float = 0.5) -> np.ndarray:
    """GARBE: alpha * G(FMR) + (1 - alpha) * G(FNMR), G the sample-corrected Gini coefficient."""
    return np.asarray(alpha * garbe_gini(fmr) + (1.0 - alpha) * garbe_gini(fnmr))


def max_over_min_bounds(low: np.ndarray, high: np.ndarray) -> tuple[float, float]:
    """max/min over the intervals: at least max(1, max low / min high), at most max high / min low (``inf``: unbounded)."""
    smallest_high, smallest_low = float(np.min(high)), float(np.min(low))
    lower = max(1.0, float(np.max(low)) / smallest_high) if smallest_high > 0 else 1.0
    return lower, float(np.max(high)) / smallest_low if smallest_low > 0 else np.inf


def max_over_geomean_bounds(low: np.ndarray, high: np.ndarray) -> tuple[float, float]:
    """max/geometric mean over the intervals: the highest rate at its limits over the geometric mean at the others."""
    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    lower = max(1.0, float(np.max(low)) / float(np.exp(np.log(high).mean()))) if (high > 0).all() else 1.0
    return lower, float(np.max(high)) / float(np.exp(np.log(low).mean())) if (low > 0).all() else np.inf


def fdr_bounds(
    fmr_low: np.ndarray, fmr_high: np.ndarray, fnmr_low: np.ndarray, fnmr_high: np.ndarray, *, alpha: float = 0.5
) -> tuple[float, float]:
    """FDR over the intervals: the largest gaps (max high - min low) give the lower limit, the smallest the upper."""

    def gaps(low: np.ndarray, high: np.ndarray) -> tuple[float, float]:
        return max(0.0, float(np.max(low) - np.min(high))), float(np.max(high) - np.min(low))

    (a_small, a_large), (b_small, b_large) = gaps(fmr_low, fmr_high), gaps(fnmr_low, fnmr_high)
    return 1.0 - (alpha * a_large + (1.0 - alpha) * b_large), 1.0 - (alpha * a_small + (1.0 - alpha) * b_small)
