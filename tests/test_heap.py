"""Inside ``settled_heap`` what ``settle`` froze is skipped by the collector until the block ends; garbage is still
collected, and after the block the collector is as it was (a process's own frozen objects and thresholds untouched)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from ethicscheck._heap import FULL_PASS_EVERY, settle, settled_heap


class _Node:
    """An object in a reference cycle: only the collector frees it."""

    def __init__(self) -> None:
        self.me = self


def _cycle() -> weakref.ref[_Node]:
    return weakref.ref(_Node())


@pytest.fixture(autouse=True)
def collector() -> Iterator[None]:
    """Each test starts and ends with nothing frozen and the collector's own thresholds."""
    thresholds = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_settle_outside_the_block_freezes_nothing():
    settle()
    assert gc.get_freeze_count() == 0


def test_settled_objects_wait_for_the_end_of_the_block_and_are_collected_then():
    thresholds = gc.get_threshold()
    with settled_heap():
        node = _Node()
        kept = weakref.ref(node)
        settle()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[2] == max(thresholds[2], FULL_PASS_EVERY)
        del node
        gc.collect()
        assert kept() is not None  # frozen: skipped
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == thresholds
    gc.collect()
    assert kept() is None


def test_garbage_made_after_a_settle_is_collected_inside_the_block():
    with settled_heap():
        settle()
        made = _cycle()
        gc.collect()
        assert made() is None


def test_the_block_ends_as_it_started_when_its_body_raises():
    thresholds = gc.get_threshold()
    with pytest.raises(ValueError), settled_heap():
        settle()
        raise ValueError("stage failed")
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == thresholds


def test_a_process_that_froze_objects_itself_keeps_them_frozen_and_its_thresholds(monkeypatch):
    """The block neither freezes nor unfreezes what the process froze (recorded calls: the frozen count itself drops
    whenever a frozen object is freed by reference counting, in this thread or another, so it cannot be compared)."""
    node = _Node()
    kept = weakref.ref(node)
    gc.freeze()
    thresholds = gc.get_threshold()
    calls: list[str] = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(gc, "unfreeze", lambda: calls.append("unfreeze"))
    with settled_heap():
        settle()  # not the block's to do
        assert gc.get_threshold() == thresholds
    assert calls == []
    monkeypatch.undo()
    assert gc.get_freeze_count() > 0
    del node
    gc.collect()
    assert kept() is not None


def test_a_nested_block_leaves_the_outer_block_in_charge():
    with settled_heap():
        settle()
        with settled_heap():
            pass
        assert gc.get_freeze_count() > 0  # the inner block did not unfreeze
        settle()
    assert gc.get_freeze_count() == 0


def test_an_audit_settles_after_its_inputs_and_its_model_and_leaves_the_collector_as_it_was(demo_inputs, tmp_path, monkeypatch):
    from tests.audit_helpers import audit, demo_config

    real = gc.freeze
    settled: list[int] = []
    monkeypatch.setattr(gc, "freeze", lambda: settled.append(1) or real())
    thresholds = gc.get_threshold()
    outcome = audit(demo_config(demo_inputs, fairness={"n_boot": 50}), tmp_path / "out", None)
    assert outcome.files["audit.json"].is_file()
    assert len(settled) == 2  # no MLflow logging here: no third
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == thresholds
