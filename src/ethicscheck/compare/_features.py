"""Model inputs for a comparison: text (TF-IDF or hashed) or tabular columns, fitted on training rows only.

A differentially private model protects its training rows only if everything it sees was computed
without looking at them. TF-IDF's vocabulary and IDF weights, one-hot levels read off the data and
scaling by the data's mean or range are computed from the training rows without noise, so with them
only the model fit is covered by ε. :class:`FeatureSpace` says which parts were learned from the data
(``learned``); hashed text and tabular columns with config-given ``bounds`` and ``levels`` learn
nothing, and then the whole pipeline is ε-DP.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ethicscheck.compare._config import HashingFeatures, TabularFeatures, TextFeatures
from ethicscheck.errors import ConfigError, DataError
from ethicscheck.fairness import MISSING

__all__ = ["FeatureSpace", "fit_features", "categorical_values"]

#: The level of a categorical value outside the config-given ``levels``.
OTHER = "(other)"


@dataclass(frozen=True)
class FeatureSpace:
    """A fitted input encoding.

    Attributes
    ----------
    transform : callable
        Frame -> dense float64 matrix (dense: fairlearn's reductions and diffprivlib need it).
    names : tuple of str
        Column names of the matrix.
    learned : tuple of str
        What the encoding read off the training rows without differential privacy (empty: nothing, so a
        DP model's ε covers the whole pipeline).
    max_norm : float or None
        An upper bound on every row's L2 norm that holds whatever the data (None when there is none).
    clipped : dict of str to float
        Share of training rows whose value lay outside the column's config-given bounds (and was clipped).
    """

    transform: Callable[[pd.DataFrame], np.ndarray]
    names: tuple[str, ...]
    learned: tuple[str, ...] = ()
    max_norm: float | None = None
    clipped: dict[str, float] | None = None

    def __call__(self, frame: pd.DataFrame) -> np.ndarray:
        return self.transform(frame)


def fit_features(
    spec: TextFeatures | HashingFeatures | TabularFeatures,
    train: pd.DataFrame,
    *,
    text_column: str | None,
    sensitive: list[str],
    dp: bool = False,
) -> FeatureSpace:
    """Fit the encoding on the training rows only (no information from held-out rows).

    Parameters
    ----------
    dp : bool
        Differentially private candidates will be fitted on these features: every numeric column then
        needs config-given bounds (their ``data_norm`` / ``bounds`` assume scaled inputs).

    Raises
    ------
    ConfigError
        ``dp`` and a numeric column without bounds.
    DataError
        A configured column that is not in the data, or a bounded column that is not numeric.
    """
    if isinstance(spec, TextFeatures):
        return _text(spec, train, _text_column(spec.column or text_column, train))
    if isinstance(spec, HashingFeatures):
        return _hashing(spec, _text_column(spec.column or text_column, train))
    return _tabular(spec, train, sensitive, dp=dp)


def categorical_values(column: pd.Series) -> np.ndarray:
    """Values as strings with missing ones as the explicit ``(missing)`` level (pandas 3 keeps NaN through ``astype(str)``)."""
    return column.astype(object).where(column.notna(), MISSING).astype(str).to_numpy()


def _text_column(column: str | None, train: pd.DataFrame) -> str:
    if column is None or column not in train.columns:
        raise DataError(f"features: text column '{column}' is not in the data; columns: {', '.join(map(str, train.columns[:20]))}.")
    return column


def _text(spec: TextFeatures, train: pd.DataFrame, column: str) -> FeatureSpace:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(
        max_features=spec.max_features, ngram_range=spec.ngram_range, min_df=spec.min_df, sublinear_tf=True, norm="l2", dtype=np.float64
    )
    vectorizer.fit(train[column].fillna("").astype(str))

    def transform(frame: pd.DataFrame) -> np.ndarray:
        return np.asarray(vectorizer.transform(frame[column].fillna("").astype(str)).toarray(), dtype=np.float64)

    return FeatureSpace(transform, tuple(vectorizer.get_feature_names_out()), learned=("TF-IDF vocabulary and IDF weights",), max_norm=1.0)


def _hashing(spec: HashingFeatures, column: str) -> FeatureSpace:
    """Hashed word and n-gram counts, L2-normalized: a fixed vocabulary, so nothing is read off the data."""
    from sklearn.feature_extraction.text import HashingVectorizer

    vectorizer = HashingVectorizer(
        n_features=spec.n_features, ngram_range=spec.ngram_range, alternate_sign=False, norm="l2", dtype=np.float64
    )

    def transform(frame: pd.DataFrame) -> np.ndarray:
        return np.asarray(vectorizer.transform(frame[column].fillna("").astype(str)).toarray(), dtype=np.float64)

    return FeatureSpace(transform, tuple(f"hash_{i}" for i in range(spec.n_features)), max_norm=1.0)


def _tabular(spec: TabularFeatures, train: pd.DataFrame, sensitive: list[str], *, dp: bool) -> FeatureSpace:
    columns = list(dict.fromkeys(spec.columns + (sensitive if spec.include_sensitive else [])))
    absent = [c for c in [*columns, *spec.bounds, *spec.levels] if c not in train.columns]
    if absent:
        raise DataError(f"features: {', '.join(absent)} not in the data; columns: {', '.join(map(str, train.columns[:20]))}.")
    numeric = [c for c in columns if c not in spec.levels and _is_numeric(train[c])]
    categorical = [c for c in columns if c not in numeric]
    not_numeric = [c for c in spec.bounds if c in categorical]
    if not_numeric:
        raise DataError(f"features.bounds: column '{not_numeric[0]}' is not numeric; give bounds for numeric columns only.")
    unbounded = [c for c in numeric if c not in spec.bounds]
    if dp and unbounded:
        raise ConfigError(
            f"features.bounds: numeric column '{unbounded[0]}' has no bounds, but differentially private candidates need every "
            "input scaled by bounds known without looking at the data (their data_norm / bounds assume it). "
            f"Add features: {{bounds: {{{unbounded[0]}: [LOW, HIGH]}}}} for every numeric column ({', '.join(unbounded)})."
        )
    # Without config-given bounds, standardize with the training rows' mean and SD (not DP: said in `learned`).
    centre = {c: float(train[c].astype(float).mean()) for c in unbounded}
    scale = {c: float(train[c].astype(float).std(ddof=0)) or 1.0 for c in unbounded}
    low = {c: float(spec.bounds[c][0]) for c in spec.bounds}
    width = {c: float(spec.bounds[c][1] - spec.bounds[c][0]) for c in spec.bounds}
    levels = {c: [*spec.levels[c], OTHER] if c in spec.levels else sorted(set(categorical_values(train[c]))) for c in categorical}
    for c in categorical:  # an explicit level for missing values, whether or not the training rows have any
        if MISSING not in levels[c]:
            levels[c].append(MISSING)

    def numeric_block(frame: pd.DataFrame, c: str) -> np.ndarray:
        values = pd.to_numeric(frame[c], errors="coerce").astype(float).to_numpy()
        missing = np.isnan(values)
        scaled = np.clip((values - low[c]) / width[c], 0.0, 1.0) if c in spec.bounds else (values - centre[c]) / scale[c]
        return np.column_stack([np.where(missing, 0.0, scaled), missing.astype(float)])

    def transform(frame: pd.DataFrame) -> np.ndarray:
        parts = [numeric_block(frame, c) for c in numeric]
        for c in categorical:
            values = categorical_values(frame[c])
            if c in spec.levels:
                values = np.where(np.isin(values, levels[c]), values, OTHER)
            parts.append(np.stack([values == level for level in levels[c]], axis=1).astype(float))
        return np.hstack(parts) if parts else np.empty((len(frame), 0))

    learned = tuple(f"mean and SD of {c}" for c in unbounded) + tuple(f"levels of {c}" for c in categorical if c not in spec.levels)
    clipped = {c: float(((train[c] < spec.bounds[c][0]) | (train[c] > spec.bounds[c][1])).mean()) for c in spec.bounds if c in numeric}
    names = tuple(n for c in numeric for n in (c, f"{c}={MISSING}")) + tuple(f"{c}={level}" for c in categorical for level in levels[c])
    # Each bounded numeric column contributes at most 1 (value in [0, 1], or its missing indicator), each
    # categorical column exactly one 1: the norm bound holds for any row when nothing is standardized.
    max_norm = None if unbounded else float(np.sqrt(len(numeric) + len(categorical)))
    return FeatureSpace(transform, names, learned=learned, max_norm=max_norm, clipped=clipped)


def _is_numeric(column: pd.Series) -> bool:
    return bool(pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column))
