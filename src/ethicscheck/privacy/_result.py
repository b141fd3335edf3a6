"""Typed results of the personal-data scan. They hold counts and entity types, never text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ethicscheck.privacy._quality import DetectionQuality

__all__ = ["GroupShare", "EntityInventory", "ColumnScan", "OutputScan", "ArtifactScan", "PrivacyResult"]


@dataclass(frozen=True)
class GroupShare:
    """How many rows of one group carry an entity type."""

    rows: int
    rows_affected: int

    @property
    def rate(self) -> float | None:
        return self.rows_affected / self.rows if self.rows else None

    def to_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "rows_affected": self.rows_affected, "rate": self.rate}


@dataclass(frozen=True)
class EntityInventory:
    """One entity type found in one text column."""

    entity_type: str
    findings: int
    rows_affected: int
    rows_scanned: int
    by_group: dict[str, dict[str, GroupShare]] = field(default_factory=dict)
    examples: tuple[str, ...] = ()

    @property
    def row_rate(self) -> float:
        return self.rows_affected / self.rows_scanned if self.rows_scanned else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity_type": self.entity_type,
            "findings": self.findings,
            "rows_affected": self.rows_affected,
            "row_rate": self.row_rate,
            "by_group": {f: {g: s.to_dict() for g, s in groups.items()} for f, groups in self.by_group.items()},
            "examples": list(self.examples),
        }


@dataclass(frozen=True)
class ColumnScan:
    """The inventory of one scanned text column."""

    column: str
    rows_scanned: int
    rows_with_pii: int
    entities: tuple[EntityInventory, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "column": self.column,
            "rows_scanned": self.rows_scanned,
            "rows_with_pii": self.rows_with_pii,
            "entities": [e.to_dict() for e in self.entities],
        }


@dataclass(frozen=True)
class OutputScan:
    """Personal data in one model-output column, split by whether the row's input already had it."""

    column: str
    rows_scanned: int
    rows_with_pii: int
    echoed: dict[str, int]
    novel: dict[str, int]

    @property
    def novel_total(self) -> int:
        return sum(self.novel.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "column": self.column,
            "rows_scanned": self.rows_scanned,
            "rows_with_pii": self.rows_with_pii,
            "echoed": dict(self.echoed),
            "novel": dict(self.novel),
            "novel_total": self.novel_total,
        }


@dataclass(frozen=True)
class ArtifactScan:
    """What the audit's own files contained before they were published (counts, never values)."""

    files: dict[str, dict[str, int]]
    leaked_input_values: int

    @property
    def findings(self) -> int:
        return self.leaked_input_values + sum(sum(v.values()) for v in self.files.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": {k: dict(v) for k, v in self.files.items()},
            "leaked_input_values": self.leaked_input_values,
            "findings": self.findings,
        }


@dataclass(frozen=True)
class PrivacyResult:
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

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PrivacyResult:
        columns = tuple(
            ColumnScan(
                column=c["column"],
                rows_scanned=c["rows_scanned"],
                rows_with_pii=c["rows_with_pii"],
                entities=tuple(
                    EntityInventory(
                        entity_type=e["entity_type"],
                        findings=e["findings"],
                        rows_affected=e["rows_affected"],
                        rows_scanned=c["rows_scanned"],
                        by_group={
                            f: {g: GroupShare(s["rows"], s["rows_affected"]) for g, s in groups.items()}
                            for f, groups in e.get("by_group", {}).items()
                        },
                        examples=tuple(e.get("examples", [])),
                    )
                    for e in c["entities"]
                ),
            )
            for c in data["columns"]
        )
        outputs = tuple(
            OutputScan(o["column"], o["rows_scanned"], o["rows_with_pii"], dict(o["echoed"]), dict(o["novel"]))
            for o in data.get("outputs", [])
        )
        artifacts = data.get("artifacts")
        artifact_scan = (
            ArtifactScan({k: dict(v) for k, v in artifacts["files"].items()}, artifacts["leaked_input_values"]) if artifacts else None
        )
        return cls(
            data["engine"],
            tuple(data["entities_requested"]),
            tuple(data["undetectable"]),
            columns,
            data["sampled"],
            data.get("skipped_reason"),
            outputs,
            artifact_scan,
            DetectionQuality.from_dict(data["quality"]) if data.get("quality") else None,
        )

    @property
    def rows_with_pii(self) -> int:
        return max((c.rows_with_pii for c in self.columns), default=0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "entities_requested": list(self.entities_requested),
            "undetectable": list(self.undetectable),
            "sampled": self.sampled,
            "skipped_reason": self.skipped_reason,
            "columns": [c.to_dict() for c in self.columns],
            "outputs": [o.to_dict() for o in self.outputs],
            "artifacts": self.artifacts.to_dict() if self.artifacts else None,
            "quality": self.quality.to_dict() if self.quality else None,
        }
