"""Plain-language findings for readers who stop after the first paragraph."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ethicscheck.fairness import FeatureResult, GroupResult
from ethicscheck.result import AuditResult

__all__ = ["Finding", "by_evidence", "findings", "overall_sentence", "percent", "interval"]

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


def overall_sentence(result: AuditResult, noun: str) -> str:
    """One sentence with the overall flag rate, FPR and FNR."""
    metrics = result.fairness.overall.metrics
    fpr, fnr = metrics["fpr"], metrics["fnr"]
    flagged = result.model.n_flagged / result.data.n_rows if result.data.n_rows else None
    parts = [f"Across all {result.data.n_rows:,} {noun}, the model flags {percent(flagged)}."]
    if fpr.value is not None:
        parts.append(
            f"{percent(fpr.value)} of {noun} that are not trafficking-related are wrongly flagged (false-positive rate, 95% CI {interval(fpr.ci_low, fpr.ci_high, as_percent=True)})."
        )
    if fnr.value is not None:
        parts.append(
            f"{percent(fnr.value)} of trafficking-related {noun} are missed (false-negative rate, 95% CI {interval(fnr.ci_low, fnr.ci_high, as_percent=True)})."
        )
    warning = result.model.warning(noun)
    if warning:
        parts.append(f"Warning: {warning}")
    return " ".join(parts)


def findings(result: AuditResult, noun: str) -> list[Finding]:
    """Sentences for every group clearly wrongly flagged (FPR) or missed (FNR) more often than its reference.

    'Clearly' means the whole confidence interval of the ratio to the reference lies above 1. Groups
    with too little data are named as such rather than compared.
    """
    found: list[Finding] = []
    notes: list[Finding] = []
    confidence = f"{round(100 * result.fairness.confidence_level)}%"
    for feature in result.fairness.features:
        for group in feature.groups:
            for key, verb in (("fpr", "wrongly flagged"), ("fnr", "missed")):
                finding = _disparity_finding(feature, group, key, verb, noun, confidence)
                if finding:
                    found.append(finding)
        thin = [g.group for g in feature.groups if g.metrics["fpr"].status != "ok"]
        if thin:
            shown = ", ".join(f"“{g}”" for g in thin[:8]) + (f" and {len(thin) - 8} more" if len(thin) > 8 else "")
            notes.append(
                Finding(
                    f"{feature.name}: too few {noun} to state a false-positive rate for {len(thin)} group(s): {shown}. They are left out of comparisons.",
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
                f"No group is clearly wrongly flagged or missed more often than its reference group (no {confidence} interval of the ratio lies above 1).",
                "",
                "info",
            )
        )
    return out + notes


def by_evidence(found: list[Finding]) -> list[Finding]:
    """Findings with the strongest evidence first (see :attr:`Finding.evidence`); ties: the larger group first.

    Never by the size of the ratio: a large ratio measured on a few rows is the least certain finding.
    """
    return sorted(found, key=lambda f: (-f.evidence, -(f.n or 0), f.text))


def _disparity_finding(feature: FeatureResult, group: GroupResult, key: str, verb: str, noun: str, confidence: str) -> Finding | None:
    ratio = group.ratio.get(key)
    if ratio is None or not ratio.usable or ratio.ci_low is None or ratio.ci_high is None:
        return None
    if ratio.ci_low <= 1:  # only groups that bear more harm than the reference are findings
        return None
    reference = feature.group(feature.reference)
    rate, ref_rate = group.metrics[key], reference.metrics[key]
    denominator = "not trafficking-related" if key == "fpr" else "trafficking-related"
    who = (
        f"{noun.capitalize()} with {feature.name} “{group.group}”"
        if not feature.is_intersection
        else f"{noun.capitalize()} in the group “{group.group}” ({feature.name})"
    )
    how = f"are {verb} {ratio.value:.1f} times as often as the reference group “{feature.reference}”"
    text = (
        f"{who} {how}: {percent(rate.value)} vs {percent(ref_rate.value)} "
        f"({confidence} CI of the ratio {interval(ratio.ci_low, ratio.ci_high)}; {rate.denominator:,} {noun} {denominator} in this group)."
    )
    return Finding(text, feature.name, "disparity", ratio_low=ratio.ci_low, ratio_high=ratio.ci_high, n=rate.denominator)
