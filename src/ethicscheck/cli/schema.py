"""``ethicscheck schema``: print the config's JSON Schema."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from ethicscheck.cli._console import out

__all__ = ["schema"]


def schema(
    card: Annotated[bool, typer.Option("--card", help="Print the schema of model_card.json instead.")] = False,
) -> int:
    """Print the JSON Schema of audit configs (for editors and CI validation), or of model cards."""
    if card:
        from ethicscheck.cards import model_card_schema

        out.print_json(json.dumps(model_card_schema()))
        return 0
    from ethicscheck.config import config_schema

    out.print_json(json.dumps(config_schema()))
    return 0
