"""A scanned column of phone numbers read as numbers (:mod:`tests.misreads.scanned_numbers`) on the pandas and stream
engines: every number is scanned and found, nothing published holds one, the same audit.json on both."""

from __future__ import annotations

import pytest

from tests.misreads.scanned_numbers import CONTACTS, numbers_audited, scanned


@pytest.mark.parametrize(
    ("kind", "blank"), [("csv", False), ("csv", True), ("parquet", True)], ids=["csv-integers", "csv-floats", "parquet-int64"]
)
def test_a_column_of_phone_numbers_read_as_numbers_is_scanned(tmp_path, kind, blank):
    memory = numbers_audited(tmp_path / "pandas", "pandas", blank=blank, kind=kind)
    rows = 3 * len(CONTACTS)
    assert scanned(memory) == {"text": (rows, 0), "contact": (rows, rows - blank)}  # was (rows, 0): skipped whole
    published = "\n".join(p.read_text(encoding="utf-8") for p in (tmp_path / "pandas" / "out").rglob("*") if p.is_file())
    assert not [c for c in CONTACTS if c.lstrip("0") in published]
    assert numbers_audited(tmp_path / "stream", "stream", blank=blank, kind=kind) == memory
