"""Decisions or scores already computed: columns of the data, or a file joined on the id column."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ethicscheck._values import describe_values, name_values, safe_value
from ethicscheck.config import PrecomputedModelConfig
from ethicscheck.data import Dataset, ReadOptions, file_sha256, read_table, require_columns
from ethicscheck.errors import ConfigError, DataError
from ethicscheck.models._decisions import read_decisions
from ethicscheck.models._protocol import ModelInfo, OutputSummary, Predictions, Progress

__all__ = ["PrecomputedDetector", "load_precomputed", "read_scores"]


class PrecomputedDetector:
    """Reads the configured columns; the decision column wins over score >= threshold."""

    def __init__(
        self, table: pd.DataFrame | None, *, config: PrecomputedModelConfig, positive_class: Any, info: ModelInfo, source: str
    ) -> None:
        self.table = table
        self.config = config
        self.positive_class = positive_class
        self.info = info
        self.source = source

    def predict(self, frame: pd.DataFrame, *, progress: Progress | None = None) -> Predictions:
        table = self.table if self.table is not None else frame
        config = self.config
        source = self.source
        score = probability = None
        if config.score_column:
            score, probability = read_scores(table[config.score_column], config=config, source=source)
        if config.decision_column:
            decision = read_decisions(
                table[config.decision_column],
                column=config.decision_column,
                source=source,
                positive_class=self.positive_class,
                flagged_values=config.flagged_values,
                not_flagged_values=config.not_flagged_values,
            )
        else:
            assert score is not None  # the config requires a decision or a score column
            decision = score >= config.threshold if config.higher_is_riskier else score <= config.threshold
        if progress is not None:
            progress(len(table))
        return Predictions(
            decision=np.asarray(decision, dtype=bool),
            score=score,
            score_is_probability=bool(probability) if score is not None else True,
            higher_is_riskier=config.higher_is_riskier,
            outputs=self._outputs(table, score),
        )

    def _outputs(self, table: pd.DataFrame, score: np.ndarray | None) -> OutputSummary:
        """What the decision (or score) column held and the config's rule for flagged, for the verdict's reason."""
        config = self.config
        if config.decision_column:
            rule = (
                f"flagged_values is [{name_values(config.flagged_values)}]"
                if config.flagged_values is not None
                else f"model.positive_class is {safe_value(self.positive_class)}"
            )
            return OutputSummary.of_labels(
                table[config.decision_column].to_numpy(dtype=object), f"{rule} (column '{config.decision_column}')"
            )
        assert score is not None
        side = "or more" if config.higher_is_riskier else "or less"
        return OutputSummary.of_scores(score, f"a row is flagged at a score of {config.threshold:g} {side} (model.threshold)")


def read_scores(values: pd.Series, *, config: PrecomputedModelConfig, source: str) -> tuple[np.ndarray, bool]:
    """The score column as floats, and whether it is a probability (which the Brier score and ECE need).

    Scores may be on any numeric scale; outside [0, 1] the threshold must be set on that scale, because
    the default 0.5 would flag every row of a 1-10 risk score.
    """
    column = config.score_column
    where = f"{source}: model.score_column '{column}'"
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(numbers)
    if bad.any():
        raise DataError(
            f"{where} has {int(bad.sum())} of {len(numbers)} rows that are not finite numbers: {describe_values(values[bad])}. "
            "Every row needs a numeric score (set data.na_values and data.filter to drop rows without one)."
        )
    low, high = float(numbers.min()), float(numbers.max())
    in_unit = low >= 0.0 and high <= 1.0
    if not in_unit and config.decision_column is None and not config.threshold_is_explicit:
        raise ConfigError(
            f"{where} ranges from {low:g} to {high:g}, not 0 to 1, so the default threshold 0.5 does not apply. "
            "Set model.threshold on the score's own scale (flagged at or above it; see model.higher_is_riskier)."
        )
    probability = config.score_is_probability
    if probability is None:
        probability = in_unit and config.higher_is_riskier
    elif probability and not in_unit:
        raise ConfigError(f"{where} ranges from {low:g} to {high:g}, so model.score_is_probability cannot be true. Remove it.")
    elif probability and not config.higher_is_riskier:
        raise ConfigError("model.score_is_probability: true needs higher_is_riskier: true (a probability of the positive class).")
    return numbers, bool(probability)


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
        return PrecomputedDetector(None, config=config, positive_class=positive_class, info=info, source=dataset.path.name)
    if not dataset.id_column:
        raise ConfigError("model.path joins predictions on the id column, so data.id_column must be set.")
    predictions = read_table(config.path, what="predictions", options=ReadOptions(text=(dataset.id_column,)))
    require_columns(predictions, {"data.id_column": dataset.id_column, **wanted}, source=config.path.name)
    if predictions[dataset.id_column].duplicated().any():
        raise DataError(f"{config.path.name}: id column '{dataset.id_column}' has duplicated values; keep one prediction per id.")
    # Ids match as text (a CSV's "007" is not "7"; a Parquet integer 7 is "7"), whatever type each file gives them.
    keys = dataset.frame[[dataset.id_column]].astype("string")
    joined = keys.merge(predictions.astype({dataset.id_column: "string"}), on=dataset.id_column, how="left", indicator=True)
    unmatched = int((joined["_merge"] != "both").sum())
    if unmatched:
        raise DataError(
            f"{config.path.name}: {unmatched} of {len(joined)} evaluation rows have no prediction with the same "
            f"'{dataset.id_column}'. Score every row, or remove unscored rows from the data."
        )
    info = ModelInfo(kind="precomputed", source=config.path.name, sha256=file_sha256(config.path))
    return PrecomputedDetector(joined, config=config, positive_class=positive_class, info=info, source=config.path.name)
