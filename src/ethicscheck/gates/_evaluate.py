"""Decide pass or fail from the audit's fairness result and the configured gates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ethicscheck.config import GateConfig
from ethicscheck.errors import ConfigError
from ethicscheck.fairness import Estimate, FairnessResult, FeatureResult, GroupResult

__all__ = ["GateOutcome", "Verdict", "evaluate_gates"]

Outcome = Literal["pass", "fail", "warn", "no_data"]


@dataclass(frozen=True)
class GateOutcome:
    """One gate applied to one feature: the worst group decides."""

    gate: str
    metric: str
    feature: str
    status: Outcome
    severity: str
    threshold: float
    value: float | None
    ci_low: float | None
    ci_high: float | None
    group: str | None
    groups_over: tuple[str, ...]
    groups_without_data: tuple[str, ...]
    message: str

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["groups_over"] = list(self.groups_over)
        out["groups_without_data"] = list(self.groups_without_data)
        return out


@dataclass(frozen=True)
class Verdict:
    """All gate outcomes; ``passed`` is False when any error-severity gate failed."""

    outcomes: tuple[GateOutcome, ...]

    @property
    def passed(self) -> bool:
        return not any(o.status == "fail" for o in self.outcomes)

    @property
    def exit_code(self) -> int:
        return 0 if self.passed else 1

    @property
    def label(self) -> str:
        if not self.outcomes:
            return "no gates"
        if not self.passed:
            return "fail"
        return "pass with warnings" if any(o.status == "warn" for o in self.outcomes) else "pass"

    def to_dict(self) -> dict[str, Any]:
        return {"passed": self.passed, "label": self.label, "outcomes": [o.to_dict() for o in self.outcomes]}


def evaluate_gates(fairness: FairnessResult, gates: Sequence[GateConfig]) -> Verdict:
    """Apply every gate to every feature in its scope.

    ``<rate>_ratio`` and ``<rate>_difference`` gates read each group's comparison with its reference;
    ``fpr``/``fnr`` gates read each group's rate. Groups whose number is insufficient or undefined
    cannot fail a gate; they are listed in the outcome so readers see what was not judged.

    Raises
    ------
    ConfigError
        A gate names a feature the audit does not have, or a rate that was not computed.
    """
    names = [f.name for f in fairness.features]
    outcomes = []
    for index, gate in enumerate(gates):
        if gate.feature != "*" and gate.feature not in names:
            raise ConfigError(f"gates[{index}] -> feature: '{gate.feature}' is not an audited feature; known: {', '.join(names)} or '*'.")
        rate_key = gate.metric.rsplit("_", 1)[0] if gate.metric.endswith(("_ratio", "_difference")) else gate.metric
        if rate_key not in fairness.metrics:
            raise ConfigError(f"gates[{index}] -> metric: '{gate.metric}' needs '{rate_key}' in fairness.metrics.")
        for feature in fairness.features:
            if gate.feature in ("*", feature.name):
                outcomes.append(_apply(gate, feature, rate_key))
    return Verdict(tuple(outcomes))


def _apply(gate: GateConfig, feature: FeatureResult, rate_key: str) -> GateOutcome:
    judged: list[tuple[GroupResult, Estimate]] = []
    without_data = []
    for group in feature.groups:
        estimate = _value(gate.metric, rate_key, group)
        if estimate is None:  # the reference group has no comparison with itself
            continue
        if estimate.usable:
            judged.append((group, estimate))
        else:
            without_data.append(group.group)
    over = tuple(g.group for g, e in judged if e.value > gate.max)  # type: ignore[operator]
    if not judged:
        return GateOutcome(gate.label, gate.metric, feature.name, "no_data", gate.severity, gate.max, None, None, None, None, (), tuple(without_data), f"{feature.name}: no group has enough data to judge {gate.metric}.")
    worst_group, worst = max(judged, key=lambda pair: pair[1].value)  # type: ignore[arg-type,return-value]
    failed = bool(over)
    status: Outcome = "pass" if not failed else ("fail" if gate.severity == "error" else "warn")
    ci = f" (95% CI {worst.ci_low:.3g}-{worst.ci_high:.3g})" if worst.ci_low is not None and worst.ci_high is not None else ""
    verb = "above" if failed else "within"
    message = f"{feature.name}: worst group '{worst_group.group}' has {gate.metric} {worst.value:.3g}{ci}, {verb} the limit {gate.max:g}"
    if len(over) > 1:
        message += f"; {len(over)} groups over the limit"
    return GateOutcome(gate.label, gate.metric, feature.name, status, gate.severity, gate.max, worst.value, worst.ci_low, worst.ci_high, worst_group.group, over, tuple(without_data), message + ".")


def _value(metric: str, rate_key: str, group: GroupResult) -> Estimate | None:
    if metric.endswith("_ratio"):
        return group.ratio.get(rate_key)
    if metric.endswith("_difference"):
        return group.difference.get(rate_key)
    return group.metrics.get(rate_key)
