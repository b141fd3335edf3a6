"""Scans of batches of rows added into the scan of all of them.

Every figure of a scan is a count (rows scanned, rows with an entity, findings, echoed and novel
outputs, per group), so batches add exactly; examples are those with the smallest keys of all parts, as a
scan of all rows at once picks them (:mod:`ethicscheck.privacy._examples`), whatever the parts' order. Groups are
listed in ``group_order`` (the order a whole scan uses).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from ethicscheck.privacy._examples import smallest_examples
from ethicscheck.privacy._result import ColumnScan, EntityInventory, GroupShare, OutputScan, PrivacyResult

__all__ = ["merge_scans"]


def merge_scans(parts: Sequence[PrivacyResult], *, examples: int, group_order: Mapping[str, Sequence[str]], sampled: bool) -> PrivacyResult:
    """One result for the rows of ``parts`` (batches in row order, each scanned with the same options)."""
    first = parts[0]
    columns = tuple(_column([p.columns[i] for p in parts], examples, group_order) for i in range(len(first.columns)))
    outputs = tuple(_output([p.outputs[i] for p in parts]) for i in range(len(first.outputs)))
    return replace(first, columns=columns, outputs=outputs, sampled=sampled)


def _column(scans: list[ColumnScan], examples: int, group_order: Mapping[str, Sequence[str]]) -> ColumnScan:
    rows = sum(s.rows_scanned for s in scans)
    entities = tuple(_entity([s.entities[i] for s in scans], rows, examples, group_order) for i in range(len(scans[0].entities)))
    return ColumnScan(scans[0].column, rows, sum(s.rows_with_pii for s in scans), entities)


def _entity(parts: list[EntityInventory], rows: int, examples: int, group_order: Mapping[str, Sequence[str]]) -> EntityInventory:
    by_group: dict[str, dict[str, GroupShare]] = {}
    for feature, order in group_order.items():
        totals: dict[str, list[int]] = {}
        for part in parts:
            for group, share in part.by_group.get(feature, {}).items():
                total = totals.setdefault(group, [0, 0])
                total[0] += share.rows
                total[1] += share.rows_affected
        if any(feature in part.by_group for part in parts):
            by_group[feature] = {g: GroupShare(*totals[g]) for g in order if g in totals}
    keys, shown = smallest_examples(((k, e) for part in parts for k, e in zip(part.example_keys, part.examples)), examples)
    return EntityInventory(
        parts[0].entity_type,
        sum(p.findings for p in parts),
        sum(p.rows_affected for p in parts),
        rows,
        by_group,
        shown,
        keys,
    )


def _output(parts: list[OutputScan]) -> OutputScan:
    echoed: dict[str, int] = {}
    novel: dict[str, int] = {}
    for part in parts:
        for entity, n in part.echoed.items():
            echoed[entity] = echoed.get(entity, 0) + n
        for entity, n in part.novel.items():
            novel[entity] = novel.get(entity, 0) + n
    return OutputScan(parts[0].column, sum(p.rows_scanned for p in parts), sum(p.rows_with_pii for p in parts), echoed, novel)
