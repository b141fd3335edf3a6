"""Why the verdict is what it is: one plain sentence per gate that failed or could not be judged.

The card opens with these sentences, so a board member who reads nothing else knows what went wrong.
They are written from the gate outcome's fields (metric, group, value, interval, limit, mode), not from
its technical ``message``, which stays in the card's gate table, JUnit and the console.
"""

from __future__ import annotations

from dataclasses import dataclass

from ethicscheck._vocabulary import PRIVACY_METRIC_TABLE, SCORE_METRICS
from ethicscheck.config import OutcomeWords, gate_metric_kind, gate_metric_rate
from ethicscheck.fairness import METRICS
from ethicscheck.gates import GateOutcome
from ethicscheck.result import AuditResult

__all__ = ["GateReason", "gate_reasons"]

#: What a reader is told a gate's outcome was.
_SAID = {"pass": "passed", "fail": "failed", "insufficient": "could not be judged", "warn": "gave a warning"}


@dataclass(frozen=True)
class GateReason:
    """One gate's outcome on one scope, said in a sentence.

    ``text`` names the gate and says what happened and why; ``detail`` is the why alone, for a table
    whose other columns name the gate and its result.
    """

    gate: str
    scope: str
    status: str  # "pass", "fail", "insufficient", "warn"
    text: str
    detail: str


def gate_reasons(result: AuditResult, *, noun: str, words: OutcomeWords | None = None, every: bool = False) -> list[GateReason]:
    """One sentence per gate outcome that failed, could not be judged, or warned; failures first.

    With ``every``, passed outcomes too, in the verdict's order (for the card's table of all checks).
    ``result`` should be the public view (:func:`~ethicscheck.cards.publishable`): suppressed groups are
    then already unnamed and, under differential privacy, values already withheld.
    """
    confidence = f"{round(100 * result.fairness.confidence_level)}%"
    references = {f.name: f.reference for f in result.fairness.features}
    reasons = []
    for outcome in result.verdict.outcomes:
        if outcome.status == "pass" and not every:
            continue
        reference = references.get(outcome.feature)
        detail = _detail(
            outcome,
            noun=noun,
            words=words or OutcomeWords(),
            confidence=confidence,
            reference=reference,
            decisions=result.verdict.decisions,
        )
        head = f"“{outcome.gate}” {_SAID.get(outcome.status, outcome.status)}"
        text = (
            f"{head} for {outcome.feature}; {detail}"
            if outcome.value is None and detail.startswith("the measured")
            else f"{head}: {detail}"
        )
        reasons.append(GateReason(outcome.gate, outcome.feature, outcome.status, text, detail[:1].upper() + detail[1:]))
    if every:
        return reasons
    order = {"fail": 0, "insufficient": 1, "warn": 2}
    return sorted(reasons, key=lambda r: order.get(r.status, 3))


def _detail(outcome: GateOutcome, *, noun: str, words: OutcomeWords, confidence: str, reference: str | None, decisions: str | None) -> str:
    if _kind(outcome.metric) == "detectable" and outcome.value is None and outcome.groups_over:
        where = f"{_shown(outcome.groups_over)} ({outcome.feature})"
        return f"too few {noun} in {where} to show any difference in {_metric_words(outcome.metric)}."
    if outcome.status == "insufficient" or (outcome.value is None and (outcome.groups_without_data or decisions)):
        return _why_no_evidence(outcome, noun=noun, words=words, decisions=decisions)
    if outcome.value is None:  # the public view withholds measured values when its counts are differentially private
        return "the measured values are withheld from this card because its counts are differentially private."
    what = _measured(outcome, noun=noun, words=words, reference=reference)
    ci = (
        f" ({confidence} confidence interval {_number(outcome, outcome.ci_low)} to {_number(outcome, outcome.ci_high)})"
        if outcome.ci_low is not None and outcome.ci_high is not None
        else ""
    )
    return f"{what}{ci}{_against_limit(outcome)}."


def _measured(outcome: GateOutcome, *, noun: str, words: OutcomeWords, reference: str | None) -> str:
    """The measured quantity as a clause: who, what, how much."""
    verbs = {"fpr": f"wrongly {words.flagged}", "fnr": words.missed}
    if outcome.baseline_value is not None:
        return (
            f"{_metric_words(outcome.metric)} is {_number(outcome, outcome.value)} against "
            f"{_number(outcome, outcome.baseline_value)} in the baseline audit"
        )
    kind = _kind(outcome.metric)
    rate = gate_metric_rate(outcome.metric)
    who = f"{noun} in the group “{outcome.group}” ({outcome.feature})" if outcome.group else f"{noun} ({outcome.feature})"
    value = _number(outcome, outcome.value)
    if kind == "group_ratio" and rate is not None:
        than = f"the reference group “{reference}”" if reference else "the reference group"
        if rate in verbs:
            return f"{who} are {verbs[rate]} {value} times as often as {than}"
        return f"{who} have a {METRICS[rate].title.lower()} {value} times that of {than}"
    if kind == "group_difference" and rate is not None:
        return f"{who} have a {METRICS[rate].title.lower()} {value} above that of the reference group (a difference in share)"
    if kind == "group_rate" and rate in verbs:
        negatives = words.negative if rate == "fpr" else words.positive
        return f"{value} of {who} that are {negatives} are {verbs[rate]}"
    if kind == "group_rate":
        return f"{who} have a {_metric_words(outcome.metric)} of {value}"
    if kind == "privacy":
        return f"{_metric_words(outcome.metric)} is {value}"
    if kind == "detectable" and rate is not None:
        return f"for {who}, this audit could only have detected a {METRICS[rate].title.lower()} {value} times the reference's or more"
    return f"for {outcome.feature}, the {_metric_words(outcome.metric)} is {value}"


def _against_limit(outcome: GateOutcome) -> str:
    """How the reading relates to the limit, in the gate's mode ('even the low end of the interval ...')."""
    if outcome.baseline_value is not None or outcome.threshold is None:
        return ""
    limit = _number(outcome, outcome.threshold)
    lower_is_better = outcome.comparator in ("<=", "<")
    failed = outcome.status == "fail" or (outcome.status == "warn" and bool(outcome.groups_over))
    side = ("above" if lower_is_better else "below") if failed else "within"
    if outcome.mode == "point" or outcome.ci_low is None or outcome.ci_high is None:
        return f", {side} the limit of {limit}"
    if outcome.mode == "confident":
        end, value = ("low", outcome.ci_low) if lower_is_better else ("high", outcome.ci_high)
        return f"; {'even ' if failed else ''}the {end} end of that interval, {_number(outcome, value)}, is {side} the limit of {limit}"
    end, value = ("high", outcome.ci_high) if lower_is_better else ("low", outcome.ci_low)
    return (
        f"; the {end} end of that interval, {_number(outcome, value)}, is {side} the limit of {limit} (this gate counts any doubt "
        f"against the model)"
    )


def _why_no_evidence(outcome: GateOutcome, *, noun: str, words: OutcomeWords, decisions: str | None) -> str:
    if decisions:
        return f"{decisions}, so the audit cannot show who is wrongly {words.flagged} ({outcome.feature})."
    groups = outcome.groups_without_data
    if groups:
        return f"too few {noun} in {_shown(groups)} ({outcome.feature}) to measure {_metric_words(outcome.metric)} reliably."
    return f"there were not enough {noun} in {outcome.feature} to measure {_metric_words(outcome.metric)} reliably."


def _shown(groups: tuple[str, ...]) -> str:
    return ", ".join(f"“{g}”" for g in groups[:4]) + (f" and {len(groups) - 4} more" if len(groups) > 4 else "")


def _kind(metric: str) -> str:
    try:
        return gate_metric_kind(metric)
    except ValueError:
        return "unknown"


def _metric_words(metric: str) -> str:
    """'fpr_ratio' -> 'false-positive rate ratio'; names without a plain title stay as they are."""
    rate = gate_metric_rate(metric) if _kind(metric) != "unknown" else None
    if rate is None or rate not in METRICS:
        privacy = PRIVACY_METRIC_TABLE.get(metric)
        return privacy.plain if privacy is not None else metric.replace("_", " ")
    title = METRICS[rate].title.lower()
    if _kind(metric) == "detectable":
        return f"the {title} (the smallest ratio to the reference this audit could detect)"
    suffix = metric.removeprefix(rate).lstrip("_").replace("_", " ")
    return f"{title} {suffix}".strip() if suffix else title


def _number(outcome: GateOutcome, value: float | None) -> str:
    """Rates and shares as percentages, ratios as 2 decimals, counts as integers."""
    if value is None:
        return "n/a"
    kind = _kind(outcome.metric)
    if outcome.metric in PRIVACY_METRIC_TABLE and PRIVACY_METRIC_TABLE[outcome.metric].unit == "count":
        return f"{value:,.0f}"
    if kind == "group_ratio" or outcome.metric.endswith(("_ratio", "_over_min", "_over_max", "_to_reference")):
        return f"{value:.2f}"
    if kind in ("group_rate", "privacy") and outcome.metric not in SCORE_METRICS:
        return f"{100 * value:.1f}%"
    if kind == "group_difference" or outcome.metric.endswith(("_spread", "_difference")):
        return f"{100 * value:.1f} percentage points"
    return f"{value:.3g}"
