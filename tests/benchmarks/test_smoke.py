"""The benchmark scripts run (on tiny sizes) and print their tables, so they cannot rot unnoticed."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO


@pytest.mark.parametrize(
    ("script", "args", "expected"),
    [
        ("bench_fairness.py", ["--rows", "3000", "--n-boot", "5"], "x faster"),
        ("bench_scale.py", ["--rows", "30000", "--repeat", "1"], "peak memory"),
        ("coverage_study.py", ["--replications", "20", "--boot-replications", "4", "--n-boot", "20"], "fpr_max_ratio_to_reference"),
        ("bench_pii.py", ["--ads", "150", "--repeat", "1"], "speed vs stock"),
        ("bench_membership_groups.py", ["--replications", "1", "--n-boot", "10"], "claims an excess"),
        ("bench_audit.py", ["--only", "precomputed", "--rows", "2000", "--no-profile"], "precomputed audit"),
        (
            "bench_audit.py",
            ["--only", "precomputed", "--rows", "2000", "--before", str(REPO / "src")],
            "the same in every run apart from timings, clock and tracking: yes",
        ),
        ("bench_probes.py", ["--seeds", "1", "--texts", "200", "--out", "/dev/null"], "Stated effect size"),
    ],
)
def test_benchmark_script_runs(script, args, expected):
    done = subprocess.run([sys.executable, str(REPO / "benchmarks" / script), *args], capture_output=True, text=True, timeout=300, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout
