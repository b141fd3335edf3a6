"""Group and id columns that were once silently misread: each table must audit to the groups the file holds, on every engine.

A CSV's group columns (sensitive features without bins) and id column are text: "007" and "7" are two groups,
"NA" is a group (Namibia), and only empty cells and ``data.na_values`` are missing. Spaces around a value are not
part of it. A typed source (Parquet) keeps its types, and an integer 7 names the group "7" as the text "7" does,
also in a column with missing values (which pandas and Spark turn into floats: "7.0"). The text column reads the same
way: an ad that says "NA" is an ad on every engine, scored and scanned (pandas made it missing, Spark read it).

``write_group_case`` writes a case's file and config; the pandas and stream engines run every case in
``test_groups.py``, Spark in ``tests/engines/test_spark.py``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ethicscheck.audit import run_audit
from ethicscheck.config import load_config
from tests.misreads.corpus import write_config

__all__ = ["GROUP_CASES", "GroupCase", "ads_of", "audited", "groups_of", "write_group_case"]


@dataclass(frozen=True)
class GroupCase:
    """A file whose ``group`` column holds ``values`` (each in 4 rows) and the groups the audit must name, with their rows."""

    id: str
    values: tuple[Any, ...]
    groups: tuple[tuple[str, int], ...]  # in the audit's order: sorted, "(missing)" last
    data: dict[str, Any] = field(default_factory=dict)
    parquet: pa.DataType | None = None  # write Parquet with this type for the group column (no pandas metadata)
    ids: tuple[str, ...] = ()  # the first ids of an id column (the rest are made unique): they must all stay distinct
    texts: tuple[str, ...] = ()  # the cells of a text column (data.text_column), one a row: each ad is text as written

    @property
    def missing(self) -> int:
        return dict(self.groups).get("(missing)", 0)

    @property
    def ads(self) -> int:
        """The rows that hold an ad: every text cell but the empty ones and ``data.na_values``."""
        markers = {m.strip() for m in self.data.get("na_values", [])}
        return sum(1 for text in self.texts if text.strip() and text.strip() not in markers)


_ROWS_PER_VALUE = 4

GROUP_CASES: tuple[GroupCase, ...] = (
    GroupCase("zero-padded-codes", ("007", "7", "010", "10"), (("007", 4), ("010", 4), ("10", 4), ("7", 4))),
    GroupCase("number-spellings", ("7", "7.0", "1e3", "+7"), (("+7", 4), ("1e3", 4), ("7", 4), ("7.0", 4))),
    GroupCase("codes-with-empty-cells", ("007", "", "7"), (("007", 4), ("7", 4), ("(missing)", 4))),
    GroupCase(
        "missing-words-are-text",
        ("NA", "N/A", "null", "None", "nan", ""),
        (("N/A", 4), ("NA", 4), ("None", 4), ("nan", 4), ("null", 4), ("(missing)", 4)),
    ),
    GroupCase(
        "na-values-are-missing",
        ("?", " ?", "unknown", "007", "7"),
        (("007", 4), ("7", 4), ("(missing)", 12)),
        data={"na_values": ["?", "unknown"]},
    ),
    GroupCase("spaces-around-values", (" 7", "7 ", "007 ", "  "), (("007", 4), ("7", 8), ("(missing)", 4))),
    GroupCase("ids-that-differ-by-zeros", ("a", "b"), (("a", 4), ("b", 4)), ids=("007", "7", "0007", "7.0", "NA")),
    GroupCase("parquet-integers-with-nulls", (7, None, 10), (("10", 4), ("7", 4), ("(missing)", 4)), parquet=pa.int64()),
    GroupCase("parquet-integer-codes", (7, 10), (("10", 4), ("7", 4)), parquet=pa.int32()),
    GroupCase("parquet-text-codes", ("007", "7", None), (("007", 4), ("7", 4), ("(missing)", 4)), parquet=pa.string()),
    GroupCase(
        "ads-that-read-like-missing-words",
        ("a", "b"),
        (("a", 4), ("b", 4)),
        texts=("NA", "null", "None", "N/A", "nan", "", "NULL", "call 0712 345 678 tonight"),
    ),
    GroupCase(
        "ads-marked-missing",
        ("a", "b"),
        (("a", 4), ("b", 4)),
        data={"na_values": ["?", "unknown"]},
        texts=("?", " ? ", "NA", "", "unknown", "n/a", "?", "see t.me/lina_k22"),
    ),
)


def _csv_field(value: Any) -> str:
    text = "" if value is None else str(value)
    return f'"{text}"' if text.strip() != text or "," in text else text


def write_group_case(case: GroupCase, folder: Path, *, engine: str = "pandas", spark: dict[str, Any] | None = None) -> Path:
    """Write the case's data file and an audit config for ``engine`` into ``folder``; return the config path.

    Labels and decisions cycle so that every group holds both labels and both decisions.
    """
    folder.mkdir(parents=True, exist_ok=True)
    n = max(len(case.values) * _ROWS_PER_VALUE, len(case.ids), len(case.texts))
    groups = [case.values[i % len(case.values)] for i in range(n)]
    labels = [(i // len(case.values)) % 2 for i in range(n)]
    decisions = [((i // len(case.values)) // 2) % 2 for i in range(n)]
    ids = [case.ids[i] if i < len(case.ids) else str(100 + i) for i in range(n)] if case.ids else []
    columns: dict[str, list[Any]] = {"group": groups, "label": labels, "decision": decisions, **({"id": ids} if ids else {})}
    if case.texts:
        columns["text"] = [case.texts[i % len(case.texts)] for i in range(n)]
    if case.parquet is not None:
        arrays = {name: pa.array(values, type=case.parquet if name == "group" else None) for name, values in columns.items()}
        pq.write_table(pa.table(arrays), path := folder / "data.parquet")
    else:
        lines = [",".join(columns)] + [",".join(_csv_field(columns[c][i]) for c in columns) for i in range(n)]
        (path := folder / "data.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    data: dict[str, Any] = {
        "path": path.name,
        "engine": engine,
        "batch_rows": 1_000,
        "label": {"column": "label", "positive": 1},
        "sensitive_features": [{"column": "group"}],
        **({"id_column": "id"} if ids else {}),
        **({"text_column": "text"} if case.texts else {}),
        **case.data,
    }
    model: dict[str, Any] = {"kind": "precomputed", "decision_column": "decision"}
    if case.texts:  # a model that reads the ads: it flags each row that holds one, so the audit counts the ads it was given
        (folder / "reads_ads.py").write_text("def flag(frame):\n    return frame['text'].notna().astype(int)\n", encoding="utf-8")
        model = {"kind": "callable", "target": f"{(folder / 'reads_ads.py').resolve()}:flag", "output": "label", "positive_class": 1}
    sections = {**({"spark": spark} if spark is not None else {}), **({"privacy": {"enabled": True}} if case.texts else {})}
    return write_config(folder, f"groups-{case.id}", data, model, **sections)


def audited(case: GroupCase, folder: Path, engine: str, **changes: Any) -> dict[str, Any]:
    """audit.json of the case on ``engine``, without what differs between engines and runs."""
    config = load_config(write_group_case(case, folder, engine=engine, **changes))
    document: dict[str, Any] = json.loads(run_audit(config, out_dir=folder / "out", tracking_uri=None).files["audit.json"].read_text())
    for key in ("started_at", "finished_at", "timings", "engine", "config_digest"):
        document["run"].pop(key)
    document["run"]["config"]["data"].pop("engine")
    document["run"]["config"].pop("spark")
    document["run"]["config"]["model"].pop("target", None)  # the model of a text column case is a file in the case's folder
    return document


def groups_of(document: dict[str, Any]) -> tuple[tuple[str, int], ...]:
    return tuple((g["group"], g["n"]) for g in document["fairness"]["features"][0]["groups"])


def ads_of(document: dict[str, Any]) -> int:
    """The rows the model of a case with a text column flagged: the rows it was given an ad in."""
    return int(document["model"]["n_flagged"])
