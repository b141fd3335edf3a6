"""Thresholds fixed by an overall false-match rate, as NIST sets them: order statistics of the impostor scores.

Scores here are similarities (higher means more alike; distances are negated before they arrive) and a
comparison is a match when its similarity is at or above the threshold. For a target FMR ``f`` over
``N`` impostor comparisons at most ``k = floor(f N)`` of them may match. The threshold is the smallest
impostor score strictly above the ``(k + 1)``-th largest one: every threshold at or below that score
lets ``k + 1`` or more impostors through, and every threshold between it and the returned one gives
the same decisions. When no impostor score lies above it (``k = 0``, or ties reaching the maximum) the
threshold is the next representable number above, so no impostor at all matches.

``f N`` is computed exactly (the target's decimal text as a fraction), so ``1e-4`` over 10^6 impostors
allows exactly 100, never 99 through a rounding error.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

__all__ = ["allowed_false_matches", "fmr_thresholds", "thresholds_from_top", "top_needed"]


def allowed_false_matches(target: float, n_impostor: int) -> int:
    """``floor(target * n_impostor)``, exactly."""
    return math.floor(Fraction(repr(float(target))) * n_impostor)


def fmr_thresholds(impostor: np.ndarray, targets: Sequence[float], *, overwrite: bool = False) -> np.ndarray:
    """Similarity thresholds at which each target overall FMR is reached (match: similarity >= threshold).

    Parameters
    ----------
    impostor : ndarray
        Similarities of every impostor comparison (any float dtype; the thresholds keep it).
    targets : sequence of float
        Overall false-match rates in (0, 1).
    overwrite : bool
        Partition ``impostor`` in place instead of a copy (saves one copy of the largest array).

    Returns
    -------
    ndarray
        One threshold per target, in the order given.

    Examples
    --------
    >>> fmr_thresholds(np.array([0.1, 0.4, 0.2, 0.9, 0.3]), [0.2, 0.4])
    array([0.9, 0.4])
    """
    n = len(impostor)
    if n == 0:
        raise ValueError("no impostor comparisons")
    most = top_needed(n, targets)
    part = impostor if overwrite else impostor.copy()
    # One partition puts the `most` largest scores last; sorting only those gives every order statistic needed.
    part.partition(n - most)
    return thresholds_from_top(part[n - most :], n, targets)


def top_needed(n_impostor: int, targets: Sequence[float]) -> int:
    """How many of the largest impostor scores fix the thresholds of ``targets`` over ``n_impostor`` impostors."""
    return min(n_impostor, max(allowed_false_matches(t, n_impostor) for t in targets) + 1)


def thresholds_from_top(top: np.ndarray, n_impostor: int, targets: Sequence[float]) -> np.ndarray:
    """:func:`fmr_thresholds` from the :func:`top_needed` largest of ``n_impostor`` impostor scores (in any order).

    A reader that cannot hold every impostor score keeps only these (a bounded top-k over batches); the
    thresholds are the same order statistics, so they equal :func:`fmr_thresholds` of all the scores.

    Examples
    --------
    >>> thresholds_from_top(np.array([0.9, 0.4, 0.3]), 5, [0.2, 0.4])
    array([0.9, 0.4])
    """
    most = top_needed(n_impostor, targets) - 1
    if len(top) != most + 1:
        raise ValueError(f"expected the {most + 1} largest impostor scores, got {len(top)}")
    top = np.sort(top)
    out = np.empty(len(targets), dtype=top.dtype)
    for i, target in enumerate(targets):
        k = allowed_false_matches(target, n_impostor)
        last_rejected = top[most - k]  # the (k + 1)-th largest score
        above = np.searchsorted(top, last_rejected, side="right")
        out[i] = top[above] if above < len(top) else np.nextafter(last_rejected, np.inf, dtype=top.dtype)
    return out
