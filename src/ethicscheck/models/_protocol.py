"""What every model adapter provides: a Detector that turns rows into decisions (and scores)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np
import pandas as pd

__all__ = ["Detector", "ModelInfo", "Predictions", "Progress"]

#: Called with the number of rows just scored, to advance a progress bar.
Progress = Callable[[int], None]


@dataclass(frozen=True)
class Predictions:
    """A model's output for every evaluation row.

    Attributes
    ----------
    decision : ndarray of bool
        True where the model flags the row as trafficking-related.
    score : ndarray of float or None
        The model's score, when it gives one: a probability of the positive class in [0, 1], or (from
        a precomputed score column) a score on its own scale.
    score_is_probability : bool
        False when the score is not a probability of the positive class (a 1-10 risk score, or a score
        where lower means riskier): the Brier score and calibration then do not apply.
    higher_is_riskier : bool
        False when a lower score means more likely flagged.
    """

    decision: np.ndarray
    score: np.ndarray | None = None
    score_is_probability: bool = True
    higher_is_riskier: bool = True

    def __post_init__(self) -> None:
        if self.score is not None and len(self.score) != len(self.decision):
            raise ValueError("decision and score must have the same length")


@dataclass(frozen=True)
class ModelInfo:
    """Provenance of the audited model, safe to publish (no credentials, no local paths)."""

    kind: str
    source: str
    sha256: str | None = None
    flavor: str | None = None
    details: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "source": self.source, "sha256": self.sha256, "flavor": self.flavor, "details": dict(self.details)}


@runtime_checkable
class Detector(Protocol):
    """A loaded detection model, whatever its kind."""

    info: ModelInfo

    def predict(self, frame: pd.DataFrame, *, progress: Progress | None = None) -> Predictions:
        """Score every row of ``frame`` (the whole evaluation table, in order)."""
        ...
