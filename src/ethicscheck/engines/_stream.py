"""The stream engine: a Parquet file or folder, or a CSV, read in record batches; memory follows the batch size.

Two passes over the file and one over a compact spill:

1. the role columns only (label, sensitive features, filter columns, a precomputed score): the label is
   checked as a whole column (the same errors as in memory), the groups of every feature are collected,
   a precomputed score's range is read;
2. every column, one batch at a time: rows are filtered, group names pseudonymised, scored, scanned for
   personal data (counts merged, examples in row order) and reduced to a joint cell, label, decision and
   score per row, written to a temporary spill (17 bytes a row, deleted at the end);
3. the fairness stage passes over the spill in chunks (:mod:`ethicscheck.fairness._sufficient`): every
   sum is exact, so the result equals the in-memory audit's to the last digit.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ethicscheck._adapters import assess_configured_passes
from ethicscheck._provenance import public_file_name
from ethicscheck._pseudonyms import pseudonymize_columns, pseudonymize_text
from ethicscheck._reporter import Reporter, timed
from ethicscheck._values import describe_counts, equals_value
from ethicscheck.config import AuditConfig, PrecomputedModelConfig
from ethicscheck.data import (
    Dataset,
    FilterStep,
    apply_filter,
    configured_columns,
    missing_labels,
    missing_sensitive,
    no_positive,
    no_row_left,
    not_binary,
    path_sha256,
    read_batches,
    read_columns,
    read_options,
    require_columns,
)
from ethicscheck.engines._measured import Measured
from ethicscheck.errors import ConfigError, DataError
from ethicscheck.fairness import GroupEncoding, JointIndex, RowChunk, encode_feature, encode_with_labels, merged_labels
from ethicscheck.models import Detector, load_detector
from ethicscheck.models._precomputed import read_scores
from ethicscheck.privacy import PrivacyResult, ScanOptions, merge_scans, scan_texts
from ethicscheck.result import DataSummary, ModelSummary

__all__ = ["stream_measure"]


@dataclass
class _Roles:
    """What pass 1 learns from the role columns of every batch."""

    rows_read: int = 0
    rows: int = 0
    labels: dict[Any, int] = field(default_factory=dict)  # value -> rows, in order of first appearance
    first_missing: list[int] = field(default_factory=list)
    n_missing: int = 0
    groups: list[set[str]] = field(default_factory=list)
    steps: list[list[int]] = field(default_factory=list)
    score_low: float = np.inf
    score_high: float = -np.inf


def stream_measure(
    config: AuditConfig, *, tracking_uri: str, config_dir: Path | None, reporter: Reporter, timings: dict[str, float]
) -> Measured:
    """Measure the configured data with the stream engine (see the module docstring for the passes)."""
    data = config.data
    path = Path(data.path)
    source = path.name
    batch_rows = data.batch_rows
    options = read_options(data)
    salt = config.privacy.hash_salt
    model = config.model
    if isinstance(model, PrecomputedModelConfig) and model.path is not None:
        raise ConfigError(
            "model.path joins a predictions file on the id column, which the stream engine does not do; put the "
            "predictions in columns of the data (model.score_column / decision_column), or set data.engine: pandas."
        )
    with timed(timings, "load_data"):
        reporter.stage(f"Reading {source} in batches of {batch_rows:,} rows")
        columns = read_columns(path, format=data.format, options=options) if not path.is_dir() else _parquet_columns(path)
        require_columns(pd.DataFrame(columns=columns), configured_columns(data), source=source)
        roles = _read_roles(config, path, columns)
        sha256 = path_sha256(path)
    labels = [
        merged_labels(f.display_name, seen, bins=f.bins, max_groups=config.fairness.max_groups)
        for f, seen in zip(data.sensitive_features, roles.groups)
    ]
    empty = np.zeros(0, dtype=np.int32)
    features = [
        GroupEncoding(f.display_name, (f.display_name,), empty, lab, tuple((v,) for v in lab))
        for f, lab in zip(data.sensitive_features, labels)
    ]
    joint = JointIndex(cells=np.zeros(0, dtype=np.int32), shape=tuple(len(lab) for lab in labels), features=tuple(features))
    sample = _privacy_sample(config, roles.rows)
    with tempfile.TemporaryDirectory(prefix="ethicscheck-stream-") as spill_dir:
        spill = Path(spill_dir)
        with timed(timings, "predict"):
            scored = _score_batches(config, path, joint, labels, roles, sample, spill, tracking_uri, config_dir, reporter, sha256)
        with timed(timings, "fairness"):
            reporter.stage("Measuring error rates by group")
            score_is_probability, higher_is_riskier = scored.score_kind
            fairness = assess_configured_passes(
                data,
                config.fairness,
                joint,
                lambda: _spilled(spill, scored.batches),
                has_score=scored.has_score,
                seed=config.seed,
                score_is_probability=score_is_probability,
                higher_is_riskier=higher_is_riskier,
            )
    privacy = None
    if scored.scans:
        group_order = {f.display_name: lab for f, lab in zip(data.sensitive_features, labels)}
        privacy = merge_scans(scored.scans, examples=config.privacy.examples, group_order=group_order, sampled=sample is not None)
    n_positive = sum(n for value, n in roles.labels.items() if equals_value(np.array([value], dtype=object), data.label.positive)[0])
    summary = DataSummary(
        file=public_file_name(source, salt=salt),
        sha256=sha256,
        n_rows=roles.rows,
        n_positive=n_positive,
        n_negative=roles.rows - n_positive,
        label_column=data.label.column,
        sensitive_features=tuple(f.display_name for f in data.sensitive_features),
        text_column=data.text_column,
        missing_sensitive={k: v for k, v in scored.missing.items() if v},
        n_rows_read=roles.rows_read,
        filter=tuple(FilterStep(p.describe(), before, after) for p, (before, after) in zip(data.filter, roles.steps)),
    )
    detector = scored.detector
    assert detector is not None
    model_summary = ModelSummary(
        info=replace(detector.info, source=pseudonymize_text(detector.info.source, salt=salt)),
        threshold=getattr(model, "threshold", None) if scored.has_score else None,
        has_score=scored.has_score,
        n_flagged=scored.n_flagged,
        n_rows=roles.rows,
        score_is_probability=scored.score_kind[0],
        higher_is_riskier=scored.score_kind[1],
    )
    engine = {"name": "stream", "batch_rows": batch_rows, "batches": scored.batches, "rows_read": roles.rows_read}
    return Measured(summary, model_summary, fairness, privacy, engine, scored.found_values, scored.pseudonyms)


def _parquet_columns(path: Path) -> list[str]:
    import pyarrow.dataset as ds

    return [str(name) for name in ds.dataset(path, format="parquet").schema.names]


def _role_columns(config: AuditConfig) -> list[str]:
    data = config.data
    wanted = [data.label.column, *(f.column for f in data.sensitive_features), *(p.column for p in data.filter)]
    model = config.model
    if isinstance(model, PrecomputedModelConfig) and model.score_column:
        wanted.append(model.score_column)
    return list(dict.fromkeys(wanted))


def _read_roles(config: AuditConfig, path: Path, columns: list[str]) -> _Roles:
    """Pass 1: the role columns of every batch; raises the errors the in-memory path raises, for the whole column."""
    data = config.data
    source = path.name
    roles = _Roles(groups=[set() for _ in data.sensitive_features], steps=[[0, 0] for _ in data.filter])
    wanted = [c for c in _role_columns(config) if c in columns]
    categorical = tuple(f.column for f in data.sensitive_features if f.bins is None)
    model = config.model
    for batch in read_batches(
        path, format=data.format, columns=wanted, categorical=categorical, options=read_options(data), batch_rows=data.batch_rows
    ):
        roles.rows_read += len(batch)
        batch, steps = apply_filter(batch, data.filter, source=source, allow_empty=True)
        for total, step in zip(roles.steps, steps):
            total[0] += step.rows_before
            total[1] += step.rows_after
        if batch.empty:
            continue
        label = batch[data.label.column]
        missing = label.isna().to_numpy()
        if missing.any():
            roles.first_missing += [roles.rows + int(i) for i in np.flatnonzero(missing)[: 5 - len(roles.first_missing)]]
            roles.n_missing += int(missing.sum())
        for value, n in label.value_counts(dropna=True, sort=False).items():
            roles.labels[value] = roles.labels.get(value, 0) + int(n)
        batch, _ = pseudonymize_columns(batch, [f.column for f in data.sensitive_features], salt=config.privacy.hash_salt)
        for seen, feature in zip(roles.groups, data.sensitive_features):
            seen.update(encode_feature(batch[feature.column], name=feature.display_name, bins=feature.bins, max_groups=2**31).labels)
        if isinstance(model, PrecomputedModelConfig) and model.score_column:
            numbers = pd.to_numeric(batch[model.score_column], errors="coerce")
            roles.score_low = min(roles.score_low, float(numbers.min()))
            roles.score_high = max(roles.score_high, float(numbers.max()))
        roles.rows += len(batch)
    if data.filter and roles.rows == 0:
        raise no_row_left(source, roles.rows_read, [FilterStep(p.describe(), b, a) for p, (b, a) in zip(data.filter, roles.steps)])
    where = f"{source} column '{data.label.column}'"
    if roles.n_missing:
        raise missing_labels(where, roles.n_missing, roles.rows, roles.first_missing)
    counts = pd.Series(roles.labels, dtype=np.int64) if roles.labels else pd.Series([], dtype=np.int64)
    if len(counts) > 2:
        raise not_binary(where, len(counts), describe_counts(counts))
    if not equals_value(np.array(list(roles.labels), dtype=object), data.label.positive).any():
        raise no_positive(where, data.label.positive, describe_counts(counts))
    return roles


def _privacy_sample(config: AuditConfig, n_rows: int) -> np.ndarray | None:
    """The rows a whole-file scan would sample (``privacy.max_rows``), as positions after filtering."""
    max_rows = config.privacy.max_rows
    if max_rows is None or max_rows >= n_rows:
        return None
    return np.sort(np.random.default_rng(config.seed).choice(n_rows, size=max_rows, replace=False))


@dataclass
class _Scored:
    batches: int = 0
    n_flagged: int = 0
    has_score: bool = False
    score_kind: tuple[bool, bool] = (True, True)
    scans: list[PrivacyResult] = field(default_factory=list)
    found_values: set[str] = field(default_factory=set)
    pseudonyms: dict[str, str] = field(default_factory=dict)
    missing: dict[str, int] = field(default_factory=dict)
    detector: Detector | None = None


def _score_batches(
    config: AuditConfig,
    path: Path,
    joint: JointIndex,
    labels: list[tuple[str, ...]],
    roles: _Roles,
    sample: np.ndarray | None,
    spill: Path,
    tracking_uri: str,
    config_dir: Path | None,
    reporter: Reporter,
    sha256: str,
) -> _Scored:
    """Pass 2: score, scan and reduce every batch to a spill of (cell, label, decision, score)."""
    data = config.data
    source = path.name
    salt = config.privacy.hash_salt
    model = config.model
    if isinstance(model, PrecomputedModelConfig) and model.score_column and np.isfinite(roles.score_low):
        # The score's kind (probability or not) and the threshold check depend on the whole column's range.
        _, probability = read_scores(pd.Series([roles.score_low, roles.score_high]), config=model, source=source)
        config = config.model_copy(update={"model": model.model_copy(update={"score_is_probability": probability})})
    scan = _scan_settings(config)
    out = _Scored(missing={f.display_name: 0 for f in data.sensitive_features})
    strides = np.cumprod((1, *joint.shape[:0:-1]))[::-1]
    offset = 0
    categorical = tuple(f.column for f in data.sensitive_features if f.bins is None)
    batches = read_batches(path, format=data.format, categorical=categorical, options=read_options(data), batch_rows=data.batch_rows)
    with reporter.progress("Scoring, counting and scanning batches", roles.rows) as advance:
        for batch in batches:
            batch, _ = apply_filter(batch, data.filter, source=source, allow_empty=True)
            if batch.empty:
                continue
            batch, mapping = pseudonymize_columns(batch, [f.column for f in data.sensitive_features], salt=salt)
            out.pseudonyms.update(mapping)
            for name, n in missing_sensitive(data, batch).items():
                out.missing[name] += n
            y_true = equals_value(batch[data.label.column].to_numpy(), data.label.positive).astype(bool)
            dataset = Dataset(
                batch,
                y_true,
                path,
                sha256,
                data.label.column,
                tuple(f.column for f in data.sensitive_features),
                data.text_column,
                data.id_column,
            )
            if out.detector is None:
                out.detector = load_detector(config, dataset, tracking_uri=tracking_uri, base_dir=config_dir)
                if hasattr(out.detector, "label_values") and out.detector.label_values != ():
                    out.detector.label_values = tuple(roles.labels)
            predictions = out.detector.predict(batch)
            kind = (predictions.score_is_probability, predictions.higher_is_riskier)
            if out.batches and predictions.score is not None and kind != out.score_kind:
                raise DataError(f"{source}: the model's scores change kind between batches (probability in one, not in another).")
            out.has_score, out.score_kind = predictions.score is not None, kind
            out.n_flagged += int(predictions.decision.sum())
            encodings = [
                encode_with_labels(batch[f.column], name=f.display_name, labels=lab, bins=f.bins)
                for f, lab in zip(data.sensitive_features, labels)
            ]
            cells: np.ndarray = np.zeros(len(batch), dtype=np.int32 if joint.size * 4 < 2**31 else np.int64)
            for encoding, stride in zip(encodings, strides):
                cells = cells + encoding.codes.astype(cells.dtype) * int(stride)
            arrays = {"cells": cells, "y_true": y_true, "decision": np.asarray(predictions.decision, dtype=bool)}
            if predictions.score is not None:
                arrays["score"] = np.asarray(predictions.score, dtype=float)
            np.savez(spill / f"{out.batches}.npz", **arrays)  # type: ignore[arg-type]
            if scan is not None:
                rows = np.arange(len(batch)) if sample is None else sample[(sample >= offset) & (sample < offset + len(batch))] - offset
                columns, options, output_columns = scan
                out.scans.append(
                    scan_texts(
                        batch.iloc[rows].reset_index(drop=True),
                        columns,
                        options,
                        output_columns=output_columns,
                        groups=[replace(e, codes=e.codes[rows]) for e in encodings],
                        seed=config.seed,
                        source=public_file_name(source, salt=salt),
                        found_values=out.found_values,
                    )
                )
            offset += len(batch)
            out.batches += 1
            advance(len(batch))
    return out


def _scan_settings(config: AuditConfig) -> tuple[list[str], ScanOptions, list[str]] | None:
    settings = config.privacy
    columns = list(settings.columns or ([config.data.text_column] if config.data.text_column else []))
    if not settings.enabled or not (columns or settings.output_columns):
        return None
    return columns, ScanOptions.from_settings(settings), list(settings.output_columns)


def _spilled(spill: Path, batches: int) -> Iterator[RowChunk]:
    for index in range(batches):
        with np.load(spill / f"{index}.npz") as arrays:
            yield RowChunk(arrays["cells"], arrays["y_true"], arrays["decision"], arrays["score"] if "score" in arrays else None)
