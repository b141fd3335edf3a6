"""Does the audit's own test detect the reported minimum detectable disparity with the stated power?

For every cell of a grid of group sizes x reference rates x Holm family sizes, the detectable disparity
(80% power, alpha 0.05 after Holm) is computed by ``ethicscheck.fairness.detectable_disparity``; then
simulated audits draw the group's count at that disparity, the reference's at its rate, and (with more
than one test) the other groups' counts at the reference's rate (no disparity), and run the engine's
own test exactly as ``fairness._compare.significance_tests`` does: ``compare_proportions_many`` (Fisher
below 5 expected, else z) and Holm's correction over the feature's tests. The share of simulated audits
in which the group is flagged is its simulated power: it should be 78-82% everywhere.

    python benchmarks/bench_power.py [--simulations 4000] [--reference-n 3000] [--out benchmarks/results/power.md]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from _common import machine

from ethicscheck.fairness import detectable_disparity, holm, normal_power, power_of_test
from ethicscheck.fairness._significance import compare_proportions_many

GROUP_SIZES = (30, 60, 120, 250, 500, 1000, 2500)
RATES = (0.02, 0.05, 0.15, 0.3)
TESTS = (1, 4)
ALPHA, POWER = 0.05, 0.8
LOW, HIGH = 0.78, 0.82


def simulated_power(group_n: int, group_rate: float, reference_n: int, rate: float, tests: int, simulations: int, *, seed: int) -> float:
    """Share of simulated audits in which the engine's Holm-corrected test flags the group."""
    rng = np.random.default_rng(seed)
    sizes = np.full(tests, float(group_n))
    rates = np.array([group_rate, *([rate] * (tests - 1))])
    flagged = 0
    for _ in range(simulations):
        x = rng.binomial(group_n, rates).astype(float)
        reference = int(rng.binomial(reference_n, rate))
        raw = compare_proportions_many(x, sizes, reference, reference_n)
        flagged += bool(holm([p for p, _ in raw])[0] < ALPHA)
    return flagged / simulations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--simulations", type=int, default=4000)
    parser.add_argument("--reference-n", type=int, default=3000)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "power.md")
    args = parser.parse_args()
    rows, outside, undefined = [], 0, 0
    started = time.perf_counter()
    for tests in TESTS:
        for rate in RATES:
            for group_n in GROUP_SIZES:
                found = detectable_disparity(group_n, args.reference_n, rate, tests=tests, alpha=ALPHA, power=POWER)
                if not found.usable:
                    undefined += 1
                    rows.append(f"| {tests} | {rate:.0%} | {group_n:,} | undefined: {found.reason} | | | | |")
                    continue
                group_rate = float(found.group_rate)  # type: ignore[arg-type]
                simulated = simulated_power(group_n, group_rate, args.reference_n, rate, tests, args.simulations, seed=len(rows))
                exact = power_of_test(group_n, group_rate, args.reference_n, rate, level=found.level, method="exact")
                normal = normal_power(group_n, group_rate, args.reference_n, rate, level=found.level)
                ok = LOW <= simulated <= HIGH
                outside += not ok
                rows.append(
                    f"| {tests} | {rate:.0%} | {group_n:,} | {found.ratio:.3f} ({found.method}) | {exact:.2%} | {normal:.2%} | "
                    f"{simulated:.2%} | {'yes' if ok else '**no**'} |"
                )
                print(rows[-1], flush=True)
    elapsed = time.perf_counter() - started
    se = np.sqrt(POWER * (1 - POWER) / args.simulations)
    cells = len(rows) - undefined
    summary = (
        f"{cells - outside} of {cells} cells within {LOW:.0%}-{HIGH:.0%} simulated power "
        f"(Monte Carlo standard error {se:.2%} per cell); {undefined} cells undefined (no ratio up to a rate of 1 detectable)."
    )
    text = "\n".join(
        [
            "# Minimum detectable disparity: simulated power of the audit's own test",
            "",
            machine(),
            "",
            f"Reference group: {args.reference_n:,} rows in the denominator. {args.simulations:,} simulated audits per cell; "
            f"alpha {ALPHA} after Holm over `tests` groups (the others without disparity); target power {POWER:.0%}.",
            "The group's true rate is the reported detectable disparity times the reference's rate; the test is the engine's "
            "(`compare_proportions_many` + `holm`, as `significance_tests` runs them).",
            "`exact power` is the exact sum at Holm's first-step level, `normal form` is statsmodels' `power_proportions_2indep` formula.",
            "",
            "| tests | reference rate | group n | detectable ratio (method) | exact power | normal form | simulated power | 78-82% |",
            "|---:|---:|---:|---|---:|---:|---:|---|",
            *rows,
            "",
            summary,
            "",
            f"Run time {elapsed:.0f} s. Reproduce: `.venv/bin/python benchmarks/bench_power.py --simulations {args.simulations} "
            f"--reference-n {args.reference_n}`",
            "",
        ]
    )
    args.out.write_text(text)
    print(summary)


if __name__ == "__main__":
    main()
