"""The MLflow worker process logs an audit exactly as one process does, and fails the same way."""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd
import pytest

from ethicscheck.audit import run_audit
from ethicscheck.config import config_from_dict
from ethicscheck.data import load_dataset
from ethicscheck.errors import TrackingError
from ethicscheck.tracking import LoggingWorker, audit_worker, log_audit, logging_worker
from tests.servers import free_port


@pytest.fixture(scope="module")
def small_audit(tmp_path_factory):
    """A small precomputed audit, not logged: its result, report files and dataset."""
    folder = tmp_path_factory.mktemp("worker")
    rng = np.random.default_rng(3)
    n = 600
    pd.DataFrame(
        {"g": rng.choice(["a", "b", "c"], n), "label": rng.integers(0, 2, n), "flagged": rng.integers(0, 2, n), "s": rng.random(n)}
    ).to_csv(folder / "d.csv", index=False)
    config = config_from_dict(
        {
            "name": "worker",
            "data": {"path": str(folder / "d.csv"), "label": {"column": "label"}, "sensitive_features": [{"column": "g"}]},
            "model": {"kind": "precomputed", "decision_column": "flagged", "score_column": "s"},
            "fairness": {"n_boot": 20},
            "privacy": {"enabled": False},
            "tracking": {"enabled": False},
        }
    )
    outcome = run_audit(config, out_dir=folder / "report")
    artifacts = sorted(path for name, path in outcome.files.items() if name != "audit.json")
    return outcome.result, artifacts, load_dataset(config)


def _logged(client, run_id: str) -> dict[str, object]:
    run = client.get_run(run_id)
    inputs = [(d.dataset.name, d.dataset.digest, d.dataset.schema, d.dataset.profile) for d in run.inputs.dataset_inputs]
    artifacts = sorted(f.path for f in client.list_artifacts(run_id)) + sorted(f.path for f in client.list_artifacts(run_id, "charts"))
    tags = {k: v for k, v in run.data.tags.items() if k != "mlflow.runName"}
    return {
        "params": run.data.params,
        "metrics": run.data.metrics,
        "tags": tags,
        "inputs": inputs,
        "artifacts": artifacts,
        "status": run.info.status,
        "name": run.info.run_name,
    }


def test_a_worker_logs_the_same_run_as_one_process(small_audit, tmp_path):
    from mlflow import MlflowClient

    result, artifacts, dataset = small_audit
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    alone = log_audit(result, tracking_uri=uri, experiment="e", artifacts=artifacts, dataset=dataset)
    worker = LoggingWorker.start(uri)
    try:
        beside = log_audit(result, tracking_uri=uri, experiment="e", artifacts=artifacts, dataset=dataset, worker=worker)
    finally:
        worker.close()
    assert beside.logged and beside.experiment_id == alone.experiment_id and beside.run_id != alone.run_id
    client = MlflowClient(tracking_uri=uri)
    assert _logged(client, beside.run_id) == _logged(client, alone.run_id)
    assert _logged(client, beside.run_id)["status"] == "FINISHED"


def test_an_unreachable_server_fails_as_in_one_process_and_the_worker_ends(small_audit):
    result, artifacts, _ = small_audit
    dead = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(TrackingError) as alone:
        log_audit(result, tracking_uri=dead, experiment="e", artifacts=artifacts, timeout=1)
    worker = LoggingWorker.start(dead)
    with pytest.raises(TrackingError) as beside:
        log_audit(result, tracking_uri=dead, experiment="e", artifacts=artifacts, timeout=1, worker=worker)
    worker.close()
    assert str(beside.value) == str(alone.value) and "127.0.0.1" in str(beside.value)
    assert worker._process.returncode is not None


def test_a_worker_sent_nothing_ends_at_once_and_leaves_no_store(tmp_path):
    """An audit that stops before logging (bad input, Ctrl-C) ends its worker, which touched no store."""
    worker = LoggingWorker.start(f"sqlite:///{tmp_path / 'm.db'}")
    started = time.monotonic()
    worker.close()
    assert worker._process.returncode is not None and time.monotonic() - started < 10
    assert list(tmp_path.iterdir()) == []


def test_no_worker_when_this_process_has_mlflow_or_logging_is_off():
    import mlflow  # noqa: F401

    with logging_worker("sqlite:///x.db", enabled=True) as worker:
        assert worker is None
    with logging_worker("sqlite:///x.db", enabled=False) as worker:
        assert worker is None


@pytest.mark.parametrize(
    ("change", "wanted"),
    [
        ({}, True),
        ({"tracking": {"enabled": False}}, False),
        ({"model": {"kind": "mlflow", "uri": "models:/m/1"}}, False),  # loading the model imports MLflow here anyway
        ({"gates": [{"metric": "fpr_ratio", "threshold": 1.5, "regression": {"baseline": "runs:/abc"}}]}, False),
    ],
)
def test_an_audit_gets_a_worker_only_when_it_logs_and_does_not_import_mlflow_itself(change, wanted, monkeypatch):
    """The command line starts the worker from the config alone, before importing the audit: the same decision."""
    from ethicscheck.tracking import _worker

    started = []
    monkeypatch.setattr(_worker, "_cores", lambda: 2)
    monkeypatch.delitem(sys.modules, "mlflow", raising=False)  # as in a fresh process
    monkeypatch.setattr(LoggingWorker, "start", classmethod(lambda cls, uri: started.append(uri) or cls(_Ended())))
    data = {"path": "d.csv", "label": {"column": "label"}, "sensitive_features": [{"column": "g"}]}
    model = {"kind": "precomputed", "decision_column": "flagged"}
    config = config_from_dict({"name": "w", "data": data, "model": model, **change})
    with audit_worker(config, "sqlite:///x.db") as worker:
        assert (worker is not None) == wanted and started == (["sqlite:///x.db"] if wanted else [])


class _Ended:
    """A stand-in for a worker process that has ended."""

    def poll(self) -> int:
        return 0


def test_the_worker_process_imports_mlflow_before_anything_of_the_audit():
    """The worker's own module reads no result types (pydantic, scipy): on a loaded machine it is MLflow's import that
    the audit may end up waiting for, and nothing else should come before it."""
    import subprocess

    read = "('pydantic', 'scipy', 'ethicscheck.result')"
    code = f"import sys, ethicscheck.tracking._worker; print(sorted(m for m in {read} if m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"


def test_a_worker_past_its_deadline_is_ended_and_the_audit_stops_cleanly(small_audit, tmp_path, monkeypatch):
    """A worker that never answers (wedged in a call) costs the audit its deadline, not a hang."""
    import subprocess
    import sys

    from ethicscheck.tracking import _worker

    result, artifacts, _ = small_audit
    monkeypatch.setattr(_worker, "ANSWER_DEADLINE", 2.0)
    stuck = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; sys.stdin.buffer.read(); time.sleep(120)"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    worker = LoggingWorker(stuck)
    started = time.monotonic()
    with pytest.raises(TrackingError, match="did not finish within 2 s"):
        log_audit(result, tracking_uri=f"sqlite:///{tmp_path / 'm.db'}", experiment="e", artifacts=artifacts, worker=worker)
    assert stuck.returncode is not None and time.monotonic() - started < 60


@pytest.mark.parametrize(
    ("answer", "raised", "message"),
    [
        (b'{"error": "TrackingError", "message": "MLflow refused"}', TrackingError, "MLflow refused"),
        (b'{"error": "SystemExit", "message": "not one of ethicscheck\'s errors"}', RuntimeError, "not one of"),
        (b'{"error": "require_supported_mlflow", "message": "a function, not an error class"}', RuntimeError, "a function"),
    ],
)
def test_the_workers_answer_is_plain_json_and_names_only_ethicschecks_errors(answer, raised, message):
    from ethicscheck.tracking._worker import _read_answer

    assert _read_answer(b'{"ok": ["3", "abc"]}') == ("3", "abc")
    with pytest.raises(raised, match=message) as caught:
        _read_answer(answer)
    assert type(caught.value) is raised
