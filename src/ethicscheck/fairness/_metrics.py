"""Group error rates from (label, decision) cell counts.

Counts are arrays whose last axis is ``[tn, fp, fn, tp]`` (index ``2 * label + decision``), so the
same code serves point estimates ``(groups, 4)`` and bootstrap replicates ``(replicates, groups, 4)``.
"""

from __future__ import annotations

import numpy as np

from ethicscheck._vocabulary import COUNT_METRICS, FN, FP, TN, TP, CountMetric

__all__ = ["METRICS", "RateDefinition", "cell_counts", "rate", "numerator_denominator", "TN", "FP", "FN", "TP"]

#: The count metrics, defined once in the vocabulary (a new metric is one row there).
METRICS: dict[str, CountMetric] = COUNT_METRICS
#: The name this type had before it moved to the vocabulary.
RateDefinition = CountMetric


def cell_counts(codes: np.ndarray, y_true: np.ndarray, decision: np.ndarray, n_groups: int) -> np.ndarray:
    """Count ``[tn, fp, fn, tp]`` per group in one pass.

    Parameters
    ----------
    codes : ndarray of int
        Group index of every row, in ``[0, n_groups)``.
    y_true, decision : ndarray of bool
        Label (trafficking-related) and model decision (flagged) per row.
    n_groups : int
        Number of groups.

    Returns
    -------
    ndarray of int64, shape (n_groups, 4)
    """
    label_decision = (
        (y_true.view(np.int8) << 1) | decision.view(np.int8)
        if y_true.dtype == bool and decision.dtype == bool
        else y_true.astype(np.int8) * 2 + decision.astype(np.int8)
    )
    cell = codes * 4
    cell += label_decision
    return np.bincount(cell, minlength=n_groups * 4).reshape(n_groups, 4)


def numerator_denominator(counts: np.ndarray, key: str) -> tuple[np.ndarray, np.ndarray]:
    """Numerator and denominator counts of metric ``key`` over the last axis of ``counts``."""
    definition = METRICS[key]
    return _cells(counts, definition.numerator), _cells(counts, definition.denominator)


def _cells(counts: np.ndarray, cells: tuple[int, ...]) -> np.ndarray:
    """``counts[..., cells].sum(axis=-1)`` (same values, same dtype), adding the cells' slices one by one:
    on bootstrap replicates (replicates x groups x 4) this skips copying the chosen cells first."""
    dtype = np.add.reduce(counts[..., :0], axis=-1).dtype  # the dtype sum() gives
    total = counts[..., cells[0]].astype(dtype, copy=True)
    for cell in cells[1:]:
        total += counts[..., cell]
    return total


def rate(counts: np.ndarray, key: str) -> np.ndarray:
    """Metric ``key`` for every group (and replicate); NaN where the denominator is 0."""
    numerator, denominator = numerator_denominator(counts, key)
    # divided only where the denominator is positive, NaN elsewhere: on bootstrap replicates (replicates x groups)
    # two passes instead of the four of np.where(denominator > 0, numerator / np.maximum(denominator, 1), np.nan)
    rates: np.ndarray = np.divide(numerator, denominator, out=np.full(np.shape(numerator), np.nan), where=denominator > 0)
    return rates
