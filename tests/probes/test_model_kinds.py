"""The probes work with every model kind that scores text, through that kind's own adapter and batching: the same
text model served as skops, ONNX, an MLflow model and an HTTP endpoint gives the same probe results."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from ethicscheck.config import config_from_dict
from ethicscheck.data import load_dataset
from ethicscheck.models import load_detector
from ethicscheck.probes import ProbeResult, ProbeSettings, run_probes

SETTINGS = ProbeSettings(lexicons=("nationality",), languages=("en",), max_texts_per_term=30, n_boot=100, seed=3)
NATIONALITIES = ("Filipino", "Nepali", "Nigerian", "Romanian")


@pytest.fixture(scope="module")
def text_model(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Ads whose labels follow 'Nigerian' (a planted word effect) and a word-count logistic model fitted on them."""
    folder = tmp_path_factory.mktemp("text_model")
    rng = np.random.default_rng(0)
    n = 240
    nationality = rng.choice(NATIONALITIES, n)
    urgent = rng.random(n) < 0.4
    texts = [f"Cleaners needed. {t} workers welcome." + (" Start immediately." if u else "") for t, u in zip(nationality, urgent)]
    label = (rng.random(n) < 0.15 + 0.5 * urgent + 0.3 * (nationality == "Nigerian")).astype(int)
    frame = pd.DataFrame({"ad_id": np.arange(n), "text": texts, "label": label, "site": rng.choice(["a", "b"], n)})
    path = folder / "ads.csv"
    frame.to_csv(path, index=False)
    # lowercase=False: ONNX lowercases with a locale (en_US.UTF-8) that minimal machines lack; the words are cased alike here.
    words = CountVectorizer(lowercase=False)
    model = Pipeline([("words", words), ("classifier", LogisticRegression(C=10.0))]).fit(frame["text"], frame["label"])
    return {"folder": folder, "path": path, "frame": frame, "model": model}


def _probe(text_model: dict[str, Any], model: dict[str, Any], tracking_uri: str = "sqlite:///:memory:") -> ProbeResult:
    config = config_from_dict(
        {
            "name": "kinds",
            "data": {
                "path": str(text_model["path"]),
                "label": {"column": "label"},
                "id_column": "ad_id",
                "text_column": "text",
                "sensitive_features": [{"column": "site"}],
            },
            "model": model,
        }
    )
    dataset = load_dataset(config)
    detector = load_detector(config, dataset, tracking_uri=tracking_uri)
    y_true = dataset.frame["label"].to_numpy() == 1
    return run_probes(dataset.frame, detector, text_column="text", y_true=y_true, settings=SETTINGS)


def _figures(result: ProbeResult) -> dict[str, Any]:
    lexicon = result.lexicon("nationality")
    return {
        t.target: (t.negative.flips_up.numerator, t.negative.score_finding, t.negative.score_delta_beyond_control.value)  # type: ignore[union-attr]
        for t in lexicon.targets
        if t.negative is not None
    }


@pytest.fixture(scope="module")
def reference(text_model: dict[str, Any]) -> dict[str, Any]:
    import skops.io as sio

    path = text_model["folder"] / "model.skops"
    sio.dump(text_model["model"], path)
    figures = _figures(_probe(text_model, {"kind": "sklearn", "path": str(path)}))
    assert figures["nigerian"][1] == "higher"  # the planted word is found
    return figures


def _same(figures: dict[str, Any], reference: dict[str, Any], atol: float) -> None:
    assert figures.keys() == reference.keys()
    for target, (flips, finding, delta) in reference.items():
        assert figures[target][:2] == (flips, finding), target
        assert figures[target][2] == pytest.approx(delta, abs=atol), target


def test_onnx_text_model(text_model: dict[str, Any], reference: dict[str, Any]) -> None:
    from skl2onnx import to_onnx
    from skl2onnx.common.data_types import StringTensorType

    path = text_model["folder"] / "model.onnx"
    onnx_model = to_onnx(
        text_model["model"],
        initial_types=[("text", StringTensorType([None, 1]))],
        options={id(text_model["model"].steps[-1][1]): {"zipmap": False}},
        target_opset=17,
    )
    path.write_bytes(onnx_model.SerializeToString())
    _same(_figures(_probe(text_model, {"kind": "onnx", "path": str(path)})), reference, atol=1e-5)


def test_mlflow_text_model(text_model: dict[str, Any], reference: dict[str, Any]) -> None:
    import mlflow
    from sklearn.compose import ColumnTransformer

    # An MLflow model takes a table: the same model, its words read from the table's text column.
    frame = text_model["frame"]
    words = ColumnTransformer([("words", CountVectorizer(lowercase=False), "text")])
    model = Pipeline([("words", words), ("classifier", LogisticRegression(C=10.0))]).fit(frame[["text"]], frame["label"])
    saved = text_model["folder"] / "mlflow_model"
    # Requirements given, so MLflow does not infer them by loading the model in a subprocess (about 50 s, and nothing this
    # test reads: ethicscheck loads the skops flavor from MLmodel itself).
    mlflow.sklearn.save_model(
        model, str(saved), serialization_format="skops", pyfunc_predict_fn="predict_proba", pip_requirements=["scikit-learn", "skops"]
    )
    _same(_figures(_probe(text_model, {"kind": "mlflow", "uri": str(saved)})), reference, atol=1e-9)


@contextmanager
def _scoring_server(model: Pipeline) -> Iterator[str]:
    """An endpoint on 127.0.0.1 speaking MLflow's protocol (``dataframe_split`` in, ``predictions`` out)."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            split = body["dataframe_split"]
            texts = [row[split["columns"].index("text")] for row in split["data"]]
            payload = json.dumps({"predictions": model.predict_proba(texts)[:, 1].tolist()}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_http_text_model_in_batches(text_model: dict[str, Any], reference: dict[str, Any]) -> None:
    with _scoring_server(text_model["model"]) as url:
        _same(_figures(_probe(text_model, {"kind": "http", "url": url, "batch_size": 97, "timeout_s": 30})), reference, atol=1e-12)


def test_a_path_in_the_settings_is_published_by_name(tmp_path: Path) -> None:
    published = ProbeSettings(lexicon_files=(tmp_path / "mine.yaml",)).to_dict()
    assert published["lexicon_file_names"] == ["mine.yaml"] and str(tmp_path) not in json.dumps(published)
