"""Starting Spark for an audit: the master answers within ``spark.timeout_s``, Spark starts within ``spark.startup_timeout_s``.

Two deadlines, because two different things can be slow. A master that is down or unreachable is a
configuration mistake the user should hear about in seconds: a ``spark://``, ``mesos://`` or ``k8s://``
master is asked for a connection first, within ``spark.timeout_s``, before any JVM starts. Starting Spark
here (the driver's JVM, the session, a first job) is work on this machine that a busy machine does
slowly — minutes on a shared 2-core machine — and is bounded separately by ``spark.startup_timeout_s``;
for ``local[*]`` and ``yarn`` (whose resource manager comes from the Hadoop configuration, not the
master's name) that second deadline is the only one.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
from typing import Any
from urllib.parse import urlsplit

from ethicscheck.config import SparkConfig
from ethicscheck.errors import ConfigError

__all__ = ["java_message", "master_addresses", "spark_session"]

#: Spark settings ethicscheck starts with unless spark.conf says otherwise: its own progress bar, not Spark's.
_QUIET = {"spark.ui.showConsoleProgress": "false"}

#: The port a master listens on when its URL names none.
_DEFAULT_PORTS = {"spark": 7077, "mesos": 5050, "https": 443, "http": 80}

_CHECK_MASTER = (
    "Check spark.master (local[*], spark://host:7077, yarn, k8s://https://host:443, ...) and that the cluster is reachable from here."
)


def spark_session(settings: SparkConfig, *, app_name: str) -> Any:
    """A SparkSession on ``settings.master`` with ``settings.conf`` that has run a first job.

    Parameters
    ----------
    settings : SparkConfig
        ``master`` and ``conf``; ``timeout_s`` bounds the master's answer (a connection to a ``spark://``,
        ``mesos://`` or ``k8s://`` master), ``startup_timeout_s`` the start of the JVM, session and first job.
    app_name : str
        The application's name in the cluster manager.

    Raises
    ------
    ConfigError
        pyspark is missing (the message names the extra), the master did not answer within ``timeout_s``,
        or Spark failed or did not start within ``startup_timeout_s``.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise ConfigError("data.engine: spark needs pyspark: pip install 'ethicscheck[spark]' (and Java 17 or later).") from None
    _check_master_answers(settings)
    if settings.master.startswith("local"):
        # Local workers run this Python (and so this ethicscheck), not whatever `python3` is first on PATH.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.master(settings.master).appName(app_name)
    for key, value in {**_QUIET, **settings.conf}.items():
        builder = builder.config(key, value)

    def start() -> Any:
        session = builder.getOrCreate()
        # Errors come back as ethicscheck's own messages (exit 2); Spark's log would add Java stack traces to them.
        session.sparkContext.setLogLevel("OFF")
        session.range(1).count()  # a job: the master and an executor answered
        return session

    finished, outcome = within(settings.startup_timeout_s, start)
    if finished and not isinstance(outcome, BaseException):
        return outcome
    if finished:
        raise ConfigError(f"Spark on {settings.master!r} failed to start: {java_message(outcome)[:160]}. {_CHECK_MASTER}")
    raise ConfigError(
        f"Spark on {settings.master!r} did not start within spark.startup_timeout_s = {settings.startup_timeout_s:g} s (its JVM "
        "here, the session and a first job). A busy machine starts Spark slowly: raise spark.startup_timeout_s. " + _CHECK_MASTER
    )


def within(seconds: float, work: Any) -> tuple[bool, Any]:
    """Run ``work()`` in a daemon thread for at most ``seconds``: (finished, its result or the exception it raised).

    Work still running at the deadline is left to the daemon thread (Spark's start cannot be interrupted);
    the caller stops the audit with exit 2 and the process ends with it.
    """
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(work())
        except Exception as exc:  # noqa: BLE001 - any start-up failure becomes one clear message in the caller
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    return (True, outcome[0]) if outcome else (False, None)


def master_addresses(master: str) -> list[tuple[str, int]]:
    """The (host, port) pairs a master URL names: ``spark://h1:7077,h2:7077``, ``mesos://h:5050``, ``k8s://https://h:443``.

    Empty for masters whose address the name does not give: ``local[*]``, ``yarn`` (the Hadoop
    configuration names the resource manager) and ``mesos://zk://...`` (ZooKeeper finds the master).

    Examples
    --------
    >>> master_addresses("spark://a:7077,b")
    [('a', 7077), ('b', 7077)]
    >>> master_addresses("k8s://https://kube.example:6443")
    [('kube.example', 6443)]
    >>> master_addresses("local[2]")
    []
    """
    scheme, _, rest = master.partition("://")
    if scheme == "k8s":
        inner = rest if "://" in rest else f"https://{rest}"
        parts = urlsplit(inner)
        if parts.hostname is None:
            return []
        return [(parts.hostname, parts.port or _DEFAULT_PORTS.get(parts.scheme, 443))]
    if scheme not in ("spark", "mesos") or "://" in rest:
        return []
    addresses = []
    for host_port in rest.rstrip("/").split(","):
        parts = urlsplit(f"//{host_port}")
        if parts.hostname is not None:
            addresses.append((parts.hostname, parts.port or _DEFAULT_PORTS[scheme]))
    return addresses


def _check_master_answers(settings: SparkConfig) -> None:
    """A connection to one of the master's addresses within ``settings.timeout_s``, or exit 2 naming the master."""
    addresses = master_addresses(settings.master)
    deadline = time.monotonic() + settings.timeout_s
    problems = []
    for host, port in addresses:
        try:
            with socket.create_connection((host, port), timeout=max(deadline - time.monotonic(), 0.001)):
                return
        except OSError as exc:
            problems.append(f"{host}:{port}: {'no answer' if isinstance(exc, TimeoutError) else exc.strerror or exc}")
    if addresses:
        raise ConfigError(
            f"The Spark master {settings.master!r} did not answer within spark.timeout_s = {settings.timeout_s:g} s "
            f"({'; '.join(problems)}). {_CHECK_MASTER}"
        )


def java_message(exc: BaseException | None) -> str:
    """The first line of an error's own message (a Java exception's, not py4j's "An error occurred while calling")."""
    java = getattr(exc, "java_exception", None)
    text = str(java.getMessage()) if java is not None else str(exc or "")
    return (text.strip().splitlines() or [""])[0]
