"""Membership risk in an audit: the audited model attacked on rows it was trained on and rows it never saw.

The user supplies both (``membership_risk: {members: FILE, nonmembers: FILE}``), with the evaluation data's
columns. The audit runs the **loss attack** (Yeom et al. 2018): the model's confidence in each row's true
label is the membership score. The shadow-model attack of ``ethicscheck compare`` needs to train copies of
the model, which an audit of a model it only calls cannot do; it is not run here, and the result says so.
The figures are read overall and per group of every sensitive feature (:func:`risk_by_group`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from ethicscheck._pseudonyms import pseudonymize_columns
from ethicscheck._serialize import Serializable
from ethicscheck.config import AuditConfig, MembershipRiskConfig, PrecomputedModelConfig
from ethicscheck.data import Dataset, load_dataset
from ethicscheck.errors import ConfigError
from ethicscheck.fairness._groups import encode_feature
from ethicscheck.membership._figures import AttackResult, attack_metrics, loss_scores, written
from ethicscheck.membership._groups import GroupedRisk, risk_by_group
from ethicscheck.models import Detector, Predictions
from ethicscheck.models._precomputed import load_precomputed
from ethicscheck.privacy import contact_finder

__all__ = ["MembershipRisk", "measure_membership", "AUDIT_ATTACKS", "NOT_RUN"]

#: The attacks an audit runs.
AUDIT_ATTACKS = ("loss",)
#: Why the shadow-model attack is not among them.
NOT_RUN = (
    "The shadow-model attack trains copies of the model; an audit only calls the model, so it runs the loss attack "
    "(ethicscheck compare runs both on models it trains)."
)


@dataclass(frozen=True)
class MembershipRisk(Serializable):
    """The loss attack on the audited model: overall, and per group of each sensitive feature."""

    overall: AttackResult
    by_feature: tuple[GroupedRisk, ...]
    members_file: str
    nonmembers_file: str
    JSON_ORDER = ("overall", "by_feature", "members_file", "nonmembers_file", "attacks_not_run")

    @property
    def attacks_not_run(self) -> str:
        """Why an audit runs only the loss attack (:data:`NOT_RUN`)."""
        return NOT_RUN

    def without(self, hidden: Collection[str], *, min_rows: int = 0) -> MembershipRisk:
        """Every feature's result with the named and too-small groups left out (see :meth:`GroupedRisk.without`)."""
        return replace(self, by_feature=tuple(g.without(hidden, min_rows=min_rows) for g in self.by_feature))

    def sentence(self, noun: str = "rows") -> str:
        """The overall attack in plain words."""
        shown = written(self.overall.auc)
        verdict = (
            "better than a coin toss, so the model's outputs reveal who was in its training data"
            if self.overall.leaks
            else "not shown to be better than a coin toss"
        )
        return (
            f"Given only the model's confidence in each item's true label, an attacker tells the {noun} it was trained on "
            f"({self.overall.n_members:,}, from {self.members_file}) from {noun} it never saw ({self.overall.n_nonmembers:,}, from "
            f"{self.nonmembers_file}) with an AUC of {shown} (0.5: a coin toss, 1: always right): {verdict}."
        )


def measure_membership(
    config: AuditConfig, detector: Detector, *, public_name: Callable[[str], str] = str
) -> tuple[MembershipRisk, dict[str, str]]:
    """Score the member and non-member files with ``detector`` and attack the scores (see the module docs).

    Parameters
    ----------
    config : AuditConfig
        An audit config with ``membership_risk`` set.
    detector : Detector
        The audited model (for precomputed predictions, each file carries its own score column).
    public_name : callable
        A file name as published (contact data in a name becomes a pseudonym).

    Returns
    -------
    MembershipRisk
        The figures, with group values that hold contact data published as ``group-<hash>``.
    dict
        Each such value -> its pseudonym, for the audit's local mapping file (never published). A value that only
        the member or non-member file holds is pseudonymised here, not by the evaluation data's pass.

    Raises
    ------
    ConfigError
        A missing file or a model without scores (precomputed predictions in a separate file are refused by the config).
    DataError
        A file whose columns or labels do not fit the data section.
    PersonalDataError
        ``privacy.on_personal_data: stop`` and a group value of either file holds contact data.
    """
    settings = config.membership_risk
    if settings is None:
        raise ValueError("measure_membership needs config.membership_risk")
    # group values with contact data become the pseudonyms the evaluation data's get, judged by the self-scan's recognizers
    named = [f.column for f in config.data.sensitive_features if f.bins is None]
    finder = contact_finder(tuple(config.privacy.phone_regions))
    parts: list[tuple[Any, np.ndarray, np.ndarray]] = []
    pseudonyms: dict[str, str] = {}
    for field in ("members", "nonmembers"):
        dataset = _read(config, settings, field)
        frame, made = pseudonymize_columns(
            dataset.frame, named, salt=config.privacy.hash_salt, finder=finder, on_personal_data=config.privacy.on_personal_data
        )
        pseudonyms.update(made)
        rows = _sample(len(frame), settings.max_rows, seed=config.seed, stream=len(parts))
        frame, y = frame.iloc[rows].reset_index(drop=True), dataset.y_true[rows]
        predictions = _predict(config, detector, dataset, frame, field)
        parts.append((frame, y, _attack_scores(predictions, y, field)))
    (members, y_in, score_in), (nonmembers, y_out, score_out) = parts
    boot = {"n_boot": settings.n_boot, "seed": config.seed}
    overall = attack_metrics("loss", score_in, score_out, confidence_level=config.fairness.confidence_level, **boot)
    by_feature = []
    for feature in config.data.sensitive_features:
        groups = [
            np.asarray(encoded.labels, dtype=object)[encoded.codes]
            for encoded in (
                encode_feature(part[feature.column], name=feature.display_name, bins=feature.bins, max_groups=config.fairness.max_groups)
                for part in (members, nonmembers)
            )
        ]
        risk = risk_by_group(
            "loss",
            score_in,
            score_out,
            groups[0],
            groups[1],
            feature=feature.display_name,
            min_rows=settings.min_group_rows,
            confidence_level=config.fairness.confidence_level,
            **boot,
        )
        by_feature.append(risk)
    files = public_name(Path(settings.members).name), public_name(Path(settings.nonmembers).name)
    return MembershipRisk(overall, tuple(by_feature), *files), pseudonyms


def _read(config: AuditConfig, settings: MembershipRiskConfig, field: str) -> Dataset:
    path = Path(getattr(settings, field))
    if not path.is_file():
        raise ConfigError(
            f"membership_risk.{field}: the file {path} does not exist. Give a file with the evaluation data's columns: "
            + ("rows the model was trained on." if field == "members" else "rows from the same population the model never saw.")
        )
    return load_dataset(config.data.model_copy(update={"path": path}))


def _sample(n: int, limit: int, *, seed: int, stream: int) -> np.ndarray:
    if n <= limit:
        return np.arange(n)
    return np.sort(np.random.default_rng([seed, 0xA77AC, stream]).choice(n, limit, replace=False))


def _predict(config: AuditConfig, detector: Detector, dataset: Dataset, frame: Any, field: str) -> Predictions:
    if isinstance(config.model, PrecomputedModelConfig):  # the file's own score column
        return load_precomputed(config.model, dataset=dataset, positive_class=config.positive_class).predict(frame)
    return detector.predict(frame)


def _attack_scores(predictions: Predictions, y: np.ndarray, field: str) -> np.ndarray:
    if predictions.score is None:
        raise ConfigError(
            f"membership_risk: the model gave decisions but no scores for the {field} rows; the loss attack reads how confident "
            "the model is in each row's true label. Audit a model that returns scores (probabilities), or remove membership_risk."
        )
    score = np.asarray(predictions.score, dtype=float)
    if not predictions.higher_is_riskier:
        score = -score
    return loss_scores(score, y, probability=predictions.score_is_probability and predictions.higher_is_riskier)
