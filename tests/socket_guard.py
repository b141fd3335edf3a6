"""A socket guard for commands run in their own process: a ``sitecustomize`` that lets nothing leave loopback and
records every attempt in ``$ETHICSCHECK_SOCKET_LOG`` (the file exists only when something tried)."""

from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import REPO

GUARD = """
import os, socket

_LOG = os.environ["ETHICSCHECK_SOCKET_LOG"]
_LOOPBACK = ("127.", "::1", "localhost", "0.0.0.0")


def _note(what):
    with open(_LOG, "a") as handle:
        handle.write(what + "\\n")


def _allowed(host):
    return host is None or isinstance(host, int) or str(host).startswith(_LOOPBACK) or str(host) == ""


_connect = socket.socket.connect
_getaddrinfo = socket.getaddrinfo


def connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _allowed(address[0]):
        _note(f"connect {address}")
        raise OSError(101, "blocked by the ethicscheck socket guard")
    return _connect(self, address)


def getaddrinfo(host, *args, **kwargs):
    if not _allowed(host):
        _note(f"resolve {host}")
        raise socket.gaierror(-2, "blocked by the ethicscheck socket guard")
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect = connect
socket.getaddrinfo = getaddrinfo
"""


def guarded_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a guarded process: ``tmp_path / "sockets.log"`` records connections off loopback."""
    site = tmp_path / "guard"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(GUARD)
    env = {k: v for k, v in os.environ.items() if k not in ("MLFLOW_TRACKING_URI", "GITHUB_STEP_SUMMARY")}
    env["PYTHONPATH"] = os.pathsep.join([str(site), str(REPO), env.get("PYTHONPATH", "")])
    env["ETHICSCHECK_SOCKET_LOG"] = str(tmp_path / "sockets.log")
    return env
