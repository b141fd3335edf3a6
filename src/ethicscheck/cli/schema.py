"""``ethicscheck schema``: print the config's JSON Schema."""

from __future__ import annotations

import json

from ethicscheck.cli._console import out

__all__ = ["schema"]


def schema() -> int:
    """Print the JSON Schema of audit configs (for editors and CI validation)."""
    from ethicscheck.config import config_schema

    out.print_json(json.dumps(config_schema()))
    return 0
