"""Features with thousands of groups: ethicscheck assess beside a bare counting pass and fairlearn MetricFrame.

1M rows, one sensitive feature of 1,000 / 3,000 / 10,000 groups (equally likely), 25% labelled positive,
decisions at a score of 0.5. Side by side in one process, on the same arrays:

- **counting pass**: one ``np.bincount`` of (group, label, decision), the least any per-group audit does;
- **fairlearn MetricFrame**: FPR, FNR and selection rate per group (point estimates, no intervals);
- **ethicscheck assess**, decisions only: rates with Wilson intervals, 1,000 bootstrap replicates for the
  differences and ratios to the reference, spread intervals over every pair of groups, significance tests,
  detectable disparities;
- **ethicscheck assess** with the scores too: ROC AUC, average precision, Brier, ECE with its bootstrap
  interval, reliability tables and threshold curves per group.

Figures are CPU seconds of this process (the machine may be shared; wall time is printed beside them).
The point estimates are checked against fairlearn's (<= 1e-12).

    python benchmarks/bench_groups.py [--rows 1000000] [--groups 1000,3000,10000] [--n-boot 1000]
"""

from __future__ import annotations

import argparse
import os
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from _common import machine


def measured(function: Callable[[], Any]) -> tuple[float, float, Any]:
    """CPU seconds, wall seconds and the result of one call."""
    cpu, wall = time.process_time(), time.perf_counter()
    result = function()
    return time.process_time() - cpu, time.perf_counter() - wall, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--groups", default="1000,3000,10000")
    parser.add_argument("--n-boot", type=int, default=1000)
    args = parser.parse_args()

    import fairlearn.metrics  # noqa: F401  (imports are not part of either tool's figure)
    import scipy.stats  # noqa: F401

    import ethicscheck.fairness  # noqa: F401

    print(f"# Features with thousands of groups\n\n{machine()}\n")
    print(
        f"{args.rows:,} rows, one feature, n_boot={args.n_boot}; CPU seconds of one process (wall in brackets), "
        f"load average {os.getloadavg()[0]:.1f} at the start.\n"
    )
    print(
        "| groups | counting pass | fairlearn MetricFrame (3 rates) | ethicscheck, decisions | ratio to counting pass "
        "| ratio to fairlearn | ethicscheck, decisions + scores | largest difference from fairlearn |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for groups in (int(g) for g in args.groups.split(",")):
        print(one_size(groups, args.rows, args.n_boot), flush=True)


def one_size(groups: int, rows: int, n_boot: int) -> str:
    """The table row of one number of groups."""
    from fairlearn.metrics import MetricFrame, false_negative_rate, false_positive_rate, selection_rate

    from ethicscheck.fairness import AssessSettings, assess

    rng = np.random.default_rng(groups)
    code = rng.integers(0, groups, rows)
    names = np.array([f"group {i:05d}" for i in range(groups)], dtype=object)[code]
    label = rng.random(rows) < 0.25
    score = np.clip(rng.random(rows) * 0.55 + label * 0.4 + (code % 7) * 0.01, 0, 1)
    flagged = score >= 0.5
    feature = pd.DataFrame({"group": names})
    rates = ["fpr", "fnr", "selection_rate"]

    count_cpu, count_wall, _ = measured(lambda: np.bincount(code * 4 + label * 2 + flagged, minlength=groups * 4))

    def fairlearn_frame() -> pd.DataFrame:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            metrics = {"fpr": false_positive_rate, "fnr": false_negative_rate, "selection_rate": selection_rate}
            return MetricFrame(metrics=metrics, y_true=label, y_pred=flagged, sensitive_features=feature).by_group

    fair_cpu, fair_wall, frame = measured(fairlearn_frame)
    settings = AssessSettings(n_boot=n_boot, seed=0, max_groups=groups, metrics=tuple(rates))
    options: dict[str, Any] = {"sensitive_features": feature, "settings": settings}
    ours_cpu, ours_wall, result = measured(lambda: assess(label, flagged, **options))
    scored_cpu, scored_wall, _ = measured(lambda: assess(label, flagged, y_score=score, **options))
    ours = {g.group: g for g in result.feature("group").groups}
    largest = max(abs(float(frame.loc[name, key]) - float(ours[name].metrics[key].value)) for name in frame.index for key in rates)
    assert largest <= 1e-12, largest
    return (
        f"| {groups:,} | {count_cpu:.3f} s ({count_wall:.3f}) | {fair_cpu:.1f} s ({fair_wall:.1f}) "
        f"| {ours_cpu:.1f} s ({ours_wall:.1f}) | {ours_cpu / count_cpu:,.0f}x | {ours_cpu / fair_cpu:.2f}x "
        f"| {scored_cpu:.1f} s ({scored_wall:.1f}) | {largest:.1e} |"
    )


if __name__ == "__main__":
    main()
