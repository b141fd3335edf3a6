"""Config sections -> engine calls: the one place where a config's fields become engine arguments.

Both orchestrators (audit and compare) go through here, so a new knob in a config section is wired
once. (The scanner's options come from ``ScanOptions.from_settings``.)
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from ethicscheck.config import DataConfig, FairnessConfig
from ethicscheck.fairness import (
    AssessSettings,
    AuditPlan,
    FairnessResult,
    GroupEncoding,
    JointIndex,
    Reduce,
    assess,
    assess_passes,
    encode_feature,
    plan_audit,
)

__all__ = ["assess_configured", "assess_configured_passes", "plan_configured", "sensitive_encodings"]


def assess_configured(
    data: DataConfig,
    fairness: FairnessConfig,
    frame: pd.DataFrame,
    y_true: np.ndarray,
    decision: np.ndarray,
    score: np.ndarray | None,
    *,
    seed: int,
    score_is_probability: bool = True,
    higher_is_riskier: bool = True,
) -> FairnessResult:
    """The fairness stage with the groups and references of ``data`` and the settings of ``fairness`` (built once,
    by :meth:`AssessSettings.from_config`)."""
    features = data.sensitive_features
    groups = frame[[f.column for f in features]].rename(columns={f.column: f.display_name for f in features})
    return assess(
        y_true,
        decision,
        sensitive_features=groups,
        settings=AssessSettings.from_config(fairness, seed=seed),
        y_score=score,
        bins={f.display_name: f.bins for f in features if f.bins},
        intersections=_intersections(data),
        reference=_references(data),
        score_is_probability=score_is_probability,
        higher_is_riskier=higher_is_riskier,
    )


def assess_configured_passes(
    data: DataConfig,
    fairness: FairnessConfig,
    joint: JointIndex,
    reduce: Reduce,
    *,
    has_score: bool,
    seed: int,
    score_is_probability: bool = True,
    higher_is_riskier: bool = True,
) -> FairnessResult:
    """:func:`assess_configured` for an engine that passes over its rows in chunks (the groups already encoded in ``joint``)."""
    return assess_passes(
        joint,
        reduce,
        AssessSettings.from_config(fairness, seed=seed),
        has_score=has_score,
        intersections=_intersections(data),
        reference=_references(data),
        score_is_probability=score_is_probability,
        higher_is_riskier=higher_is_riskier,
    )


def plan_configured(
    data: DataConfig, fairness: FairnessConfig, frame: pd.DataFrame, y_true: np.ndarray, *, reference_fpr: float, reference_fnr: float
) -> AuditPlan:
    """The sample-size plan of ``data``'s groups, at ``fairness``'s power, planning ratio and minimum group size."""
    features = data.sensitive_features
    return plan_audit(
        y_true,
        sensitive_features=frame[[f.column for f in features]].rename(columns={f.column: f.display_name for f in features}),
        bins={f.display_name: f.bins for f in features if f.bins},
        intersections=_intersections(data),
        reference=_references(data),
        reference_fpr=reference_fpr,
        reference_fnr=reference_fnr,
        ratio=fairness.planning_ratio,
        power=fairness.power,
        min_group_size=fairness.min_group_size,
        max_groups=fairness.max_groups,
    )


def _intersections(data: DataConfig) -> Literal["all", "none"] | list[list[str]]:
    if isinstance(data.intersections, list):
        names = {f.column: f.display_name for f in data.sensitive_features}
        return [[names[c] for c in combo] for combo in data.intersections]
    return data.intersections


def _references(data: DataConfig) -> dict[str, str]:
    return {f.display_name: f.reference for f in data.sensitive_features if f.reference is not None}


def sensitive_encodings(data: DataConfig, fairness: FairnessConfig, frame: pd.DataFrame) -> list[GroupEncoding]:
    """Every sensitive feature of ``frame`` encoded into groups, binned and named as configured."""
    return [
        encode_feature(frame[f.column], name=f.display_name, bins=f.bins, max_groups=fairness.max_groups) for f in data.sensitive_features
    ]
