"""The demo rows as the engines read them, and no cards (audit.json is what the engines must agree on)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.engines.helpers import ROWS, SPARK


@pytest.fixture(scope="module")
def sources(demo_inputs, tmp_path_factory) -> dict[str, Path]:
    """Part of the demo evaluation set as one Parquet file, a folder of three Parquet files and a CSV."""
    root = tmp_path_factory.mktemp("stream_sources")
    frame = pd.read_parquet(demo_inputs.eval_path).head(ROWS)
    frame["score"] = frame["label"].astype(float) * 0.3 + (frame.index % 97) / 140
    frame["flagged"] = frame["score"] >= 0.5
    single = root / "ads.parquet"
    frame.to_parquet(single, index=False, row_group_size=500)  # Spark reads it as several partitions
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


@pytest.fixture(scope="module")
def spark():
    """One SparkSession for a module of Spark tests (the engine's getOrCreate finds it), stopped at the end with its JVM."""
    from ethicscheck.config import SparkConfig
    from ethicscheck.engines import spark_session

    session = spark_session(SparkConfig(**SPARK), app_name="ethicscheck tests")
    yield session
    session.stop()
