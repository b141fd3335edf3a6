"""The same fairness analysis on other counts: used to publish tables built from noised counts."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ethicscheck.fairness._assess import _METHODS, _feature_result, _group_result
from ethicscheck.fairness._rates import rate_estimates
from ethicscheck.fairness._result import FairnessResult
from ethicscheck.fairness._settings import AssessSettings
from ethicscheck.fairness._tables import GroupTable

__all__ = ["recount"]


def recount(fairness: FairnessResult, overall_counts: np.ndarray, feature_counts: Sequence[np.ndarray]) -> FairnessResult:
    """Recompute every rate, comparison, test and disparity of ``fairness`` from other cell counts.

    Parameters
    ----------
    fairness : FairnessResult
        The analysis to repeat: its features, groups, references, metrics and settings are kept.
    overall_counts : ndarray, shape (4,)
        ``[tn, fp, fn, tp]`` of all rows.
    feature_counts : sequence of ndarray, shape (groups, 4)
        One per feature of ``fairness``, groups in the same order.

    Returns
    -------
    FairnessResult
        Intervals are closed-form (Wilson for rates, Newcombe/Katz for comparisons, simultaneous pairwise
        intervals for spreads, as always): there are no rows to bootstrap. Score metrics and threshold curves are dropped: they do not
        derive from counts.
    """
    if len(feature_counts) != len(fairness.features):
        raise ValueError(f"expected counts for {len(fairness.features)} features, got {len(feature_counts)}")
    settings = AssessSettings(
        metrics=fairness.metrics,
        confidence_level=fairness.confidence_level,
        n_boot=0,
        min_group_size=fairness.min_group_size,
        rate_ci="wilson",
    )
    overall = np.asarray(overall_counts, dtype=np.int64).reshape(1, 4)
    features = []
    for feature, counts in zip(fairness.features, feature_counts):
        counts = np.asarray(counts, dtype=np.int64)
        if counts.shape != (len(feature.groups), 4):
            raise ValueError(f"counts of '{feature.name}' must have shape ({len(feature.groups)}, 4), got {counts.shape}")
        labels = tuple(g.group for g in feature.groups)
        values = tuple(tuple(g.values[c] for c in feature.columns) for g in feature.groups)
        table = GroupTable(feature.name, feature.columns, labels, values, counts, np.empty(0, dtype=np.int64))
        features.append(_feature_result(table, labels.index(feature.reference), None, settings, feature.reference_rule))
    return FairnessResult(
        overall=_group_result("all rows", {}, overall[0], rate_estimates(overall, settings)[0]),
        features=tuple(features),
        metrics=fairness.metrics,
        confidence_level=fairness.confidence_level,
        n_boot=0,
        min_group_size=fairness.min_group_size,
        seed=fairness.seed,
        methods={
            **_METHODS,
            "difference_ci": "Newcombe (difference) and Katz log (ratio) intervals from counts",
            "bootstrap": "none",
        },
    )
