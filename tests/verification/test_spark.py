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


def test_attribute_codes_and_missing_markers_read_as_in_memory(table, tmp_path):  # noqa: F811
    """Attribute columns of a CSV are text on Spark as in memory ("007" and "7" are two regions), and data.na_values
    are missing after stripping spaces (Spark once kept " ?" and the second marker as regions)."""
    subjects = sorted(set(table.subject_a) | set(table.subject_b))
    codes = {subject: ["007", "7", " ?", "unknown"][i % 4] for i, subject in enumerate(subjects)}  # a subject's region, as written
    coded = table.assign(region_a=table.subject_a.map(codes), region_b=table.subject_b.map(codes))
    coded.to_csv(path := tmp_path / "coded.csv", index=False)
    documents = {}
    for engine in ("pandas", "spark"):
        config = audit_config(path, engine, spark=_SPARK)
        config = config.model_copy(update={"data": config.data.model_copy(update={"na_values": ["?", "unknown"]})})
        run_audit(config, out_dir=tmp_path / engine)
        document = json.loads((tmp_path / engine / "audit.json").read_text(encoding="utf-8"))
        documents[engine] = {key: value for key, value in document.items() if key != "run"}
    assert documents["spark"] == documents["pandas"]
    shown = json.dumps(documents["spark"])
    assert '"007"' in shown and '"7"' in shown and '"unknown"' not in shown and '" ?"' not in shown
