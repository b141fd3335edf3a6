"""When the audit's process joins the split input scan, how many chunks it scans itself, how long it waits for the helper.

Runs ``ethicscheck audit`` in this process with :mod:`ethicscheck.privacy._parallel` wrapped, and prints the wall
time and the audit process's CPU seconds at each point, with the CPU seconds of all its processes at the end:

    python benchmarks/trace_split_scan.py --config build/bench/full/privacy_2.yaml --out <dir> --tracking-uri sqlite:///<store>
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import resource
import time
from typing import Any

from ethicscheck.privacy import _parallel


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--tracking-uri", required=True)
    args = parser.parse_args()
    start, me = time.perf_counter(), os.getpid()
    events: list[str] = []
    own_chunks = [0]
    result, answers, take = _parallel.SplitScan.result, _parallel.SplitScan._answers, _parallel._Work.take

    def note(what: str, split: Any) -> None:
        left = split._work.left() if split._open else 0
        at = f"at {time.perf_counter() - start:.1f} s wall, audit process {_cpu():.1f} CPU s"
        events.append(f"{what}: {at}; chunks left {left} of {len(split._work.chunks)}, scanned here {own_chunks[0]}")

    def traced_take(work: Any) -> int | None:
        chunk = take(work)
        if chunk is not None and os.getpid() == me:
            own_chunks[0] += 1
        return chunk

    def traced_result(split: Any, progress: Any = None) -> Any:
        note("answer wanted (own work done)", split)
        answer = result(split, progress)
        note("answer merged", split)
        return answer

    def traced_answers(split: Any, advance: Any) -> Any:
        note("own share scanned, waiting for the helper", split)
        return answers(split, advance)

    _parallel.SplitScan.result, _parallel.SplitScan._answers, _parallel._Work.take = traced_result, traced_answers, traced_take  # type: ignore[method-assign]
    from ethicscheck.cli.main import main as ethicscheck

    load = os.getloadavg()[0]
    with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):
        ethicscheck(["audit", "--config", args.config, "--out", args.out, "--tracking-uri", args.tracking_uri])
    wall = time.perf_counter() - start
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    kids = children.ru_utime + children.ru_stime
    finished = os.getloadavg()[0]
    print(f"wall {wall:.1f} s, audit process {_cpu():.1f} CPU s, its other processes {kids:.1f} CPU s (load {load:.1f} -> {finished:.1f})")
    for event in events:
        print(f"  {event}")


if __name__ == "__main__":
    main()
