"""Membership inference: how well can an attacker tell a model's training rows from rows it never saw?

Two attacks, both scored on the same seeded samples of members (training rows) and non-members
(held-out rows):

* **loss threshold** (Yeom et al. 2018): a row whose label the model predicts confidently is guessed to
  be a member; the attack score is the log-probability of the true label.
* **shadow models** (Shokri et al. 2017): copies of the candidate are trained on disjoint rows the
  target never saw, and an attack model learns from their outputs on their own members and
  non-members; ART's ``MembershipInferenceBlackBox`` is the attack model, then applied to the target's
  outputs. The shadows are trained by ethicscheck's own candidate code (so fairlearn methods, which need
  the sensitive feature, can be shadowed too); ART gets the target wrapped as ``ScikitlearnClassifier``
  where the candidate is a plain classifier (the baseline, diffprivlib models) and as a
  ``BlackBoxClassifier`` otherwise.

Each attack reports the ROC AUC of membership (0.5 = no better than a coin), the advantage
max(TPR - FPR) and the TPR at 1% and 0.1% FPR (the low-FPR regime that matters for individuals).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

__all__ = ["AttackResult", "attack_metrics", "loss_attack", "shadow_attack", "ShadowData"]

_EPS = 1e-12


@dataclass(frozen=True)
class AttackResult:
    """How well one attack separates members from non-members."""

    attack: str
    auc: float
    advantage: float
    tpr_at_1pct_fpr: float
    tpr_at_01pct_fpr: float
    n_members: int
    n_nonmembers: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def attack_metrics(attack: str, member_scores: np.ndarray, nonmember_scores: np.ndarray) -> AttackResult:
    """ROC AUC, advantage and low-FPR TPRs of an attack whose higher score means 'member'."""
    from sklearn.metrics import roc_auc_score, roc_curve

    truth = np.r_[np.ones(len(member_scores)), np.zeros(len(nonmember_scores))]
    scores = np.r_[member_scores, nonmember_scores].astype(float)
    fpr, tpr, _ = roc_curve(truth, scores)
    return AttackResult(
        attack=attack,
        auc=float(roc_auc_score(truth, scores)),
        advantage=float(np.max(tpr - fpr)),
        tpr_at_1pct_fpr=_tpr_at(fpr, tpr, 0.01),
        tpr_at_01pct_fpr=_tpr_at(fpr, tpr, 0.001),
        n_members=len(member_scores),
        n_nonmembers=len(nonmember_scores),
    )


def _tpr_at(fpr: np.ndarray, tpr: np.ndarray, limit: float) -> float:
    """Highest TPR reachable with FPR at or below ``limit``."""
    allowed = fpr <= limit + 1e-15
    return float(tpr[allowed].max()) if allowed.any() else 0.0


def loss_attack(score_members: np.ndarray, y_members: np.ndarray, score_nonmembers: np.ndarray, y_nonmembers: np.ndarray) -> AttackResult:
    """Loss-threshold attack: membership score = log p(true label | x)."""

    def log_likelihood(score: np.ndarray, y: np.ndarray) -> np.ndarray:
        p = np.clip(np.where(y, score, 1.0 - score), _EPS, 1.0)
        return np.log(p)

    return attack_metrics("loss", log_likelihood(score_members, y_members), log_likelihood(score_nonmembers, y_nonmembers))


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
    return attack_metrics("shadow", _membership(members), _membership(nonmembers))


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
