"""The same audit on every engine: in memory (pandas), streamed record batches, Spark ``local[2]``.

Part 1: 10M rows (precomputed decisions and scores, two sensitive features and their intersection,
1,000 bootstrap replicates), one Parquet file, audited with ``ethicscheck audit`` on each engine, each
in its own process: wall time, peak resident memory of the process tree (sampled at 10 Hz; for Spark
the JVM included), the stage times from audit.json, and an assertion that the three audit.json files
are identical apart from timings and the engine's provenance.

Part 2: 100M rows in a folder of Parquet files, streamed (peak RSS target <= 3 GB), and the in-memory
engine on the same rows (its figure, or how it failed).

Part 3 (``--ads N``, written to results/engines_spark.md): N synthetic ads with text, the demo's sklearn
model scored through ``mapInPandas``, the personal-data scan on: (a) the cost per core of what one
partition runs — scoring (filter, pseudonymise, encode groups, predict), counting (the fairness stage's
three passes over the scored rows: numpy, as pandas and stream run them, and Spark's native
aggregations on ``local[1]``, per row past their fixed cost) and scanning (the offline scanner) — timed
in one process on one core, as rows/s; (b) the same audit on Spark ``local[2]`` and in memory, each in its own process, with
stage times, identical audit.json asserted; (c) from (a), the time for 10^9 rows on a cluster.

Data is generated into ``--work`` (default /tmp/ethicscheck-bench-engines), never into the repository.

    python benchmarks/bench_engines.py [--rows 10000000] [--big-rows 100000000] [--engines pandas,stream,spark] [--skip-big]
    python benchmarks/bench_engines.py --ads 20000 --only-ads
    python benchmarks/bench_engines.py --ads 10000000 --only-ads --ads-engines spark --results results/engines_spark_10m.md
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import yaml
from _common import machine

#: What differs between runs of the same audit on different engines.
_VARYING = ("started_at", "finished_at", "timings", "engine", "config_digest")


def write_rows(folder: Path, rows: int, *, files: int, seed: int = 0) -> Path:
    """``rows`` synthetic scored rows in ``files`` Parquet files (one file: ``folder/rows.parquet``)."""
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / f".complete-{rows}-{files}"
    target = folder / "rows.parquet" if files == 1 else folder / "parts"
    if marker.exists():
        return target
    if files > 1:
        target.mkdir(exist_ok=True)
    per_file = -(-rows // files)
    nationality = np.array([f"n{i}" for i in range(8)])
    region = np.array([f"r{i}" for i in range(12)])
    writer = pq.ParquetWriter(target, _schema()) if files == 1 else None
    for part in range(files):
        rng = np.random.default_rng([seed, part])
        n = min(per_file, rows - part * per_file)
        for start in range(0, n, 5_000_000):
            m = min(5_000_000, n - start)
            label = rng.random(m) < 0.2
            score = np.clip(rng.normal(0.35 + 0.3 * label, 0.15), 0, 1)
            table = pa.table(
                {
                    "nationality": pa.array(nationality[rng.integers(0, 8, m)]).dictionary_encode(),
                    "region": pa.array(region[rng.integers(0, 12, m)]).dictionary_encode(),
                    "label": label.astype(np.int8),
                    "score": score,
                    "flagged": score >= 0.5,
                }
            )
            if writer is None:
                pq.write_table(table, target / f"part-{part:03d}-{start // 5_000_000}.parquet")
            else:
                writer.write_table(table)
    if writer is not None:
        writer.close()
    marker.touch()
    return target


def _schema() -> pa.Schema:
    return pa.schema(
        [
            ("nationality", pa.dictionary(pa.int32(), pa.string())),
            ("region", pa.dictionary(pa.int32(), pa.string())),
            ("label", pa.int8()),
            ("score", pa.float64()),
            ("flagged", pa.bool_()),
        ]
    )


def config_for(data: Path, engine: str, out: Path, *, n_boot: int) -> Path:
    config = {
        "name": f"bench-{engine}",
        "data": {
            "path": str(data),
            "engine": engine,
            "label": {"column": "label", "positive": 1},
            "sensitive_features": [{"column": "nationality"}, {"column": "region"}],
        },
        "model": {"kind": "precomputed", "score_column": "score", "decision_column": "flagged"},
        "fairness": {"n_boot": n_boot},
        "privacy": {"enabled": False},
    }
    return _written(config, out / f"{engine}.yaml")


def _written(config: dict[str, Any], path: Path) -> Path:
    """``config`` (tracking off; Spark on local[2] when it names that engine) written to ``path``."""
    config["tracking"] = {"enabled": False}
    if config["data"]["engine"] == "spark":
        # Starting the JVM took over 900 s (the default deadline) at load 15 on the shared 2-core machine.
        conf = {"spark.driver.memory": "2g", "spark.ui.enabled": "false"}
        config["spark"] = {"master": "local[2]", "conf": conf, "startup_timeout_s": 3600}
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def _tree(pid: int) -> tuple[int, dict[int, float]]:
    """Resident memory (bytes) of a process and all its descendants, and the CPU seconds each has used so far."""
    total, cpu, stack = 0, {}, [pid]
    tick = os.sysconf("SC_CLK_TCK")
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status") as handle:
                total += next(int(line.split()[1]) * 1024 for line in handle if line.startswith("VmRSS:"))
            with open(f"/proc/{current}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            cpu[current] = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    stack += [int(child) for child in handle.read().split()]
        except (OSError, StopIteration):
            continue
    return total, cpu


def run_audit_process(config: Path, out: Path, *, timeout: float = 3600) -> dict[str, Any]:
    """Run ``ethicscheck audit`` in its own process; wall time, peak tree RSS, tree CPU seconds, exit code, audit.json.

    CPU seconds are summed over every process of the tree (the Spark JVM and its Python workers included),
    as last sampled at 10 Hz: on a shared machine they say what the audit cost, which wall time does not.
    """
    command = [sys.executable, "-m", "ethicscheck.cli.main", "audit", "--config", str(config), "--out", str(out), "--no-tracking"]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = [0]
    cpu: dict[int, float] = {}

    def sample() -> None:
        while process.poll() is None:
            rss, seconds = _tree(process.pid)
            peak[0] = max(peak[0], rss)
            cpu.update(seconds)
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        _, stderr = process.communicate()
    sampler.join()
    wall = time.perf_counter() - start
    audit = out / "audit.json"
    document = json.loads(audit.read_text(encoding="utf-8")) if audit.exists() and process.returncode in (0, 1) else None
    return {
        "wall": wall,
        "cpu": sum(cpu.values()),
        "peak_rss": peak[0],
        "code": process.returncode,
        "audit": document,
        "stderr": stderr[-600:],
    }


def comparable(document: dict[str, Any]) -> dict[str, Any]:
    run = {k: v for k, v in document["run"].items() if k not in _VARYING}
    run["config"] = {**run["config"], "data": {k: v for k, v in run["config"]["data"].items() if k not in ("engine", "path")}}
    run["config"].pop("spark", None)
    run["config"].pop("name", None)
    run.pop("name", None)
    return {**document, "run": run, "data": {k: v for k, v in document["data"].items() if k not in ("file", "sha256")}}


def _row(name: str, measured: dict[str, Any]) -> str:
    if measured["audit"] is None:
        reason = measured["stderr"].strip().splitlines()[-1] if measured["stderr"].strip() else f"exit code {measured['code']}"
        return f"| {name} | failed after {measured['wall']:.1f} s | | {measured['peak_rss'] / 2**30:.2f} GB | {reason[:120]} |"
    timings = measured["audit"]["run"]["timings"]
    stages = ", ".join(f"{k} {v:.1f}" for k, v in timings.items())
    return f"| {name} | {measured['wall']:.1f} s | {measured['cpu']:.1f} s | {measured['peak_rss'] / 2**30:.2f} GB | {stages} |"


def ads_config(inputs: Any, data: Path, engine: str, out: Path, *, n_boot: int) -> Path:
    """The demo audit of ``data`` (sklearn model, text scanned, every row) on ``engine``."""
    config = {
        "name": f"bench-ads-{engine}",
        "data": {
            "path": str(data),
            "engine": engine,
            "label": {"column": "label"},
            "text_column": "text",
            "id_column": "ad_id",
            "sensitive_features": [{"column": "nationality", "reference": "not mentioned"}, {"column": "region"}],
        },
        "model": {"kind": "sklearn", "path": str(inputs.model_path)},
        "fairness": {"n_boot": n_boot},
        "privacy": {"scan_artifacts": False},
    }
    return _written(config, out / f"ads-{engine}.yaml")


def per_core_rates(config_path: Path, rows: int) -> dict[str, tuple[float, float]]:
    """Rows/s of each step a Spark partition runs, on the file's first ``rows`` rows as one partition: (from CPU time, from wall time).

    A partition runs in one Python worker on one core, so the CPU time of this one process per row is the
    per-core cost. On a shared machine, wall time also counts the time other processes held the core
    (the second figure, a lower bound); CPU time does not.
    """
    from ethicscheck._adapters import assess_configured_passes
    from ethicscheck.config import load_config
    from ethicscheck.engines._batches import RoleTally, batch_detector, group_layout, prepare_batch, sample_keys, scan_batch, scan_settings
    from ethicscheck.fairness import RowChunk, local_reduce
    from ethicscheck.privacy._sample import SampleCut

    config = load_config(config_path)
    path = Path(config.data.path)
    frame = next(pq.ParquetFile(path).iter_batches(batch_size=rows)).to_pandas()
    for feature in config.data.sensitive_features:
        frame[feature.column] = frame[feature.column].astype("category")
    roles = RoleTally.empty(config)
    roles.add(frame, config, path.name)
    roles.protect(config)
    labels, joint = group_layout(config, roles)

    def prepare() -> Any:
        prepared = prepare_batch(config, frame, labels, joint.shape, path=path, sha256="", pseudonyms=roles.pseudonyms)
        assert prepared is not None
        return prepared

    prepared = prepare()
    detector = batch_detector(config, prepared, tracking_uri="", config_dir=None, label_values=tuple(roles.labels))
    detector.predict(prepared.frame.head(100))  # first-call costs are paid once per executor, not per row
    clock = _Clock()
    with clock:
        prepared = prepare()
        predictions = detector.predict(prepared.frame)
    scoring = clock.taken()
    chunk = RowChunk(prepared.cells, prepared.y_true, np.asarray(predictions.decision, dtype=bool), np.asarray(predictions.score))
    counting = _Clock()

    def timed_reduce(per_chunk: Any) -> Any:
        with counting:
            return local_reduce(lambda: [chunk])(per_chunk)

    assess_configured_passes(config.data, config.fairness, joint, timed_reduce, has_score=True, seed=config.seed)
    spark_counting = spark_counting_cost(config, joint, chunk)
    settings = scan_settings(config)
    assert settings is not None
    warm_up = SampleCut(int(np.sort(sample_keys(config, settings, prepared))[min(99, len(frame) - 1)]), 0)  # about 100 rows
    scan_batch(config, settings, prepared, warm_up, set())  # the scanner is built once per executor
    clock = _Clock()
    with clock:
        scan_batch(config, settings, prepared, None, set())
    scanning = clock.taken()
    rows = len(frame)
    steps = {"scoring": scoring, "counting": counting.taken(), "scanning": scanning}
    rates = {step: (rows / cpu, rows / wall) for step, (cpu, wall) in steps.items()}
    return {**rates, "counting on Spark": spark_counting}


#: How part 3's table names each engine.
_ENGINE_NAMES = {"spark": "Spark local[2]", "pandas": "in memory", "stream": "streamed record batches"}

#: How many copies of the scored rows the second Spark counting measurement aggregates (the first: one).
_SPARK_COPIES = 10


def spark_counting_cost(config: Any, joint: Any, chunk: Any) -> tuple[float, float]:
    """Rows/s per core of the fairness stage's passes as Spark aggregations, past their fixed cost: (CPU, wall).

    The scored rows are cached in a Spark ``local[1]`` session (one core runs the tasks) once and
    ``_SPARK_COPIES`` times; the count, score and cut ``groupBy`` jobs (and the driver's work on their small
    tables, bootstrap off) are timed on each, as CPU of this process tree (the JVM included) and wall. The
    difference between the two is the per-row cost; what does not grow with rows (job scheduling, the
    driver's share) cancels out.
    """
    import pandas as pd

    from ethicscheck._adapters import assess_configured_passes
    from ethicscheck.config import SparkConfig
    from ethicscheck.engines import spark_session
    from ethicscheck.engines._spark import _SCORED
    from ethicscheck.engines._spark_counts import SparkReduce, count_table

    spark = spark_session(
        SparkConfig(master="local[1]", conf={"spark.ui.enabled": "false", "spark.driver.memory": "2g"}, startup_timeout_s=3600),
        app_name="bench counting",
    )
    fairness = config.fairness.model_copy(update={"n_boot": 0})
    measured = []
    for copies in (1, _SPARK_COPIES):
        frame = pd.DataFrame(
            {
                "cells": np.tile(chunk.cells.astype(np.int64), copies),
                "y_true": np.tile(chunk.y_true, copies),
                "decision": np.tile(chunk.decision, copies),
                "score": np.tile(chunk.score.astype(float), copies),
                "kind": "111",
                "outputs": None,
            }
        )
        scored = spark.createDataFrame(frame, _SCORED).persist()
        scored.count()
        for _ in range(2):  # the second run is timed: the first compiles the aggregations' code
            cpu, wall = sum(_tree(os.getpid())[1].values()), time.perf_counter()
            table = count_table(scored, "ads", joint.size)
            assess_configured_passes(config.data, fairness, joint, SparkReduce(scored, table.stats), has_score=True, seed=config.seed)
            taken = sum(_tree(os.getpid())[1].values()) - cpu, time.perf_counter() - wall
        measured.append((len(frame), taken))
        scored.unpersist()
    spark.stop()
    (small, (cpu_small, wall_small)), (large, (cpu_large, wall_large)) = measured
    return (large - small) / max(cpu_large - cpu_small, 1e-9), (large - small) / max(wall_large - wall_small, 1e-9)


class _Clock:
    """CPU seconds of this process and wall seconds spent inside ``with`` blocks (added over blocks)."""

    def __init__(self) -> None:
        self.cpu = self.wall = 0.0

    def __enter__(self) -> None:
        self._start = (time.process_time(), time.perf_counter())

    def __exit__(self, *exc: object) -> None:
        self.cpu += time.process_time() - self._start[0]
        self.wall += time.perf_counter() - self._start[1]

    def taken(self) -> tuple[float, float]:
        return self.cpu, self.wall


def ads_part(args: argparse.Namespace, work: Path) -> str:
    """Part 3: per-core rates, the Spark local[2] audit of ads with text, and the extrapolation to 10^9 rows."""
    from ethicscheck.synth import build_demo_inputs, generate_ads

    inputs = build_demo_inputs(work / "demo")
    data = work / f"ads-{args.ads}.parquet"
    if not data.exists():
        generate_ads(args.ads, seed=7, id_prefix="bench").to_parquet(data, index=False, row_group_size=max(1, args.ads // 8))
    rate_rows = min(args.ads, args.rate_rows)
    measured = per_core_rates(ads_config(inputs, data, "pandas", work, n_boot=args.n_boot), rate_rows)
    engines = args.ads_engines.split(",")
    lines = [
        f"# Spark: {args.ads:,} ads with text, the demo sklearn model, the personal-data scan on",
        "",
        f"`python benchmarks/bench_engines.py --ads {args.ads} --only-ads` · {machine()} · load average "
        f"{os.getloadavg()[0]:.1f} when it started (the machine is shared).",
        "",
        "## Cost per core of what one partition runs (one process, one core, rows/s)",
        "",
        f"Measured on the first {rate_rows:,} ads as one partition.",
        "",
        "A partition runs in one Python worker on one core: its CPU time per row is the per-core cost. Wall time on "
        "this shared machine also counts the time other processes held the core (a lower bound, shown beside it).",
        "",
        "| step | rows/s per core (CPU time) | rows/s (wall, this machine's load) |",
        "|---|---:|---:|",
    ]
    lines += [f"| {step} | {cpu:,.0f} | {wall:,.0f} |" for step, (cpu, wall) in measured.items()]
    rates = {step: cpu for step, (cpu, _) in measured.items()}
    lines += [
        "",
        f"## The same audit on {' and '.join(_ENGINE_NAMES[e] for e in engines)}",
        "",
        "| engine | wall | CPU | peak RSS | stages from audit.json (s) |",
    ]
    lines += ["|---|---|---|---|---|"]
    results = {}
    for engine in engines:
        results[engine] = run_audit_process(ads_config(inputs, data, engine, work, n_boot=args.n_boot), work / f"out-ads-{engine}")
        lines.append(_row(engine, results[engine]))
        print(lines[-1], flush=True)
    documents = [comparable(r["audit"]) for r in results.values() if r["audit"] is not None]
    assert len(documents) == len(engines), f"an audit failed: {len(documents)} of {len(engines)} wrote audit.json"
    if len(engines) > 1:
        assert all(d == documents[0] for d in documents), "the engines' audit.json differ"
        lines += ["", "audit.json identical apart from timings and engine provenance.", ""]
    else:
        lines += ["", "One engine only (`--ads-engines`): no comparison in this run.", ""]
    counting = rates["counting on Spark"]  # what a Spark partition runs: native aggregations, not numpy
    per_row = 1 / rates["scoring"] + 1 / counting + 1 / rates["scanning"]
    lines += [
        "## 10^9 rows on a cluster (extrapolated from the per-core rates)",
        "",
        f"A row costs {per_row * 1e6:,.0f} µs of one core (scoring {1e6 / rates['scoring']:,.0f}, counting on Spark "
        f"{1e6 / counting:,.1f}, scanning {1e6 / rates['scanning']:,.0f}). Every step is per partition and "
        "independent of the others; the driver receives statistics the size of the joint table, not rows, and its "
        "work (the bootstrap over cell counts, tests, report) does not grow with rows. So 10^9 rows take about "
        "10^9 x that cost / cores, plus the driver's fixed part:",
        "",
        "| cores | scoring + counting + scanning every row | scanning a sample of 10^6 rows (privacy.max_rows) |",
        "|---:|---:|---:|",
    ]
    no_scan = 1 / rates["scoring"] + 1 / counting
    for cores in (16, 64, 256):
        full = 1e9 * per_row / cores
        sampled = (1e9 * no_scan + 1e6 / rates["scanning"]) / cores
        lines.append(f"| {cores} | {full / 3600:,.1f} h | {sampled / 3600:,.2f} h |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--big-rows", type=int, default=100_000_000)
    parser.add_argument("--n-boot", type=int, default=1000)
    parser.add_argument("--engines", default="pandas,stream,spark")
    parser.add_argument("--skip-big", action="store_true")
    parser.add_argument("--work", type=Path, default=Path("/tmp/ethicscheck-bench-engines"))
    parser.add_argument("--ads", type=int, default=0, help="part 3: this many ads with text on Spark (0: skip)")
    parser.add_argument("--only-ads", action="store_true", help="run part 3 only")
    parser.add_argument("--rate-rows", type=int, default=300_000, help="part 3: per-core rates measured on this many ads")
    parser.add_argument("--ads-engines", default="spark,pandas", help="part 3: engines auditing the ads (compared if several)")
    parser.add_argument("--results", type=Path, default=Path(__file__).parent / "results" / "engines_spark.md", help="part 3: its table")
    args = parser.parse_args()
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    if args.ads:
        text = ads_part(args, work)
        print(text)
        args.results.write_text(text, encoding="utf-8")
        if args.only_ads:
            return
    lines = [f"Machine: {machine()}", ""]

    data = write_rows(work / f"single-{args.rows}", args.rows, files=1)
    lines += [
        f"## {args.rows:,} rows, precomputed scores, 2 features + intersection, {args.n_boot} replicates",
        "",
        "| engine | wall | CPU (process tree) | peak RSS (process tree) | stages from audit.json (s) |",
        "|---|---|---|---|---|",
    ]
    results = {}
    for engine in args.engines.split(","):
        out = work / f"out-{engine}"
        results[engine] = run_audit_process(config_for(data, engine, work, n_boot=args.n_boot), out)
        lines.append(_row(engine, results[engine]))
        print(lines[-1], flush=True)
    finished = {e: comparable(r["audit"]) for e, r in results.items() if r["audit"] is not None}
    first = next(iter(finished.values()), None)
    same = [e for e, d in finished.items() if d == first]
    assert len(same) == len(finished), f"engines differ: {sorted(set(finished) - set(same))} vs {same[0]}"
    lines += ["", f"audit.json identical apart from timings and engine provenance: {', '.join(same)}.", ""]

    if not args.skip_big:
        big = write_rows(work / f"folder-{args.big_rows}", args.big_rows, files=20)
        lines += [f"## {args.big_rows:,} rows, a folder of 20 Parquet files", "", "| engine | wall | CPU | peak RSS | stages (s) |"]
        lines += ["|---|---|---|---|---|"]
        streamed = run_audit_process(config_for(big, "stream", work, n_boot=args.n_boot), work / "out-big-stream")
        lines.append(_row("stream", streamed))
        print(lines[-1], flush=True)
        memory = run_audit_process(config_for(big, "pandas", work, n_boot=args.n_boot), work / "out-big-pandas")
        lines.append(_row("pandas (in memory)", memory))
        print(lines[-1], flush=True)
    text = "\n".join(lines) + "\n"
    print(text)
    (Path(__file__).parent / "results" / "engines.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
