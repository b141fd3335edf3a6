"""A function run in a forked child answers as it would here; a child that fails or is cancelled leaves nothing behind."""

from __future__ import annotations

import os
import sys

import pytest

from ethicscheck import _background
from ethicscheck._background import BackgroundFailed, start_in_background

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks only on Linux")


@pytest.fixture(autouse=True)
def two_cores(monkeypatch):
    monkeypatch.setattr(_background, "_cores", lambda: 2)
    monkeypatch.setattr(_background.threading, "active_count", lambda: 1)  # a test runner's own threads aside


def test_the_child_returns_what_the_function_returns_and_runs_in_another_process():
    job = start_in_background(lambda: (os.getpid(), {"a": [1, 2.5, None]}))
    assert job is not None
    pid, value = job.result()
    assert pid != os.getpid()
    assert value == {"a": [1, 2.5, None]}


def test_a_function_that_raises_in_the_child_is_reported_as_failed():
    def fails() -> None:
        raise ValueError("no")

    job = start_in_background(fails)
    assert job is not None
    with pytest.raises(BackgroundFailed, match="without an answer"):
        job.result()


def test_an_answer_is_read_once():
    job = start_in_background(lambda: 1)
    assert job is not None and job.result() == 1
    with pytest.raises(RuntimeError, match="once"):
        job.result()


def test_a_cancelled_child_is_ended_and_reaped():
    import time

    job = start_in_background(lambda: time.sleep(60))
    assert job is not None
    started = time.monotonic()
    job.cancel()
    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):
        os.waitpid(job._pid, os.WNOHANG)  # already reaped: no zombie left


def test_no_fork_with_one_core(monkeypatch):
    monkeypatch.setattr(_background, "_cores", lambda: 1)
    assert start_in_background(lambda: 1) is None


def test_no_fork_outside_linux(monkeypatch):
    monkeypatch.setattr(_background.sys, "platform", "darwin")
    assert start_in_background(lambda: 1) is None


def test_no_fork_beside_other_threads(monkeypatch):
    monkeypatch.setattr(_background.threading, "active_count", lambda: 2)
    assert start_in_background(lambda: 1) is None


def test_ready_says_when_the_answer_is_there_without_reading_it():
    import time

    slow = start_in_background(lambda: time.sleep(60))
    quick = start_in_background(lambda: 7)
    assert slow is not None and quick is not None
    assert not slow.ready(0.2)
    assert quick.ready(30)
    assert quick.result() == 7
    slow.cancel()


def test_ready_after_a_child_dies():
    job = start_in_background(lambda: os.kill(os.getpid(), 9))
    assert job is not None
    assert job.ready(30)
    with pytest.raises(BackgroundFailed, match="without an answer"):
        job.result()


def test_forking_pays_as_start_in_background_decides(monkeypatch):
    assert _background.forking_pays()
    monkeypatch.setattr(_background, "_cores", lambda: 1)
    assert not _background.forking_pays() and _background.usable_cores() == 1
