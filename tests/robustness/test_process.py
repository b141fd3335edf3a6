"""Cases that need their own process: Ctrl-C, and a socket guard (tests/socket_guard.py) that lets nothing leave loopback."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import CONFIGS
from tests.socket_guard import guarded_env


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ethicscheck.cli.main", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def test_audit_log_and_card_open_no_socket_off_loopback(tmp_path):
    """``ethicscheck demo`` runs under the same guard in tests/cli/test_cli.py (one demo build for both)."""
    env = guarded_env(tmp_path)
    store = f"sqlite:///{tmp_path / 'mlflow.db'}"
    audit = _run(["audit", "--config", str(CONFIGS / "precomputed.yaml"), "--out", str(tmp_path / "pre"), "--no-tracking"], env, tmp_path)
    assert audit.returncode in (0, 1), audit.stderr
    logged = _run(["log", str(tmp_path / "pre"), "--tracking-uri", store], env, tmp_path)
    assert logged.returncode == 0, logged.stderr
    card = _run(["card", str(tmp_path / "pre"), "--format", "pdf"], env, tmp_path)
    assert card.returncode in (0, 2) and "Traceback" not in card.stderr  # 2 when no Chromium is installed
    log = tmp_path / "sockets.log"
    assert not log.exists(), f"connections off loopback: {log.read_text()}"


def test_the_guard_itself_blocks_and_records(tmp_path):
    env = guarded_env(tmp_path)
    code = "import socket\ntry:\n    socket.create_connection(('example.org', 443), timeout=1)\nexcept OSError as e:\n    print('blocked')"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert "blocked" in done.stdout and "resolve example.org" in (tmp_path / "sockets.log").read_text()


def _ctrl_c_as_in_a_terminal() -> None:
    """Start the audit with Ctrl-C handled as a shell starts a command: default action, not blocked.

    A test worker's process may carry an ignored or blocked SIGINT from an earlier test in it (under
    pytest-xdist the audit then ran to its model deadline and exited 2); a child inherits both.
    """
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_exits_130_without_a_traceback_and_keeps_the_previous_report(tmp_path):
    from tests.misbehaving import misbehaving_server

    frame_rows = 60
    data = tmp_path / "data.csv"
    data.write_text("x1,group,label\n" + "".join(f"{i / 10},{'ab'[i % 2]},{i % 2}\n" for i in range(frame_rows)))
    with misbehaving_server("trickle") as url:
        config = tmp_path / "slow.yaml"
        config.write_text(
            f"name: slow\ndata: {{path: {data}, label: {{column: label}}, sensitive_features: [{{column: group}}]}}\n"
            f"model: {{kind: http, url: '{url}', timeout_s: 60, retries: 0, input_columns: [x1]}}\n"
            "privacy: {enabled: false}\ntracking: {enabled: false}\n"
        )
        report = tmp_path / "report"
        report.mkdir()
        (report / "audit.json").write_text("previous")
        process = subprocess.Popen(
            [sys.executable, "-m", "ethicscheck.cli.main", "audit", "--config", str(config), "--out", str(report)],
            cwd=tmp_path,
            env=guarded_env(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=_ctrl_c_as_in_a_terminal,
        )
        seen = ""
        deadline = time.monotonic() + 120
        while "Scoring rows" not in seen and time.monotonic() < deadline:  # into the request that trickles
            seen += process.stderr.readline()  # type: ignore[union-attr]
        time.sleep(1)
        process.send_signal(signal.SIGINT)
        # A generous wait: on a loaded machine (two test workers beside a Spark JVM) the run took over 60 s to
        # wind down once; a run that ignored Ctrl-C would still fail below, on its exit code.
        _, rest = process.communicate(timeout=240)
        stderr = seen + rest
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and "interrupted" in stderr
    assert (report / "audit.json").read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report")] == []


@pytest.mark.parametrize("argv", [["pii-eval", "--ads", "0"], ["audit"]])
def test_usage_errors_in_a_real_process_exit_2(tmp_path, argv):
    done = _run(argv, guarded_env(tmp_path), tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_a_disk_that_refuses_writes_exits_2_naming_the_report_and_keeps_the_previous_one(tmp_path):
    """A file-size limit makes every write past a few kB fail (EFBIG), as a full disk does (ENOSPC), in a real process."""
    import resource

    data = tmp_path / "data.csv"
    data.write_text("group,label,flagged\n" + "".join(f"{'ab'[i % 2]},{i % 3 == 0:d},{i % 4 == 0:d}\n" for i in range(120)))
    config = tmp_path / "disk.yaml"
    config.write_text(
        f"name: disk\ndata: {{path: {data}, label: {{column: label}}, sensitive_features: [{{column: group}}]}}\n"
        "model: {kind: precomputed, decision_column: flagged}\nfairness: {n_boot: 20}\n"
        "privacy: {enabled: false}\ntracking: {enabled: false}\n"
    )
    report = tmp_path / "report"
    report.mkdir()
    (report / "audit.json").write_text("previous")

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead of the process being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    done = subprocess.run(
        [sys.executable, "-m", "ethicscheck.cli.main", "audit", "--config", str(config), "--out", str(report)],
        cwd=tmp_path,
        env=guarded_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=small_files,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    (line,) = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert str(report) in line and "--out" in line
    assert (report / "audit.json").read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report")] == []
