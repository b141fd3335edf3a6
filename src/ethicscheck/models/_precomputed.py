"""Decisions or scores already computed: columns of the data, or a file joined on the id column."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ethicscheck.config import PrecomputedModelConfig
from ethicscheck.data import Dataset, file_sha256, read_table, require_columns
from ethicscheck.errors import ConfigError, DataError
from ethicscheck.models._outputs import to_predictions
from ethicscheck.models._protocol import ModelInfo, Predictions, Progress

__all__ = ["PrecomputedDetector", "load_precomputed"]


class PrecomputedDetector:
    """Reads the configured columns; the decision column wins over score >= threshold."""

    def __init__(self, table: pd.DataFrame, *, config: PrecomputedModelConfig, positive_class: Any, info: ModelInfo) -> None:
        self.table = table
        self.config = config
        self.positive_class = positive_class
        self.info = info

    def predict(self, frame: pd.DataFrame, *, progress: Progress | None = None) -> Predictions:
        table = self.table if self.table is not None else frame
        score = None
        if self.config.score_column:
            score = to_predictions(
                table[self.config.score_column].to_numpy(),
                mode="score",
                positive_class=None,
                threshold=self.config.threshold,
                n_rows=len(table),
                source=f"column '{self.config.score_column}'",
            ).score
        if self.config.decision_column:
            decision = to_predictions(
                table[self.config.decision_column].to_numpy(),
                mode="label",
                positive_class=self.positive_class,
                threshold=self.config.threshold,
                n_rows=len(table),
                source=f"column '{self.config.decision_column}'",
            ).decision
        else:
            decision = score >= self.config.threshold  # type: ignore[operator]
        if progress is not None:
            progress(len(table))
        return Predictions(decision=np.asarray(decision, dtype=bool), score=score)


def load_precomputed(config: PrecomputedModelConfig, *, dataset: Dataset, positive_class: Any) -> PrecomputedDetector:
    """Check the prediction columns exist; join a separate file on the id column when given."""
    wanted = {}
    if config.decision_column:
        wanted["model.decision_column"] = config.decision_column
    if config.score_column:
        wanted["model.score_column"] = config.score_column
    if config.path is None:
        require_columns(dataset.frame, wanted, source=dataset.path.name)
        info = ModelInfo(kind="precomputed", source=f"columns of {dataset.path.name}", sha256=dataset.sha256)
        return PrecomputedDetector(None, config=config, positive_class=positive_class, info=info)  # type: ignore[arg-type]
    if not dataset.id_column:
        raise ConfigError("model.path joins predictions on the id column, so data.id_column must be set.")
    predictions = read_table(config.path, what="predictions")
    require_columns(predictions, {"data.id_column": dataset.id_column, **wanted}, source=config.path.name)
    if predictions[dataset.id_column].duplicated().any():
        raise DataError(f"{config.path.name}: id column '{dataset.id_column}' has duplicated values; keep one prediction per id.")
    joined = dataset.frame[[dataset.id_column]].merge(predictions, on=dataset.id_column, how="left", indicator=True)
    unmatched = int((joined["_merge"] != "both").sum())
    if unmatched:
        raise DataError(
            f"{config.path.name}: {unmatched} of {len(joined)} evaluation rows have no prediction with the same "
            f"'{dataset.id_column}'. Score every row, or remove unscored rows from the data."
        )
    info = ModelInfo(kind="precomputed", source=config.path.name, sha256=file_sha256(config.path))
    return PrecomputedDetector(joined, config=config, positive_class=positive_class, info=info)
