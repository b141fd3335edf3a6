"""The ``ethicscheck`` command (``command``, the console script) exits as ``main`` does, with the objects left frozen
for the interpreter's last collection, and exit handlers still run."""

from __future__ import annotations

import subprocess
import sys

import pytest

#: Runs the command with the given arguments; an exit handler says whether the heap was frozen when it ran.
_SCRIPT = """
import atexit, gc, sys
atexit.register(lambda: print("frozen at exit:", gc.get_freeze_count() > 0))
from ethicscheck.cli.main import command
sys.argv = ["ethicscheck", *sys.argv[1:]]
command()
"""


@pytest.mark.parametrize(("args", "code"), [(["--version"], 0), (["audit", "--config", "no-such-config.yaml"], 2)])
def test_the_command_exits_with_mains_code_and_runs_exit_handlers_on_a_frozen_heap(tmp_path, args, code):
    done = subprocess.run([sys.executable, "-c", _SCRIPT, *args], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == code, done.stderr
    assert done.stdout.splitlines()[-1] == "frozen at exit: True"
    assert "Traceback" not in done.stderr


def test_the_console_script_is_the_command():
    from importlib.metadata import entry_points

    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "ethicscheck"]
    assert script.value == "ethicscheck.cli.main:command"
