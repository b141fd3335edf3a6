"""Face-matching (verification) audits: detection of planted differentials, interval coverage, and scale.

Three studies, printed as Markdown (``make`` writes them to benchmarks/results/verification.md):

1. **Detection**: 10^6 impostor comparisons between members of each group, planted same-group FMR differentials
   of 2x and 3x against a reference group (and a null scenario with none), 100 seeds each. A *finding* is a group
   whose FMR ratio to the reference has a bootstrap interval entirely above 1, at a confidence level Bonferroni-
   adjusted over the groups and targets compared (1 - 0.05 / m).
2. **Coverage**: per-group FMR and FMR-ratio intervals over a grid of true effects (ratio 1 to 3, base FMR 1e-2 to
   1e-4, subject effect sd 0 to 0.3), at fixed thresholds whose true FMRs are known exactly, against the same
   intervals on raw counts (comparisons treated as independent).
3. **Scale**: 10^8 impostor comparisons, 10 groups, 3 target FMRs, 1,000 subject-bootstrap replicates, timed and
   measured (peak memory) in a fresh process; side by side with a straightforward pandas implementation of the same
   numbers at 10^7 comparisons (the pandas bootstrap is timed on 5 replicates and scaled to 1,000).

Run: ``.venv/bin/python benchmarks/bench_verification.py [detection|coverage|scale ...] > benchmarks/results/verification.md``
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine  # noqa: E402

from ethicscheck.synth import ComparisonSpec, comparison_arrays  # noqa: E402
from ethicscheck.verification import Comparisons, SubjectGroups, assess_verification  # noqa: E402
from ethicscheck.verification._intervals import clopper_pearson, rate_ratio_interval  # noqa: E402

TARGETS = (1e-3, 1e-4, 1e-5)


def wrap(arrays, *, higher: bool = True) -> Comparisons:  # type: ignore[no-untyped-def]
    groups = SubjectGroups(name="group", labels=arrays.groups, codes=arrays.subject_group)
    return Comparisons.from_arrays(
        genuine=arrays.genuine,
        subject_a=arrays.subject_a,
        subject_b=arrays.subject_b,
        features=[groups],
        score=arrays.similarity,
        higher_is_more_similar=higher,
    )


# --------------------------------------------------------------------------- 1. detection


def detection(seeds: int = 100) -> str:
    planted = {"reference": 1.0, "twice": 2.0, "three_times": 3.0}
    null = {"reference": 1.0, "same_a": 1.0, "same_b": 1.0}
    lines = [
        "## 1. Detection of planted differentials (10^6 impostor comparisons per group, 100 seeds)",
        "",
        "Planted: same-group FMR 2x and 3x the reference group's at the reference operating point (FMR 1e-3), 2,000 people per",
        "group, subject effect sd 0.2, 1,000 bootstrap replicates. A finding: the group's FMR-ratio interval (Bonferroni over",
        "2 groups x 3 targets: 99.17%) lies above 1.",
        "",
        "| scenario | group | true ratio at 1e-3 / 1e-4 / 1e-5 (reached) | found at 1e-3 | found at 1e-4 | found at 1e-5 |",
        "|---|---|---|---|---|---|",
    ]
    level = 1 - 0.05 / 6
    for name, factors in (("planted", planted), ("null", null)):
        found = {g: np.zeros(len(TARGETS)) for g in factors if g != "reference"}
        any_found = 0
        true_ratio = {g: np.zeros(len(TARGETS)) for g in factors if g != "reference"}
        started = time.perf_counter()
        for seed in range(seeds):
            spec = ComparisonSpec(
                fmr_factor=factors, subjects_per_group=2000, impostors_per_group=1_000_000, cross_impostors=0, subject_sd=0.2
            )
            result = assess_verification(
                wrap(comparison_arrays(spec, seed=seed, dtype=np.float32)),
                targets=TARGETS,
                n_boot=1000,
                confidence_level=level,
                references={"group": "reference"},
                seed=seed,
            )
            feature = result.feature("group")
            hit = False
            for t, point in enumerate(result.points):
                at = feature.at(point.key)
                for g in found:
                    ratio = at.group(g).fmr_ratio
                    if ratio is not None and ratio.ci_low is not None and ratio.ci_low > 1:
                        found[g][t] += 1
                        hit = True
                    true_ratio[g][t] += spec.true_fmr(g, point.threshold) / spec.true_fmr("reference", point.threshold) / seeds
            any_found += hit
        seconds = time.perf_counter() - started
        for g in found:
            truth = " / ".join(f"{r:.2f}" for r in true_ratio[g])
            rates = " | ".join(f"{100 * c / seeds:.0f}%" for c in found[g])
            lines.append(f"| {name} | {g} | {truth} | {rates} |")
        lines.append(f"| {name} | seeds with any finding | | {any_found} of {seeds} | ({seconds:.0f} s for {seeds} seeds) | |")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- 2. coverage


#: Seeds per cell of the coverage grid, by subject sd: the dependent cells (where the interval is at risk) get twice as many.
COVERAGE_SEEDS = {0.0: 200, 0.15: 200, 0.3: 400}


def coverage(seeds: dict[float, int] | None = None, *, jobs: int = 2) -> str:
    seeds = seeds or COVERAGE_SEEDS
    factors = (1.0, 2.0, 3.0)
    sds = tuple(seeds)
    base_rates = (1e-2, 1e-3, 1e-4)
    per_sd = ", ".join(f"{n} seeds at sd {sd:g}" for sd, n in seeds.items())
    lines = [
        "## 2. Coverage of per-group FMR and FMR-ratio intervals over a grid of true effects (nominal 95%)",
        "",
        "Two groups, `base` and `other` (same-group FMR ratio other / base planted at 1, 2 and 3 at base FMR 1e-3; the true",
        "ratio at each threshold is given), 300 people each, 100,000 same-group impostor comparisons each (every person in",
        "about 670 of them) and 600 genuine ones (2 a person), fixed thresholds where the base FMR is 1e-2, 1e-3 and 1e-4",
        f"(true rates known exactly), 500 bootstrap replicates, {per_sd} (Monte Carlo standard error of a",
        "95% coverage: 1.5% at 200 seeds, 1.1% at 400). ethicscheck: the gamma-Poisson interval for the rate (Korn-Graubard",
        "effective counts, the design effect growing with the rate above the estimate), the conditional binomial interval on",
        "both groups' effective counts for the ratio. Naive: Clopper-Pearson and the same ratio interval on the raw counts, as",
        "if comparisons were independent. Misses: how often the truth lies above / below ethicscheck's interval. max/min: how",
        "often its interval (range over the Bonferroni intervals of both groups) holds the true max/min. Widths are medians",
        "over the seeds; FNMR width: the other group's FNMR interval (600 genuine comparisons) over the naive one.",
        "",
        "| subject sd | planted ratio (at 1e-3) | base FMR | true ratio | false matches (other) "
        "| other's FMR: ethicscheck / naive | misses above / below | base's FMR: ethicscheck "
        "| ratio: ethicscheck / naive | max/min | median FMR width: ethicscheck / naive | FNMR width / naive |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    thresholds = [float(stats.norm.isf(rate)) for rate in base_rates]
    worst = {key: (2.0, "") for key in ("fmr", "base", "ratio")}
    cells = [(sd, factor) for sd in sds for factor in factors]
    largest_first = sorted(cells, key=lambda cell: -seeds[cell[0]])
    with ProcessPoolExecutor(max_workers=jobs) as pool:  # one simulated cell per process, the longest started first
        done = dict(zip(largest_first, pool.map(_coverage_cell, [(sd, factor, seeds[sd], thresholds) for sd, factor in largest_first])))
    for sd, factor in cells:
        rows = done[(sd, factor)]
        for t, rate in enumerate(base_rates):
            table = np.array(rows[t], dtype=float)
            means = table.mean(axis=0)
            medians = np.median(table, axis=0)
            cell = f"sd {sd:g}, ratio {factor:g}, base FMR {rate:.0e}"
            for key, column in (("fmr", 2), ("base", 6), ("ratio", 7)):
                worst[key] = min(worst[key], (means[column], cell))
            lines.append(
                f"| {sd} | {factor:g} | {rate:.0e} | {means[1]:.2f} | {means[0]:.0f} | {100 * means[2]:.1f}% / {100 * means[3]:.1f}% | "
                f"{100 * means[4]:.1f}% / {100 * means[5]:.1f}% | {100 * means[6]:.1f}% | "
                f"{100 * means[7]:.1f}% / {100 * means[8]:.1f}% | "
                f"{100 * means[9]:.1f}% | {medians[10]:.2e} / {medians[11]:.2e} | {medians[12]:.2f} |"
            )
    lines += [
        "",
        "Lowest coverage over the grid: "
        + "; ".join(
            f"{label} {100 * worst[key][0]:.1f}% ({worst[key][1]})"
            for key, label in (("fmr", "other's FMR"), ("base", "base's FMR"), ("ratio", "FMR ratio"))
        )
        + ".",
    ]
    return "\n".join(lines) + "\n"


def _coverage_cell(job: tuple[float, float, int, list[float]]) -> dict[int, list[tuple[float, ...]]]:
    """Every seed of one cell of the grid (subject sd, planted ratio): a row per seed and threshold."""
    sd, factor, seeds, thresholds = job
    spec = ComparisonSpec(
        fmr_factor={"base": 1.0, "other": factor}, subjects_per_group=300, impostors_per_group=100_000, cross_impostors=0, subject_sd=sd
    )
    rows: dict[int, list[tuple[float, ...]]] = {t: [] for t in range(len(thresholds))}
    started = time.perf_counter()
    for seed in range(seeds):
        result = assess_verification(wrap(comparison_arrays(spec, seed=seed)), targets=(), thresholds=thresholds, n_boot=500, seed=seed)
        feature = result.feature("group")
        for t, point in enumerate(result.points):
            rows[t].append(_coverage_row(spec, feature.at(point.key), thresholds[t]))
    print(f"coverage: sd {sd:g}, ratio {factor:g}: {seeds} seeds in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return rows


def _coverage_row(spec: ComparisonSpec, at, threshold: float) -> tuple[float, ...]:  # type: ignore[no-untyped-def]
    """One seed at one threshold: counts, whether each interval holds the truth, and the widths."""
    truth = {g: spec.true_fmr(g, threshold) for g in ("base", "other")}
    ratio_truth = truth["other"] / truth["base"]
    other, base = at.group("other"), at.group("base")
    fmr = other.fmr
    naive = clopper_pearson(fmr.numerator or 0, fmr.denominator or 1, 0.95)
    ratio = other.fmr_ratio
    raw = ((fmr.numerator or 0, fmr.denominator or 1), (base.fmr.numerator or 0, base.fmr.denominator or 1))
    naive_ratio = rate_ratio_interval(*raw, 0.95)
    spread = at.summaries["fmr_max_over_min"]
    true_spread = max(ratio_truth, 1 / ratio_truth)
    fnmr = other.fnmr
    naive_fnmr = clopper_pearson(fnmr.numerator or 0, fnmr.denominator or 1, 0.95)
    return (
        fmr.numerator or 0,
        ratio_truth,
        _inside(truth["other"], fmr.ci_low, fmr.ci_high),
        naive[0] <= truth["other"] <= naive[1],
        truth["other"] > (fmr.ci_high if fmr.ci_high is not None else np.inf),
        truth["other"] < (fmr.ci_low if fmr.ci_low is not None else 0.0),
        _inside(truth["base"], base.fmr.ci_low, base.fmr.ci_high),
        _inside(ratio_truth, ratio.ci_low if ratio else None, ratio.ci_high if ratio else None),
        naive_ratio[0] <= ratio_truth <= naive_ratio[1],
        _inside(true_spread, spread.ci_low, spread.ci_high),
        (fmr.ci_high or 0.0) - (fmr.ci_low or 0.0),
        naive[1] - naive[0],
        ((fnmr.ci_high or 0.0) - (fnmr.ci_low or 0.0)) / (naive_fnmr[1] - naive_fnmr[0]),
    )


def _inside(truth: float, low: float | None, high: float | None) -> bool:
    """An interval holds the truth; a missing limit is unbounded (a ratio over a zero rate), no interval holds nothing."""
    if low is None:
        return False
    return low <= truth <= (high if high is not None else np.inf)


# --------------------------------------------------------------------------- 3. scale

_SCALE_SPEC = dict(
    fmr_factor={f"g{i}": 1.0 + 0.25 * i for i in range(10)},
    subjects_per_group=2000,
    cross_impostors=0,
    genuine_per_subject=2,
    subject_sd=0.2,
)


def _save(folder: Path, impostors_per_group: int) -> None:
    arrays = comparison_arrays(ComparisonSpec(**_SCALE_SPEC, impostors_per_group=impostors_per_group), seed=0, dtype=np.float32)
    for field in ("subject_a", "subject_b", "genuine", "similarity", "subject_group"):
        np.save(folder / f"{field}.npy", getattr(arrays, field))


_OURS = """
import json, resource, sys, time
import numpy as np
from ethicscheck.verification import Comparisons, SubjectGroups, assess_verification
folder = sys.argv[1]
load = lambda name: np.load(f"{folder}/{name}.npy")
arrays = {name: load(name) for name in ("subject_a", "subject_b", "genuine", "similarity", "subject_group")}
before = resource.getrusage(resource.RUSAGE_SELF)
cpu_before = before.ru_utime + before.ru_stime
start = time.perf_counter()
groups = SubjectGroups("group", tuple(f"g{i}" for i in range(10)), arrays["subject_group"])
comparisons = Comparisons.from_arrays(genuine=arrays["genuine"], subject_a=arrays["subject_a"], subject_b=arrays["subject_b"],
                                      features=[groups], score=arrays["similarity"])
result = assess_verification(comparisons, targets=(1e-3, 1e-4, 1e-5), n_boot=1000, seed=0)
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_SELF)
at = result.feature("group").at("fmr@1e-04")
print(json.dumps({"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime - cpu_before,
                  "peak_gib": usage.ru_maxrss / 2**20,
                  "thresholds": [p.threshold for p in result.points],
                  "fmr": {g.group: [g.fmr.numerator, g.fmr.denominator] for g in at.groups}}))
"""

_PANDAS = """
import json, resource, sys, time
import numpy as np, pandas as pd
folder = sys.argv[1]
load = lambda name: np.load(f"{folder}/{name}.npy")
start = time.perf_counter()
group_of = load("subject_group")
df = pd.DataFrame({"a": load("subject_a"), "b": load("subject_b"), "genuine": load("genuine"), "score": load("similarity")})
df["ga"], df["gb"] = group_of[df["a"]], group_of[df["b"]]
impostor = df[~df["genuine"]]
ordered = impostor["score"].sort_values(ascending=False).to_numpy()
thresholds = []
for target in (1e-3, 1e-4, 1e-5):
    k = int(np.floor(target * len(ordered) + 1e-9))
    last = ordered[k]
    above = ordered[:k][ordered[:k] > last]
    thresholds.append(float(above.min()) if above.size else float(np.nextafter(last, np.inf)))
same = impostor[impostor["ga"] == impostor["gb"]]
point = {}
for t in thresholds:
    point[t] = same.assign(m=same["score"] >= t).groupby("ga")["m"].agg(["sum", "count"])
    df[df["genuine"]].assign(x=lambda d: d["score"] < t).groupby("ga")["x"].mean()
point_seconds = time.perf_counter() - start
rng = np.random.default_rng(0)
n_subjects = len(group_of)
start = time.perf_counter()
for _ in range(5):
    w = np.bincount(rng.integers(0, n_subjects, n_subjects), minlength=n_subjects)
    weight = w[same["a"].to_numpy()] + w[same["b"].to_numpy()] - 1.0
    for t in thresholds:
        frame = pd.DataFrame({"g": same["ga"].to_numpy(), "w": weight, "m": (same["score"].to_numpy() >= t) * weight})
        frame.groupby("g")[["m", "w"]].sum()
per_replicate = (time.perf_counter() - start) / 5
at = point[thresholds[1]]
print(json.dumps({"point_seconds": point_seconds, "bootstrap_seconds_1000": per_replicate * 1000,
                  "peak_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, "thresholds": thresholds,
                  "fmr": {f"g{g}": [int(at.loc[g, "sum"]), int(at.loc[g, "count"])] for g in at.index}}))
"""


def scale() -> str:
    lines = [
        "## 3. Scale: 10 groups, 3 target FMRs, 1,000 subject-bootstrap replicates",
        "",
        "20,000 people, float32 scores, each run in a fresh process (peak memory is that process's maximum resident set,",
        "input arrays included). pandas: sort + groupby for the point estimates, the same replicate weights applied per",
        "comparison with groupby sums for the bootstrap (5 replicates timed, x200). Wall-clock time, and for ethicscheck the",
        "CPU time of the audit (user + system, all threads) beside it: on a shared machine the wall clock measures the others'",
        f"jobs too (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores when this study started).",
        "",
        "| implementation | impostor comparisons | point estimates + 1,000 replicates | peak memory | same thresholds and counts |",
        "|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for impostors_per_group in (1_000_000, 10_000_000):
            folder = Path(tmp) / str(impostors_per_group)
            folder.mkdir()
            _save(folder, impostors_per_group)
            ours = _run(_OURS, folder)
            row = f"{10 * impostors_per_group:.0e}"
            if impostors_per_group == 1_000_000:
                theirs = _run(_PANDAS, folder)
                same = ours["thresholds"] == theirs["thresholds"] and ours["fmr"] == theirs["fmr"]
                total = theirs["point_seconds"] + theirs["bootstrap_seconds_1000"]
                agree = "yes" if same else "NO"
                lines.append(
                    f"| pandas (straightforward) | {row} | {total:.0f} s ({theirs['point_seconds']:.1f} s + "
                    f"{theirs['bootstrap_seconds_1000']:.0f} s extrapolated) | {theirs['peak_gib']:.2f} GiB | {agree} |"
                )
                lines.append(
                    f"| ethicscheck | {row} | {ours['seconds']:.1f} s ({total / ours['seconds']:.0f}x faster), "
                    f"{ours['cpu_seconds']:.1f} CPU s | "
                    f"{ours['peak_gib']:.2f} GiB | {agree} |"
                )
            else:
                verdict = "within" if ours["seconds"] <= 60 and ours["peak_gib"] <= 4 else "OVER"
                lines.append(
                    f"| ethicscheck | {row} | {ours['seconds']:.1f} s, {ours['cpu_seconds']:.1f} CPU s (target 60 s) | "
                    f"{ours['peak_gib']:.2f} GiB (target 4 GB) | "
                    f"{verdict} target |"
                )
    return "\n".join(lines) + "\n"


def _run(code: str, folder: Path) -> dict:  # type: ignore[type-arg]
    done = subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    wanted = sys.argv[1:] or ["detection", "coverage", "scale"]
    print("# Face-matching (verification) audits\n")
    print(f"Measured {machine()}. Reproduce: `.venv/bin/python benchmarks/bench_verification.py {' '.join(wanted)}`.\n")
    for study in wanted:
        print({"detection": detection, "coverage": coverage, "scale": scale}[study]())
