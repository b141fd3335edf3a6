"""Shared fixtures: the demo inputs (built once), temporary MLflow stores, and a CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

from ethicscheck.synth import DemoInputs, build_demo_inputs

REPO = Path(__file__).resolve().parent.parent
CONFIGS = REPO / "configs"

# Nothing in the test run may reach for the network or the user's own MLflow store.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
os.environ.pop("MLFLOW_TRACKING_URI", None)

# No timed assertions in tests (the machines are noisy): hypothesis's per-example deadline is one, and it failed
# a property test at load 20. Examples are still bounded by their count.
settings.register_profile("ethicscheck", deadline=None)
settings.load_profile("ethicscheck")


@pytest.fixture(scope="session")
def demo_inputs(tmp_path_factory: pytest.TempPathFactory) -> DemoInputs:
    """The demo corpus and model, generated once per test session."""
    return build_demo_inputs(tmp_path_factory.mktemp("demo_inputs"))


@pytest.fixture(scope="session")
def demo_outcome(demo_inputs: DemoInputs, tmp_path_factory: pytest.TempPathFactory):
    """One in-process audit of the demo (tests/audit_helpers.demo_config, no tracking), shared read-only by the
    tests that only read its result and report files. A test that changes the config runs its own."""
    from tests.audit_helpers import audit, demo_config

    return audit(demo_config(demo_inputs), tmp_path_factory.mktemp("demo_outcome"), None)


@pytest.fixture(scope="session")
def session_tracking_uri(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A sqlite store created once (MLflow fails when processes create one DB concurrently)."""
    import mlflow

    path = tmp_path_factory.mktemp("mlflow") / "mlflow.db"
    uri = f"sqlite:///{path}"
    mlflow.MlflowClient(tracking_uri=uri).search_experiments()  # runs the migrations now
    return uri


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 300) -> CliResult:
    """Run the real ``ethicscheck`` command in a subprocess."""
    # mlflow.set_tracking_uri (called by earlier tests in this process) exports MLFLOW_TRACKING_URI;
    # a command under test must only see the store its own test names.
    inherited = {k: v for k, v in os.environ.items() if k != "MLFLOW_TRACKING_URI"}
    full_env = {**inherited, "COLUMNS": "200", **(env or {})}
    done = subprocess.run(
        [sys.executable, "-m", "ethicscheck.cli.main", *args],
        cwd=cwd or REPO,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return CliResult(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def cli():
    return run_cli


def demo_tree(root: Path, demo_inputs: DemoInputs) -> Path:
    """A copy of configs/demo.yaml under ``root/configs`` with the demo inputs where it expects them."""
    import shutil

    (root / "configs").mkdir()
    shutil.copy(CONFIGS / "demo.yaml", root / "configs" / "demo.yaml")
    inputs = root / "reports" / "demo" / "inputs"
    inputs.mkdir(parents=True)
    shutil.copy(demo_inputs.eval_path, inputs / "ads_eval.parquet")
    shutil.copy(demo_inputs.model_path, inputs / "demo_model.skops")
    return root / "configs" / "demo.yaml"
