"""The model card of a face-matching (verification) audit: plain-word findings, rates by group, summaries, charts.

It shares the classification card's header (model, owners, intended use, limitations), its verdict
section and its escaping; what differs is the statistics section. Groups with fewer subjects than
``card.min_published_group`` are left out of everything the card publishes (audit.json keeps them).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markupsafe import Markup

from ethicscheck._vocabulary import VERIFICATION_JOINT_SUMMARIES, VERIFICATION_RATE_SUMMARIES, VERIFICATION_RATES
from ethicscheck.cards._charts import Chart
from ethicscheck.cards._findings import interval, percent
from ethicscheck.cards._pdf import print_pdf
from ethicscheck.cards._publish import _verdict_without
from ethicscheck.cards._render import _env, _narrative
from ethicscheck.cards._verification_charts import cross_group_chart, det_chart
from ethicscheck.cards._verification_model_card import build_verification_model_card, published_groups
from ethicscheck.config import CardConfig, VerificationConfig
from ethicscheck.fairness import Estimate
from ethicscheck.result import VerificationAuditResult
from ethicscheck.verification import GroupRates, OperatingPoint, PointResult, VerificationFeature

__all__ = ["headline_sentences", "verification_card_context", "write_verification_cards"]

_HEADLINE_TARGET = 1e-4  # NIST's usual operating point; the card leads with the audited point closest to it


def write_verification_cards(
    result: VerificationAuditResult,
    card: CardConfig,
    settings: VerificationConfig,
    folder: Path,
    *,
    formats: tuple[str, ...] = ("json", "md", "html"),
) -> list[Path]:
    """Write the card of a verification audit in ``formats`` (``json``, ``md``, ``html``, ``pdf``) and its SVG charts.

    ``pdf`` prints the HTML card with headless Chromium and raises :class:`~ethicscheck.errors.EthicsCheckError` when
    no Chromium is found.
    """
    context = verification_card_context(result, card, settings)
    written = []
    if "json" in formats:
        data = folder / "model_card.json"
        data.write_text(build_verification_model_card(result, card).model_dump_json(indent=2) + "\n", encoding="utf-8")
        written.append(data)
    for kind in ("md", "html"):
        if kind in formats or (kind == "html" and "pdf" in formats):
            path = folder / f"model_card.{kind}"
            path.write_text(_env(kind).get_template(f"verification_card.{kind}.j2").render(**context), encoding="utf-8")
            if kind in formats:
                written.append(path)
    if "pdf" in formats:
        written.append(print_pdf(folder / "model_card.html", folder / "model_card.pdf"))
    for name, chart in context["chart_files"].items():
        (folder / name).write_text(chart.svg, encoding="utf-8")
        written.append(folder / name)
    return written


def verification_card_context(result: VerificationAuditResult, card: CardConfig, settings: VerificationConfig) -> dict[str, Any]:
    """Everything the verification templates show, formatted as text."""
    verification = result.verification
    headline = _headline(verification.points)
    confidence = f"{round(100 * verification.settings.confidence_level)}%"
    features, charts = [], {}
    all_hidden: set[str] = set()
    for i, feature in enumerate(verification.features):
        shown, hidden = published_groups({g.group: g.n_subjects for g in feature.points[0].groups} if feature.points else {}, card)
        all_hidden.update(hidden)
        view = _feature_view(feature, shown, hidden, verification.points, confidence)
        if headline is not None and len(shown) >= 2:
            key = f"chart_{i:02d}_cross_group.svg"
            chart = cross_group_chart(feature.at(headline.key), shown, feature=feature.name, key=key, where=_where(headline))
            view["charts"].append(_chart_view(key, chart))
            charts[key] = chart
        if feature.det and len(shown) >= 1:
            key = f"chart_{i:02d}_det.svg"
            chart = det_chart(feature.det, shown, feature=feature.name, key=key, targets=list(verification.settings.targets))
            view["charts"].append(_chart_view(key, chart))
            charts[key] = chart
        features.append(view)
    verdict = _verdict_without(result.verdict, all_hidden, card.min_published_group, withhold_values=False)
    passed = sum(o.status == "pass" for o in verdict.outcomes)
    return {
        "title": card.model_name or "face-matching system",
        "run": result.run,
        "data": result.data,
        "verdict": verdict,
        "verdict_summary": f"{passed} of {len(verdict.outcomes)} checks passed." if verdict.outcomes else "No checks configured.",
        "narrative": _narrative(card),
        "headline": [] if headline is None else headline_sentences(result, card, settings, headline),
        "points": [_point_view(p) for p in verification.points],
        "features": features,
        "confidence": confidence,
        "settings": verification.settings,
        "rates": VERIFICATION_RATES,
        "summary_definitions": {**VERIFICATION_RATE_SUMMARIES, **VERIFICATION_JOINT_SUMMARIES},
        "chart_files": charts,
    }


def headline_sentences(result: VerificationAuditResult, card: CardConfig, settings: VerificationConfig, point: OperatingPoint) -> list[str]:
    """Per attribute: how much more often the worst group is falsely matched than the best, and the same for misses."""
    sentences: list[str] = []
    for feature in result.verification.features:
        at = feature.at(point.key)
        groups = [g for g in at.groups if g.n_subjects >= card.min_published_group]
        sentences.extend(s for s in (_fmr_sentence(groups, settings, point), _fnmr_sentence(groups, settings)) if s)
    return sentences


def _fmr_sentence(groups: list[GroupRates], settings: VerificationConfig, point: OperatingPoint) -> str | None:
    usable = [g for g in groups if g.fmr.usable]
    if len(usable) < 2:
        return None
    high = max(usable, key=lambda g: g.fmr.value or 0.0)
    low = min(usable, key=lambda g: g.fmr.value or 0.0)
    if high.fmr.value == low.fmr.value:
        return f"Comparisons of two different people are wrongly declared a match equally often in every group, {_where(point)}."
    if not low.fmr.value:
        bound = percent(low.fmr.ci_high, 3) if low.fmr.ci_high is not None else "n/a"
        return (
            f"Comparisons of two different {_noun(high, settings)} are wrongly declared a match in {percent(high.fmr.value, 3)} of cases; "
            f"no comparison of two different {_noun(low, settings)} was (at most {bound} with {round(100 * settings_level(point))}% "
            f"confidence), {_where(point)}."
        )
    ratio = (high.fmr.value or 0.0) / low.fmr.value
    return (
        f"Comparisons of two different {_noun(high, settings)} are wrongly declared a match {ratio:.1f} times as often as of two "
        f"different {_noun(low, settings)}, {_where(point)}."
    )


def settings_level(point: OperatingPoint) -> float:
    """The confidence level of the Clopper-Pearson bound quoted in sentences (the audit's)."""
    return 0.95


def _fnmr_sentence(groups: list[GroupRates], settings: VerificationConfig) -> str | None:
    usable = [g for g in groups if g.fnmr.usable]
    if len(usable) < 2:
        return None
    high = max(usable, key=lambda g: g.fnmr.value or 0.0)
    low = min(usable, key=lambda g: g.fnmr.value or 0.0)
    return (
        f"Two photos of the same person are wrongly declared no match in {percent(high.fnmr.value)} of comparisons of "
        f"{_noun(high, settings)}, against {percent(low.fnmr.value)} for {_noun(low, settings)}."
    )


def _noun(group: GroupRates, settings: VerificationConfig) -> str:
    return settings.group_nouns.get(group.group) or f"people in the group “{group.group}”"


def _where(point: OperatingPoint) -> str:
    if point.kind == "target_fmr" and point.target_fmr:
        return f"at the threshold where 1 in {round(1 / point.target_fmr):,} impostor comparisons match overall"
    if point.kind == "fixed":
        reached = f" (where {percent(point.fmr, 4)} of impostor comparisons match overall)" if point.fmr is not None else ""
        return f"at the fixed threshold {point.threshold:g}{reached}"
    return "at the system's own match decisions"


def _headline(points: tuple[OperatingPoint, ...]) -> OperatingPoint | None:
    targeted = [p for p in points if p.target_fmr]
    if targeted:
        return min(targeted, key=lambda p: abs(_log(p.target_fmr) - _log(_HEADLINE_TARGET)))
    return points[0] if points else None


def _log(value: float | None) -> float:
    import math

    return math.log10(value) if value else 0.0


def _point_view(point: OperatingPoint) -> dict[str, Any]:
    return {
        "key": point.key,
        "where": _where(point),
        "threshold": "—" if point.threshold is None else f"{point.threshold:.6g}",
        "fmr": f"{point.false_matches:,} of {point.impostor_pairs:,} ({percent(point.fmr, 4)})",
        "fnmr": f"{point.false_non_matches:,} of {point.genuine_pairs:,} ({percent(point.fnmr)})",
    }


def _feature_view(
    feature: VerificationFeature, shown: list[str], hidden: list[str], points: tuple[OperatingPoint, ...], confidence: str
) -> dict[str, Any]:
    return {
        "name": feature.name,
        "hidden": hidden,
        "points": [_at_view(feature.at(p.key), shown, p) for p in points],
        "charts": [],
    }


def _at_view(at: PointResult, shown: list[str], point: OperatingPoint) -> dict[str, Any]:
    rows = [
        {
            "group": g.group,
            "subjects": f"{g.n_subjects:,}",
            "fmr": _rate(g.fmr),
            "fmr_ratio": "reference" if g.group == at.reference else _ratio(g.fmr_ratio),
            "fnmr": _rate(g.fnmr),
            "fnmr_ratio": "reference" if g.group == at.reference else _ratio(g.fnmr_ratio),
        }
        for g in at.groups
        if g.group in shown
    ]
    summaries = [{"key": k, "value": _ratio(v) if v.value is not None else v.reason or "undefined"} for k, v in at.summaries.items()]
    return {"key": at.point, "where": _where(point), "reference": at.reference, "rows": rows, "summaries": summaries}


def _rate(estimate: Estimate) -> str:
    if estimate.value is None:
        return "undefined"
    text = percent(estimate.value, 4)
    ci = interval(estimate.ci_low, estimate.ci_high, as_percent=True)
    text = f"{text} ({ci})" if ci else text
    return f"{text} ({estimate.numerator:,}/{estimate.denominator:,})" + (
        " — insufficient data" if estimate.status == "insufficient_data" else ""
    )


def _ratio(estimate: Estimate | None) -> str:
    if estimate is None or estimate.value is None:
        return "undefined" if estimate is None else (estimate.reason or "undefined")
    low = "" if estimate.ci_low is None else f"{estimate.ci_low:.3g}"
    high = "unbounded" if estimate.ci_high is None else f"{estimate.ci_high:.3g}"
    ci = f" ({low}-{high})" if estimate.ci_low is not None else ""
    return f"{estimate.value:.3g}{ci}" + (" — insufficient data" if estimate.status == "insufficient_data" else "")


def _chart_view(key: str, chart: Chart) -> dict[str, Any]:
    return {"file": key, "title": chart.title, "description": chart.description, "svg": Markup(chart.inline(key.removesuffix(".svg")))}
