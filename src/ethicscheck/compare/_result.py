"""Typed results of a comparison: one run per candidate and seed, and a summary per candidate across seeds."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ethicscheck.compare._mia import AttackResult
from ethicscheck.fairness import Estimate, FairnessResult

__all__ = ["CandidateRun", "CandidateSummary", "ComparisonResult", "HEADLINES"]

# Headline figures per run: key -> (label, higher is better)
HEADLINES: dict[str, tuple[str, bool]] = {
    "accuracy": ("accuracy", True),
    "recall": ("recall (share of trafficking-related caught)", True),
    "fpr": ("FPR overall", False),
    "fpr_gap": ("FPR gap (largest minus smallest group)", False),
    "fnr_gap": ("FNR gap", False),
    "fpr_max_ratio": ("worst FPR ratio to reference", False),
    "mia_auc_loss": ("membership attack AUC (loss)", False),
    "mia_auc_shadow": ("membership attack AUC (shadow models)", False),
    "mia_advantage": ("membership advantage (max TPR-FPR, worst attack)", False),
    "mia_tpr_at_1pct_fpr": ("attack TPR at 1% FPR (worst attack)", False),
    "mia_tpr_at_01pct_fpr": ("attack TPR at 0.1% FPR (worst attack)", False),
    "fit_seconds": ("training time (s)", False),
}


@dataclass(frozen=True)
class CandidateRun:
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

    def headline(self) -> dict[str, float | None]:
        """The numbers the comparison table is made of (None when undefined or not measured)."""
        overall = self.fairness.overall.metrics
        values: dict[str, float | None] = {
            "accuracy": overall["accuracy"].value,
            "recall": None if overall["fnr"].value is None else 1.0 - overall["fnr"].value,
            "fpr": overall["fpr"].value,
            **{k: v.value for k, v in self.gaps.items()},
            "mia_auc_loss": self._attack("loss", "auc"),
            "mia_auc_shadow": self._attack("shadow", "auc"),
            "fit_seconds": self.fit_seconds,
        }
        for key, name in (
            ("mia_advantage", "advantage"),
            ("mia_tpr_at_1pct_fpr", "tpr_at_1pct_fpr"),
            ("mia_tpr_at_01pct_fpr", "tpr_at_01pct_fpr"),
        ):
            found = [getattr(a, name) for a in self.attacks]
            values[key] = max(found) if found else None
        return values

    def _attack(self, attack: str, field_name: str) -> float | None:
        return next((getattr(a, field_name) for a in self.attacks if a.attack == attack), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "candidate": self.candidate,
            "method": self.method,
            "family": self.family,
            "epsilon": self.epsilon,
            "seed": self.seed,
            "feature": self.feature,
            "headline": self.headline(),
            "gaps": {k: v.to_dict() for k, v in self.gaps.items()},
            "attacks": [a.to_dict() for a in self.attacks],
            "fit_seconds": self.fit_seconds,
            "n_train": self.n_train,
            "n_test": self.n_test,
            "fairness": self.fairness.to_dict(),
        }


@dataclass(frozen=True)
class CandidateSummary:
    """One candidate across seeds: mean and standard deviation of each headline, and how often it beat the baseline.

    ``gap_reduced`` counts the seeds where the whole within-run CI of the candidate's FPR gap lies below
    the baseline's FPR gap on the same split.
    """

    candidate: str
    method: str
    family: str
    epsilon: float | None
    mean: dict[str, float | None]
    sd: dict[str, float | None]
    fpr_gap_ci: tuple[float | None, float | None]
    gap_reduced: int
    seeds: int
    degenerate: int = 0

    @property
    def narrows_gap(self) -> bool:
        """Beats the baseline's FPR gap (whole CI below it) in most seeds, without flagging everyone or no one."""
        return self.gap_reduced * 2 > self.seeds and self.degenerate == 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "candidate": self.candidate,
            "method": self.method,
            "family": self.family,
            "epsilon": self.epsilon,
            "mean": self.mean,
            "sd": self.sd,
            "fpr_gap_ci_mean": list(self.fpr_gap_ci),
            "fpr_gap_reduced_in_seeds": self.gap_reduced,
            "seeds": self.seeds,
            "degenerate_seeds": self.degenerate,
        }


@dataclass(frozen=True)
class ComparisonResult:
    """Every run and the per-candidate summaries, plus what the comparison was run on."""

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
    failures: tuple[dict[str, Any], ...] = ()  # {candidate, seed, reason} of fits that raised

    def summary(self, candidate: str) -> CandidateSummary:
        return next(s for s in self.summaries if s.candidate == candidate)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "feature": self.feature,
            "seeds": list(self.seeds),
            "summaries": [s.to_dict() for s in self.summaries],
            "runs": [r.to_dict() for r in self.runs],
            "data": self.data,
            "config": self.config,
            "packages": self.packages,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "seconds": self.seconds,
            "failures": list(self.failures),
        }

    def write_json(self, path: Path) -> Path:
        path.write_text(json.dumps(self.to_dict(), indent=2, allow_nan=False, default=str) + "\n", encoding="utf-8")
        return path


def summarize(runs: list[CandidateRun]) -> tuple[CandidateSummary, ...]:
    """Per candidate (in first-seen order): mean and sample SD over seeds, mean CI, seeds beating the baseline."""
    baseline = {r.seed: r.gaps["fpr_gap"].value for r in runs if r.candidate == "baseline"}
    out = []
    for candidate in dict.fromkeys(r.candidate for r in runs):
        mine = [r for r in runs if r.candidate == candidate]
        headlines = [r.headline() for r in mine]
        mean, sd = {}, {}
        for key in HEADLINES:
            values = np.array([h[key] for h in headlines if h[key] is not None], dtype=float)
            mean[key] = float(values.mean()) if len(values) else None
            sd[key] = float(values.std(ddof=1)) if len(values) > 1 else None
        lows = [r.gaps["fpr_gap"].ci_low for r in mine if r.gaps["fpr_gap"].ci_low is not None]
        highs = [r.gaps["fpr_gap"].ci_high for r in mine if r.gaps["fpr_gap"].ci_high is not None]
        reduced = sum(
            1
            for r in mine
            if candidate != "baseline"
            and not r.degenerate
            and r.gaps["fpr_gap"].ci_high is not None
            and baseline.get(r.seed) is not None
            and r.gaps["fpr_gap"].ci_high < baseline[r.seed]
        )
        first = mine[0]
        out.append(
            CandidateSummary(
                first.candidate,
                first.method,
                first.family,
                first.epsilon,
                mean,
                sd,
                (float(np.mean(lows)) if lows else None, float(np.mean(highs)) if highs else None),
                reduced,
                len(mine),
                sum(r.degenerate for r in mine),
            )
        )
    return tuple(out)
