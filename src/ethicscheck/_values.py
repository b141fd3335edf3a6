"""Comparing user-supplied class values with what a file or a model produced, and naming them safely."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "equals_value",
    "describe_values",
    "describe_counts",
    "looks_like_free_text",
    "name_values",
    "safe_value",
    "scrub_message",
    "redact_contacts",
]

# A value short and plain enough to be a class label, not a piece of someone's ad or message.
_LABEL_LIKE = re.compile(r"^[\w .+:/()-]{1,24}$")
_CONTACT_LIKE = re.compile(r"@|\d[\d ()./-]{5,}\d|https?:|www\.", re.IGNORECASE)


def equals_value(values: Any, target: Any) -> np.ndarray:
    """Boolean mask of ``values == target``, tolerant of how files store classes.

    Numbers compare as numbers (``1`` equals ``1.0`` and ``True``); everything else compares as
    stripped text, so ``"1"`` read from a CSV equals a configured ``1``.
    """
    series = pd.Series(np.asarray(values).ravel())
    if isinstance(target, (bool, int, float, np.number)) and pd.api.types.is_numeric_dtype(series):
        return np.asarray(series.to_numpy(dtype=float) == float(target))
    if isinstance(target, (bool, int, float, np.number)) and pd.api.types.is_bool_dtype(series):
        return np.asarray(series.to_numpy(dtype=float) == float(target))
    as_text = series.astype(str).str.strip()
    wanted = {str(target).strip()}
    if isinstance(target, (int, float, np.number)) and not isinstance(target, bool) and float(target).is_integer():
        wanted |= {str(int(target)), f"{float(target)}"}
    return as_text.isin(wanted).to_numpy()


def describe_values(values: Any, *, limit: int = 8) -> str:
    """The distinct values of a column with their row counts, for an error message.

    ``'clear' (3 rows), 'flagged' (2 rows)``, most frequent first. A column that looks like free text
    (long or many-worded values, contact-like strings, or very many distinct values) is described
    without echoing any value, because error messages end up in CI logs.
    """
    series = pd.Series(np.asarray(values, dtype=object).ravel())
    return describe_counts(series.value_counts(dropna=False), limit=limit)


def describe_counts(counts: pd.Series, *, limit: int = 8) -> str:
    """:func:`describe_values` from the row count of each distinct value (values as the index)."""
    if looks_like_free_text(counts.index):
        return f"{len(counts)} distinct values that look like free text (not shown)"
    ordered = sorted(counts.items(), key=lambda item: (-int(item[1]), str(item[0])))
    parts = [f"{_show(value)} ({int(n)} row{'s' if n != 1 else ''})" for value, n in ordered[:limit]]
    if len(ordered) > limit:
        parts.append(f"and {len(ordered) - limit} more values")
    return ", ".join(parts)


#: Beyond any of these a column is treated as free text and its values are not repeated in messages.
_FREE_TEXT_DISTINCT = 50
_FREE_TEXT_CHARS = 40
_FREE_TEXT_WORDS = 4


def looks_like_free_text(distinct: Any) -> bool:
    """True when values look like sentences, contact details or identifiers rather than class names."""
    values = list(distinct)
    if len(values) > _FREE_TEXT_DISTINCT:
        return True
    for value in values:
        if not isinstance(value, str):
            continue
        if len(value) > _FREE_TEXT_CHARS or len(value.split()) > _FREE_TEXT_WORDS or "@" in value:
            return True
        if sum(ch.isdigit() for ch in value) >= 6:  # phone numbers, ids
            return True
    return False


def _show(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "(missing)"
    if isinstance(value, np.generic):
        value = value.item()
    return repr(value)


def safe_value(value: Any) -> str:
    """``repr`` of a value from data or a model, unless it could be someone's text or contact data.

    Error messages name what came back so a user can fix it, but a label column that points at ad
    text, or a model that echoes its input, must not put that text on a console or CI log: such
    values are described by type and length instead.
    """
    if value is None or isinstance(value, (bool, int, float, np.number, np.bool_)):
        return repr(value.item() if isinstance(value, np.generic) else value)
    text = str(value)
    if _LABEL_LIKE.match(text) and not _CONTACT_LIKE.search(text):
        return repr(text)
    return f"<text of {len(text)} characters>"


def name_values(values: Iterable[Any], *, limit: int = 6) -> str:
    """Up to ``limit`` values, each through :func:`safe_value`, with '...' when there are more."""
    items = list(values)
    shown = ", ".join(safe_value(v) for v in items[:limit])
    return shown + (" ..." if len(items) > limit else "")


_QUOTED = re.compile(r"""(['"])(.{25,}?)\1""")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_LINK = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_DIGIT_RUN = re.compile(r"\+?\d[\d ()./-]{6,}\d")


def scrub_message(text: str, *, limit: int = 200) -> str:
    """The first line of a message from code we do not control, without input text or contact data.

    Libraries quote the offending value ("could not convert string to float: '<the ad>'"); long
    quoted strings, e-mail addresses, phone-like digit runs and links are replaced by what they are.
    """
    first = (str(text).strip().splitlines() or [""])[0]
    first = _QUOTED.sub(lambda m: f"{m.group(1)}<text of {len(m.group(2))} characters>{m.group(1)}", first)
    first = redact_contacts(_LINK.sub("<link>", first))
    return first if len(first) <= limit else first[: limit - 1] + "…"


def redact_contacts(text: str) -> str:
    """``text`` with e-mail addresses and phone-like runs of nine or more digits replaced.

    Applied to every line the CLI prints about a problem: messages name files and values, and a
    file name or value may carry someone's contact details. Dates, row numbers (fewer digits) and
    the URLs of servers the user configured stay.
    """
    text = _EMAIL.sub("<contact data>", text)
    return _DIGIT_RUN.sub(lambda m: "<contact data>" if sum(c.isdigit() for c in m.group()) >= 9 else m.group(), text)
