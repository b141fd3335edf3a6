"""The scan split over forked processes gives the scan of one process, whoever scans which chunk; a helper that dies or
hangs ends the wait with BackgroundFailed and leaves no process behind."""

from __future__ import annotations

import os
import sys
import time

import numpy as np
import pandas as pd
import pytest

from ethicscheck import _background
from ethicscheck._background import BackgroundFailed
from ethicscheck.fairness import encode_feature
from ethicscheck.privacy import DEFAULT_ENTITIES, ScanOptions, _parallel, scan_texts
from ethicscheck.privacy._parallel import _chunks, start_split_scan
from ethicscheck.privacy._scan import plan_scan
from ethicscheck.synth import generate_ads

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks only on Linux")

OPTIONS = ScanOptions(entities=DEFAULT_ENTITIES, phone_regions=("US",), examples=3)


@pytest.fixture(autouse=True)
def two_cores(monkeypatch):
    monkeypatch.setattr(_background, "_cores", lambda: 2)
    monkeypatch.setattr(_background.threading, "active_count", lambda: 1)  # a test runner's own threads aside
    monkeypatch.setattr(_parallel, "_TEXTS_PER_CHUNK", 40)  # several chunks from a few hundred ads


@pytest.fixture(scope="module")
def frame():
    ads = generate_ads(400, seed=9)
    ads = pd.concat([ads, ads.iloc[:80]], ignore_index=True)  # re-posted ads
    ads.loc[5, "text"] = None
    ads["reply"] = ads["text"].where(ads.index % 3 == 0, "call me on 212-555-0143")
    return ads


def _groups(frame):
    return [encode_feature(frame["nationality"], name="nationality"), encode_feature(frame["region"], name="region")]


def _split(frame, processes, *, max_rows=None):
    groups = _groups(frame)
    plan = plan_scan(frame, ["text"], OPTIONS, output_columns=["reply"], groups=groups, max_rows=max_rows, seed=4)
    return start_split_scan(frame, plan, OPTIONS, groups=groups, seed=4, processes=processes)


@pytest.mark.parametrize(("processes", "max_rows"), [(1, None), (2, None), (2, 150), (3, None)])
def test_the_split_scan_is_the_scan_of_one_process(frame, processes, max_rows):
    found: set[str] = set()
    expected = scan_texts(
        frame, ["text"], OPTIONS, output_columns=["reply"], groups=_groups(frame), max_rows=max_rows, seed=4, found_values=found
    )
    split = _split(frame, processes, max_rows=max_rows)
    assert split is not None
    shown: list[int] = []
    result, values = split.result(shown.append)
    assert result == expected
    assert values == found
    assert sum(shown) == split.n_texts == len(split._work.plan.rows) * 2


def test_chunks_hold_every_planned_row_once_and_every_copy_of_a_text_together(frame):
    plan = plan_scan(frame, ["text"], OPTIONS, output_columns=["reply"])
    chunks = _chunks(frame, plan)
    assert chunks is not None and len(chunks) > 3
    rows = np.concatenate(chunks)
    assert sorted(rows.tolist()) == list(range(len(frame)))
    where = {}
    for i, chunk in enumerate(chunks):
        assert (np.diff(chunk) > 0).all()
        for text in frame["text"].iloc[chunk].dropna():
            assert where.setdefault(text, i) == i


def test_no_split_where_forking_is_not_safe(frame, monkeypatch):
    monkeypatch.setattr(_background.threading, "active_count", lambda: 2)
    assert _split(frame, 2) is None


def _in_helpers(monkeypatch, action):
    """Run ``action`` instead of scanning a chunk in the helpers (this process scans as usual)."""
    parent, real = os.getpid(), _parallel.find_rows

    def find_rows(*args, **kwargs):
        if os.getpid() != parent:
            action()
        return real(*args, **kwargs)

    monkeypatch.setattr(_parallel, "find_rows", find_rows)


def _reaped(split):
    for job in split._helpers:
        with pytest.raises(ChildProcessError):
            os.waitpid(job._pid, os.WNOHANG)


@pytest.mark.parametrize("processes", [1, 2])
def test_a_helper_that_dies_ends_the_wait(frame, monkeypatch, processes):
    _in_helpers(monkeypatch, lambda: os.kill(os.getpid(), 9))
    split = _split(frame, processes)
    assert split is not None
    with pytest.raises(BackgroundFailed, match="without an answer"):
        split.result()
    _reaped(split)


@pytest.mark.parametrize("processes", [1, 2])
def test_a_helper_that_hangs_is_ended(frame, monkeypatch, processes):
    monkeypatch.setattr(_parallel, "STALL_SECONDS", 1.0)
    _in_helpers(monkeypatch, lambda: time.sleep(600))
    split = _split(frame, processes)
    assert split is not None
    started = time.monotonic()
    with pytest.raises(BackgroundFailed, match="took no chunk"):
        split.result()
    assert time.monotonic() - started < 60
    _reaped(split)


def test_a_cancelled_split_scan_leaves_no_process(frame, monkeypatch):
    _in_helpers(monkeypatch, lambda: time.sleep(600))
    split = _split(frame, 2)
    assert split is not None
    split.cancel()
    _reaped(split)
    split.cancel()  # twice is harmless
