"""Model inputs for a comparison: TF-IDF of a text column or encoded tabular columns, fitted on training rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ethicscheck.compare._config import TabularFeatures, TextFeatures
from ethicscheck.errors import DataError

__all__ = ["FeatureSpace", "fit_features"]


@dataclass(frozen=True)
class FeatureSpace:
    """A fitted input encoding.

    Attributes
    ----------
    transform : callable
        Frame -> dense float64 matrix (dense: fairlearn's reductions and diffprivlib need it).
    names : tuple of str
        Column names of the matrix.
    """

    transform: Callable[[pd.DataFrame], np.ndarray]
    names: tuple[str, ...]

    def __call__(self, frame: pd.DataFrame) -> np.ndarray:
        return self.transform(frame)


def fit_features(
    spec: TextFeatures | TabularFeatures, train: pd.DataFrame, *, text_column: str | None, sensitive: list[str]
) -> FeatureSpace:
    """Fit the encoding on the training rows only (no information from held-out rows)."""
    if isinstance(spec, TextFeatures):
        return _text(spec, train, spec.column or text_column)
    return _tabular(spec, train, sensitive)


def _text(spec: TextFeatures, train: pd.DataFrame, column: str | None) -> FeatureSpace:
    from sklearn.feature_extraction.text import TfidfVectorizer

    if column is None or column not in train.columns:
        raise DataError(f"features: text column '{column}' is not in the data; columns: {', '.join(map(str, train.columns[:20]))}.")
    vectorizer = TfidfVectorizer(
        max_features=spec.max_features, ngram_range=spec.ngram_range, min_df=spec.min_df, sublinear_tf=True, norm="l2", dtype=np.float64
    )
    vectorizer.fit(train[column].fillna("").astype(str))

    def transform(frame: pd.DataFrame) -> np.ndarray:
        return vectorizer.transform(frame[column].fillna("").astype(str)).toarray()

    return FeatureSpace(transform, tuple(vectorizer.get_feature_names_out()))


def _tabular(spec: TabularFeatures, train: pd.DataFrame, sensitive: list[str]) -> FeatureSpace:
    columns = list(dict.fromkeys(spec.columns + (sensitive if spec.include_sensitive else [])))
    missing = [c for c in columns if c not in train.columns]
    if missing:
        raise DataError(f"features.columns: {', '.join(missing)} not in the data; columns: {', '.join(map(str, train.columns[:20]))}.")
    numeric = [c for c in columns if pd.api.types.is_numeric_dtype(train[c]) and not pd.api.types.is_bool_dtype(train[c])]
    categorical = [c for c in columns if c not in numeric]
    levels = {c: sorted(train[c].astype(str).unique()) for c in categorical}
    medians = {c: float(train[c].median()) for c in numeric}

    def transform(frame: pd.DataFrame) -> np.ndarray:
        parts = [frame[c].astype(float).fillna(medians[c]).to_numpy()[:, None] for c in numeric]
        for c in categorical:
            values = frame[c].astype(str).to_numpy()
            parts.append(np.stack([values == level for level in levels[c]], axis=1).astype(float))
        return np.hstack(parts) if parts else np.empty((len(frame), 0))

    names = tuple(numeric) + tuple(f"{c}={level}" for c in categorical for level in levels[c])
    return FeatureSpace(transform, names)
