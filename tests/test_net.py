"""Every network wait has a total deadline: trickling, silent and dead servers end it in time."""

from __future__ import annotations

import http.client
import time

import pytest

from ethicscheck._net import DeadlineExceeded, bounded_mlflow, probe_tracking, request_within, require_tracking
from ethicscheck.errors import TrackingError
from tests.misbehaving import misbehaving_server
from tests.servers import free_port


@pytest.mark.parametrize("behaviour", ["trickle", "silent"])
def test_whole_request_deadline_not_per_read(behaviour):
    with misbehaving_server(behaviour) as url:
        start = time.monotonic()
        with pytest.raises(DeadlineExceeded):
            request_within("POST", url + "/invocations", body=b"{}", timeout=1.5)
        assert time.monotonic() - start < 1.5 + 3  # the deadline, not the server, ends it


def test_body_shorter_than_content_length_is_an_incomplete_read():
    with misbehaving_server("short") as url, pytest.raises(http.client.IncompleteRead):
        request_within("POST", url, body=b"{}", timeout=5)


@pytest.mark.parametrize(
    ("behaviour", "expected"),
    [("silent", "no answer within 1 s"), (None, "connection refused"), ("health", None)],
)
def test_tracking_probe(behaviour, expected):
    if behaviour is None:
        assert expected in (probe_tracking(f"http://127.0.0.1:{free_port()}", timeout=1) or "")
        return
    with misbehaving_server(behaviour) as url:
        problem = probe_tracking(url, timeout=1)
    assert problem == expected if expected is None else expected in (problem or "")


@pytest.mark.parametrize("uri", ["sqlite:///x.db", "databricks", "file:///tmp/x"])
def test_only_http_servers_are_probed(uri):
    assert probe_tracking(uri, timeout=0.01) is None


def test_require_tracking_names_the_server_without_credentials():
    with pytest.raises(TrackingError, match=r"MLflow at http://127\.0\.0\.1:\d+ cannot be reached \(connection refused\)") as raised:
        require_tracking(f"http://user:secret@127.0.0.1:{free_port()}", timeout=1)
    assert "secret" not in str(raised.value)


def test_mlflow_retries_and_timeout_are_bounded_inside_the_block_only(monkeypatch):
    import os

    monkeypatch.delenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", raising=False)
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "300")
    with bounded_mlflow(2.5):
        assert os.environ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] == "1"
        assert os.environ["MLFLOW_HTTP_REQUEST_TIMEOUT"] == "3"
    assert "MLFLOW_HTTP_REQUEST_MAX_RETRIES" not in os.environ and os.environ["MLFLOW_HTTP_REQUEST_TIMEOUT"] == "300"


def test_importing_ethicscheck_disables_mlflow_telemetry():
    import subprocess
    import sys

    code = "import os; os.environ['MLFLOW_DISABLE_TELEMETRY']='false'; import ethicscheck; print(os.environ['MLFLOW_DISABLE_TELEMETRY'])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "true"
