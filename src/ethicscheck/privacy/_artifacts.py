"""Scan the audit's own files before they are published."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from pathlib import Path

import ahocorasick

from ethicscheck._vocabulary import ARTIFACT_ENTITIES, DEFAULT_PHONE_REGIONS
from ethicscheck.privacy._result import ArtifactScan
from ethicscheck.privacy._scanner import Scanner

__all__ = ["scan_artifacts", "visible_text", "ARTIFACT_ENTITIES", "KnownValues"]

#: Shorter input values are not looked for: they occur by chance in any file (years, "Anna" in "Annapolis").
MIN_VALUE_LENGTH = 4

_HIDDEN = re.compile(r"<(style|script)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def scan_artifacts(
    files: Iterable[Path], *, known_values: set[str], phone_regions: tuple[str, ...] = DEFAULT_PHONE_REGIONS
) -> ArtifactScan:
    """Count, per file, the personal data the scanner finds and the input values that reappear.

    ``known_values`` are the raw values found in the evaluation inputs (held in memory only); any of
    them appearing in a file is a leak, whatever its type.
    """
    scanner = Scanner(ARTIFACT_ENTITIES, phone_regions=phone_regions)
    per_file: dict[str, dict[str, int]] = {}
    leaked = 0
    values = KnownValues(known_values)
    for path in files:
        raw = path.read_text(encoding="utf-8", errors="replace")
        text = visible_text(path.suffix.lower(), raw)
        counts: dict[str, int] = {}
        for finding in scanner.analyze(text):
            counts[finding.entity_type] = counts.get(finding.entity_type, 0) + 1
        per_file[path.name] = counts
        leaked += values.count_in(raw)  # exact values: checked in the raw file
    return ArtifactScan(files=per_file, leaked_input_values=leaked)


class KnownValues:
    """The input values to look for in a text, all of them in one pass (an Aho-Corasick automaton).

    One pass over the text finds every occurrence of every value, overlapping ones and values inside
    other values included, so ``count_in`` equals ``sum(value in text for value in values)`` at the cost
    of reading the text once instead of once per value (100k values x a 2 MB report: hours vs a second).
    Values shorter than :data:`MIN_VALUE_LENGTH` are left out.
    """

    def __init__(self, values: Iterable[str]) -> None:
        self._automaton: ahocorasick.Automaton | None = None
        kept = {v for v in values if len(v) >= MIN_VALUE_LENGTH}
        if kept:
            automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
            for index, value in enumerate(kept):
                automaton.add_word(value, index)
            automaton.make_automaton()
            self._automaton = automaton

    def count_in(self, text: str) -> int:
        """How many distinct values occur in ``text`` (case-sensitive, exact)."""
        if self._automaton is None:
            return 0
        return len({index for _, index in self._automaton.iter(text)})


def visible_text(suffix: str, raw: str) -> str:
    """What a reader of the file sees: JSON string values, markup's text content, other files whole.

    Numbers in JSON and coordinates in SVG are not personal data, but long digit strings in them
    would look like card or phone numbers to the recognizers.
    """
    if suffix == ".json":
        try:
            return "\n".join(_strings(json.loads(raw)))
        except json.JSONDecodeError:
            return raw
    if suffix in (".html", ".htm", ".svg", ".xml"):
        return html.unescape(_TAG.sub(" ", _HIDDEN.sub(" ", raw)))
    return raw


def _strings(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
