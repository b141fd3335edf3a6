"""The audit's privacy stage alone: the personal-data scan of N synthetic ads as an audit runs it, one and two workers.

bench_audit.py times whole audits; this isolates the stage it names "privacy scan" (``scan_texts`` with the demo
config's ``privacy:`` settings, the same ads: seed 1) so its CPU seconds can be read on a shared machine, and
breaks the scanner's time down per recognizer (prefilter and recognizer, on a sample of the ads) to show where
the rest goes. Each worker count runs in a fresh process; CPU is user + system of the process and its workers.

    python benchmarks/bench_privacy_stage.py [--ads 100000] [--sample 3000] [--data build/bench/full]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import machine

#: One stage run, in a fresh process: prints "wall cpu rows-with-findings".
STAGE = """
import os, resource, sys, time
import pandas as pd
from ethicscheck.config import PrivacyConfig
from ethicscheck.privacy import ScanOptions, scan_texts
frame = pd.read_parquet(sys.argv[1])
options = ScanOptions.from_settings(PrivacyConfig(n_jobs=int(sys.argv[2])))
scan_texts(frame.iloc[:20], ["text"], options)  # the scanner is built once per audit, before the stage's clock
def cpu():
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime
cpu0, wall0 = cpu(), time.perf_counter()
result = scan_texts(frame, ["text"], options, found_values=set())
print(time.perf_counter() - wall0, cpu() - cpu0, result.columns[0].rows_with_pii)
"""


def ads_file(folder: Path, ads: int) -> Path:
    path = folder / f"ads_{ads}.parquet"
    if not path.exists():
        from ethicscheck.synth import generate_ads

        generate_ads(ads, seed=1, id_prefix="eval").to_parquet(path, index=False)
    return path


def per_recognizer(path: Path, sample: int) -> list[tuple[str, float, float, int]]:
    """(recognizer, prefilter CPU s, recognizer CPU s, texts it read) over the first ``sample`` ads' clean views."""
    import pandas as pd

    from ethicscheck.config import PrivacyConfig
    from ethicscheck.privacy import Scanner, ScanOptions, undetectable_entities
    from ethicscheck.privacy._normalize import clean_view
    from ethicscheck.privacy._scanner import _by_chunk

    options = ScanOptions.from_settings(PrivacyConfig())
    undetectable = undetectable_entities(options.entities)
    scanner = Scanner([e for e in options.entities if e not in undetectable], phone_regions=options.phone_regions)
    views = [clean_view(t).text for t in pd.read_parquet(path, columns=["text"])["text"].head(sample)]
    rows = []
    # how the scanner reads each recognizer chunk by chunk: the plan's chunk reader (a flag in versions before 7f25689)
    chunk_readers = {id(entry[0]): entry[5] for entry in scanner._plan}
    for recognizer, entities, _, prefilter in scanner.recognizers:
        start = time.process_time()
        hits = [v for v in views if prefilter is None or prefilter.search(v)]
        filtering = time.process_time() - start
        start = time.process_time()
        chunked = chunk_readers[id(recognizer)]  # read chunk by chunk, as the scanner does
        for view in hits:
            if callable(chunked):
                _by_chunk(chunked, view, prefilter)
            elif chunked:
                _by_chunk(recognizer, view, entities, prefilter)  # an earlier version: recognizer, text, entities, prefilter
            else:
                recognizer.analyze(view, entities, None)
        rows.append((type(recognizer).__name__, filtering, time.process_time() - start, len(hits)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--ads", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=3000, help="ads for the per-recognizer breakdown")
    parser.add_argument("--data", type=Path, help="folder for the generated ads, kept between runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = (args.data or Path(scratch)).resolve()
        folder.mkdir(parents=True, exist_ok=True)
        path = ads_file(folder, args.ads)
        print(f"# The audit's privacy stage on {args.ads:,} ads\n\n{machine()}\n")
        print("| workers (privacy.n_jobs) | wall | CPU (user + system) | CPU per ad | ads with a finding | load average |")
        print("|---:|---:|---:|---:|---:|---:|")
        walls = {}
        for jobs in (1, 2):
            out = subprocess.run([sys.executable, "-c", STAGE, str(path), str(jobs)], capture_output=True, text=True)
            if out.returncode != 0:
                raise SystemExit(f"the stage run with {jobs} worker(s) failed:\n{out.stderr[-3000:]}")
            wall, cpu, hits = out.stdout.split()
            walls[jobs] = float(wall)
            print(
                f"| {jobs} | {float(wall):.1f} s | {float(cpu):.1f} s | {1000 * float(cpu) / args.ads:.2f} ms | {int(hits):,} |"
                f" {os.getloadavg()[0]:.1f} |"
            )
        print(f"\nTwo workers: {walls[1] / walls[2]:.2f}x the speed of one (wall; target >= 1.7x on an otherwise idle machine).")
        print(f"\n## Where one worker's time goes ({args.sample:,} ads, CPU seconds)\n")
        print("| recognizer | prefilter | recognizer | texts it read |\n|---|---:|---:|---:|")
        for name, filtering, reading, n in per_recognizer(path, args.sample):
            print(f"| {name} | {filtering:.3f} | {reading:.3f} | {n:,} |")
        print("\n(The URL recognizer is timed on the whole text; in a scan, e-mail and link spans are blanked before it.)")


if __name__ == "__main__":
    main()
