"""A report folder is swapped in whole: nothing of an older audit survives, a failure changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from ethicscheck._staging import staged_folder


def _old_report(target):
    target.mkdir()
    (target / "audit.json").write_text("old")
    (target / "chart_03_old_feature.svg").write_text("old chart")
    (target / "inputs").mkdir()
    (target / "inputs" / "data.csv").write_text("kept")
    (target / "notes.txt").write_text("kept")


def test_new_report_replaces_every_old_report_file_and_keeps_the_rest(tmp_path):
    target = tmp_path / "report"
    _old_report(target)
    with staged_folder(target) as staging:
        (staging / "audit.json").write_text("new")
        (staging / "chart_01_new.svg").write_text("new chart")
        assert (target / "audit.json").read_text() == "old"  # readers see the old report until the swap
    assert sorted(p.name for p in target.iterdir()) == ["audit.json", "chart_01_new.svg", "inputs", "notes.txt"]
    assert (target / "audit.json").read_text() == "new" and (target / "inputs" / "data.csv").read_text() == "kept"
    assert [p.name for p in tmp_path.iterdir()] == ["report"]  # no staging or retired folder left behind


@pytest.mark.parametrize("failure", [RuntimeError("boom"), KeyboardInterrupt()])
def test_a_failed_or_interrupted_write_leaves_the_old_report(tmp_path, failure):
    target = tmp_path / "report"
    _old_report(target)
    with pytest.raises(type(failure)), staged_folder(target) as staging:
        (staging / "audit.json").write_text("half")
        raise failure
    assert (target / "audit.json").read_text() == "old" and (target / "chart_03_old_feature.svg").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_first_report_creates_the_folder_and_parents(tmp_path):
    with staged_folder(tmp_path / "a" / "b") as staging:
        (staging / "audit.json").write_text("x")
    assert (tmp_path / "a" / "b" / "audit.json").read_text() == "x"


def test_target_that_is_a_file_is_refused_naming_it(tmp_path):
    target = tmp_path / "report"
    target.write_text("a file")
    with pytest.raises(FileExistsError) as raised, staged_folder(target):
        pass
    assert raised.value.filename == str(target)


def test_unwritable_parent_names_the_target():
    """Run as an unprivileged user: root writes anywhere (CI runs as root), so a forked child drops to nobody first."""
    import os
    import shutil
    import tempfile
    import traceback

    base = Path(tempfile.mkdtemp())  # under /tmp, so nobody can reach it (pytest's tmp_path is private to its user)
    base.chmod(0o755)
    parent = base / "ro"
    parent.mkdir()
    parent.chmod(0o555)

    def check() -> None:
        with pytest.raises(PermissionError) as raised, staged_folder(parent / "report"):
            pass
        assert raised.value.filename == str(parent / "report")

    try:
        if os.geteuid() != 0:
            check()
            return
        pid = os.fork()
        if pid == 0:  # the child: nobody, then the check; its exit code is the verdict
            code = 1
            try:
                os.setgid(65534)
                os.setuid(65534)
                check()
                code = 0
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0, "as nobody, staging under a read-only folder did not fail naming the target"
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_two_audits_writing_one_folder_at_once_never_mix(tmp_path):
    """Each writer's report (different chart files) is swapped in whole; the folder ends as one of them, never a blend."""
    import threading

    target = tmp_path / "report"
    _old_report(target)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def audit(tag: str, charts: int) -> None:
        try:
            with staged_folder(target) as staging:
                start.wait()
                for index in range(charts):
                    (staging / f"chart_{index:02d}_{tag}.svg").write_text(tag)
                (staging / "audit.json").write_text(tag)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    writers = [threading.Thread(target=audit, args=(tag, charts)) for tag, charts in (("first", 30), ("second", 3))]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert not errors
    winner = (target / "audit.json").read_text()
    charts = sorted(p.name for p in target.glob("chart_*.svg"))
    assert charts == [f"chart_{i:02d}_{winner}.svg" for i in range({"first": 30, "second": 3}[winner])]
    assert (target / "inputs" / "data.csv").read_text() == "kept"
    assert [p.name for p in tmp_path.iterdir()] == ["report"]
