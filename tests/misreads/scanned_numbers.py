"""A scanned column a reader typed as numbers: a CSV column of phone numbers, read as integers (or floats once a cell
is empty), was skipped whole by the scan — 0 of its rows held personal data, and a privacy gate passed on no evidence.

``write_numbers_case`` writes the file and config; ``numbers_audited`` runs it on an engine. The pandas and stream
engines run it in ``test_scanned_numbers.py``, Spark in ``tests/engines/test_spark.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from ethicscheck.audit import run_audit
from ethicscheck.config import load_config
from tests.misreads.corpus import write_config

__all__ = ["CONTACTS", "numbers_audited", "scanned", "write_numbers_case"]

#: Phone numbers a screening team's export holds in a column of their own (French mobiles, US numbers), each 3 rows.
CONTACTS = ("0651706749", "0656448162", "2025550123", "4155550172")


def write_numbers_case(folder: Path, *, engine: str, blank: bool, kind: str = "csv", **changes: Any) -> Path:
    """A file with a text column of ads without contact data and a ``contact`` column of :data:`CONTACTS` (one cell
    empty with ``blank``), and its config scanning both columns."""
    folder.mkdir(parents=True, exist_ok=True)
    contacts: list[Any] = [c for c in CONTACTS for _ in range(3)]
    if blank:
        contacts[-1] = None
    frame = pd.DataFrame(
        {
            "id": [f"a{i}" for i in range(len(contacts))],
            "text": ["Sweet and discreet, new in town"] * len(contacts),
            "contact": contacts,
            "label": [i % 2 for i in range(len(contacts))],
            "flagged": [(i // 2) % 2 for i in range(len(contacts))],
            "sex": ["F", "M", "F"] * (len(contacts) // 3),
        }
    )
    if kind == "csv":
        frame.to_csv(path := folder / "ads.csv", index=False)
    else:  # Parquet stores the numbers as integers, as a typed export does
        frame["contact"] = pd.array([int(c) if c else None for c in contacts], dtype="Int64")
        frame.to_parquet(path := folder / "ads.parquet", index=False)
    data = {"path": str(path), "engine": engine, "label": {"column": "label", "positive": 1}, "id_column": "id"}
    data |= {"text_column": "text", "sensitive_features": [{"column": "sex"}]}
    return write_config(
        folder,
        "scanned-numbers",
        data,
        {"kind": "precomputed", "decision_column": "flagged"},
        privacy={"enabled": True, "columns": ["text", "contact"]},
        **changes,
    )


def numbers_audited(folder: Path, engine: str, *, blank: bool, kind: str = "csv", **changes: Any) -> dict[str, Any]:
    """audit.json of the case on ``engine``, without what differs between engines and runs."""
    config = load_config(write_numbers_case(folder, engine=engine, blank=blank, kind=kind, **changes))
    document: dict[str, Any] = json.loads(run_audit(config, out_dir=folder / "out", tracking_uri=None).files["audit.json"].read_text())
    for key in ("started_at", "finished_at", "timings", "engine", "config_digest"):
        document["run"].pop(key)
    document["run"]["config"]["data"].pop("engine")
    document["run"]["config"].pop("spark")
    return document


def scanned(document: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """Per scanned column: (rows scanned, rows holding personal data)."""
    return {c["column"]: (c["rows_scanned"], c["rows_with_pii"]) for c in document["privacy"]["columns"]}
