"""Comparisons read in batches (a CSV, a Parquet file or a folder of Parquet files): memory follows the batch size.

The assessment reads only counts (:class:`~ethicscheck.verification._counts.CountedComparisons`), so the
comparisons never need to be in memory at once. Three passes over the file give the same counts as the
in-memory reader, to the last digit:

1. **tally** (:class:`ComparisonTally`): the checks of :meth:`Comparisons.from_frame` on the whole file
   (the same errors, with the same counts and first rows), the number of genuine and impostor comparisons,
   every subject in the order the in-memory reader numbers them (first appearance on side A, then on side
   B) and every subject's group per attribute;
2. **top impostor scores** (:class:`TopScores`): a threshold at a target FMR ``f`` is an order statistic of
   the ``N`` impostor scores, so only the ``floor(f N) + 1`` largest are kept (for the largest target or
   DET point), merged batch by batch: memory grows with ``f N``, not ``N``;
3. **counts**: each batch's comparisons are counted at the thresholds by the in-memory counter
   (:func:`~ethicscheck.verification._counts.count_feature`) and the batches' counts added.

The subject bootstrap, the rates and the DET curves then run on these counts, as in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ethicscheck.config import RowPredicate
from ethicscheck.data import FilterStep, ReadOptions, apply_filter, no_row_left, read_batches
from ethicscheck.errors import DataError
from ethicscheck.fairness import encode_feature, merged_labels
from ethicscheck.verification._assess import decision_grid, grid_targets, threshold_grid
from ethicscheck.verification._comparisons import (
    ComparisonColumns,
    Comparisons,
    SubjectGroups,
    conflicting_groups,
    crossed_groups,
    disagreeing_rows,
    intersection_combos,
    no_impostors,
)
from ethicscheck.verification._counts import CountedComparisons, FeatureCounts, ThresholdGrid, count_feature, count_overall, levels
from ethicscheck.verification._result import VerificationSettings
from ethicscheck.verification._thresholds import thresholds_from_top, top_needed

__all__ = [
    "BatchCounter",
    "BatchSource",
    "ComparisonTally",
    "CountedPart",
    "StreamedComparisons",
    "Subjects",
    "TopScores",
    "stream_comparisons",
]

#: Group labels of one attribute in one batch: more than any audit publishes (the whole file is checked against 1,000).
_BATCH_GROUPS = 2**31
#: What :func:`~ethicscheck.fairness.encode_feature` allows over the whole comparisons (as in memory).
_MAX_GROUPS = 1000
#: Protects the group values holding contact data: ``{column: distinct values}`` -> ``{str(value): pseudonym}``.
Protect = Callable[[Mapping[str, set[Any]]], dict[str, str]]


@dataclass(frozen=True)
class BatchSource:
    """Where the comparisons are and how to read them in batches.

    Attributes
    ----------
    path : Path
        A CSV or Parquet file, or a folder of Parquet files.
    format : str
        ``auto``, ``csv`` or ``parquet``.
    options : ReadOptions
        Header, separator, encoding, missing markers (``data.*``).
    batch_rows : int
        Rows per batch.
    predicates : sequence of RowPredicate
        ``data.filter``: rows it removes are not comparisons of the audit.
    """

    path: Path
    format: Any = "auto"
    options: ReadOptions = field(default_factory=ReadOptions)
    batch_rows: int = 500_000
    predicates: Sequence[RowPredicate] = ()

    def batches(self, columns: ComparisonColumns, wanted: Sequence[str]) -> Iterator[pd.DataFrame]:
        """The rows ``data.filter`` keeps, batch by batch, with the ``wanted`` columns (and the filter's)."""
        read = list(dict.fromkeys([*wanted, *(p.column for p in self.predicates)]))
        categorical = tuple(c for c in columns.grouping if c in read)
        for batch in read_batches(
            self.path, format=self.format, columns=read, categorical=categorical, options=self.options, batch_rows=self.batch_rows
        ):
            kept, _ = apply_filter(batch, self.predicates, source=self.path.name, allow_empty=True)
            if len(kept):
                yield kept


@dataclass(frozen=True)
class StreamedComparisons:
    """The counts of streamed comparisons, the group values given pseudonyms, and how the file was read."""

    counted: CountedComparisons
    pseudonyms: dict[str, str]
    rows_read: int
    batches: int


def stream_comparisons(
    source: BatchSource,
    columns: ComparisonColumns,
    settings: VerificationSettings,
    *,
    available: Sequence[str],
    protect: Protect | None = None,
    advance: Callable[[int], None] | None = None,
) -> StreamedComparisons:
    """Read, check and count the comparisons of ``source`` in batches (see the module docstring for the passes).

    Parameters
    ----------
    source : BatchSource
        The file and how to read it.
    columns : ComparisonColumns
        How its columns map onto comparisons.
    settings : VerificationSettings
        Targets and thresholds (from :func:`~ethicscheck.verification.verification_settings`).
    available : sequence of str
        The file's columns (from its header or schema).
    protect : callable, optional
        Pseudonymises group values holding contact data, as the in-memory audit does before it reads them.
    advance : callable, optional
        Told the rows of each batch of the counting pass (a progress bar).

    Raises
    ------
    DataError
        The errors :meth:`Comparisons.from_frame` raises, with the same words and counts.
    """
    # data.filter first (a predicate naming a missing column), then the verification columns, as in memory.
    apply_filter(pd.DataFrame(columns=list(available)), source.predicates, source=source.path.name, allow_empty=True)
    columns.require(list(available))
    tally = ComparisonTally.start(columns, source.predicates)
    read = list(dict.fromkeys([*columns.needed, *(p.column for p in source.predicates)]))
    categorical = tuple(c for c in columns.grouping if c in read)
    for batch in read_batches(
        source.path, format=source.format, columns=read, categorical=categorical, options=source.options, batch_rows=source.batch_rows
    ):
        tally.read(batch, source.predicates, source.path.name)
    subjects = tally.settle(source.path, source.predicates, protect)
    grid = decision_grid()
    if columns.score_column is not None:
        top = TopScores(tally.top_needed(settings))
        for batch in source.batches(columns, [columns.genuine_column, columns.score_column]):
            top.add_impostors(batch, columns)
        grid = tally.threshold_grid(top.kept, settings)
    counter = BatchCounter(columns, subjects, grid)
    for batch in source.batches(columns, counter.wanted):
        counter.add(batch)
        if advance is not None:
            advance(len(batch))
    return StreamedComparisons(counter.counted(tally.rows), subjects.pseudonyms, tally.rows_read, counter.batches)


@dataclass(frozen=True)
class Subjects:
    """What the counting pass needs from the tally: subject codes and groups, and the pseudonyms given to group values.

    Attributes
    ----------
    ids : Index
        Subject ids in order of arrival.
    code : ndarray of int
        The in-memory code of each arrival code.
    features : tuple of SubjectGroups
        Every subject's groups, per attribute and intersection.
    pseudonyms : dict of str to str
        ``{str(value): group-<hash>}``.
    """

    ids: pd.Index
    code: np.ndarray
    features: tuple[SubjectGroups, ...]
    pseudonyms: dict[str, str]

    def codes(self, ids: pd.Series) -> np.ndarray:
        """The in-memory subject codes of a batch's ids."""
        rows, uniques = _factorized(ids)
        arrival = self.ids.get_indexer(uniques)
        if (arrival < 0).any():
            raise DataError("The comparisons changed while they were read (a subject id appeared in a later pass).")
        return np.asarray(self.code[arrival][rows], dtype=np.int64)


@dataclass(frozen=True)
class CountedPart:
    """The counts of some batches: all impostor and genuine comparisons by level, per-feature counts, batches."""

    overall_impostor: np.ndarray
    overall_genuine: np.ndarray
    counts: tuple[FeatureCounts, ...] | None
    batches: int


class BatchCounter:
    """The counting pass: each batch counted at the thresholds by the in-memory counter; counters of parts add up."""

    def __init__(self, columns: ComparisonColumns, subjects: Subjects, grid: ThresholdGrid) -> None:
        self.columns, self.subjects, self.grid = columns, subjects, grid
        size = len(grid.values) + 1
        self.overall_impostor = np.zeros(size, dtype=np.int64)
        self.overall_genuine = np.zeros(size, dtype=np.int64)
        self.counts: list[FeatureCounts] | None = None
        self.batches = 0

    @property
    def wanted(self) -> list[str]:
        """The columns this pass reads."""
        columns = self.columns
        return [columns.genuine_column, *columns.subject_columns, *(c for c in (columns.score_column, columns.decision_column) if c)]

    def add(self, batch: pd.DataFrame) -> None:
        """Count one batch (after ``data.filter``)."""
        comparisons = self._comparisons(batch)
        if comparisons.similarity is not None:
            level = levels(comparisons.similarity, self.grid.values)
        else:
            assert comparisons.matched is not None
            level = comparisons.matched.astype(np.uint8)
        grid_levels = self.grid.levels(level)
        impostor, genuine = count_overall(comparisons, grid_levels)
        self.overall_impostor += impostor
        self.overall_genuine += genuine
        self._add_counts([count_feature(comparisons, feature, grid_levels) for feature in self.subjects.features])
        self.batches += 1

    def part(self) -> CountedPart:
        """What this counter counted, to add to another's (a Spark partition sends it to the driver)."""
        return CountedPart(self.overall_impostor, self.overall_genuine, None if self.counts is None else tuple(self.counts), self.batches)

    def absorb(self, other: CountedPart) -> None:
        """Add the counts of another part of the comparisons."""
        self.overall_impostor += other.overall_impostor
        self.overall_genuine += other.overall_genuine
        if other.counts is not None:
            self._add_counts(list(other.counts))
        self.batches += other.batches

    def counted(self, n_comparisons: int) -> CountedComparisons:
        assert self.counts is not None  # the tally found rows
        return CountedComparisons(
            n_comparisons=n_comparisons,
            n_subjects=len(self.subjects.code),
            features=self.subjects.features,
            grid=self.grid,
            overall_impostor=self.overall_impostor,
            overall_genuine=self.overall_genuine,
            counts=tuple(self.counts),
        )

    def _add_counts(self, part: list[FeatureCounts]) -> None:
        self.counts = part if self.counts is None else [_added(a, b) for a, b in zip(self.counts, part)]

    def _comparisons(self, batch: pd.DataFrame) -> Comparisons:
        """One batch as :class:`Comparisons` with the whole file's subject codes and groups (checked by the tally)."""
        columns, subjects = self.columns, self.subjects
        first, second = columns.subject_columns
        score = columns.scores(batch) if columns.score_column is not None else None
        return Comparisons(
            genuine=columns.genuine(batch),
            subject_a=subjects.codes(batch[first]),
            subject_b=subjects.codes(batch[second]),
            n_subjects=len(subjects.code),
            features=subjects.features,
            similarity=None if score is None else (score if columns.higher_is_more_similar else -score),
            matched=columns.matched(batch) if columns.decision_column is not None else None,
            higher_is_more_similar=columns.higher_is_more_similar,
        )


def _factorized(ids: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Row codes and the distinct ids as text, in order of appearance (as ``ids.astype("string")`` factorizes, but
    converting only the distinct values: a batch of categories costs its codes, not a string per row)."""
    rows, uniques = pd.factorize(ids, sort=False)
    return rows, pd.Index(pd.Series(np.asarray(uniques, dtype=object)).astype("string"))


def _added(a: FeatureCounts, b: FeatureCounts) -> FeatureCounts:
    return FeatureCounts(
        same_impostor=a.same_impostor + b.same_impostor,
        genuine=a.genuine + b.genuine,
        cross_impostor=a.cross_impostor + b.cross_impostor,
        subject_impostor=a.subject_impostor + b.subject_impostor,
        subject_genuine=a.subject_genuine + b.subject_genuine,
    )


class TopScores:
    """The ``k`` largest of the values added so far (a multiset: ties kept), in memory ``k`` + one batch."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.kept = np.zeros(0, dtype=np.float64)

    def add(self, values: np.ndarray) -> None:
        merged = np.concatenate([self.kept, values])
        if len(merged) > self.k:
            merged = np.partition(merged, len(merged) - self.k)[len(merged) - self.k :]
        self.kept = merged

    def add_impostors(self, batch: pd.DataFrame, columns: ComparisonColumns) -> None:
        """Add the similarities of a batch's impostor comparisons (distances negated)."""
        sign = 1.0 if columns.higher_is_more_similar else -1.0
        self.add(sign * columns.scores(batch)[~columns.genuine(batch)])


@dataclass
class SubjectIds:
    """Subject ids met in batches, numbered as the in-memory reader numbers them.

    In memory, subjects are numbered by first appearance in side A's column, then (for those never on side A) in
    side B's: the order the subject bootstrap draws them in. Batches meet ids in another order (A and B row by row),
    so each id gets an arrival code, and its first place on each side is recorded.

    Attributes
    ----------
    ids : ndarray of str
        The ids by arrival code.
    first : (ndarray, ndarray) of int
        Per arrival code, the rank of its first appearance on side A and on side B (-1: never).
    seen : list of int
        Distinct ids met on each side so far.
    """

    ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=str))
    first: tuple[np.ndarray, np.ndarray] = field(default_factory=lambda: (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)))
    seen: list[int] = field(default_factory=lambda: [0, 0])
    _index: pd.Index | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def index(self) -> pd.Index:
        """The ids as a hashed index (rebuilt after the tally travels from a Spark partition)."""
        if self._index is None:
            self._index = pd.Index(self.ids, dtype="string")
        return self._index

    def add(self, ids: pd.Series, side: int) -> np.ndarray:
        """Arrival codes of the ids of one side of a batch (new ids are registered)."""
        rows, uniques = _factorized(ids)
        known = self.index.get_indexer(uniques)
        if (known < 0).any():
            new = np.asarray(uniques[known < 0], dtype=str)
            self.ids = np.concatenate([self.ids, new])
            self._index = self.index.append(pd.Index(new, dtype="string"))
            grow = len(self.ids) - len(self.first[0])
            self.first = (
                np.concatenate([self.first[0], np.full(grow, -1, dtype=np.int64)]),
                np.concatenate([self.first[1], np.full(grow, -1, dtype=np.int64)]),
            )
            known = self.index.get_indexer(uniques)
        order = self.first[side]
        fresh = known[order[known] < 0]  # in order of first appearance in this batch
        order[fresh] = self.seen[side] + np.arange(len(fresh))
        self.seen[side] += len(fresh)
        return np.asarray(known[rows], dtype=np.int64)

    def absorb(self, other: SubjectIds) -> np.ndarray:
        """Register the ids of the part of the comparisons after this one; this part's arrival code of each of its ids."""
        for side in (0, 1):
            met = np.flatnonzero(other.first[side] >= 0)
            ordered = other.index[met[np.argsort(other.first[side][met], kind="stable")]]
            self.add(pd.Series(ordered, dtype="string"), side)
        return np.asarray(self.index.get_indexer(other.index), dtype=np.int64)

    def order(self) -> np.ndarray:
        """The in-memory code of every arrival code."""
        side_a, side_b = self.first
        key = np.where(side_a >= 0, side_a, self.seen[0] + side_b)
        code = np.empty(len(key), dtype=np.int64)
        code[np.argsort(key, kind="stable")] = np.arange(len(key))
        return code


@dataclass
class _Attribute:
    """One attribute's group per subject (arrival codes), as batches show it."""

    labels: dict[str, int] = field(default_factory=dict)  # group label -> id, in order of arrival
    of_subject: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # label id, -1: not seen
    conflicted: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    def add(self, subjects: np.ndarray, values: pd.Series, name: str, n_subjects: int) -> None:
        """Each side's subject (arrival codes) with its value of the attribute, for one batch."""
        encoded = encode_feature(values.rename(name), name=name, max_groups=_BATCH_GROUPS)
        self._assign(subjects, self._label_ids(encoded.labels)[encoded.codes], n_subjects)

    def absorb(self, other: _Attribute, arrival: np.ndarray, n_subjects: int) -> None:
        """Add the groups seen in the part after this one (``arrival``: this part's code of each of its subjects)."""
        seen = np.flatnonzero(other.of_subject >= 0)
        self._assign(arrival[seen], self._label_ids(list(other.labels))[other.of_subject[seen]], n_subjects)
        self.conflicted[arrival[np.flatnonzero(other.conflicted)]] = True

    def _label_ids(self, labels: Sequence[str]) -> np.ndarray:
        return np.array([self.labels.setdefault(label, len(self.labels)) for label in labels], dtype=np.int64)

    def _assign(self, subjects: np.ndarray, label_ids: np.ndarray, n_subjects: int) -> None:
        if len(self.of_subject) < n_subjects:
            grow = n_subjects - len(self.of_subject)
            self.of_subject = np.concatenate([self.of_subject, np.full(grow, -1, dtype=np.int64)])
            self.conflicted = np.concatenate([self.conflicted, np.zeros(grow, dtype=bool)])
        pairs = np.unique((subjects << 32) | label_ids)
        subject, label = pairs >> 32, pairs & 0xFFFFFFFF
        twice = subject[1:][subject[1:] == subject[:-1]]  # two labels for one subject within the batch
        self.conflicted[twice] = True
        current = self.of_subject[subject]
        self.conflicted[subject[(current >= 0) & (current != label)]] = True
        self.of_subject[subject[current < 0]] = label[current < 0]


@dataclass
class ComparisonTally:
    """The first pass: what :meth:`Comparisons.from_frame` checks and numbers, accumulated batch by batch.

    Start one with :meth:`start`; tallies of consecutive parts of the rows merge with :meth:`absorb` (a Spark
    partition sends its tally to the driver as JSON: every field is a plain value, an array or a dataclass).
    """

    columns: ComparisonColumns
    steps: list[list[int]] = field(default_factory=list)
    attributes: list[_Attribute] = field(default_factory=list)
    values: dict[str, set[Any]] = field(default_factory=dict)  # distinct raw values per attribute column
    subjects: SubjectIds = field(default_factory=SubjectIds)
    rows_read: int = 0
    rows: int = 0
    n_genuine: int = 0
    empty_genuine: int = 0
    empty_subjects: list[int] = field(default_factory=lambda: [0, 0])
    bad_scores: int = 0
    first_bad_score: tuple[int, Any] | None = None
    disagreeing: int = 0
    first_disagreeing: tuple[int, bool] | None = None

    @classmethod
    def start(cls, columns: ComparisonColumns, predicates: Sequence[RowPredicate] = ()) -> ComparisonTally:
        """An empty tally."""
        return cls(
            columns,
            steps=[[0, 0] for _ in predicates],
            attributes=[_Attribute() for _ in columns.features],
            values={c: set() for f in columns.features for c in (f.column_a, f.column_b)},
        )

    @property
    def n_impostor(self) -> int:
        return self.rows - self.n_genuine

    def read(self, batch: pd.DataFrame, predicates: Sequence[RowPredicate], source: str) -> None:
        """Tally one batch as read (``data.filter`` applied here)."""
        self.rows_read += len(batch)
        kept, steps = apply_filter(batch, predicates, source=source, allow_empty=True)
        for total, step in zip(self.steps, steps):
            total[0] += step.rows_before
            total[1] += step.rows_after
        if len(kept):
            self.add(kept)

    def absorb(self, other: ComparisonTally) -> None:
        """Add the tally of the part of the comparisons after this one (parts merge in row order)."""
        offset = self.rows
        self.rows_read += other.rows_read
        self.rows += other.rows
        for total, step in zip(self.steps, other.steps):
            total[0] += step[0]
            total[1] += step[1]
        self.empty_genuine += other.empty_genuine
        self.empty_subjects = [a + b for a, b in zip(self.empty_subjects, other.empty_subjects)]
        for name, values in other.values.items():
            self.values[name] |= values
        arrival = self.subjects.absorb(other.subjects)
        for attribute, part in zip(self.attributes, other.attributes):
            attribute.absorb(part, arrival, len(self.subjects.index))
        if self.first_bad_score is None and other.first_bad_score is not None:
            self.first_bad_score = (offset + other.first_bad_score[0], other.first_bad_score[1])
        self.bad_scores += other.bad_scores
        if self.first_disagreeing is None and other.first_disagreeing is not None:
            self.first_disagreeing = (offset + other.first_disagreeing[0], other.first_disagreeing[1])
        self.disagreeing += other.disagreeing
        self.n_genuine += other.n_genuine

    def settle(self, path: Path, predicates: Sequence[RowPredicate], protect: Protect | None) -> Subjects:
        """After the last batch: the in-memory reader's errors in its order, then the subjects' codes and groups.

        Raises
        ------
        DataError
            ``data.filter`` keeps no row, the file has no row, or :meth:`check` finds an error.
        PersonalDataError
            From ``protect``: a group value holds contact data and ``privacy.on_personal_data`` is ``stop``.
        """
        if predicates and self.rows == 0:
            steps = [FilterStep(p.describe(), before, after) for p, (before, after) in zip(predicates, self.steps)]
            raise no_row_left(path.name, self.rows_read, steps)
        if self.rows_read == 0:
            raise DataError(f"The comparisons file {path} has a header but no rows. An audit needs labeled rows.")
        pseudonyms = protect(self.values) if protect is not None else {}
        self.check()
        return Subjects(self.subjects.index, self.subjects.order(), tuple(self.subject_groups(pseudonyms)), pseudonyms)

    def top_needed(self, settings: VerificationSettings) -> int:
        """How many of the largest impostor scores fix every threshold (:class:`TopScores` keeps them)."""
        return top_needed(self.n_impostor, grid_targets(self.n_impostor, settings))

    def threshold_grid(self, top: np.ndarray, settings: VerificationSettings) -> ThresholdGrid:
        """The thresholds from the :meth:`top_needed` largest impostor similarities."""
        targets = grid_targets(self.n_impostor, settings)
        return threshold_grid(thresholds_from_top(top, self.n_impostor, targets), settings)

    def add(self, batch: pd.DataFrame) -> None:
        """Tally one batch (after ``data.filter``); rows after it come later."""
        columns = self.columns
        offset, self.rows = self.rows, self.rows + len(batch)
        self.empty_genuine += int(batch[columns.genuine_column].isna().sum())
        for side, column in enumerate(columns.subject_columns):
            self.empty_subjects[side] += int(batch[column].isna().sum())
        for name in self.values:
            self.values[name].update(pd.unique(batch[name].dropna().to_numpy(dtype=object)))
        if self.empty_genuine or any(self.empty_subjects):
            return  # the audit stops on these first; the rest is not needed
        first, second = columns.subject_columns
        side_a = self.subjects.add(batch[first], 0)
        side_b = self.subjects.add(batch[second], 1)
        both = np.concatenate([side_a, side_b])
        for attribute, feature in zip(self.attributes, columns.features):
            values = pd.concat([batch[feature.column_a], batch[feature.column_b]], ignore_index=True)
            attribute.add(both, values, feature.name, len(self.subjects.index))
        if columns.score_column is not None:
            bad = ~np.isfinite(columns.scores(batch))
            if bad.any():
                if self.first_bad_score is None:
                    row = int(np.flatnonzero(bad)[0])
                    self.first_bad_score = (offset + row, batch[columns.score_column].iloc[row])
                self.bad_scores += int(bad.sum())
        genuine = columns.genuine(batch)
        self.n_genuine += int(genuine.sum())
        disagree = (side_a == side_b) != genuine
        if disagree.any():
            if self.first_disagreeing is None:
                row = int(np.flatnonzero(disagree)[0])
                self.first_disagreeing = (offset + row, bool(genuine[row]))
            self.disagreeing += int(disagree.sum())

    def check(self) -> None:
        """Raise the first error :meth:`Comparisons.from_frame` would raise on the whole file."""
        columns = self.columns
        if self.empty_genuine:
            raise columns.empty_genuine(self.empty_genuine)
        for column, n_empty in zip(columns.subject_columns, self.empty_subjects):
            if n_empty:
                raise columns.empty_subjects(column, n_empty)
        for attribute, feature in zip(self.attributes, columns.features):
            merged_labels(feature.name, set(attribute.labels), max_groups=_MAX_GROUPS)
            if attribute.conflicted.any():
                raise conflicting_groups(feature, int(attribute.conflicted.sum()), columns.source)
        intersection_combos(columns.features, columns.intersections)
        if self.first_bad_score is not None:
            raise columns.not_numeric_scores(self.bad_scores, *self.first_bad_score)
        if self.first_disagreeing is not None:
            raise disagreeing_rows(*self.first_disagreeing, self.disagreeing)
        if self.n_impostor == 0:
            raise no_impostors()

    def subject_groups(self, pseudonyms: Mapping[str, str]) -> list[SubjectGroups]:
        """Every subject's group per attribute and intersection, numbered and labelled as in memory.

        ``pseudonyms``: ``{str(value): group-<hash>}`` for the values holding contact data (a label is the stripped text).
        """
        columns = self.columns
        order = self.subjects.order()
        single = []
        for attribute, feature in zip(self.attributes, columns.features):
            renamed = {
                str(v).strip(): pseudonyms[str(v)]
                for c in (feature.column_a, feature.column_b)
                for v in self.values[c]
                if str(v) in pseudonyms
            }
            arrived = [renamed.get(label, label) for label in attribute.labels]
            labels = merged_labels(feature.name, set(arrived), max_groups=_MAX_GROUPS)
            position = np.array([labels.index(label) for label in arrived], dtype=np.int64)
            codes = np.empty(len(order), dtype=np.int64)
            codes[order] = position[attribute.of_subject[: len(order)]]
            single.append(SubjectGroups(name=feature.name, labels=labels, codes=codes))
        return [*single, *crossed_groups(single, columns.features, columns.intersections)]
