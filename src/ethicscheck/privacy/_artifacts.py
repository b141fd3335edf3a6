"""Scan the audit's own files, and any string it is about to publish, before they are published.

The counts go into the report (:class:`ArtifactScan`); the values found and where they are
(:class:`Leak`) stay in memory, so the audit can replace exactly those values with pseudonyms or stop
naming the field (``privacy.on_personal_data``).

Two passes over a report, both linear in its size: the input values in one Aho-Corasick pass per file
(:class:`KnownValues`), and the recognizers over the pieces a reader sees as one — a JSON string, a table
cell, a paragraph, a chart label — each piece on its own (a finding lies inside one piece, judged by its
words: the cells of a table never join into one number) and each distinct text once (a report repeats its
group names and sentences across audit.json, the cards and the charts).
"""

from __future__ import annotations

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
_TAG_NAME = re.compile(r"</?\s*([A-Za-z][\w:.-]*)")
_ATTRIBUTE_VALUE = re.compile(r"""\s[\w:.-]+\s*=\s*(?:"([^"]*)"|'([^']*)')""")
#: Markup elements that run inside a line of text: their tags read as a space. Every other tag (a table cell, a
#: paragraph, a heading, a chart's text element) ends a piece a reader sees on its own, scanned as its own piece.
_INLINE = frozenset(
    "a abbr b bdi bdo br cite code data del dfn em i ins kbd mark q s samp small span strong sub sup time tspan u var wbr".split()
)
#: A Markdown table row, and the bars between its cells (an escaped bar, ``\|``, is part of a cell).
_TABLE_ROW = re.compile(r"\s*\|.*\|\s*")
_CELL_BAR = re.compile(r"(?<!\\)\|")
_SCHEMA_KEY = re.compile(r"[a-z_][a-z0-9_]*")
#: Identifiers the audit writes (run ids, model UUIDs, digests): hex runs with letters and digits, and MLflow 3's
#: logged-model id, ``m-`` and 32 hex digits (the ``model_uuid`` of a model logged with MLflow 3: the ``m-`` hid the
#: hex run from the rule before it, and a third of such ids read as a phone number, "6513270e269e4"). Their digit
#: stretches are not phone numbers; they are blanked (offsets kept) before the recognizers read the text.
_HEX_ID = re.compile(
    r"(?<![\w-])(?:m-[0-9a-f]{32}|(?=[0-9a-f-]*[a-f])(?=[0-9a-f-]*[0-9])[0-9a-f](?:-?[0-9a-f]){11,})(?![\w-])", re.IGNORECASE
)

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
    seen: dict[str, list[tuple[str, str]]] = {}  # the report's files repeat their texts (group names, sentences): each is scanned once
    for path in files:
        raw = path.read_text(encoding="utf-8", errors="replace")
        found = _scan_pieces(scanner, _pieces(path, raw), seen)
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
    """``(text, place)`` of what a reader of the file sees, each piece on its own.

    A piece is what a reader reads as one: a JSON string (with its path), a table cell, a paragraph, a chart's
    text element; in XML (junit.xml) attribute values too, which CI pages show. Pieces are scanned apart, so the
    cells of a table row ("2.47122 | 700": a threshold beside a count) never read as one number.
    """
    suffix = path.suffix.lower()
    if suffix == ".json":
        try:
            return [(text, f"{path.name}, {where}") for text, where in _json_strings(json.loads(raw), "")]
        except json.JSONDecodeError:
            pass
    elif suffix in (".html", ".htm", ".svg", ".xml"):
        return [(text, path.name) for text in _markup_pieces(raw, attributes=suffix == ".xml")]
    elif suffix == ".md":
        return [(text, path.name) for text in _markdown_pieces(raw)]
    return [(raw, path.name)]


def _markup_pieces(raw: str, *, attributes: bool) -> list[str]:
    """The text of markup between the tags that end a piece (every tag but :data:`_INLINE` ones), unescaped."""
    texts: list[str] = []
    current: list[str] = []
    shown = _HIDDEN.sub("<hidden>", raw)
    last = 0
    for tag in _TAG.finditer(shown):
        current.append(shown[last : tag.start()])
        last = tag.end()
        name = _TAG_NAME.match(tag.group())
        if name is not None and name.group(1).lower() in _INLINE:
            current.append(" ")
            continue
        texts.append("".join(current))
        current = []
        if attributes:
            texts.extend(a or b for a, b in _ATTRIBUTE_VALUE.findall(tag.group()))
    texts.append("".join(current) + shown[last:])
    return [text for text in map(html.unescape, texts) if text.strip()]


def _markdown_pieces(raw: str) -> list[str]:
    """Each paragraph (lines between blank lines) of Markdown, and each cell of its tables."""
    texts: list[str] = []
    block: list[str] = []
    for line in [*raw.split("\n"), ""]:
        if line.strip() and not _TABLE_ROW.fullmatch(line):
            block.append(line)
            continue
        texts.append("\n".join(block))
        block = []
        if line.strip():
            texts.extend(_CELL_BAR.split(line.strip())[1:-1])
    return [text for text in texts if text.strip()]


def _scan_pieces(scanner: Scanner, pieces: Iterable[tuple[str, str]], seen: dict[str, list[tuple[str, str]]] | None = None) -> list[Leak]:
    """The findings of each ``(text, place)`` piece, scanned on its own: a finding lies inside one piece and is judged
    by that piece's words. Each distinct text is scanned once (``seen`` carries the findings across calls)."""
    seen = {} if seen is None else seen
    leaks: list[Leak] = []
    for text, place in pieces:
        found = seen.get(text)
        if found is None:
            found = seen[text] = _findings(scanner, text)
        leaks.extend(Leak(place, entity_type, value) for entity_type, value in found)
    return leaks


def _findings(scanner: Scanner, text: str) -> list[tuple[str, str]]:
    """``(entity type, value)`` of what the recognizers find in ``text``, the audit's own identifiers blanked first."""
    return [(finding.entity_type, text[finding.start : finding.end]) for finding in scanner.analyze(_blank_ids(text))]


def _blank_ids(text: str) -> str:
    """``text`` with the audit's identifiers (run ids, digests, the hashes of its pseudonyms) blanked, offsets kept."""
    return PSEUDONYM.sub(lambda m: m.group(1) + "-" + " " * len(m.group(2)), _HEX_ID.sub(lambda m: " " * len(m.group()), text))


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
