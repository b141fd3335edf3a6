"""Redaction with presidio-anonymizer: entity placeholders or salted-hash pseudonyms."""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, Literal

from ethicscheck.errors import EthicsCheckDeprecationWarning

__all__ = ["redact", "snippet", "Redaction"]

Redaction = Literal["placeholder", "hash"]


def redact(text: str, findings: Sequence[Any], *, mode: Redaction = "placeholder", hash_salt: str = "", salt: str | None = None) -> str:
    """``text`` with every finding replaced: ``<PHONE_NUMBER>``, or ``<PHONE_NUMBER:1a2b3c4d>`` (salted
    SHA-256, so the same value gets the same pseudonym within an audit and cannot be looked up without
    the salt). ``salt`` is the old name of ``hash_salt`` (still read, with a warning)."""
    from presidio_anonymizer.entities import OperatorConfig

    hash_salt = _salt(hash_salt, salt)

    if not findings:
        return text
    if mode == "placeholder":
        operators = {"DEFAULT": OperatorConfig("replace")}
    else:
        operators = {f.entity_type: OperatorConfig("custom", {"lambda": _pseudonym(f.entity_type, hash_salt)}) for f in findings}
    redacted: str = _engine().anonymize(text=text, analyzer_results=list(findings), operators=operators).text
    return redacted


def snippet(
    text: str,
    finding: Any,
    findings: Sequence[Any],
    *,
    width: int = 40,
    mode: Redaction = "placeholder",
    hash_salt: str = "",
    salt: str | None = None,
) -> str:
    """A redacted window of ``width`` characters around ``finding``, cut at word boundaries."""
    hash_salt = _salt(hash_salt, salt)
    start, end = max(0, finding.start - width), min(len(text), finding.end + width)
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    inside = [_shifted(f, -start) for f in findings if f.start >= start and f.end <= end]
    body = redact(text[start:end], inside, mode=mode, hash_salt=hash_salt)
    return ("…" if start else "") + body.strip() + ("…" if end < len(text) else "")


def _salt(hash_salt: str, old: str | None) -> str:
    if old is None:
        return hash_salt
    warnings.warn("the 'salt' argument is deprecated; pass hash_salt=...", EthicsCheckDeprecationWarning, stacklevel=3)
    return old


def _pseudonym(entity: str, salt: str) -> Callable[[str], str]:
    return lambda value: f"<{entity}:{hashlib.sha256((salt + value).encode()).hexdigest()[:8]}>"


def _shifted(finding: Any, offset: int) -> Any:
    from presidio_analyzer import RecognizerResult

    return RecognizerResult(finding.entity_type, finding.start + offset, finding.end + offset, finding.score)


@lru_cache(maxsize=1)
def _engine() -> Any:
    from presidio_anonymizer import AnonymizerEngine

    return AnonymizerEngine()  # type: ignore[no-untyped-call]  # presidio-anonymizer leaves __init__ unannotated
