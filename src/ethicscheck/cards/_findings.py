"""Plain-language findings for readers who stop after the first paragraph."""

from __future__ import annotations

from dataclasses import dataclass

from ethicscheck.fairness import FeatureResult, GroupResult
from ethicscheck.result import AuditResult

__all__ = ["Finding", "findings", "overall_sentence", "percent", "interval"]

_MAX_FINDINGS = 12


@dataclass(frozen=True)
class Finding:
    """One sentence and the table (feature) it comes from."""

    text: str
    feature: str
    severity: str  # "disparity", "info"


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
    return " ".join(parts)


def findings(result: AuditResult, noun: str) -> list[Finding]:
    """Sentences for every group clearly wrongly flagged (FPR) or missed (FNR) more often than its reference.

    'Clearly' means the whole confidence interval of the ratio to the reference lies above 1. Groups
    with too little data are named as such rather than compared.
    """
    found: list[tuple[float, Finding]] = []
    notes: list[Finding] = []
    confidence = f"{round(100 * result.fairness.confidence_level)}%"
    for feature in result.fairness.features:
        for group in feature.groups:
            for key, verb in (("fpr", "wrongly flagged"), ("fnr", "missed")):
                sentence = _disparity_sentence(feature, group, key, verb, noun, confidence)
                if sentence:
                    found.append((sentence[0], Finding(sentence[1], feature.name, "disparity")))
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
    found.sort(key=lambda pair: -pair[0])
    out = [f for _, f in found[:_MAX_FINDINGS]]
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


def _disparity_sentence(
    feature: FeatureResult, group: GroupResult, key: str, verb: str, noun: str, confidence: str
) -> tuple[float, str] | None:
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
    return float(ratio.value), text  # type: ignore[arg-type]
