"""Gates of a face-matching audit: per-group FMR/FNMR, ratios to the reference group and summaries, at each operating point.

A verification gate names ``<metric>`` (judged at every operating point) or ``<metric>@<target FMR>``
(``fmr@1e-04``: only at the threshold where 1 in 10,000 impostor comparisons match overall). Each
(operating point, attribute) pair is one outcome, decided exactly as classification gates are: the same
modes (point, confident, precautionary), the same "insufficient evidence" rules, the same messages. A gate with
``regression: {baseline: <earlier verification audit.json>}`` compares each figure with the same figure (attribute,
operating point, group) of that audit instead of a threshold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from ethicscheck._verdict import GateOutcome, Verdict
from ethicscheck._vocabulary import VERIFICATION_RATES, verification_point_key
from ethicscheck.config import GateConfig, gate_metric_kind, verification_gate_target
from ethicscheck.errors import ConfigError
from ethicscheck.fairness import Estimate
from ethicscheck.gates._evaluate import _decide, gate_scopes
from ethicscheck.verification import GroupRates, PointResult, VerificationResult

__all__ = ["evaluate_verification_gates", "load_verification_baseline"]


def load_verification_baseline(spec: str) -> VerificationResult:
    """The statistics of an earlier face-matching audit, from its saved audit.json (or the folder holding it).

    Raises
    ------
    ConfigError
        The file does not exist, is not an ethicscheck audit.json, or is a classification audit.
    """
    from ethicscheck.result import VerificationAuditResult, read_audit_json

    if spec.startswith("models:/"):
        raise ConfigError(
            f"regression.baseline '{spec}': a face-matching audit has no registered model to look up; point the baseline at "
            "the audit.json of an earlier verification audit (or its report folder)."
        )
    path = Path(spec)
    path = path / "audit.json" if path.is_dir() else path
    if not path.is_file():
        raise ConfigError(f"Baseline {path} does not exist. Point regression.baseline at the audit.json of an earlier verification audit.")
    found = read_audit_json(path)
    if not isinstance(found, VerificationAuditResult):
        raise ConfigError(f"Baseline {path} is a classification audit; a verification gate needs an earlier verification audit.json.")
    return found.verification


def evaluate_verification_gates(
    verification: VerificationResult, gates: Sequence[GateConfig], *, baselines: Mapping[str, VerificationResult] | None = None
) -> Verdict:
    """Apply every verification gate to every operating point and attribute it names.

    ``baselines`` maps each ``regression.baseline`` to that earlier audit's statistics (:func:`load_verification_baseline`).

    Raises
    ------
    ConfigError
        A gate is not a verification metric, names a target FMR the audit did not use, or a scope it does not have.
    """
    outcomes: list[GateOutcome] = []
    singles = [f.name for f in verification.features if " & " not in f.name]
    crossed = [f.name for f in verification.features if " & " in f.name]
    for index, gate in enumerate(gates):
        if gate_metric_kind(gate.metric) != "verification":
            raise ConfigError(f"gates[{index}] -> metric: '{gate.metric}' is not a verification metric (fmr, fnmr, their summaries).")
        baseline = None
        if gate.regression is not None:
            baseline = (baselines or {}).get(gate.regression.baseline)
            if baseline is None:
                raise ConfigError(f"gates[{index}] -> regression -> baseline: '{gate.regression.baseline}' was not loaded.")
        metric, _, _ = gate.metric.partition("@")
        points = _points(gate, verification, index)
        for name in gate_scopes(gate, singles, crossed, index=index):
            feature = verification.feature(name)
            for point in points:
                before = _baseline_at(baseline, name, point)
                outcome = _judge(gate, metric, feature.at(point), f"{name} at {point}", before)
                outcomes.append(outcome)
    return Verdict(tuple(outcomes))


def _points(gate: GateConfig, verification: VerificationResult, index: int) -> list[str]:
    target = verification_gate_target(gate.metric)
    keys = [p.key for p in verification.points]
    if target is None:
        return keys
    wanted = verification_point_key(target_fmr=target)
    if wanted not in keys:
        raise ConfigError(
            f"gates[{index}] -> metric: '{gate.metric}' names the target FMR {target:g}, which the audit did not use; "
            f"add it to verification.targets (audited: {', '.join(keys)})."
        )
    return [wanted]


def _baseline_at(baseline: VerificationResult | None, feature: str, point: str) -> PointResult | None:
    """The same attribute at the same operating point in the baseline audit (None when it lacks either)."""
    if baseline is None:
        return None
    found = next((f for f in baseline.features if f.name == feature), None)
    return next((p for p in found.points if p.point == point), None) if found is not None else None


def _judge(gate: GateConfig, metric: str, point: PointResult, scope: str, before: PointResult | None = None) -> GateOutcome:
    if metric in point.summaries:
        summary = point.summaries[metric]
        if summary.usable:
            return _decide(gate, scope, [(None, summary, before.summaries.get(metric) if before is not None else None)], [])
        return _decide(gate, scope, [], [f"{scope} ({summary.reason})" if summary.reason else scope])
    candidates: list[tuple[str | None, Estimate, Estimate | None]] = []
    without: list[str] = []
    for group in point.groups:
        found = _group_estimate(metric, group)
        if found is None or (metric.endswith("_ratio") and group.group == point.reference):
            continue
        estimate = found
        evidence = getattr(group, metric.removesuffix("_ratio")).denominator or 0
        if not estimate.usable or (gate.min_group_size is not None and evidence < gate.min_group_size):
            without.append(group.group)
        else:
            earlier = next((g for g in before.groups if g.group == group.group), None) if before is not None else None
            candidates.append((group.group, estimate, _group_estimate(metric, earlier) if earlier is not None else None))
    return _decide(gate, scope, candidates, without)


def _group_estimate(metric: str, group: GroupRates) -> Estimate | None:
    rate = metric.removesuffix("_ratio")
    if rate not in VERIFICATION_RATES:
        return None
    estimate: Estimate | None = getattr(group, metric)
    return estimate
