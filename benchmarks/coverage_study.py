"""Do nominal 95% intervals cover the true rate 95% of the time?

Simulates datasets with known truth: four groups with 20, 50, 100 and 1,000 rows labelled not
trafficking-related (the FPR denominator) and as many labelled trafficking-related, every group with
the same true FPR. For each dataset it computes the FPR interval of each group three ways (Wilson;
percentile bootstrap, pooled; percentile bootstrap, stratified) and the interval of each group's FPR
difference to the 1,000-row reference (true difference 0), and counts how often they contain the truth.

    python benchmarks/coverage_study.py [--datasets 500] [--rates 0.1 0.03]
"""

from __future__ import annotations

import argparse

import numpy as np
from _common import machine

from ethicscheck.fairness import assess

SIZES = (20, 50, 100, 1000)
METHODS = {
    "Wilson": {"rate_ci": "wilson"},
    "percentile bootstrap (pooled)": {"rate_ci": "bootstrap", "bootstrap": "pooled"},
    "percentile bootstrap (stratified)": {"rate_ci": "bootstrap", "bootstrap": "stratified"},
}


def simulate(rng: np.random.Generator, true_fpr: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    groups, y_true, y_pred = [], [], []
    for size in SIZES:
        groups += [f"n={size}"] * (2 * size)
        y_true += [False] * size + [True] * size
        y_pred += list(rng.random(size) < true_fpr) + list(rng.random(size) < 0.7)
    return np.array(groups), np.array(y_true), np.array(y_pred)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=int, default=500)
    parser.add_argument("--rates", type=float, nargs="+", default=[0.1, 0.03])
    parser.add_argument("--n-boot", type=int, default=1000)
    args = parser.parse_args()
    print(f"# Coverage of nominal 95% intervals\n\n{machine()}\n")
    print(
        f"{args.datasets} simulated datasets per true FPR, {args.n_boot} bootstrap replicates; group size = rows in the FPR denominator.\n"
    )
    for true_fpr in args.rates:
        rng = np.random.default_rng(int(true_fpr * 1e6))
        hits = {m: {s: 0 for s in SIZES} for m in METHODS}
        diff_hits = {s: 0 for s in SIZES[:-1]}
        for dataset in range(args.datasets):
            groups, y_true, y_pred = simulate(rng, true_fpr)
            for method, options in METHODS.items():
                result = assess(
                    y_true,
                    y_pred,
                    sensitive_features={"group": groups},
                    metrics=["fpr"],
                    reference={"group": "n=1000"},
                    min_group_size=1,
                    n_boot=args.n_boot,
                    seed=dataset,
                    **options,
                )
                for size in SIZES:
                    group = result.feature("group").group(f"n={size}")
                    estimate = group.metrics["fpr"]
                    hits[method][size] += estimate.ci_low is not None and estimate.ci_low <= true_fpr <= estimate.ci_high
                    if method == "percentile bootstrap (stratified)" and size != 1000:
                        diff = group.difference["fpr"]
                        diff_hits[size] += diff.ci_low is not None and diff.ci_low <= 0.0 <= diff.ci_high
        print(f"## True FPR {true_fpr:g}\n")
        print("| interval for a group's FPR | " + " | ".join(f"n = {s}" for s in SIZES) + " |")
        print("|---|" + "---:|" * len(SIZES))
        for method in METHODS:
            print(f"| {method} | " + " | ".join(f"{100 * hits[method][s] / args.datasets:.1f}%" for s in SIZES) + " |")
        print(
            "| difference to the n = 1000 reference (default: bootstrap, Newcombe where it collapses) | "
            + " | ".join(f"{100 * diff_hits[s] / args.datasets:.1f}%" for s in SIZES[:-1])
            + " | — |"
        )
        print()


if __name__ == "__main__":
    main()
