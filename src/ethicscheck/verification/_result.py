"""Typed results of a verification (face-matching) audit: frozen dataclasses written and read by :mod:`ethicscheck._serialize`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ethicscheck._serialize import Serializable, json_options
from ethicscheck.fairness import Estimate

__all__ = [
    "CrossGroupFmr",
    "DetCurve",
    "GroupRates",
    "OperatingPoint",
    "PointKind",
    "PointResult",
    "VerificationFeature",
    "VerificationResult",
    "VerificationSettings",
]

#: ``target_fmr``: the threshold where the overall FMR reaches a target; ``fixed``: a threshold from the config;
#: ``decision``: the system's own match decisions (no score).
PointKind = Literal["target_fmr", "fixed", "decision"]


def _rate(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


@dataclass(frozen=True)
class OperatingPoint(Serializable):
    """One threshold the audit judges the system at, with the overall counts there.

    ``threshold`` is on the user's score scale (a distance when lower means more alike); None for decisions.
    """

    key: str
    kind: PointKind
    target_fmr: float | None
    threshold: float | None
    impostor_pairs: int
    false_matches: int
    genuine_pairs: int
    false_non_matches: int
    JSON_ORDER = (
        "key",
        "kind",
        "target_fmr",
        "threshold",
        "impostor_pairs",
        "false_matches",
        "genuine_pairs",
        "false_non_matches",
        "fmr",
        "fnmr",
    )

    @property
    def fmr(self) -> float | None:
        """The overall false-match rate reached (at most the target)."""
        return _rate(self.false_matches, self.impostor_pairs)

    @property
    def fnmr(self) -> float | None:
        return _rate(self.false_non_matches, self.genuine_pairs)


@dataclass(frozen=True)
class GroupRates(Serializable):
    """A group's false-match rate (impostor comparisons of two members) and false non-match rate.

    ``fmr_ratio`` and ``fnmr_ratio`` divide them by the reference group's (:attr:`PointResult.reference`).
    """

    group: str
    n_subjects: int
    fmr: Estimate
    fnmr: Estimate
    fmr_ratio: Estimate | None = None
    fnmr_ratio: Estimate | None = None


@dataclass(frozen=True)
class CrossGroupFmr(Serializable):
    """False matches between members of two groups (symmetric: the order of the sides does not matter)."""

    impostor_pairs: tuple[tuple[int, ...], ...]
    false_matches: tuple[tuple[int, ...], ...]
    JSON_ORDER = ("impostor_pairs", "false_matches", "fmr")

    @property
    def fmr(self) -> list[list[float | None]]:
        """The false-match rate of every pair of groups (None where they have no impostor comparison)."""
        return [[_rate(m, n) for m, n in zip(ms, ns)] for ms, ns in zip(self.false_matches, self.impostor_pairs)]


@dataclass(frozen=True)
class PointResult(Serializable):
    """One attribute at one operating point: per-group rates, the cross-group matrix and the summaries.

    ``summaries`` maps ``fmr_max_over_min``, ``fnmr_gini``, ..., ``fdr`` and ``garbe`` to estimates over the
    groups with enough data (undefined, with a reason, when fewer than two groups have it).
    """

    point: str
    groups: tuple[GroupRates, ...]
    cross: CrossGroupFmr = field(metadata=json_options(key="cross_group"))
    summaries: dict[str, Estimate]
    reference: str | None = None
    JSON_ORDER = ("point", "reference", "groups", "cross", "summaries")

    def group(self, label: str) -> GroupRates:
        return next(g for g in self.groups if g.group == label)


@dataclass(frozen=True)
class DetCurve(Serializable):
    """A group's detection error trade-off: FNMR against FMR (same-group impostors) over many thresholds."""

    group: str
    fmr: tuple[float | None, ...]
    fnmr: tuple[float | None, ...]


@dataclass(frozen=True)
class VerificationFeature(Serializable):
    """Everything measured for one attribute or intersection."""

    name: str
    groups: tuple[str, ...]
    points: tuple[PointResult, ...]
    det: tuple[DetCurve, ...]

    def at(self, point: str) -> PointResult:
        return next(p for p in self.points if p.point == point)


@dataclass(frozen=True)
class VerificationSettings(Serializable):
    """How the rates and their intervals were computed."""

    targets: tuple[float, ...]
    thresholds: tuple[float, ...]
    n_boot: int
    confidence_level: float
    alpha: float
    min_genuine_pairs: int
    seed: int
    higher_is_more_similar: bool


@dataclass(frozen=True)
class VerificationResult(Serializable):
    """A face-matching audit: operating points and, per attribute, group rates, summaries and DET curves."""

    n_comparisons: int
    n_genuine: int
    n_impostor: int
    n_subjects: int
    points: tuple[OperatingPoint, ...]
    features: tuple[VerificationFeature, ...]
    settings: VerificationSettings
    JSON_ORDER = ("n_comparisons", "n_genuine", "n_impostor", "n_subjects", "settings", "points", "features")

    def feature(self, name: str) -> VerificationFeature:
        return next(f for f in self.features if f.name == name)

    def point(self, key: str) -> OperatingPoint:
        return next(p for p in self.points if p.key == key)
