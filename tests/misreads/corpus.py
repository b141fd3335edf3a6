"""Silent-misread corpus: inputs that once ran to exit 0 with a wrong reading, and must now exit 2.

Each case is a small evaluation table plus the ``data`` / ``model`` config blocks that go with it, the
substrings the one-line error must contain (the column or field, and the values with their counts)
and substrings it must not contain (free text that would leak into CI logs). ``write_case`` turns a
case into a CSV and a YAML config, so any runner (the CLI test here, the robustness table runner)
can use the same table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

__all__ = ["CASES", "MisreadCase", "write_case", "write_config"]

_N = 40


def _base(**columns: list[Any]) -> dict[str, list[Any]]:
    table: dict[str, list[Any]] = {
        "group": ["a", "b"] * (_N // 2),
        "label": [0, 1, 1, 0] * (_N // 4),
        "decision": [0, 1, 0, 1] * (_N // 4),
    }
    table.update(columns)
    return table


def _with_one(values: list[Any], index: int, value: Any) -> list[Any]:
    out = list(values)
    out[index] = value
    return out


@dataclass(frozen=True)
class MisreadCase:
    id: str
    columns: dict[str, list[Any]]
    model: dict[str, Any]
    expected: tuple[str, ...]
    data: dict[str, Any] = field(default_factory=dict)
    forbidden: tuple[str, ...] = ()


_TEXT_DECISIONS = ["flagged", "clear", "clear", "flagged"] * (_N // 4)
_RISK = ["Low", "Medium", "High", "Low"] * (_N // 4)
_FREE_TEXT = [f"call Anna on 0712 345 {i:03d} about the room" for i in range(_N)]

CASES: tuple[MisreadCase, ...] = (
    MisreadCase(
        "decision-text-with-numeric-positive",
        _base(decision=_TEXT_DECISIONS),
        {"kind": "precomputed", "decision_column": "decision"},
        ("model.decision_column 'decision'", "'clear' (20 rows)", "'flagged' (20 rows)", "model.flagged_values"),
    ),
    MisreadCase(
        "decision-01-with-stray-maybe",
        _base(decision=_with_one([0, 1, 0, 1] * (_N // 4), 7, "maybe")),
        {"kind": "precomputed", "decision_column": "decision"},
        ("model.decision_column 'decision'", "'maybe' (1 row)", "'0' (20 rows)", "'1' (19 rows)"),
    ),
    MisreadCase(
        "decision-yes-no-with-numeric-positive",
        _base(decision=["yes", "no", "no", "yes"] * (_N // 4)),
        {"kind": "precomputed", "decision_column": "decision"},
        ("model.decision_column 'decision'", "'no' (20 rows)", "'yes' (20 rows)"),
    ),
    MisreadCase(
        "decision-single-unknown-value",
        _base(decision=["clear"] * _N),
        {"kind": "precomputed", "decision_column": "decision", "positive_class": "flagged"},
        ("model.decision_column 'decision'", "'clear' (40 rows)", "model.not_flagged_values"),
    ),
    MisreadCase(
        "decision-missing-values",
        _base(decision=_with_one([0, 1, 0, 1] * (_N // 4), 3, None)),
        {"kind": "precomputed", "decision_column": "decision"},
        (
            "model.decision_column 'decision'",
            "1 of 40 rows without a decision",
        ),
    ),
    MisreadCase(
        "positive-class-list",
        _base(decision=_RISK),
        {"kind": "precomputed", "decision_column": "decision", "positive_class": ["Medium", "High"]},
        ("model -> precomputed -> positive_class: one value is expected here, not a list", "Medium", "model.flagged_values"),
    ),
    MisreadCase(
        "flagged-values-leave-values-unlisted",
        _base(decision=_RISK),
        {"kind": "precomputed", "decision_column": "decision", "flagged_values": ["Medium", "High"]},
        ("model.decision_column 'decision'", "neither model.flagged_values nor model.not_flagged_values", "'Low' (20 rows)"),
    ),
    MisreadCase(
        "flagged-values-with-stray-na-text",
        _base(decision=_with_one(_RISK, 5, "N/A ")),
        {"kind": "precomputed", "decision_column": "decision", "flagged_values": ["Medium", "High"], "not_flagged_values": ["Low"]},
        ("model.decision_column 'decision'", "'N/A ' (1 row)"),
    ),
    MisreadCase(
        "label-one-valued-yes-positive-1",
        _base(label=["yes"] * _N),
        {"kind": "precomputed", "decision_column": "decision"},
        ("column 'label'", "no row equals data.label.positive (1)", "'yes' (40 rows)"),
    ),
    MisreadCase(
        "label-yes-no-positive-1",
        _base(label=["yes", "no", "no", "yes"] * (_N // 4)),
        {"kind": "precomputed", "decision_column": "decision"},
        ("column 'label'", "'no' (20 rows)", "'yes' (20 rows)", "data.label.positive"),
    ),
    MisreadCase(
        "label-all-negative",
        _base(label=[0] * _N),
        {"kind": "precomputed", "decision_column": "decision"},
        ("column 'label'", "no row equals data.label.positive (1)", "0 (40 rows)"),
    ),
    MisreadCase(
        "label-free-text",
        _base(label=_FREE_TEXT),
        {"kind": "precomputed", "decision_column": "decision"},
        ("column 'label'", "look like free text (not shown)"),
        forbidden=("Anna", "0712"),
    ),
    MisreadCase(
        "label-three-values",
        _base(label=_with_one([0, 1, 1, 0] * (_N // 4), 0, 2)),
        {"kind": "precomputed", "decision_column": "decision"},
        ("column 'label'", "must be binary, found 3 values", "2 (1 row)"),
    ),
    MisreadCase(
        "label-positive-list",
        _base(),
        {"kind": "precomputed", "decision_column": "decision"},
        ("data -> label -> positive: one value is expected here, not a list",),
        data={"label": {"column": "label", "positive": [1, "yes"]}},
    ),
    MisreadCase(
        "score-column-text",
        _base(score=_with_one([0.1, 0.9] * (_N // 2), 4, "high")),
        {"kind": "precomputed", "score_column": "score"},
        ("model.score_column 'score'", "1 of 40 rows that are not finite numbers", "'high' (1 row)"),
    ),
    MisreadCase(
        "score-decile-without-threshold",
        _base(score=list(range(1, 11)) * (_N // 10)),
        {"kind": "precomputed", "score_column": "score"},
        ("model.score_column 'score' ranges from 1 to 10", "Set model.threshold"),
    ),
    MisreadCase(
        "filter-unknown-column",
        _base(),
        {"kind": "precomputed", "decision_column": "decision"},
        ("data.filter[0] names column 'days'", "Available: group, label, decision"),
        data={"filter": [{"column": "days", "between": [-30, 30]}]},
    ),
    MisreadCase(
        "filter-order-on-text",
        _base(),
        {"kind": "precomputed", "decision_column": "decision"},
        ("data.filter[0] (group >= 1)", "not numeric", "'a' (20 rows)"),
        data={"filter": [{"column": "group", "at_least": 1}]},
    ),
)


def write_case(case: MisreadCase, folder: Path) -> Path:
    """Write the case's CSV and config into ``folder``; return the config path."""
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(case.columns).to_csv(folder / "data.csv", index=False)
    data: dict[str, Any] = {"path": "data.csv", "label": {"column": "label", "positive": 1}, "sensitive_features": [{"column": "group"}]}
    data.update(case.data)
    return write_config(folder, f"misread-{case.id}", data, case.model)


def write_config(folder: Path, name: str, data: dict[str, Any], model: dict[str, Any], **sections: Any) -> Path:
    """``folder/audit.yaml``: ``data`` and ``model`` with no bootstrap, any group size, no scan, no tracking (and ``sections``)."""
    config = {
        "name": name,
        "data": data,
        "model": model,
        "fairness": {"n_boot": 0, "min_group_size": 1},
        "privacy": {"enabled": False},
        "tracking": {"enabled": False},
        **sections,
    }
    path = folder / "audit.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path
