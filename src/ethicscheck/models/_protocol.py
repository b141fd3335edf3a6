"""What every model adapter provides: a Detector that turns rows into decisions (and scores)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np
import pandas as pd

from ethicscheck._serialize import Serializable
from ethicscheck._values import safe_value

__all__ = ["Detector", "ModelInfo", "OutputSummary", "Predictions", "Progress"]

#: Called with the number of rows just scored, to advance a progress bar.
Progress = Callable[[int], None]

#: Distinct raw labels an :class:`OutputSummary` keeps (for naming them in a verdict).
_KEPT_LABELS = 6


@dataclass(frozen=True)
class OutputSummary:
    """What a model's raw outputs were and how they were read, to say why decisions never (or always) flag.

    ``labels``: up to six distinct label values the model returned (as published: free text and contact
    data never appear, see ``ethicscheck._values.safe_value``) and ``n_labels`` the distinct count; or
    ``low``/``high``: the lowest and highest score. ``rule`` says what counts as flagged, in the config's
    words ("the positive class is 'suspicious'", "flagged_values is ['suspicious']", "a score at or above 0.5").
    """

    rule: str
    labels: tuple[str, ...] = ()
    n_labels: int = 0
    low: float | None = None
    high: float | None = None

    @classmethod
    def of_labels(cls, values: np.ndarray, rule: str) -> OutputSummary:
        distinct = sorted(pd.unique(pd.Series(np.asarray(values, dtype=object).ravel())), key=str)
        return cls(rule, tuple(safe_value(v) for v in distinct[:_KEPT_LABELS]), len(distinct))

    @classmethod
    def of_scores(cls, score: np.ndarray, rule: str) -> OutputSummary:
        return cls(rule, low=float(np.min(score)), high=float(np.max(score))) if len(score) else cls(rule)

    def merged(self, other: OutputSummary) -> OutputSummary:
        """The summary of two batches' outputs (labels past the first six are counted, not named)."""
        if self.low is not None or other.low is not None:
            lows = [v for v in (self.low, other.low) if v is not None]
            highs = [v for v in (self.high, other.high) if v is not None]
            return OutputSummary(self.rule, low=min(lows), high=max(highs))
        labels = tuple(dict.fromkeys((*self.labels, *other.labels)))
        counted = max(self.n_labels, other.n_labels, len(labels))
        if self.n_labels > len(self.labels) or other.n_labels > len(other.labels):
            counted = max(counted, self.n_labels + other.n_labels - len(set(self.labels) & set(other.labels)))
        return OutputSummary(self.rule, labels[:_KEPT_LABELS], counted)

    def note_for(self, *, n_flagged: int, n_rows: int) -> str | None:
        """Why ``n_flagged`` of ``n_rows`` rows are flagged when that is none or all of them; None otherwise."""
        if n_rows == 0 or 0 < n_flagged < n_rows:
            return None
        return self.note(flagged_any=n_flagged > 0)

    def note(self, *, flagged_any: bool) -> str:
        """Why no row (``flagged_any`` False) or every row is flagged, from what the model returned."""
        if self.low is not None and self.high is not None:
            returned = (
                f"returned the score {self.low:.3g} for every row"
                if self.low == self.high
                else (f"returned scores from {self.low:.3g} to {self.high:.3g}")
            )
            return f"the model {returned}, and {self.rule}"
        shown = ", ".join(self.labels) + (f" and {self.n_labels - len(self.labels)} more" if self.n_labels > len(self.labels) else "")
        returned = f"only {shown}" if self.n_labels == 1 else shown
        if flagged_any:
            return f"the model returned {returned}, and {self.rule}: every output counts as flagged"
        return f"the model returned {returned}, but {self.rule}: no output matches it"


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
    outputs: OutputSummary | None = None  # what the model returned, when the adapter knows

    def decision_note(self) -> str | None:
        """Why the decisions are constant (nobody or everybody flagged), from the raw outputs; None otherwise."""
        if self.outputs is None:
            return None
        return self.outputs.note_for(n_flagged=int(np.sum(self.decision)), n_rows=len(self.decision))

    def __post_init__(self) -> None:
        if self.score is not None and len(self.score) != len(self.decision):
            raise ValueError("decision and score must have the same length")


@dataclass(frozen=True)
class ModelInfo(Serializable):
    """Provenance of the audited model, safe to publish (no credentials, no local paths)."""

    kind: str
    source: str
    sha256: str | None = None
    flavor: str | None = None
    details: dict[str, str] = field(default_factory=dict)


@runtime_checkable
class Detector(Protocol):
    """A loaded detection model, whatever its kind."""

    info: ModelInfo

    def predict(self, frame: pd.DataFrame, *, progress: Progress | None = None) -> Predictions:
        """Score every row of ``frame`` (the whole evaluation table, in order)."""
        ...
