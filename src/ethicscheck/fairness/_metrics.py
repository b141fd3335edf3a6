"""Group error rates from (label, decision) cell counts.

Counts are arrays whose last axis is ``[tn, fp, fn, tp]`` (index ``2 * label + decision``), so the
same code serves point estimates ``(groups, 4)`` and bootstrap replicates ``(replicates, groups, 4)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["METRICS", "RateDefinition", "cell_counts", "rate", "numerator_denominator", "TN", "FP", "FN", "TP"]

TN, FP, FN, TP = 0, 1, 2, 3


@dataclass(frozen=True)
class RateDefinition:
    """A rate as numerator cells over denominator cells."""

    key: str
    title: str
    plain: str
    numerator: tuple[int, ...]
    denominator: tuple[int, ...]
    undefined_when: str


METRICS: dict[str, RateDefinition] = {
    d.key: d
    for d in (
        RateDefinition(
            "fpr",
            "False-positive rate",
            "share of not-trafficking rows that were flagged",
            (FP,),
            (FP, TN),
            "no rows labelled not trafficking-related",
        ),
        RateDefinition(
            "fnr",
            "False-negative rate",
            "share of trafficking-related rows that were missed",
            (FN,),
            (FN, TP),
            "no rows labelled trafficking-related",
        ),
        RateDefinition(
            "tpr",
            "True-positive rate (recall)",
            "share of trafficking-related rows that were flagged",
            (TP,),
            (FN, TP),
            "no rows labelled trafficking-related",
        ),
        RateDefinition(
            "tnr",
            "True-negative rate",
            "share of not-trafficking rows left unflagged",
            (TN,),
            (FP, TN),
            "no rows labelled not trafficking-related",
        ),
        RateDefinition("selection_rate", "Selection rate", "share of rows flagged", (FP, TP), (TN, FP, FN, TP), "no rows"),
        RateDefinition("precision", "Precision", "share of flagged rows that are trafficking-related", (TP,), (FP, TP), "no rows flagged"),
        RateDefinition(
            "fdr", "False discovery rate", "share of flagged rows that are not trafficking-related", (FP,), (FP, TP), "no rows flagged"
        ),
        RateDefinition(
            "for", "False omission rate", "share of unflagged rows that are trafficking-related", (FN,), (TN, FN), "no rows left unflagged"
        ),
        RateDefinition(
            "npv",
            "Negative predictive value",
            "share of unflagged rows that are not trafficking-related",
            (TN,),
            (TN, FN),
            "no rows left unflagged",
        ),
        RateDefinition("accuracy", "Accuracy", "share of rows decided correctly", (TN, TP), (TN, FP, FN, TP), "no rows"),
        RateDefinition("base_rate", "Base rate", "share of rows labelled trafficking-related", (FN, TP), (TN, FP, FN, TP), "no rows"),
    )
}


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
    numerator = counts[..., list(definition.numerator)].sum(axis=-1)
    denominator = counts[..., list(definition.denominator)].sum(axis=-1)
    return numerator, denominator


def rate(counts: np.ndarray, key: str) -> np.ndarray:
    """Metric ``key`` for every group (and replicate); NaN where the denominator is 0."""
    numerator, denominator = numerator_denominator(counts, key)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, numerator / np.maximum(denominator, 1), np.nan)
