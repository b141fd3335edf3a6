"""The stream engine: a Parquet file or folder, or a CSV, read in record batches; memory follows the batch size.

Two passes over the file and three over a compact spill:

1. the role columns only (:class:`RoleTally`): the label is checked as a whole column (the same errors as
   in memory), the groups of every feature are collected, a precomputed score's range is read;
2. every column, one batch at a time: rows are filtered, group names pseudonymised (the first pass's
   names, judged once by the self-scan's recognizers), scored, scanned for
   personal data (counts merged, examples in row order) and reduced to a joint cell, label, decision and
   score per row, written to a temporary spill (about 17 bytes a row, deleted at the end);
3. the fairness stage passes over the spill in chunks (:mod:`ethicscheck.fairness._sufficient`): every
   sum is exact, so the result equals the in-memory audit's to the last digit.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from ethicscheck._adapters import assess_configured_passes
from ethicscheck._provenance import published_file_name
from ethicscheck._reporter import Reporter, timed
from ethicscheck.config import AuditConfig
from ethicscheck.data import configured_columns, path_sha256, read_batches, read_options, require_columns, scanned_text_columns
from ethicscheck.engines._batches import (
    RoleTally,
    batch_detector,
    decision_note,
    group_layout,
    measured,
    merge_batch_scans,
    prepare_batch,
    privacy_cut,
    scan_batch,
    scan_settings,
    smallest_sample_keys,
    source_columns,
    with_score_kind,
)
from ethicscheck.engines._measured import Measured
from ethicscheck.errors import DataError
from ethicscheck.fairness import RowChunk, local_reduce
from ethicscheck.models import Detector
from ethicscheck.models._protocol import OutputSummary
from ethicscheck.privacy import PrivacyResult

__all__ = ["stream_measure"]


def stream_measure(
    config: AuditConfig, *, tracking_uri: str, config_dir: Path | None, reporter: Reporter, timings: dict[str, float]
) -> Measured:
    """Measure the configured data with the stream engine (see the module docstring for the passes)."""
    data = config.data
    path = Path(data.path)
    source = path.name
    categorical = tuple(f.column for f in data.sensitive_features if f.bins is None)
    options = read_options(data, also_text=scanned_text_columns(config))
    with timed(timings, "load_data"):
        reporter.stage(f"Reading {published_file_name(config, source)} in batches of {data.batch_rows:,} rows")
        columns = source_columns(path, data)
        require_columns(pd.DataFrame(columns=columns), configured_columns(data), source=source)
        roles = RoleTally.empty(config)
        wanted = [c for c in RoleTally.columns(config) if c in columns]
        for batch in read_batches(
            path, format=data.format, columns=wanted, categorical=categorical, options=options, batch_rows=data.batch_rows
        ):
            roles.add(batch, config, source)
        roles.check(config, source)
        roles.protect(config)
        sha256 = path_sha256(path)
    labels, joint = group_layout(config, roles)
    config = with_score_kind(config, roles, source)
    settings = scan_settings(config)
    cut = None
    max_rows = config.privacy.max_rows
    if settings is not None and max_rows is not None and max_rows < roles.rows:  # a sample chosen by content: one more pass
        with timed(timings, "privacy"):
            wanted = [c for c in dict.fromkeys([*RoleTally.columns(config), *settings[0], *settings[2]]) if c in columns]
            keyed = read_batches(
                path, format=data.format, columns=wanted, categorical=categorical, options=options, batch_rows=data.batch_rows
            )
            prepared_batches = (
                prepare_batch(config, b, labels, joint.shape, path=path, sha256=sha256, pseudonyms=roles.pseudonyms) for b in keyed
            )
            cut = privacy_cut(config, smallest_sample_keys(config, settings, prepared_batches), roles.rows)
    label_values = tuple(roles.labels)
    detector: Detector | None = None
    scans: list[PrivacyResult] = []
    found: set[str] = set()
    outputs: list[OutputSummary | None] = []
    n_flagged = batches = 0
    score_kind: tuple[bool, bool, bool] | None = None
    with tempfile.TemporaryDirectory(prefix="ethicscheck-stream-") as spill_dir:
        spill = Path(spill_dir)
        with timed(timings, "predict"), reporter.progress("Scoring, counting and scanning batches", roles.rows) as advance:
            for batch in read_batches(path, format=data.format, categorical=categorical, options=options, batch_rows=data.batch_rows):
                prepared = prepare_batch(config, batch, labels, joint.shape, path=path, sha256=sha256, pseudonyms=roles.pseudonyms)
                if prepared is None:
                    continue
                if detector is None:
                    detector = batch_detector(config, prepared, tracking_uri=tracking_uri, config_dir=config_dir, label_values=label_values)
                predictions = detector.predict(prepared.frame)
                kind = (predictions.score is not None, predictions.score_is_probability, predictions.higher_is_riskier)
                if score_kind is not None and kind != score_kind:
                    raise DataError(f"{source}: the model's scores change kind between batches (probability in one, not in another).")
                score_kind = kind
                n_flagged += int(predictions.decision.sum())
                outputs.append(predictions.outputs)
                arrays = {"cells": prepared.cells, "y_true": prepared.y_true, "decision": np.asarray(predictions.decision, dtype=bool)}
                if predictions.score is not None:
                    arrays["score"] = np.asarray(predictions.score, dtype=float)
                np.savez(spill / f"{batches}.npz", **arrays)  # type: ignore[arg-type]
                if settings is not None:
                    scans.append(scan_batch(config, settings, prepared, cut, found))
                batches += 1
                advance(len(prepared.cells))
        assert detector is not None and score_kind is not None  # the roles pass found rows
        with timed(timings, "fairness"):
            reporter.stage("Measuring error rates by group")
            fairness = assess_configured_passes(
                data,
                config.fairness,
                joint,
                local_reduce(lambda: _spilled(spill, batches)),
                has_score=score_kind[0],
                seed=config.seed,
                score_is_probability=score_kind[1],
                higher_is_riskier=score_kind[2],
            )
    privacy = merge_batch_scans(config, scans, labels, sampled=cut is not None) if scans else None
    return measured(
        config,
        roles,
        fairness=fairness,
        privacy=privacy,
        found_values=found,
        detector_info=detector.info,
        n_flagged=n_flagged,
        note=decision_note(outputs, n_flagged=n_flagged, n_rows=roles.rows),
        score_kind=score_kind,
        sha256=sha256,
        engine={"name": "stream", "batch_rows": data.batch_rows, "batches": batches, "rows_read": roles.rows_read},
    )


def _spilled(spill: Path, batches: int) -> Iterator[RowChunk]:
    for index in range(batches):
        with np.load(spill / f"{index}.npz") as arrays:
            yield RowChunk(arrays["cells"], arrays["y_true"], arrays["decision"], arrays["score"] if "score" in arrays else None)
