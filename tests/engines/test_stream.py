"""The stream engine gives the in-memory audit's audit.json (apart from timings and the engine's provenance)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ethicscheck.config import config_from_dict
from ethicscheck.errors import DataError
from tests.audit_helpers import audit, demo_config

#: What differs between two runs of the same audit whatever the engine (the config names the engine and the path).
_VARYING = ("started_at", "finished_at", "timings", "engine", "config_digest")
_ROWS = 2_000
_PRECOMPUTED = {"kind": "precomputed", "score_column": "score", "decision_column": "flagged"}


def content(outcome: Any) -> dict[str, Any]:
    """audit.json without what varies between runs and engines."""
    document = json.loads(outcome.files["audit.json"].read_text(encoding="utf-8"))
    for key in _VARYING:
        document["run"].pop(key)
    document["run"]["config"]["data"] = {k: v for k, v in document["run"]["config"]["data"].items() if k not in ("engine", "path")}
    for key in ("file", "sha256"):
        document["data"].pop(key)
    return document


@pytest.fixture(scope="module")
def sources(demo_inputs, tmp_path_factory) -> dict[str, Path]:
    """Part of the demo evaluation set as one Parquet file, a folder of three Parquet files and a CSV."""
    root = tmp_path_factory.mktemp("stream_sources")
    frame = pd.read_parquet(demo_inputs.eval_path).head(_ROWS)
    frame["score"] = frame["label"].astype(float) * 0.3 + (frame.index % 97) / 140
    frame["flagged"] = frame["score"] >= 0.5
    single = root / "ads.parquet"
    frame.to_parquet(single, index=False)
    folder = root / "ads_folder"
    folder.mkdir()
    table = pa.Table.from_pandas(frame, preserve_index=False)
    for part, start in enumerate(range(0, len(frame), 700)):
        pq.write_table(table.slice(start, 700), folder / f"part-{part:02d}.parquet")
    csv = root / "ads.csv"
    frame.to_csv(csv, index=False)
    return {"single": single, "folder": folder, "csv": csv}


@pytest.fixture(autouse=True)
def no_cards(monkeypatch):
    """Cards and charts are rendered from audit.json's result; comparing audit.json is the test (and 10x faster)."""
    monkeypatch.setattr("ethicscheck.cards.write_cards", lambda *args, **kwargs: [])


def run(demo_inputs, path: Path, out: Path, *, engine: str, model: dict[str, Any] | None = None) -> Any:
    config = demo_config(
        demo_inputs,
        data={"path": str(path), "engine": engine, "batch_rows": 1_000},
        privacy={"max_rows": 300, "scan_artifacts": False},
        fairness={"n_boot": 100},
    )
    if model is not None:  # replace, not merge, the model section
        config = config_from_dict({**config.model_dump(mode="json", exclude_unset=True), "model": model})
    return audit(config, out, None)


@pytest.mark.parametrize(("source", "model"), [("folder", None), ("csv", _PRECOMPUTED)], ids=["sklearn-parquet-folder", "precomputed-csv"])
def test_stream_equals_in_memory_with_text_scanning(demo_inputs, sources, tmp_path, source, model):
    whole = sources["single"] if source == "folder" else sources["csv"]
    memory = run(demo_inputs, whole, tmp_path / "memory", engine="pandas", model=model)
    streamed = run(demo_inputs, sources[source], tmp_path / "stream", engine="stream", model=model)
    assert streamed.result.privacy is not None and streamed.result.privacy.columns[0].rows_scanned == 300
    assert streamed.result.fairness.has_scores
    assert content(streamed) == content(memory)
    engine = streamed.result.run.engine
    assert engine["name"] == "stream" and engine["rows_read"] == _ROWS and engine["batches"] == (3 if source == "folder" else 2)


def test_stream_refuses_a_label_that_is_not_binary_like_in_memory(demo_inputs, sources, tmp_path):
    frame = pd.read_parquet(sources["single"])
    frame.loc[1500, "label"] = 7  # only in the last batch
    bad = tmp_path / "bad.parquet"
    frame.to_parquet(bad, index=False)
    messages = []
    for engine in ("pandas", "stream"):
        with pytest.raises(DataError) as caught:
            run(demo_inputs, bad, tmp_path / engine, engine=engine)
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
    assert "the label must be binary, found 3 values" in messages[0]
