"""Every case of the robustness corpus keeps its promise (exit code, words, no traceback, in time, no payload)."""

from __future__ import annotations

import pytest

from tests.robustness.cases import CASES
from tests.robustness.run import run_case
from tests.robustness.workspace import Workspace


@pytest.fixture(scope="module")
def ws(tmp_path_factory, monkeypatch_module):
    root = tmp_path_factory.mktemp("corpus")
    # The cases run in the workspace: MLflow's default store (./mlflow.db, ./mlruns) and any default report folder
    # are relative to the working directory, which would otherwise be the checkout.
    monkeypatch_module.chdir(root)
    return Workspace(root)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("MLFLOW_TRACKING_URI", raising=False)
        patch.delenv("GITHUB_STEP_SUMMARY", raising=False)
        yield patch


def test_the_corpus_is_large_enough_and_covers_every_class():
    assert len(CASES) >= 80
    assert len({c.id for c in CASES}) == len(CASES)
    assert {"config", "data", "consent", "outputs", "http", "tracking", "reports", "output", "cli", "publication", "atomic"} <= {
        c.klass for c in CASES
    }


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(ws, case):
    outcome = run_case(ws, case)
    assert not outcome.problems, f"{case.id}: exit {outcome.code} in {outcome.seconds:.1f} s, {outcome.first_line!r}: {outcome.problems}"
