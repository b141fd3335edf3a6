"""Run one function in a forked copy of this process while this one does other work, on a second core.

A forked child starts with everything this process has imported and built, so it pays no start-up: it
runs the function, sends back what it returns (pickled, through a private pipe) and ends. The answer is
the same as calling the function here, since the child runs the same code on the same objects. Where
forking is not safe or pays nothing — not Linux, one core — :func:`start_in_background` returns None and
the caller runs the function itself. Nor where this process runs threads of its own (a web server, a notebook kernel, a
test runner's): a fork copies only the calling thread, and a lock another thread held would stay locked in the child.

Examples
--------
>>> job = start_in_background(lambda: sum(range(10)))
>>> (job.result() if job is not None else sum(range(10)))
45
"""

from __future__ import annotations

import os
import pickle
import select
import sys
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["BackgroundFailed", "BackgroundJob", "forking_pays", "start_in_background", "usable_cores"]

_T = TypeVar("_T")


class BackgroundFailed(Exception):
    """The child ended without an answer (it raised, or was killed); the caller runs the function itself to see why."""


class BackgroundJob(Generic[_T]):
    """A function running in a forked child: :meth:`result` waits for its return value, :meth:`cancel` ends it."""

    def __init__(self, pid: int, answer: int) -> None:
        self._pid, self._answer = pid, answer
        self._done = False

    def fileno(self) -> int:
        """The end of the pipe the answer comes through: readable once the child answers or ends (for ``select``)."""
        return self._answer

    def ready(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the child to answer or end; True when :meth:`result` no longer waits for
        the function (it still reads the answer whole)."""
        return bool(select.select([self._answer], [], [], timeout)[0])

    def result(self) -> _T:
        """Wait for the child and return what the function returned (a child that dies ends the wait: its end of the
        pipe closes; callers that must not wait on a child that hangs wait with :meth:`ready` first).

        Raises
        ------
        BackgroundFailed
            The function raised in the child, or the child ended without an answer.
        """
        if self._done:
            raise RuntimeError("a background job answers once")
        with os.fdopen(self._answer, "rb") as pipe:
            data = pipe.read()
        self._done = True
        _, status = os.waitpid(self._pid, 0)
        if os.waitstatus_to_exitcode(status) != 0 or not data:
            raise BackgroundFailed(f"the background process ended without an answer (exit code {os.waitstatus_to_exitcode(status)})")
        # Written by the child this process forked, into a pipe only the two of them hold: never bytes from outside.
        value: _T = pickle.loads(data)  # noqa: S301
        return value

    def cancel(self) -> None:
        """End the child when its answer is no longer wanted (this process is stopping for another reason)."""
        if self._done:
            return
        self._done = True
        os.close(self._answer)
        try:
            os.kill(self._pid, 9)
        except ProcessLookupError:
            pass
        os.waitpid(self._pid, 0)


def start_in_background(function: Callable[[], _T]) -> BackgroundJob[_T] | None:
    """Call ``function`` in a forked child and return its job, or None where forking is not worth it or not safe.

    The child must not print or touch files this process writes at the same time; what it returns must pickle.
    """
    if not _worth_forking():
        return None
    read, write = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: answer or fail, and never return into the caller's code
        code = 1
        try:
            os.close(read)
            data = pickle.dumps(function(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as pipe:
                pipe.write(data)
            code = 0
        except BaseException:  # noqa: S110  (the parent sees no answer and runs the function itself)
            pass
        finally:
            os._exit(code)
    os.close(write)
    return BackgroundJob(pid, read)


def forking_pays() -> bool:
    """Would :func:`start_in_background` fork now (Linux, a second core, no other Python thread)? Callers ask before
    preparing work for a child that would not start."""
    return _worth_forking()


def _worth_forking() -> bool:
    """Linux, a second core to run on, and no other Python thread that could hold a lock the child needs."""
    return sys.platform.startswith("linux") and _cores() >= 2 and threading.active_count() == 1


def usable_cores() -> int:
    """The processors this process may run on."""
    return _cores()


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
