"""The verdict of an audit's gates: a value of the result layer (an ``AuditResult`` holds it; ``gates`` decides it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ethicscheck._serialize import Serializable, json_options

__all__ = ["EXIT_CODES", "VERDICT_LABELS", "GateOutcome", "Outcome", "Verdict", "VerdictStatus"]

#: One gate on one scope. ``insufficient``: nothing in the scope could be judged (and the gate did not
#: say ``insufficient: warn`` or ``fail``).
Outcome = Literal["pass", "fail", "warn", "insufficient"]
#: The whole audit. ``insufficient``: no error-severity gate failed, but at least one could not be judged.
VerdictStatus = Literal["pass", "fail", "insufficient"]

#: Exit codes by verdict, for CI (0 pass, 1 fail or insufficient evidence; 2 is reserved for errors).
EXIT_CODES: dict[VerdictStatus, int] = {"pass": 0, "fail": 1, "insufficient": 1}
#: What readers see.
VERDICT_LABELS: dict[VerdictStatus, str] = {"pass": "pass", "fail": "fail", "insufficient": "insufficient evidence"}


def _current_outcome(status: Any) -> Any:
    """audit.json files written before the three-valued verdict said ``no_data`` for ``insufficient``."""
    return "insufficient" if status == "no_data" else status


@dataclass(frozen=True)
class GateOutcome(Serializable):
    """One gate applied to one scope (a feature, an intersection, or the privacy scan)."""

    gate: str
    metric: str
    feature: str
    status: Outcome = field(metadata=json_options(read=_current_outcome))
    severity: str
    mode: str
    comparator: str
    threshold: float | None
    value: float | None
    ci_low: float | None
    ci_high: float | None
    group: str | None
    groups_over: tuple[str, ...]
    groups_without_data: tuple[str, ...]
    message: str
    baseline_value: float | None = None


@dataclass(frozen=True)
class Verdict(Serializable):
    """All gate outcomes and the three-valued verdict they give.

    ``status`` is ``fail`` when an error-severity gate failed, else ``insufficient`` when a gate could
    not be judged for lack of evidence, else ``pass``. ``decisions`` names a degenerate model (it flagged
    nobody or everybody), which no fairness gate can pass.
    """

    outcomes: tuple[GateOutcome, ...]
    decisions: str | None = None

    JSON_ORDER = ("status", "passed", "label", "exit_code", "decisions", "outcomes")

    @property
    def status(self) -> VerdictStatus:
        if any(o.status == "fail" for o in self.outcomes):
            return "fail"
        if any(o.status == "insufficient" for o in self.outcomes):
            return "insufficient"
        return "pass"

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.status]

    @property
    def label(self) -> str:
        if not self.outcomes:
            return "no gates"
        if self.status == "pass" and any(o.status == "warn" for o in self.outcomes):
            return "pass with warnings"
        return VERDICT_LABELS[self.status]
