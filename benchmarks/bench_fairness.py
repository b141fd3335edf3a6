"""ethicscheck vs fairlearn MetricFrame, side by side in one process.

100k rows, two sensitive features (5 x 10 levels = 50 intersectional groups), FPR, FNR, selection rate
and accuracy, bootstrap with n_boot=20 and ci_quantiles [0.025, 0.975]. Both get the same inputs; the
script checks that every point estimate is identical and prints the speed ratio.

    python benchmarks/bench_fairness.py [--rows 100000] [--n-boot 20]
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
import pandas as pd
from _common import machine, timed
from fairlearn.metrics import MetricFrame, false_negative_rate, false_positive_rate, selection_rate
from sklearn.metrics import accuracy_score

from ethicscheck.fairness import AssessSettings, assess


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--n-boot", type=int, default=20)
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    features = pd.DataFrame(
        {
            "nationality": rng.choice([f"n{i}" for i in range(5)], args.rows),
            "region": rng.choice([f"r{i}" for i in range(10)], args.rows),
        }
    )
    y_true = rng.random(args.rows) < 0.25
    y_pred = rng.random(args.rows) < np.where(features["nationality"] == "n1", 0.3, 0.2)

    def with_fairlearn() -> pd.DataFrame:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = MetricFrame(
                metrics={
                    "fpr": false_positive_rate,
                    "fnr": false_negative_rate,
                    "selection_rate": selection_rate,
                    "accuracy": accuracy_score,
                },
                y_true=y_true,
                y_pred=y_pred,
                sensitive_features=features,
                n_boot=args.n_boot,
                ci_quantiles=[0.025, 0.975],
                random_state=0,
            )
            return frame.by_group

    def with_ethicscheck(n_boot: int):
        return assess(
            y_true,
            y_pred,
            sensitive_features=features,
            settings=AssessSettings(metrics=("fpr", "fnr", "selection_rate", "accuracy"), n_boot=n_boot, min_group_size=1, seed=0),
            intersections="all",
        )

    print(f"# ethicscheck vs fairlearn MetricFrame\n\n{machine()}\n")
    print(f"{args.rows:,} rows, 50 intersectional groups, FPR/FNR/selection rate/accuracy, n_boot={args.n_boot}\n")
    fairlearn_seconds, expected = timed(with_fairlearn)
    ours_seconds, result = timed(lambda: with_ethicscheck(args.n_boot), repeat=7)
    ours_1000, _ = timed(lambda: with_ethicscheck(1000), repeat=5)

    worst = 0.0
    for group in result.feature("nationality & region").groups:
        row = expected.loc[(group.values["nationality"], group.values["region"])]
        for key in ("fpr", "fnr", "selection_rate", "accuracy"):
            worst = max(worst, abs(group.metrics[key].value - row[key]))
    assert worst <= 1e-12, f"point estimates differ by {worst}"

    print("| tool | what it computed | wall time | ratio |")
    print("|---|---|---:|---:|")
    print(f"| fairlearn MetricFrame | 50 groups x 4 metrics, n_boot={args.n_boot} | {fairlearn_seconds:.2f} s | 1x |")
    print(
        f"| ethicscheck assess | the same + 5 + 10 single-feature groups, ratios, significance tests, n_boot={args.n_boot} | "
        f"{ours_seconds * 1000:.1f} ms | **{fairlearn_seconds / ours_seconds:,.0f}x faster** |"
    )
    print(f"| ethicscheck assess | as above with n_boot=1000 | {ours_1000 * 1000:.1f} ms | {fairlearn_seconds / ours_1000:,.0f}x faster |")
    print(f"\nLargest difference between the point estimates: {worst:.1e} (checked <= 1e-12).")


if __name__ == "__main__":
    main()
