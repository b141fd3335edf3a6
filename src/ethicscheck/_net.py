"""Network waits with total deadlines: HTTP requests, and the MLflow tracking server.

ethicscheck talks only to hosts the user names (the tracking server, an HTTP model, a Spark master),
and every wait on them has a deadline for the whole exchange, so a dead or trickling server ends
the run with a clear message instead of a hang.
"""

from __future__ import annotations

import contextlib
import http.client
import math
import os
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator

from ethicscheck.errors import TrackingError

__all__ = [
    "DEFAULT_TRACKING_TIMEOUT",
    "DeadlineExceeded",
    "bounded_mlflow",
    "probe_tracking",
    "request_within",
    "require_tracking",
]

#: Seconds the tracking server gets to answer one call (and the probe before the first call).
DEFAULT_TRACKING_TIMEOUT = 5.0

# MLflow's own HTTP retries: its defaults (7 retries, backoff factor 2, 120 s per request) wait
# minutes on a dead server; ours keep one audit's logging within seconds.
_MLFLOW_RETRIES = "1"
_MLFLOW_BACKOFF = "1"


class DeadlineExceeded(Exception):
    """The whole request (connect, send, headers and body) took longer than its deadline."""


def request_within(
    method: str, url: str, *, body: bytes | None = None, headers: dict[str, str] | None = None, timeout: float
) -> tuple[int, bytes]:
    """Send one HTTP request and read the whole answer within ``timeout`` seconds in total.

    A socket timeout bounds each read, so a server that trickles one byte a second would never
    time out; here a timer shuts the socket down at the deadline, which ends any read in progress.

    Returns
    -------
    (status, body)

    Raises
    ------
    DeadlineExceeded
        The deadline passed before the body was complete.
    OSError, http.client.HTTPException
        Connection problems, malformed answers, a body shorter than its Content-Length.
    """
    parts = urllib.parse.urlsplit(url)
    connection_type = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_type(parts.hostname or "", parts.port, timeout=timeout)
    deadline = time.monotonic() + timeout
    # The socket is captured right after connecting: http.client drops its own reference to it
    # once a response says "Connection: close", while the response still reads from it.
    held: dict[str, socket.socket | None] = {"sock": None}
    timer = threading.Timer(timeout, _cut, args=(held,))
    timer.daemon = True
    timer.start()
    try:
        connection.connect()
        held["sock"] = connection.sock
        if time.monotonic() >= deadline:
            raise DeadlineExceeded
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        payload = response.read()
        status = response.status
    except (OSError, http.client.HTTPException):
        if time.monotonic() >= deadline:
            raise DeadlineExceeded from None
        raise
    finally:
        timer.cancel()
        connection.close()
        if held["sock"] is not None:
            held["sock"].close()
    if time.monotonic() >= deadline:
        raise DeadlineExceeded
    return status, payload


def _cut(held: dict[str, socket.socket | None]) -> None:
    sock = held["sock"]
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def probe_tracking(uri: str, *, timeout: float) -> str | None:
    """Why an http(s) tracking server cannot be used, or None when it answers within ``timeout`` s.

    Any HTTP answer to ``GET /health`` counts (a proxy in front of MLflow may not serve it); only
    silence, refusal or a broken answer fails. Other URIs (sqlite, databricks) are not probed.
    """
    parts = urllib.parse.urlsplit(uri)
    if parts.scheme not in ("http", "https"):
        return None
    base = urllib.parse.urlunsplit(
        (parts.scheme, f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname or "", parts.path, "", "")
    )
    try:
        request_within("GET", base.rstrip("/") + "/health", timeout=timeout)
    except DeadlineExceeded:
        return f"no answer within {timeout:g} s"
    except (OSError, http.client.HTTPException) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        return f"{reason}".lower()
    return None


@contextlib.contextmanager
def bounded_mlflow(timeout: float) -> Iterator[None]:
    """MLflow's HTTP client with few retries and a per-request timeout, for the calls inside the block."""
    wanted = {
        "MLFLOW_HTTP_REQUEST_MAX_RETRIES": _MLFLOW_RETRIES,
        "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR": _MLFLOW_BACKOFF,
        "MLFLOW_HTTP_REQUEST_BACKOFF_JITTER": "0",
        "MLFLOW_HTTP_REQUEST_TIMEOUT": str(max(1, math.ceil(timeout))),
    }
    previous = {key: os.environ.get(key) for key in wanted}
    os.environ.update(wanted)
    try:
        yield
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def require_tracking(uri: str, *, timeout: float = DEFAULT_TRACKING_TIMEOUT) -> None:
    """Raise :class:`TrackingError` unless the tracking server at ``uri`` answers within ``timeout`` s."""
    problem = probe_tracking(uri, timeout=timeout)
    if problem is not None:
        parts = urllib.parse.urlsplit(uri)
        where = f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}"
        raise TrackingError(f"MLflow at {where} cannot be reached ({problem}).")
