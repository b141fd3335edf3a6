"""Scores that are not probabilities: a 1-10 risk score, or a score where lower means riskier.

The score machinery (one fine histogram on [0, 1]) runs on the scores mapped onto [0, 1] by an
increasing affine map (decreasing when lower is riskier). Rank metrics (ROC AUC, average precision)
are unchanged by such a map, threshold curves are mapped back onto the score's own scale, and the
metrics that need a probability of the positive class (Brier score, ECE, reliability table) are
reported as undefined, with the reason, instead of being computed on numbers that mean nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ethicscheck.errors import DataError
from ethicscheck.fairness._result import Estimate, ThresholdAnalysis
from ethicscheck.fairness._scores import GroupScores

__all__ = ["ScoreScale", "PROBABILITY_ONLY_METRICS"]

#: Score metrics that only mean something for a probability of the positive class.
PROBABILITY_ONLY_METRICS: tuple[str, ...] = ("brier", "ece")


@dataclass(frozen=True)
class ScoreScale:
    """The observed range of a non-probability score and its direction."""

    low: float
    high: float
    higher_is_riskier: bool

    @classmethod
    def of(cls, score: np.ndarray, *, higher_is_riskier: bool, n: int) -> ScoreScale:
        if len(score) != n:
            raise DataError(f"y_score has {len(score)} values for {n} rows.")
        if not np.isfinite(score).all():
            raise DataError("y_score must be finite numbers.")
        return cls(float(score.min()), float(score.max()), higher_is_riskier)

    @property
    def width(self) -> float:
        return self.high - self.low

    @property
    def reason(self) -> str:
        if not self.higher_is_riskier:
            return "the score is not a probability (lower scores are riskier)"
        return f"the score is not a probability (it ranges from {self.low:g} to {self.high:g})"

    @property
    def description(self) -> str:
        direction = "higher" if self.higher_is_riskier else "lower"
        return (
            f"scores on their own scale ({self.low:g} to {self.high:g}, {direction} is riskier); Brier score and "
            "calibration not applicable; threshold curves on that scale"
        )

    def to_unit(self, score: np.ndarray) -> np.ndarray:
        """Map onto [0, 1] so that higher means riskier (all equal scores map to 0)."""
        if self.width == 0:
            return np.zeros_like(score)
        unit = (score - self.low) / self.width if self.higher_is_riskier else (self.high - score) / self.width
        return np.clip(unit, 0.0, 1.0)

    def from_unit(self, value: float) -> float:
        """A threshold on [0, 1] back on the score's own scale."""
        return self.low + value * self.width if self.higher_is_riskier else self.high - value * self.width

    def without_probability_metrics(self, scores: GroupScores) -> GroupScores:
        metrics = dict(scores.metrics)
        for key in PROBABILITY_ONLY_METRICS:
            if key in metrics:
                metrics[key] = Estimate(None, status="undefined", reason=self.reason)
        return GroupScores(metrics, ())

    def curves_on_own_scale(self, analysis: ThresholdAnalysis, *, operating: float) -> ThresholdAnalysis:
        groups = tuple(
            replace(g, equalizing_threshold=None if g.equalizing_threshold is None else self.from_unit(g.equalizing_threshold))
            for g in analysis.groups
        )
        return ThresholdAnalysis(
            tuple(self.from_unit(t) for t in analysis.grid),
            analysis.target_fpr,
            operating,
            groups,
        )
