"""Membership inference risk: how well an attacker tells a model's training rows from rows it never saw,
overall and per sensitive group (used by ``ethicscheck compare`` and by audits given member rows)."""

from ethicscheck.membership._audit import NOT_RUN, MembershipRisk, measure_membership
from ethicscheck.membership._figures import (
    ATTACK_FIGURES,
    MIN_FALSE_POSITIVES,
    AttackResult,
    attack_metrics,
    loss_scores,
    written,
)
from ethicscheck.membership._groups import DEFAULT_MIN_ROWS, GroupedRisk, GroupRisk, risk_by_group

__all__ = [
    "ATTACK_FIGURES",
    "DEFAULT_MIN_ROWS",
    "MIN_FALSE_POSITIVES",
    "NOT_RUN",
    "AttackResult",
    "GroupRisk",
    "GroupedRisk",
    "MembershipRisk",
    "attack_metrics",
    "loss_scores",
    "measure_membership",
    "risk_by_group",
    "written",
]
