"""Typed results of a comparison: one run per candidate and seed, a summary per candidate, paired comparisons."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from ethicscheck._serialize import Serializable, json_options
from ethicscheck.fairness import Estimate, FairnessResult
from ethicscheck.membership import ATTACK_FIGURES, AttackResult, GroupedRisk

__all__ = [
    "CandidateRun",
    "CandidateSummary",
    "CandidateComparison",
    "ComparisonResult",
    "Failure",
    "PairedDifference",
    "HEADLINES",
    "ATTACKS",
    "summarize",
]

# Headline figures per run: key -> (label, higher is better)
HEADLINES: dict[str, tuple[str, bool]] = {
    "accuracy": ("accuracy", True),
    "recall": ("recall (share of trafficking-related caught)", True),
    "fpr": ("FPR overall", False),
    "fpr_gap": ("FPR gap (largest minus smallest group)", False),
    "fnr_gap": ("FNR gap", False),
    "fpr_max_ratio": ("worst FPR ratio to reference", False),
    **{
        f"mia_{figure}_{attack}": (f"membership attack {figure.replace('_', ' ')} ({attack})", False)
        for attack in ("loss", "shadow")
        for figure in ATTACK_FIGURES
    },
    "fit_seconds": ("training time (s)", False),
}
ATTACKS = ("loss", "shadow")

Verdict = Literal["narrows", "widens", "no evidence either way", "not assessed"]


@dataclass(frozen=True)
class Failure(Serializable):
    """A fit that raised: which candidate, seed and stage ('fit', 'shadow model 2 of 2'), and why."""

    candidate: str
    seed: int
    stage: str
    reason: str


@dataclass(frozen=True)
class CandidateRun(Serializable):
    """One candidate trained and evaluated on one seed's split."""

    candidate: str
    method: str
    family: str
    epsilon: float | None
    seed: int
    feature: str
    fairness: FairnessResult
    attacks: tuple[AttackResult, ...]
    fit_seconds: float
    n_train: int
    n_test: int
    clipped: float | None = field(default=None, metadata=json_options(key="dp_clipped_share"))  # DP: share of rows clipped
    membership_by_group: tuple[GroupedRisk, ...] = ()  # per attack: the risk per group of the mitigated feature

    JSON_ORDER = (
        "candidate",
        "method",
        "family",
        "epsilon",
        "seed",
        "feature",
        "headline",
        "gaps",
        "attacks",
        "membership_by_group",
        "fit_seconds",
        "n_train",
        "n_test",
        "clipped",
        "fairness",
    )

    @property
    def degenerate(self) -> bool:
        """Flags at least 99% of rows or at most 1%: any gap it has says nothing about fairness."""
        rate = self.fairness.overall.metrics["selection_rate"].value
        return rate is not None and not 0.01 < rate < 0.99

    @property
    def gaps(self) -> dict[str, Estimate]:
        disparities = self.fairness.feature(self.feature).disparities
        return {
            "fpr_gap": disparities["fpr_difference"],
            "fnr_gap": disparities["fnr_difference"],
            "fpr_max_ratio": disparities["fpr_max_ratio_to_reference"],
        }

    def attack(self, name: str) -> AttackResult | None:
        return next((a for a in self.attacks if a.attack == name), None)

    def by_group(self, name: str) -> GroupedRisk | None:
        """The attack's membership risk per group, or None when the attack did not run."""
        return next((g for g in self.membership_by_group if g.attack == name), None)

    def headline(self) -> dict[str, float | None]:
        """The numbers the comparison table is made of (None when undefined, not resolvable or not measured)."""
        overall = self.fairness.overall.metrics
        values: dict[str, float | None] = {
            "accuracy": overall["accuracy"].value,
            "recall": None if overall["fnr"].value is None else 1.0 - overall["fnr"].value,
            "fpr": overall["fpr"].value,
            **{k: v.value for k, v in self.gaps.items()},
            "fit_seconds": self.fit_seconds,
        }
        for name in ATTACKS:
            found = self.attack(name)
            for figure in ATTACK_FIGURES:
                values[f"mia_{figure}_{name}"] = None if found is None else found.figure(figure).value
        return values


@dataclass(frozen=True)
class PairedDifference(Serializable):
    """Candidate minus baseline of one figure on the same held-out rows: per seed and pooled over seeds."""

    figure: str
    per_seed: tuple[Estimate, ...]
    pooled: Estimate
    p_value: float | None

    JSON_ORDER = ("figure", "pooled", "p_value", "per_seed")


@dataclass(frozen=True)
class CandidateComparison(Serializable):
    """A candidate against the baseline: paired differences and whether it narrows the FPR gap (Holm across candidates).

    ``own`` holds the candidate's own pooled figures with their bootstrap intervals (``fpr_signed`` for two
    groups: the second group's FPR minus the first's, see ``signed_groups``).
    """

    candidate: str
    differences: dict[str, PairedDifference]
    own: dict[str, Estimate]
    p_adjusted: float | None = field(metadata=json_options(key="fpr_gap_p_holm"))
    verdict: Verdict
    reason: str | None = None
    signed_groups: tuple[str, str] | None = None

    JSON_ORDER = ("candidate", "verdict", "reason", "p_adjusted", "differences", "own", "signed_groups")


@dataclass(frozen=True)
class CandidateSummary(Serializable):
    """One candidate across seeds.

    ``pooled`` holds the mean over seeds of each headline, and None when any seed failed (a mean of fewer
    seeds would hide the failure). ``envelope`` spans the lowest lower end to the highest upper end of the
    seeds' own 95% intervals (FPR gap, accuracy): an interval built from intervals, never an average of them.
    """

    candidate: str
    method: str
    family: str
    epsilon: float | None
    pooled: dict[str, float | None]
    envelope: dict[str, tuple[float | None, float | None]] = field(metadata=json_options(key="envelope_of_seed_intervals"))
    seeds: int
    failed_seeds: tuple[int, ...] = ()
    degenerate: int = field(default=0, metadata=json_options(key="degenerate_seeds"))
    clipped: float | None = field(default=None, metadata=json_options(key="dp_clipped_share_max"))


def _not_covered(dp_scope: dict[str, Any]) -> list[str]:
    return list(dp_scope.get("not_covered", []))


@dataclass(frozen=True)
class ComparisonResult(Serializable):
    """Every run, the per-candidate summaries and paired comparisons, plus what the comparison was run on."""

    name: str
    feature: str
    seeds: tuple[int, ...]
    runs: tuple[CandidateRun, ...]
    data: dict[str, Any]
    config: dict[str, Any]
    packages: dict[str, str]
    started_at: str
    finished_at: str
    seconds: float
    summaries: tuple[CandidateSummary, ...] = field(default=())
    failures: tuple[Failure, ...] = ()
    comparisons: tuple[CandidateComparison, ...] = ()
    # candidates no other beats with evidence (pooled FPR gap and accuracy)
    front: tuple[str, ...] = field(default=(), metadata=json_options(key="pareto_front"))
    # what the feature map read off the training rows without DP (written inside dp_scope)
    learned_features: tuple[str, ...] = field(default=(), metadata=json_options(key="dp_scope", written=False, read=_not_covered))
    warnings: tuple[str, ...] = ()
    shadow_train_rows: int | None = None
    JSON_ORDER = (
        "name",
        "feature",
        "seeds",
        "summaries",
        "comparisons",
        "front",
        "dp_scope",
        "warnings",
        "shadow_train_rows",
        "runs",
        "data",
        "config",
        "packages",
        "started_at",
        "finished_at",
        "seconds",
        "failures",
    )

    @property
    def dp_scope(self) -> dict[str, Any]:
        """What the privacy budget covers (the model fit) and what it does not (``learned_features``)."""
        return {"covered_by_epsilon": "the model fit", "not_covered": list(self.learned_features)}

    def summary(self, candidate: str) -> CandidateSummary:
        return next(s for s in self.summaries if s.candidate == candidate)

    def comparison(self, candidate: str) -> CandidateComparison | None:
        return next((c for c in self.comparisons if c.candidate == candidate), None)

    def write_json(self, path: Path) -> Path:
        path.write_text(json.dumps(self.to_dict(), indent=2, allow_nan=False, default=str) + "\n", encoding="utf-8")
        return path


def summarize(runs: list[CandidateRun], candidates: list[str], seeds: tuple[int, ...]) -> tuple[CandidateSummary, ...]:
    """Per candidate (in ``candidates`` order): the mean over seeds when every seed ran, and the envelope of the seeds' intervals."""
    out = []
    for candidate in candidates:
        mine = [r for r in runs if r.candidate == candidate]
        if not mine:
            continue
        failed = tuple(s for s in seeds if s not in {r.seed for r in mine})
        headlines = [r.headline() for r in mine]
        pooled: dict[str, float | None] = {}
        for key in HEADLINES:
            values = [h[key] for h in headlines]
            pooled[key] = None if failed or any(v is None for v in values) else float(np.mean(np.array(values, dtype=float)))
        gaps = [r.gaps["fpr_gap"] for r in mine]
        accuracies = [r.fairness.overall.metrics["accuracy"] for r in mine]
        first = mine[0]
        clipped = [r.clipped for r in mine if r.clipped is not None]
        out.append(
            CandidateSummary(
                first.candidate,
                first.method,
                first.family,
                first.epsilon,
                pooled,
                {"fpr_gap": _envelope(gaps), "accuracy": _envelope(accuracies)},
                len(seeds),
                failed,
                sum(r.degenerate for r in mine),
                max(clipped) if clipped else None,
            )
        )
    return tuple(out)


def _envelope(estimates: list[Estimate]) -> tuple[float | None, float | None]:
    lows, highs = [e.ci_low for e in estimates], [e.ci_high for e in estimates]
    if any(v is None for v in lows + highs):
        return None, None
    return min(v for v in lows if v is not None), max(v for v in highs if v is not None)
