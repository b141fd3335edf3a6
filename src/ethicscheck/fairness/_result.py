"""Typed results of the fairness stage, written and read by the one converter (:mod:`ethicscheck._serialize`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from ethicscheck._serialize import Serializable, json_options

# Value types only: the computations (_scores, _thresholds, _assess) import from here, never the reverse.
if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DetectableDisparity",
    "Estimate",
    "PowerMethod",
    "SampleSize",
    "GroupResult",
    "FeatureResult",
    "FairnessResult",
    "GroupThresholds",
    "ReferenceRule",
    "ReliabilityBin",
    "Significance",
    "SpreadTest",
    "Status",
    "ThresholdAnalysis",
]

#: How a power was computed: an exact sum over binomial outcomes, or the normal approximation.
PowerMethod = Literal["exact", "normal"]

#: ``ok``: a number with its CI. ``insufficient_data``: a number exists but its denominator is below the
#: minimum, so it is not used in comparisons. ``undefined``: no number exists (empty denominator).
Status = Literal["ok", "insufficient_data", "undefined"]

#: How a feature's reference group was chosen: named in the config, the largest group (default), or
#: the group with the lowest false-positive rate (``reference: lowest``).
ReferenceRule = Literal["configured", "largest", "lowest_fpr"]


@dataclass(frozen=True)
class Estimate(Serializable):
    """A number with its confidence interval, status and, for rates, its counts.

    ``value`` is None exactly when ``status`` is ``undefined``; ``reason`` then says why. NaN is written
    as null.
    """

    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    status: Status = "ok"
    reason: str | None = field(default=None, metadata=json_options(omit="falsy"))
    numerator: int | None = field(default=None, metadata=json_options(omit="none"))
    denominator: int | None = field(default=None, metadata=json_options(omit="none"))
    method: str | None = field(default=None, metadata=json_options(key="ci_method", omit="falsy"))

    JSON_ORDER = ("value", "ci_low", "ci_high", "status", "reason", "method", "numerator", "denominator")

    @property
    def usable(self) -> bool:
        """True when the value can be compared (defined and on enough data)."""
        return self.status == "ok" and self.value is not None


@dataclass(frozen=True, kw_only=True)
class DetectableDisparity(Serializable):
    """The smallest disparity of one group's rate that the audit's own test detects with the stated power.

    ``ratio``, ``difference`` and ``group_rate`` are None exactly when ``status`` is ``undefined``;
    ``reason`` then says why (the reference's rate is 0 or 1, or no rate up to 1 would be detected).

    Attributes
    ----------
    metric : str
        The rate (``fpr``, ``fnr``).
    ratio : float or None
        Smallest ratio of the group's rate to the reference's detected with ``power``.
    difference : float or None
        The same disparity as a difference of rates (group minus reference).
    group_rate : float or None
        The group's rate at that disparity (``ratio * reference_rate``).
    power : float
        The power it is stated at.
    level : float
        Significance level of one test after Holm's correction (``alpha / tests``).
    alpha : float
        Family-wise significance level.
    tests : int
        Tests in the Holm family (the feature's groups compared with the reference).
    group_n, reference_n : int
        Denominators of the group's and the reference's rate.
    reference_rate : float
        The reference's observed rate.
    method : {"exact", "normal"}
        Exact sum over binomial outcomes, or the normal approximation (large counts only).
    status : {"ok", "undefined"}
    reason : str or None
    """

    metric: str
    ratio: float | None
    difference: float | None
    group_rate: float | None
    power: float
    level: float
    alpha: float
    tests: int
    group_n: int
    reference_n: int
    reference_rate: float
    method: PowerMethod
    status: Literal["ok", "undefined"] = "ok"
    reason: str | None = field(default=None, metadata=json_options(omit="none"))

    @property
    def usable(self) -> bool:
        return self.status == "ok" and self.ratio is not None


@dataclass(frozen=True, kw_only=True)
class SampleSize(Serializable):
    """How large a group's denominator must be for the audit's test to detect ``ratio`` with ``power``.

    Attributes
    ----------
    metric : str
    n : int or None
        Smallest denominator (benign rows for ``fpr``, trafficking-related rows for ``fnr``) with that
        power, never below ``min_group_size`` (smaller groups are not tested at all). None when the
        question has no answer (``reason`` says why: the reference's rate is 0, or the target rate exceeds 1).
    reference_needed : int or None
        The reference's denominator that ``n`` assumes: its observed one, or ``n`` when the observed one
        is too small for any group size to show the ratio.
    ratio : float
        The disparity to detect, as a ratio to the reference's rate.
    power, alpha, level, tests, reference_n, reference_rate, method :
        As in :class:`DetectableDisparity`.
    status : {"ok", "undefined"}
    reason : str or None
    """

    metric: str
    n: int | None
    reference_needed: int | None
    ratio: float
    power: float
    level: float
    alpha: float
    tests: int
    reference_n: int
    reference_rate: float
    method: PowerMethod
    status: Literal["ok", "undefined"] = "ok"
    reason: str | None = field(default=None, metadata=json_options(omit="none"))


@dataclass(frozen=True)
class Significance(Serializable):
    """A test of one group's rate against the reference group's."""

    p_value: float
    p_adjusted: float
    method: str
    significant: bool


@dataclass(frozen=True)
class SpreadTest(Serializable):
    """Do the groups with enough data differ in one rate? Every pair tested, Holm-corrected.

    ``highest`` and ``lowest`` are the groups with the highest and lowest rate; ``p_adjusted`` is the
    smallest Holm-adjusted p-value over the ``pairs`` pairs of groups. None of it depends on which
    group is the reference.
    """

    highest: str
    lowest: str
    p_adjusted: float
    pairs: int
    method: str
    significant: bool


@dataclass(frozen=True)
class ReliabilityBin(Serializable):
    """One calibration bin of one group: predicted vs observed share of trafficking-related rows."""

    lower: float
    upper: float
    n: int
    mean_score: float | None
    observed_rate: float | None


@dataclass(frozen=True)
class GroupThresholds(Serializable):
    """One group's rates across thresholds and at the operating point."""

    group: str
    fpr: tuple[float | None, ...]
    tpr: tuple[float | None, ...]
    fpr_at_operating_point: float | None
    tpr_at_operating_point: float | None
    equalizing_threshold: float | None


@dataclass(frozen=True)
class ThresholdAnalysis(Serializable):
    """Threshold curves of one feature's groups."""

    grid: tuple[float, ...]
    target_fpr: float
    operating_threshold: float
    groups: tuple[GroupThresholds, ...]


@dataclass(frozen=True)
class GroupResult(Serializable):
    """One group's counts, rates, and comparison with the reference group."""

    group: str
    values: dict[str, str]
    n: int
    n_positive: int
    n_negative: int
    n_flagged: int
    counts: dict[str, int]
    metrics: dict[str, Estimate]
    difference: dict[str, Estimate] = field(default_factory=dict, metadata=json_options(key="difference_to_reference"))
    ratio: dict[str, Estimate] = field(default_factory=dict, metadata=json_options(key="ratio_to_reference"))
    tests: dict[str, Significance] = field(default_factory=dict, metadata=json_options(key="tests_vs_reference"))
    is_reference: bool = False
    score_metrics: dict[str, Estimate] = field(default_factory=dict)
    reliability: tuple[ReliabilityBin, ...] = ()
    detectable: dict[str, DetectableDisparity] = field(default_factory=dict, metadata=json_options(key="detectable_disparity"))
    needed: dict[str, SampleSize] = field(default_factory=dict, metadata=json_options(key="needed_to_detect"))

    JSON_ORDER = (
        "group",
        "values",
        "is_reference",
        "n",
        "n_positive",
        "n_negative",
        "n_flagged",
        "counts",
        "metrics",
        "difference",
        "ratio",
        "tests",
        "score_metrics",
        "reliability",
        "detectable",
        "needed",
    )


@dataclass(frozen=True)
class FeatureResult(Serializable):
    """All groups of one sensitive feature or intersection, and summary disparities."""

    name: str
    columns: tuple[str, ...]
    reference: str
    groups: tuple[GroupResult, ...]
    disparities: dict[str, Estimate]
    thresholds: ThresholdAnalysis | None = None
    spread_tests: dict[str, SpreadTest] = field(default_factory=dict)
    reference_rule: ReferenceRule = "largest"

    JSON_ORDER = ("name", "columns", "reference", "groups", "reference_rule", "disparities", "spread_tests", "thresholds")

    @property
    def is_intersection(self) -> bool:
        return len(self.columns) > 1

    def group(self, label: str) -> GroupResult:
        for g in self.groups:
            if g.group == label:
                return g
        raise KeyError(label)


@dataclass(frozen=True)
class FairnessResult(Serializable):
    """Everything the fairness stage measured."""

    overall: GroupResult
    features: tuple[FeatureResult, ...]
    metrics: tuple[str, ...]
    confidence_level: float
    n_boot: int
    min_group_size: int
    seed: int
    methods: dict[str, str]
    has_scores: bool = False

    JSON_ORDER = ("metrics", "confidence_level", "n_boot", "min_group_size", "seed", "methods", "has_scores", "overall", "features")

    def feature(self, name: str) -> FeatureResult:
        for f in self.features:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def by_group(self) -> pd.DataFrame:
        """Each group's rates as a DataFrame, as fairlearn's ``MetricFrame.by_group`` gives them.

        Indexed by ``(feature, group)`` (intersections are features named ``"a & b"``), one column per
        metric in ``metrics`` plus ``n``. A rate that is undefined (empty denominator) is NaN, never 0;
        intervals, statuses and comparisons stay on the typed result.

        Examples
        --------
        >>> from ethicscheck import assess
        >>> from ethicscheck.fairness import AssessSettings
        >>> result = assess([0, 0, 1, 1, 0, 1], [0, 1, 1, 0, 0, 1], sensitive_features={"g": list("aabbab")},
        ...                 settings=AssessSettings(n_boot=0, min_group_size=1))
        >>> float(result.by_group.loc[("g", "a"), "fpr"])
        0.3333333333333333
        """
        import pandas as pd

        rows = {
            (feature.name, group.group): {
                **{key: float("nan") if (e := group.metrics.get(key)) is None or e.value is None else e.value for key in self.metrics},
                "n": group.n,
            }
            for feature in self.features
            for group in feature.groups
        }
        frame = pd.DataFrame.from_dict(rows, orient="index", columns=[*self.metrics, "n"])
        frame.index = pd.MultiIndex.from_tuples(list(rows), names=["feature", "group"])
        return frame
