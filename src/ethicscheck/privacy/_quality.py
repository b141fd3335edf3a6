"""How well the scanner finds personal data, as measured on held-out text and shipped with the package.

``benchmarks/bench_pii.py --package-figures`` writes ``measured_quality.json`` from the frozen held-out
sets (the obfuscated-contact test split and presidio-research's synthetic set); the audit attaches the
figures to its privacy result so the card can say how far to trust "no personal data found". Nothing is
computed at audit time and nothing comes from ethicscheck's own generator.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

from ethicscheck._serialize import Serializable

__all__ = ["MeasuredSet", "DetectionQuality", "measured_quality", "MEASURED_WITH"]

_FILE = "measured_quality.json"
#: The scan settings the shipped figures were measured with (the defaults of ``privacy:``).
MEASURED_WITH = "the default privacy settings"


@dataclass(frozen=True)
class MeasuredSet(Serializable):
    """The scanner's figures on one held-out set (strict span match, IoU >= 0.5)."""

    name: str
    records: int
    records_without_entities: int
    recall: float | None
    precision: float | None
    false_alarm_rate: float | None
    per_entity: dict[str, dict[str, float | None]]


@dataclass(frozen=True)
class DetectionQuality(Serializable):
    """Measured recall, precision and false-alarm rate on held-out sets, and what the scanner cannot see."""

    measured_on: str
    source: str
    sets: tuple[MeasuredSet, ...]
    cannot_see: tuple[str, ...]
    same_settings: bool = True
    #: Why dates, driving-licence numbers and names are (or are not) looked for by default, with the measured figures
    #: (``benchmarks/bench_pii_entities.py --package-figures`` writes them).
    entity_choices: tuple[str, ...] = ()


def measured_quality(*, same_settings: bool = True) -> DetectionQuality | None:
    """The shipped figures (None when the package carries none), marked with whether the scan used the
    settings they were measured with."""
    shipped = _shipped()
    if shipped is None:
        return None
    return replace(shipped, same_settings=same_settings)


@lru_cache(maxsize=1)
def _shipped() -> DetectionQuality | None:
    path = resources.files("ethicscheck.privacy").joinpath(_FILE)
    if not path.is_file():
        return None
    return DetectionQuality.from_dict(json.loads(path.read_text(encoding="utf-8")))
