"""Run the robustness corpus and print one table: case, exit code, seconds, first line of the message.

    python -m tests.robustness.run            # every case
    python -m tests.robustness.run http tracking   # only these classes

Exit status 1 when any case breaks its promise (wrong exit code, missing words, a traceback, too slow,
a payload marker, input text in a message). Cases run in this process through the real CLI entry
point; the Ctrl-C and socket-guard cases in ``test_process.py`` need their own processes.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.robustness.cases import CASES, Case
from tests.robustness.workspace import Workspace

#: The issue's bound: every case ends within its own deadline plus this.
SLACK_S = 10.0


@dataclass(frozen=True)
class Outcome:
    case: Case
    code: int
    seconds: float
    first_line: str
    problems: tuple[str, ...]


def run_in_process(argv: list[str]) -> tuple[int, str, str, float]:
    """``ethicscheck ARGV`` through its entry point: (exit code, stdout, stderr, seconds)."""
    from ethicscheck.cli.main import main

    stdout, stderr = io.StringIO(), io.StringIO()
    start = time.monotonic()
    code = 0
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return code, stdout.getvalue(), stderr.getvalue(), time.monotonic() - start


def run_case(ws: Workspace, case: Case) -> Outcome:
    from tests.misbehaving import misbehaving_server

    with contextlib.ExitStack() as stack:
        ws.urls = [stack.enter_context(misbehaving_server(b, n_rows=len(ws.frame))) for b in case.servers]
        argv = case.argv(ws)
        code, out, err, seconds = run_in_process(argv)
    text = err + out
    problems = []
    if code not in case.code:
        problems.append(f"exit {code}, expected {'/'.join(map(str, case.code))}")
    if "Traceback (most recent call last)" in text:
        problems.append("printed a traceback")
    problems += [f"does not say {word!r}" for word in case.says if word not in text]
    problems += [f"says {word!r}" for word in case.never_says if word in text]
    if seconds > case.deadline + SLACK_S:
        problems.append(f"took {seconds:.1f} s, deadline {case.deadline:g} s + {SLACK_S:g} s")
    if case.check is not None and code in case.code:
        found = case.check(ws)
        if found:
            problems.append(found)
    first = next((line for line in err.splitlines() if line.startswith(("error:", "Error:", "warning:"))), "")
    first = first or next((line for line in text.splitlines() if line.strip()), "")
    return Outcome(case, code, seconds, first.strip(), tuple(problems))


def main(classes: list[str]) -> int:
    os.environ.pop("MLFLOW_TRACKING_URI", None)
    os.environ.pop("GITHUB_STEP_SUMMARY", None)
    chosen = [c for c in CASES if not classes or c.klass in classes]
    with tempfile.TemporaryDirectory(prefix="ethicscheck-corpus-") as root:
        ws = Workspace(Path(root))
        outcomes = []
        for case in chosen:
            outcome = run_case(ws, case)
            outcomes.append(outcome)
            mark = "ok " if not outcome.problems else "BAD"
            print(f"{mark} {case.id:<48} {outcome.code:>3} {outcome.seconds:6.1f}s  {outcome.first_line[:110]}", flush=True)
            for problem in outcome.problems:
                print(f"      ^ {problem}", flush=True)
    bad = [o for o in outcomes if o.problems]
    print(f"\n{len(outcomes)} cases, {len(bad)} broken, {sum(o.seconds for o in outcomes):.0f} s in all", flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
