"""Decide pass or fail from the audit result and the configured gates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ethicscheck.config import GateConfig, gate_metric_kind, gate_metric_rate
from ethicscheck.config._gate_metrics import FEATURE_SUMMARIES, SCORE_METRIC_NAMES
from ethicscheck.errors import ConfigError
from ethicscheck.fairness import Estimate, FairnessResult, FeatureResult, GroupResult, wilson_interval
from ethicscheck.gates._baseline import BaselineView
from ethicscheck.gates._judge import decisive_value, regressed, violates
from ethicscheck.privacy import PrivacyResult

__all__ = ["GateOutcome", "Verdict", "evaluate_gates"]

Outcome = Literal["pass", "fail", "warn", "no_data"]


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

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Verdict:
        outcomes = [
            GateOutcome(**{**o, "groups_over": tuple(o["groups_over"]), "groups_without_data": tuple(o["groups_without_data"])})
            for o in data["outcomes"]
        ]
        return cls(tuple(outcomes))


def evaluate_gates(
    fairness: FairnessResult,
    gates: Sequence[GateConfig],
    *,
    privacy: PrivacyResult | None = None,
    baselines: Mapping[str, BaselineView] | None = None,
) -> Verdict:
    """Apply every gate to every scope it names.

    A group-level gate is decided by its worst group; groups without enough evidence cannot fail it
    but, with ``insufficient: warn|fail``, make the gate warn or fail for lack of evidence.

    Parameters
    ----------
    fairness : FairnessResult
    gates : sequence of GateConfig
    privacy : PrivacyResult, optional
        Needed by privacy gates.
    baselines : mapping, optional
        Baseline audits by ``regression.baseline`` string, already loaded.

    Raises
    ------
    ConfigError
        A gate names a scope the audit does not have, or a metric it did not compute.
    """
    outcomes: list[GateOutcome] = []
    for index, gate in enumerate(gates):
        kind = gate_metric_kind(gate.metric)
        _check_computed(gate, fairness, index)
        baseline = (baselines or {}).get(gate.regression.baseline) if gate.regression else None
        if gate.regression is not None and baseline is None:
            raise ConfigError(f"gates[{index}] -> regression -> baseline: '{gate.regression.baseline}' was not loaded.")
        if kind == "privacy":
            outcomes.append(_privacy_outcome(gate, privacy))
            continue
        for feature in _scope(gate, fairness, index):
            outcomes.append(_feature_outcome(gate, kind, feature, baseline))
    return Verdict(tuple(outcomes))


def _scope(gate: GateConfig, fairness: FairnessResult, index: int) -> list[FeatureResult]:
    if gate.scope == "*":
        return list(fairness.features)
    if gate.scope == "features":
        return [f for f in fairness.features if not f.is_intersection]
    if gate.scope == "intersections":
        return [f for f in fairness.features if f.is_intersection]
    names = [f.name for f in fairness.features]
    if gate.scope not in names:
        raise ConfigError(
            f"gates[{index}] -> scope: '{gate.scope}' is not an audited feature; known: {', '.join(names)}, or '*', 'features', 'intersections'."
        )
    return [fairness.feature(gate.scope)]


def _check_computed(gate: GateConfig, fairness: FairnessResult, index: int) -> None:
    rate = gate_metric_rate(gate.metric)
    if rate is None:
        return
    if rate in SCORE_METRIC_NAMES:
        if not fairness.has_scores:
            raise ConfigError(f"gates[{index}] -> metric: '{gate.metric}' needs model scores, and this model gave decisions only.")
    elif rate not in fairness.metrics:
        raise ConfigError(f"gates[{index}] -> metric: '{gate.metric}' needs '{rate}' in fairness.metrics.")


def _feature_outcome(gate: GateConfig, kind: str, feature: FeatureResult, baseline: BaselineView | None) -> GateOutcome:
    candidates: list[tuple[str | None, Estimate, Estimate | None]] = []
    without: list[str] = []
    if kind == "feature_summary":
        key = FEATURE_SUMMARIES[gate.metric]
        estimate = feature.disparities[key]
        if estimate.usable:
            candidates.append((None, estimate, baseline.summary(feature.name, key) if baseline else None))
        else:
            without.append(feature.name)
    else:
        for group in feature.groups:
            estimate = _group_estimate(gate.metric, kind, group)
            if estimate is None:  # e.g. the reference compared with itself
                continue
            if not estimate.usable or (gate.min_n is not None and _evidence(gate.metric, kind, group) < gate.min_n):
                without.append(group.group)
                continue
            base = baseline.group(feature.name, group.group, kind, gate.metric) if baseline else None
            candidates.append((group.group, estimate, base))
    return _decide(gate, feature.name, candidates, without)


def _decide(
    gate: GateConfig, scope: str, candidates: list[tuple[str | None, Estimate, Estimate | None]], without: list[str]
) -> GateOutcome:
    judged: list[tuple[str | None, Estimate, float, Estimate | None]] = []
    for label, estimate, base in candidates:
        if gate.regression is not None:
            if base is None:
                without.append(label or scope)
                continue
            worse, worsening = regressed(estimate, base, gate.comparator, gate.mode, gate.regression.margin)
            if worse is None:
                without.append(label or scope)
                continue
            judged.append((label, estimate, worsening, base))  # type: ignore[arg-type]
        else:
            value = decisive_value(estimate, gate.comparator, gate.mode)
            if value is None:
                without.append(label or scope)
                continue
            judged.append((label, estimate, value, None))
    failing = [j for j in judged if _fails(gate, j[2])]
    lack = bool(without) and gate.insufficient != "ignore"
    if not judged and not lack:
        return _outcome(
            gate, scope, "no_data", None, (), without, f"{scope}: no group has enough data to judge {gate.metric} ({gate.mode})."
        )
    if judged:
        label, estimate, decisive, base = _worst(gate, judged)
    else:
        label, estimate, decisive, base = None, Estimate(None), None, None
    bad = bool(failing) or (lack and gate.insufficient == "fail")
    status: Outcome = "pass"
    if bad:
        status = "fail" if gate.severity == "error" else "warn"
    elif lack:
        status = "warn"
    message = _message(gate, scope, label, estimate, decisive, base, failing, without, lack)
    return _outcome(gate, scope, status, (label, estimate, base), tuple(str(f[0] or scope) for f in failing), without, message)


def _fails(gate: GateConfig, decisive: float) -> bool:
    if gate.regression is not None:
        return decisive > gate.regression.margin
    return violates(decisive, gate.comparator, gate.threshold)  # type: ignore[arg-type]


def _worst(gate: GateConfig, judged: list) -> tuple:  # type: ignore[type-arg]
    higher_is_worse = gate.regression is not None or gate.comparator in ("<=", "<")
    return max(judged, key=lambda j: j[2]) if higher_is_worse else min(judged, key=lambda j: j[2])


def _message(gate, scope, label, estimate, decisive, base, failing, without, lack) -> str:  # type: ignore[no-untyped-def]
    parts = []
    if estimate.value is not None:
        who = f"group '{label}'" if label else scope
        ci = (
            f" (95% CI {estimate.ci_low:.3g}-{estimate.ci_high:.3g})"
            if estimate.ci_low is not None and estimate.ci_high is not None
            else ""
        )
        if gate.regression is not None:
            verdict = "worse than" if failing else "not worse than"
            parts.append(
                f"{scope}: {who} has {gate.metric} {estimate.value:.3g}{ci} vs baseline {base.value:.3g}, judged {gate.mode}: "
                f"{verdict} the baseline by more than {gate.regression.margin:g} (change {decisive:+.3g})"
            )
        else:
            where = "past" if failing else "within"
            judged = "" if gate.mode == "point" else f", {gate.mode} reading {decisive:.3g}"
            subject = f"worst {who} has {gate.metric}" if label else gate.metric
            parts.append(f"{scope}: {subject} {estimate.value:.3g}{ci}{judged}, {where} the limit {gate.comparator} {gate.threshold:g}")
        if len(failing) > 1:
            parts.append(f"{len(failing)} groups fail")
    if without:
        shown = ", ".join(without[:5]) + (f" and {len(without) - 5} more" if len(without) > 5 else "")
        note = "not enough evidence" + (f" (min_n {gate.min_n})" if gate.min_n else "")
        parts.append(f"{note} for {shown}" + (f": {gate.insufficient}" if lack else ""))
    return "; ".join(parts) + "."


def _outcome(gate, scope, status, picked, over, without, message) -> GateOutcome:  # type: ignore[no-untyped-def]
    label, estimate, base = picked if picked else (None, Estimate(None), None)
    return GateOutcome(
        gate=gate.label,
        metric=gate.metric,
        feature=scope,
        status=status,
        severity=gate.severity,
        mode=gate.mode,
        comparator=gate.comparator,
        threshold=gate.threshold,
        value=estimate.value,
        ci_low=estimate.ci_low,
        ci_high=estimate.ci_high,
        group=label,
        groups_over=tuple(over),
        groups_without_data=tuple(without),
        message=message,
        baseline_value=base.value if base is not None else None,
    )


def _group_estimate(metric: str, kind: str, group: GroupResult) -> Estimate | None:
    if kind == "group_ratio":
        return group.ratio.get(metric.removesuffix("_ratio"))
    if kind == "group_difference":
        return group.difference.get(metric.removesuffix("_difference"))
    return group.metrics.get(metric) or group.score_metrics.get(metric)


def _evidence(metric: str, kind: str, group: GroupResult) -> int:
    rate = metric if kind == "group_rate" else metric.rsplit("_", 1)[0]
    estimate = group.metrics.get(rate)
    return estimate.denominator if estimate is not None and estimate.denominator is not None else group.n


def _privacy_outcome(gate: GateConfig, privacy: PrivacyResult | None) -> GateOutcome:
    if privacy is None:
        return _outcome(gate, "privacy", "no_data", None, (), [], f"privacy: the scan did not run, so {gate.metric} is unknown.")
    if gate.metric == "pii.outputs.novel":
        if not privacy.outputs:
            return _outcome(gate, "privacy", "no_data", None, (), [], "privacy: no output columns were scanned (privacy.output_columns).")
        worst = max(privacy.outputs, key=lambda o: o.novel_total)
        return _decide(gate, "privacy", [(f"column {worst.column}", Estimate(float(worst.novel_total)), None)], [])
    if gate.metric == "pii.artifacts":
        if privacy.artifacts is None:
            return _outcome(
                gate, "privacy", "no_data", None, (), [], "privacy: the audit's files were not scanned (privacy.scan_artifacts)."
            )
        return _decide(gate, "privacy", [("the audit's files", Estimate(float(privacy.artifacts.findings)), None)], [])
    if not privacy.columns:
        return _outcome(gate, "privacy", "no_data", None, (), [], "privacy: no input text was scanned, so pii.inputs.row_rate is unknown.")
    column = max(privacy.columns, key=lambda c: c.rows_with_pii / max(c.rows_scanned, 1))
    low, high = wilson_interval(column.rows_with_pii, column.rows_scanned, confidence=0.95)
    estimate = Estimate(
        column.rows_with_pii / max(column.rows_scanned, 1),
        float(low),
        float(high),
        numerator=column.rows_with_pii,
        denominator=column.rows_scanned,
    )
    return _decide(gate, "privacy", [(f"column {column.column}", estimate, None)], [])
