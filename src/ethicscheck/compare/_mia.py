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

Each attack's figures (``ethicscheck.membership``): ROC AUC, advantage and TPR at 1% and 0.1% FPR, each with
its interval, overall and per group of the mitigated feature.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ethicscheck.errors import renamed_keyword
from ethicscheck.membership import ATTACK_FIGURES, MIN_FALSE_POSITIVES, AttackResult, attack_metrics, loss_scores

__all__ = [
    "AttackResult",
    "attack_metrics",
    "loss_attack",
    "shadow_scores",
    "ShadowData",
    "MIN_FALSE_POSITIVES",
    "ATTACK_FIGURES",
]


def loss_attack(
    score_members: np.ndarray,
    y_members: np.ndarray,
    score_nonmembers: np.ndarray,
    y_nonmembers: np.ndarray,
    *,
    n_boot: int = 1000,
    confidence_level: float | None = None,
    seed: int = 0,
    confidence: float | None = None,
) -> AttackResult:
    """Loss-threshold attack: membership score = log p(true label | x).

    ``confidence_level`` defaults to 0.95 (``confidence=`` is its old spelling, read with a deprecation warning).
    """
    confidence_level = renamed_keyword(
        confidence_level, confidence, old="confidence", new="confidence_level", function="loss_attack", default=0.95
    )
    members, nonmembers = loss_scores(score_members, y_members), loss_scores(score_nonmembers, y_nonmembers)
    return attack_metrics("loss", members, nonmembers, n_boot=n_boot, confidence_level=confidence_level, seed=seed)


@dataclass(frozen=True)
class ShadowData:
    """Outputs of shadow models on their own members and non-members: the attack model's training data."""

    member_score: np.ndarray
    member_y: np.ndarray
    nonmember_score: np.ndarray
    nonmember_y: np.ndarray


def shadow_scores(
    shadow: ShadowData,
    score_members: np.ndarray,
    y_members: np.ndarray,
    score_nonmembers: np.ndarray,
    y_nonmembers: np.ndarray,
    *,
    estimator: Any,
    n_features: int,
    seed: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Train ART's black-box membership attack on shadow outputs; its membership probabilities of the target's members and non-members."""
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
    return _membership(members), _membership(nonmembers)


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
