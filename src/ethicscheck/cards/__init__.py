"""Model cards: the card as data (model_card.json), plain-language findings, Markdown and self-contained HTML."""

from ethicscheck.cards._findings import Finding, detectable_sentences, findings, overall_sentence, reference_sentence
from ethicscheck.cards._model_card import CARD_SCHEMA_VERSION, ModelCard, build_model_card, model_card_schema
from ethicscheck.cards._probes import probe_confidence, probe_sentences
from ethicscheck.cards._publish import Publication, publishable
from ethicscheck.cards._render import (
    CARD_FORMATS,
    CardFormat,
    DrawnCharts,
    card_context,
    card_files,
    card_formats,
    render_html,
    render_markdown,
    render_registry_summary,
    render_run_description,
    top_finding,
    write_cards,
)
from ethicscheck.cards._verification import headline_sentences, verification_card_context, write_verification_cards

__all__ = [
    "CARD_FORMATS",
    "CARD_SCHEMA_VERSION",
    "CardFormat",
    "card_files",
    "card_formats",
    "DrawnCharts",
    "headline_sentences",
    "verification_card_context",
    "write_verification_cards",
    "Finding",
    "ModelCard",
    "Publication",
    "build_model_card",
    "card_context",
    "detectable_sentences",
    "findings",
    "model_card_schema",
    "overall_sentence",
    "probe_confidence",
    "probe_sentences",
    "reference_sentence",
    "publishable",
    "render_html",
    "render_markdown",
    "render_registry_summary",
    "render_run_description",
    "top_finding",
    "write_cards",
]
