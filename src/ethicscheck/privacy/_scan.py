"""Scan the evaluation text for personal data and summarize it by entity type and group."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from importlib.metadata import version

import numpy as np
import pandas as pd

from ethicscheck.data import require_columns
from ethicscheck.fairness import GroupEncoding
from ethicscheck.privacy._engine import offline_analyzer, undetectable_entities
from ethicscheck.privacy._result import (
    ColumnScan,
    EntityInventory,
    GroupShare,
    PrivacyResult,
)

__all__ = ["scan_texts", "find_entities"]


def scan_texts(
    frame: pd.DataFrame,
    columns: Sequence[str],
    *,
    entities: Sequence[str],
    groups: Sequence[GroupEncoding] = (),
    score_threshold: float = 0.4,
    phone_regions: Sequence[str] = ("US",),
    max_rows: int | None = None,
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
    source: str = "data",
) -> PrivacyResult:
    """Inventory the personal data in text columns.

    Parameters
    ----------
    frame : DataFrame
        Evaluation rows.
    columns : sequence of str
        Text columns to scan.
    entities : sequence of str
        Presidio entity types to look for.
    groups : sequence of GroupEncoding
        Encoded sensitive features (codes for every row of ``frame``), for per-group rates.
    score_threshold : float
        Minimum Presidio score of a finding.
    phone_regions : sequence of str
        Countries whose phone formats count.
    max_rows : int, optional
        Scan a seeded random sample of at most this many rows.
    seed : int
        Seed of that sample.
    progress : callable, optional
        Called with the number of rows scanned after each row.
    source : str
        File name for error messages.

    Returns
    -------
    PrivacyResult
        Counts only: no text or matched value is kept.
    """
    require_columns(frame, {f"privacy.columns[{i}]": c for i, c in enumerate(columns)}, source=source)
    rows = np.arange(len(frame))
    sampled = max_rows is not None and max_rows < len(frame)
    if sampled:
        rows = np.sort(np.random.default_rng(seed).choice(len(frame), size=max_rows, replace=False))
    detectable = [e for e in entities if e not in undetectable_entities(entities)]
    analyzer = offline_analyzer(entities=tuple(detectable), phone_regions=tuple(phone_regions)) if detectable else None
    scans = []
    for column in columns:
        texts = frame[column].iloc[rows]
        hits = find_entities(texts, analyzer, detectable, score_threshold, progress) if analyzer else {}
        scans.append(_inventory(column, hits, detectable, rows, groups))
    return PrivacyResult(
        engine=f"presidio-analyzer {version('presidio-analyzer')}, offline pattern recognizers (no named-entity model)",
        entities_requested=tuple(entities),
        undetectable=tuple(undetectable_entities(entities)),
        columns=tuple(scans),
        sampled=sampled,
    )


def find_entities(
    texts: pd.Series,
    analyzer: object,
    entities: Sequence[str],
    score_threshold: float,
    progress: Callable[[int], None] | None = None,
) -> dict[str, np.ndarray]:
    """Number of findings of each entity type in each text (missing text counts as none)."""
    counts = {e: np.zeros(len(texts), dtype=np.int64) for e in entities}
    for i, text in enumerate(texts):
        if isinstance(text, str) and text:
            for found in analyzer.analyze(text, language="en", entities=list(entities), score_threshold=score_threshold):  # type: ignore[attr-defined]
                counts[found.entity_type][i] += 1
        if progress is not None:
            progress(1)
    return counts


def _inventory(column: str, hits: Mapping[str, np.ndarray], entities: Sequence[str], rows: np.ndarray, groups: Sequence[GroupEncoding]) -> ColumnScan:
    any_hit = np.zeros(len(rows), dtype=bool)
    inventories = []
    for entity in entities:
        per_row = hits.get(entity, np.zeros(len(rows), dtype=np.int64))
        affected = per_row > 0
        any_hit |= affected
        by_group = {}
        for encoding in groups:
            codes = encoding.codes[rows]
            totals = np.bincount(codes, minlength=encoding.n_groups)
            with_entity = np.bincount(codes, weights=affected, minlength=encoding.n_groups).astype(np.int64)
            by_group[encoding.name] = {
                encoding.labels[g]: GroupShare(int(totals[g]), int(with_entity[g])) for g in range(encoding.n_groups) if totals[g]
            }
        inventories.append(EntityInventory(entity, int(per_row.sum()), int(affected.sum()), len(rows), by_group))
    return ColumnScan(column, len(rows), int(any_hit.sum()), tuple(inventories))
