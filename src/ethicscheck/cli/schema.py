"""``ethicscheck schema``: print the config's JSON Schema."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from ethicscheck.cli._console import out

__all__ = ["schema"]


def schema(
    card: Annotated[bool, typer.Option("--card", help="Print the schema of model_card.json instead.")] = False,
    compare: Annotated[
        bool, typer.Option("--compare", help="Print the schema of comparison configs (ethicscheck compare) instead.")
    ] = False,
) -> int:
    """Print the JSON Schema of audit configs (for editors and CI validation), of model cards, or of comparison configs."""
    if card and compare:
        raise typer.BadParameter("give --card or --compare, not both")
    if card:
        from ethicscheck.cards import model_card_schema

        document = model_card_schema()
    elif compare:
        from ethicscheck.compare import compare_config_schema

        document = compare_config_schema()
    else:
        from ethicscheck.config import config_schema

        document = config_schema()
    out.print_json(json.dumps(document))
    return 0
