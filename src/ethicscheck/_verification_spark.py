"""Face-matching comparisons counted on Spark: the stream reader's three passes as jobs over partitions.

Each pass is a ``mapInPandas`` job returning one small record per partition (the Spark engine's
:func:`~ethicscheck.engines._spark._per_partition`), merged on the driver in partition order:

1. the tally (:class:`~ethicscheck.verification._streamed.ComparisonTally`): the in-memory reader's checks,
   subjects and their groups; tallies of consecutive partitions merge as consecutive batches do;
2. each partition's ``floor(f N) + 1`` largest impostor scores (:class:`TopScores`), merged into the whole
   file's, from which the thresholds are the exact order statistics;
3. the counts at the thresholds (:class:`BatchCounter`), added up.

What reaches the driver is tallies (a few numbers per subject), the top impostor scores and counts, never rows.
The statistics are then those of the in-memory reader, so audit.json is the same on every engine.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ethicscheck.config import AuditConfig, RowPredicate
from ethicscheck.data import apply_filter, path_sha256
from ethicscheck.engines import spark_session
from ethicscheck.engines._spark import _per_partition, _read
from ethicscheck.verification import ComparisonColumns, StreamedComparisons, VerificationSettings
from ethicscheck.verification._assess import decision_grid
from ethicscheck.verification._counts import ThresholdGrid
from ethicscheck.verification._streamed import BatchCounter, ComparisonTally, CountedPart, Protect, Subjects, TopScores

__all__ = ["spark_comparisons", "spark_sha256"]


def spark_comparisons(
    config: AuditConfig, columns: ComparisonColumns, settings: VerificationSettings, *, protect: Protect | None = None
) -> tuple[StreamedComparisons, dict[str, Any]]:
    """Read, check and count the configured comparisons on Spark; the counts and the engine's provenance.

    Raises
    ------
    DataError
        The errors of the in-memory reader (same words and counts), or Spark cannot read the source.
    ConfigError
        The Spark master cannot be reached or started.
    """
    data = config.data
    spark = spark_session(config.spark, app_name=f"ethicscheck {config.name}")
    frame = _read(spark, config, text=columns.grouping)
    available = [str(c) for c in frame.columns]
    predicates = tuple(data.filter)
    source = Path(data.path).name
    # data.filter first (a predicate naming a missing column), then the verification columns, as in memory.
    apply_filter(pd.DataFrame(columns=available), predicates, source=source, allow_empty=True)
    columns.require(available)
    partitions = int(frame.rdd.getNumPartitions())
    filtered = [p.column for p in predicates]
    tallies: dict[tuple[str, int, int], ComparisonTally] = {}
    for part in _per_partition(
        _with_position(_select(frame, [*columns.needed, *filtered])), _TallyJob(columns, predicates, source)
    ).values():
        tallies.update(part)
    tally = ComparisonTally.start(columns, predicates)
    for key in sorted(tallies):
        tally.absorb(tallies[key])
    subjects = tally.settle(Path(data.path), predicates, protect)
    grid = _decision_grid_or_thresholds(frame, columns, predicates, source, tally, settings)
    counter = BatchCounter(columns, subjects, grid)
    job = _CountJob(columns, predicates, source, subjects, grid)
    for part in _per_partition(_select(frame, [*counter.wanted, *filtered]), job).values():
        counter.absorb(part)
    streamed = StreamedComparisons(counter.counted(tally.rows), subjects.pseudonyms, tally.rows_read, partitions)
    provenance = {"name": "spark", "master": config.spark.master, "partitions": partitions, "rows_read": tally.rows_read}
    return streamed, provenance


def spark_sha256(config: AuditConfig) -> str:
    """The digest of a local file or folder; of a table or a URI Spark reads, the digest of its name."""
    data = config.data
    local = data.table is None and data.location == str(data.path)
    return path_sha256(Path(data.path)) if local else hashlib.sha256(data.location.encode()).hexdigest()


def _select(frame: Any, names: Sequence[str]) -> Any:
    return frame.select(*dict.fromkeys(names))


#: Columns giving each row's place in the source: its file, the start of its split in the file (Spark's hidden
#: ``_metadata`` of file sources) and, for a table, the partition.
_FILE, _START = "_ethicscheck_file", "_ethicscheck_start"


def _with_position(frame: Any) -> Any:
    """``frame`` with each row's file and split start, so tallies merge in the order the other engines read the rows
    (files in name order, each from its start) whatever order Spark packs the splits in; a table keeps partition order."""
    try:
        return frame.selectExpr("*", f"_metadata.file_path AS {_FILE}", f"_metadata.file_block_start AS {_START}")
    except Exception:  # noqa: BLE001 - a source without file metadata (a catalog table): partition order
        return frame


def _decision_grid_or_thresholds(
    frame: Any,
    columns: ComparisonColumns,
    predicates: Sequence[RowPredicate],
    source: str,
    tally: ComparisonTally,
    settings: VerificationSettings,
) -> ThresholdGrid:
    if columns.score_column is None:
        return decision_grid()
    needed = tally.top_needed(settings)
    wanted = [columns.genuine_column, columns.score_column, *(p.column for p in predicates)]
    top = TopScores(needed)
    for kept in _per_partition(_select(frame, wanted), _TopJob(columns, predicates, source, needed)).values():
        top.add(kept)
    return tally.threshold_grid(top.kept, settings)


def _as_read(batch: pd.DataFrame, columns: ComparisonColumns) -> pd.DataFrame:
    """Subject and attribute columns as categories (text), as the pandas and stream readers read them."""
    for name in columns.grouping:
        if name in batch.columns:
            batch[name] = batch[name].astype("category")
    return batch


def _kept(
    batches: Iterator[pd.DataFrame], columns: ComparisonColumns, predicates: Sequence[RowPredicate], source: str
) -> Iterator[pd.DataFrame]:
    for batch in batches:
        kept, _ = apply_filter(_as_read(batch, columns), predicates, source=source, allow_empty=True)
        if len(kept):
            yield kept


class _TallyJob:
    def __init__(self, columns: ComparisonColumns, predicates: Sequence[RowPredicate], source: str) -> None:
        self.columns, self.predicates, self.source = columns, predicates, source

    def __call__(self, batches: Iterator[pd.DataFrame]) -> dict[tuple[str, int, int], ComparisonTally]:
        """One tally per split of a file (keyed by file, split start and partition), in the split's row order."""
        from ethicscheck.engines._spark import _partition_index

        tallies: dict[tuple[str, int, int], ComparisonTally] = {}
        partition = _partition_index()
        for batch in batches:
            if _FILE in batch.columns:
                files, starts = batch[_FILE].astype(str).to_numpy(), batch[_START].to_numpy(dtype=np.int64)
                batch = batch.drop(columns=[_FILE, _START])
            else:
                files, starts = np.full(len(batch), ""), np.zeros(len(batch), dtype=np.int64)
            runs = np.flatnonzero(np.r_[True, (files[1:] != files[:-1]) | (starts[1:] != starts[:-1])])
            for start, stop in zip(runs.tolist(), [*runs[1:].tolist(), len(batch)]):
                key = (str(files[start]), int(starts[start]), partition)
                tally = tallies.setdefault(key, ComparisonTally.start(self.columns, self.predicates))
                tally.read(_as_read(batch.iloc[start:stop].reset_index(drop=True), self.columns), self.predicates, self.source)
        return tallies


class _TopJob:
    def __init__(self, columns: ComparisonColumns, predicates: Sequence[RowPredicate], source: str, needed: int) -> None:
        self.columns, self.predicates, self.source, self.needed = columns, predicates, source, needed

    def __call__(self, batches: Iterator[pd.DataFrame]) -> np.ndarray:
        top = TopScores(self.needed)
        for batch in _kept(batches, self.columns, self.predicates, self.source):
            top.add_impostors(batch, self.columns)
        return top.kept


class _CountJob:
    def __init__(
        self, columns: ComparisonColumns, predicates: Sequence[RowPredicate], source: str, subjects: Subjects, grid: ThresholdGrid
    ) -> None:
        self.columns, self.predicates, self.source, self.subjects, self.grid = columns, predicates, source, subjects, grid

    def __call__(self, batches: Iterator[pd.DataFrame]) -> CountedPart:
        counter = BatchCounter(self.columns, self.subjects, self.grid)
        for batch in _kept(batches, self.columns, self.predicates, self.source):
            counter.add(batch)
        return counter.part()
