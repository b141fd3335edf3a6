"""Scan the audit's own files, and any string it is about to publish, before they are published.

The counts go into the report (:class:`ArtifactScan`); the values found and where they are
(:class:`Leak`) stay in memory, so the audit can replace exactly those values with pseudonyms or stop
naming the field (``privacy.on_personal_data``).
"""

from __future__ import annotations

import bisect
import html
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import ahocorasick

from ethicscheck._pseudonyms import PSEUDONYM, regex_finder
from ethicscheck._vocabulary import ARTIFACT_ENTITIES, DEFAULT_PHONE_REGIONS, ENTITY_TYPES
from ethicscheck.privacy._result import ArtifactScan
from ethicscheck.privacy._scanner import Scanner

__all__ = ["ARTIFACT_ENTITIES", "KnownValues", "Leak", "contact_finder", "find_leaks", "scan_artifacts", "scan_strings", "visible_text"]

#: Shorter input values are not looked for: they occur by chance in any file (years, "Anna" in "Annapolis").
MIN_VALUE_LENGTH = 4

_HIDDEN = re.compile(r"<(style|script)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_SCHEMA_KEY = re.compile(r"[a-z_][a-z0-9_]*")
#: Identifiers the audit writes (run ids, model UUIDs, digests): hex runs with letters and digits. Their digit
#: stretches are not phone numbers; they are blanked (offsets kept) before the recognizers read the text.
_HEX_ID = re.compile(r"(?<![\w-])(?=[0-9a-f-]*[a-f])(?=[0-9a-f-]*[0-9])[0-9a-f](?:-?[0-9a-f]){11,}(?![\w-])", re.IGNORECASE)

#: Between two pieces scanned in one call: a line holding a word, so digits ending one piece and starting the
#: next (MLflow params "1000", "2", "1200") do not read as one number split over lines (the pieces are apart).
_BETWEEN_PIECES = "\nqz\n"

#: Entity type of an evaluation-data value that reappears in a file, whatever it is.
INPUT_VALUE = "INPUT_VALUE"
#: Entity type of contact data in the name of a report file.
FILE_NAME = "FILE_NAME"


@dataclass(frozen=True)
class Leak:
    """One piece of personal data in something about to be published. In memory only: never written.

    Attributes
    ----------
    place : str
        Where it is, for a message: ``"audit.json, fairness.features[0].groups[2].group"``,
        ``"model_card.html"``, ``"MLflow metric key"``.
    entity_type : str
        What it is (``EMAIL_ADDRESS``, ``PHONE_NUMBER``, ... or ``INPUT_VALUE``).
    value : str
        The text found (never printed; used to replace it).
    """

    place: str
    entity_type: str
    value: str

    @property
    def kind(self) -> str:
        """The plain words for what was found ("an e-mail address"), for messages that must not show it."""
        if self.entity_type == INPUT_VALUE:
            return "a value from the evaluation data"
        if self.entity_type == FILE_NAME:
            return "contact data"
        words = ENTITY_TYPES[self.entity_type].plain if self.entity_type in ENTITY_TYPES else self.entity_type
        return f"personal data ({words})"


def scan_artifacts(
    files: Iterable[Path], *, known_values: set[str], phone_regions: tuple[str, ...] = DEFAULT_PHONE_REGIONS
) -> ArtifactScan:
    """Count, per file, the personal data the scanner finds and the input values that reappear.

    ``known_values`` are the raw values found in the evaluation inputs (held in memory only); any of
    them appearing in a file is a leak, whatever its type.
    """
    return find_leaks(files, known_values=known_values, phone_regions=phone_regions)[0]


def find_leaks(
    files: Iterable[Path], *, known_values: set[str], phone_regions: tuple[str, ...] = DEFAULT_PHONE_REGIONS
) -> tuple[ArtifactScan, tuple[Leak, ...]]:
    """:func:`scan_artifacts`, plus every finding with its place and value (for the audit's publication rule).

    A JSON file is read string by string (keys included), so a finding names its JSON path; markup is
    read as its visible text; file names are scanned too.
    """
    scanner = _scanner(tuple(phone_regions))
    find_contacts = contact_finder(tuple(phone_regions))
    per_file: dict[str, dict[str, int]] = {}
    leaks: list[Leak] = []
    values = KnownValues(known_values)
    for path in files:
        raw = path.read_text(encoding="utf-8", errors="replace")
        found = _scan_pieces(scanner, _pieces(path, raw))
        found += [Leak("the name of a report file", FILE_NAME, value) for _, value in find_contacts(path.name)]
        counts: dict[str, int] = {}
        for leak in found:
            counts[leak.entity_type] = counts.get(leak.entity_type, 0) + 1
        per_file[path.name] = counts
        leaks.extend(found)
        leaks.extend(Leak(path.name, INPUT_VALUE, value) for value in sorted(values.found_in(raw)))  # exact values, raw file
    scan = ArtifactScan(files=per_file, leaked_input_values=sum(1 for leak in leaks if leak.entity_type == INPUT_VALUE))
    return scan, tuple(leaks)


class KnownValues:
    """The input values to look for in a text, all of them in one pass (an Aho-Corasick automaton).

    One pass over the text finds every occurrence of every value, overlapping ones and values inside
    other values included, so ``count_in`` equals ``sum(value in text for value in values)`` at the cost
    of reading the text once instead of once per value (100k values x a 2 MB report: hours vs a second).
    Values shorter than :data:`MIN_VALUE_LENGTH` are left out.
    """

    def __init__(self, values: Iterable[str]) -> None:
        self._automaton: ahocorasick.Automaton | None = None
        self._values = sorted({v for v in values if len(v) >= MIN_VALUE_LENGTH})
        if self._values:
            automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
            for index, value in enumerate(self._values):
                automaton.add_word(value, index)
            automaton.make_automaton()
            self._automaton = automaton

    def found_in(self, text: str) -> set[str]:
        """The distinct values that occur in ``text`` (case-sensitive, exact)."""
        if self._automaton is None:
            return set()
        return {self._values[index] for _, index in self._automaton.iter(text)}

    def count_in(self, text: str) -> int:
        """How many distinct values occur in ``text``."""
        return len(self.found_in(text))


def scan_strings(strings: Iterable[tuple[str, str]], *, phone_regions: tuple[str, ...] = DEFAULT_PHONE_REGIONS) -> tuple[Leak, ...]:
    """The personal data in ``(text, place)`` pairs: the self-scan applied to strings not (yet) in a file,
    such as MLflow params, metric keys, tags and table cells."""
    return tuple(_scan_pieces(_scanner(tuple(phone_regions)), list(strings)))


def contact_finder(phone_regions: tuple[str, ...] = DEFAULT_PHONE_REGIONS) -> Callable[[str], list[tuple[str, str]]]:
    """A function returning ``[(kind, value), ...]``: the personal data the self-scan sees in one string.

    The audit hands it to the pseudonymisation of group values, feature names and card fields
    (:mod:`ethicscheck._pseudonyms`), so they are judged by the same recognizers as the published files.
    """
    scanner = _scanner(tuple(phone_regions))

    def find(text: str) -> list[tuple[str, str]]:
        found = [(leak.kind, leak.value) for leak in _scan_pieces(scanner, [(text, "")])]
        # the plain patterns as well: names glued with '_' or ending in '.csv' escape the recognizers' word boundaries
        return found + [(kind, value) for kind, value in regex_finder(text) if not any(value in v or v in value for _, v in found)]

    return find


def visible_text(suffix: str, raw: str) -> str:
    """What a reader of the file sees: JSON string values, markup's text content, other files whole.

    Numbers in JSON and coordinates in SVG are not personal data, but long digit strings in them
    would look like card or phone numbers to the recognizers.
    """
    if suffix == ".json":
        try:
            return "\n".join(text for text, _ in _json_strings(json.loads(raw), ""))
        except json.JSONDecodeError:
            return raw
    if suffix in (".html", ".htm", ".svg", ".xml"):
        return html.unescape(_TAG.sub(" ", _HIDDEN.sub(" ", raw)))
    return raw


@lru_cache(maxsize=4)
def _scanner(phone_regions: tuple[str, ...]) -> Scanner:
    return Scanner(ARTIFACT_ENTITIES, phone_regions=phone_regions)


def _pieces(path: Path, raw: str) -> list[tuple[str, str]]:
    """``(text, place)`` of what a reader of the file sees: each JSON string with its path, else the visible text."""
    if path.suffix.lower() == ".json":
        try:
            return [(text, f"{path.name}, {where}") for text, where in _json_strings(json.loads(raw), "")]
        except json.JSONDecodeError:
            pass
    return [(visible_text(path.suffix.lower(), raw), path.name)]


def _scan_pieces(scanner: Scanner, pieces: list[tuple[str, str]]) -> list[Leak]:
    """Scan the pieces as one text (one scanner call), each finding attributed to the piece it starts in."""
    starts, position = [], 0
    for text, _ in pieces:
        starts.append(position)
        position += len(text) + len(_BETWEEN_PIECES)
    joined = _BETWEEN_PIECES.join(text for text, _ in pieces)
    leaks = []
    blanked = PSEUDONYM.sub(lambda m: m.group(1) + "-" + " " * len(m.group(2)), _HEX_ID.sub(lambda m: " " * len(m.group()), joined))
    for finding in scanner.analyze(blanked):
        index = bisect.bisect_right(starts, finding.start) - 1
        leaks.append(Leak(pieces[index][1], finding.entity_type, joined[finding.start : finding.end]))
    return leaks


def _json_strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every string in a JSON document, dictionary keys included, with its path (``a.b[2].c``)."""
    if isinstance(value, str):
        yield value, where or "(document)"
    elif isinstance(value, dict):
        for key, item in value.items():
            # the path names ethicscheck's own keys only: a key from the data (a group name) shows as [...]
            step = str(key) if _SCHEMA_KEY.fullmatch(str(key)) else "[...]"
            yield str(key), f"a key in {where or '(document)'}"
            yield from _json_strings(item, f"{where}.{step}" if where else step)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_strings(item, f"{where}[{index}]")
