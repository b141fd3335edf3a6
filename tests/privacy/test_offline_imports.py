"""The scan stays offline whichever of ethicscheck's modules a user's script imports first."""

from __future__ import annotations

import subprocess
import sys

from tests.socket_guard import guarded_env

_SCRIPT = """
from ethicscheck.privacy.recognizers.obfuscated_phone import *  # a recognizer module first: presidio and tldextract load here
from ethicscheck.privacy import scan_strings

print(len(scan_strings([("write to jane.doe@example.org or visit https://example.co.uk/x", "note")])))
"""


def test_importing_a_recognizer_first_does_not_reach_for_the_public_suffix_list(tmp_path):
    env = guarded_env(tmp_path)
    env.pop("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", None)  # as in a user's shell, not the test run's
    result = subprocess.run([sys.executable, "-c", _SCRIPT], env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert int(result.stdout.split()[-1]) >= 1  # the e-mail address is still found
    assert not (tmp_path / "sockets.log").exists(), (tmp_path / "sockets.log").read_text()
