"""Fail closed on contact data in what an audit publishes.

Group names come from the data, so a sensitive-feature column can hold an e-mail domain or a phone
number; feature names, file names and card fields can too. What happens is the user's choice
(``privacy.on_personal_data``):

- ``pseudonymize`` (the default): such values are replaced by stable, salted pseudonyms
  (``group-1a2b3c4d``, ``feature-1a2b3c4d``, ``contact-1a2b3c4d``, ``file-1a2b3c4d.csv``) before anything
  is computed from them, so every output built from the result (card, charts, audit.json, junit.xml,
  summary.md, console, MLflow metric keys, params, tags and tables) carries only the pseudonym. The
  mapping back is written only to a local file beside the report folder, never into it and never to
  MLflow.
- ``stop``: the audit stops with exit 2 naming the column or field, before anything is published.

What counts as contact data is decided by a *finder*: the audit passes the self-scan's recognizers
(:func:`ethicscheck.privacy.contact_finder`); this module's regular expressions are the fallback for
callers that have no scanner at hand (file names in provenance).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Literal

import pandas as pd

from ethicscheck.errors import PersonalDataError

__all__ = [
    "Finder",
    "OnPersonalData",
    "contact_kind",
    "regex_finder",
    "pseudonym",
    "PSEUDONYM",
    "pseudonymize_columns",
    "apply_pseudonyms",
    "pseudonymize_names",
    "pseudonymize_strings",
    "pseudonymize_text",
    "check_card_fields",
    "json_strings",
    "replace_everywhere",
]

#: What to do when personal data is found in something about to be published.
OnPersonalData = Literal["pseudonymize", "stop"]

#: ``finder(text)`` -> ``[(kind, value), ...]``: what contact data ``text`` holds ("an e-mail address") and
#: the exact substrings.
Finder = Callable[[str], list[tuple[str, str]]]

#: A pseudonym :func:`pseudonym` made (``group-1a2b3c4d``). Its hash is not personal data: the self-scan blanks
#: it before reading a text, or a hash such as ``a08677b9`` beside table cells ("| 232 | 114") reads as a phone.
PSEUDONYM = re.compile(r"\b(group|feature|contact|file)-([0-9a-f]{8})\b")

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"\+?\d[\d ()./-]{6,}\d")
_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_.]{3,}")


def regex_finder(text: str) -> list[tuple[str, str]]:
    """Contact data by regular expression: e-mail addresses, numbers of 9+ digits, ``@handles``."""
    found = [("an e-mail address", m.group()) for m in _EMAIL.finditer(text)]
    found += [("a phone number", m.group()) for m in _PHONE.finditer(text) if sum(c.isdigit() for c in m.group()) >= 9]
    found += [("a social handle", m.group()) for m in _HANDLE.finditer(text) if not any(m.group() in v for _, v in found)]
    return found


def contact_kind(text: str, finder: Finder = regex_finder) -> str | None:
    """What contact data ``text`` holds ("an e-mail address", "a phone number", "a social handle"), or None."""
    found = finder(text)
    return found[0][0] if found else None


def pseudonym(value: str, *, prefix: str, salt: str) -> str:
    """A stable, salted stand-in for ``value`` (set privacy.hash_salt to stop anyone recomputing it)."""
    return f"{prefix}-{hashlib.sha256((salt + value).encode('utf-8')).hexdigest()[:8]}"


def pseudonymize_text(text: str, *, salt: str, finder: Finder = regex_finder) -> str:
    """``text`` with each piece of contact data in it replaced by ``contact-<hash>``."""
    for _, value in sorted(finder(text), key=lambda found: -len(found[1])):
        text = text.replace(value, pseudonym(value, prefix="contact", salt=salt))
    return text


def pseudonymize_columns(
    frame: pd.DataFrame,
    columns: Iterable[str],
    *,
    salt: str,
    finder: Finder = regex_finder,
    on_personal_data: OnPersonalData = "pseudonymize",
) -> tuple[pd.DataFrame, dict[str, str]]:
    """``frame`` with every value holding contact data in ``columns`` replaced by ``group-<hash>``; and the mapping.

    Raises
    ------
    PersonalDataError
        ``on_personal_data="stop"`` and a value holds contact data (the message names the column, never the value).
    """
    mapping: dict[str, str] = {}
    replaced = frame
    for column in columns:
        values = frame[column]
        # hashed as the group name it would be (stripped), so " x " and "x" stay one group under one pseudonym
        found = {v: pseudonym(str(v).strip(), prefix="group", salt=salt) for v in pd.unique(values.dropna()) if finder(str(v))}
        if not found:
            continue
        if on_personal_data == "stop":
            kind = contact_kind(str(next(iter(found))), finder)
            raise PersonalDataError(
                f"data column '{column}' holds contact data ({kind}) in {len(found)} group value(s), and group names are published. "
                "Clean the column, or set privacy.on_personal_data: pseudonymize to publish them as group-<hash>."
            )
        if replaced is frame:
            replaced = frame.copy()
        replaced[column] = values.map(lambda v, f=found: f.get(v, v))
        mapping.update({str(k): v for k, v in found.items()})
    return replaced, mapping


def apply_pseudonyms(frame: pd.DataFrame, columns: Iterable[str], mapping: Mapping[str, str]) -> pd.DataFrame:
    """``frame`` with the values of ``columns`` whose text (as a group name: stripped) is a key of ``mapping`` replaced."""
    if not mapping:
        return frame
    replaced = frame.copy()
    for column in columns:
        replaced[column] = frame[column].map(lambda v: mapping.get(str(v).strip(), v))
    return replaced


def pseudonymize_names(
    names: Mapping[str, str], *, salt: str, finder: Finder = regex_finder, on_personal_data: OnPersonalData = "pseudonymize"
) -> dict[str, str]:
    """``{where: name}`` of names holding contact data -> ``{name: feature-<hash>}`` (feature display names).

    Raises
    ------
    PersonalDataError
        ``on_personal_data="stop"`` and a name holds contact data (the message names ``where``).
    """
    mapping: dict[str, str] = {}
    for where, name in names.items():
        kind = contact_kind(name, finder)
        if kind is None:
            continue
        if on_personal_data == "stop":
            raise PersonalDataError(
                f"{where} contains {kind}, and feature names are published. Name the feature in plain words "
                "(e.g. 'recruiter'), or set privacy.on_personal_data: pseudonymize to publish it as feature-<hash>."
            )
        mapping[name] = pseudonym(name, prefix="feature", salt=salt)
    return mapping


def check_card_fields(card: Any, finder: Finder = regex_finder) -> None:
    """Raise :class:`PersonalDataError` naming the first card field that holds contact data."""
    for where, text in json_strings(card.model_dump(mode="json"), "card"):
        kind = contact_kind(text, finder)
        if kind:
            raise PersonalDataError(
                f"{where} contains {kind}, and the card is published. Name a team or a role instead of a person's contact details "
                "(or set privacy.on_personal_data: pseudonymize)."
            )


def pseudonymize_strings(texts: Iterable[str], *, salt: str, finder: Finder = regex_finder) -> dict[str, str]:
    """``{contact value: contact-<hash>}`` for every piece of contact data in ``texts`` (e.g. card fields)."""
    return {value: pseudonym(value, prefix="contact", salt=salt) for text in texts for _, value in finder(text)}


def replace_everywhere(value: Any, mapping: Mapping[str, str]) -> Any:
    """``value`` (JSON-like: dicts, lists, strings) with every occurrence of a ``mapping`` key replaced, in keys too.

    Longer values are replaced first, so a value containing another is replaced whole.
    """
    if not mapping:
        return value
    ordered = sorted(mapping, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(v) for v in ordered))

    def walk(item: Any) -> Any:
        if isinstance(item, str):
            return pattern.sub(lambda m: mapping[m.group()], item)
        if isinstance(item, dict):
            return {walk(k): walk(v) for k, v in item.items()}
        if isinstance(item, list | tuple):
            return type(item)(walk(v) for v in item)
        return item

    return walk(value)


def json_strings(value: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """``(where, text)`` of every string value in JSON-like ``value`` (``card.owners[1]``, ``card.outcome.flagged``)."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from json_strings(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from json_strings(item, f"{where}[{index}]")
