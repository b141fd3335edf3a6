"""The input scan run in a forked child while the model scores and the rates are counted gives the same audit as the
scan run in the audit's own process; a child without an answer is followed by the scan here, an audit that fails
before the answer ends the child."""

from __future__ import annotations

import json
import os
import re
import sys

import pytest

import ethicscheck.audit as audit_module
from ethicscheck import _background
from tests.audit_helpers import audit, demo_config
from tests.golden.documents import normalised

_CLOCK = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks only on Linux")


def _config(demo_inputs):
    return demo_config(demo_inputs, fairness={"n_boot": 50}, privacy={"enabled": True})


def _published(outcome):
    card = outcome.files["model_card.md"].read_text(encoding="utf-8")
    return normalised(json.loads(outcome.files["audit.json"].read_text(encoding="utf-8"))), _CLOCK.sub("<clock>", card)


@pytest.fixture(scope="module")
def in_one_process(demo_inputs, tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_background, "_worth_forking", lambda: False)
        return _published(audit(_config(demo_inputs), tmp_path_factory.mktemp("one"), None))


def _forking(monkeypatch, started):
    monkeypatch.setattr(_background, "_worth_forking", lambda: True)
    real = audit_module.start_in_background

    def start(function):
        job = real(function)
        started.append(job)
        return job

    monkeypatch.setattr(audit_module, "start_in_background", start)


def test_the_scan_in_a_child_gives_the_same_audit(demo_inputs, in_one_process, tmp_path, monkeypatch):
    started: list = []
    _forking(monkeypatch, started)
    outcome = audit(_config(demo_inputs), tmp_path, None)
    assert len(started) == 1 and started[0] is not None
    assert outcome.result.privacy is not None and outcome.result.privacy.columns[0].rows_with_pii > 0
    assert _published(outcome) == in_one_process


def test_a_child_without_an_answer_is_followed_by_the_scan_here(demo_inputs, in_one_process, tmp_path, monkeypatch):
    class Silent:
        def result(self):
            raise _background.BackgroundFailed("killed")

        def cancel(self):
            pass

    monkeypatch.setattr(audit_module, "start_in_background", lambda function: Silent())
    assert _published(audit(_config(demo_inputs), tmp_path, None)) == in_one_process


def test_an_audit_failing_before_the_answer_ends_the_child(demo_inputs, tmp_path, monkeypatch):
    started: list = []
    _forking(monkeypatch, started)

    def fails(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(audit_module, "_assess", fails)
    with pytest.raises(KeyboardInterrupt):
        audit(_config(demo_inputs), tmp_path, None)
    (job,) = started
    with pytest.raises(ChildProcessError):
        os.waitpid(job._pid, os.WNOHANG)  # ended and reaped: no process left behind


def test_no_child_when_the_scan_has_its_own_processes(demo_inputs, tmp_path, monkeypatch):
    started: list = []
    _forking(monkeypatch, started)
    config = demo_config(demo_inputs, fairness={"n_boot": 50}, privacy={"enabled": True, "n_jobs": 2, "max_rows": 300})
    audit(config, tmp_path, None)
    assert started == []
