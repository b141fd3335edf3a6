"""MLflow models by URI (runs:/..., models:/name/version, models:/name@alias), loaded offline."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ethicscheck.config import MlflowModelConfig
from ethicscheck.errors import ModelError
from ethicscheck.models._batch import BatchDetector
from ethicscheck.models._inputs import InputSpec
from ethicscheck.models._protocol import ModelInfo, Predictions
from ethicscheck.models._sklearn import EstimatorDetector

__all__ = ["PyfuncDetector", "load_mlflow", "registered_version"]

# Flavors that load without unpickling: skops-serialized scikit-learn and ONNX.
_SAFE = {("sklearn", "skops"), ("onnx", None)}


class PyfuncDetector(BatchDetector):
    """Calls ``mlflow.pyfunc`` ``predict`` on the input columns and reads its output."""

    def __init__(self, model: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.model = model

    def _score(self, batch: pd.DataFrame) -> Predictions:
        try:
            raw = self.model.predict(batch[self.inputs.columns])
        except Exception as exc:
            raise ModelError(f"{self.info.source} failed: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}") from None
        return self._read(raw, len(batch))


def load_mlflow(
    config: MlflowModelConfig, *, inputs: InputSpec, positive_class: Any, tracking_uri: str
) -> EstimatorDetector | PyfuncDetector:
    """Resolve and load the model behind ``config.uri``.

    A scikit-learn model saved by MLflow in the skops format loads as an estimator, so its
    ``predict_proba`` gives scores. Any flavor that unpickles on load (cloudpickle/pickle sklearn,
    custom python models) needs ``allow_pickle: true``.

    Raises
    ------
    ModelError
        The URI does not resolve, or the flavor needs pickle and it is not allowed.
    """
    import mlflow
    from mlflow.exceptions import MlflowException

    mlflow.set_tracking_uri(tracking_uri)
    try:
        model_info = mlflow.models.get_model_info(config.uri)
    except (MlflowException, OSError) as exc:
        raise ModelError(f"MLflow model '{config.uri}' could not be resolved at {tracking_uri}: {str(exc).splitlines()[0][:200]}") from None
    flavors = model_info.flavors
    flavor, serialization = _main_flavor(flavors)
    details = {"model_uuid": str(model_info.model_uuid or ""), "run_id": str(model_info.run_id or "")}
    registered = registered_version(config.uri, mlflow.MlflowClient(tracking_uri=tracking_uri))
    if registered is not None:
        details["registered_model"], details["model_version"] = registered
    info = ModelInfo(kind="mlflow", source=config.uri, flavor=flavor, details=details)
    if (flavor, serialization) not in _SAFE and not config.allow_pickle:
        raise ModelError(
            f"MLflow model '{config.uri}' has flavor '{flavor}' ({serialization or 'python objects'}), which unpickles "
            "code when loaded. Log it with serialization_format='skops' or as ONNX, or set model.allow_pickle: true "
            "if you trust its source."
        )
    try:
        if flavor == "sklearn" and config.output == "auto":  # as an estimator, predict_proba gives scores
            estimator = mlflow.sklearn.load_model(config.uri)
            return EstimatorDetector(
                estimator, inputs=inputs, positive_class=positive_class, threshold=config.threshold, batch_size=config.batch_size, info=info
            )
        model = mlflow.pyfunc.load_model(config.uri)
    except (MlflowException, OSError, ImportError) as exc:
        raise ModelError(f"MLflow model '{config.uri}' failed to load: {str(exc).splitlines()[0][:200]}") from None
    return PyfuncDetector(
        model,
        inputs=inputs,
        positive_class=positive_class,
        threshold=config.threshold,
        batch_size=config.batch_size,
        info=info,
        output=config.output,
    )


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


def _main_flavor(flavors: dict[str, dict[str, Any]]) -> tuple[str, str | None]:
    for name in ("sklearn", "onnx"):
        if name in flavors:
            return name, flavors[name].get("serialization_format") if name == "sklearn" else None
    others = [f for f in flavors if f != "python_function"]
    return (others[0] if others else "python_function"), None
