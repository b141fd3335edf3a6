"""Render the model card (Markdown and self-contained HTML) from an :class:`AuditResult`."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined
from markupsafe import Markup

from ethicscheck.cards._appendix import measurement_notes
from ethicscheck.cards._charts import Chart, forest_chart, pii_chart, rate_chart, threshold_chart
from ethicscheck.cards._findings import Finding, detectable_sentences, findings, interval, overall_sentence, percent, reference_sentence
from ethicscheck.cards._pdf import print_pdf
from ethicscheck.cards._probes import probe_view
from ethicscheck.cards._publish import publishable
from ethicscheck.cards._reasons import gate_reasons
from ethicscheck.cards._sections import section_view
from ethicscheck.config import CardConfig, OutcomeWords
from ethicscheck.fairness import METRICS, Estimate, FeatureResult
from ethicscheck.membership import NOT_RUN, MembershipRisk, written
from ethicscheck.result import AuditResult

__all__ = [
    "CARD_FORMATS",
    "CardFormat",
    "DrawnCharts",
    "card_files",
    "card_formats",
    "render_markdown",
    "render_html",
    "render_registry_summary",
    "render_run_description",
    "top_finding",
    "write_cards",
    "card_context",
]

NOT_PROVIDED = "not provided"


@dataclass(frozen=True)
class CardFormat:
    """A format the model card is written in: one Jinja template rendered from :func:`card_context`.

    Attributes
    ----------
    template : str
        The template's file name, ``model_card.<ext>.j2``; the card is written as ``model_card.<ext>``.
    autoescape : bool
        Escape every value for HTML (HTML-like formats). Otherwise the template escapes what users
        wrote with a filter of its format (``|md`` for Markdown).
    folder : Path, optional
        Where the template is, when it does not ship in ``ethicscheck/cards/templates`` (it can still
        include the shipped ones).
    """

    template: str
    autoescape: bool = False
    folder: Path | None = None

    @property
    def file(self) -> str:
        """The written file's name: the template's without ``.j2``."""
        return self.template.removesuffix(".j2")

    def render(self, context: dict[str, Any]) -> str:
        """The card in this format."""
        return _env("html" if self.autoescape else "text", self.folder).get_template(self.template).render(**context)


#: The template formats of the model card, by format name. An audit writes ``model_card.json`` and each of
#: these; ``ethicscheck card --format`` takes any of them, ``json`` and ``pdf`` (the printed HTML card).
CARD_FORMATS: dict[str, CardFormat] = {
    "md": CardFormat("model_card.md.j2"),
    "html": CardFormat("model_card.html.j2", autoescape=True),
}


def card_formats() -> tuple[str, ...]:
    """Every format a card can be written in: ``json``, the template formats, and ``pdf``."""
    return ("json", *CARD_FORMATS, "pdf")


def card_files() -> tuple[str, ...]:
    """The file names of the cards an audit writes (template formats and ``model_card.json``), in that order."""
    return (*(f.file for f in CARD_FORMATS.values()), "model_card.json")


class DrawnCharts:
    """Charts already drawn, by everything they show: drawing is most of a card's cost.

    An audit renders its card again after scanning its own files (the gate text changes, the data does
    not); with the same ``DrawnCharts`` no chart is drawn twice. A chart is reused only when every input
    of its drawing function is equal, so a changed result always gets a new chart.
    """

    def __init__(self) -> None:
        self._drawn: dict[str, Chart | None] = {}

    def get(self, draw: Callable[[], Chart | None], *inputs: Any) -> Chart | None:
        """The chart ``draw()`` returns for these ``inputs`` (JSON-serialisable), drawn once."""
        key = json.dumps(inputs, sort_keys=True, default=repr)
        if key not in self._drawn:
            self._drawn[key] = draw()
        return self._drawn[key]


def write_cards(
    result: AuditResult,
    card: CardConfig,
    folder: Path,
    *,
    formats: tuple[str, ...] | None = None,
    charts: DrawnCharts | None = None,
) -> list[Path]:
    """Write the card in ``formats`` and its SVG charts into ``folder``.

    ``formats`` names any of :func:`card_formats`: ``json``, the template formats of :data:`CARD_FORMATS`
    (``md``, ``html``, ...) and ``pdf``; None writes ``json`` and every template format, as an audit does.
    Every format shows the public view of the result (:func:`~ethicscheck.cards.publishable`): small
    groups suppressed, counts noised when ``card.dp_epsilon`` is set. ``pdf`` prints the HTML card with
    headless Chromium and raises :class:`~ethicscheck.errors.EthicsCheckError` when no Chromium is found.
    ``charts`` reuses charts drawn by an earlier call with the same data.

    Raises
    ------
    ValueError
        A format is not one of :func:`card_formats`.
    """
    from ethicscheck.cards._model_card import build_model_card

    formats = ("json", *CARD_FORMATS) if formats is None else formats
    unknown = [f for f in formats if f not in card_formats()]
    if unknown:
        raise ValueError(f"unknown card format(s) {', '.join(unknown)}; known: {', '.join(card_formats())}")
    context = card_context(result, card, charts=charts)
    written = []
    if "json" in formats:
        data = folder / "model_card.json"
        data.write_text(
            build_model_card(result, card, publication=context["publication"]).model_dump_json(indent=2) + "\n", encoding="utf-8"
        )
        written.append(data)
    rendered = [name for name in CARD_FORMATS if name in formats or (name == "html" and "pdf" in formats)]
    for name in rendered:
        path = folder / CARD_FORMATS[name].file
        path.write_text(CARD_FORMATS[name].render(context), encoding="utf-8")
        if name in formats:
            written.append(path)
    if "pdf" in formats:
        written.append(print_pdf(folder / CARD_FORMATS["html"].file, folder / "model_card.pdf"))
    for name, chart in context["chart_files"].items():
        (folder / name).write_text(chart.svg, encoding="utf-8")
        written.append(folder / name)
    return written


def render_registry_summary(result: AuditResult, *, run_id: str, limit: int = 4800) -> str:
    """A Markdown summary short enough for a registered model version's description (MLflow stores 5,000
    characters): verdict, overall rates, findings and gates, and where the full card is."""
    card = CardConfig.model_validate(result.run.config.get("card", {}))
    noun = card.item_noun
    result = publishable(result, card).result
    head = [
        f"**ethicscheck audit “{_md_escape(result.run.name)}”: {result.verdict.label}** ({result.run.finished_at})",
        "",
        _md_escape(overall_sentence(result, noun, card.outcome)),
        "",
    ]
    tail = ["", f"Full model card: artifacts `model_card.html` / `model_card.md` of MLflow run `{run_id}`."]
    gates = [f"- {o.status}: {_md_escape(o.gate)} [{_md_escape(o.feature)}]" for o in result.verdict.outcomes]
    lines = head + [f"- {_md_escape(f.text)}" for f in findings(result, noun, card.outcome)] + ["", "**Gates**", *gates] + tail
    while len("\n".join(lines)) > limit and len(lines) > len(head) + len(tail):
        lines.pop(len(head))  # drop findings first, then gates, until it fits
    return "\n".join(lines)[:limit]


def top_finding(result: AuditResult) -> Finding | None:
    """The card's first finding (strongest evidence first), from the public view; None when nothing differs.

    The run description, and the README's quote of the demo, show this sentence.
    """
    card = CardConfig.model_validate(result.run.config.get("card", {}))
    shown = publishable(result, card).result
    return next((f for f in findings(shown, card.item_noun, card.outcome) if f.severity == "disparity"), None)


def render_run_description(result: AuditResult, *, limit: int = 4800) -> str:
    """The MLflow run's description (its ``mlflow.note.content`` tag): the verdict, why, and the top finding.

    Built from the public view, like the card. MLflow shows it at the top of the run page, in Markdown.
    """
    card = CardConfig.model_validate(result.run.config.get("card", {}))
    noun = card.item_noun
    shown = publishable(result, card).result
    reasons = gate_reasons(shown, noun=noun, words=card.outcome)
    found = [f for f in [top_finding(result)] if f is not None]
    head = f"**ethicscheck audit “{_md_escape(shown.run.name)}”: {shown.verdict.label}.** {_md_escape(_verdict_summary(shown))}"
    top = f"**Top finding:** {_md_escape(found[0].text)}" if found else "**Top finding:** no group differs clearly from another."
    tail = "The full model card is in this run's artifacts: `model_card.html` and `model_card.md`."

    def compose(kept: list[str]) -> str:
        return "\n".join([head, "", *kept, *([""] if kept else []), top, "", tail])

    kept = [f"- {_md_escape(r.text)}" for r in reasons]
    while len(compose(kept)) > limit and kept:  # the verdict and the top finding always stay
        kept.pop()
    return compose(kept)[:limit]


def _file_slug(name: str) -> str:
    cleaned = "".join(ch if ch.isalnum() else "_" for ch in name.encode("ascii", "ignore").decode().lower()).strip("_")
    return cleaned[:40] or "feature"


def render_markdown(result: AuditResult, card: CardConfig) -> str:
    return CARD_FORMATS["md"].render(card_context(result, card))


def render_html(result: AuditResult, card: CardConfig) -> str:
    return CARD_FORMATS["html"].render(card_context(result, card))


def card_context(result: AuditResult, card: CardConfig, *, charts: DrawnCharts | None = None) -> dict[str, Any]:
    """Everything the templates show, already formatted as text, from the public view of ``result``.

    ``charts`` reuses charts drawn by an earlier call with the same data (see :class:`DrawnCharts`).
    """
    charts = charts or DrawnCharts()
    publication = publishable(result, card)
    shown = publication.result
    noun = card.item_noun
    confidence = f"{round(100 * shown.fairness.confidence_level)}%"
    threshold = shown.model.threshold if shown.model.has_score else None
    found = findings(shown, noun, card.outcome)
    named = {(f.feature, g) for f in found for g in f.groups}
    views = [section_view(f, named={g for name, g in named if name == f.name}) for f in shown.fairness.features]
    features = [
        {**_feature_view(v.feature, i, noun, confidence, card, threshold, charts), "left_out": v.note(noun, shown.fairness.min_group_size)}
        for i, v in enumerate(views)
    ]
    privacy = shown.privacy
    scanned = None if privacy is None else [c.to_dict() for c in privacy.columns]
    pii = charts.get(lambda: pii_chart(privacy, noun=noun), "pii", scanned, noun)
    chart_files = {c["file"]: c["chart"] for f in features for c in f["charts"]}
    if pii is not None:
        chart_files["chart_pii.svg"] = pii
    probes = probe_view(shown.probes, noun=noun, words=card.outcome, min_shown=card.min_published_group)
    for lexicon in probes["lexicons"] if probes else []:
        if lexicon.get("chart"):
            chart_files[lexicon["chart"]["file"]] = lexicon["chart"]["chart"]
    return {
        "title": card.model_name or shown.model.info.source,
        "noun": noun,
        "words": card.outcome,
        "ethics": _ethics(card),
        "run": shown.run,
        "verdict": shown.verdict,
        "verdict_status": shown.verdict.status,
        "verdict_summary": _verdict_summary(shown),
        "reasons": gate_reasons(shown, noun=noun, words=card.outcome),
        "checks": list(zip(shown.verdict.outcomes, gate_reasons(shown, noun=noun, words=card.outcome, every=True))),
        "methods": measurement_notes(shown),
        "verdict_words": {"pass": "passed", "fail": "failed", "insufficient": "insufficient evidence", "warn": "warning"},
        "overall": overall_sentence(shown, noun, card.outcome),
        "findings": found,
        "narrative": _narrative(card),
        "model": shown.model,
        "data": shown.data,
        "confidence": confidence,
        "fairness": shown.fairness,
        "features": features,
        "metric_definitions": [
            {"title": METRICS[k].title, "plain": METRICS[k].worded(**card.outcome.model_dump())} for k in shown.fairness.metrics
        ],
        "privacy": shown.privacy,
        "membership": _membership_view(shown.membership, noun),
        "probes": probes,
        "pii_chart": None if pii is None else {"file": "chart_pii.svg", "chart": pii, "svg": Markup(pii.inline("chart-pii"))},
        "publication": publication,
        "publication_notes": publication.notes(noun),
        "chart_files": chart_files,
        "percent": percent,
    }


def _membership_view(membership: MembershipRisk | None, noun: str) -> dict[str, Any] | None:
    """The membership-risk section in words and one table per sensitive feature (public view: small groups left out)."""
    if membership is None:
        return None

    features = [
        {
            "feature": risk.feature,
            "sentence": risk.sentence(noun),
            "rows": [
                {
                    "group": g.group,
                    "members": f"{g.figures.n_members:,}",
                    "nonmembers": f"{g.figures.n_nonmembers:,}",
                    "auc": written(g.figures.auc),
                    "excess": written(g.excess_auc, signed=True),
                }
                for g in risk.groups
            ],
        }
        for risk in membership.by_feature
    ]
    return {"overall": membership.sentence(noun), "features": features, "note": NOT_RUN}


def _ethics(card: CardConfig) -> str:
    """Why false positives matter, in the audit's own words (the anti-trafficking paragraph by default)."""
    words = card.outcome
    if words == OutcomeWords():
        return (
            "A false positive here means a person or an ad wrongly treated as trafficking-related: a migrant worker, a recruiter, "
            "an ad that merely mentions a nationality. Differences in false-positive rates between groups are the harm this card "
            "measures; false-negative rates show who is left unprotected."
        )
    return (
        f"A false positive here means {card.item_noun} that are {words.negative} wrongly {words.flagged}, and the people behind them "
        f"treated as {words.positive}. Differences in false-positive rates between groups are the harm this card measures; "
        f"false-negative rates show whose {words.positive} {card.item_noun} are {words.missed}."
    )


def _narrative(card: CardConfig) -> dict[str, Any]:
    return {
        "model_version": card.model_version or NOT_PROVIDED,
        "owners": ", ".join(card.owners) if card.owners else NOT_PROVIDED,
        "description": card.description or NOT_PROVIDED,
        "intended_use": card.intended_use or NOT_PROVIDED,
        "out_of_scope_uses": card.out_of_scope_uses or [NOT_PROVIDED],
        "training_data": card.training_data or NOT_PROVIDED,
        "evaluation_data": card.evaluation_data or NOT_PROVIDED,
        "limitations": card.limitations,
    }


def _verdict_summary(result: AuditResult) -> str:
    """'1 of 2 checks failed.' — the line under the verdict."""
    outcomes = result.verdict.outcomes
    if not outcomes:
        return "No checks were configured, so this card reports measurements without a verdict."
    total = len(outcomes)
    counts = {s: sum(1 for o in outcomes if o.status == s) for s in ("fail", "insufficient", "warn")}
    parts = []
    if counts["fail"]:
        parts.append(f"{counts['fail']} of {total} checks failed")
    if counts["insufficient"]:
        parts.append(f"{counts['insufficient']} of {total} could not be judged for lack of evidence")
    if counts["warn"]:
        parts.append(f"{counts['warn']} warned")
    if not parts:
        return f"All {total} checks passed." if total > 1 else "The one check passed."
    return "; ".join(parts).capitalize() + "."


def _feature_view(
    feature: FeatureResult, index: int, noun: str, confidence: str, card: CardConfig, threshold: float | None, charts: DrawnCharts
) -> dict[str, Any]:
    rows = []
    for g in feature.groups:
        rows.append(
            {
                "group": g.group,
                "is_reference": g.is_reference,
                "n": f"{g.n:,}",
                "n_negative": f"{g.n_negative:,}",
                "n_positive": f"{g.n_positive:,}",
                "fpr": _rate(g.metrics["fpr"]),
                "fnr": _rate(g.metrics["fnr"]),
                "selection_rate": _rate(g.metrics.get("selection_rate")),
                "precision": _rate(g.metrics.get("precision")),
                "fpr_ratio": "reference" if g.is_reference else _ratio(g.ratio.get("fpr")),
                "fnr_ratio": "reference" if g.is_reference else _ratio(g.ratio.get("fnr")),
            }
        )
    disparities = [
        {"name": name, "value": _ratio(est)}
        for name, est in feature.disparities.items()
        if name.startswith(("fpr_", "fnr_", "equalized", "demographic"))
    ]
    return {
        "name": feature.name,
        "anchor": f"feature-{index}",
        "reference": feature.reference,
        "reference_how": reference_sentence(feature, card.outcome),
        "is_intersection": feature.is_intersection,
        "rows": rows,
        "detectable": detectable_sentences(feature, noun, card.outcome),
        "disparities": disparities,
        "charts": _feature_charts(feature, index, noun, confidence, card.parity_band, threshold, card.outcome, charts),
    }


def _feature_charts(
    feature: FeatureResult,
    index: int,
    noun: str,
    confidence: str,
    band: tuple[float, float],
    threshold: float | None,
    words: OutcomeWords,
    charts: DrawnCharts,
) -> list[dict[str, Any]]:
    """The feature's charts with their file names and inline SVG (labels escaped by matplotlib)."""
    shown = (json.dumps(feature.to_dict(), sort_keys=True, default=repr), words.model_dump())
    drawn = [
        charts.get(lambda: rate_chart(feature, noun=noun, confidence=confidence, words=words), "rates", *shown, noun, confidence),
        charts.get(lambda: forest_chart(feature, band=band, confidence=confidence, words=words), "forest", *shown, band, confidence),
        charts.get(
            lambda: threshold_chart(feature, noun=noun, decision_threshold=threshold, words=words), "thresholds", *shown, noun, threshold
        ),
    ]
    out = []
    for chart in drawn:
        if chart is None:
            continue
        prefix = f"chart-{index}-{chart.key}"
        out.append(
            {
                "file": f"chart_{index:02d}_{chart.key}_{_file_slug(feature.name)}.svg",
                "chart": chart,
                "svg": Markup(chart.inline(prefix)),
                "id": prefix,
            }
        )
    return out


def _rate(estimate: Estimate | None) -> str:
    if estimate is None:
        return "—"
    if estimate.status == "undefined":
        return "undefined"
    text = percent(estimate.value)
    ci = interval(estimate.ci_low, estimate.ci_high, as_percent=True)
    text = f"{text} ({ci})" if ci else text
    return text + (" — insufficient data" if estimate.status == "insufficient_data" else "")


def _ratio(estimate: Estimate | None) -> str:
    if estimate is None:
        return "—"
    if estimate.value is None:
        return "insufficient data" if estimate.status == "insufficient_data" else "undefined"
    ci = interval(estimate.ci_low, estimate.ci_high)
    return f"{estimate.value:.2f}" + (f" ({ci})" if ci else "")


def _md_escape(value: Any) -> str:
    """Text safe inside a Markdown table cell: no HTML, no cell breaks."""
    text = str(value)
    for raw, safe in (
        ("&", "&amp;"),
        ("<", "&lt;"),
        (">", "&gt;"),
        ("|", "\\|"),
        ("\n", " "),
        ("`", "\\`"),
        ("*", "\\*"),
        ("_", "\\_"),
        ("[", "\\["),
        ("]", "\\]"),
    ):
        text = text.replace(raw, safe)
    return text


def _env(kind: str, folder: Path | None = None) -> Environment:
    """The template environment of a card format: ``kind`` "html" escapes every value for HTML."""
    shipped = PackageLoader("ethicscheck.cards", "templates")
    env = Environment(
        loader=shipped if folder is None else ChoiceLoader([FileSystemLoader(folder), shipped]),
        autoescape=kind == "html",
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = _md_escape
    return env
