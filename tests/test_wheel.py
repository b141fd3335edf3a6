"""The built wheel ships what installed users need: py.typed (so their type checkers read our hints), the
card templates and the demo configs that ``ethicscheck demo`` and ``compare`` read."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    # No build isolation: the dev install provides setuptools, so building needs no index or network.
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (built,) = out.glob("ethicscheck-*.whl")
    return zipfile.ZipFile(built)


@pytest.mark.slow
@pytest.mark.parametrize(
    "path",
    [
        "ethicscheck/py.typed",
        "ethicscheck/configs/demo.yaml",
        "ethicscheck/configs/compare_demo.yaml",
        "ethicscheck/cards/templates/model_card.html.j2",
    ],
)
def test_the_wheel_ships(wheel, path):
    assert path in wheel.namelist()


@pytest.mark.slow
def test_the_wheel_registers_the_integrations_entry_points(wheel):
    (name,) = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    text = wheel.read(name).decode()
    assert "ethicscheck = ethicscheck.integrations.pytest_plugin" in text
    assert "ethicscheck = ethicscheck.integrations._mlflow_evaluator:EthicsCheckEvaluator" in text


def test_the_repository_demo_configs_are_the_packaged_ones():
    """configs/demo.yaml and configs/compare_demo.yaml are links to the packaged files: one copy each."""
    for name in ("demo.yaml", "compare_demo.yaml"):
        shown, packaged = REPO / "configs" / name, REPO / "src" / "ethicscheck" / "configs" / name
        assert shown.is_symlink() and shown.resolve() == packaged.resolve()
