"""Decide the verdict from the audit result and the configured gates: pass, fail or insufficient evidence.

No evidence is never a pass. A gate with no group that has enough data to judge is "insufficient
evidence" (unless it says ``insufficient: warn`` or ``fail``), and so is every fairness gate that would
pass on a model whose decisions are constant (it flagged nobody, or everybody): such a model gives no
evidence about who it wrongly flags. The CLI, the pytest plugin, ``ethicscheck.testing`` and the MLflow
evaluator all decide through :func:`evaluate_gates`, so they reach the same verdict.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace

from ethicscheck._verdict import EXIT_CODES, VERDICT_LABELS, GateOutcome, Outcome, Verdict, VerdictStatus
from ethicscheck._vocabulary import DETECTABLE_GATE_METRICS, PROBE_METRIC_TABLE, SCORE_METRICS, feature_summaries
from ethicscheck.config import GateConfig, gate_metric_kind, gate_metric_rate
from ethicscheck.errors import ConfigError
from ethicscheck.fairness import Estimate, FairnessResult, FeatureResult, GroupResult, worst_ratio
from ethicscheck.gates._baseline import BaselineView
from ethicscheck.gates._judge import decisive_value, regressed, violates
from ethicscheck.gates._privacy import PRIVACY_FIGURES, NoReading
from ethicscheck.privacy import PrivacyResult
from ethicscheck.probes import LexiconProbe, ProbeResult

# GateOutcome, Verdict and their labels are values of the result layer (an AuditResult holds its verdict);
# they are re-exported here, where the verdict is decided.
__all__ = [
    "EXIT_CODES",
    "VERDICT_LABELS",
    "GateOutcome",
    "Outcome",
    "Verdict",
    "VerdictStatus",
    "constant_decisions",
    "evaluate_gates",
    "worst_ratio",
]


def evaluate_gates(
    fairness: FairnessResult,
    gates: Sequence[GateConfig],
    *,
    privacy: PrivacyResult | None = None,
    probes: ProbeResult | None = None,
    baselines: Mapping[str, BaselineView] | None = None,
    decision_note: str | None = None,
    flagged: str = "flagged",
) -> Verdict:
    """Apply every gate to every scope it names.

    A group-level gate is decided by its worst group. Groups without enough evidence cannot fail it;
    a scope where no group has enough evidence is ``insufficient`` (``insufficient: warn`` makes it a
    warning, ``fail`` a failure), and with ``warn``/``fail`` any group without evidence does the same.
    When the model's decisions are constant (nobody or everybody flagged), no fairness gate passes:
    those that would are ``insufficient``, and the verdict names the cause.

    Parameters
    ----------
    fairness : FairnessResult
    gates : sequence of GateConfig
    privacy : PrivacyResult, optional
        Needed by privacy gates.
    probes : ProbeResult, optional
        Needed by term-swap probe gates (``swap.flip_rate``, ``swap.score_delta``, ``bpsn_auc``).
    baselines : mapping, optional
        Baseline audits by ``regression.baseline`` string, already loaded.
    decision_note : str, optional
        Why the decisions are what they are, when the caller knows (e.g. "the outputs 0 and 1 never
        equal the positive class 'suspicious'"); added to the constant-decisions reason.
    flagged : str
        The card's outcome word for a positive decision (``card.outcome.flagged``), used in the
        constant-decisions reason and messages.

    Raises
    ------
    ConfigError
        A gate names a scope the audit does not have, or a metric it did not compute.
    """
    degenerate = constant_decisions(fairness, note=decision_note, flagged=flagged)
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
        if kind == "probe":
            if gate.regression is not None:
                raise ConfigError(f"gates[{index}] -> regression: probe gates ({gate.metric}) take a threshold, not a baseline.")
            outcomes.append(_probe_outcome(gate, probes, index))
            continue
        for feature in _scope(gate, fairness, index):
            outcomes.append(_without_evidence(_feature_outcome(gate, kind, feature, baseline), degenerate, flagged))
    return Verdict(tuple(outcomes), decisions=degenerate)


def constant_decisions(fairness: FairnessResult, *, note: str | None = None, flagged: str = "flagged") -> str | None:
    """Why the decisions carry no evidence about groups (nobody or everybody flagged), or None.

    Examples
    --------
    "the model flagged none of the 2,000 rows" — every group's false-positive rate is 0, so every
    group looks alike, and the audit says nothing about whom the model would wrongly flag.
    """
    n, n_flagged = fairness.overall.n, fairness.overall.n_flagged
    if n == 0 or 0 < n_flagged < n:
        return None
    what = f"the model {flagged} none of the {n:,} rows" if n_flagged == 0 else f"the model {flagged} all {n:,} rows"
    return f"{what} ({note})" if note else what


def _without_evidence(outcome: GateOutcome, degenerate: str | None, flagged: str) -> GateOutcome:
    """A fairness gate that would pass on constant decisions cannot pass: the model told no groups apart."""
    if degenerate is None or outcome.status in ("fail", "insufficient"):
        return outcome
    status: Outcome = "insufficient" if outcome.severity == "error" else "warn"
    message = f"{outcome.feature}: insufficient evidence: {degenerate}, so {outcome.metric} cannot show who is wrongly {flagged}."
    return replace(outcome, status=status, message=message)


def _scope(gate: GateConfig, fairness: FairnessResult, index: int) -> list[FeatureResult]:
    singles = [f.name for f in fairness.features if not f.is_intersection]
    crossed = [f.name for f in fairness.features if f.is_intersection]
    return [fairness.feature(name) for name in gate_scopes(gate, singles, crossed, index=index)]


def gate_scopes(gate: GateConfig, features: Sequence[str], intersections: Sequence[str], *, index: int = 0) -> list[str]:
    """The scopes a gate is judged on, in verdict order: one outcome each (``privacy`` for privacy gates).

    Known before anything is scored, from the feature and intersection names, so the pytest plugin can
    name its test items at collection time and ``validate`` can check scopes.

    Raises
    ------
    ConfigError
        The scope names no audited feature or intersection.
    """
    if gate_metric_kind(gate.metric) == "privacy":
        return ["privacy"]
    if gate_metric_kind(gate.metric) == "probe":
        return [_probe_scope(gate)]
    if gate.scope == "*":
        return [*features, *intersections]
    if gate.scope == "features":
        return list(features)
    if gate.scope == "intersections":
        return list(intersections)
    names = [*features, *intersections]
    if gate.scope not in names:
        raise ConfigError(
            f"gates[{index}] -> scope: '{gate.scope}' is not an audited feature; known: {', '.join(names)}, or '*', 'features', "
            f"'intersections'."
        )
    return [gate.scope]


def _check_computed(gate: GateConfig, fairness: FairnessResult, index: int) -> None:
    rate = gate_metric_rate(gate.metric)
    if rate is None:
        return
    if rate in SCORE_METRICS:
        if not fairness.has_scores:
            raise ConfigError(f"gates[{index}] -> metric: '{gate.metric}' needs model scores, and this model gave decisions only.")
    elif rate not in fairness.metrics:
        raise ConfigError(f"gates[{index}] -> metric: '{gate.metric}' needs '{rate}' in fairness.metrics.")


def _feature_outcome(gate: GateConfig, kind: str, feature: FeatureResult, baseline: BaselineView | None) -> GateOutcome:
    candidates: list[tuple[str | None, Estimate, Estimate | None]] = []
    without: list[str] = []
    if gate.metric.endswith(_WORST_RATIO):
        return _worst_ratio_outcome(gate, feature, baseline)
    if kind == "detectable":
        return _detectable_outcome(gate, feature)
    if kind == "feature_summary":
        key = feature_summaries()[gate.metric]
        estimate = _summary(feature.disparities, key)
        if estimate is not None and estimate.usable:
            candidates.append((None, estimate, _summary(baseline.summaries(feature.name), key) if baseline else None))
        else:
            without.append(feature.name)
    else:
        for group in feature.groups:
            estimate = _group_estimate(gate.metric, kind, group)
            if estimate is None:  # e.g. the reference compared with itself
                continue
            if not estimate.usable or (gate.min_group_size is not None and _evidence(gate.metric, kind, group) < gate.min_group_size):
                without.append(group.group)
                continue
            base = baseline.group(feature.name, group.group, kind, gate.metric) if baseline else None
            candidates.append((group.group, estimate, base))
    return _decide(gate, feature.name, candidates, without)


_WORST_RATIO = "_max_ratio_to_reference"


def _summary(disparities: Mapping[str, Estimate], key: str) -> Estimate | None:
    """A feature summary as gates read it: ``<rate>_max_over_min`` is the reciprocal of ``<rate>_ratio``
    (min / max, fairlearn's ratio), interval ends swapped, so ``fpr_max_over_min <= 1.25`` and
    ``fpr_min_over_max >= 0.8`` always give the same outcome."""
    if not key.endswith("_max_over_min"):
        return disparities.get(key)
    ratio = disparities.get(key.removesuffix("_max_over_min") + "_ratio")
    if ratio is None or not ratio.usable or ratio.value is None or ratio.value == 0:
        return disparities.get(key)  # says why it is missing (or: the lowest rate is 0)
    low, high = ratio.ci_low, ratio.ci_high
    if low is None or high is None or low <= 0 or high <= 0:
        return replace(ratio, value=1.0 / ratio.value, ci_low=None, ci_high=None)
    return replace(ratio, value=1.0 / ratio.value, ci_low=1.0 / high, ci_high=1.0 / low)


def _worst_ratio_outcome(gate: GateConfig, feature: FeatureResult, baseline: BaselineView | None) -> GateOutcome:
    """A ``<rate>_max_ratio_to_reference`` gate: the groups that an ``<rate>_ratio`` gate would judge, as one."""
    rate = gate.metric.removesuffix(_WORST_RATIO)
    ratios, without = [], []
    for group in feature.groups:
        estimate = group.ratio.get(rate)
        if group.is_reference or estimate is None:
            continue
        if not estimate.usable or (
            gate.min_group_size is not None and _evidence(f"{rate}_ratio", "group_ratio", group) < gate.min_group_size
        ):
            without.append(group.group)
        else:
            ratios.append(estimate)
    if not ratios:
        return _decide(gate, feature.name, [], without)
    base = worst_ratio(baseline.group_ratios(feature.name, rate)) if baseline else None
    return _decide(gate, feature.name, [(None, worst_ratio(ratios), base)], without)


def _detectable_outcome(gate: GateConfig, feature: FeatureResult) -> GateOutcome:
    """An ``mdd.<rate>_ratio`` gate: every group's smallest detectable disparity must be within the limit.

    A group too small to be compared at all, or whose disparity no rate up to 1 would reveal, cannot
    show the disparity the policy cares about: it fails the gate (a thin audit must not pass by being
    thin). With no group compared (the reference itself too small), the evidence is insufficient.
    """
    rate = DETECTABLE_GATE_METRICS[gate.metric]
    candidates: list[tuple[str | None, Estimate, Estimate | None]] = []
    blind: list[str] = []
    for group in feature.groups:
        found = group.detectable.get(rate)
        if found is not None and found.usable:
            candidates.append((group.group, Estimate(found.ratio, method="minimum detectable disparity"), None))
        elif found is not None or rate in group.needed:
            blind.append(group.group)
    outcome = _decide(gate, feature.name, candidates, [])
    if not blind:
        return outcome
    status: Outcome = "fail" if gate.severity == "error" else "warn"
    blindness = f"{feature.name}: too few rows to show any {rate} disparity for {_listed(blind)}"
    message = f"{blindness}; {outcome.message}" if candidates else f"{blindness}."
    return replace(outcome, status=status, groups_over=(*outcome.groups_over, *blind), groups_without_data=(), message=message)


#: A judged group: its label (None: the whole scope), estimate, decisive value and baseline estimate.
_Judged = tuple[str | None, Estimate, float, Estimate | None]


def _decide(
    gate: GateConfig, scope: str, candidates: list[tuple[str | None, Estimate, Estimate | None]], without: list[str]
) -> GateOutcome:
    judged: list[_Judged] = []
    for label, estimate, base in candidates:
        if gate.regression is not None:
            if base is None:
                without.append(label or scope)
                continue
            worse, worsening = regressed(estimate, base, gate.comparator, gate.mode, gate.regression.margin)
            if worse is None or worsening is None:
                without.append(label or scope)
                continue
            judged.append((label, estimate, worsening, base))
        else:
            value = decisive_value(estimate, gate.comparator, gate.mode)
            if value is None:
                without.append(label or scope)
                continue
            judged.append((label, estimate, value, None))
    failing = [j for j in judged if _fails(gate, j[2])]
    if not judged:
        return _no_evidence(gate, scope, without, f"no group has enough data to judge {gate.metric} ({gate.mode})")
    lack = bool(without) and gate.insufficient in ("warn", "fail")
    label, estimate, decisive, base = _worst(gate, judged)
    bad = bool(failing) or (lack and gate.insufficient == "fail")
    status: Outcome = "pass"
    if bad:
        status = "fail" if gate.severity == "error" else "warn"
    elif lack:
        status = "warn"
    message = _message(gate, scope, label, estimate, decisive, base, failing, without, lack)
    return _outcome(gate, scope, status, (label, estimate, base), tuple(str(f[0] or scope) for f in failing), without, message)


def _no_evidence(gate: GateConfig, scope: str, without: Sequence[str], reason: str) -> GateOutcome:
    """Nothing in the scope could be judged: insufficient evidence, unless the gate says warn or fail."""
    status: Outcome
    if gate.insufficient == "fail":
        status = "fail" if gate.severity == "error" else "warn"
    elif gate.insufficient == "warn" or gate.severity == "warn":
        status = "warn"
    else:
        status = "insufficient"
    need = f", min_group_size {gate.min_group_size}" if gate.min_group_size else ""
    shown = f" (without enough data{need}: {_listed(without)})" if without else ""
    return _outcome(gate, scope, status, None, (), list(without), f"{scope}: insufficient evidence: {reason}{shown}.")


def _fails(gate: GateConfig, decisive: float) -> bool:
    if gate.regression is not None:
        return decisive > gate.regression.margin
    assert gate.threshold is not None  # GateConfig requires a threshold unless the gate is a regression gate
    return violates(decisive, gate.comparator, gate.threshold)


def _worst(gate: GateConfig, judged: list[_Judged]) -> _Judged:
    higher_is_worse = gate.regression is not None or gate.comparator in ("<=", "<")
    return max(judged, key=lambda j: j[2]) if higher_is_worse else min(judged, key=lambda j: j[2])


def _message(
    gate: GateConfig,
    scope: str,
    label: str | None,
    estimate: Estimate,
    decisive: float,
    base: Estimate | None,
    failing: list[_Judged],
    without: Sequence[str],
    lack: bool,
) -> str:
    parts = []
    if estimate.value is not None:
        who = f"group '{label}'" if label else scope
        ci = (
            f" (95% CI {estimate.ci_low:.3g}-{estimate.ci_high:.3g})"
            if estimate.ci_low is not None and estimate.ci_high is not None
            else ""
        )
        if gate.regression is not None and base is not None:
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
        shown = _listed(without)
        note = "not enough evidence" + (f" (min_group_size {gate.min_group_size})" if gate.min_group_size else "")
        parts.append(f"{note} for {shown}" + (f": {gate.insufficient}" if lack else ""))
    return "; ".join(parts) + "."


def _listed(names: Sequence[str]) -> str:
    return ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")


def _outcome(
    gate: GateConfig,
    scope: str,
    status: Outcome,
    picked: tuple[str | None, Estimate, Estimate | None] | None,
    over: Sequence[str],
    without: Sequence[str],
    message: str,
) -> GateOutcome:
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
        return _no_evidence(gate, "privacy", (), f"the scan did not run, so {gate.metric} is unknown")
    reading = PRIVACY_FIGURES[gate.metric](privacy)
    if isinstance(reading, NoReading):
        return _no_evidence(gate, "privacy", (), reading.reason)
    return _decide(gate, "privacy", [(reading.where, reading.estimate, None)], [])


def _probe_scope(gate: GateConfig) -> str:
    return "probes" if gate.scope == "*" else f"probes: {gate.scope}"


def _probe_outcome(gate: GateConfig, probes: ProbeResult | None, index: int) -> GateOutcome:
    """A term-swap probe gate: the worst term over the lexicons in scope (each term's own interval)."""
    scope = _probe_scope(gate)
    if probes is None:
        return _no_evidence(gate, scope, (), f"the probes did not run, so {gate.metric} is unknown")
    names = [lex.name for lex in probes.lexicons]
    if gate.scope not in ("*", *names):
        raise ConfigError(f"gates[{index}] -> scope: '{gate.scope}' is not a probed lexicon; known: {', '.join(names)}, or '*'.")
    source = PROBE_METRIC_TABLE[gate.metric].source
    candidates: list[tuple[str | None, Estimate, Estimate | None]] = []
    without: list[str] = []
    for lexicon in probes.lexicons:
        if gate.scope not in ("*", lexicon.name):
            continue
        for label, estimate, n in _probe_estimates(lexicon, source):
            name = f"{lexicon.name}: {label}"
            if estimate is None or not estimate.usable or (gate.min_group_size is not None and n < gate.min_group_size):
                without.append(name)
            else:
                candidates.append((name, estimate, None))
    if not candidates and not without:
        reason = "no text mentions a term of the probed lexicons" if source != "bpsn_auc" else (probes.auc_note or "no term is mentioned")
        return _no_evidence(gate, scope, (), reason)
    return _decide(gate, scope, candidates, without)


def _probe_estimates(lexicon: LexiconProbe, source: str) -> Iterator[tuple[str, Estimate | None, int]]:
    """(term label, estimate, texts behind it) for every term of a lexicon that the figure exists for."""
    if source == "bpsn_auc":
        for aucs in lexicon.identity_aucs:
            yield aucs.label, aucs.bpsn_auc, aucs.n_mentioning
        return
    for target in lexicon.targets:
        stats = target.negative
        if stats is not None:
            yield target.label, getattr(stats, source), stats.n_texts
