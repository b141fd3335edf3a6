"""The stream engine gives the in-memory audit's audit.json (apart from timings and the engine's provenance)."""

from __future__ import annotations

import pandas as pd
import pytest

from ethicscheck.errors import DataError
from tests.engines.helpers import PRECOMPUTED, ROWS, content, run


@pytest.mark.parametrize(("source", "model"), [("folder", None), ("csv", PRECOMPUTED)], ids=["sklearn-parquet-folder", "precomputed-csv"])
def test_stream_equals_in_memory_with_text_scanning(demo_inputs, sources, tmp_path, source, model):
    whole = sources["single"] if source == "folder" else sources["csv"]
    memory = run(demo_inputs, whole, tmp_path / "memory", engine="pandas", model=model)
    streamed = run(demo_inputs, sources[source], tmp_path / "stream", engine="stream", model=model)
    assert streamed.result.privacy is not None and streamed.result.privacy.columns[0].rows_scanned == 300
    assert streamed.result.fairness.has_scores
    assert content(streamed) == content(memory)
    engine = streamed.result.run.engine
    assert engine["name"] == "stream" and engine["rows_read"] == ROWS and engine["batches"] == (3 if source == "folder" else 2)


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


def test_stream_says_why_no_row_is_flagged_like_in_memory(demo_inputs, sources, tmp_path):
    frame = pd.read_parquet(sources["single"]).assign(flagged=False)
    never = tmp_path / "never.parquet"
    frame.to_parquet(never, index=False)
    model = {"kind": "precomputed", "decision_column": "flagged"}
    notes = [
        run(demo_inputs, never, tmp_path / engine, engine=engine, model=model, scan=False).result.model.decision_note
        for engine in ("pandas", "stream")
    ]
    assert notes[0] == notes[1]
    assert notes[0] == "the model returned only False, but model.positive_class is 1 (column 'flagged'): no output matches it"
