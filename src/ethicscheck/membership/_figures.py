"""How well one membership attack separates members (training rows) from non-members, with intervals.

Each attack reports, with a bootstrap interval (members and non-members resampled separately): the ROC AUC
of membership (0.5 = no better than a coin), the advantage max(TPR - FPR), and the TPR at 1% and 0.1% FPR
(the low-FPR regime that matters for individuals). The ROC curve joins its points with straight lines,
which is what a coin flip between two neighbouring thresholds achieves, so tied scores are interpolated
rather than forcing a TPR of 0. A TPR at an FPR that the non-member count cannot resolve (fewer than
:data:`MIN_FALSE_POSITIVES` non-members would be falsely flagged there) is not reported, and the count it
needs is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ethicscheck._serialize import Serializable
from ethicscheck.errors import renamed_keyword
from ethicscheck.fairness import Estimate

__all__ = [
    "AttackResult",
    "attack_metrics",
    "auc_from_counts",
    "chunks",
    "code_counts",
    "figure_estimates",
    "loss_scores",
    "roc_figures",
    "written",
    "resampled_counts",
    "MIN_FALSE_POSITIVES",
    "ATTACK_FIGURES",
]

_EPS = 1e-12

#: A TPR at FPR ``a`` is read only when at least this many non-members would be falsely flagged at ``a``:
#: with fewer, the point of the ROC curve rests on one or two rows.
MIN_FALSE_POSITIVES = 10

#: figure -> FPR it is read at (None: not a point of the curve)
ATTACK_FIGURES: dict[str, float | None] = {"auc": None, "advantage": None, "tpr_at_1pct_fpr": 0.01, "tpr_at_01pct_fpr": 0.001}


@dataclass(frozen=True)
class AttackResult(Serializable):
    """How well one attack separates members from non-members, each figure with its interval."""

    attack: str
    auc: Estimate
    advantage: Estimate
    tpr_at_1pct_fpr: Estimate
    tpr_at_01pct_fpr: Estimate
    n_members: int
    n_nonmembers: int
    shadow_train_rows: int | None = None  # shadow attack: training rows of each shadow model
    JSON_ORDER = ("attack", *ATTACK_FIGURES, "n_members", "n_nonmembers", "shadow_train_rows", "leaks")

    def figure(self, name: str) -> Estimate:
        return {
            "auc": self.auc,
            "advantage": self.advantage,
            "tpr_at_1pct_fpr": self.tpr_at_1pct_fpr,
            "tpr_at_01pct_fpr": self.tpr_at_01pct_fpr,
        }[name]

    @property
    def leaks(self) -> bool:
        """Evidence of membership leakage: the AUC interval lies above 0.5 or the advantage interval above 0."""
        return bool(
            (self.auc.ci_low is not None and self.auc.ci_low > 0.5) or (self.advantage.ci_low is not None and self.advantage.ci_low > 0)
        )

    @classmethod
    def of(
        cls, attack: str, figures: dict[str, Estimate], *, n_members: int, n_nonmembers: int, shadow_train_rows: int | None = None
    ) -> AttackResult:
        """The result from each figure of :data:`ATTACK_FIGURES` by name."""
        return cls(
            attack,
            auc=figures["auc"],
            advantage=figures["advantage"],
            tpr_at_1pct_fpr=figures["tpr_at_1pct_fpr"],
            tpr_at_01pct_fpr=figures["tpr_at_01pct_fpr"],
            n_members=n_members,
            n_nonmembers=n_nonmembers,
            shadow_train_rows=shadow_train_rows,
        )


def attack_metrics(
    attack: str,
    member_scores: np.ndarray,
    nonmember_scores: np.ndarray,
    *,
    n_boot: int = 1000,
    confidence_level: float | None = None,
    seed: int = 0,
    shadow_train_rows: int | None = None,
    confidence: float | None = None,
) -> AttackResult:
    """ROC AUC, advantage and low-FPR TPRs of an attack whose higher score means 'member', with bootstrap intervals.

    AUC and TPRs get percentile bootstrap intervals. The advantage is a maximum over thresholds (the one-sided
    two-sample Kolmogorov-Smirnov statistic), positive even without signal, and a bootstrap of a maximum fails
    near 0 (a basic bootstrap interval covered 0 in only 80% of no-signal runs); its interval is the estimate
    ± the Smirnov bound ``sqrt(ln(2 / alpha) * (m + n) / (2 m n))`` (each side holds with probability at
    least ``1 - alpha / 2``), clipped to [0, 1]. ``confidence_level`` defaults to 0.95 (``confidence=`` is its
    old spelling: still read, with an :class:`~ethicscheck.errors.EthicsCheckDeprecationWarning`).
    """
    confidence_level = renamed_keyword(
        confidence_level, confidence, old="confidence", new="confidence_level", function="attack_metrics", default=0.95
    )
    member_scores, nonmember_scores = np.asarray(member_scores, dtype=float), np.asarray(nonmember_scores, dtype=float)
    values, inverse = np.unique(np.r_[member_scores, nonmember_scores], return_inverse=True)
    m, n = len(member_scores), len(nonmember_scores)
    member_code, nonmember_code = inverse[:m], inverse[m:]
    point = roc_figures(np.bincount(member_code, minlength=len(values))[None], np.bincount(nonmember_code, minlength=len(values))[None])
    reps: dict[str, list[np.ndarray]] = {name: [] for name in ATTACK_FIGURES}
    rng = np.random.default_rng([seed, 0xB007])
    for size in chunks(n_boot, 100):
        member_counts = resampled_counts(member_code, len(values), size, rng)
        nonmember_counts = resampled_counts(nonmember_code, len(values), size, rng)
        for name, figure in roc_figures(member_counts, nonmember_counts).items():
            reps[name].append(figure)
    replicates = {name: np.concatenate(chunks) if chunks else np.empty(0) for name, chunks in reps.items()}
    points = {name: float(point[name][0]) for name in ATTACK_FIGURES}
    estimates = figure_estimates(points, replicates, m, n, confidence_level=confidence_level)
    return AttackResult.of(attack, estimates, n_members=m, n_nonmembers=n, shadow_train_rows=shadow_train_rows)


def figure_estimates(
    point: dict[str, float], replicates: dict[str, np.ndarray], m: int, n: int, *, confidence_level: float
) -> dict[str, Estimate]:
    """Each figure of :data:`ATTACK_FIGURES` with its interval, from its point value and bootstrap replicates.

    AUC and TPRs: percentile bootstrap (no interval without replicates). Advantage: the Smirnov bound for
    ``m`` members and ``n`` non-members. A TPR the non-member count cannot resolve: not reported, with the
    count it needs.
    """
    estimates: dict[str, Estimate] = {}
    for name, at in ATTACK_FIGURES.items():
        value = point[name]
        if at is not None and at * n < MIN_FALSE_POSITIVES:
            needed = int(np.ceil(MIN_FALSE_POSITIVES / at))
            reason = (
                f"not resolvable: {n:,} non-members; a TPR at {100 * at:g}% FPR needs at least {needed:,} (that is "
                f"{MIN_FALSE_POSITIVES} false positives)"
            )
            estimates[name] = Estimate(None, status="insufficient_data", reason=reason)
        elif name == "advantage":
            half = float(np.sqrt(np.log(2 / (1 - confidence_level)) * (m + n) / (2 * m * n)))
            estimates[name] = Estimate(value, max(0.0, value - half), min(1.0, value + half), method="Smirnov bound")
        elif not len(replicates[name]):
            estimates[name] = Estimate(value)
        else:
            low, high = np.quantile(replicates[name], [(1 - confidence_level) / 2, (1 + confidence_level) / 2])
            estimates[name] = Estimate(value, float(low), float(high), method="percentile bootstrap")
    return estimates


def chunks(total: int, size: int) -> list[int]:
    """``total`` split into pieces of at most ``size`` (bootstrap replicates drawn a chunk at a time)."""
    return [min(size, total - start) for start in range(0, total, size)]


def resampled_counts(codes: np.ndarray, n_values: int, size: int, rng: np.random.Generator) -> np.ndarray:
    """Counts per score value of ``size`` resamples (with replacement) of the rows."""
    return code_counts(codes[rng.integers(0, len(codes), size=(size, len(codes)))], n_values)


def code_counts(drawn: np.ndarray, n_values: int) -> np.ndarray:
    """Counts per value code (integers below ``n_values``) in each row of ``drawn`` (replicates x rows)."""
    size = drawn.shape[0]
    offset = (np.arange(size) * n_values)[:, None]
    return np.bincount((drawn + offset).ravel(), minlength=size * n_values).reshape(size, n_values)


def auc_from_counts(member_counts: np.ndarray, nonmember_counts: np.ndarray) -> np.ndarray:
    """ROC AUC per row of counts per score value (ascending): each non-member counts the members above it and half of those tied."""
    members, nonmembers = member_counts[:, ::-1], nonmember_counts[:, ::-1]
    tp = np.cumsum(members, axis=1)
    return np.asarray(np.einsum("ij,ij->i", 2 * tp - members, nonmembers) / (2.0 * members.sum(axis=1) * nonmembers.sum(axis=1)))


def roc_figures(member_counts: np.ndarray, nonmember_counts: np.ndarray) -> dict[str, np.ndarray]:
    """Figures of ROC curves given counts per score value (rows: replicates; columns: values, ascending).

    The curve's points are the thresholds from the highest score down, starting at (0, 0), joined by
    straight segments (randomizing within tied scores).
    """
    members, nonmembers = member_counts[:, ::-1].astype(float), nonmember_counts[:, ::-1].astype(float)
    m, n = members.sum(axis=1), nonmembers.sum(axis=1)
    tp, fp = np.cumsum(members, axis=1), np.cumsum(nonmembers, axis=1)
    out = {
        "auc": auc_from_counts(member_counts, nonmember_counts),
        "advantage": np.max(tp / m[:, None] - fp / n[:, None], axis=1),
    }
    for name, at in ATTACK_FIGURES.items():
        if at is not None:
            out[name] = _tpr_at(fp, tp, at * n) / m
    return out


def _tpr_at(fp: np.ndarray, tp: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """True positives of the piecewise-linear ROC curve where it reaches ``allowed`` false positives, per row."""
    k = np.sum(fp <= allowed[:, None] + 1e-9, axis=1)  # points (after the origin) at or below the allowance
    before = np.maximum(k - 1, 0)[:, None]
    after = np.minimum(k, fp.shape[1] - 1)[:, None]
    x0 = np.where(k > 0, np.take_along_axis(fp, before, axis=1)[:, 0], 0)
    y0 = np.where(k > 0, np.take_along_axis(tp, before, axis=1)[:, 0], 0)
    x1, y1 = np.take_along_axis(fp, after, axis=1)[:, 0], np.take_along_axis(tp, after, axis=1)[:, 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(x1 > x0, y0 + (allowed - x0) / (x1 - x0) * (y1 - y0), y0).astype(float)


def written(estimate: Estimate, *, signed: bool = False, digits: int = 2) -> str:
    """'0.91 [0.85, 0.96]' ('+0.26 [+0.15, +0.34]' when ``signed``), the value alone without an interval, or the reason it is missing."""
    if estimate.value is None:
        return estimate.reason or "—"
    form = f"{'+' if signed else ''}.{digits}f"
    if estimate.ci_low is None or estimate.ci_high is None:
        return f"{estimate.value:{form}}"
    return f"{estimate.value:{form}} [{estimate.ci_low:{form}}, {estimate.ci_high:{form}}]"


def loss_scores(score: np.ndarray, y: np.ndarray, *, probability: bool = True) -> np.ndarray:
    """The loss attack's membership score of each row (Yeom et al. 2018): higher means 'looks like a training row'.

    For a probability ``score`` of the positive class, the log-probability of the true label (minus the
    log-loss); for any other score (a margin, higher = more positive), the signed margin towards the true
    label, which orders rows the same way a loss of that margin would.
    """
    score, y = np.asarray(score, dtype=float), np.asarray(y, dtype=bool)
    if not probability:
        return np.where(y, score, -score)
    p = np.clip(np.where(y, score, 1.0 - score), _EPS, 1.0)
    return np.asarray(np.log(p), dtype=float)
