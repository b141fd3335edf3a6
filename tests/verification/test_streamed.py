"""Comparisons read in batches give the in-memory reader's counts, statistics and errors, to the last digit."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ethicscheck.audit import run_audit
from ethicscheck.config import RowPredicate, config_from_dict
from ethicscheck.data import read_columns
from ethicscheck.engines._wire import decode, encode
from ethicscheck.errors import DataError
from ethicscheck.synth import ComparisonSpec, generate_comparisons
from ethicscheck.verification import (
    BatchSource,
    ComparisonColumns,
    Comparisons,
    SideFeature,
    assess_counted,
    count_comparisons,
    stream_comparisons,
    verification_settings,
)
from ethicscheck.verification._streamed import ComparisonTally, SubjectIds, TopScores

COLUMNS = ComparisonColumns(
    genuine_column="same_person",
    subject_columns=("subject_a", "subject_b"),
    features=(SideFeature("sex", "sex_a", "sex_b"), SideFeature("region", "region_a", "region_b")),
    score_column="similarity",
)


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    """Generated comparisons, shuffled, so the in-memory reader numbers subjects in another order than batches meet them:
    three subjects appear only on side B, one only in the last rows."""
    spec = ComparisonSpec(fmr_factor={"female": 3.0, "male": 1.0}, subjects_per_group=40, impostors_per_group=1_500, cross_impostors=400)
    frame = generate_comparisons(spec, seed=3).sample(frac=1.0, random_state=1).reset_index(drop=True)
    subjects = sorted(set(frame.subject_a))
    only_b, last = set(subjects[:3]), subjects[-1]
    frame = frame[~(frame.subject_a.isin(only_b) & (frame.subject_b.isin(only_b) | (frame.same_person == 1)))]
    swap = frame.subject_a.isin(only_b).to_numpy()
    for column in ("subject", "sex", "region"):
        a, b = frame[f"{column}_a"].to_numpy().copy(), frame[f"{column}_b"].to_numpy().copy()
        frame[f"{column}_a"], frame[f"{column}_b"] = np.where(swap, b, a), np.where(swap, a, b)
    late = ((frame.subject_a == last) | (frame.subject_b == last)).to_numpy()
    frame = pd.concat([frame[~late], frame[late]], ignore_index=True)
    frame["similarity"] = frame["similarity"].round(2)  # ties at the thresholds
    frame["matched"] = np.where(frame["similarity"] > 1.0, "yes", "no")
    frame["site"] = np.where(np.arange(len(frame)) % 5 == 0, "lab", "field")
    return frame


@pytest.fixture(scope="module")
def files(table, tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("streamed")
    folder = root / "parts"
    folder.mkdir()
    arrow = pa.Table.from_pandas(table, preserve_index=False)
    for part, start in enumerate(range(0, len(table), 1_300)):
        pq.write_table(arrow.slice(start, 1_300), folder / f"part-{part:02d}.parquet")
    table.to_csv(root / "c.csv", index=False)
    table.to_parquet(root / "c.parquet", index=False, row_group_size=700)
    return {"csv": root / "c.csv", "parquet": root / "c.parquet", "folder": folder}


def _settings(columns: ComparisonColumns, **options):  # type: ignore[no-untyped-def]
    return verification_settings(
        has_score=columns.score_column is not None,
        higher_is_more_similar=columns.higher_is_more_similar,
        targets=(1e-2, 1e-3),
        thresholds=(0.8,) if columns.score_column else (),
        n_boot=30,
        seed=4,
        **options,
    )


def _in_memory(frame: pd.DataFrame, columns: ComparisonColumns):  # type: ignore[no-untyped-def]
    settings = _settings(columns)
    return assess_counted(count_comparisons(Comparisons.from_frame(frame, **columns.keywords()), settings), settings)


def _streamed(path: Path, columns: ComparisonColumns, *, batch_rows: int = 600, predicates=()):  # type: ignore[no-untyped-def]
    settings = _settings(columns)
    source = BatchSource(path, batch_rows=batch_rows, predicates=predicates)
    available = [str(n) for n in pq.ParquetDataset(path).schema.names] if path.is_dir() else read_columns(path)
    streamed = stream_comparisons(source, columns, settings, available=available)
    return assess_counted(streamed.counted, settings), streamed


@pytest.mark.parametrize("kind", ["csv", "parquet", "folder"])
def test_streamed_statistics_equal_the_in_memory_ones(table, files, kind):
    expected = _in_memory(table, COLUMNS)
    result, streamed = _streamed(files[kind], COLUMNS)
    assert streamed.batches > 3
    assert result.to_dict() == expected.to_dict()


@pytest.mark.parametrize(
    "columns",
    [
        replace(COLUMNS, higher_is_more_similar=False),  # distances
        replace(COLUMNS, score_column=None, decision_column="matched", match_value="yes"),  # decisions only
        replace(COLUMNS, intersections="none"),
    ],
    ids=["distance", "decisions", "no-intersections"],
)
def test_distances_decisions_and_intersections_stream_the_same(table, files, columns):
    assert _streamed(files["parquet"], columns)[0].to_dict() == _in_memory(table, columns).to_dict()


def test_a_filter_keeps_the_same_comparisons(table, files):
    site = RowPredicate(column="site", equal="field")
    result, streamed = _streamed(files["csv"], COLUMNS, predicates=(site,))
    assert streamed.rows_read == len(table)
    assert result.to_dict() == _in_memory(table[table.site == "field"].reset_index(drop=True), COLUMNS).to_dict()


def _bad_label(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(same_person=np.where(frame.same_person == 1, "same", "different"))


@pytest.mark.parametrize(
    "change",
    [
        lambda f: f.drop(columns="region_b"),
        _bad_label,  # the genuine column holds other values than data.label.positive
        lambda f: f.assign(subject_b=f.subject_b.where(np.arange(len(f)) != 2321)),
        lambda f: f.assign(same_person=f.same_person.where(np.arange(len(f)) % 1000 != 7)),
        lambda f: f.assign(sex_a=f.sex_a.where(np.arange(len(f)) != 3000, "female")),
        lambda f: f.assign(similarity=f.similarity.astype(object).where(np.arange(len(f)) != 3001, "high")),
        lambda f: f.assign(same_person=np.where(np.arange(len(f)) == 1500, 1, f.same_person)),
        lambda f: f[f.same_person == 1],
    ],
    ids=[
        "column-missing",
        "label-values",
        "subject-empty",
        "genuine-empty",
        "attributes-disagree",
        "score-text",
        "genuine-of-two",
        "no-impostor",
    ],
)
def test_bad_comparisons_stop_with_the_in_memory_message(table, tmp_path, change):
    bad = change(table.copy()).reset_index(drop=True)
    path = tmp_path / "bad.csv"
    bad.to_csv(path, index=False)
    with pytest.raises(DataError) as in_memory:
        Comparisons.from_frame(pd.read_csv(path, dtype={c: "category" for c in COLUMNS.grouping if c in bad}), **COLUMNS.keywords())
    with pytest.raises(DataError) as streamed:
        _streamed(path, COLUMNS, batch_rows=500)
    assert str(streamed.value) == str(in_memory.value)


def test_top_scores_keep_the_largest_values_with_their_ties():
    rng = np.random.default_rng(0)
    values = rng.integers(0, 50, 10_000).astype(float)
    top = TopScores(137)
    for part in np.array_split(values, 13):
        top.add(part)
    assert np.array_equal(np.sort(top.kept), np.sort(values)[-137:])


def test_subjects_are_numbered_as_in_memory_side_a_first():
    a = pd.Series(["p3", "p1", "p3", "p9", "p1"])
    b = pd.Series(["p7", "p3", "p2", "p1", "p8"])
    ids = SubjectIds()
    arrival = []
    for rows in (slice(0, 2), slice(2, 5)):
        arrival.append((ids.add(a[rows], 0), ids.add(b[rows], 1)))
    order = ids.order()
    codes, _ = pd.factorize(pd.concat([a, b], ignore_index=True))
    assert order[np.concatenate([x for x, _ in arrival])].tolist() == codes[:5].tolist()
    assert order[np.concatenate([y for _, y in arrival])].tolist() == codes[5:].tolist()


def audit_config(path: Path, engine: str, **sections: Any) -> Any:
    """A verification audit of ``path`` on ``engine`` (with data.filter, intersections, targets and a fixed threshold)."""
    raw: dict[str, Any] = {
        "name": "faces",
        "task": "verification",
        "data": {
            "path": str(path),
            "engine": engine,
            "batch_rows": 1_000,
            "label": {"column": "same_person"},
            "sensitive_features": [{"column": "sex", "reference": "male"}, {"column": "region"}],
            "filter": [{"column": "site", "not_equal": "lab"}],
        },
        "verification": {"score_column": "similarity", "targets": [1e-2, 1e-3], "thresholds": [0.8]},
        "fairness": {"n_boot": 30},
        "gates": [{"metric": "fmr_ratio@1e-02", "scope": "sex", "threshold": 1.5}],
        "tracking": {"enabled": False},
        **sections,
    }
    return config_from_dict(raw)


def audit_json(path: Path, engine: str, out: Path, **sections: Any) -> dict[str, Any]:
    """audit.json of a whole verification audit, without what varies between runs and engines."""
    run_audit(audit_config(path, engine, **sections), out_dir=out)
    document = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    provenance = document["run"].pop("engine")
    assert provenance["name"] == engine and provenance["rows_read"] > document["data"]["n_rows"]  # data.filter dropped rows
    # Read in several pieces, so that adding them up is tested; but Spark reads a CSV file as one partition (a
    # record may span lines), so there the Parquet folder is the case that tests it.
    one_piece = engine == "pandas" or (engine == "spark" and path.suffix == ".csv")
    assert one_piece or provenance.get("batches", provenance.get("partitions", 0)) > 1
    for key in ("started_at", "finished_at", "timings", "config_digest"):
        document["run"].pop(key)
    for key in ("engine", "path"):
        document["run"]["config"]["data"].pop(key)
    document["data"].pop("file")
    return document


def test_a_streamed_audit_writes_the_in_memoryaudit_json(files, tmp_path, monkeypatch):
    monkeypatch.setattr("ethicscheck._verification_audit.write_verification_cards", lambda *args, **kwargs: [])
    expected = audit_json(files["csv"], "pandas", tmp_path / "pandas")
    assert audit_json(files["csv"], "stream", tmp_path / "stream") == expected
    folder = audit_json(files["folder"], "stream", tmp_path / "folder")
    assert folder.pop("data")["sha256"] != expected.pop("data")["sha256"]  # a folder's digest covers its files
    assert folder == expected


def _tally(frame: pd.DataFrame) -> ComparisonTally:
    tally = ComparisonTally.start(COLUMNS)
    tally.read(frame.astype({c: "category" for c in COLUMNS.grouping}), (), "c.csv")
    return tally


def test_tallies_of_consecutive_parts_merge_into_the_whole_files(table):
    """Spark partitions (or any split of the rows) tally apart; merged in row order they number subjects as one pass."""
    bad = table.assign(similarity=table.similarity.where(table.index != 2222))
    whole = _tally(bad)
    merged = ComparisonTally.start(COLUMNS)
    for part in np.array_split(np.arange(len(bad)), 5):
        merged.absorb(decode(encode(_tally(bad.iloc[part].reset_index(drop=True)))))  # as JSON, the way Spark sends it
    assert (merged.rows, merged.n_genuine, merged.first_bad_score[0]) == (whole.rows, whole.n_genuine, 2222)
    with pytest.raises(DataError, match="first at row 2223: nan"):
        merged.check()
    merged.first_bad_score = whole.first_bad_score = None
    ours, theirs = merged.settle(Path("c.csv"), (), None), whole.settle(Path("c.csv"), (), None)
    assert ours.code[ours.ids.get_indexer(theirs.ids)].tolist() == theirs.code.tolist()
    assert [(f.labels, f.codes.tolist()) for f in ours.features] == [(f.labels, f.codes.tolist()) for f in theirs.features]
