"""Face-matching comparisons streamed from a Parquet folder against the same comparisons read into memory: peak memory.

A folder of Parquet files (10 groups, 20,000 people, float32 scores, subject ids and groups as dictionary columns, as a
comparisons export is written) is audited twice, each in a fresh process: the in-memory reader (read the folder into
one DataFrame, ``Comparisons.from_frame``, ``assess_verification``) and the stream reader (``stream_comparisons`` in
batches of 500,000 rows, ``assess_counted``), both with 3 target FMRs and 1,000 subject-bootstrap replicates. Peak
memory is each process's maximum resident set; the in-memory process runs under an address-space limit so that it
stops with a MemoryError instead of taking the machine from the other jobs. Both print a digest of the whole result:
equal digests mean the same statistics to the last digit.

Run: ``.venv/bin/python benchmarks/bench_verification_stream.py [impostors ...]`` (default 1e7 1e8); it prints a
Markdown section for benchmarks/results/verification.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from ethicscheck.synth import ComparisonSpec
from ethicscheck.synth._comparisons import comparison_arrays

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine  # noqa: E402

#: The scale study's population (bench_verification.py), written as a comparisons export.
_SPEC = dict(
    fmr_factor={f"g{i}": 1.0 + 0.25 * i for i in range(10)},
    subjects_per_group=2000,
    cross_impostors=0,
    genuine_per_subject=2,
    subject_sd=0.2,
)
#: Rows per Parquet file of the folder.
_FILE_ROWS = 5_000_000
#: Address space the in-memory process may take (GiB): above it, it stops with a MemoryError.
_IN_MEMORY_LIMIT_GIB = 14

_RUN = """
import hashlib, json, resource, sys, time
from pathlib import Path
mode, folder, limit = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
if mode == "pandas":
    resource.setrlimit(resource.RLIMIT_AS, (limit * 2**30, limit * 2**30))
from ethicscheck.data import read_table
from ethicscheck.verification import (BatchSource, ComparisonColumns, Comparisons, SideFeature, assess_counted,
                                      assess_verification, stream_comparisons, verification_settings)
columns = ComparisonColumns(genuine_column="same_person", subject_columns=("subject_a", "subject_b"),
                            features=(SideFeature("group", "group_a", "group_b"),), score_column="similarity")
options = dict(targets=(1e-3, 1e-4, 1e-5), n_boot=1000, seed=0)
start = time.perf_counter()
try:
    if mode == "pandas":
        frame = read_table(folder, categorical=columns.grouping)
        result = assess_verification(Comparisons.from_frame(frame, **columns.keywords()), **options)
    else:
        settings = verification_settings(has_score=True, higher_is_more_similar=True, **options)
        available = [str(n) for n in __import__("pyarrow.dataset").dataset.dataset(folder, format="parquet").schema.names]
        streamed = stream_comparisons(BatchSource(folder, batch_rows=500_000), columns, settings, available=available)
        result = assess_counted(streamed.counted, settings)
    outcome = {"digest": hashlib.sha256(json.dumps(result.to_dict(), sort_keys=True).encode()).hexdigest()[:16],
               "comparisons": result.n_comparisons}
except MemoryError:
    outcome = {"digest": None, "error": f"MemoryError at the {limit} GiB limit"}
usage = resource.getrusage(resource.RUSAGE_SELF)
outcome.update(seconds=time.perf_counter() - start, cpu_seconds=usage.ru_utime + usage.ru_stime, peak_gib=usage.ru_maxrss / 2**20)
print(json.dumps(outcome))
"""


def write_folder(folder: Path, impostors: int) -> int:
    """The comparisons of the scale study as Parquet files of dictionary-encoded ids and groups; returns the rows."""
    arrays = comparison_arrays(ComparisonSpec(**_SPEC, impostors_per_group=impostors // 10), seed=0, dtype=np.float32)
    ids = pa.array([f"S{i:05d}" for i in range(len(arrays.subject_group))])
    groups = pa.array([f"g{g}" for g in range(10)])
    total = len(arrays.genuine)
    for part, start in enumerate(range(0, total, _FILE_ROWS)):
        rows = slice(start, start + _FILE_ROWS)
        a, b = arrays.subject_a[rows], arrays.subject_b[rows]
        table = pa.table(
            {
                "subject_a": pa.DictionaryArray.from_arrays(pa.array(a), ids),
                "subject_b": pa.DictionaryArray.from_arrays(pa.array(b), ids),
                "group_a": pa.DictionaryArray.from_arrays(pa.array(arrays.subject_group[a].astype(np.int32)), groups),
                "group_b": pa.DictionaryArray.from_arrays(pa.array(arrays.subject_group[b].astype(np.int32)), groups),
                "similarity": pa.array(arrays.similarity[rows]),
                "same_person": pa.array(arrays.genuine[rows].astype(np.int8)),
            }
        )
        pq.write_table(table, folder / f"part-{part:04d}.parquet")
    return total


def run(mode: str, folder: Path) -> dict:  # type: ignore[type-arg]
    command = ["nice", "-n", "10", sys.executable, "-c", _RUN, mode, str(folder), str(_IN_MEMORY_LIMIT_GIB)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        error = done.stderr.strip().splitlines()[-1].strip()[:120] if done.stderr.strip() else f"exit {done.returncode}"
        return {"digest": None, "error": error, "seconds": 0, "cpu_seconds": 0, "peak_gib": 0}
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main(sizes: list[int]) -> str:
    lines = [
        "## 4. Comparisons streamed from a Parquet folder (`data.engine: stream`) against read into memory",
        "",
        f"Measured {machine()}, load average {os.getloadavg()[0]:.1f} when the study started. Reproduce: "
        f"`.venv/bin/python benchmarks/bench_verification_stream.py {' '.join(f'{s:.0e}' for s in sizes)}`.",
        "The scale study's people and scores (10 groups, 20,000 people, 3 target FMRs, 1,000 subject-bootstrap replicates),",
        f"written as Parquet files of {_FILE_ROWS:,} rows (ids and groups dictionary-encoded); each reader in a fresh process.",
        f"The in-memory process may take {_IN_MEMORY_LIMIT_GIB} GiB of address space. Same result: equal digests of the whole",
        "verification result (thresholds, counts, intervals, DET curves).",
        "",
        "| comparisons | reader | wall | CPU | peak memory | result |",
        "|---|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory(prefix="ethicscheck-stream-bench-") as tmp:
        for impostors in sizes:
            folder = Path(tmp) / str(impostors)
            folder.mkdir()
            rows = write_folder(folder, impostors)
            memory, streamed = run("pandas", folder), run("stream", folder)
            for name, found in (("in memory (pandas)", memory), ("streamed, 500,000-row batches", streamed)):
                if found["digest"] is None:
                    outcome = f"stopped: {found['error']}"
                elif memory["digest"] is None:
                    outcome = f"digest {found['digest']}"
                else:
                    outcome = "same as in memory" if found["digest"] == memory["digest"] else "DIFFERS"
                if found["peak_gib"]:
                    measured = f"{found['seconds']:.0f} s | {found['cpu_seconds']:.0f} s | {found['peak_gib']:.2f} GiB"
                else:  # the process died (a C++ allocation over the limit): nothing measured
                    measured = f"- | - | over {_IN_MEMORY_LIMIT_GIB} GiB"
                lines.append(f"| {rows:,} | {name} | {measured} | {outcome} |")
            print("\n".join(lines[-2:]), file=sys.stderr, flush=True)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(main([int(float(s)) for s in sys.argv[1:]] or [10**7, 10**8]))
