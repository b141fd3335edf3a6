"""``ethicscheck card``: re-render a model card from a saved audit.json, without re-running the audit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ethicscheck.cli._console import out
from ethicscheck.errors import ConfigError

__all__ = ["card"]


def card(
    audit: Annotated[Path, typer.Argument(help="A saved audit.json (or its report folder).")],
    format: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="Which card to write: json, md, html, pdf (prints the HTML card with headless Chromium), or all."
        ),
    ] = "all",
    out_dir: Annotated[Path | None, typer.Option("--out", "-o", help="Folder to write into (default: next to audit.json).")] = None,
) -> int:
    """Write model_card.md / .html / .json (or .pdf) from a saved result (a classification or a face-matching audit)."""
    from pydantic import ValidationError

    from ethicscheck.cards import card_formats, write_cards, write_verification_cards
    from ethicscheck.config import CardConfig, VerificationConfig, format_validation_error
    from ethicscheck.result import AuditResult, read_audit_json

    if format != "all" and format not in card_formats():
        raise ConfigError(f"--format '{format}' is not a card format; use one of {', '.join(card_formats())}, or all.")
    path = audit / "audit.json" if audit.is_dir() else audit
    if not path.is_file():
        raise ConfigError(f"{path} does not exist. Pass an audit.json or the report folder that holds one.")
    result = read_audit_json(path)
    sections: list[str] = ["card"] if isinstance(result, AuditResult) else ["card", "verification"]
    section = "card"
    try:
        card_config = CardConfig.model_validate(result.run.config.get("card", {}))
        section = "verification"
        settings = VerificationConfig.model_validate(result.run.config.get("verification")) if len(sections) == 2 else None
    except ValidationError as exc:
        problems = format_validation_error(exc, f"{path}: run -> config -> {section}").replace("\n", "; ")
        raise ConfigError(f"{problems}. Fix the {section} settings in that audit.json, or re-run the audit.") from None
    folder = out_dir or path.parent
    folder.mkdir(parents=True, exist_ok=True)
    formats = ("json", "md", "html") if format == "all" else (format,)
    if isinstance(result, AuditResult):
        written = write_cards(result, card_config, folder, formats=None if format == "all" else formats)
    else:
        assert settings is not None  # validated above for a verification audit
        written = write_verification_cards(result, card_config, settings, folder, formats=formats)
    for path_written in written:
        out.print(str(path_written), markup=False)
    return 0
