"""What scripts and shells get from the CLI: --json documents, shell completion, help without type noise."""

from __future__ import annotations

import json

import pytest

from tests.conftest import CONFIGS, run_cli

COMMANDS = ["audit", "demo", "validate", "schema", "log", "card", "history", "pii-eval", "compare"]


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_shows_no_type_for_flags(command):
    done = run_cli(*([command] if command else []), "--help")
    assert done.code == 0 and "Usage:" in done.stdout
    assert "<bool>" not in done.stdout and "<bool>" not in done.stderr


def test_shell_completion_is_typers():
    # Typer's --show-completion is a flag that asks shellingham for the shell this command was started
    # from; under a CI runner or a detached job there is no shell among the ancestors ("Shell  not
    # supported."). With detection off (Typer's own switch for its tests) the option takes the shell's name.
    done = run_cli("--show-completion", "bash", env={"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert done.code == 0 and "complete" in done.stdout and "COMP_WORDS" in done.stdout
    assert "--install-completion" in run_cli("--help").stdout


def test_audit_json_has_the_verdict_gates_and_report_paths(tmp_path):
    done = run_cli("audit", "-c", str(CONFIGS / "precomputed.yaml"), "--out", str(tmp_path / "r"), "--no-tracking", "--json", cwd=tmp_path)
    parsed = json.loads(done.stdout)  # stdout is one JSON document; progress goes to stderr
    verdict = parsed["verdict"]
    assert done.code == verdict["exit_code"]
    assert verdict["status"] in ("pass", "fail", "insufficient") and verdict["gates"]
    assert {"gate", "feature", "status", "message"} <= verdict["gates"][0].keys()
    assert parsed["report_dir"] == str(tmp_path / "r") and parsed["audit"] == "precomputed-example"
    for name in ("audit.json", "junit.xml", "summary.md", "model_card.html"):
        assert parsed["files"][name].endswith(name)
    assert parsed["mlflow"] is None
    saved = json.loads((tmp_path / "r" / "audit.json").read_text())
    assert saved["verdict"]["status"] == verdict["status"]
