"""The verdict of an audit's gates: a value of the result layer (an ``AuditResult`` holds it; ``gates`` decides it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

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


@dataclass(frozen=True)
class GateOutcome:
    """One gate applied to one scope (a feature, an intersection, or the privacy scan)."""

    gate: str
    metric: str
    feature: str
    status: Outcome
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

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["groups_over"] = list(self.groups_over)
        out["groups_without_data"] = list(self.groups_without_data)
        return out


@dataclass(frozen=True)
class Verdict:
    """All gate outcomes and the three-valued verdict they give.

    ``status`` is ``fail`` when an error-severity gate failed, else ``insufficient`` when a gate could
    not be judged for lack of evidence, else ``pass``. ``decisions`` names a degenerate model (it flagged
    nobody or everybody), which no fairness gate can pass.
    """

    outcomes: tuple[GateOutcome, ...]
    decisions: str | None = None

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

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "passed": self.passed,
            "label": self.label,
            "exit_code": self.exit_code,
            "decisions": self.decisions,
            "outcomes": [o.to_dict() for o in self.outcomes],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Verdict:
        outcomes = [
            GateOutcome(
                **{
                    **o,
                    # audit.json files written before the three-valued verdict said "no_data"
                    "status": "insufficient" if o["status"] == "no_data" else o["status"],
                    "groups_over": tuple(o["groups_over"]),
                    "groups_without_data": tuple(o["groups_without_data"]),
                }
            )
            for o in data["outcomes"]
        ]
        return cls(tuple(outcomes), decisions=data.get("decisions"))
