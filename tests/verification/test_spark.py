"""Face-matching comparisons counted on a real Spark local[2] give the in-memory audit.json and its exit-2 messages."""

from __future__ import annotations

import json

import pytest

from ethicscheck.audit import run_audit
from ethicscheck.errors import DataError

# The Spark engine's session (local[2], small splits so a file is read as several partitions), one per module.
from tests.engines.conftest import spark  # noqa: F401 (fixture)
from tests.engines.helpers import SPARK as _SPARK
from tests.verification.test_streamed import audit_config, audit_json, files, table  # noqa: F401 (fixtures)

pytestmark = pytest.mark.spark


@pytest.fixture(autouse=True)
def no_cards(monkeypatch):
    """Cards are rendered from audit.json; comparing audit.json is the test."""
    monkeypatch.setattr("ethicscheck._verification_audit.write_verification_cards", lambda *args, **kwargs: [])


@pytest.mark.parametrize("kind", ["csv", "folder"])
def test_spark_writes_the_in_memory_audit_json(files, tmp_path, kind):  # noqa: F811
    expected = audit_json(files[kind], "pandas", tmp_path / "pandas")
    found = audit_json(files[kind], "spark", tmp_path / "spark", spark=_SPARK)
    expected["run"]["config"].pop("spark"), found["run"]["config"].pop("spark")
    assert found == expected
    engine = json.loads((tmp_path / "spark" / "audit.json").read_text())["run"]["engine"]
    # A CSV file is one partition on Spark (a record may span lines); the Parquet folder is read as several.
    assert engine["name"] == "spark" and (engine["partitions"] == 1 if kind == "csv" else engine["partitions"] > 1)


@pytest.mark.parametrize(
    "change",
    [
        lambda f: f.drop(columns="region_b"),
        lambda f: f.assign(same_person=f.same_person.map({1: "same", 0: "other"})),  # not data.label.positive
        lambda f: f.assign(subject_b=f.subject_b.where(f.index != 2321)),
    ],
    ids=["column-missing", "label-values", "subject-empty"],
)
def test_bad_comparisons_stop_on_spark_with_the_in_memory_message(table, tmp_path, change):  # noqa: F811
    path = tmp_path / "bad.csv"
    change(table.copy()).to_csv(path, index=False)
    messages = []
    for engine in ("pandas", "spark"):
        with pytest.raises(DataError) as stopped:
            run_audit(audit_config(path, engine, spark=_SPARK), out_dir=tmp_path / engine)
        messages.append(str(stopped.value))
    assert messages[1] == messages[0]
