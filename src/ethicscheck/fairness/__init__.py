"""Fairness engine: per-group error rates from cell counts, with confidence intervals and disparities."""

from ethicscheck.fairness._assess import DEFAULT_METRICS, assess, assess_passes, assess_with
from ethicscheck.fairness._disparities import worst_ratio
from ethicscheck.fairness._groups import MISSING, GroupEncoding, encode_feature, encode_with_labels, merged_labels
from ethicscheck.fairness._metrics import METRICS, RateDefinition, cell_counts, rate
from ethicscheck.fairness._plan import AuditPlan, GroupPlan, plan_audit, plan_groups
from ethicscheck.fairness._power import (
    DetectableDisparity,
    SampleSize,
    detectable_disparity,
    needed_denominator,
    normal_power,
    power_of_test,
)
from ethicscheck.fairness._recount import recount
from ethicscheck.fairness._result import (
    Estimate,
    FairnessResult,
    FeatureResult,
    GroupResult,
    GroupThresholds,
    ReliabilityBin,
    Significance,
    SpreadTest,
    ThresholdAnalysis,
)
from ethicscheck.fairness._settings import AssessSettings
from ethicscheck.fairness._significance import compare_proportions, holm
from ethicscheck.fairness._sufficient import Passes, Reduce, RowChunk, local_reduce
from ethicscheck.fairness._tables import JointIndex, intersect
from ethicscheck.fairness._uncertainty import (
    basic_interval,
    bootstrap_counts,
    katz_ratio,
    newcombe_difference,
    percentile_interval,
    wilson_interval,
)

__all__ = [
    "worst_ratio",
    "DEFAULT_METRICS",
    "METRICS",
    "MISSING",
    "AssessSettings",
    "AuditPlan",
    "DetectableDisparity",
    "SampleSize",
    "Estimate",
    "FairnessResult",
    "FeatureResult",
    "GroupEncoding",
    "GroupPlan",
    "GroupResult",
    "GroupThresholds",
    "RateDefinition",
    "ReliabilityBin",
    "Significance",
    "SpreadTest",
    "ThresholdAnalysis",
    "assess",
    "assess_passes",
    "encode_with_labels",
    "merged_labels",
    "JointIndex",
    "Passes",
    "RowChunk",
    "Reduce",
    "local_reduce",
    "assess_with",
    "detectable_disparity",
    "needed_denominator",
    "normal_power",
    "plan_audit",
    "plan_groups",
    "power_of_test",
    "recount",
    "basic_interval",
    "bootstrap_counts",
    "cell_counts",
    "compare_proportions",
    "encode_feature",
    "holm",
    "intersect",
    "katz_ratio",
    "newcombe_difference",
    "percentile_interval",
    "rate",
    "wilson_interval",
]
