"""Every public name a package lists in __all__ exists (a re-export typo is caught here, not by users)."""

from __future__ import annotations

import importlib

import pytest

MODULES = [
    "ethicscheck",
    "ethicscheck.audit",
    "ethicscheck.cards",
    "ethicscheck.compare",
    "ethicscheck.config",
    "ethicscheck.data",
    "ethicscheck.fairness",
    "ethicscheck.errors",
    "ethicscheck.gates",
    "ethicscheck.integrations",
    "ethicscheck.models",
    "ethicscheck.privacy",
    "ethicscheck.result",
    "ethicscheck.synth",
    "ethicscheck.testing",
    "ethicscheck.tracking",
    "ethicscheck.validation",
]


@pytest.mark.parametrize("name", MODULES)
def test_all_names_exist(name):
    module = importlib.import_module(name)
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert missing == []


# pydantic is left out: typer itself imports it to render a command's help.
HEAVY = (
    "mlflow",
    "presidio_analyzer",
    "onnxruntime",
    "spacy",
    "sklearn",
    "numpy",
    "pandas",
    "scipy",
    "pyarrow",
    "matplotlib",
    "jinja2",
    "yaml",
)


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["audit", "--help"], ["validate", "--help"], ["history", "--help"]])
def test_cli_version_and_help_import_nothing_heavy(argv):
    """`ethicscheck --version` / `--help` load typer and rich only: the command modules defer the audit stack."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from ethicscheck.cli.main import main\n"
        f"sys.argv = ['ethicscheck', *{argv!r}]\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    code = exit.code\n"
        f"loaded = sorted(m for m in {HEAVY!r} if m in sys.modules)\n"
        "print('LOADED', loaded, code)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "LOADED [] 0", done.stdout[-2000:]


def test_assess_is_importable_from_the_package_as_the_readme_shows_without_making_import_heavy():
    import subprocess
    import sys

    code = "import sys, ethicscheck; heavy = sorted(m for m in ('numpy', 'pandas', 'scipy') if m in sys.modules); print(heavy)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"
    from ethicscheck import AssessSettings, assess, fairness

    assert assess is fairness.assess and AssessSettings is fairness.AssessSettings


def test_the_audit_module_defers_every_heavy_import_to_the_stage_that_uses_it():
    """Each is a second or more of every start: scipy.stats (Fisher's test, power), MLflow and its SQLAlchemy
    (logging), matplotlib (charts), presidio (the scan), scikit-learn (sklearn models)."""
    import subprocess
    import sys

    heavy = ("scipy.stats", "mlflow", "sqlalchemy", "matplotlib", "presidio_analyzer", "sklearn", "fairlearn")
    code = f"import sys, ethicscheck.audit; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"
