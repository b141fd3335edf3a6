"""Whole audits end to end, as a user runs them: the `ethicscheck` command, wall clock, with a stage breakdown.

Three audits, each in a fresh process (start-up imports included), into an MLflow sqlite store that
already exists (as on a user's second run):

- **precomputed**: 1M rows of decisions already made (configs/precomputed.yaml on a larger table):
  target <= 5 s;
- **privacy**: 100k synthetic ads scored by the demo's TF-IDF model with the personal-data scan on
  (the demo config), `privacy.n_jobs: 1` and `2`: target <= 25 s on one core and >= 1.7x faster with
  two workers. The one-core run is pinned to one processor (`sched_setaffinity`), so the audit, its
  MLflow worker and any forked helper (`ethicscheck._background` does not fork on one core) share it;
  the two-worker run may use every core;
- **demo**: `ethicscheck demo` (corpus, training and audit): target <= 10 s.

The stage breakdown comes from a second run sampled by py-spy (a development tool, `pip install
py-spy`; without it the breakdown falls back to the stage timings in audit.json). Each sample of the
main thread is attributed to the first audit stage on its stack; "of which imports" is the part of a
stage spent importing modules. The MLflow worker (a second process that imports MLflow while the audit
computes, then logs) is sampled too and shown on rows of its own: its time overlaps the audit's.

    python benchmarks/bench_audit.py [--rows 1000000] [--ads 100000] [--repeat 1] [--only precomputed,privacy,demo]

``--before DIR`` (the ``src`` folder of another ethicscheck, e.g. ``git archive <commit> src | tar -x -C /tmp/x`` and
``/tmp/x/src``) runs each audit ``--repeat`` times with it and with this one, taking turns, and prints their CPU seconds
side by side (the fewest of each; under load CPU seconds say more than walls) and whether audit.json was the same in
every run apart from timings, clock and tracking. No profile is taken then.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from _common import machine

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
AUDITS = ("precomputed", "privacy", "demo")

#: (stage, function name, file ending) in the order a stack is searched from its root.
STAGES: tuple[tuple[str, str, str], ...] = (
    ("demo corpus + training", "build_demo_inputs", "synth/_demo.py"),
    ("read data", "load_dataset", "data/_dataset.py"),
    ("load model", "load_detector", "models/_load.py"),
    ("score", "predict", ""),
    ("fairness", "_assess", "ethicscheck/audit.py"),
    ("privacy scan", "_scan_answer", "ethicscheck/audit.py"),  # the scan here, or its helpers' answer awaited (n_jobs >= 2)
    ("self-scan", "publish_without_personal_data", "ethicscheck/_personal_data.py"),
    ("report (cards, charts)", "_write_report", "ethicscheck/audit.py"),
    ("MLflow logging", "log_audit", "tracking/_log.py"),
)
IMPORTING = "_find_and_load"

#: The references a precomputed audit is measured against, each in a fresh process on the same table:
#: the least a per-group audit does (read the columns, one counting pass over group x label x decision
#: for each feature and their intersection), and fairlearn's MetricFrame of the same rates.
REFERENCES = {
    "counting pass (pandas read + np.bincount)": """
import sys, numpy as np, pandas as pd
frame = pd.read_parquet(sys.argv[1], columns=["nationality", "region", "label", "flagged"])
cell = frame["label"].to_numpy().astype(np.int64) * 2 + frame["flagged"].to_numpy()
codes = [pd.factorize(frame[c], use_na_sentinel=False)[0] for c in ("nationality", "region")]
for code in (*codes, codes[0] * (codes[1].max() + 1) + codes[1]):
    np.bincount(code * 4 + cell, minlength=(code.max() + 1) * 4)
""",
    "fairlearn MetricFrame (FPR, FNR, selection rate)": """
import sys, warnings, pandas as pd
from fairlearn.metrics import MetricFrame, false_negative_rate, false_positive_rate, selection_rate
frame = pd.read_parquet(sys.argv[1], columns=["nationality", "region", "label", "flagged"])
features = frame[["nationality", "region"]].fillna("(missing)")
metrics = {"fpr": false_positive_rate, "fnr": false_negative_rate, "selection_rate": selection_rate}
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    for columns in (["nationality"], ["region"], ["nationality", "region"]):
        MetricFrame(metrics=metrics, y_true=frame["label"], y_pred=frame["flagged"], sensitive_features=features[columns]).by_group
""",
}


@dataclass
class Breakdown:
    """Seconds per stage, and the part of each spent importing."""

    total: float
    seconds: dict[str, float] = field(default_factory=dict)
    importing: dict[str, float] = field(default_factory=dict)
    source: str = "py-spy"
    beside: dict[str, float] = field(default_factory=dict)  # a second process's stages, overlapping the audit's


# -- data ------------------------------------------------------------------------------------------


def precomputed_inputs(folder: Path, rows: int) -> Path:
    """A decisions table shaped like configs/data/precomputed_example.csv, ``rows`` long, and its config."""
    import numpy as np
    import pandas as pd

    data = folder / f"precomputed_{rows}.parquet"
    if not data.exists():
        rng = np.random.default_rng(7)
        nationalities = np.array(["not mentioned", "Nigerian", "Ukrainian", "Venezuelan", "Nepali", "Romanian", "Filipino"])
        nationality = nationalities[rng.choice(len(nationalities), rows, p=[0.3] + [0.7 / 6] * 6)].astype(object)
        region = np.array(["north", "capital", "border", "south", "coast"])[rng.integers(0, 5, rows)]
        label = (rng.random(rows) < 0.25).astype(int)
        bump = np.isin(nationality, ["Nigerian", "Venezuelan"]) * 0.9
        score = np.round(1 / (1 + np.exp(-(-2.6 + 3.2 * label + bump + rng.normal(0, 1.0, rows)))), 4)
        nationality[rng.random(rows) < 0.03] = None
        frame = pd.DataFrame(
            {
                "ad_id": [f"pre-{i:07d}" for i in range(rows)],
                "nationality": nationality,
                "region": region,
                "label": label,
                "score": score,
                "flagged": (score >= 0.5).astype(int),
            }
        )
        frame.to_parquet(data, index=False)
    config = yaml.safe_load((REPO / "configs" / "precomputed.yaml").read_text())
    config["data"]["path"] = str(data)
    return _write_config(folder / "precomputed.yaml", config)


def privacy_inputs(folder: Path, ads: int, n_jobs: int) -> Path:
    """``ads`` synthetic ads (seed 1) and the demo model trained on 8,000 others (seed 0), in the demo config."""
    data, model = folder / f"ads_{ads}.parquet", folder / "demo_model.skops"
    if not model.exists():
        from ethicscheck.synth import generate_ads, train_demo_model

        train = generate_ads(8000, seed=0, id_prefix="train")
        train_demo_model(train["text"], train["label"], model, seed=0)
    if not data.exists():
        from ethicscheck.synth import generate_ads

        generate_ads(ads, seed=1, id_prefix="eval").to_parquet(data, index=False)
    config = yaml.safe_load((REPO / "src" / "ethicscheck" / "configs" / "demo.yaml").read_text())
    config["data"]["path"] = str(data)
    config["model"]["path"] = str(model)
    config["privacy"]["n_jobs"] = n_jobs
    return _write_config(folder / f"privacy_{n_jobs}.yaml", config)


def _write_config(path: Path, config: dict) -> Path:
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def mlflow_store(folder: Path) -> str:
    """A sqlite tracking store created (and migrated) beforehand, as it is on every run after a user's first."""
    uri = f"sqlite:///{folder / 'mlflow.db'}"
    if not (folder / "mlflow.db").exists():
        subprocess.run(
            [sys.executable, "-c", f"import mlflow; mlflow.MlflowClient({uri!r}).search_experiments()"],
            check=True,
            capture_output=True,
        )
    return uri


# -- running ---------------------------------------------------------------------------------------


def command(audit: str, folder: Path, args: argparse.Namespace, uri: str, n_jobs: int = 1) -> list[str]:
    ethicscheck = str(BIN / "ethicscheck")
    report = str(folder / f"report_{audit}_{n_jobs}")
    if audit == "demo":
        return [ethicscheck, "demo", "--out", str(folder / "demo"), "--tracking-uri", uri]
    config = precomputed_inputs(folder, args.rows) if audit == "precomputed" else privacy_inputs(folder, args.ads, n_jobs)
    return [ethicscheck, "audit", "--config", str(config), "--out", report, "--tracking-uri", uri]


#: Runs the `ethicscheck` command (its arguments after this script's) as the console script does and, at exit, writes the
#: CPU seconds of the audit's own process — not of its MLflow worker or forked helpers — to the file named by
#: ``BENCH_OWN_CPU`` (read by an exit handler: the interpreter's teardown after it is in the wall time and the CPU of all
#: processes only). An ethicscheck from before ``command`` (``PYTHONPATH=<its src>``) runs its ``main``.
OWN_CPU = """
import atexit, os, resource, sys
def own():
    used = resource.getrusage(resource.RUSAGE_SELF)
    with open(os.environ["BENCH_OWN_CPU"], "w") as out:
        out.write(repr(used.ru_utime + used.ru_stime))
atexit.register(own)
import ethicscheck.cli.main as cli
sys.argv = sys.argv[1:]
getattr(cli, "command", cli.main)()
"""


@dataclass
class Timed:
    """One timed run: wall seconds, CPU seconds of every process (user + system) and of the audit's own process."""

    wall: float
    cpu: float
    own_cpu: float


def wall(cmd: Sequence[str], repeat: int, *, one_core: bool = False, src: Path | None = None) -> Timed:
    """The run with the best wall time of ``repeat`` runs, with its CPU seconds (workers and forked helpers included)
    and those of the audit's own process: on an idle machine with a core per process, the audit's process is the
    critical path, so its CPU seconds are what its wall time comes down to when the other cores keep up.

    Exit codes 0 and 1 are both a finished audit. ``one_core`` pins the run and every process it starts to the
    first processor this one may use; ``src`` runs the ethicscheck in that folder (``PYTHONPATH``) instead of this one.
    """
    best = Timed(float("inf"), 0.0, 0.0)
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as scratch:
            own_file = Path(scratch) / "own_cpu"
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            audit = Path(cmd[0]).name == "ethicscheck"  # the references are plain Python: their own CPU is their CPU
            done = subprocess.run(
                [sys.executable, "-c", OWN_CPU, *cmd] if audit else list(cmd),
                capture_output=True,
                text=True,
                env={**_env(src), "BENCH_OWN_CPU": str(own_file)},
                preexec_fn=_pin if one_core else None,
            )
            elapsed = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if done.returncode not in (0, 1):
                raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
            cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
            own = float(own_file.read_text()) if audit and own_file.exists() else cpu
        if elapsed < best.wall:
            best = Timed(elapsed, cpu, own)
    return best


def _pin() -> None:
    """In the child before it runs the audit: one processor for it and everything it starts."""
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def _env(src: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return {**env, "COLUMNS": "120", "NO_COLOR": "1", **({"PYTHONPATH": str(src)} if src else {})}


def interleaved(cmd: Sequence[str], report: Path, repeat: int, before: Path, *, one_core: bool) -> tuple[Timed, Timed, bool]:
    """The run with the fewest CPU seconds of ``repeat`` with the ethicscheck in ``before`` and of ``repeat`` with this one,
    taking turns (which goes first alternates), and whether every run's audit.json in ``report`` was the same apart from
    its timings, clock and tracking section."""
    best = {side: Timed(float("inf"), float("inf"), 0.0) for side in ("before", "after")}
    published = set()
    for turn in range(repeat):
        for side in ("before", "after") if turn % 2 == 0 else ("after", "before"):
            run = wall(cmd, 1, one_core=one_core, src=before if side == "before" else None)
            best[side] = min(best[side], run, key=lambda timed: timed.cpu)
            published.add(json.dumps(comparable(json.loads((report / "audit.json").read_text())), sort_keys=True))
    return best["before"], best["after"], len(published) == 1


def comparable(audit: dict) -> dict:
    """audit.json without what differs between two runs of the same audit: stage timings, clock, tracking."""
    run = {k: v for k, v in audit["run"].items() if k not in ("timings", "started_at", "finished_at")}
    return {**{k: v for k, v in audit.items() if k != "tracking"}, "run": run}


def profile(cmd: Sequence[str], report: Path, *, one_core: bool = False) -> Breakdown:
    """Sample the run with py-spy (wall clock, main thread); without py-spy, read audit.json's stage timings."""
    spy = shutil.which("py-spy") or (str(BIN / "py-spy") if (BIN / "py-spy").exists() else None)
    if spy is None:
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, env=_env(), preexec_fn=_pin if one_core else None)
        total = time.perf_counter() - start
        timings = json.loads((report / "audit.json").read_text())["run"]["timings"]
        return Breakdown(total, {k: float(v) for k, v in timings.items()}, {}, source="audit.json timings (py-spy not installed)")
    with tempfile.TemporaryDirectory() as scratch:
        raw = Path(scratch) / "stacks.txt"
        start = time.perf_counter()
        record = [spy, "record", "--idle", "--subprocesses", "--rate", "200", "--format", "raw", "--output", str(raw), "--"]
        subprocess.run([*record, *cmd], capture_output=True, env=_env(), preexec_fn=_pin if one_core else None)
        total = time.perf_counter() - start
        return attribute(raw.read_text().splitlines(), total)


#: py-spy --subprocesses starts each stack with the processes it runs in: ``process <pid>:"<command line>";``.
PROCESS = re.compile(r'process \d+:"(.*?)";')
#: The MLflow worker process (ethicscheck.tracking._worker) runs beside the audit: its samples are shown apart.
WORKER = "tracking._worker"


def attribute(lines: Sequence[str], total: float) -> Breakdown:
    """Seconds per stage from py-spy's collapsed stacks (``root;...;leaf count``), scaled to the wall time.

    The main thread of the audit's process makes the stages; the MLflow worker's main thread (a second process,
    beside the audit) and a forked copy of the audit's process (``ethicscheck._background``, e.g. the demo's training) get
    rows of their own, outside the shares. Other processes and threads are left out.
    """
    counts: dict[str, int] = {}
    importing: dict[str, int] = {}
    beside: dict[str, int] = {}
    for line in lines:
        stack, _, count = line.rpartition(" ")
        commands = PROCESS.findall(stack)
        frames = PROCESS.sub("", stack).split(";")
        if not frames or not frames[0].startswith("<module>"):
            continue  # not a main thread
        if commands and WORKER in commands[-1]:
            stage = _worker_stage(frames)
            beside[stage] = beside.get(stage, 0) + int(count)
            continue
        if len(commands) > 1:  # a forked copy of the audit (ethicscheck._background): same command, its own rows
            stage = f"forked child: {_stage(frames)}"
            beside[stage] = beside.get(stage, 0) + int(count)
            continue
        stage = _stage(frames)
        counts[stage] = counts.get(stage, 0) + int(count)
        if any(frame.startswith(IMPORTING) for frame in frames):
            importing[stage] = importing.get(stage, 0) + int(count)
    samples = sum(counts.values()) or 1
    return Breakdown(
        total,
        {stage: total * n / samples for stage, n in counts.items()},
        {stage: total * n / samples for stage, n in importing.items()},
        beside={stage: total * n / samples for stage, n in beside.items()},
    )


def _worker_stage(frames: Sequence[str]) -> str:
    if any(frame.startswith("send_audit_log ") for frame in frames):
        return "MLflow worker: logging"
    if any(frame.startswith(IMPORTING) for frame in frames):
        return "MLflow worker: importing"
    return "MLflow worker: waiting for the audit"


def _stage(frames: Sequence[str]) -> str:
    for frame in frames:
        name, _, where = frame.partition(" (")
        short = name.rsplit(".", 1)[-1]
        for stage, function, ending in STAGES:
            if short == function and (ending in where if ending else "ethicscheck/models/" in where):
                return stage
    if any(frame.startswith(IMPORTING) for frame in frames):
        return "start-up imports"
    return "other (CLI, config, gates, summary)"


# -- printing --------------------------------------------------------------------------------------


def print_breakdown(breakdown: Breakdown) -> None:
    order = ["start-up imports", *(s for s, _, _ in STAGES), "other (CLI, config, gates, summary)", *breakdown.seconds]
    print(f"\nStage breakdown ({breakdown.source}; profiled run {breakdown.total:.1f} s):\n")
    print("| stage | seconds | share | of which importing |")
    print("|---|---:|---:|---:|")
    shown = set()
    for stage in order:
        if stage in shown or stage not in breakdown.seconds:
            continue
        shown.add(stage)
        seconds = breakdown.seconds[stage]
        imports = breakdown.importing.get(stage)
        print(f"| {stage} | {seconds:.2f} | {seconds / breakdown.total:.0%} | {'' if imports is None else f'{imports:.2f}'} |")
    for stage, seconds in sorted(breakdown.beside.items()):
        print(f"| {stage} (second process, beside the audit) | {seconds:.2f} | | |")


def print_interleaved(audit: str, n_jobs: int, before: Timed, after: Timed, same: bool) -> None:
    """One audit before and after, side by side: CPU of all processes and of the audit's own process, and wall."""
    print(f"## {audit}" + (f", privacy.n_jobs: {n_jobs}" + (", pinned to one core" if n_jobs == 1 else "") if audit == "privacy" else ""))
    print(f"\n(fewest CPU seconds of the runs of each; load average {os.getloadavg()[0]:.1f})\n")
    print("| | CPU, all processes | CPU, the audit's process | wall |")
    print("|---|---:|---:|---:|")
    for name, run in (("before", before), ("after", after)):
        print(f"| {name} | {run.cpu:.2f} s | {run.own_cpu:.2f} s | {run.wall:.1f} s |")
    print(f"| after / before | {after.cpu / before.cpu:.3f} | {after.own_cpu / before.own_cpu:.3f} | {after.wall / before.wall:.3f} |")
    print(f"\naudit.json the same in every run apart from timings, clock and tracking: {'yes' if same else '**no**'}\n")


def print_references(table: Path, audit_wall: float, audit_cpu: float, repeat: int) -> None:
    """The references beside the audit, measured in this run: each a fresh process on the same table."""
    print("\nThe same table through the references, each in a fresh process (start-up imports included):\n")
    print("| run | wall | CPU (user + system) | audit / reference (wall) | audit / reference (CPU) |")
    print("|---|---:|---:|---:|---:|")
    print(f"| the audit (above) | {audit_wall:.1f} s | {audit_cpu:.1f} s | 1x | 1x |")
    for name, code in REFERENCES.items():
        reference = wall([sys.executable, "-c", code, str(table)], repeat)
        ratios = f"{audit_wall / reference.wall:.1f}x | {audit_cpu / reference.cpu:.1f}x"
        print(f"| {name} | {reference.wall:.1f} s | {reference.cpu:.1f} s | {ratios} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="Rows of the precomputed audit.")
    parser.add_argument("--ads", type=int, default=100_000, help="Ads of the privacy audit.")
    parser.add_argument("--repeat", type=int, default=1, help="Timed runs of each audit (the best is shown).")
    parser.add_argument("--only", default=",".join(AUDITS), help="Comma-separated subset of: " + ", ".join(AUDITS))
    parser.add_argument("--no-profile", action="store_true", help="Skip the profiled run (no stage breakdown).")
    parser.add_argument("--data", type=Path, help="Folder for the generated inputs, kept between runs (default: a temporary one).")
    parser.add_argument(
        "--before",
        type=Path,
        help="The src folder of another ethicscheck (git archive <commit> src | tar -x -C DIR; DIR/src): each audit is run "
        "--repeat times with it and with this one, taking turns, and their CPU seconds and audit.json compared.",
    )
    args = parser.parse_args()
    chosen = [a.strip() for a in args.only.split(",") if a.strip()]
    unknown = set(chosen) - set(AUDITS)
    if unknown:
        parser.error(f"--only: unknown audit(s) {sorted(unknown)}; choose from {', '.join(AUDITS)}")
    with tempfile.TemporaryDirectory() as scratch:
        folder = (args.data or Path(scratch)).resolve()
        folder.mkdir(parents=True, exist_ok=True)
        uri = mlflow_store(Path(scratch))
        print(f"# Whole audits through the `ethicscheck` command\n\n{machine()}\n")
        if args.before:
            print(f"{args.repeat} run(s) each with {args.before} (before) and this ethicscheck (after), taking turns, ", end="")
        else:
            print(f"Best of {args.repeat} run(s) each, ", end="")
        print("MLflow logging on (an existing sqlite store), fresh process per run.\n")
        summary: list[tuple[str, str, str]] = []
        for audit in chosen:
            jobs = (1, 2) if audit == "privacy" else (1,)
            times, cpus = {}, {}
            for n_jobs in jobs:
                cmd = command(audit, folder, args, uri, n_jobs)
                one_core = audit == "privacy" and n_jobs == 1
                if args.before:
                    report = folder / "demo" if audit == "demo" else Path(cmd[cmd.index("--out") + 1])
                    before, after, same = interleaved(cmd, report, args.repeat, args.before.resolve(), one_core=one_core)
                    print_interleaved(audit, n_jobs, before, after, same)
                    times[n_jobs], cpus[n_jobs] = after.wall, after.cpu  # the summary: this ethicscheck's
                    continue
                run = wall(cmd, args.repeat, one_core=one_core)
                times[n_jobs], cpus[n_jobs] = run.wall, run.cpu
                title = {
                    "precomputed": f"{args.rows:,}-row precomputed audit",
                    "privacy": f"{args.ads:,} ads, privacy on, privacy.n_jobs: {n_jobs}" + (", pinned to one core" if one_core else ""),
                    "demo": "`ethicscheck demo`",
                }[audit]
                print(
                    f"## {title}: {run.wall:.1f} s wall, {run.cpu:.1f} s CPU, of which the audit's own process "
                    f"{run.own_cpu:.1f} s (load average {os.getloadavg()[0]:.1f})"
                )
                if not args.no_profile:
                    report = folder / "demo" if audit == "demo" else Path(cmd[cmd.index("--out") + 1])
                    print_breakdown(profile(cmd, report, one_core=one_core))
                if audit == "precomputed":
                    print_references(folder / f"precomputed_{args.rows}.parquet", times[1], cpus[1], args.repeat)
                print()
            if audit == "precomputed":
                summary.append((f"{args.rows:,}-row precomputed audit", f"{times[1]:.1f} s", f"{cpus[1]:.1f} s", "<= 5 s"))
            elif audit == "privacy":
                summary.append((f"{args.ads:,} ads, privacy on, one core", f"{times[1]:.1f} s", f"{cpus[1]:.1f} s", "<= 25 s"))
                summary.append(
                    (
                        f"{args.ads:,} ads, privacy on, two workers",
                        f"{times[2]:.1f} s ({times[1] / times[2]:.2f}x faster)",
                        f"{cpus[2]:.1f} s",
                        ">= 1.7x faster",
                    )
                )
            else:
                summary.append(("`ethicscheck demo`", f"{times[1]:.1f} s", f"{cpus[1]:.1f} s", "<= 10 s"))
        print("## Summary\n\n| audit | wall | CPU (user + system) | target (wall) |\n|---|---:|---:|---|")
        for row in summary:
            print(f"| {' | '.join(row)} |")


if __name__ == "__main__":
    main()
