"""Membership risk per sensitive group: is the model's privacy risk the same for everyone?

Minorities and outliers are known to be more exposed to membership inference (Kulynych et al., PoPETs
2022). For one attack's scores, each group gets the attack's figures on its own members and non-members
(AUC, advantage, TPR at 1% and 0.1% FPR, each with the interval of :func:`figure_estimates`), and its
**excess**: the group's AUC minus the AUC over everyone, with a bootstrap interval.

Small groups. Naive per-group estimates overstate the risk of small groups in two ways: the advantage
and the low-FPR TPRs are maxima and tails that chance alone pushes up when a group has few rows, and
picking the worst of several noisy groups picks up the noise (the winner's curse). ethicscheck adjusts
rather than only warning:

* the excess is measured on the AUC, which is unbiased at any group size;
* the excess intervals are simultaneous over the estimated groups (Bonferroni: each at level
  ``1 - alpha / k`` for ``k`` groups), so the worst group's interval keeps its coverage although the
  group was chosen for being the worst;
* the advantage's interval is the finite-sample Smirnov bound for the group's own counts;
* a group with fewer than ``min_rows`` members or non-members is not estimated at all, and is counted
  (never named: small groups are the ones a report must not single out).

``benchmarks/bench_membership_groups.py`` checks the coverage of these intervals by simulation over a grid
of group sizes and true excesses (results in ``benchmarks/results/membership_groups.md``).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace

import numpy as np

from ethicscheck._serialize import Serializable, json_options
from ethicscheck.config import MEMBERSHIP_MIN_GROUP_ROWS
from ethicscheck.fairness import Estimate
from ethicscheck.membership._figures import (
    ATTACK_FIGURES,
    AttackResult,
    auc_from_counts,
    chunks,
    code_counts,
    figure_estimates,
    roc_figures,
    written,
)

__all__ = ["GroupRisk", "GroupedRisk", "risk_by_group", "DEFAULT_MIN_ROWS"]

#: Members and non-members (each) a group needs to be estimated.
DEFAULT_MIN_ROWS = MEMBERSHIP_MIN_GROUP_ROWS

# Bootstrap count matrices are drawn a chunk of replicates at a time, about this many cells per chunk.
_CELLS_PER_CHUNK = 2_000_000


@dataclass(frozen=True)
class GroupRisk(Serializable):
    """One group's attack figures and its AUC's excess over the AUC on everyone (simultaneous interval)."""

    group: str
    figures: AttackResult = field(metadata=json_options(flatten=True))
    excess_auc: Estimate


@dataclass(frozen=True)
class GroupedRisk(Serializable):
    """One attack's membership risk for each group of one sensitive feature.

    ``not_estimated`` counts the groups with fewer than ``min_rows`` members or non-members (not named).
    """

    attack: str
    feature: str
    overall_auc: float
    groups: tuple[GroupRisk, ...]
    not_estimated: int
    min_rows: int
    confidence_level: float
    JSON_ORDER = (
        "attack",
        "feature",
        "overall_auc",
        "groups",
        "not_estimated",
        "min_rows",
        "confidence_level",
        "worst_group",
        "worst_excess_auc",
        "exceeds",
    )

    @property
    def worst(self) -> GroupRisk | None:
        """The group whose AUC exceeds the overall AUC the most (None without an estimated group)."""
        ranked = [g for g in self.groups if g.excess_auc.value is not None]
        return max(ranked, key=lambda g: float(g.excess_auc.value or 0.0)) if ranked else None

    @property
    def worst_group(self) -> str | None:
        """The most exposed group's name (None without an estimated group)."""
        worst = self.worst
        return None if worst is None else worst.group

    @property
    def worst_excess_auc(self) -> Estimate | None:
        """The most exposed group's excess AUC (None without an estimated group)."""
        worst = self.worst
        return None if worst is None else worst.excess_auc

    @property
    def exceeds(self) -> bool:
        """Evidence that some group is more exposed than everyone together: the worst excess's interval lies above 0."""
        worst = self.worst
        return worst is not None and worst.excess_auc.ci_low is not None and worst.excess_auc.ci_low > 0

    def group(self, name: str) -> GroupRisk | None:
        return next((g for g in self.groups if g.group == name), None)

    def without(self, hidden: Collection[str], *, min_rows: int = 0) -> GroupedRisk:
        """The named groups, and groups with fewer than ``min_rows`` rows in all, left out and counted (a card's public view)."""
        kept = tuple(g for g in self.groups if g.group not in hidden and g.figures.n_members + g.figures.n_nonmembers >= min_rows)
        return replace(self, groups=kept, not_estimated=self.not_estimated + len(self.groups) - len(kept))

    def sentence(self, noun: str = "rows") -> str:
        """The finding in plain words: which group is most exposed, by how much, and whether that is evidence."""
        worst = self.worst
        skipped = (
            f" {self.not_estimated} group(s) are not shown: fewer than {self.min_rows} training or other {noun}, or too small to publish."
            if self.not_estimated
            else ""
        )
        if worst is None or worst.figures.auc.value is None:
            return f"No {self.feature} group has {self.min_rows} training and {self.min_rows} other {noun}: risk per group not estimated."
        shown = written(worst.excess_auc, signed=True)
        figures = (
            f"the attack's AUC (0.5: a coin toss, 1: always right) is {worst.figures.auc.value:.2f} for '{worst.group}' against "
            f"{self.overall_auc:.2f} for everyone, a difference of {shown}"
        )
        allowance = f"(the interval allows for having picked the most exposed of {len(self.groups)} group(s))"
        if self.exceeds:
            lead = (
                f"The {self.attack} attack tells training {noun} from other {noun} better in the {self.feature} group "
                f"'{worst.group}' than overall: {figures} {allowance}."
            )
        else:
            lead = (
                f"No {self.feature} group is shown to be more exposed to the {self.attack} attack than everyone together: "
                f"for the most exposed, '{worst.group}', {figures} {allowance}; the interval includes 0."
            )
        return lead + skipped


def risk_by_group(
    attack: str,
    member_scores: np.ndarray,
    nonmember_scores: np.ndarray,
    member_groups: np.ndarray,
    nonmember_groups: np.ndarray,
    *,
    feature: str,
    min_rows: int = DEFAULT_MIN_ROWS,
    n_boot: int = 1000,
    confidence_level: float = 0.95,
    seed: int = 0,
) -> GroupedRisk:
    """Per group: the attack's figures and the AUC excess over everyone, as described in the module docstring.

    The bootstrap resamples members and non-members separately within every group (small groups included,
    so the overall AUC of each replicate is the one the excess is measured against).

    Parameters
    ----------
    attack : str
        The attack's name ('loss', 'shadow').
    member_scores, nonmember_scores : numpy.ndarray
        The attack's membership scores (higher: 'member') of members and non-members.
    member_groups, nonmember_groups : numpy.ndarray
        Each row's group (any values; compared as strings).
    feature : str
        The sensitive feature's display name.
    min_rows : int
        Members and non-members (each) a group needs to be estimated.
    n_boot : int
        Bootstrap replicates (0: point values only, and no excess interval).
    confidence_level : float
        Joint confidence of the excess intervals, and confidence of each group's own figures.
    seed : int
        Seed of the bootstrap.
    """
    member_scores, nonmember_scores = np.asarray(member_scores, dtype=float), np.asarray(nonmember_scores, dtype=float)
    member_groups = np.asarray(member_groups).astype(str)
    nonmember_groups = np.asarray(nonmember_groups).astype(str)
    values, inverse = np.unique(np.r_[member_scores, nonmember_scores], return_inverse=True)
    member_code, nonmember_code = inverse[: len(member_scores)], inverse[len(member_scores) :]
    names = sorted(str(g) for g in set(member_groups) | set(nonmember_groups))
    rows = {g: (member_code[member_groups == g], nonmember_code[nonmember_groups == g]) for g in names}
    estimated = [g for g in names if min(len(rows[g][0]), len(rows[g][1])) >= min_rows]

    def point(members: np.ndarray, nonmembers: np.ndarray) -> dict[str, float]:
        counts = [np.bincount(c, minlength=len(values))[None] for c in (members, nonmembers)]
        return {name: float(v[0]) for name, v in roc_figures(*counts).items()}

    overall_auc = point(member_code, nonmember_code)["auc"]
    points = {g: point(*rows[g]) for g in estimated}
    replicates = _replicates(rows, estimated, len(values), n_boot=n_boot, seed=seed)
    k = len(estimated)
    alpha = (1 - confidence_level) / max(k, 1)
    out = []
    for g in estimated:
        members, nonmembers = rows[g]
        figures = figure_estimates(points[g], replicates[g], len(members), len(nonmembers), confidence_level=confidence_level)
        excess = points[g]["auc"] - overall_auc
        if n_boot:
            low, high = np.quantile(replicates[g]["excess_auc"], [alpha / 2, 1 - alpha / 2])
            method = f"percentile bootstrap, simultaneous over {k} group(s)"
            excess_estimate = Estimate(excess, float(low), float(high), method=method)
        else:
            excess_estimate = Estimate(excess)
        out.append(GroupRisk(g, AttackResult.of(attack, figures, n_members=len(members), n_nonmembers=len(nonmembers)), excess_estimate))
    return GroupedRisk(attack, feature, overall_auc, tuple(out), len(names) - k, min_rows, confidence_level)


def _replicates(
    rows: dict[str, tuple[np.ndarray, np.ndarray]], estimated: list[str], n_values: int, *, n_boot: int, seed: int
) -> dict[str, dict[str, np.ndarray]]:
    """Per estimated group: bootstrap replicates of each figure and of its AUC minus the overall AUC."""
    rng = np.random.default_rng([seed, 0x6B0F])
    collected: dict[str, dict[str, list[np.ndarray]]] = {g: {name: [] for name in (*ATTACK_FIGURES, "excess_auc")} for g in estimated}
    size = max(1, min(100, _CELLS_PER_CHUNK // max(n_values, 1)))
    lookups = {}
    for g in estimated:  # each group's figures are computed on its own values only
        local_values = np.unique(np.concatenate(rows[g]))
        lookup = np.zeros(n_values, dtype=int)
        lookup[local_values] = np.arange(len(local_values))
        lookups[g] = (lookup, len(local_values))
    for chunk in chunks(n_boot, size):
        drawn: dict[str, list[np.ndarray]] = {}
        for g, parts in rows.items():  # every group, so that each replicate's overall AUC is a resample of everyone
            drawn[g] = [codes[rng.integers(0, len(codes), size=(chunk, len(codes)))] for codes in parts]
        overall_auc = auc_from_counts(
            *(code_counts(np.concatenate([d[side] for d in drawn.values()], axis=1), n_values) for side in (0, 1))
        )
        for g in estimated:
            lookup, n_local = lookups[g]
            figures = roc_figures(*(code_counts(lookup[d], n_local) for d in drawn[g]))
            for name, figure in figures.items():
                collected[g][name].append(figure)
            collected[g]["excess_auc"].append(figures["auc"] - overall_auc)
    return {g: {name: np.concatenate(parts) if parts else np.empty(0) for name, parts in by.items()} for g, by in collected.items()}
