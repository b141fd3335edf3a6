"""Typed results of the fairness stage, serializable with ``to_dict()``."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

# Value types only: the computations (_scores, _thresholds, _assess) import from here, never the reverse.
if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Estimate",
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

#: ``ok``: a number with its CI. ``insufficient_data``: a number exists but its denominator is below the
#: minimum, so it is not used in comparisons. ``undefined``: no number exists (empty denominator).
Status = Literal["ok", "insufficient_data", "undefined"]

#: How a feature's reference group was chosen: named in the config, the largest group (default), or
#: the group with the lowest false-positive rate (``reference: lowest``).
ReferenceRule = Literal["configured", "largest", "lowest_fpr"]


def _clean(value: float | None) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


@dataclass(frozen=True)
class Estimate:
    """A number with its confidence interval, status and, for rates, its counts.

    ``value`` is None exactly when ``status`` is ``undefined``; ``reason`` then says why.
    """

    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    status: Status = "ok"
    reason: str | None = None
    numerator: int | None = None
    denominator: int | None = None
    method: str | None = None

    @property
    def usable(self) -> bool:
        """True when the value can be compared (defined and on enough data)."""
        return self.status == "ok" and self.value is not None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "value": _clean(self.value),
            "ci_low": _clean(self.ci_low),
            "ci_high": _clean(self.ci_high),
            "status": self.status,
        }
        if self.reason:
            out["reason"] = self.reason
        if self.method:
            out["ci_method"] = self.method
        if self.denominator is not None:
            out["numerator"] = self.numerator
            out["denominator"] = self.denominator
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Estimate:
        fields = {k: data[k] for k in ("value", "ci_low", "ci_high", "status", "reason", "numerator", "denominator") if k in data}
        return cls(**fields, method=data.get("ci_method"))


@dataclass(frozen=True)
class Significance:
    """A test of one group's rate against the reference group's."""

    p_value: float
    p_adjusted: float
    method: str
    significant: bool

    def to_dict(self) -> dict[str, Any]:
        return {"p_value": self.p_value, "p_adjusted": self.p_adjusted, "method": self.method, "significant": self.significant}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Significance:
        return cls(**data)


@dataclass(frozen=True)
class SpreadTest:
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "highest": self.highest,
            "lowest": self.lowest,
            "p_adjusted": self.p_adjusted,
            "pairs": self.pairs,
            "method": self.method,
            "significant": self.significant,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SpreadTest:
        return cls(**data)


@dataclass(frozen=True)
class ReliabilityBin:
    """One calibration bin of one group: predicted vs observed share of trafficking-related rows."""

    lower: float
    upper: float
    n: int
    mean_score: float | None
    observed_rate: float | None

    def to_dict(self) -> dict[str, float | int | None]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class GroupThresholds:
    """One group's rates across thresholds and at the operating point."""

    group: str
    fpr: tuple[float | None, ...]
    tpr: tuple[float | None, ...]
    fpr_at_operating_point: float | None
    tpr_at_operating_point: float | None
    equalizing_threshold: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "fpr": list(self.fpr),
            "tpr": list(self.tpr),
            "fpr_at_operating_point": self.fpr_at_operating_point,
            "tpr_at_operating_point": self.tpr_at_operating_point,
            "equalizing_threshold": self.equalizing_threshold,
        }


@dataclass(frozen=True)
class ThresholdAnalysis:
    """Threshold curves of one feature's groups."""

    grid: tuple[float, ...]
    target_fpr: float
    operating_threshold: float
    groups: tuple[GroupThresholds, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "grid": list(self.grid),
            "target_fpr": self.target_fpr,
            "operating_threshold": self.operating_threshold,
            "groups": [g.to_dict() for g in self.groups],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ThresholdAnalysis:
        groups = tuple(GroupThresholds(**{**g, "fpr": tuple(g["fpr"]), "tpr": tuple(g["tpr"])}) for g in data["groups"])
        return cls(tuple(data["grid"]), data["target_fpr"], data["operating_threshold"], groups)


@dataclass(frozen=True)
class GroupResult:
    """One group's counts, rates, and comparison with the reference group."""

    group: str
    values: dict[str, str]
    n: int
    n_positive: int
    n_negative: int
    n_flagged: int
    counts: dict[str, int]
    metrics: dict[str, Estimate]
    difference: dict[str, Estimate] = field(default_factory=dict)
    ratio: dict[str, Estimate] = field(default_factory=dict)
    tests: dict[str, Significance] = field(default_factory=dict)
    is_reference: bool = False
    score_metrics: dict[str, Estimate] = field(default_factory=dict)
    reliability: tuple[ReliabilityBin, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "values": dict(self.values),
            "is_reference": self.is_reference,
            "n": self.n,
            "n_positive": self.n_positive,
            "n_negative": self.n_negative,
            "n_flagged": self.n_flagged,
            "counts": dict(self.counts),
            "metrics": {k: v.to_dict() for k, v in self.metrics.items()},
            "difference_to_reference": {k: v.to_dict() for k, v in self.difference.items()},
            "ratio_to_reference": {k: v.to_dict() for k, v in self.ratio.items()},
            "tests_vs_reference": {k: v.to_dict() for k, v in self.tests.items()},
            "score_metrics": {k: v.to_dict() for k, v in self.score_metrics.items()},
            "reliability": [b.to_dict() for b in self.reliability],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GroupResult:
        def estimates(key: str) -> dict[str, Estimate]:
            return {k: Estimate.from_dict(v) for k, v in data.get(key, {}).items()}

        return cls(
            group=data["group"],
            values=dict(data.get("values", {})),
            n=data["n"],
            n_positive=data["n_positive"],
            n_negative=data["n_negative"],
            n_flagged=data["n_flagged"],
            counts=dict(data["counts"]),
            metrics=estimates("metrics"),
            difference=estimates("difference_to_reference"),
            ratio=estimates("ratio_to_reference"),
            tests={k: Significance.from_dict(v) for k, v in data.get("tests_vs_reference", {}).items()},
            is_reference=data.get("is_reference", False),
            score_metrics=estimates("score_metrics"),
            reliability=tuple(ReliabilityBin(**b) for b in data.get("reliability", [])),
        )


@dataclass(frozen=True)
class FeatureResult:
    """All groups of one sensitive feature or intersection, and summary disparities."""

    name: str
    columns: tuple[str, ...]
    reference: str
    groups: tuple[GroupResult, ...]
    disparities: dict[str, Estimate]
    thresholds: ThresholdAnalysis | None = None
    spread_tests: dict[str, SpreadTest] = field(default_factory=dict)
    reference_rule: ReferenceRule = "largest"

    @property
    def is_intersection(self) -> bool:
        return len(self.columns) > 1

    def group(self, label: str) -> GroupResult:
        for g in self.groups:
            if g.group == label:
                return g
        raise KeyError(label)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "columns": list(self.columns),
            "reference": self.reference,
            "groups": [g.to_dict() for g in self.groups],
            "reference_rule": self.reference_rule,
            "disparities": {k: v.to_dict() for k, v in self.disparities.items()},
            "spread_tests": {k: v.to_dict() for k, v in self.spread_tests.items()},
            "thresholds": self.thresholds.to_dict() if self.thresholds is not None else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeatureResult:
        return cls(
            name=data["name"],
            columns=tuple(data["columns"]),
            reference=data["reference"],
            groups=tuple(GroupResult.from_dict(g) for g in data["groups"]),
            disparities={k: Estimate.from_dict(v) for k, v in data.get("disparities", {}).items()},
            thresholds=ThresholdAnalysis.from_dict(data["thresholds"]) if data.get("thresholds") else None,
            spread_tests={k: SpreadTest.from_dict(v) for k, v in data.get("spread_tests", {}).items()},
            reference_rule=data.get("reference_rule", "largest"),
        )


@dataclass(frozen=True)
class FairnessResult:
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
        >>> result = assess([0, 0, 1, 1, 0, 1], [0, 1, 1, 0, 0, 1], sensitive_features={"g": list("aabbab")}, n_boot=0, min_group_size=1)
        >>> result.by_group.loc[("g", "a"), "fpr"]
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "metrics": list(self.metrics),
            "confidence_level": self.confidence_level,
            "n_boot": self.n_boot,
            "min_group_size": self.min_group_size,
            "seed": self.seed,
            "methods": dict(self.methods),
            "has_scores": self.has_scores,
            "overall": self.overall.to_dict(),
            "features": [f.to_dict() for f in self.features],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FairnessResult:
        return cls(
            overall=GroupResult.from_dict(data["overall"]),
            features=tuple(FeatureResult.from_dict(f) for f in data["features"]),
            metrics=tuple(data["metrics"]),
            confidence_level=data["confidence_level"],
            n_boot=data["n_boot"],
            min_group_size=data["min_group_size"],
            seed=data["seed"],
            methods=dict(data.get("methods", {})),
            has_scores=data.get("has_scores", False),
        )
