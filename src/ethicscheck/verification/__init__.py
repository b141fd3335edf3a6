"""Face-matching (verification) audits: false match and false non-match rates per demographic group, as NIST measures them.

One row of the input compares two images: a similarity score (or a match decision), whether both show
the same person (genuine) or two different people (impostor), each side's subject and attributes.
Thresholds are fixed by overall false-match rates as order statistics of the impostor scores; per-group
rates come with intervals from a bootstrap over subjects, and summaries keep their published definitions
(max/min, max/geometric mean, Gini, FDR, GARBE).
"""

from ethicscheck.verification._assess import (
    DEFAULT_TARGETS,
    INSUFFICIENT_FACTOR,
    assess_counted,
    assess_verification,
    count_comparisons,
    verification_settings,
)
from ethicscheck.verification._comparisons import ComparisonColumns, Comparisons, SideFeature, SubjectGroups
from ethicscheck.verification._counts import CountedComparisons
from ethicscheck.verification._result import (
    CrossGroupFmr,
    DetCurve,
    GroupRates,
    OperatingPoint,
    PointKind,
    PointResult,
    VerificationFeature,
    VerificationResult,
    VerificationSettings,
)
from ethicscheck.verification._streamed import BatchSource, StreamedComparisons, stream_comparisons
from ethicscheck.verification._summaries import fdr, garbe, garbe_gini, gini, max_over_geomean, max_over_min
from ethicscheck.verification._thresholds import allowed_false_matches, fmr_thresholds

__all__ = [
    "DEFAULT_TARGETS",
    "INSUFFICIENT_FACTOR",
    "BatchSource",
    "ComparisonColumns",
    "Comparisons",
    "CountedComparisons",
    "CrossGroupFmr",
    "DetCurve",
    "GroupRates",
    "OperatingPoint",
    "PointKind",
    "PointResult",
    "SideFeature",
    "StreamedComparisons",
    "SubjectGroups",
    "VerificationFeature",
    "VerificationResult",
    "VerificationSettings",
    "allowed_false_matches",
    "assess_counted",
    "assess_verification",
    "count_comparisons",
    "fdr",
    "fmr_thresholds",
    "garbe",
    "garbe_gini",
    "gini",
    "max_over_geomean",
    "max_over_min",
    "stream_comparisons",
    "verification_settings",
]
