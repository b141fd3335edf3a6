"""Pick and load the adapter that the config's ``model.kind`` names.

Each scoring kind's config class names its loader (``ADAPTER = "module:function"``), so adding a model
kind touches its config class and its adapter module, not this one. The loader is imported only when a
model of its kind is loaded (adapters import their heavy libraries, skops, onnxruntime or mlflow, only
then too).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, Protocol, cast

import pandas as pd

from ethicscheck.config import AuditConfig, PrecomputedModelConfig, ScoringModelConfig
from ethicscheck.data import Dataset, detect_format, scanned_text_columns, text_columns
from ethicscheck.errors import DataError, ModelError
from ethicscheck.models._batch import BatchDetector
from ethicscheck.models._inputs import InputSpec, LoadContext, resolve_inputs
from ethicscheck.models._precomputed import load_precomputed
from ethicscheck.models._protocol import Detector

__all__ = ["Loader", "load_detector", "loader_of"]


class Loader(Protocol):
    """The function a model kind's ``ADAPTER`` names: its config section in, a batch detector out."""

    def __call__(self, config: Any, *, inputs: InputSpec, positive_class: Any, context: LoadContext) -> BatchDetector: ...


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
        auto_series=model.AUTO_SERIES,
        source=dataset.path.name,
        typed=_read_as_text(config),
    )
    context = LoadContext(tracking_uri=tracking_uri, timeout_s=config.tracking.timeout_s, base_dir=base_dir)
    detector = loader_of(model)(model, inputs=inputs, positive_class=positive, context=context)
    # What a model returns is checked against the data's label values, unless the model has its own classes.
    explicit = getattr(model, "positive_class", None) is not None
    detector.label_values = () if explicit else tuple(pd.unique(dataset.frame[dataset.label_column].dropna()))
    return detector


def _read_as_text(config: AuditConfig) -> tuple[str, ...]:
    """The columns a CSV source's reader keeps as text (groups, id), which the model gets typed; none for other sources."""
    data = config.data
    if data.table is not None:
        return ()
    fmt: str = data.format
    if fmt == "auto":
        try:
            fmt = detect_format(Path(data.path))
        except DataError:
            return ()
    # the text column reaches its model as written; the other scanned columns typed, as a CSV reader types them
    scanned = [c for c in scanned_text_columns(config) if c != data.text_column]
    return tuple(dict.fromkeys([*text_columns(data), *scanned])) if fmt == "csv" else ()


def loader_of(model: ScoringModelConfig) -> Loader:
    """The loader ``type(model).ADAPTER`` names.

    Raises
    ------
    ModelError
        The name does not resolve to a function (a registered kind with a wrong ``ADAPTER``).
    """
    target = type(model).ADAPTER
    module_name, _, name = target.partition(":")
    try:
        loader = getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError) as exc:
        raise ModelError(f"model.kind '{getattr(model, 'kind', '?')}': its loader '{target}' cannot be imported ({exc}).") from None
    if not callable(loader):
        raise ModelError(f"model.kind '{getattr(model, 'kind', '?')}': its loader '{target}' is not a function.")
    return cast(Loader, loader)
