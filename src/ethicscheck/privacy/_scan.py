"""Scan evaluation inputs and model outputs for personal data; summarize by entity type and group."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from importlib.metadata import version
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from ethicscheck._vocabulary import DEFAULT_PHONE_REGIONS
from ethicscheck.config import PrivacyConfig
from ethicscheck.data import require_columns
from ethicscheck.fairness import GroupEncoding
from ethicscheck.privacy._cells import cell_text, cell_texts
from ethicscheck.privacy._digits import spelled_digits
from ethicscheck.privacy._engine import undetectable_entities
from ethicscheck.privacy._examples import ExampleSample, text_key
from ethicscheck.privacy._normalize import clean_view
from ethicscheck.privacy._quality import measured_quality
from ethicscheck.privacy._redact import Redaction, snippet
from ethicscheck.privacy._result import ColumnScan, EntityInventory, GroupShare, OutputScan, PrivacyResult
from ethicscheck.privacy._sample import row_keys, sample_cut, smallest_keys
from ethicscheck.privacy._scanner import Scanner

__all__ = [
    "FoundSpan",
    "ScanOptions",
    "ScanPlan",
    "count_rows",
    "find_entities",
    "find_rows",
    "normalized_value",
    "plan_scan",
    "prepare_scanner",
    "scan_result",
    "scan_texts",
]

_CHUNK = 500


class FoundSpan(NamedTuple):
    """One finding: what the scan keeps of presidio's ``RecognizerResult`` (type, offsets into the text, score).

    Four plain fields travel between processes ~150x faster than presidio's objects with their
    explanations, which made ``privacy.n_jobs: 2`` slower than one process.
    """

    entity_type: str
    start: int
    end: int
    score: float


@dataclass(frozen=True)
class ScanOptions:
    """How to scan: what to look for, how strict, how to redact examples, how many processes."""

    entities: tuple[str, ...]
    score_threshold: float = 0.4
    phone_regions: tuple[str, ...] = DEFAULT_PHONE_REGIONS
    nlp_model: str | None = None
    examples: int = 2
    redaction: Redaction = "placeholder"
    hash_salt: str = ""
    n_jobs: int = 1

    @classmethod
    def from_settings(cls, settings: PrivacyConfig) -> ScanOptions:
        """The options an audit config's ``privacy:`` section asks for."""
        return cls(
            entities=tuple(settings.entities),
            score_threshold=settings.score_threshold,
            phone_regions=tuple(settings.phone_regions),
            nlp_model=settings.nlp_model,
            examples=settings.examples,
            redaction=settings.redaction,
            hash_salt=settings.hash_salt,
            n_jobs=settings.n_jobs,
        )


def scan_texts(
    frame: pd.DataFrame,
    columns: Sequence[str],
    options: ScanOptions,
    *,
    output_columns: Sequence[str] = (),
    groups: Sequence[GroupEncoding] = (),
    max_rows: int | None = None,
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
    source: str = "data",
    found_values: set[str] | None = None,
) -> PrivacyResult:
    """Inventory personal data in input text columns and classify it in model-output columns.

    Parameters
    ----------
    frame : DataFrame
        Evaluation rows.
    columns : sequence of str
        Input text columns.
    options : ScanOptions
    output_columns : sequence of str
        Columns holding model outputs (explanations, extracted fields, generated replies). A finding
        there is *echoed* when the same value (phones compared digit by digit) is in that row's input,
        else *novel*: possible memorization of training data.
    groups : sequence of GroupEncoding
        Encoded sensitive features (codes for every row of ``frame``), for per-group rates.
    max_rows : int, optional
        Scan a seeded sample of this many rows, chosen by their content (the same rows on every engine:
        :mod:`ethicscheck.privacy._sample`).
    seed : int
    progress : callable, optional
        Called with the number of texts scanned.
    source : str
        File name for error messages.
    found_values : set, optional
        Filled with the raw values found in inputs, in memory only, so the audit can check its own
        files for them before publishing.

    Returns
    -------
    PrivacyResult
        Counts and redacted examples; no raw value is kept.
    """
    plan = plan_scan(frame, columns, options, output_columns=output_columns, groups=groups, max_rows=max_rows, seed=seed, source=source)
    found = find_rows(frame, plan, plan.rows, options, progress)
    scans, outputs = count_rows(frame, plan, plan.rows, found, options, groups=groups, seed=seed, found_values=found_values)
    return scan_result(plan, options, scans, outputs)


@dataclass(frozen=True)
class ScanPlan:
    """What a scan reads: its input and output columns, the rows (all, or the seeded sample), the entity types."""

    columns: tuple[str, ...]
    output_columns: tuple[str, ...]
    rows: np.ndarray
    sampled: bool
    detectable: tuple[str, ...]
    undetectable: tuple[str, ...]


def plan_scan(
    frame: pd.DataFrame,
    columns: Sequence[str],
    options: ScanOptions,
    *,
    output_columns: Sequence[str] = (),
    groups: Sequence[GroupEncoding] = (),
    max_rows: int | None = None,
    seed: int = 0,
    source: str = "data",
) -> ScanPlan:
    """The rows and columns :func:`scan_texts` reads (its parameters); the columns are checked first.

    Raises
    ------
    DataError
        A column is missing (the message names the file and the config field).
    """
    wanted = {f"privacy.columns[{i}]": c for i, c in enumerate(columns)}
    wanted.update({f"privacy.output_columns[{i}]": c for i, c in enumerate(output_columns)})
    require_columns(frame, wanted, source=source)
    rows = np.arange(len(frame))
    sampled = max_rows is not None and max_rows < len(frame)
    if max_rows is not None and sampled:  # by content, as the stream and Spark engines sample (privacy/_sample.py)
        keys = row_keys(frame, [*columns, *output_columns], groups, seed)
        cut = sample_cut(smallest_keys(keys, max_rows), max_rows=max_rows, n_rows=len(frame))
        assert cut is not None
        rows = cut.rows(keys)
    undetectable = undetectable_entities(options.entities, nlp_model=options.nlp_model)
    detectable = tuple(e for e in options.entities if e not in undetectable)
    return ScanPlan(tuple(columns), tuple(output_columns), rows, sampled, detectable, tuple(undetectable))


def find_rows(
    frame: pd.DataFrame, plan: ScanPlan, rows: np.ndarray, options: ScanOptions, progress: Callable[[int], None] | None = None
) -> dict[str, list[list[FoundSpan]]]:
    """The findings in every scanned column (inputs, then outputs) of ``rows``: per column, one list per row."""
    return {
        column: find_entities(cell_texts(frame[column].iloc[rows]), options, plan.detectable, progress)
        for column in (*plan.columns, *plan.output_columns)
    }


def count_rows(
    frame: pd.DataFrame,
    plan: ScanPlan,
    rows: np.ndarray,
    found: dict[str, list[list[FoundSpan]]],
    options: ScanOptions,
    *,
    groups: Sequence[GroupEncoding] = (),
    seed: int = 0,
    found_values: set[str] | None = None,
) -> tuple[tuple[ColumnScan, ...], tuple[OutputScan, ...]]:
    """The counts and examples of ``rows`` from their findings (:func:`find_rows`): one scan per input column, one
    classification per output column. Scans of disjoint rows add up to the scan of all of them (:func:`merge_scans`)."""
    scans = []
    for column in plan.columns:
        texts = cell_texts(frame[column].iloc[rows])
        if found_values is not None:
            found_values.update(t[f.start : f.end] for t, fs in zip(texts, found[column]) for f in fs if isinstance(t, str))
        scans.append(_inventory(column, texts, found[column], plan.detectable, rows, groups, options, seed))
    outputs = []
    for column in plan.output_columns:
        texts = cell_texts(frame[column].iloc[rows])
        outputs.append(_classify_outputs(column, texts, found[column], frame.iloc[rows], plan.columns, found))
    return tuple(scans), tuple(outputs)


def scan_result(plan: ScanPlan, options: ScanOptions, scans: tuple[ColumnScan, ...], outputs: tuple[OutputScan, ...]) -> PrivacyResult:
    """The result of a scan planned by ``plan`` from its counts (:func:`count_rows`)."""
    return PrivacyResult(
        engine=f"presidio-analyzer {version('presidio-analyzer')} recognizers with ethicscheck's, offline"
        + (f", named entities from '{os.path.basename(options.nlp_model)}'" if options.nlp_model else " (no named-entity model)"),
        entities_requested=tuple(options.entities),
        undetectable=plan.undetectable,
        columns=scans,
        sampled=plan.sampled,
        outputs=outputs,
        quality=measured_quality(same_settings=_default_settings(options)),
    )


def _default_settings(options: ScanOptions) -> bool:
    """Did this scan use the settings the shipped figures were measured with?"""
    defaults = ScanOptions.from_settings(PrivacyConfig())
    return (options.entities, options.score_threshold, options.phone_regions, options.nlp_model) == (
        defaults.entities,
        defaults.score_threshold,
        defaults.phone_regions,
        defaults.nlp_model,
    )


def find_entities(
    texts: Sequence[Any], options: ScanOptions, entities: Sequence[str], progress: Callable[[int], None] | None = None
) -> list[list[FoundSpan]]:
    """Findings per text, in order; ``options.n_jobs`` > 1 splits the texts across processes.

    Each distinct text is scanned once and its findings given to every copy (ads are reposted word for
    word; a finding depends on the text alone). The scanner is built once in this process before the
    workers start: forked workers inherit it (others build it once each). Workers send back
    :class:`FoundSpan` tuples, never presidio objects.
    """
    index: dict[str, int] = {}
    where = [index.setdefault(text, len(index)) if isinstance(text, str) else -1 for text in texts]
    distinct = list(index)
    if progress is not None and len(texts) > len(distinct):
        progress(len(texts) - len(distinct))  # copies and missing values: nothing to scan
    found = _scan_all(distinct, options, entities, progress)
    return [list(found[i]) if i >= 0 else [] for i in where]


def _scan_all(
    texts: list[str], options: ScanOptions, entities: Sequence[str], progress: Callable[[int], None] | None
) -> list[list[FoundSpan]]:
    chunks = [texts[i : i + _CHUNK] for i in range(0, len(texts), _CHUNK)]
    settings = (tuple(entities), options.score_threshold, options.phone_regions, options.nlp_model)
    out: list[list[FoundSpan]] = []
    _start_worker(*settings)
    if options.n_jobs > 1 and len(chunks) > 1:
        with ProcessPoolExecutor(max_workers=options.n_jobs, initializer=_start_worker, initargs=settings) as pool:
            for chunk, found in zip(chunks, pool.map(_scan_chunk, chunks)):
                out.extend(found)
                if progress is not None:
                    progress(len(chunk))
        return out
    for chunk in chunks:
        out.extend(_scan_chunk(chunk))
        if progress is not None:
            progress(len(chunk))
    return out


_WORKER: dict[str, Scanner] = {}


def prepare_scanner(options: ScanOptions, entities: Sequence[str]) -> None:
    """Build this process's scanner for ``entities`` and compile its gates now, before forking processes that scan
    (:mod:`ethicscheck.privacy._parallel`): they inherit both instead of building and compiling one each."""
    _start_worker(tuple(entities), options.score_threshold, options.phone_regions, options.nlp_model)
    (scanner,) = _WORKER.values()
    scanner.compile_gates()


def _start_worker(entities: tuple[str, ...], threshold: float, regions: tuple[str, ...], nlp_model: str | None) -> None:
    key = repr((entities, threshold, regions, nlp_model))
    if key not in _WORKER:
        _WORKER.clear()
        _WORKER[key] = Scanner(entities, phone_regions=regions, score_threshold=threshold, nlp_model=nlp_model)


def _scan_chunk(texts: list[Any]) -> list[list[FoundSpan]]:
    (scanner,) = _WORKER.values()
    return [[FoundSpan(f.entity_type, f.start, f.end, f.score) for f in scanner.analyze(t)] if isinstance(t, str) else [] for t in texts]


def normalized_value(entity: str, value: str) -> str:
    """How values are compared between input and output: phones by their digits, the rest case-folded."""
    if entity == "PHONE_NUMBER":
        return spelled_digits(clean_view(value).text)
    return value.strip().casefold()


def _inventory(column, texts, found, entities, rows, groups, options, seed) -> ColumnScan:  # type: ignore[no-untyped-def]
    counts = {e: np.zeros(len(texts), dtype=np.int64) for e in entities}
    examples = {e: ExampleSample(options.examples) for e in entities}
    for i, (text, findings) in enumerate(zip(texts, found)):
        if not findings:
            continue
        key, place = text_key(text, seed), dict.fromkeys(entities, 0)
        for finding in findings:
            counts[finding.entity_type][i] += 1
            redacted = partial(snippet, text, finding, findings, mode=options.redaction, hash_salt=options.hash_salt)
            examples[finding.entity_type].offer((key, place[finding.entity_type]), redacted)
            place[finding.entity_type] += 1
    any_hit = np.zeros(len(texts), dtype=bool)
    inventories = []
    for entity in entities:
        affected = counts[entity] > 0
        any_hit |= affected
        by_group = {}
        for encoding in groups:
            codes = encoding.codes[rows]
            totals = np.bincount(codes, minlength=encoding.n_groups)
            with_entity = np.bincount(codes, weights=affected, minlength=encoding.n_groups).astype(np.int64)
            by_group[encoding.name] = {
                encoding.labels[g]: GroupShare(int(totals[g]), int(with_entity[g])) for g in range(encoding.n_groups) if totals[g]
            }
        keys, shown = examples[entity].chosen()
        inventories.append(EntityInventory(entity, int(counts[entity].sum()), int(affected.sum()), len(texts), by_group, shown, keys))
    return ColumnScan(column, len(texts), int(any_hit.sum()), tuple(inventories))


def _classify_outputs(column, texts, found, rows_frame, input_columns, inputs) -> OutputScan:  # type: ignore[no-untyped-def]
    echoed: dict[str, int] = {}
    novel: dict[str, int] = {}
    rows_with = 0
    for i, (text, findings) in enumerate(zip(texts, found)):
        if not findings:
            continue
        rows_with += 1
        texts_in = {c: cell_text(rows_frame[c].iloc[i]) for c in input_columns}
        cells = {c: v for c, v in texts_in.items() if v is not None}
        known = {normalized_value(f.entity_type, cell[f.start : f.end]) for c, cell in cells.items() for f in inputs[c][i]}
        source_text = " ".join(cells.values())
        for finding in findings:
            value = text[finding.start : finding.end]
            same = normalized_value(finding.entity_type, value) in known or value.casefold() in source_text.casefold()
            bucket = echoed if same else novel
            bucket[finding.entity_type] = bucket.get(finding.entity_type, 0) + 1
    return OutputScan(column, len(texts), rows_with, echoed, novel)
