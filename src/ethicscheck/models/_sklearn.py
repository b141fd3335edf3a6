"""scikit-learn estimators and pipelines: skops files by default, pickle/joblib only when allowed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ethicscheck._values import equals_value
from ethicscheck.config import SklearnModelConfig
from ethicscheck.data import file_sha256
from ethicscheck.errors import ModelError
from ethicscheck.models._batch import BatchDetector
from ethicscheck.models._guard import user_code
from ethicscheck.models._inputs import InputSpec, LoadContext
from ethicscheck.models._protocol import ModelInfo, Predictions

__all__ = ["EstimatorDetector", "load_sklearn", "load_skops"]

_PICKLE_SUFFIXES = {".joblib": "joblib", ".pkl": "pickle", ".pickle": "pickle"}


class EstimatorDetector(BatchDetector):
    """Any fitted object with ``predict`` (and ideally ``predict_proba`` and ``classes_``).

    With ``predict_proba`` the positive class's probability is the score and the decision is
    ``score >= threshold``; without it (or with ``output="label"``), ``predict`` gives the decision and
    there is no score.
    """

    def __init__(self, estimator: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.estimator = estimator

    def _score(self, batch: pd.DataFrame) -> Predictions:
        features = self.inputs.take(batch)
        use_proba = self.output != "label" and hasattr(self.estimator, "predict_proba") and hasattr(self.estimator, "classes_")
        hint = " Check model.input_columns and model.input_as."
        with user_code(self.info.source, doing=f"scoring input columns {self.inputs.columns}", hint=hint):
            raw = self.estimator.predict_proba(features) if use_proba else self.estimator.predict(features)
        classes = list(getattr(self.estimator, "classes_", [])) or None
        if use_proba and classes is not None and not equals_value(np.asarray(classes, dtype=object), self.positive_class).any():
            raise ModelError(
                f"{self.info.source}: the positive class {self.positive_class!r} is not among the model's classes "
                f"{classes}. Set model.positive_class."
            )
        return self._read(raw, len(batch), mode="proba" if use_proba else "label", classes=classes)


def load_sklearn(config: SklearnModelConfig, *, inputs: InputSpec, positive_class: Any, context: LoadContext) -> EstimatorDetector:
    """Load a saved estimator safely (``context`` is not needed: the file is local).

    Raises
    ------
    ModelError
        The file is missing, is a pickle without ``allow_pickle: true``, or holds types outside the
        trusted list (the message lists them so the user can review and trust them).
    """
    path = Path(config.path)
    if not path.is_file():
        raise ModelError(f"Model file {path} does not exist. Check model.path in the config.")
    fmt = config.format if config.format != "auto" else _PICKLE_SUFFIXES.get(path.suffix.lower(), "skops")
    estimator = _load_pickle(path, fmt, config.allow_pickle) if fmt in ("joblib", "pickle") else load_skops(path, config.trusted_types)
    if not hasattr(estimator, "predict"):
        raise ModelError(f"{path.name} holds a {type(estimator).__name__}, which has no predict method; save a fitted estimator.")
    info = ModelInfo(kind="sklearn", source=path.name, sha256=file_sha256(path), flavor=fmt, details={"class": type(estimator).__name__})
    return EstimatorDetector(
        estimator, inputs=inputs, positive_class=positive_class, threshold=config.threshold, batch_size=config.batch_size, info=info
    )


def load_skops(path: Path, trusted: list[str], *, source: str | None = None) -> Any:
    """Load a skops file, refusing every type outside skops' defaults and ``trusted`` (the message lists them)."""
    import skops.io as sio

    source = source or path.name
    try:
        untrusted = sorted(set(sio.get_untrusted_types(file=path)) - set(trusted))
    except Exception as exc:
        raise ModelError(
            f"{source} is not a readable skops file ({type(exc).__name__}). Save the model with skops.io.dump, or set model.format."
        ) from None
    if untrusted:
        raise ModelError(
            f"{source} contains types skops does not trust: {', '.join(untrusted)}. If you trust them, list them under model.trusted_types."
        )
    with user_code(source, doing="loading it with skops"):
        return sio.load(path, trusted=list(trusted) or None)


def _load_pickle(path: Path, fmt: str, allow_pickle: bool) -> Any:
    if not allow_pickle:
        raise ModelError(
            f"{path.name} is a {fmt} file, and loading one can run arbitrary code. Re-save the model with "
            "skops, or set model.allow_pickle: true if you trust its source."
        )
    with user_code(path.name, doing=f"unpickling it ({fmt})"):
        if fmt == "joblib":
            import joblib

            return joblib.load(path)
        import pickle

        with open(path, "rb") as handle:
            return pickle.load(handle)  # noqa: S301 - reached only with allow_pickle: true
