"""Real-world files read as they are: no header, preamble lines, separators, encodings, missing markers, filters."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ethicscheck.config import RowPredicate, config_from_dict
from ethicscheck.data import apply_filter, load_dataset
from ethicscheck.errors import DataError


def load(path, **data):
    block = {"path": str(path), "label": {"column": "label", "positive": ">50K"}, "sensitive_features": [{"column": "race"}]}
    block.update(data)
    return load_dataset(config_from_dict({"name": "t", "data": block, "model": {"kind": "precomputed", "decision_column": "label"}}))


# UCI Adult's layout: no header, ", " separators, "?" for missing values.
UCI_ROWS = "39, State-gov, White, <=50K\n50, ?, Black, >50K\n38, Private, ?, <=50K\n53, Private, Black, >50K\n"
UCI_COLUMNS = ["age", "workclass", "race", "label"]


def test_header_less_file_with_missing_markers(tmp_path):
    path = tmp_path / "adult.data"
    path.write_text(UCI_ROWS)
    dataset = load(path, format="csv", header=False, columns=UCI_COLUMNS, na_values=["?"])
    assert list(dataset.frame.columns) == UCI_COLUMNS
    assert dataset.y_true.tolist() == [False, True, False, True]
    assert dataset.frame["workclass"].isna().tolist() == [False, True, False, False]
    assert dataset.frame["race"].isna().tolist() == [False, False, True, False]  # the group '(missing)', not '?'


def test_without_na_values_the_marker_stays_a_value(tmp_path):
    path = tmp_path / "adult.data"
    path.write_text(UCI_ROWS)
    dataset = load(path, format="csv", header=False, columns=UCI_COLUMNS)
    assert dataset.frame["race"].astype(str).str.strip().tolist()[2] == "?"


def test_wrong_number_of_column_names(tmp_path):
    path = tmp_path / "adult.csv"
    path.write_text(UCI_ROWS)
    with pytest.raises(DataError, match="has 4 columns but data.columns names 3"):
        load(path, header=False, columns=["age", "race", "label"])


def test_skip_rows_delimiter_and_encoding(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes("exported 2024-01-01\nsource: registry\nlabel;race;note\n>50K;Mäori;café\n<=50K;White;x\n".encode("latin-1"))
    with pytest.raises(DataError, match="not utf-8 text. Set data.encoding"):
        load(path, skip_rows=2, delimiter=";")
    dataset = load(path, skip_rows=2, delimiter=";", encoding="latin-1")
    assert dataset.frame["note"].tolist() == ["café", "x"]
    assert dataset.frame["race"].tolist() == ["Mäori", "White"]


def test_na_values_in_jsonl_and_categorical_columns(tmp_path):
    frame = pd.DataFrame({"label": [">50K", "<=50K", ">50K"], "race": [" ?", "White", "Black"]})
    frame.to_json(tmp_path / "d.jsonl", orient="records", lines=True)
    assert load(tmp_path / "d.jsonl", na_values=["?"]).frame["race"].isna().tolist() == [True, False, False]
    frame.to_csv(tmp_path / "d.csv", index=False)  # the race column is read as a categorical (a group column)
    assert load(tmp_path / "d.csv", na_values=["?"]).frame["race"].isna().tolist() == [True, False, False]


COMPAS_LIKE = pd.DataFrame(
    {
        "label": [">50K", "<=50K", ">50K", "<=50K", ">50K", "<=50K"],
        "race": ["a", "b", "a", "b", "a", "b"],
        "days": [0, -31, 30, None, 5, -30],
        "is_recid": [1, 0, -1, 1, 0, 0],
        "degree": ["F", "M", "F", "O", "M", "F"],
    }
)


@pytest.mark.parametrize(
    ("predicate", "kept"),
    [
        ({"column": "days", "between": [-30, 30]}, [0, 2, 4, 5]),  # missing satisfies no comparison
        ({"column": "days", "at_most": 0}, [0, 1, 5]),
        ({"column": "days", "less_than": 0}, [1, 5]),
        ({"column": "days", "at_least": 30}, [2]),
        ({"column": "days", "greater_than": 29.5}, [2]),
        ({"column": "is_recid", "not_equal": -1}, [0, 1, 3, 4, 5]),
        ({"column": "is_recid", "equal": "1"}, [0, 3]),  # numbers compare as numbers, whatever the spelling
        ({"column": "degree", "not_equal": "O"}, [0, 1, 2, 4, 5]),
        ({"column": "degree", "in": ["F", "M"]}, [0, 1, 2, 4, 5]),
        ({"column": "degree", "not_in": ["F"]}, [1, 3, 4]),
        ({"column": "days", "missing": True}, [3]),
        ({"column": "days", "missing": False}, [0, 1, 2, 4, 5]),
        ({"column": "days", "not_equal": 0}, [1, 2, 4, 5]),  # the missing row is dropped, as in dplyr
    ],
)
def test_predicates(predicate, kept):
    filtered, steps = apply_filter(COMPAS_LIKE, [RowPredicate.model_validate(predicate)], source="f.csv")
    assert filtered["days"].isna().tolist() == COMPAS_LIKE.loc[kept, "days"].isna().tolist()
    assert filtered["label"].tolist() == COMPAS_LIKE.loc[kept, "label"].tolist()
    assert (steps[0].rows_before, steps[0].rows_after) == (6, len(kept))


def test_filter_is_recorded_with_counts_in_order(tmp_path):
    COMPAS_LIKE.to_csv(tmp_path / "c.csv", index=False)
    dataset = load(
        tmp_path / "c.csv",
        filter=[{"column": "days", "between": [-30, 30]}, {"column": "is_recid", "not_equal": -1}, {"column": "degree", "not_equal": "O"}],
    )
    assert dataset.rows_read == 6 and dataset.n_rows == 3
    assert [(s.predicate, s.rows_before, s.rows_after) for s in dataset.filter_steps] == [
        ("days between -30 and 30", 6, 4),
        ("is_recid != -1", 4, 3),
        ("degree != O", 3, 3),
    ]
    assert dataset.frame.index.tolist() == [0, 1, 2]  # positions line up with y_true and predictions


def test_filter_that_keeps_nothing(tmp_path):
    COMPAS_LIKE.to_csv(tmp_path / "c.csv", index=False)
    with pytest.raises(DataError, match="data.filter keeps no row of 6"):
        load(tmp_path / "c.csv", filter=[{"column": "days", "greater_than": 100}])


@settings(max_examples=50, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(-50, 50)), min_size=1, max_size=30), st.integers(-40, 40), st.integers(0, 40))
def test_between_is_the_conjunction_of_at_least_and_at_most(values, low, width):
    frame = pd.DataFrame({"x": pd.array(values, dtype="Int64").astype("float")})
    between = (
        apply_filter(frame, [RowPredicate(column="x", between=(low, low + width))], source="f")[0]
        if any(v is not None and low <= v <= low + width for v in values)
        else None
    )
    both = [RowPredicate(column="x", at_least=low), RowPredicate(column="x", at_most=low + width)]
    if between is None:
        with pytest.raises(DataError, match="keeps no row"):
            apply_filter(frame, both, source="f")
    else:
        assert between["x"].tolist() == apply_filter(frame, both, source="f")[0]["x"].tolist()
