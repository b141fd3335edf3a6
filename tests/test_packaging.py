"""What pyproject.toml promises: the licence file matches, optional extras are complete, `make test` installs every extra."""

from __future__ import annotations

import tomllib

import pytest

from ethicscheck.errors import EXTRAS, MissingExtraError, require_extra
from tests.conftest import REPO

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())


def test_licence_file_is_the_apache_2_text_pyproject_names():
    assert PYPROJECT["project"]["license"] == "Apache-2.0"
    text = (REPO / "LICENSE").read_text()
    assert "Apache License" in text and "Version 2.0, January 2004" in text and "END OF TERMS AND CONDITIONS" in text


def test_optional_libraries_are_extras_and_dev_installs_them_all():
    core = " ".join(PYPROJECT["project"]["dependencies"])
    extras = PYPROJECT["project"]["optional-dependencies"]
    for extra, modules in EXTRAS.items():
        for _, dist in modules:
            assert dist not in core, f"{dist} belongs in the '{extra}' extra, not the core install"
            assert any(req.startswith(dist) for req in extras[extra]), (extra, dist)
    dev_self = next(r for r in extras["dev"] if r.startswith("ethicscheck["))
    assert set(dev_self.removeprefix("ethicscheck[").rstrip("]").split(",")) == set(EXTRAS)


def test_a_missing_extra_names_the_pip_command(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "art" else real(name, *a))
    with pytest.raises(
        MissingExtraError, match=r"needs adversarial-robustness-toolbox, which is not installed\. .*pip install 'ethicscheck\[compare\]'"
    ):
        require_extra("compare", feature="ethicscheck compare")
    require_extra("compare", feature="DP candidates", modules=("diffprivlib",))  # diffprivlib is there


def test_compare_without_its_extra_exits_2_naming_it(tmp_path):
    """The real command, with ART made unimportable (as in a core-only install)."""
    import subprocess
    import sys

    config = tmp_path / "c.yaml"
    config.write_text("name: c\nseeds: [0]\nsynth: {ads: 300}\ntracking: {enabled: false}\n")
    code = (
        "import sys, importlib.util\n"
        "real = importlib.util.find_spec\n"
        "importlib.util.find_spec = lambda name, *a: None if name == 'art' else real(name, *a)\n"
        "from ethicscheck.cli.main import main\n"
        f"main(['compare', '--config', {str(config)!r}])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert done.returncode == 2, done.stderr
    assert "pip install 'ethicscheck[compare]'" in done.stderr and "Traceback" not in done.stderr
