"""``ethicscheck validate``: check a config without running it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ethicscheck.cli._console import out

__all__ = ["validate"]


def validate(config: Annotated[Path, typer.Argument(help="YAML audit config.")]) -> int:
    """Check a config file; exit 2 with the field path of every problem."""
    from ethicscheck.config import load_config

    loaded = load_config(config)
    out.print(
        f"{config}: valid ({loaded.model.kind} model, {len(loaded.data.sensitive_features)} sensitive feature(s), {len(loaded.gates)} gate(s))",
        markup=False,
    )
    return 0
