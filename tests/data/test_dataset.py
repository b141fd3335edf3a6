from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ethicscheck.config import config_from_dict
from ethicscheck.data import binary_labels, load_dataset, read_table
from ethicscheck.errors import DataError


def config_for(path, **data):
    base = {"path": str(path), "label": {"column": "label"}, "sensitive_features": [{"column": "group"}]}
    base.update(data)
    return config_from_dict({"name": "t", "data": base, "model": {"kind": "precomputed", "decision_column": "flagged"}})


@pytest.fixture
def frame():
    return pd.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "group": ["a", "b", None, "ü<b>"],
            "label": [0, 1, 0, 1],
            "flagged": [1, 1, 0, 0],
            "text": ["x", "y", "z", "w"],
        }
    )


@pytest.mark.parametrize("suffix", ["csv", "parquet", "jsonl"])
def test_reads_each_format(tmp_path, frame, suffix):
    path = tmp_path / f"data.{suffix}"
    {
        "csv": lambda: frame.to_csv(path, index=False),
        "parquet": lambda: frame.to_parquet(path),
        "jsonl": lambda: frame.to_json(path, orient="records", lines=True),
    }[suffix]()
    dataset = load_dataset(config_for(path))
    assert dataset.n_rows == 4
    assert dataset.y_true.tolist() == [False, True, False, True]
    assert len(dataset.sha256) == 64


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(DataError, match="empty.csv is empty"):
        read_table(path)


def test_header_without_rows(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text("label,group\n")
    with pytest.raises(DataError, match="header but no rows"):
        read_table(path)


def test_unknown_suffix_asks_for_format(tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_text("x")
    with pytest.raises(DataError, match="Set data.format"):
        read_table(path)


def test_missing_column_lists_available(tmp_path, frame):
    path = tmp_path / "d.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError) as info:
        load_dataset(config_for(path, sensitive_features=[{"column": "nationality"}]))
    message = str(info.value)
    assert "'nationality' (data.sensitive_features[0].column)" in message
    assert "Available: id, group, label, flagged, text" in message


def test_nan_labels_are_counted(tmp_path, frame):
    frame.loc[[1, 3], "label"] = np.nan
    path = tmp_path / "d.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match=r"2 of 4 rows have no label \(first at rows 1, 3"):
        load_dataset(config_for(path))


def test_non_binary_label(tmp_path, frame):
    frame["label"] = [0, 1, 2, 1]
    path = tmp_path / "d.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match="must be binary, found 3 values"):
        load_dataset(config_for(path))


def test_positive_value_never_seen(tmp_path, frame):
    frame["label"] = ["no", "yes", "no", "yes"]
    path = tmp_path / "d.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match=r"no row equals data.label.positive \(1\); the column holds 'no' \(2 rows\), 'yes' \(2 rows\)"):
        load_dataset(config_for(path))
    dataset = load_dataset(config_for(path, label={"column": "label", "positive": "yes"}))
    assert dataset.y_true.tolist() == [False, True, False, True]


def test_duplicate_ids(tmp_path, frame):
    frame["id"] = [1, 1, 2, 3]
    path = tmp_path / "d.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match="1 duplicated values"):
        load_dataset(config_for(path, id_column="id"))


def test_not_utf8(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("label,group\n1,caf\xe9\n".encode("latin-1"))
    with pytest.raises(DataError, match="not utf-8 text. Set data.encoding"):
        read_table(path)


@pytest.mark.parametrize(
    ("values", "positive", "expected"),
    [
        ([0, 1, 1], 1, [False, True, True]),
        ([0.0, 1.0], 1, [False, True]),
        (["0", "1"], 1, [False, True]),
        ([True, False], True, [True, False]),
        (["flagged", "clear"], "flagged", [True, False]),
        ([1, 1], 1, [True, True]),  # every row positive: FPR is undefined, not misread
    ],
)
def test_binary_labels_table(values, positive, expected):
    assert binary_labels(pd.Series(values), positive, where="w").tolist() == expected
