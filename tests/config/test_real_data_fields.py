"""Config fields for decisions from any column and for real files: what validates and what is refused."""

from __future__ import annotations

import pytest

from ethicscheck.config import config_from_dict
from ethicscheck.errors import ConfigError


def config(model=None, **data):
    block = {"path": "d.csv", "label": {"column": "y"}, "sensitive_features": [{"column": "g"}]}
    block.update(data)
    return config_from_dict({"name": "t", "data": block, "model": model or {"kind": "precomputed", "decision_column": "d"}})


@pytest.mark.parametrize(
    ("model", "data", "message"),
    [
        (
            {"kind": "precomputed", "decision_column": "d", "positive_class": ["Medium", "High"]},
            {},
            "positive_class: one value is expected here, not a list; list several decision values in model.flagged_values",
        ),
        ({"kind": "sklearn", "path": "m.skops", "positive_class": [1, 2]}, {}, "positive_class: one value is expected"),
        (
            {"kind": "precomputed", "decision_column": "d"},
            {"label": {"column": "y", "positive": ["yes", 1]}},
            "positive: one value is expected",
        ),
        ({"kind": "precomputed", "decision_column": "d", "flagged_values": ["H"], "positive_class": "H"}, {}, "not both"),
        ({"kind": "precomputed", "score_column": "s", "flagged_values": ["H"]}, {}, "set decision_column"),
        ({"kind": "precomputed", "decision_column": "d", "not_flagged_values": ["L"]}, {}, "needs flagged_values"),
        (
            {"kind": "precomputed", "decision_column": "d", "flagged_values": ["H", "L"], "not_flagged_values": ["L"]},
            {},
            "both flagged and not",
        ),
        ({"kind": "precomputed", "decision_column": "d", "flagged_values": []}, {}, "at least 1 item"),
        ({"kind": "precomputed", "score_column": "s", "threshold": float("nan")}, {}, "finite number"),
        (None, {"header": False}, "header: false needs columns"),
        (None, {"columns": ["a", "b"]}, "set header: false"),
        (None, {"header": False, "columns": ["a", "a"]}, "lists a name twice"),
        (None, {"delimiter": ";;"}, "at most 1 character"),
        (None, {"encoding": "klingon-8"}, "unknown text encoding"),
        (None, {"skip_rows": -1}, "greater than or equal to 0"),
        (None, {"filter": [{"column": "a"}]}, "exactly one operator"),
        (None, {"filter": [{"column": "a", "equal": 1, "not_equal": 2}]}, "got equal, not_equal"),
        (None, {"filter": [{"column": "a", "between": [30, -30]}]}, "low <= high"),
        (None, {"filter": [{"column": "a", "equal": [1, 2]}]}, "use in / not_in"),
        (None, {"filter": [{"column": "a", "matches": "x"}]}, "unknown field"),
        (None, {"filter": "is_recid != -1"}, "valid list"),  # no expression strings, never eval
    ],
)
def test_refused(model, data, message):
    with pytest.raises(ConfigError, match=message):
        config(model, **data)


def test_accepted_fields_round_trip():
    parsed = config(
        {"kind": "precomputed", "decision_column": "score_text", "flagged_values": ["Medium", "High"], "not_flagged_values": ["Low"]},
        header=False,
        columns=["y", "g", "score_text"],
        skip_rows=2,
        delimiter=";",
        encoding="latin-1",
        na_values=["?"],
        filter=[{"column": "g", "in": ["a", "b"]}, {"column": "days", "between": [-30, 30]}, {"column": "y", "missing": False}],
    )
    assert parsed.model.flagged_values == ["Medium", "High"]
    assert [p.describe() for p in parsed.data.filter] == ["g in [a, b]", "days between -30 and 30", "y is not missing"]
    score = config({"kind": "precomputed", "score_column": "decile", "threshold": 5, "higher_is_riskier": False})
    assert score.model.threshold == 5 and score.model.threshold_is_explicit and not score.model.higher_is_riskier
    assert not config({"kind": "precomputed", "score_column": "p"}).model.threshold_is_explicit


def test_input_columns_switch():
    parsed = config({"kind": "callable", "target": "m:f", "input_columns": "all_but_label"})
    assert parsed.model.input_columns == "all_but_label"
    with pytest.raises(ConfigError):
        config({"kind": "callable", "target": "m:f", "input_columns": "everything"})
