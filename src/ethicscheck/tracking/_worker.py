"""A second process for MLflow: it imports MLflow while the audit computes, then makes the audit's MLflow calls.

Importing MLflow and its store costs seconds of every audit that logs. Started when the audit starts, a
worker process pays that on the second core; when the report is written, the audit sends it the prepared
log (:class:`~ethicscheck.tracking._send.AuditLog`) and waits for the run id. The calls, and the errors they
end in (:class:`~ethicscheck.errors.TrackingError`, exit 2 or a warning), are the same as in one process.

Until it is sent a log the worker touches no store: an audit that stops earlier (bad input, Ctrl-C) leaves
nothing behind, and the worker is ended with it.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import signal
import subprocess
import sys
import traceback
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ethicscheck import errors
from ethicscheck._heap import settle, settled_heap
from ethicscheck._net import require_tracking
from ethicscheck.errors import TrackingError, require_supported_mlflow
from ethicscheck.tracking._send import AuditLog, quiet_mlflow, send_audit_log
from ethicscheck.tracking._uri import resolve_tracking_uri

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from ethicscheck.config import AuditConfig

__all__ = ["LoggingWorker", "audit_worker", "leave", "logging_worker", "serve"]

#: Seconds a worker that was sent a log gets to finish after the audit was interrupted (it marks its run FAILED).
_WIND_DOWN = 30.0
#: Total seconds the audit waits for the worker's answer once the log is sent: its remaining imports and every MLflow
#: call (each bounded on its own, as in one process). A worker past it is ended and the audit stops with a TrackingError.
ANSWER_DEADLINE = 900.0


class LoggingWorker:
    """One worker process, started by :meth:`start`, sent one log by :meth:`send`, ended by :meth:`close`."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self._process = process
        self._sent = False

    @classmethod
    def start(cls, tracking_uri: str) -> LoggingWorker:
        """Start the worker; it imports MLflow and the store for ``tracking_uri``'s scheme, then waits."""
        root = str(Path(__file__).resolve().parents[2])  # the ethicscheck this process runs, found first by the worker
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, *filter(None, [os.environ.get("PYTHONPATH")])])}
        scheme = urllib.parse.urlsplit(tracking_uri).scheme
        process = subprocess.Popen(
            [sys.executable, "-c", f"from ethicscheck.tracking._worker import serve, leave; serve({scheme!r}); leave()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        return cls(process)

    def send(self, log: AuditLog, *, tracking_uri: str, run_id: str | None, timeout: float) -> tuple[str, str]:
        """Have the worker log ``log``; return ``(experiment_id, run_id)`` as :func:`send_audit_log` does.

        Raises
        ------
        TrackingError
            MLflow failed (the worker's message), or the worker ended without an answer.
        """
        if self._sent:
            raise RuntimeError("a logging worker sends one log")
        # What fails before any MLflow call fails here, in this process, as it would in one process.
        require_supported_mlflow()
        require_tracking(tracking_uri, timeout=timeout)
        self._sent = True
        mlflow_level = logging.getLogger("mlflow").level
        request = pickle.dumps((log, tracking_uri, run_id, timeout, mlflow_level), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            answer, _ = self._process.communicate(request, timeout=ANSWER_DEADLINE)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
            raise TrackingError(
                f"the process logging to MLflow did not finish within {ANSWER_DEADLINE:.0f} s; its run, if it opened one, "
                "is left unfinished"
            ) from None
        except BaseException:
            self._interrupt()
            raise
        if not answer:
            raise TrackingError(f"the process logging to MLflow ended without an answer (exit code {self._process.returncode})")
        return _read_answer(answer)

    def close(self) -> None:
        """End the worker: at once when it was sent nothing (it has touched no store), else when it has answered."""
        if self._process.poll() is not None:
            return
        if not self._sent:
            self._process.kill()
        self._process.wait()

    def _interrupt(self) -> None:
        """Pass an interruption on (the worker marks its run FAILED, as one process would), and wait for it a while."""
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGINT)
            try:
                self._process.wait(timeout=_WIND_DOWN)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()


@contextmanager
def logging_worker(tracking_uri: str, *, enabled: bool) -> Iterator[LoggingWorker | None]:
    """A worker when it pays off, for the block: logging on, a second core, and MLflow not imported here already."""
    if not enabled or "mlflow" in sys.modules or _cores() < 2:
        yield None
        return
    worker = LoggingWorker.start(tracking_uri)
    try:
        yield worker
    finally:
        worker.close()


def audit_worker(config: AuditConfig, tracking_uri: str | None = None) -> AbstractContextManager[LoggingWorker | None]:
    """:func:`logging_worker` for an audit of ``config``: none with logging off, for a face-matching audit, or when the
    audit imports MLflow itself anyway (to load an MLflow model or a regression gate's baseline run).

    Callers start it as early as they can (the command line: right after reading the config, before importing the
    audit), so that MLflow's import overlaps as much of the audit as possible.
    """
    uri = resolve_tracking_uri(config.tracking.uri, tracking_uri)
    in_process = config.model.kind == "mlflow" or any(gate.regression for gate in config.gates)
    return logging_worker(uri, enabled=config.tracking.enabled and config.task != "verification" and not in_process)


def _read_answer(answer: bytes) -> tuple[str, str]:
    """``(experiment_id, run_id)`` from the worker's JSON answer, or raise the error it names (plain data: never unpickled)."""
    message = json.loads(answer)
    if "ok" in message:
        experiment_id, run_id = message["ok"]
        return str(experiment_id), str(run_id)
    error = getattr(errors, message["error"], None)
    if isinstance(error, type) and issubclass(error, errors.EthicsCheckError):
        raise error(message["message"])
    raise RuntimeError(message["message"])


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# -- in the worker process ---------------------------------------------------------------------------


def serve(scheme: str) -> None:
    """Import MLflow, wait for one log on stdin (pickled by the audit that started this process), send it, and
    answer on stdout in JSON: ``{"ok": [experiment_id, run_id]}`` or ``{"error": <class name>, "message": ...}``."""
    # Ctrl-C in a terminal reaches the audit too, which ends this process; until a log arrives it is ignored here.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    answer = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything MLflow prints goes to stderr, as in one process, never into the answer
    # MLflow's modules live until the worker ends: the collector's full passes skip them (ethicscheck._heap).
    with settled_heap():
        _import_mlflow(scheme)
        settle()
        request = sys.stdin.buffer.read()
        if not request:
            return  # the audit ended before it had anything to log
        signal.signal(signal.SIGINT, signal.default_int_handler)
        # Written by the audit that started this process, into its private stdin pipe: the audit's own objects (the
        # prepared log holds a zero-row DataFrame of the data's schema), never bytes from a file or the network.
        log, tracking_uri, run_id, timeout, mlflow_level = pickle.loads(request)  # noqa: S301
        if mlflow_level:  # MLflow's messages as the audit's process shows them (the command line hides its INFO lines)
            logging.getLogger("mlflow").setLevel(mlflow_level)
        try:
            reply: dict[str, Any] = {"ok": list(send_audit_log(log, tracking_uri=tracking_uri, run_id=run_id, timeout=timeout))}
        except KeyboardInterrupt:
            return  # the run is marked FAILED; the audit says it was interrupted
        except errors.EthicsCheckError as exc:
            reply = {"error": type(exc).__name__, "message": str(exc)}
        except Exception as exc:  # not one a user can fix: its traceback, as one process would have shown it
            reply = {"error": "RuntimeError", "message": "".join(traceback.format_exception(exc))}
        answer.write(json.dumps(reply).encode())
        answer.close()


def leave() -> None:
    """End the worker once it has answered, without the interpreter's teardown.

    Tearing down an interpreter that imported MLflow and SQLAlchemy (collecting every module) takes ~0.8 s, and
    the audit waits for the worker to end. Everything the run needs is in the store by now: each MLflow call
    of :func:`send_audit_log` returned, no run is left active and nothing is queued for an exit hook; what
    remains in this process's buffers is flushed first.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(0)


def _import_mlflow(scheme: str) -> None:
    """Import what logging needs; a failing import fails again, with the usual message, when the log is sent."""
    with quiet_mlflow():
        try:
            import mlflow  # noqa: F401
            import mlflow.data.pandas_dataset  # noqa: F401

            if scheme in ("http", "https", "databricks"):
                import mlflow.store.tracking.rest_store  # noqa: F401
            else:
                import mlflow.store.tracking.sqlalchemy_store  # noqa: F401
        except Exception:  # noqa: S110  (reported when the log is sent)
            pass
