"""Every public name a package lists in __all__ exists (a re-export typo is caught here, not by users)."""

from __future__ import annotations

import importlib

import pytest

MODULES = [
    "ethicscheck.audit",
    "ethicscheck.cards",
    "ethicscheck.config",
    "ethicscheck.data",
    "ethicscheck.fairness",
    "ethicscheck.gates",
    "ethicscheck.models",
    "ethicscheck.privacy",
    "ethicscheck.result",
    "ethicscheck.synth",
    "ethicscheck.testing",
    "ethicscheck.tracking",
]


@pytest.mark.parametrize("name", MODULES)
def test_all_names_exist(name):
    module = importlib.import_module(name)
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert missing == []


def test_cli_help_does_not_import_heavy_libraries():
    import subprocess
    import sys

    code = "import sys; from ethicscheck.cli import main; print(sorted(m for m in ('mlflow', 'presidio_analyzer', 'onnxruntime', 'spacy', 'sklearn') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
