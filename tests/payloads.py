"""Harmless payloads that prove whether user code ran: each writes a marker file when executed.

Every way a model can carry code gets one builder here: a pickle, an MLflow model folder whose
``MLmodel`` declares a safe flavor (ONNX, skops) next to a ``python_function`` flavor that imports
bundled code, a ``code_paths`` folder that shadows a library, a cloudpickled python model, and a
custom flavor. Tests assert the marker is absent without opt-in and present with it.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import yaml


class _WritesMarker:
    """Unpickling this object runs ``open(marker, 'w')``: the classic pickle payload, made harmless."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (exec, (f"open({str(self.marker)!r}, 'w').write('payload ran')",))


def pickle_payload(path: Path, marker: Path) -> Path:
    """A .pkl/.joblib file whose loading writes ``marker``."""
    path.write_bytes(pickle.dumps(_WritesMarker(marker)))
    return path


def loader_source(marker: Path) -> str:
    """A python_function loader module: importing it writes the marker; it then serves x1's logistic."""
    return (
        "import numpy as np\n"
        f"open({str(marker)!r}, 'w').write('loader_module ran')\n"
        "class _Model:\n"
        "    def predict(self, frame, params=None):\n"
        "        return 1 / (1 + np.exp(-frame.iloc[:, 0].to_numpy(dtype=float)))\n"
        "def _load_pyfunc(path):\n"
        "    return _Model()\n"
    )


def onnx_bytes(model, n_features: int) -> bytes:  # type: ignore[no-untyped-def]
    from skl2onnx import to_onnx

    return to_onnx(model, np.zeros((1, n_features), dtype=np.float32), target_opset=17).SerializeToString()


def mlflow_folder(folder: Path, marker: Path, *, variant: str, model=None, n_features: int = 2) -> Path:  # type: ignore[no-untyped-def]
    """An MLflow model folder carrying a payload.

    Variants:
    ``onnx+loader``: an ONNX flavor, and a python_function flavor whose loader_module is bundled code.
    ``onnx+shadow``: an ONNX flavor whose python_function uses mlflow.onnx but puts a code folder with
    an ``onnxruntime.py`` first on the import path. ``skops+loader``: a skops sklearn flavor beside a
    bundled loader_module. ``loader``: only a python_function with a bundled loader_module.
    ``python_model``: a cloudpickled python model (mlflow.pyfunc.model). ``custom``: a custom flavor.
    ``pickle``: a pickle-serialized sklearn flavor.
    """
    folder.mkdir(parents=True)
    # A module name per folder: Python caches imported modules, and a cached one would not run again.
    loader = f"evil_loader_{abs(hash(str(folder))):x}"
    code = folder / "code"
    code.mkdir()
    flavors: dict[str, dict] = {}
    pyfunc: dict = {"python_version": "3.11", "env": {"virtualenv": "python_env.yaml"}}
    if variant in ("onnx+loader", "onnx+shadow"):
        (folder / "model.onnx").write_bytes(onnx_bytes(model, n_features))
        flavors["onnx"] = {"code": "code" if variant == "onnx+shadow" else None, "data": "model.onnx", "onnx_version": "1.17.0"}
    if variant == "skops+loader":
        import skops.io as sio

        sio.dump(model, folder / "model.skops")
        flavors["sklearn"] = {"pickled_model": "model.skops", "serialization_format": "skops", "sklearn_version": "1.7.2", "code": None}
    if variant in ("onnx+loader", "skops+loader", "loader", "custom"):
        (code / f"{loader}.py").write_text(loader_source(marker))
        pyfunc.update({"loader_module": loader, "code": "code"})
    if variant == "onnx+shadow":
        (code / "onnxruntime.py").write_text(f"open({str(marker)!r}, 'w').write('shadow module ran')\n")
        pyfunc.update({"loader_module": "mlflow.onnx", "code": "code", "data": "model.onnx"})
    if variant == "python_model":
        pickle_payload(folder / "python_model.pkl", marker)
        pyfunc.update({"loader_module": "mlflow.pyfunc.model", "python_model": "python_model.pkl", "cloudpickle_version": "3.0.0"})
    if variant == "custom":
        flavors["my_flavor"] = {"code": "code", "data": "weights.bin"}
    if variant == "pickle":
        pickle_payload(folder / "model.pkl", marker)
        flavors["sklearn"] = {"pickled_model": "model.pkl", "serialization_format": "cloudpickle", "sklearn_version": "1.7.2", "code": None}
        pyfunc.update({"loader_module": "mlflow.sklearn", "model_path": "model.pkl"})
    flavors["python_function"] = pyfunc
    meta = {
        "flavors": flavors,
        "mlflow_version": "3.17.2",
        "model_uuid": "0123456789abcdef0123456789abcdef",
        "utc_time_created": "2026-01-01 00:00:00.000000",
    }
    (folder / "MLmodel").write_text(yaml.safe_dump(meta))
    (folder / "python_env.yaml").write_text("python: 3.11\nbuild_dependencies: []\ndependencies: []\n")
    return folder


MLFLOW_VARIANTS_SAFE = ("onnx+loader", "onnx+shadow", "skops+loader")
MLFLOW_VARIANTS_CODE = ("loader", "python_model", "custom", "pickle")
