"""The publication rule around the report's self-scan: the report is written once when the scan changes nothing it shows,
and written again (charts reused) when the scan's counts are part of it or a finding became a pseudonym."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import ethicscheck.audit
from ethicscheck.audit import run_audit
from ethicscheck.config import config_from_dict


@pytest.fixture
def data(tmp_path):
    rng = np.random.default_rng(0)
    n = 300
    frame = pd.DataFrame({"group": rng.choice(["a", "b"], n), "label": rng.integers(0, 2, n), "flagged": rng.integers(0, 2, n)})
    frame["text"] = [f"Work abroad, call 0{i % 10}1 555 0{i % 1000:03d}" for i in range(n)]
    frame.to_csv(tmp_path / "d.csv", index=False)
    return tmp_path / "d.csv"


def _audit(path, tmp_path, monkeypatch, **extra):
    writes: list[list[str]] = []
    write = ethicscheck.audit._write_report

    def counted(*args, **kwargs):
        files = write(*args, **kwargs)
        writes.append(sorted(files))
        return files

    monkeypatch.setattr(ethicscheck.audit, "_write_report", counted)
    raw = {
        "name": "t",
        "data": {"path": str(path), "label": {"column": "label"}, "sensitive_features": [{"column": "group"}]},
        "model": {"kind": "precomputed", "decision_column": "flagged"},
        "fairness": {"n_boot": 20},
        "tracking": {"enabled": False},
        **extra,
    }
    run_audit(config_from_dict(raw), out_dir=tmp_path / "report")
    return writes, json.loads((tmp_path / "report" / "audit.json").read_text())


def test_a_report_without_a_privacy_section_is_written_once(data, tmp_path, monkeypatch):
    writes, saved = _audit(data, tmp_path, monkeypatch)
    assert len(writes) == 1 and "model_card.html" in writes[0]
    assert saved.get("privacy") is None


def test_the_scan_counts_in_the_report_make_one_more_write(data, tmp_path, monkeypatch):
    writes, saved = _audit(
        data,
        tmp_path,
        monkeypatch,
        data={"path": str(data), "label": {"column": "label"}, "sensitive_features": [{"column": "group"}], "text_column": "text"},
        privacy={"enabled": True},
    )
    assert len(writes) == 2
    assert saved["privacy"]["artifacts"]["leaked_input_values"] == 0  # the published report carries its own scan


def test_a_contact_only_the_report_shows_is_written_as_a_pseudonym(data, tmp_path, monkeypatch):
    gate = {"name": "Escalate to t.me/gate_owner7", "metric": "fpr", "scope": "group", "threshold": 1.0}
    writes, saved = _audit(data, tmp_path, monkeypatch, gates=[gate])
    assert len(writes) == 2  # found in the first write, written again with the pseudonym
    published = "".join(p.name + p.read_text() for p in (tmp_path / "report").iterdir())
    assert "gate_owner7" not in published and "contact-" in published
    assert "gate_owner7" in (tmp_path / ".report.pseudonyms.json").read_text()


@pytest.mark.parametrize(
    "model_uuid",
    [
        "m-6513270e269e4d37b2a74de452e6b438",  # read as a phone number, and again in its pseudonym: the audit stopped
        "m-77321e30575a400d8949bb46b4f0cf19",  # read as two phone numbers: the report named a pseudonym, not the model
    ],
)
def test_an_mlflow_3_model_id_is_published_as_it_is(tmp_path, model_uuid):
    """MLflow 3 names a logged model ``m-`` + a random uuid4's hex; about one in three of them held a "phone number" for the
    self-scan (a flaky PersonalDataError in the Spark MLflow-model tests, where a fresh model is logged each run)."""
    from sklearn.linear_model import LogisticRegression

    from tests.payloads import mlflow_folder

    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"x": rng.normal(size=200), "group": rng.choice(["a", "b"], 200)})
    frame["label"] = (frame["x"] + rng.normal(0, 1, 200) > 0).astype(int)
    frame.to_csv(data := tmp_path / "d.csv", index=False)
    folder = mlflow_folder(
        tmp_path / "model",
        tmp_path / "marker",
        variant="skops+loader",
        model=LogisticRegression().fit(frame[["x"]], frame["label"]),
        n_features=1,
    )
    mlmodel = folder / "MLmodel"
    mlmodel.write_text(mlmodel.read_text().replace("0123456789abcdef0123456789abcdef", model_uuid))
    raw = {
        "name": "t",
        "data": {"path": str(data), "label": {"column": "label"}, "sensitive_features": [{"column": "group"}]},
        "model": {"kind": "mlflow", "uri": str(folder), "input_columns": ["x"]},
        "fairness": {"n_boot": 20},
        "tracking": {"enabled": False},
    }
    run_audit(config_from_dict(raw), out_dir=tmp_path / "report")
    saved = json.loads((tmp_path / "report" / "audit.json").read_text())
    assert saved["model"]["details"]["model_uuid"] == model_uuid
    assert not (tmp_path / ".report.pseudonyms.json").exists()
