"""MLflow models by URI (runs:/..., models:/name/version, models:/name@alias, or a model folder), loaded offline.

ethicscheck reads the model's ``MLmodel`` file itself. An ONNX flavor, or a scikit-learn flavor saved
with skops, is loaded straight from its file (onnxruntime; skops with ethicscheck's trusted types),
never through ``mlflow.pyfunc``: code bundled with the model (a ``python_function`` ``loader_module``,
``code_paths``, a pickled python model) is then never imported, whatever else ``MLmodel`` declares.
Any other model loads only through ``mlflow.pyfunc``, which imports or unpickles that code, so it needs
``model.allow_pickle: true``; the refusal names what would run.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from ethicscheck._net import DEFAULT_TRACKING_TIMEOUT, bounded_mlflow, require_tracking
from ethicscheck.config import MlflowModelConfig, OnnxModelConfig
from ethicscheck.data import file_sha256
from ethicscheck.errors import ModelError, require_supported_mlflow
from ethicscheck.models._batch import BatchDetector
from ethicscheck.models._guard import user_code
from ethicscheck.models._inputs import InputSpec, LoadContext
from ethicscheck.models._onnx import OnnxDetector, open_session
from ethicscheck.models._protocol import ModelInfo, Predictions
from ethicscheck.models._sklearn import EstimatorDetector, load_skops

__all__ = ["PyfuncDetector", "bundled_code", "load_mlflow", "registered_version"]


class PyfuncDetector(BatchDetector):
    """Calls ``mlflow.pyfunc`` ``predict`` on the input columns and reads its output."""

    def __init__(self, model: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.model = model

    def _score(self, batch: pd.DataFrame) -> Predictions:
        with user_code(self.info.source, doing="scoring rows"):
            raw = self.model.predict(batch[self.inputs.columns])
        return self._read(raw, len(batch))


def load_mlflow(
    config: MlflowModelConfig, *, inputs: InputSpec, positive_class: Any, context: LoadContext
) -> EstimatorDetector | OnnxDetector | PyfuncDetector:
    """Resolve and load the model behind ``config.uri`` without running its code unless allowed.

    ``runs:/`` and ``models:/`` URIs resolve against ``context.tracking_uri`` within ``context.timeout_s``.

    Raises
    ------
    ModelError
        The URI does not resolve, the model would run code and ``allow_pickle`` is false, or loading
        or its bundled code failed.
    """
    require_supported_mlflow()
    tracking_uri, timeout = context.tracking_uri, context.timeout_s
    if config.uri.startswith(("runs:/", "models:/")):
        require_tracking(tracking_uri, timeout=timeout)
    import mlflow

    mlflow.set_tracking_uri(tracking_uri)
    try:
        with bounded_mlflow(timeout):
            model_info = mlflow.models.get_model_info(config.uri)  # reads MLmodel only
            # a client opens (and, for sqlite, creates) the tracking store: only a registry URI needs one
            registered = (
                registered_version(config.uri, mlflow.MlflowClient(tracking_uri=tracking_uri))
                if config.uri.startswith("models:/")
                else None
            )
    except Exception as exc:  # MlflowException, OSError, YAML and HTTP errors alike: the URI does not resolve
        raise ModelError(f"MLflow model '{config.uri}' could not be resolved at {tracking_uri}: {str(exc).splitlines()[0][:200]}") from None
    flavors: dict[str, dict[str, Any]] = model_info.flavors or {}
    details = {"model_uuid": str(model_info.model_uuid or ""), "run_id": str(model_info.run_id or "")}
    if registered is not None:
        details["registered_model"], details["model_version"] = registered
    common: dict[str, Any] = {"inputs": inputs, "positive_class": positive_class}
    if "onnx" in flavors:
        with _downloaded(config.uri) as folder:
            path = _flavor_file(folder, flavors["onnx"], "data", config.uri)
            info = ModelInfo(kind="mlflow", source=config.uri, sha256=file_sha256(path), flavor="onnx", details=details)
            onnx = OnnxModelConfig(kind="onnx", path=path, threshold=config.threshold, batch_size=config.batch_size)
            return OnnxDetector(open_session(path), config=onnx, info=info, **common)
    if flavors.get("sklearn", {}).get("serialization_format") == "skops":
        with _downloaded(config.uri) as folder:
            path = _flavor_file(folder, flavors["sklearn"], "pickled_model", config.uri)
            estimator = load_skops(path, config.trusted_types, source=config.uri)
            info = ModelInfo(kind="mlflow", source=config.uri, sha256=file_sha256(path), flavor="sklearn", details=details)
        return EstimatorDetector(
            estimator, threshold=config.threshold, batch_size=config.batch_size, info=info, output=config.output, **common
        )
    code = bundled_code(flavors)
    if not config.allow_pickle:
        raise ModelError(
            f"MLflow model '{config.uri}' would run code when loaded: {'; '.join(code)}. Log it as ONNX or with "
            "serialization_format='skops', or set model.allow_pickle: true if you trust whoever wrote that code."
        )
    flavor = next((f for f in flavors if f != "python_function"), "python_function")
    info = ModelInfo(kind="mlflow", source=config.uri, flavor=flavor, details=details)
    with user_code(config.uri, doing="loading it with mlflow (model.allow_pickle: true)"), _pickle_allowed():
        if flavor == "sklearn" and config.output == "auto":  # as an estimator, predict_proba gives scores
            estimator = mlflow.sklearn.load_model(config.uri)
            return EstimatorDetector(estimator, threshold=config.threshold, batch_size=config.batch_size, info=info, **common)
        model = mlflow.pyfunc.load_model(config.uri)
    return PyfuncDetector(model, threshold=config.threshold, batch_size=config.batch_size, info=info, output=config.output, **common)


def bundled_code(flavors: dict[str, dict[str, Any]]) -> list[str]:
    """What loading through ``mlflow.pyfunc`` would import or unpickle, in words for an error message."""
    found = []
    pyfunc = flavors.get("python_function", {})
    loader = pyfunc.get("loader_module")
    if loader:
        found.append(f"python_function imports loader_module '{loader}'")
    for name, conf in flavors.items():
        if conf.get("code"):
            found.append(f"the {name} flavor puts bundled code folder '{conf['code']}' first on the import path")
    if pyfunc.get("python_model") or pyfunc.get("cloudpickle_version"):
        found.append(f"python_function unpickles '{pyfunc.get('python_model', 'python_model.pkl')}' with cloudpickle")
    sklearn = flavors.get("sklearn")
    if sklearn is not None:
        found.append(
            f"the sklearn flavor unpickles '{sklearn.get('pickled_model', 'model.pkl')}' ({sklearn.get('serialization_format', 'pickle')})"
        )
    custom = [f for f in flavors if f not in ("python_function", "sklearn", "onnx")]
    if custom:
        found.append(f"flavor(s) {', '.join(repr(f) for f in custom)} load through their own Python code")
    return found or ["MLmodel declares no ONNX or skops flavor that could be read without code"]


def registered_version(uri: str, client: Any) -> tuple[str, str] | None:
    """``(name, version)`` for ``models:/name/version`` or ``models:/name@alias``; None for other URIs."""
    if not uri.startswith("models:/"):
        return None
    reference = uri.removeprefix("models:/").strip("/")
    if "@" in reference:
        name, alias = reference.split("@", 1)
        return name, str(client.get_model_version_by_alias(name, alias).version)
    name, _, version = reference.partition("/")
    return (name, version) if version.isdigit() else None


@contextmanager
def _downloaded(uri: str) -> Iterator[Path]:
    """The model's files in a temporary folder (downloading runs nothing), removed after loading."""
    import mlflow

    with tempfile.TemporaryDirectory(prefix="ethicscheck-model-") as folder:
        try:
            with bounded_mlflow(DEFAULT_TRACKING_TIMEOUT):
                local = mlflow.artifacts.download_artifacts(artifact_uri=uri, dst_path=folder)
        except Exception as exc:
            raise ModelError(f"MLflow model '{uri}' could not be downloaded: {str(exc).splitlines()[0][:200]}") from None
        yield Path(local)


def _flavor_file(folder: Path, conf: dict[str, Any], key: str, uri: str) -> Path:
    """The flavor's model file, which must lie inside the model folder."""
    name = conf.get(key)
    path = (folder / str(name)).resolve() if name else folder
    if not name or not path.is_relative_to(folder.resolve()) or not path.is_file():
        raise ModelError(f"MLflow model '{uri}': MLmodel names {key} {name!r}, which is not a file inside the model folder.")
    return path


@contextmanager
def _pickle_allowed() -> Iterator[None]:
    """MLflow refuses to unpickle unless told; the user's ``allow_pickle: true`` is that consent, for this load only."""
    previous = os.environ.get("MLFLOW_ALLOW_PICKLE_DESERIALIZATION")
    os.environ["MLFLOW_ALLOW_PICKLE_DESERIALIZATION"] = "true"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("MLFLOW_ALLOW_PICKLE_DESERIALIZATION", None)
        else:
            os.environ["MLFLOW_ALLOW_PICKLE_DESERIALIZATION"] = previous
