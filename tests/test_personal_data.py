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
