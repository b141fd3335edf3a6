"""Typed results of the personal-data scan. They hold counts and entity types, never text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ethicscheck._serialize import Serializable, json_options, load
from ethicscheck.privacy._quality import DetectionQuality

__all__ = ["GroupShare", "EntityInventory", "ColumnScan", "OutputScan", "ArtifactScan", "PrivacyResult"]


@dataclass(frozen=True)
class GroupShare(Serializable):
    """How many rows of one group carry an entity type."""

    rows: int
    rows_affected: int

    JSON_ORDER = ("rows", "rows_affected", "rate")

    @property
    def rate(self) -> float | None:
        return self.rows_affected / self.rows if self.rows else None


@dataclass(frozen=True)
class EntityInventory(Serializable):
    """One entity type found in one text column (``rows_scanned`` is its column's, written there once)."""

    entity_type: str
    findings: int
    rows_affected: int
    rows_scanned: int = field(metadata=json_options(written=False))
    by_group: dict[str, dict[str, GroupShare]] = field(default_factory=dict)
    examples: tuple[str, ...] = ()
    #: Each example's key (:mod:`ethicscheck.privacy._examples`), for merging scans of parts of the rows; not published, not compared.
    example_keys: tuple[tuple[int, int], ...] = field(default=(), compare=False, metadata=json_options(written=False))

    JSON_ORDER = ("entity_type", "findings", "rows_affected", "row_rate", "by_group", "examples")

    @property
    def row_rate(self) -> float:
        return self.rows_affected / self.rows_scanned if self.rows_scanned else 0.0


@dataclass(frozen=True)
class ColumnScan(Serializable):
    """The inventory of one scanned text column."""

    column: str
    rows_scanned: int
    rows_with_pii: int
    entities: tuple[EntityInventory, ...]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ColumnScan:
        """Read as written, each entity getting the column's ``rows_scanned`` (written once, here)."""
        entities = [{**e, "rows_scanned": data["rows_scanned"]} for e in data["entities"]]
        return load(cls, {**data, "entities": entities})


@dataclass(frozen=True)
class OutputScan(Serializable):
    """Personal data in one model-output column, split by whether the row's input already had it."""

    column: str
    rows_scanned: int
    rows_with_pii: int
    echoed: dict[str, int]
    novel: dict[str, int]

    JSON_ORDER = ("column", "rows_scanned", "rows_with_pii", "echoed", "novel", "novel_total")

    @property
    def novel_total(self) -> int:
        return sum(self.novel.values())


@dataclass(frozen=True)
class ArtifactScan(Serializable):
    """What the audit's own files contained when they were published (counts, never values).

    ``pseudonymized`` counts the distinct values an earlier scan found and replaced by pseudonyms
    (``privacy.on_personal_data: pseudonymize``) before this scan of the published files.
    """

    files: dict[str, dict[str, int]]
    leaked_input_values: int
    pseudonymized: int = 0

    JSON_ORDER = ("files", "leaked_input_values", "findings", "pseudonymized")

    @property
    def findings(self) -> int:
        return self.leaked_input_values + sum(sum(v.values()) for v in self.files.values())


@dataclass(frozen=True)
class PrivacyResult(Serializable):
    """Everything the privacy stage found, plus what it could not look for."""

    engine: str
    entities_requested: tuple[str, ...]
    undetectable: tuple[str, ...]
    columns: tuple[ColumnScan, ...]
    sampled: bool
    skipped_reason: str | None = None
    outputs: tuple[OutputScan, ...] = ()
    artifacts: ArtifactScan | None = None
    quality: DetectionQuality | None = None

    JSON_ORDER = ("engine", "entities_requested", "undetectable", "sampled", "skipped_reason", "columns", "outputs", "artifacts", "quality")

    @property
    def rows_with_pii(self) -> int:
        return max((c.rows_with_pii for c in self.columns), default=0)
