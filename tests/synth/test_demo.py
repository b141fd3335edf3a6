"""The demo's inputs are the same files, byte for byte, whether the model trains here or in a forked child."""

from __future__ import annotations

import sys

import pytest

from ethicscheck import _background
from ethicscheck.synth import _demo, build_demo_inputs

NAMES = ("ads_train.parquet", "ads_eval.parquet", "demo_model.skops")


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sequential")
    build_demo_inputs(folder, n_train=600, n_eval=200)
    return {name: (folder / name).read_bytes() for name in NAMES}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks only on Linux")
def test_training_in_a_child_while_the_caller_works_gives_the_same_files(small, tmp_path, monkeypatch):
    monkeypatch.setattr(_background, "_worth_forking", lambda: True)
    started = []
    real = _background.start_in_background
    monkeypatch.setattr(_demo, "start_in_background", lambda f: started.append(1) or real(f))
    called = []
    inputs = build_demo_inputs(tmp_path, n_train=600, n_eval=200, meanwhile=lambda: called.append(1))
    assert started == [1] and called == [1]
    assert {name: (tmp_path / name).read_bytes() for name in NAMES} == small
    assert inputs.model_path == tmp_path / "demo_model.skops"


def test_a_failed_child_is_followed_by_training_here(small, tmp_path, monkeypatch):
    class Failed:
        def result(self):
            raise _background.BackgroundFailed("killed")

        def cancel(self):
            pass

    monkeypatch.setattr(_demo, "start_in_background", lambda f: Failed())
    build_demo_inputs(tmp_path, n_train=600, n_eval=200, meanwhile=lambda: None)
    assert {name: (tmp_path / name).read_bytes() for name in NAMES} == small


def test_one_core_trains_here(small, tmp_path, monkeypatch):
    monkeypatch.setattr(_background, "_cores", lambda: 1)
    build_demo_inputs(tmp_path, n_train=600, n_eval=200, meanwhile=lambda: None)
    assert {name: (tmp_path / name).read_bytes() for name in NAMES} == small


def test_an_error_meanwhile_ends_the_child_and_is_raised(tmp_path, monkeypatch):
    monkeypatch.setattr(_background, "_worth_forking", lambda: True)
    cancelled = []
    real = _background.start_in_background

    def start(f):
        job = real(f)
        if job is not None:
            original = job.cancel
            job.cancel = lambda: cancelled.append(1) or original()  # type: ignore[method-assign]
        return job

    monkeypatch.setattr(_demo, "start_in_background", start)

    def fails() -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        build_demo_inputs(tmp_path, n_train=600, n_eval=200, meanwhile=fails)
    assert cancelled == ([1] if sys.platform.startswith("linux") else [])
