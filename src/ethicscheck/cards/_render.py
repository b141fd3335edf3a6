"""Render the model card (Markdown and self-contained HTML) from an :class:`AuditResult`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ethicscheck.cards._charts import rate_chart_svg
from ethicscheck.cards._findings import findings, interval, overall_sentence, percent
from ethicscheck.config import CardConfig
from ethicscheck.fairness import METRICS, Estimate, FeatureResult
from ethicscheck.result import AuditResult

__all__ = ["render_markdown", "render_html", "render_registry_summary", "write_cards", "card_context"]

NOT_PROVIDED = "not provided"


def write_cards(result: AuditResult, card: CardConfig, folder: Path, *, formats: tuple[str, ...] = ("json", "md", "html")) -> list[Path]:
    """Write ``model_card.json``/``.md``/``.html`` (those in ``formats``) and one SVG chart per feature into ``folder``."""
    from ethicscheck.cards._model_card import build_model_card

    context = card_context(result, card)
    written = []
    if "json" in formats:
        data = folder / "model_card.json"
        data.write_text(build_model_card(result, card).model_dump_json(indent=2) + "\n", encoding="utf-8")
        written.append(data)
    if "md" in formats:
        written.append(folder / "model_card.md")
        written[-1].write_text(_env("md").get_template("model_card.md.j2").render(**context), encoding="utf-8")
    if "html" in formats:
        written.append(folder / "model_card.html")
        written[-1].write_text(_env("html").get_template("model_card.html.j2").render(**context), encoding="utf-8")
    charts = []
    for index, feature in enumerate(context["features"]):
        chart = folder / f"chart_{index:02d}_{_file_slug(feature['name'])}.svg"
        chart.write_text(str(feature["chart"]), encoding="utf-8")
        charts.append(chart)
    return [*written, *charts]


def render_registry_summary(result: AuditResult, *, run_id: str, limit: int = 4800) -> str:
    """A Markdown summary short enough for a registered model version's description (MLflow stores 5,000
    characters): verdict, overall rates, findings and gates, and where the full card is."""
    noun = result.run.config.get("card", {}).get("item_noun", "records")
    head = [
        f"**ethicscheck audit “{_md_escape(result.run.name)}”: {result.verdict.label}** ({result.run.finished_at})",
        "",
        _md_escape(overall_sentence(result, noun)),
        "",
    ]
    tail = ["", f"Full model card: artifacts `model_card.html` / `model_card.md` of MLflow run `{run_id}`."]
    gates = [f"- {o.status}: {_md_escape(o.gate)} [{_md_escape(o.feature)}]" for o in result.verdict.outcomes]
    lines = head + [f"- {_md_escape(f.text)}" for f in findings(result, noun)] + ["", "**Gates**", *gates] + tail
    while len("\n".join(lines)) > limit and len(lines) > len(head) + len(tail):
        lines.pop(len(head))  # drop findings first, then gates, until it fits
    return "\n".join(lines)[:limit]


def _file_slug(name: str) -> str:
    cleaned = "".join(ch if ch.isalnum() else "_" for ch in name.encode("ascii", "ignore").decode().lower()).strip("_")
    return cleaned[:40] or "feature"


def render_markdown(result: AuditResult, card: CardConfig) -> str:
    return _env("md").get_template("model_card.md.j2").render(**card_context(result, card))


def render_html(result: AuditResult, card: CardConfig) -> str:
    return _env("html").get_template("model_card.html.j2").render(**card_context(result, card))


def card_context(result: AuditResult, card: CardConfig) -> dict[str, Any]:
    """Everything the templates show, already formatted as text."""
    noun = card.item_noun
    return {
        "title": card.model_name or result.model.info.source,
        "noun": noun,
        "run": result.run,
        "verdict": result.verdict,
        "overall": overall_sentence(result, noun),
        "findings": findings(result, noun),
        "narrative": _narrative(card),
        "model": result.model,
        "data": result.data,
        "confidence": f"{round(100 * result.fairness.confidence_level)}%",
        "fairness": result.fairness,
        "features": [_feature_view(f, i, noun) for i, f in enumerate(result.fairness.features)],
        "metric_definitions": [METRICS[k] for k in result.fairness.metrics],
        "privacy": result.privacy,
        "percent": percent,
    }


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


def _feature_view(feature: FeatureResult, index: int, noun: str) -> dict[str, Any]:
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
        {"name": name, "value": _ratio(est)} for name, est in feature.disparities.items() if name.startswith(("fpr_", "fnr_", "equalized", "demographic"))
    ]
    return {
        "name": feature.name,
        "anchor": f"feature-{index}",
        "reference": feature.reference,
        "is_intersection": feature.is_intersection,
        "rows": rows,
        "disparities": disparities,
        "chart": Markup(rate_chart_svg(feature, noun=noun, chart_id=f"chart-{index}")),  # built with escaped labels
    }


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
    for raw, safe in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "\\|"), ("\n", " "), ("`", "\\`"), ("*", "\\*"), ("_", "\\_"), ("[", "\\["), ("]", "\\]")):
        text = text.replace(raw, safe)
    return text


def _env(kind: str) -> Environment:
    env = Environment(
        loader=PackageLoader("ethicscheck.cards", "templates"),
        autoescape=kind == "html",
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = _md_escape
    return env
