"""Pick and load the adapter that the config's ``model.kind`` names."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ethicscheck.config import AuditConfig, HttpModelConfig, PrecomputedModelConfig
from ethicscheck.data import Dataset
from ethicscheck.errors import ModelError
from ethicscheck.models._batch import BatchDetector

# The adapters import their heavy libraries (skops, onnxruntime, mlflow) only when they load a model.
from ethicscheck.models._callable import load_callable
from ethicscheck.models._http import load_http
from ethicscheck.models._inputs import InputSpec, resolve_inputs
from ethicscheck.models._mlflow import load_mlflow
from ethicscheck.models._onnx import load_onnx
from ethicscheck.models._precomputed import load_precomputed
from ethicscheck.models._protocol import Detector
from ethicscheck.models._sklearn import load_sklearn

__all__ = ["load_detector"]

# Whether one input column goes in as a 1-D array under input_as: auto.
_AUTO_SERIES = {"sklearn": True, "onnx": False, "mlflow": False, "callable": False, "http": False}


def load_detector(config: AuditConfig, dataset: Dataset, *, tracking_uri: str, base_dir: Path | None = None) -> Detector:
    """Load the configured model as a :class:`Detector`.

    Parameters
    ----------
    config : AuditConfig
        The audit config; ``config.model`` selects the adapter.
    dataset : Dataset
        The evaluation data (for input columns and precomputed predictions).
    tracking_uri : str
        MLflow tracking URI used to resolve ``runs:/`` and ``models:/`` URIs.
    base_dir : Path, optional
        Folder that relative callable file targets resolve from (the config's folder).
    """
    model = config.model
    positive = config.positive_class
    if isinstance(model, PrecomputedModelConfig):
        return load_precomputed(model, dataset=dataset, positive_class=positive)
    inputs = resolve_inputs(
        dataset.frame,
        input_columns=model.input_columns,
        input_as=model.input_as,
        text_column=dataset.text_column,
        role_columns=dataset.role_columns(),
        label_column=dataset.label_column,
        id_column=dataset.id_column,
        auto_series=_AUTO_SERIES[model.kind],
        source=dataset.path.name,
    )
    detector = _load_scoring(config, dataset, inputs, tracking_uri=tracking_uri, base_dir=base_dir)
    # What a model returns is checked against the data's label values, unless the model has its own classes.
    explicit = getattr(model, "positive_class", None) is not None
    detector.label_values = () if explicit else tuple(pd.unique(dataset.frame[dataset.label_column].dropna()))
    return detector


def _load_scoring(config: AuditConfig, dataset: Dataset, inputs: InputSpec, *, tracking_uri: str, base_dir: Path | None) -> BatchDetector:
    model = config.model
    positive = config.positive_class
    if model.kind == "sklearn":
        return load_sklearn(model, inputs=inputs, positive_class=positive)
    if model.kind == "onnx":
        return load_onnx(model, inputs=inputs, positive_class=positive)
    if model.kind == "mlflow":
        return load_mlflow(model, inputs=inputs, positive_class=positive, tracking_uri=tracking_uri, timeout=config.tracking.timeout_s)
    if model.kind == "callable":
        return load_callable(model, inputs=inputs, positive_class=positive, base_dir=base_dir)
    if isinstance(model, HttpModelConfig):
        return load_http(model, inputs=inputs, positive_class=positive)
    raise ModelError(f"model.kind '{model.kind}' has no adapter.")
