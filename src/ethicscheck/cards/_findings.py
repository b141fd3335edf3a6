"""Plain-language findings for readers who stop after the first paragraph."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ethicscheck._vocabulary import COUNT_METRICS
from ethicscheck.config import OutcomeWords
from ethicscheck.fairness import FeatureResult, GroupResult
from ethicscheck.result import AuditResult

__all__ = [
    "Finding",
    "by_evidence",
    "detectable_sentences",
    "findings",
    "overall_sentence",
    "reference_sentence",
    "percent",
    "interval",
]

_MAX_FINDINGS = 12


@dataclass(frozen=True)
class Finding:
    """One sentence, the table (feature) it comes from, and the evidence behind it.

    ``ratio_low``/``ratio_high`` are the interval of the ratio the sentence states and ``n`` the
    group's denominator (the rows the rate is measured on); they decide the order of findings.
    """

    text: str
    feature: str
    severity: str  # "disparity", "info"
    ratio_low: float | None = None
    ratio_high: float | None = None
    n: int | None = None
    groups: tuple[str, ...] = ()  # the groups the sentence names: their rows stay in the card's tables

    @property
    def evidence(self) -> float:
        """How far the ratio's interval lies from parity, in units of its own width (log scale).

        ``log(low) / log(high / low)`` for an interval above 1 (the mirror image below 1): 0 when the
        interval touches 1, larger the further it lies from 1 relative to how wide it is. A large group
        with a tight interval well away from parity scores high; a small group with a wide interval
        scores low, whatever its ratio. It is, up to constants, the z-statistic of the log ratio's
        nearer end. Findings without an interval score 0.
        """
        low, high = self.ratio_low, self.ratio_high
        if low is None or high is None or not (0 < low < high) or math.isinf(high):
            return 0.0
        width = math.log(high / low)
        distance = math.log(low) if low > 1 else (-math.log(high) if high < 1 else 0.0)
        return max(distance, 0.0) / width


def percent(value: float | None, digits: int = 1) -> str:
    """``0.0234`` -> ``2.3%``; missing values read as 'n/a'."""
    return "n/a" if value is None else f"{100 * value:.{digits}f}%"


def interval(low: float | None, high: float | None, *, as_percent: bool = False) -> str:
    """``[low, high]`` as ``2.1-4.9``, or an empty string when the interval is unknown."""
    if low is None or high is None:
        return ""
    if as_percent:
        return f"{percent(low)}-{percent(high)}"
    return f"{low:.2f}-{high:.2f}"


def overall_sentence(result: AuditResult, noun: str, words: OutcomeWords | None = None) -> str:
    """One sentence with the overall flag rate, FPR and FNR."""
    words = words or OutcomeWords()
    metrics = result.fairness.overall.metrics
    fpr, fnr = metrics["fpr"], metrics["fnr"]
    flagged = result.model.n_flagged / result.data.n_rows if result.data.n_rows else None
    parts = [f"Across all {result.data.n_rows:,} {noun}, the model {_past(words.flagged)} {percent(flagged)}."]
    if fpr.value is not None:
        parts.append(
            f"{percent(fpr.value)} of {noun} that are {words.negative} are wrongly {words.flagged} (false-positive rate, 95% CI "
            f"{interval(fpr.ci_low, fpr.ci_high, as_percent=True)})."
        )
    if fnr.value is not None:
        parts.append(
            f"{percent(fnr.value)} of {words.positive} {noun} are {words.missed} (false-negative rate, 95% CI "
            f"{interval(fnr.ci_low, fnr.ci_high, as_percent=True)})."
        )
    warning = result.model.warning(noun, flagged=words.flagged)  # nobody or everybody flagged: the rates above mean nothing
    if warning:
        parts.append(f"Warning: {warning}")
    return " ".join(parts)


def _past(flagged: str) -> str:
    """'flagged' -> 'flags' for "the model flags 4.1%"; other wordings read "the model has flagged 4.1%"."""
    return "flags" if flagged == "flagged" else f"has {flagged}"


def findings(result: AuditResult, noun: str, words: OutcomeWords | None = None) -> list[Finding]:
    """Plain sentences about who is wrongly flagged (FPR) and who is missed (FNR) more often.

    Per feature, first whatever the reference: when its groups differ (every pair tested, Holm), the
    group affected most and the group affected least, with their rates and the interval of their ratio.
    Then relative to the reference: every group whose whole confidence interval of the ratio to the
    reference lies above 1, or below 1 (the reference is then the worse-off group). Groups with too
    little data are named as such rather than compared.
    """
    words = words or OutcomeWords()
    found: list[Finding] = []
    notes: list[Finding] = []
    confidence = f"{round(100 * result.fairness.confidence_level)}%"
    for feature in result.fairness.features:
        named: set[tuple[str, frozenset[str]]] = set()
        for key in ("fpr", "fnr"):
            spread = _spread_finding(feature, key, noun, words, confidence)
            if spread is not None:
                found.append(spread)
                test = feature.spread_tests[key]
                named.add((key, frozenset((test.highest, test.lowest))))
        for group in feature.groups:
            for key in ("fpr", "fnr"):
                if (key, frozenset((group.group, feature.reference))) in named:
                    continue  # the same two groups are already the feature's finding
                sentence = _disparity_sentence(feature, group, key, noun, words, confidence)
                if sentence:
                    found.append(sentence)
        thin = [g.group for g in feature.groups if g.metrics["fpr"].status != "ok"]
        if thin:
            shown = ", ".join(f"“{g}”" for g in thin[:8]) + (f" and {len(thin) - 8} more" if len(thin) > 8 else "")
            notes.append(
                Finding(
                    f"{feature.name}: too few {noun} to state a false-positive rate for {len(thin)} group(s): {shown}. They are left "
                    f"out of comparisons.",
                    feature.name,
                    "info",
                )
            )
    found = by_evidence(found)
    out = found[:_MAX_FINDINGS]
    if len(found) > _MAX_FINDINGS:
        out.append(Finding(f"{len(found) - _MAX_FINDINGS} further differences are listed in the tables below.", "", "info"))
    if not found:
        out.append(
            Finding(
                f"No group is clearly wrongly {words.flagged} or {words.missed} more or less often than another: no two groups "
                f"differ after allowing for comparing every pair, and no {confidence} interval of a ratio to the reference group "
                f"excludes 1. Under each table below: how large a difference this audit could have detected for each group.",
                "",
                "info",
            )
        )
    return out + notes


def detectable_sentences(feature: FeatureResult, noun: str, words: OutcomeWords | None = None) -> list[str]:
    """What each group's "no finding" is worth: the smallest disparity this audit could have detected.

    One sentence per group other than the reference: for a rate whose ratio to the reference has no
    finding (its interval includes 1), the smallest ratio the audit's own test detects with the stated
    power; for a group with too few rows to be compared, about how many it would need to detect the
    planning ratio. A rate with a finding is left out (the findings state it).
    """
    words = words or OutcomeWords()
    out = []
    for group in feature.groups:
        if group.is_reference:
            continue
        could = [part for key in ("fpr", "fnr") if (part := _could_detect(group, key)) is not None]
        who = _who(feature, group.group, noun)
        if could:
            power = next(d.power for d in group.detectable.values())
            out.append(f"For {who}, this audit could only have detected {_joined(could)} ({power:.0%} power).")
        out += [f"For {who}, {part}." for key in ("fpr", "fnr") if (part := _would_need(group, key, noun, words)) is not None]
    return out


def _rate_words(key: str) -> str:
    """'false-positive rate': the vocabulary's title, in a sentence."""
    return COUNT_METRICS[key].title.lower()


def _could_detect(group: GroupResult, key: str) -> str | None:
    found, ratio = group.detectable.get(key), group.ratio.get(key)
    if (
        found is None
        or ratio is None
        or (ratio.ci_low is not None and ratio.ci_high is not None and not ratio.ci_low <= 1 <= ratio.ci_high)
    ):
        return None  # not compared, or a finding
    if found.ratio is None:
        return f"no higher {_rate_words(key)} at all ({found.reason})"
    return f"a {_rate_words(key)} {_times(found.ratio)} the reference's or more"


def _would_need(group: GroupResult, key: str, noun: str, words: OutcomeWords) -> str | None:
    needed = group.needed.get(key)
    if needed is None:
        return None
    what = f"{noun} that are {words.negative}" if key == "fpr" else f"{words.positive} {noun}"
    have = group.metrics[key].denominator or 0
    head = f"too few to compare the {_rate_words(key)} ({have:,} {what})"
    if needed.n is None:
        return f"{head}; no number of them would detect a {needed.ratio:g}x difference ({needed.reason})"
    more = needed.reference_needed is not None and needed.reference_needed > needed.reference_n
    also = f", and as many in the reference group (it has {needed.reference_n:,})," if more else ""
    return f"{head}: this audit would need about {_about(needed.n)} {what} from this group{also} to detect a {needed.ratio:g}x difference"


def _times(ratio: float) -> str:
    """2.43 -> '2.4 times'; 1.374 -> '1.37 times' (two decimals near parity, where a tenth matters)."""
    return f"{ratio:.1f} times" if ratio >= 1.95 else f"{ratio:.2f} times"


def _about(n: int) -> str:
    """A planning figure rounded up to two significant digits: 3,732 -> '3,800'."""
    if n < 100:
        return str(n)
    step = 10 ** (len(str(n)) - 2)
    return f"{-(-n // step) * step:,}"


def _joined(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{parts[0]}, and {parts[1]}"


def by_evidence(found: list[Finding]) -> list[Finding]:
    """Findings with the strongest evidence first (see :attr:`Finding.evidence`); ties: the larger group first.

    Never by the size of the ratio: a large ratio measured on a few rows is the least certain finding.
    """
    return sorted(found, key=lambda f: (-f.evidence, -(f.n or 0), f.text))


def reference_sentence(feature: FeatureResult, words: OutcomeWords | None = None) -> str:
    """How the feature's reference group was chosen, in words: "“X”, the largest group"."""
    words = words or OutcomeWords()
    how = {
        "configured": "chosen in the audit's configuration",
        "largest": "the largest group (the default)",
        "lowest_fpr": f"the group wrongly {words.flagged} least often (`reference: lowest`)",
    }[feature.reference_rule]
    return f"“{feature.reference}”, {how}"


def _who(feature: FeatureResult, group: str, noun: str) -> str:
    if feature.is_intersection:
        return f"{noun} in the group “{group}” ({feature.name})"
    return f"{noun} with {feature.name} “{group}”"


def _spread_finding(feature: FeatureResult, key: str, noun: str, words: OutcomeWords, confidence: str) -> Finding | None:
    """The group affected most and the group affected least, when the feature's groups differ (Holm)."""
    test = feature.spread_tests.get(key)
    if test is None or not test.significant:
        return None
    high, low = feature.group(test.highest).metrics[key], feature.group(test.lowest).metrics[key]
    verb = f"wrongly {words.flagged}" if key == "fpr" else words.missed
    subject = _who(feature, test.highest, noun if key == "fpr" else f"{words.positive} {noun}")
    those = f"those in “{test.lowest}”" if feature.is_intersection else f"those with “{test.lowest}”"
    counted = f"{noun} that are {words.negative}" if key == "fpr" else f"{words.positive} {noun}"
    ratio = feature.disparities[f"{key}_max_over_min"]
    if ratio.usable and ratio.ci_low is not None and ratio.ci_high is not None:
        size = f"{ratio.value:.1f} times as often ({confidence} CI of the ratio {interval(ratio.ci_low, ratio.ci_high)}"
    else:  # the lowest rate is 0: no ratio exists, so the difference is stated
        gap = feature.disparities[f"{key}_difference"]
        size = f"{100 * (gap.value or 0):.1f} percentage points more ({confidence} CI {interval(gap.ci_low, gap.ci_high, as_percent=True)}"
    text = (
        f"{subject[0].upper()}{subject[1:]} are {verb} most often and {those} least often: {percent(high.value)} vs {percent(low.value)}, "
        f"{size}, allowing for comparing every pair of {feature.name} groups; {high.denominator:,} and {low.denominator:,} {counted} "
        f"in these groups)."
    )
    smaller = min(high.denominator or 0, low.denominator or 0)  # the evidence rests on the smaller of the two groups
    return Finding(
        text, feature.name, "disparity", ratio_low=ratio.ci_low, ratio_high=ratio.ci_high, n=smaller, groups=(test.highest, test.lowest)
    )


def _disparity_sentence(
    feature: FeatureResult, group: GroupResult, key: str, noun: str, words: OutcomeWords, confidence: str
) -> Finding | None:
    ratio = group.ratio.get(key)
    if ratio is None or not ratio.usable or ratio.ci_low is None or ratio.ci_high is None or ratio.value is None:
        return None
    if ratio.ci_low <= 1 <= ratio.ci_high:  # no clear difference from the reference in either direction
        return None
    reference = feature.group(feature.reference)
    rate, ref_rate = group.metrics[key], reference.metrics[key]
    verb = f"wrongly {words.flagged}" if key == "fpr" else words.missed
    subject = _who(feature, group.group, noun if key == "fpr" else f"{words.positive} {noun}")
    counted = f"{noun} that are {words.negative}" if key == "fpr" else f"{words.positive} {noun}"
    text = (
        f"{subject[0].upper()}{subject[1:]} are {verb} {ratio.value:.{1 if ratio.value >= 0.95 else 2}f} times as often as the "
        f"reference group “{feature.reference}”: "
        f"{percent(rate.value)} vs {percent(ref_rate.value)} "
        f"({confidence} CI of the ratio {interval(ratio.ci_low, ratio.ci_high)}; {rate.denominator:,} {counted} in this group)."
    )
    return Finding(
        text, feature.name, "disparity", ratio_low=ratio.ci_low, ratio_high=ratio.ci_high, n=rate.denominator, groups=(group.group,)
    )
