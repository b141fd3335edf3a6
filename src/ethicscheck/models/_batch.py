"""The part every row-scoring adapter shares: batching, progress, and reading raw outputs."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ethicscheck.models._inputs import InputSpec, score_in_batches
from ethicscheck.models._outputs import OutputMode, concat_predictions, to_predictions
from ethicscheck.models._protocol import ModelInfo, Predictions, Progress

__all__ = ["BatchDetector"]


class BatchDetector:
    """Scores a frame batch by batch; subclasses implement :meth:`_score` for one batch.

    Parameters
    ----------
    inputs : InputSpec
        Which columns the model sees.
    positive_class : Any
        Class value meaning flagged.
    threshold : float
        Scores at or above it are flagged.
    batch_size : int
        Rows per call.
    info : ModelInfo
        Provenance, also used in error messages.
    output : {"auto", "label", "score", "proba"}
        How :meth:`_read` interprets raw outputs.
    """

    #: The data's label values that labels returned by the model must be among (empty: the model has
    #: its own ``positive_class``, so only "at most two classes of one type" is checked). Set by
    #: :func:`~ethicscheck.models.load_detector`; None skips the checks.
    label_values: tuple[Any, ...] | None = None

    def __init__(
        self, *, inputs: InputSpec, positive_class: Any, threshold: float, batch_size: int, info: ModelInfo, output: OutputMode = "auto"
    ) -> None:
        self.inputs = inputs
        self.positive_class = positive_class
        self.threshold = threshold
        self.batch_size = batch_size
        self.info = info
        self.output = output

    def predict(self, frame: pd.DataFrame, *, progress: Progress | None = None) -> Predictions:
        frame = self.inputs.typed_frame(frame)
        return concat_predictions(score_in_batches(frame, self.batch_size, self._score, progress))

    def _score(self, batch: pd.DataFrame) -> Predictions:
        raise NotImplementedError

    def _read(self, raw: Any, n_rows: int, *, mode: OutputMode | None = None, classes: list[Any] | None = None) -> Predictions:
        return to_predictions(
            raw,
            mode=mode or self.output,
            positive_class=self.positive_class,
            threshold=self.threshold,
            n_rows=n_rows,
            source=self.info.source,
            classes=classes,
            label_values=self.label_values,
        )
