"""Gates of a face-matching audit: per-group FMR/FNMR, ratios to the reference group and summaries, at each operating point.

A verification gate names ``<metric>`` (judged at every operating point) or ``<metric>@<target FMR>``
(``fmr@1e-04``: only at the threshold where 1 in 10,000 impostor comparisons match overall). Each
(operating point, attribute) pair is one outcome, decided exactly as classification gates are: the same
modes (point, confident, precautionary), the same "insufficient evidence" rules, the same messages.
"""

from __future__ import annotations

from collections.abc import Sequence

from ethicscheck._verdict import GateOutcome, Verdict
from ethicscheck._vocabulary import VERIFICATION_RATES, verification_point_key
from ethicscheck.config import GateConfig, gate_metric_kind, verification_gate_target
from ethicscheck.errors import ConfigError
from ethicscheck.fairness import Estimate
from ethicscheck.gates._evaluate import _decide, gate_scopes
from ethicscheck.verification import GroupRates, PointResult, VerificationResult

__all__ = ["evaluate_verification_gates"]


def evaluate_verification_gates(verification: VerificationResult, gates: Sequence[GateConfig]) -> Verdict:
    """Apply every verification gate to every operating point and attribute it names.

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
        if gate.regression is not None:
            raise ConfigError(f"gates[{index}] -> regression: verification gates compare with a threshold, not with a baseline audit.")
        metric, _, _ = gate.metric.partition("@")
        points = _points(gate, verification, index)
        for name in gate_scopes(gate, singles, crossed, index=index):
            feature = verification.feature(name)
            for point in points:
                outcome = _judge(gate, metric, feature.at(point), f"{name} at {point}")
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


def _judge(gate: GateConfig, metric: str, point: PointResult, scope: str) -> GateOutcome:
    if metric in point.summaries:
        summary = point.summaries[metric]
        if summary.usable:
            return _decide(gate, scope, [(None, summary, None)], [])
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
            candidates.append((group.group, estimate, None))
    return _decide(gate, scope, candidates, without)


def _group_estimate(metric: str, group: GroupRates) -> Estimate | None:
    rate = metric.removesuffix("_ratio")
    if rate not in VERIFICATION_RATES:
        return None
    estimate: Estimate | None = getattr(group, metric)
    return estimate
