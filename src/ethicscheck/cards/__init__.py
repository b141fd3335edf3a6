"""Model cards: plain-language findings, Markdown and self-contained HTML."""

from ethicscheck.cards._findings import Finding, findings, overall_sentence
from ethicscheck.cards._render import (
    card_context,
    render_html,
    render_markdown,
    render_registry_summary,
    write_cards,
)

__all__ = ["Finding", "card_context", "findings", "overall_sentence", "render_html", "render_markdown", "render_registry_summary", "write_cards"]
