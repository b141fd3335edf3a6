"""ONNX models run with onnxruntime, e.g. scikit-learn models converted with skl2onnx."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ethicscheck.config import OnnxModelConfig
from ethicscheck.data import file_sha256
from ethicscheck.errors import ModelError
from ethicscheck.models._batch import BatchDetector
from ethicscheck.models._inputs import InputSpec, LoadContext
from ethicscheck.models._protocol import ModelInfo, Predictions

__all__ = ["OnnxDetector", "load_onnx", "open_session"]

_NUMPY_TYPES = {
    "tensor(float)": np.float32,
    "tensor(double)": np.float64,
    "tensor(int64)": np.int64,
    "tensor(int32)": np.int32,
    "tensor(string)": object,
    "tensor(bool)": np.bool_,
}


class OnnxDetector(BatchDetector):
    """Feeds the input columns to an ONNX graph and reads its probability output.

    One graph input takes all input columns as an ``(n, k)`` tensor; several graph inputs are matched
    to columns by name, each fed as ``(n, 1)``. The score comes from the probability output
    (``score_output``, or the output whose name contains ``prob``): a list of per-class maps (skl2onnx's
    ZipMap) or an ``(n, classes)`` tensor whose last column is the positive class. Without one, the
    first output is read as labels.
    """

    def __init__(self, session: Any, *, config: OnnxModelConfig, **kwargs: Any) -> None:
        super().__init__(threshold=config.threshold, batch_size=config.batch_size, **kwargs)
        self.session = session
        self.config = config
        inputs, info = self.inputs, self.info
        self.graph_inputs = session.get_inputs()
        outputs = [o.name for o in session.get_outputs()]
        self.label_output = outputs[0]
        self.score_output = config.score_output or next((o for o in outputs if "prob" in o.lower()), None)
        if self.score_output is not None and self.score_output not in outputs:
            raise ModelError(f"{info.source}: model.score_output '{self.score_output}' is not an output; outputs are {outputs}.")
        if len(self.graph_inputs) > 1:
            missing = [i.name for i in self.graph_inputs if i.name not in inputs.columns]
            if missing:
                raise ModelError(
                    f"{info.source} has inputs {missing} with no column of the same name in model.input_columns {inputs.columns}."
                )

    def _score(self, batch: pd.DataFrame) -> Predictions:
        feed = self._feed(batch[self.inputs.columns])
        wanted = [self.score_output or self.label_output]
        try:
            (raw,) = self.session.run(wanted, feed)
        except Exception as exc:
            raise ModelError(f"{self.info.source} failed: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}") from None
        return self._read(raw, len(batch), mode="label" if self.score_output is None else "proba")

    def _feed(self, table: pd.DataFrame) -> dict[str, np.ndarray]:
        if len(self.graph_inputs) == 1:
            spec = self.graph_inputs[0]
            return {spec.name: _as_tensor(table, spec.type)}
        return {spec.name: _as_tensor(table[[spec.name]], spec.type) for spec in self.graph_inputs}


def load_onnx(config: OnnxModelConfig, *, inputs: InputSpec, positive_class: Any, context: LoadContext) -> OnnxDetector:
    """Open an ONNX file on the CPU execution provider (``context`` is not needed: the file is local)."""
    path = Path(config.path)
    if not path.is_file():
        raise ModelError(f"Model file {path} does not exist. Check model.path in the config.")
    info = ModelInfo(kind="onnx", source=path.name, sha256=file_sha256(path), flavor="onnx")
    return OnnxDetector(open_session(path), inputs=inputs, config=config, positive_class=positive_class, info=info)


def open_session(path: Path) -> Any:
    """An onnxruntime session on the CPU. An ONNX graph holds no Python code; nothing of the user's runs."""
    try:
        import onnxruntime as ort
    except ImportError:
        raise ModelError("ONNX models need onnxruntime: pip install 'ethicscheck[onnx]'.") from None
    try:
        return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    except Exception as exc:
        raise ModelError(f"{path.name} is not a loadable ONNX model: {str(exc).splitlines()[0][:200]}") from None


def _as_tensor(table: pd.DataFrame, onnx_type: str) -> np.ndarray:
    dtype = _NUMPY_TYPES.get(onnx_type, np.float32)
    values = table.to_numpy()
    if dtype is object:
        return values.astype(str).astype(object)
    return values.astype(dtype)
