"""Fail closed on contact data in what an audit publishes.

Group names come from the data, so a sensitive-feature column can hold an e-mail domain or a phone
number; file names can too. Such values are replaced by stable pseudonyms (``group-1a2b3c4d``,
``file-1a2b3c4d.csv``) before anything is computed, so every output built from the result (card,
charts, audit.json, junit.xml, summary.md, console, MLflow metric keys, params, tags and tables)
carries only the pseudonym. The mapping back is written only to a local file beside the report
folder, never into it and never to MLflow. Card fields are written by the user: contact data there
stops the audit (exit 2) naming the field.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from ethicscheck.errors import ConfigError

__all__ = ["contact_kind", "pseudonym", "pseudonymize_columns", "pseudonymize_text", "check_card_fields"]

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"\+?\d[\d ()./-]{6,}\d")
_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_.]{3,}")


def contact_kind(text: str) -> str | None:
    """What contact data ``text`` holds ("an e-mail address", "a phone number", "a social handle"), or None."""
    if _EMAIL.search(text):
        return "an e-mail address"
    if any(sum(c.isdigit() for c in m.group()) >= 9 for m in _PHONE.finditer(text)):
        return "a phone number"
    if _HANDLE.search(text):
        return "a social handle"
    return None


def pseudonym(value: str, *, prefix: str, salt: str) -> str:
    """A stable, salted stand-in for ``value`` (set privacy.hash_salt to stop anyone recomputing it)."""
    return f"{prefix}-{hashlib.sha256((salt + value).encode('utf-8')).hexdigest()[:8]}"


def pseudonymize_text(text: str, *, salt: str) -> str:
    """``text`` with each e-mail address and phone number in it replaced by ``contact-<hash>``."""
    text = _EMAIL.sub(lambda m: pseudonym(m.group(), prefix="contact", salt=salt), text)
    return _PHONE.sub(
        lambda m: pseudonym(m.group(), prefix="contact", salt=salt) if sum(c.isdigit() for c in m.group()) >= 9 else m.group(), text
    )


def pseudonymize_columns(frame: pd.DataFrame, columns: Iterable[str], *, salt: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """``frame`` with every value holding contact data in ``columns`` replaced by ``group-<hash>``; and the mapping."""
    mapping: dict[str, str] = {}
    replaced = frame
    for column in columns:
        values = frame[column]
        found = {v: pseudonym(str(v), prefix="group", salt=salt) for v in pd.unique(values.dropna()) if contact_kind(str(v))}
        if found:
            if replaced is frame:
                replaced = frame.copy()
            replaced[column] = values.map(lambda v, f=found: f.get(v, v))
            mapping.update({str(k): v for k, v in found.items()})
    return replaced, mapping


def check_card_fields(card: Any) -> None:
    """Raise :class:`ConfigError` naming the first card field that holds contact data."""
    for name, value in card.model_dump(mode="json").items():
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            kind = contact_kind(item) if isinstance(item, str) else None
            if kind:
                where = f"card.{name}[{index}]" if isinstance(value, list) else f"card.{name}"
                raise ConfigError(
                    f"{where} contains {kind}, and the card is published. Name a team or a role instead of a person's contact details."
                )
