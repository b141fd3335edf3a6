"""Typed results of a verification (face-matching) audit, serializable with ``to_dict()``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

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
class OperatingPoint:
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

    @property
    def fmr(self) -> float | None:
        """The overall false-match rate reached (at most the target)."""
        return _rate(self.false_matches, self.impostor_pairs)

    @property
    def fnmr(self) -> float | None:
        return _rate(self.false_non_matches, self.genuine_pairs)

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "fmr": self.fmr, "fnmr": self.fnmr}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OperatingPoint:
        return cls(**{k: v for k, v in data.items() if k not in ("fmr", "fnmr")})


@dataclass(frozen=True)
class GroupRates:
    """A group's false-match rate (impostor comparisons of two members) and false non-match rate.

    ``fmr_ratio`` and ``fnmr_ratio`` divide them by the reference group's (:attr:`PointResult.reference`).
    """

    group: str
    n_subjects: int
    fmr: Estimate
    fnmr: Estimate
    fmr_ratio: Estimate | None = None
    fnmr_ratio: Estimate | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"group": self.group, "n_subjects": self.n_subjects, "fmr": self.fmr.to_dict(), "fnmr": self.fnmr.to_dict()}
        for key in ("fmr_ratio", "fnmr_ratio"):
            value = getattr(self, key)
            out[key] = value.to_dict() if value is not None else None
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GroupRates:
        ratios = {k: Estimate.from_dict(data[k]) if data.get(k) else None for k in ("fmr_ratio", "fnmr_ratio")}
        return cls(data["group"], data["n_subjects"], Estimate.from_dict(data["fmr"]), Estimate.from_dict(data["fnmr"]), **ratios)


@dataclass(frozen=True)
class CrossGroupFmr:
    """False matches between members of two groups (symmetric: the order of the sides does not matter)."""

    impostor_pairs: tuple[tuple[int, ...], ...]
    false_matches: tuple[tuple[int, ...], ...]

    def rates(self) -> list[list[float | None]]:
        return [[_rate(m, n) for m, n in zip(ms, ns)] for ms, ns in zip(self.false_matches, self.impostor_pairs)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "impostor_pairs": [list(r) for r in self.impostor_pairs],
            "false_matches": [list(r) for r in self.false_matches],
            "fmr": self.rates(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CrossGroupFmr:
        return cls(tuple(map(tuple, data["impostor_pairs"])), tuple(map(tuple, data["false_matches"])))


@dataclass(frozen=True)
class PointResult:
    """One attribute at one operating point: per-group rates, the cross-group matrix and the summaries.

    ``summaries`` maps ``fmr_max_over_min``, ``fnmr_gini``, ..., ``fdr`` and ``garbe`` to estimates over the
    groups with enough data (undefined, with a reason, when fewer than two groups have it).
    """

    point: str
    groups: tuple[GroupRates, ...]
    cross: CrossGroupFmr
    summaries: dict[str, Estimate]
    reference: str | None = None

    def group(self, label: str) -> GroupRates:
        return next(g for g in self.groups if g.group == label)

    def to_dict(self) -> dict[str, Any]:
        return {
            "point": self.point,
            "reference": self.reference,
            "groups": [g.to_dict() for g in self.groups],
            "cross_group": self.cross.to_dict(),
            "summaries": {k: v.to_dict() for k, v in self.summaries.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PointResult:
        return cls(
            point=data["point"],
            groups=tuple(GroupRates.from_dict(g) for g in data["groups"]),
            cross=CrossGroupFmr.from_dict(data["cross_group"]),
            summaries={k: Estimate.from_dict(v) for k, v in data["summaries"].items()},
            reference=data.get("reference"),
        )


@dataclass(frozen=True)
class DetCurve:
    """A group's detection error trade-off: FNMR against FMR (same-group impostors) over many thresholds."""

    group: str
    fmr: tuple[float | None, ...]
    fnmr: tuple[float | None, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"group": self.group, "fmr": list(self.fmr), "fnmr": list(self.fnmr)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DetCurve:
        return cls(data["group"], tuple(data["fmr"]), tuple(data["fnmr"]))


@dataclass(frozen=True)
class VerificationFeature:
    """Everything measured for one attribute or intersection."""

    name: str
    groups: tuple[str, ...]
    points: tuple[PointResult, ...]
    det: tuple[DetCurve, ...]

    def at(self, point: str) -> PointResult:
        return next(p for p in self.points if p.point == point)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "groups": list(self.groups),
            "points": [p.to_dict() for p in self.points],
            "det": [d.to_dict() for d in self.det],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VerificationFeature:
        return cls(
            name=data["name"],
            groups=tuple(data["groups"]),
            points=tuple(PointResult.from_dict(p) for p in data["points"]),
            det=tuple(DetCurve.from_dict(d) for d in data["det"]),
        )


@dataclass(frozen=True)
class VerificationSettings:
    """How the rates and their intervals were computed."""

    targets: tuple[float, ...]
    thresholds: tuple[float, ...]
    n_boot: int
    confidence_level: float
    alpha: float
    min_genuine_pairs: int
    seed: int
    higher_is_more_similar: bool

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "targets": list(self.targets), "thresholds": list(self.thresholds)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VerificationSettings:
        return cls(**{**data, "targets": tuple(data["targets"]), "thresholds": tuple(data["thresholds"])})


@dataclass(frozen=True)
class VerificationResult:
    """A face-matching audit: operating points and, per attribute, group rates, summaries and DET curves."""

    n_comparisons: int
    n_genuine: int
    n_impostor: int
    n_subjects: int
    points: tuple[OperatingPoint, ...]
    features: tuple[VerificationFeature, ...]
    settings: VerificationSettings

    def feature(self, name: str) -> VerificationFeature:
        return next(f for f in self.features if f.name == name)

    def point(self, key: str) -> OperatingPoint:
        return next(p for p in self.points if p.key == key)

    def to_dict(self) -> dict[str, Any]:
        return {
            "n_comparisons": self.n_comparisons,
            "n_genuine": self.n_genuine,
            "n_impostor": self.n_impostor,
            "n_subjects": self.n_subjects,
            "settings": self.settings.to_dict(),
            "points": [p.to_dict() for p in self.points],
            "features": [f.to_dict() for f in self.features],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VerificationResult:
        return cls(
            n_comparisons=data["n_comparisons"],
            n_genuine=data["n_genuine"],
            n_impostor=data["n_impostor"],
            n_subjects=data["n_subjects"],
            points=tuple(OperatingPoint.from_dict(p) for p in data["points"]),
            features=tuple(VerificationFeature.from_dict(f) for f in data["features"]),
            settings=VerificationSettings.from_dict(data["settings"]),
        )
