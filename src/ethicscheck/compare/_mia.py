"""Membership inference: how well can an attacker tell a model's training rows from rows it never saw?

Two attacks, both scored on the same members (training rows) and non-members (every held-out row, up to
``privacy_risk.max_rows`` each; a seeded sample beyond):

* **loss threshold** (Yeom et al. 2018): a row whose label the model predicts confidently is guessed to
  be a member; the attack score is the log-probability of the true label.
* **shadow models** (Shokri et al. 2017): copies of the candidate are trained on rows the target never
  saw (each on its own random half of the shadow rows, the other half being its non-members), and an
  attack model learns from their outputs on their own members and non-members; ART's ``MembershipInferenceBlackBox`` is the attack
  model, then applied to the target's
  outputs. The shadows are trained by ethicscheck's own candidate code (so fairlearn methods, which need
  the sensitive feature, can be shadowed too); ART gets the target wrapped as ``ScikitlearnClassifier``
  where the candidate is a plain classifier (the baseline, diffprivlib models) and as a
  ``BlackBoxClassifier`` otherwise.

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
from typing import Any

import numpy as np

from ethicscheck.fairness import Estimate

__all__ = ["AttackResult", "attack_metrics", "loss_attack", "shadow_attack", "ShadowData", "MIN_FALSE_POSITIVES", "ATTACK_FIGURES"]

_EPS = 1e-12

#: A TPR at FPR ``a`` is read only when at least this many non-members would be falsely flagged at ``a``:
#: with fewer, the point of the ROC curve rests on one or two rows.
MIN_FALSE_POSITIVES = 10

#: figure -> FPR it is read at (None: not a point of the curve)
ATTACK_FIGURES: dict[str, float | None] = {"auc": None, "advantage": None, "tpr_at_1pct_fpr": 0.01, "tpr_at_01pct_fpr": 0.001}


@dataclass(frozen=True)
class AttackResult:
    """How well one attack separates members from non-members, each figure with its interval."""

    attack: str
    auc: Estimate
    advantage: Estimate
    tpr_at_1pct_fpr: Estimate
    tpr_at_01pct_fpr: Estimate
    n_members: int
    n_nonmembers: int
    shadow_train_rows: int | None = None  # shadow attack: training rows of each shadow model

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

    def to_dict(self) -> dict[str, Any]:
        return {
            "attack": self.attack,
            **{name: self.figure(name).to_dict() for name in ATTACK_FIGURES},
            "n_members": self.n_members,
            "n_nonmembers": self.n_nonmembers,
            "shadow_train_rows": self.shadow_train_rows,
            "leaks": self.leaks,
        }


def attack_metrics(
    attack: str,
    member_scores: np.ndarray,
    nonmember_scores: np.ndarray,
    *,
    n_boot: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
    shadow_train_rows: int | None = None,
) -> AttackResult:
    """ROC AUC, advantage and low-FPR TPRs of an attack whose higher score means 'member', with bootstrap intervals.

    AUC and TPRs get percentile bootstrap intervals. The advantage is a maximum over thresholds (the one-sided
    two-sample Kolmogorov-Smirnov statistic), positive even without signal, and a bootstrap of a maximum fails
    near 0 (a basic bootstrap interval covered 0 in only 80% of no-signal runs); its interval is the estimate
    ± the Smirnov bound ``sqrt(ln(2 / alpha) * (m + n) / (2 m n))`` (each side holds with probability at
    least ``1 - alpha / 2``), clipped to [0, 1].
    """
    member_scores, nonmember_scores = np.asarray(member_scores, dtype=float), np.asarray(nonmember_scores, dtype=float)
    values, inverse = np.unique(np.r_[member_scores, nonmember_scores], return_inverse=True)
    m, n = len(member_scores), len(nonmember_scores)
    member_code, nonmember_code = inverse[:m], inverse[m:]
    point = _roc_figures(np.bincount(member_code, minlength=len(values))[None], np.bincount(nonmember_code, minlength=len(values))[None])
    reps: dict[str, list[np.ndarray]] = {name: [] for name in ATTACK_FIGURES}
    rng = np.random.default_rng([seed, 0xB007])
    for size in _chunks(n_boot, 100):
        member_counts = _resampled_counts(member_code, len(values), size, rng)
        nonmember_counts = _resampled_counts(nonmember_code, len(values), size, rng)
        for name, figure in _roc_figures(member_counts, nonmember_counts).items():
            reps[name].append(figure)
    estimates: dict[str, Estimate] = {}
    for name, at in ATTACK_FIGURES.items():
        value = float(point[name][0])
        if at is not None and at * n < MIN_FALSE_POSITIVES:
            needed = int(np.ceil(MIN_FALSE_POSITIVES / at))
            reason = (
                f"not resolvable: {n:,} non-members; a TPR at {100 * at:g}% FPR needs at least {needed:,} (that is "
                f"{MIN_FALSE_POSITIVES} false positives)"
            )
            estimates[name] = Estimate(None, status="insufficient_data", reason=reason)
            continue
        if not n_boot and name != "advantage":
            estimates[name] = Estimate(value)
            continue
        if name == "advantage":
            half = float(np.sqrt(np.log(2 / (1 - confidence)) * (m + n) / (2 * m * n)))
            estimates[name] = Estimate(value, max(0.0, value - half), min(1.0, value + half), method="Smirnov bound")
            continue
        replicates = np.concatenate(reps[name])
        low, high = np.quantile(replicates, [(1 - confidence) / 2, (1 + confidence) / 2])
        estimates[name] = Estimate(value, float(low), float(high), method="percentile bootstrap")
    return AttackResult(attack, **estimates, n_members=m, n_nonmembers=n, shadow_train_rows=shadow_train_rows)


def _chunks(total: int, size: int) -> list[int]:
    return [min(size, total - start) for start in range(0, total, size)]


def _resampled_counts(codes: np.ndarray, n_values: int, size: int, rng: np.random.Generator) -> np.ndarray:
    """Counts per score value of ``size`` resamples (with replacement) of the rows."""
    drawn = codes[rng.integers(0, len(codes), size=(size, len(codes)))]
    offset = (np.arange(size) * n_values)[:, None]
    return np.bincount((drawn + offset).ravel(), minlength=size * n_values).reshape(size, n_values)


def _roc_figures(member_counts: np.ndarray, nonmember_counts: np.ndarray) -> dict[str, np.ndarray]:
    """Figures of ROC curves given counts per score value (rows: replicates; columns: values, ascending).

    The curve's points are the thresholds from the highest score down, starting at (0, 0), joined by
    straight segments (randomizing within tied scores).
    """
    members, nonmembers = member_counts[:, ::-1].astype(float), nonmember_counts[:, ::-1].astype(float)
    m, n = members.sum(axis=1), nonmembers.sum(axis=1)
    tp, fp = np.cumsum(members, axis=1), np.cumsum(nonmembers, axis=1)
    out = {
        # trapezoids: each non-member at a value counts the members above it and half of those tied with it
        "auc": np.einsum("ij,ij->i", 2 * tp - members, nonmembers) / (2.0 * m * n),
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


def loss_attack(
    score_members: np.ndarray,
    y_members: np.ndarray,
    score_nonmembers: np.ndarray,
    y_nonmembers: np.ndarray,
    *,
    n_boot: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> AttackResult:
    """Loss-threshold attack: membership score = log p(true label | x)."""

    def log_likelihood(score: np.ndarray, y: np.ndarray) -> np.ndarray:
        p = np.clip(np.where(y, score, 1.0 - score), _EPS, 1.0)
        return np.asarray(np.log(p), dtype=float)

    members, nonmembers = log_likelihood(score_members, y_members), log_likelihood(score_nonmembers, y_nonmembers)
    return attack_metrics("loss", members, nonmembers, n_boot=n_boot, confidence=confidence, seed=seed)


@dataclass(frozen=True)
class ShadowData:
    """Outputs of shadow models on their own members and non-members: the attack model's training data."""

    member_score: np.ndarray
    member_y: np.ndarray
    nonmember_score: np.ndarray
    nonmember_y: np.ndarray


def shadow_attack(
    shadow: ShadowData,
    score_members: np.ndarray,
    y_members: np.ndarray,
    score_nonmembers: np.ndarray,
    y_nonmembers: np.ndarray,
    *,
    estimator: Any,
    n_features: int,
    seed: int,
    n_boot: int = 1000,
    confidence: float = 0.95,
    shadow_train_rows: int | None = None,
) -> AttackResult:
    """Train ART's black-box membership attack on shadow outputs, then attack the target's outputs."""
    import warnings

    from sklearn.ensemble import RandomForestClassifier

    with warnings.catch_warnings():  # ART announces at import that PyTorch (not needed here) is missing
        warnings.simplefilter("ignore", UserWarning)
        from art.attacks.inference.membership_inference import MembershipInferenceBlackBox

    attack = MembershipInferenceBlackBox(_art_classifier(estimator, n_features), input_type="prediction", attack_model_type="rf")
    # ART's default forest is unseeded; the same forest with a seed makes the figures reproducible.
    attack.attack_model = RandomForestClassifier(n_estimators=100, min_samples_leaf=3, random_state=seed, n_jobs=1)
    attack.fit(
        y=_onehot(shadow.member_y),
        pred=_probabilities(shadow.member_score),
        test_y=_onehot(shadow.nonmember_y),
        test_pred=_probabilities(shadow.nonmember_score),
    )
    members = attack.infer(None, _onehot(y_members), pred=_probabilities(score_members), probabilities=True)
    nonmembers = attack.infer(None, _onehot(y_nonmembers), pred=_probabilities(score_nonmembers), probabilities=True)
    return attack_metrics(
        "shadow",
        _membership(members),
        _membership(nonmembers),
        n_boot=n_boot,
        confidence=confidence,
        seed=seed,
        shadow_train_rows=shadow_train_rows,
    )


def _membership(inferred: np.ndarray) -> np.ndarray:
    inferred = np.asarray(inferred, dtype=float)
    return inferred[:, -1] if inferred.ndim == 2 else inferred


def _probabilities(score: np.ndarray) -> np.ndarray:
    score = np.asarray(score, dtype=np.float32)
    return np.column_stack([1.0 - score, score])


def _onehot(y: np.ndarray) -> np.ndarray:
    y = np.asarray(y, dtype=bool)
    return np.column_stack([~y, y]).astype(np.float32)


def _art_classifier(estimator: Any, n_features: int) -> Any:
    """The target as ART sees it; only its shape and class count are used, since outputs are passed in."""
    import logging

    logging.getLogger("art").setLevel(logging.WARNING)
    if estimator is not None:
        from art.estimators.classification.scikitlearn import ScikitlearnClassifier

        return ScikitlearnClassifier(model=estimator)
    from art.estimators.classification import BlackBoxClassifier

    def refuse(x: np.ndarray) -> np.ndarray:  # never called: predictions are always supplied
        raise RuntimeError("the attack must be given the target's predictions")

    return BlackBoxClassifier(refuse, input_shape=(n_features,), nb_classes=2)
