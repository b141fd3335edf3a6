"""Annotated text in presidio-research's record format, read from JSON or JSON Lines.

A record is ``{"full_text": str, "spans": [{"entity_type", "entity_value", "start_position",
"end_position"}], ...}``; offsets are 0-based character offsets into ``full_text`` with the end
exclusive. An optional ``tags`` list (or one string) names the slices a record belongs to; every other
key (``masked``, ``template_id``, ``metadata``) is ignored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

from ethicscheck.errors import DataError

__all__ = ["GoldSpan", "GoldRecord", "load_gold", "parse_mapping", "records_from_generator"]


@dataclass(frozen=True)
class GoldSpan:
    """One annotated entity: its type and character span (end exclusive)."""

    entity_type: str
    start: int
    end: int


@dataclass(frozen=True)
class GoldRecord:
    """One annotated text with its entities and the slices (tags) it belongs to."""

    text: str
    spans: tuple[GoldSpan, ...]
    tags: tuple[str, ...] = ()


def load_gold(path: str | Path, *, mapping: Mapping[str, str] | None = None) -> list[GoldRecord]:
    """Read annotated records from a presidio-research JSON list or a JSON Lines file of the same records.

    Parameters
    ----------
    path : str or Path
        ``.jsonl`` files are read line by line; anything else as one JSON document (a list of records).
    mapping : mapping of str to str, optional
        Renames annotated entity types to the scanner's names (``{"DOMAIN_NAME": "URL"}``).

    Raises
    ------
    DataError
        Naming the file, the record (0-based) and the field, for anything that is not a valid record.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such file. Pass a presidio-research JSON list or a JSON Lines file of records.")
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DataError(f"{path}: not UTF-8 text; save the annotated data as UTF-8.") from None
    items = _json_lines(path, raw) if path.suffix.lower() == ".jsonl" else _json_list(path, raw)
    rename = dict(mapping or {})
    return [_record(path, i, item, rename) for i, item in enumerate(items)]


def parse_mapping(pairs: Iterable[str]) -> dict[str, str]:
    """``["DOMAIN_NAME=URL", ...]`` as a dict; a pair without exactly one '=' and two names is refused."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        gold, sep, ours = pair.partition("=")
        if not sep or not gold.strip() or not ours.strip() or "=" in ours:
            raise DataError(f"--map '{pair}': expected ANNOTATED_TYPE=SCANNER_TYPE, for example DOMAIN_NAME=URL.")
        mapping[gold.strip()] = ours.strip()
    return mapping


def _json_list(path: Path, raw: str) -> list[Any]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        hint = " (a JSON Lines file should end in .jsonl)" if exc.msg == "Extra data" else ""
        raise DataError(f"{path}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}{hint}.") from None
    if not isinstance(data, list):
        raise DataError(f"{path}: expected a JSON list of records, got a {type(data).__name__}.")
    return data


def _json_lines(path: Path, raw: str) -> list[Any]:
    items = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise DataError(f"{path}: line {number} is not valid JSON ({exc.msg}); each line must be one record.") from None
    return items


def _record(path: Path, index: int, item: Any, rename: dict[str, str]) -> GoldRecord:
    where = f"{path}: record {index}"
    if not isinstance(item, dict):
        raise DataError(f"{where}: expected an object with full_text and spans, got a {type(item).__name__}.")
    text = item.get("full_text")
    if not isinstance(text, str):
        raise DataError(f"{where}: full_text is missing or not a string.")
    spans = item.get("spans", [])
    if not isinstance(spans, list):
        raise DataError(f"{where}: spans must be a list of {{entity_type, start_position, end_position}} objects.")
    parsed = tuple(_span(f"{where}, spans[{j}]", span, text, rename) for j, span in enumerate(spans))
    tags = item.get("tags", [])
    if isinstance(tags, str):
        tags = [tags]
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise DataError(f"{where}: tags must be a string or a list of strings.")
    return GoldRecord(text, parsed, tuple(dict.fromkeys(tags)))


def _span(where: str, span: Any, text: str, rename: dict[str, str]) -> GoldSpan:
    if not isinstance(span, dict):
        raise DataError(f"{where}: expected an object, got a {type(span).__name__}.")
    entity = span.get("entity_type")
    if not isinstance(entity, str) or not entity:
        raise DataError(f"{where}: entity_type is missing or not a string.")
    start, end = span.get("start_position"), span.get("end_position")
    if not _is_int(start) or not _is_int(end):
        raise DataError(f"{where}: start_position and end_position must be integers (0-based, end exclusive).")
    if not 0 <= start < end <= len(text):
        raise DataError(
            f"{where}: start_position {start} and end_position {end} do not lie within full_text (length {len(text)}) "
            "with start < end; offsets are 0-based, end exclusive."
        )
    value = span.get("entity_value")
    if value is not None and value != text[start:end]:
        # The value itself is not repeated: it may be personal data.
        raise DataError(f"{where}: entity_value differs from full_text[{start}:{end}]; offsets are 0-based characters, end exclusive.")
    return GoldSpan(rename.get(entity, entity), start, end)


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def records_from_generator(texts: Sequence[str], truths: Sequence[str | list[dict[str, Any]]]) -> list[GoldRecord]:
    """The synthetic corpus's ground truth (JSON lists of ``{start, end, entity_type, obfuscated}``) as records.

    A record with at least one disguised span is tagged ``disguised``; one without any span ``negative``.
    """
    records = []
    for text, truth in zip(texts, truths):
        spans = json.loads(truth) if isinstance(truth, str) else truth
        tags = ("disguised",) if any(s.get("obfuscated") for s in spans) else ("negative",) if not spans else ()
        records.append(GoldRecord(text, tuple(GoldSpan(s["entity_type"], s["start"], s["end"]) for s in spans), tags))
    return records
