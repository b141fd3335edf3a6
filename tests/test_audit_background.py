"""The input scan split over forked processes from the moment the data is read (while the model loads and scores and the
rates are counted) gives the same audit as the scan run in the audit's own process, with one helper or with the audit's
process scanning too; helpers without an answer are followed by the scan here, an audit that fails before the answer
ends them."""

from __future__ import annotations

import json
import os
import re
import sys

import pytest

import ethicscheck.audit as audit_module
from ethicscheck import _background
from ethicscheck.errors import EthicsCheckError
from tests.audit_helpers import audit, demo_config
from tests.golden.documents import normalised

_CLOCK = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks only on Linux")


def _config(demo_inputs, **privacy):
    return demo_config(demo_inputs, fairness={"n_boot": 50}, privacy={"enabled": True, **privacy})


def _published(outcome):
    card = outcome.files["model_card.md"].read_text(encoding="utf-8")
    return normalised(json.loads(outcome.files["audit.json"].read_text(encoding="utf-8"))), _CLOCK.sub("<clock>", card)


@pytest.fixture(scope="module")
def one_process(demo_inputs, tmp_path_factory):
    """The published audit with the scan in the audit's own process, per ``privacy.n_jobs`` (the config differs)."""
    done: dict[int, tuple] = {}

    def published(n_jobs: int = 1) -> tuple:
        if n_jobs not in done:
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(_background, "_worth_forking", lambda: False)
                patch.setattr(_background, "_cores", lambda: 1)  # nor a pool for n_jobs: 2
                done[n_jobs] = _published(audit(_config(demo_inputs, n_jobs=n_jobs), tmp_path_factory.mktemp("one"), None))
        return done[n_jobs]

    return published


def _forking(monkeypatch, started):
    monkeypatch.setattr(_background, "_worth_forking", lambda: True)
    monkeypatch.setattr(_background, "_cores", lambda: 2)
    real = audit_module.start_split_scan

    def start(*args, **kwargs):
        split = real(*args, **kwargs)
        started.append(split)
        return split

    monkeypatch.setattr(audit_module, "start_split_scan", start)


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_the_split_scan_gives_the_same_audit(demo_inputs, one_process, tmp_path, monkeypatch, n_jobs):
    started: list = []
    _forking(monkeypatch, started)
    outcome = audit(_config(demo_inputs, n_jobs=n_jobs), tmp_path, None)
    (split,) = started
    assert split is not None and len(split._helpers) == 1 and split._joins == (n_jobs == 2)
    assert outcome.result.privacy is not None and outcome.result.privacy.columns[0].rows_with_pii > 0
    assert _published(outcome) == one_process(n_jobs)


def test_the_scan_starts_before_the_model_loads(demo_inputs, tmp_path, monkeypatch):
    order: list[str] = []
    _forking(monkeypatch, [])
    start, load = audit_module.start_split_scan, audit_module.load_detector
    monkeypatch.setattr(audit_module, "start_split_scan", lambda *a, **k: order.append("scan") or start(*a, **k))
    monkeypatch.setattr(audit_module, "load_detector", lambda *a, **k: order.append("model") or load(*a, **k))
    audit(_config(demo_inputs), tmp_path, None)
    assert order == ["scan", "model"]


def test_helpers_without_an_answer_are_followed_by_the_scan_here(demo_inputs, one_process, tmp_path, monkeypatch):
    class Silent:
        n_texts = 1

        def result(self, progress=None):
            raise _background.BackgroundFailed("killed")

        def cancel(self):
            pass

    monkeypatch.setattr(audit_module, "forking_pays", lambda: True)
    monkeypatch.setattr(audit_module, "start_split_scan", lambda *args, **kwargs: Silent())
    assert _published(audit(_config(demo_inputs), tmp_path, None)) == one_process()


def test_an_audit_failing_before_the_answer_ends_the_helpers(demo_inputs, tmp_path, monkeypatch):
    started: list = []
    _forking(monkeypatch, started)

    def fails(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(audit_module, "_assess", fails)
    with pytest.raises(KeyboardInterrupt):
        audit(_config(demo_inputs), tmp_path, None)
    (split,) = started
    for job in split._helpers:
        with pytest.raises(ChildProcessError):
            os.waitpid(job._pid, os.WNOHANG)  # ended and reaped: no process left behind


def test_a_model_that_fails_to_load_ends_the_helpers(demo_inputs, tmp_path, monkeypatch):
    started: list = []
    _forking(monkeypatch, started)
    config = _config(demo_inputs)
    config = config.model_copy(update={"model": config.model.model_copy(update={"path": tmp_path / "missing.skops"})})
    with pytest.raises(EthicsCheckError, match="does not exist"):
        audit(config, tmp_path, None)
    (split,) = started
    for job in split._helpers:
        with pytest.raises(ChildProcessError):
            os.waitpid(job._pid, os.WNOHANG)
