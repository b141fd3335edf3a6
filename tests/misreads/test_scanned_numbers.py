"""A scanned column of phone numbers read as numbers (:mod:`tests.misreads.scanned_numbers`) on the pandas and stream
engines: every number is scanned and found, nothing published holds one, the same audit.json on both."""

from __future__ import annotations

import pytest

from ethicscheck.config import load_config
from ethicscheck.data import load_dataset
from tests.misreads.scanned_numbers import CONTACTS, numbers_audited, scanned, write_numbers_case


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


@pytest.mark.parametrize("blank", [False, True])
def test_a_csv_column_of_phone_numbers_keeps_its_leading_zeros(tmp_path, blank):
    """Read as numbers, 0651706749 was 651706749: a scanned column is read from a CSV as the text it holds."""
    dataset = load_dataset(load_config(write_numbers_case(tmp_path, engine="pandas", blank=blank)))
    assert dataset.frame["contact"].iloc[0] == "0651706749"
    assert set(dataset.frame["contact"].dropna()) == set(CONTACTS)
