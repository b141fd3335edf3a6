"""Do the per-group membership-risk intervals cover the truth, across group sizes and true excesses?

Simulated attacks with known truth: ``k`` groups of equal size; each member's attack score is drawn from
N(mu_g, 1) and each non-member's from N(0, 1), so group g's true AUC is Phi(mu_g / sqrt 2), its true
advantage 2 Phi(mu_g / 2) - 1 and the true AUC over everyone the mean of the groups' AUCs. One group (the
"exposed" one) has its true AUC raised by ``excess`` over the others'. Grid: members and non-members per
group {30, 100, 300} x base AUC {0.5, 0.7} x excess of the exposed group {0, 0.1, 0.2}.

For every simulated attack it runs :func:`ethicscheck.membership.risk_by_group` (the code the reports use)
and counts how often:

* each group's AUC interval (percentile bootstrap) and advantage interval (Smirnov bound) contain the truth;
* the excess intervals (group AUC minus overall AUC, simultaneous over the groups) all contain the truth;
* the worst group's excess interval contains that group's true excess (the selection-aware claim);
* the report claims an excess ("exceeds": the worst group's interval above 0) — a false claim when the true
  excess is 0, a detection otherwise;

and, for comparison, the same for a naive 95% interval of the worst group's excess (no allowance for having
picked the worst group; its half-width is the simultaneous interval's scaled by the ratio of the normal
quantiles, z(0.975) / z(1 - 0.025 / k)), to show why the adjustment is there.

    python benchmarks/bench_membership_groups.py [--replications 200] [--n-boot 400] [--groups 5]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from _common import machine
from scipy.stats import norm

from ethicscheck.membership import risk_by_group

SIZES = (30, 100, 300)
BASE_AUCS = (0.5, 0.7)
EXCESSES = (0.0, 0.1, 0.2)
CONFIDENCE = 0.95
RESULTS = Path(__file__).resolve().parent / "results" / "membership_groups.md"


def _shift(auc: float) -> float:
    """Mean shift of N(mu, 1) against N(0, 1) whose AUC is ``auc``."""
    return float(np.sqrt(2) * norm.ppf(auc))


def _cell(
    size: int, base: float, excess: float, *, groups: int, replications: int, n_boot: int, rng: np.random.Generator
) -> dict[str, float]:
    true_auc = np.full(groups, base)
    true_auc[-1] = base + excess  # the exposed group
    shifts = np.array([_shift(a) for a in true_auc])
    true_advantage = 2 * norm.cdf(shifts / 2) - 1
    true_excess = true_auc - true_auc.mean()
    names = np.array([f"g{i}" for i in range(groups)])
    labels = np.repeat(names, size)
    hits = {key: 0 for key in ("auc", "advantage", "simultaneous", "worst", "claims", "right_group", "naive_worst", "naive_claims")}
    z = norm.ppf((1 + CONFIDENCE) / 2)
    for r in range(replications):
        members = rng.normal(np.repeat(shifts, size), 1.0)
        nonmembers = rng.normal(0.0, 1.0, size * groups)
        risk = risk_by_group("sim", members, nonmembers, labels, labels, feature="f", min_rows=10, n_boot=n_boot, seed=r)
        by_name = {g.group: g for g in risk.groups}
        covered = []
        for i, name in enumerate(names):
            g = by_name[str(name)]
            auc, adv, ex = g.figures.auc, g.figures.advantage, g.excess_auc
            hits["auc"] += auc.ci_low <= true_auc[i] <= auc.ci_high
            hits["advantage"] += adv.ci_low <= true_advantage[i] <= adv.ci_high
            covered.append(ex.ci_low <= true_excess[i] <= ex.ci_high)
        hits["simultaneous"] += all(covered)
        worst = risk.worst
        index = int(np.flatnonzero(names == worst.group)[0])
        hits["worst"] += worst.excess_auc.ci_low <= true_excess[index] <= worst.excess_auc.ci_high
        hits["claims"] += risk.exceeds
        hits["right_group"] += risk.exceeds and index == groups - 1
        # naive: the worst group's excess with an unadjusted 95% interval (half-width scaled by the normal quantiles)
        half = (worst.excess_auc.ci_high - worst.excess_auc.ci_low) / 2 * z / norm.ppf(1 - (1 - CONFIDENCE) / (2 * groups))
        hits["naive_worst"] += abs(worst.excess_auc.value - true_excess[index]) <= half
        hits["naive_claims"] += worst.excess_auc.value - half > 0
    return {key: value / (replications * (groups if key in ("auc", "advantage") else 1)) for key, value in hits.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=200)
    parser.add_argument("--n-boot", type=int, default=400)
    parser.add_argument("--groups", type=int, default=5)
    parser.add_argument("--write", action="store_true", help=f"write the table to {RESULTS.relative_to(RESULTS.parents[2])}")
    args = parser.parse_args()
    rng = np.random.default_rng(20)
    started = time.perf_counter()
    header = (
        "| rows per group | base AUC | true excess | group AUC covered | advantage covered | all excesses covered (simultaneous) "
        "| worst group's excess covered | claims an excess | right group | naive: worst covered | naive: claims |"
    )
    lines = [header, "|" + "---|" * 11]
    print(header, flush=True)
    for size in SIZES:
        for base in BASE_AUCS:
            for excess in EXCESSES:
                h = _cell(size, base, excess, groups=args.groups, replications=args.replications, n_boot=args.n_boot, rng=rng)
                lines.append(
                    f"| {size} | {base:.1f} | {excess:.1f} | {h['auc']:.1%} | {h['advantage']:.1%} | {h['simultaneous']:.1%} "
                    f"| {h['worst']:.1%} | {h['claims']:.1%} | {h['right_group']:.1%} | {h['naive_worst']:.1%} | {h['naive_claims']:.1%} |"
                )
                print(lines[-1], flush=True)
    seconds = time.perf_counter() - started
    text = "\n".join(
        [
            "# Membership risk per group: coverage of the intervals (simulation)",
            "",
            f"{machine()} · {args.groups} groups · {args.replications} simulated attacks per row · {args.n_boot} bootstrap replicates · "
            f"nominal {CONFIDENCE:.0%} · {seconds:.0f} s",
            "",
            "Reproduce: `.venv/bin/python benchmarks/bench_membership_groups.py --write` (see the script's docstring for the design). "
            "'claims an excess' is a false claim when the true excess is 0 and a detection otherwise; 'right group': the claim names "
            "the exposed group. 'naive': the worst group's excess read with an unadjusted 95% interval.",
            "",
            *lines,
            "",
        ]
    )
    print(f"\n{seconds:.0f} s")
    if args.write:
        RESULTS.write_text(text, encoding="utf-8")
        print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
