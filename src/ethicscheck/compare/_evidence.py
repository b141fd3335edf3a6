"""What the comparison can claim: each candidate against the baseline (paired, Holm across candidates) and the
Pareto front of candidates that no other beats with evidence.

A candidate "narrows" the FPR gap when the pooled paired difference (candidate gap minus baseline gap, mean over
seeds) is below 0 with a Holm-adjusted p-value below ``1 - confidence_level``, "widens" when above 0 likewise, and
otherwise there is "no evidence either way". Candidates that flag (almost) every row or none in some seed,
or that failed on a seed, are "not assessed" and left out of the Holm family.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ethicscheck.compare._paired import GapStatistic, HeldOut, IntervalRule, PairedFigures, interval_and_p, max_minus_min, paired_figures
from ethicscheck.compare._result import CandidateComparison, CandidateRun, PairedDifference, Verdict
from ethicscheck.fairness import Estimate
from ethicscheck.fairness._significance import holm

__all__ = ["PairedInputs", "compare_with_baseline", "evidence_front", "FIGURES", "INTERVAL_RULE"]

#: Figures compared with the baseline; ``fpr_signed`` only with exactly two groups.
FIGURES = ("fpr_gap", "accuracy", "recall", "fpr_signed")

#: The interval rule of paired differences, chosen by bench_compare_stats.py (see benchmarks/results/compare_stats.md).
INTERVAL_RULE: IntervalRule = "percentile"


@dataclass(frozen=True)
class PairedInputs:
    """Row-level inputs of the paired bootstrap, kept out of the serialized result.

    ``decisions[(candidate, seed)]`` are the candidate's decisions on ``heldout[seed]``'s rows.
    """

    heldout: dict[int, HeldOut]
    decisions: dict[tuple[str, int], np.ndarray]
    group_names: tuple[str, ...]
    min_negatives: int
    n_boot: int
    confidence_level: float
    seed: int
    gap: GapStatistic = max_minus_min
    rule: IntervalRule = INTERVAL_RULE

    def figures(self, first: str, second: str, seeds: tuple[int, ...]) -> PairedFigures:
        # One random stream per (first, second) pair: adding a candidate never changes another's figures.
        stream = np.random.default_rng([self.seed, 0x9A1, *(ord(c) for c in f"{first}\x00{second}")])
        return paired_figures(
            [self.heldout[s] for s in seeds],
            [self.decisions[(first, s)] for s in seeds],
            [self.decisions[(second, s)] for s in seeds],
            n_groups=len(self.group_names),
            min_negatives=self.min_negatives,
            n_boot=self.n_boot,
            rng=stream,
            gap=self.gap,
        )


def compare_with_baseline(runs: list[CandidateRun], inputs: PairedInputs, seeds: tuple[int, ...]) -> tuple[CandidateComparison, ...]:
    """Every candidate but the baseline against the baseline, with Holm's correction over the assessed ones."""
    candidates = [c for c in dict.fromkeys(r.candidate for r in runs) if c != "baseline"]
    prepared: list[tuple[str, dict[str, PairedDifference], dict[str, Estimate], str | None, tuple[str, str] | None]] = []
    for candidate in candidates:
        mine = {r.seed: r for r in runs if r.candidate == candidate}
        missing = [s for s in seeds if s not in mine]
        if missing:
            prepared.append((candidate, {}, {}, f"could not be fitted on seed(s) {', '.join(map(str, missing))}", None))
            continue
        figures = inputs.figures(candidate, "baseline", seeds)
        signed = _signed_groups(figures, inputs.group_names)
        shown = [f for f in FIGURES if f != "fpr_signed" or signed is not None]
        differences = {f: _difference(figures, f, inputs) for f in shown}
        # Its own gap gets no interval here: a spread's interval is the fairness engine's (per seed, in the runs).
        own = {f: _own(figures, f, inputs) for f in shown if f != "fpr_gap"}
        reason = None
        if any(r.degenerate for r in mine.values()):
            reason = "flags (almost) every row or none in some seed, so its gap says nothing about fairness"
        elif differences["fpr_gap"].p_value is None:
            reason = "the FPR gap is undefined (fewer than two groups with enough negatives) in some seed"
        prepared.append((candidate, differences, own, reason, signed))
    tested = [i for i, item in enumerate(prepared) if item[3] is None]
    p_values = [p for i in tested if (p := prepared[i][1]["fpr_gap"].p_value) is not None]
    assert len(p_values) == len(tested)  # a candidate without a reason has its gap's p-value
    adjusted = holm(p_values)
    p_holm = dict(zip(tested, (float(p) for p in adjusted)))
    out = []
    for i, (candidate, differences, own, reason, signed) in enumerate(prepared):
        verdict: Verdict = "not assessed"
        if reason is None:
            verdict = "no evidence either way"
            value = differences["fpr_gap"].pooled.value
            if p_holm[i] < 1 - inputs.confidence_level and value is not None:
                verdict = "narrows" if value < 0 else "widens"
        out.append(CandidateComparison(candidate, differences, own, p_holm.get(i), verdict, reason, signed))
    return tuple(out)


def evidence_front(
    names: list[str], inputs: PairedInputs, seeds: tuple[int, ...], pooled: dict[str, tuple[float, float]]
) -> tuple[str, ...]:
    """Candidates that no other candidate beats with evidence on FPR gap (lower) and accuracy (higher).

    ``pooled[name] = (gap, accuracy)``, means over seeds. B beats A when B is at least as good on both by
    its pooled estimates and the paired interval of B minus A excludes 0 in B's favour on at least one of
    them (no multiplicity correction: the front is a description, not a test).
    """
    front = []
    for name in names:
        gap, accuracy = pooled[name]
        rivals = [other for other in names if other != name and pooled[other][0] <= gap and pooled[other][1] >= accuracy]
        if not any(_beats(other, name, inputs, seeds) for other in rivals):
            front.append(name)
    return tuple(front)


def _beats(first: str, second: str, inputs: PairedInputs, seeds: tuple[int, ...]) -> bool:
    figures = inputs.figures(first, second, seeds)
    gap = _difference(figures, "fpr_gap", inputs).pooled
    accuracy = _difference(figures, "accuracy", inputs).pooled
    return bool((gap.ci_high is not None and gap.ci_high < 0) or (accuracy.ci_low is not None and accuracy.ci_low > 0))


def _difference(figures: PairedFigures, figure: str, inputs: PairedInputs) -> PairedDifference:
    per_seed_values, per_seed_reps = figures.difference(figure)
    per_seed = tuple(_estimate(float(v), reps, inputs)[0] for v, reps in zip(per_seed_values, per_seed_reps))
    pooled, p = _estimate(*figures.pooled(per_seed_values, per_seed_reps), inputs)
    return PairedDifference(figure, per_seed, pooled, p)


def _own(figures: PairedFigures, figure: str, inputs: PairedInputs) -> Estimate:
    """The first candidate's own figure, pooled over seeds, with its bootstrap interval."""
    value, reps = figures.pooled(figures.observed[f"first_{figure}"], figures.replicates[f"first_{figure}"])
    return _estimate(value, reps, inputs)[0]


def _estimate(value: float, replicates: np.ndarray, inputs: PairedInputs) -> tuple[Estimate, float | None]:
    if np.isnan(value):
        return Estimate(None, status="undefined", reason="undefined in some seed"), None
    low, high, p = interval_and_p(value, replicates, confidence_level=inputs.confidence_level, rule=inputs.rule)
    return Estimate(value, low, high, method=f"paired {inputs.rule} bootstrap"), p


def _signed_groups(figures: PairedFigures, names: tuple[str, ...]) -> tuple[str, str] | None:
    """The two groups of the signed FPR difference, when every seed has exactly the same two usable groups."""
    usable = figures.usable
    if usable[0].sum() != 2 or not (usable == usable[0]).all():
        return None
    first, second = np.flatnonzero(usable[0])
    return names[first], names[second]
