"""How well the scanner finds personal data, as measured on held-out text and shipped with the package.

``benchmarks/bench_pii.py --package-figures`` writes ``measured_quality.json`` from the frozen held-out
sets (the obfuscated-contact test split and presidio-research's synthetic set); the audit attaches the
figures to its privacy result so the card can say how far to trust "no personal data found". Nothing is
computed at audit time and nothing comes from ethicscheck's own generator.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["MeasuredSet", "DetectionQuality", "measured_quality", "MEASURED_WITH"]

_FILE = "measured_quality.json"
#: The scan settings the shipped figures were measured with (the defaults of ``privacy:``).
MEASURED_WITH = "the default privacy settings"


@dataclass(frozen=True)
class MeasuredSet:
    """The scanner's figures on one held-out set (strict span match, IoU >= 0.5)."""

    name: str
    records: int
    records_without_entities: int
    recall: float | None
    precision: float | None
    false_alarm_rate: float | None
    per_entity: dict[str, dict[str, float | None]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "records": self.records,
            "records_without_entities": self.records_without_entities,
            "recall": self.recall,
            "precision": self.precision,
            "false_alarm_rate": self.false_alarm_rate,
            "per_entity": {k: dict(v) for k, v in self.per_entity.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MeasuredSet:
        return cls(
            data["name"],
            data["records"],
            data["records_without_entities"],
            data["recall"],
            data["precision"],
            data["false_alarm_rate"],
            {k: dict(v) for k, v in data["per_entity"].items()},
        )


@dataclass(frozen=True)
class DetectionQuality:
    """Measured recall, precision and false-alarm rate on held-out sets, and what the scanner cannot see."""

    measured_on: str
    source: str
    sets: tuple[MeasuredSet, ...]
    cannot_see: tuple[str, ...]
    same_settings: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "measured_on": self.measured_on,
            "source": self.source,
            "sets": [s.to_dict() for s in self.sets],
            "cannot_see": list(self.cannot_see),
            "same_settings": self.same_settings,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DetectionQuality:
        return cls(
            data["measured_on"],
            data["source"],
            tuple(MeasuredSet.from_dict(s) for s in data["sets"]),
            tuple(data["cannot_see"]),
            data.get("same_settings", True),
        )


def measured_quality(*, same_settings: bool = True) -> DetectionQuality | None:
    """The shipped figures (None when the package carries none), marked with whether the scan used the
    settings they were measured with."""
    shipped = _shipped()
    if shipped is None:
        return None
    return DetectionQuality(shipped.measured_on, shipped.source, shipped.sets, shipped.cannot_see, same_settings)


@lru_cache(maxsize=1)
def _shipped() -> DetectionQuality | None:
    path = resources.files("ethicscheck.privacy").joinpath(_FILE)
    if not path.is_file():
        return None
    return DetectionQuality.from_dict(json.loads(path.read_text(encoding="utf-8")))
