"""report_comparison: the library call behind `ethicscheck compare` (run, write, log)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from ethicscheck.compare import compare_config_from_dict, report_comparison
from ethicscheck.errors import TrackingError
from tests.servers import free_port

_SMALL = {
    "name": "small",
    "seeds": [0],
    "synth": {"ads": 600},
    "features": {"kind": "text", "max_features": 500, "min_df": 1},
    "candidates": [],
    "privacy_risk": {"enabled": False},
    "fairness": {"n_boot": 0, "min_group_size": 5},
}


class Recorder:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def stage(self, message: str) -> None:
        self.lines.append(f"stage: {message}")

    def warning(self, message: str) -> None:
        self.lines.append(f"warning: {message}")

    @contextmanager
    def progress(self, description: str, total: int) -> Iterator:
        def advance(n: int, /, label: str | None = None) -> None:
            self.lines.append(f"step: {label}")

        yield advance


def _config(**tracking):
    return compare_config_from_dict({**_SMALL, "tracking": tracking})


def test_writes_the_report_and_names_each_finished_step(tmp_path):
    recorder = Recorder()
    outcome = report_comparison(_config(enabled=False), out_dir=tmp_path / "out", reporter=recorder)
    assert outcome.report_dir == tmp_path / "out" and outcome.tracking is None
    assert {p.name for p in outcome.files.values()} == {"comparison.json", "comparison.md", "comparison.html", "pareto.svg"}
    assert all(p.is_file() for p in outcome.files.values())
    assert "step: baseline (seed 0)" in recorder.lines and outcome.findings


def test_logs_to_mlflow_when_tracking_is_on(tmp_path):
    outcome = report_comparison(_config(enabled=True), out_dir=tmp_path / "out", tracking_uri=f"sqlite:///{tmp_path / 'm.db'}")
    assert outcome.tracking is not None and outcome.tracking.logged and outcome.tracking.run_id


@pytest.mark.parametrize("required", [False, True])
def test_unreachable_mlflow_keeps_the_local_report(tmp_path, monkeypatch, required):
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "3")
    recorder = Recorder()
    uri = f"http://127.0.0.1:{free_port()}"
    config = _config(enabled=True, required=required)
    if required:
        with pytest.raises(TrackingError, match="local report is complete"):
            report_comparison(config, out_dir=tmp_path / "out", tracking_uri=uri, reporter=recorder)
    else:
        outcome = report_comparison(config, out_dir=tmp_path / "out", tracking_uri=uri, reporter=recorder)
        assert outcome.tracking is not None and not outcome.tracking.logged
        assert any(line.startswith("warning:") and "local report is complete" in line for line in recorder.lines)
    assert (tmp_path / "out" / "comparison.json").is_file()
