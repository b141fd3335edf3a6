"""Every case of the silent-misread corpus exits 2 through the CLI entry point, naming the column and values.

The cases run in-process through ``ethicscheck.cli.main.main`` (the console entry point, with its one
error path); one case also runs as a real subprocess, so the two are known to agree.
"""

from __future__ import annotations

import pytest

from ethicscheck.cli.main import main
from tests.conftest import run_cli
from tests.misreads.corpus import CASES, MisreadCase, write_case


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as stopped:
        main(list(argv))
    captured = capsys.readouterr()
    return int(stopped.value.code or 0), captured.err + captured.out


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_misread_exits_2_naming_column_and_values(case: MisreadCase, tmp_path, capsys):
    config = write_case(case, tmp_path / case.id)
    code, output = _run(capsys, "audit", "--config", str(config), "--out", str(tmp_path / "out"), "--no-tracking")
    assert code == 2, output
    assert "Traceback" not in output
    for expected in case.expected:
        assert expected in output, (expected, output)
    for forbidden in case.forbidden:
        assert forbidden not in output
    assert not (tmp_path / "out" / "audit.json").exists()


def test_subprocess_agrees(tmp_path):
    case = CASES[0]
    config = write_case(case, tmp_path / case.id)
    result = run_cli("audit", "--config", str(config), "--out", str(tmp_path / "out"), "--no-tracking")
    assert result.code == 2 and all(e in result.stderr for e in case.expected), result.stderr


def test_the_same_table_with_the_right_config_audits(tmp_path, capsys):
    """The failures above come from the misreads, not from the tables: said right, the first case runs."""
    model = {"kind": "precomputed", "decision_column": "decision", "flagged_values": ["flagged"], "not_flagged_values": ["clear"]}
    config = write_case(MisreadCase("fine", CASES[0].columns, model, ()), tmp_path / "fine")
    code, output = _run(capsys, "audit", "--config", str(config), "--out", str(tmp_path / "out"), "--no-tracking")
    assert code == 0, output
