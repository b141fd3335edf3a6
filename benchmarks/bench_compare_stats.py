"""Does the comparison claim only what its data support? A simulation study of the paired rule and the attack intervals.

Prints Markdown (not a timed test; the figures are Monte Carlo estimates with their standard errors):

1. **Null**: candidate = baseline in distribution, a share of decisions identical (0%, 50%, 90%), 2 and 5 groups,
   one seed and three overlapping seeds. How often does the paired rule claim "narrows" (nominal 2.5%: the
   one-sided share of a two-sided 95% interval)? Both interval rules (percentile, basic) on the same replicates;
   the percentile rule is the one compare uses (the basic rule claims up to twice the nominal rate).
2. **Power**: a planted reduction of the FPR gap by 3 standard errors of the paired difference (the SE measured
   by a pilot run of the same design). How often is it detected?
3. **Attacks without signal**: logistic regression on random labels, 60 seeds through ``run_comparison``: how
   often does each attack's AUC interval cover 0.5 (and the advantage interval 0)? And the overfit positive
   control (C = 10⁴ on noisy text) must have an AUC interval above 0.5.

Run: .venv/bin/python benchmarks/bench_compare_stats.py   (about 10 minutes on 2 shared cores; ``--positive-control``
prints only the overfit positive control of part 3, the one part that reads the synthetic corpus)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine  # noqa: E402

from ethicscheck.compare import compare_config_from_dict, run_comparison  # noqa: E402
from ethicscheck.compare._paired import HeldOut, interval_and_p, paired_figures  # noqa: E402

NEGATIVES, POSITIVES = 1000, 200  # per group and seed's held-out rows
BASE_FPR = 0.10
N_BOOT = 1000


def _design(groups: int, seeds: int, rng: np.random.Generator) -> tuple[list[HeldOut], np.ndarray, np.ndarray]:
    """A data set whose rows are held out by ``seeds`` overlapping splits (40% each, as the default split)."""
    scale = 2.5 if seeds > 1 else 1.0  # several seeds: each holds out 40% of a larger data set
    negatives, positives = int(NEGATIVES * scale), int(POSITIVES * scale)
    group = np.repeat(np.arange(groups), negatives + positives)
    label = np.tile(np.r_[np.zeros(negatives, bool), np.ones(positives, bool)], groups)
    heldout = []
    for _ in range(seeds):
        rows = np.sort(rng.choice(len(group), int(0.4 * len(group)), replace=False)) if seeds > 1 else np.arange(len(group))
        heldout.append(HeldOut(rows, group[rows], label[rows]))
    return heldout, group, label


def _decisions(h: HeldOut, fpr: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return rng.random(len(h.rows)) < np.where(h.y, 0.7, fpr[h.group])


def _claims(
    groups: int, shared: float, seeds: int, sims: int, reduction: float, rng: np.random.Generator, *, gap: float = 0.04
) -> dict[str, list[float]]:
    """Per simulation: the pooled gap difference and whether each rule claims 'narrows'."""
    base_fpr = np.full(groups, BASE_FPR)
    base_fpr[-1] += gap  # the baseline's gap: one group above the rest
    cand_fpr = base_fpr.copy()
    cand_fpr[-1] -= reduction
    out: dict[str, list[float]] = {"difference": [], "percentile": [], "basic": []}
    for _ in range(sims):
        heldout, _, _ = _design(groups, seeds, rng)
        baseline = [_decisions(h, base_fpr, rng) for h in heldout]
        # A share of rows keep the baseline's decision, the rest are the candidate's own draws, at rates chosen
        # so that the candidate's FPR per group is cand_fpr: shared * base + (1 - shared) * own = cand.
        own = base_fpr + (cand_fpr - base_fpr) / (1 - shared)
        candidate = [np.where(rng.random(len(b)) < shared, b, _decisions(h, own, rng)) for h, b in zip(heldout, baseline)]
        figures = paired_figures(heldout, candidate, baseline, n_groups=groups, min_negatives=30, n_boot=N_BOOT, rng=rng)
        per_seed, reps = figures.difference("fpr_gap")
        point, pooled = figures.pooled(per_seed, reps)
        out["difference"].append(point)
        for rule in ("percentile", "basic"):
            low, high, _ = interval_and_p(point, pooled, confidence_level=0.95, rule=rule)  # type: ignore[arg-type]
            out[rule].append(float(high is not None and high < 0))
    return out


def _rate(values: list[float]) -> str:
    p = float(np.mean(values))
    return f"{100 * p:.1f}% ± {100 * np.sqrt(p * (1 - p) / len(values)):.1f}"


def null_and_power(rng: np.random.Generator) -> None:
    print("## 1. Candidate = baseline: how often is 'narrows' claimed? (nominal <= 2.5%)\n")
    print(
        f"{NEGATIVES:,} negatives per group in each seed's held-out rows; baseline and candidate FPR {100 * BASE_FPR:.0f}% with one group"
    )
    print(f"at {100 * BASE_FPR + 4:.0f}%; {N_BOOT:,} bootstrap replicates; ± is the Monte Carlo standard error.\n")
    print("| groups | seeds | shared decisions | simulations | percentile rule | basic rule |\n|---:|---:|---:|---:|---:|---:|")
    for groups, seeds, shared, sims in [
        (2, 1, 0.0, 500),
        (2, 1, 0.5, 500),
        (2, 1, 0.9, 500),
        (5, 1, 0.0, 500),
        (5, 1, 0.5, 500),
        (5, 1, 0.9, 500),
        (2, 3, 0.5, 300),
    ]:
        out = _claims(groups, shared, seeds, sims, 0.0, rng)
        print(f"| {groups} | {seeds} | {100 * shared:.0f}% | {sims} | {_rate(out['percentile'])} | {_rate(out['basic'])} |")
    print("\n## 2. A planted reduction of 3 standard errors: how often is it detected? (target >= 80%)\n")
    print("The baseline's gap is 10 points (one group at 20% FPR); the candidate lowers that group's FPR by 3 SE, where the SE is")
    print("the standard deviation of the pooled paired difference under the same design with no reduction (pilot of 400).\n")
    print("| groups | seeds | shared decisions | SE (points) | reduction (points) | simulations | percentile rule | basic rule |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for groups, seeds, shared in [(2, 1, 0.0), (2, 1, 0.5), (5, 1, 0.0), (5, 1, 0.5), (2, 3, 0.5)]:
        se = float(np.std(_claims(groups, shared, seeds, 400, 0.0, rng, gap=0.10)["difference"], ddof=1))
        out = _claims(groups, shared, seeds, 300, 3 * se, rng, gap=0.10)
        print(
            f"| {groups} | {seeds} | {100 * shared:.0f}% | {100 * se:.2f} | {300 * se:.2f} | 300 | {_rate(out['percentile'])} | "
            f"{_rate(out['basic'])} |"
        )


def _random_labels(path: Path, rng: np.random.Generator) -> None:
    n = 4000
    frame = pd.DataFrame({f"x{i}": rng.normal(size=n) for i in range(4)})
    frame["group"] = rng.choice(["a", "b"], n)
    frame["label"] = rng.random(n) < 0.3  # independent of everything: nothing to learn, nothing to memorize
    frame.to_csv(path, index=False)


def attacks(rng: np.random.Generator) -> None:
    seeds = list(range(60))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.csv"
        _random_labels(path, rng)
        config = compare_config_from_dict(
            {
                "name": "no-signal",
                "seeds": seeds,
                "data": {"path": str(path), "label": {"column": "label", "positive": True}, "sensitive_features": [{"column": "group"}]},
                "features": {"kind": "tabular", "columns": ["x0", "x1", "x2", "x3"]},
                "candidates": [],
                "privacy_risk": {"shadow_models": 2, "n_boot": 1000},
                "fairness": {"n_boot": 0},
                "paired": {"n_boot": 200},
                "tracking": {"enabled": False},
            }
        )
        result = run_comparison(config)
    print("\n## 3. Membership attacks without signal: does every interval cover chance? (target >= 93% of seeds)\n")
    print(f"Logistic regression on random labels (4 numeric features, 4,000 rows), seeds 0-{seeds[-1]}; members and non-members:")
    print(f"{result.runs[0].attacks[0].n_members:,} / {result.runs[0].attacks[0].n_nonmembers:,} per seed.\n")
    print("| attack | seeds | AUC interval covers 0.5 | advantage interval covers 0 | runs flagged as leaking |\n|---|---:|---:|---:|---:|")
    for attack in ("loss", "shadow"):
        found = [a for r in result.runs for a in r.attacks if a.attack == attack]
        covers = [float(a.auc.ci_low <= 0.5 <= a.auc.ci_high) for a in found]  # type: ignore[operator]
        zero = [float(a.advantage.ci_low == 0.0) for a in found]
        print(f"| {attack} | {len(found)} | {_rate(covers)} | {_rate(zero)} | {sum(a.leaks for a in found)} |")
    positive_control()


def positive_control() -> None:
    """The overfit baseline on the synthetic corpus: its attack intervals must exclude chance (the only part of this study
    that reads the corpus, so the only one to re-run when the corpus changes: ``--positive-control``)."""
    overfit = run_comparison(
        compare_config_from_dict(
            {
                "name": "overfit",
                "seeds": [0, 1, 2],
                "synth": {"ads": 1500, "label_noise": 0.1},
                "features": {"kind": "text", "max_features": 4000, "min_df": 1},
                "baseline": {"C": 10000.0},
                "candidates": [],
                "privacy_risk": {"shadow_models": 1, "n_boot": 1000},
                "fairness": {"n_boot": 0, "min_group_size": 10},
                "tracking": {"enabled": False},
            }
        )
    )
    print("\nPositive control: the overfit baseline (C = 10⁴, 4,000 TF-IDF features, 10% label noise), AUC [95% CI] per seed:\n")
    for run in overfit.runs:
        cells = ", ".join(f"{a.attack} {a.auc.value:.3f} [{a.auc.ci_low:.3f}, {a.auc.ci_high:.3f}]" for a in run.attacks)
        print(f"- seed {run.seed}: {cells}; interval excludes 0.5: {all(a.auc.ci_low > 0.5 for a in run.attacks)}")  # type: ignore[operator]


def main() -> None:
    if sys.argv[1:] == ["--positive-control"]:
        positive_control()
        return
    start = time.perf_counter()
    rng = np.random.default_rng(20261202)
    print("# Comparison statistics: simulation study\n")
    print(f"Machine: {machine()} (shared with other work while it ran)\n")
    null_and_power(rng)
    attacks(rng)
    print(f"\nTotal {time.perf_counter() - start:.0f} s.")


if __name__ == "__main__":
    main()
