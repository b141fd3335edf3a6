"""The fairness stage's sufficient statistics: what each chunk of rows adds, exactly.

Everything the fairness stage reports is a function of a few tables that add up over any split of the
rows: cell counts ``[tn, fp, fn, tp]`` per joint cell, a fine per-cell score histogram with its sums,
the riskiest negative scores (for the operating point) and, up to :data:`EXACT_SCORE_ROWS` rows, the
scores themselves (for exact ROC AUC and average precision). An engine — rows in memory, record batches
streamed from disk, Spark partitions — only cuts its rows into :class:`RowChunk` s with a joint cell per
row; the sums are integers (score sums in fixed point, 2**-52 per unit), so every split of the same rows
gives the same statistics, bit for bit, and the same audit.

Three passes: counts (and the score range), then the score statistics, then the counts at the
operating point, which needs the operating point first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from math import floor
from typing import Any

import numpy as np

from ethicscheck.errors import DataError
from ethicscheck.fairness._histogram import ScoreHistogram, histogram_index
from ethicscheck.fairness._metrics import cell_counts
from ethicscheck.fairness._scale import ScoreScale

__all__ = [
    "CHUNK_ROWS",
    "EXACT_SCORE_ROWS",
    "CountStats",
    "ExactSums",
    "Passes",
    "Reduce",
    "RowChunk",
    "add_up",
    "ScorePlan",
    "ScoreStats",
    "array_passes",
    "count_chunk",
    "cut_chunk",
    "local_reduce",
    "score_chunk",
]

#: Rows per chunk of an in-memory pass: temporaries stay bounded (about 100 MB) whatever the row count.
CHUNK_ROWS = 1 << 22
#: Up to this many scored rows ROC AUC and average precision are exact (rank-based); above, binned.
EXACT_SCORE_ROWS = 2_000_000
#: Fixed point of score sums: values in [0, 1] are summed as integers in units of 2**-52, split in two
#: 26-bit halves so that a float64 bincount of up to 2**27 rows per chunk stays exact.
_HALF_BITS = 26
_UNIT = float(2**52)


@dataclass(frozen=True)
class RowChunk:
    """Some rows: joint cell, label, decision and (raw) score of each."""

    cells: np.ndarray
    y_true: np.ndarray
    decision: np.ndarray
    score: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.cells)


#: One pass over all rows; each call starts again at the first chunk.
Passes = Callable[[], Iterable[RowChunk]]
#: Apply a per-chunk statistic to every chunk of the rows and add the results up (None: no rows). The
#: per-chunk functions are module-level functions with bound arguments, so a cluster can ship them to
#: its workers and add the partial sums on the driver.
Reduce = Callable[[Callable[[RowChunk], Any]], Any]


def local_reduce(passes: Passes) -> Reduce:
    """A :data:`Reduce` over chunks produced here, one pass per call."""

    def reduce(per_chunk: Callable[[RowChunk], Any]) -> Any:
        return add_up(per_chunk(chunk) for chunk in passes())

    return reduce


def add_up(parts: Iterable[Any]) -> Any:
    """The sum of partial statistics (None parts skipped; None when there are none)."""
    total = None
    for part in parts:
        if part is not None:
            total = part if total is None else total + part
    return total


def array_passes(
    cells: np.ndarray, y_true: np.ndarray, decision: np.ndarray, score: np.ndarray | None, *, rows: int = CHUNK_ROWS
) -> Passes:
    """Passes over rows held in memory, in chunks of ``rows`` (views, nothing copied)."""

    def chunks() -> Iterator[RowChunk]:
        for start in range(0, len(cells), rows):
            end = start + rows
            yield RowChunk(cells[start:end], y_true[start:end], decision[start:end], None if score is None else score[start:end])

    return chunks


@dataclass(frozen=True)
class ExactSums:
    """Sums of values in [0, 1] held exactly: ``(high * 2**26 + low) * 2**-52`` per entry."""

    high: np.ndarray
    low: np.ndarray

    @classmethod
    def of(cls, index: np.ndarray, values: np.ndarray, size: int) -> ExactSums:
        """Sum ``values`` (in [0, 1]) per ``index`` in ``[0, size)``; values are rounded to multiples of 2**-52."""
        fixed = np.rint(values * _UNIT).astype(np.int64)
        high = fixed >> _HALF_BITS
        fixed &= (1 << _HALF_BITS) - 1
        return cls(_int_bincount(index, high, size), _int_bincount(index, fixed, size))

    def __add__(self, other: ExactSums) -> ExactSums:
        return ExactSums(self.high + other.high, self.low + other.low)

    def reshape(self, *shape: int) -> ExactSums:
        return ExactSums(self.high.reshape(shape), self.low.reshape(shape))

    def to_float(self) -> np.ndarray:
        return self.high * (2.0**-_HALF_BITS) + self.low * (2.0**-52)


def _int_bincount(index: np.ndarray, weights: np.ndarray, size: int) -> np.ndarray:
    """An integer bincount through float64 (exact while every sum stays below 2**53)."""
    return np.rint(np.bincount(index, weights=weights, minlength=size)).astype(np.int64)


@dataclass(frozen=True)
class CountStats:
    """Pass 1: cell counts per joint cell, and the number, range and finiteness of the scores."""

    counts: np.ndarray
    n_scores: int = 0
    low: float = np.inf
    high: float = -np.inf
    finite: bool = True

    def __add__(self, other: CountStats) -> CountStats:
        return CountStats(
            self.counts + other.counts,
            self.n_scores + other.n_scores,
            min(self.low, other.low),
            max(self.high, other.high),
            self.finite and other.finite,
        )

    @property
    def n_negative(self) -> int:
        return int(self.counts[:, :2].sum())

    def scale(self, *, score_is_probability: bool, higher_is_riskier: bool) -> ScoreScale | None:
        """The score's scale once every score was seen (None for a probability), or the error a user sees."""
        if score_is_probability:
            if not self.finite or self.low < 0 or self.high > 1:
                raise DataError("y_score must be finite numbers in [0, 1].")
            return None
        if not self.finite:
            raise DataError("y_score must be finite numbers.")
        return ScoreScale(float(self.low), float(self.high), higher_is_riskier)


def count_chunk(chunk: RowChunk, size: int) -> CountStats:
    """Pass 1 over one chunk."""
    counts = cell_counts(chunk.cells, chunk.y_true, chunk.decision, size)
    score = chunk.score
    if score is None or len(score) == 0:
        return CountStats(counts, 0 if score is None else len(score))
    finite = bool(np.isfinite(score).all())
    return CountStats(counts, len(score), float(np.nanmin(score)), float(np.nanmax(score)), finite)


@dataclass(frozen=True)
class ScorePlan:
    """What pass 2 computes, fixed by pass 1: histogram size, score scale, how many negatives and rows to keep."""

    size: int
    fine: int
    scale: ScoreScale | None
    keep_negatives: int
    keep_rows: bool
    higher_is_riskier: bool = True

    @classmethod
    def after(cls, stats: CountStats, size: int, *, target_fpr: float, scale: ScoreScale | None, higher_is_riskier: bool) -> ScorePlan:
        n_negative = stats.n_negative
        return cls(
            size=size,
            fine=ScoreHistogram.fine_bins(size),
            scale=scale,
            keep_negatives=min(floor(target_fpr * n_negative) + 1, n_negative),
            keep_rows=stats.n_scores <= EXACT_SCORE_ROWS,
            higher_is_riskier=higher_is_riskier,
        )

    def unit(self, score: np.ndarray) -> np.ndarray:
        """Scores on [0, 1], higher riskier (the histogram's axis)."""
        return score if self.scale is None else self.scale.to_unit(score)

    def risk(self, score: np.ndarray) -> np.ndarray:
        """Raw scores oriented so that larger is riskier."""
        return score if self.higher_is_riskier else -score


@dataclass(frozen=True)
class ScoreStats:
    """Pass 2: the fine histogram with exact sums, the riskiest negatives, and (when few) every scored row.

    Attributes
    ----------
    counts : ndarray, shape (cells, fine + 1, 2)
    score_sums : ExactSums, shape (cells, fine + 1, 2)
    squared_error, error4 : ExactSums, shape (cells,)
    riskiest_negatives : ndarray
        The ``keep`` largest oriented raw scores among negatives (see :meth:`ScorePlan.risk`).
    rows : tuple of (cells, unit scores, labels), or None
        Every scored row, kept when there are at most :data:`EXACT_SCORE_ROWS` of them.
    """

    fine: int
    counts: np.ndarray
    score_sums: ExactSums
    squared_error: ExactSums
    error4: ExactSums
    riskiest_negatives: np.ndarray
    keep: int
    rows: tuple[np.ndarray, np.ndarray, np.ndarray] | None

    def __add__(self, other: ScoreStats) -> ScoreStats:
        rows = None
        if self.rows is not None and other.rows is not None:
            (c1, s1, y1), (c2, s2, y2) = self.rows, other.rows
            rows = (np.concatenate([c1, c2]), np.concatenate([s1, s2]), np.concatenate([y1, y2]))
        return ScoreStats(
            self.fine,
            self.counts + other.counts,
            self.score_sums + other.score_sums,
            self.squared_error + other.squared_error,
            self.error4 + other.error4,
            _largest(np.concatenate([self.riskiest_negatives, other.riskiest_negatives]), self.keep),
            self.keep,
            rows,
        )

    def histogram(self) -> ScoreHistogram:
        return ScoreHistogram(self.fine, self.counts, self.score_sums.to_float(), self.squared_error.to_float(), self.error4.to_float())

    def operating_point(self, plan: ScorePlan, n_negative: int, target_fpr: float) -> tuple[float, float]:
        """The threshold whose overall FPR is at most ``target_fpr``: on [0, 1] (for counting) and on the score's own scale.

        The lowest threshold that at most ``floor(target * negatives)`` negatives reach: just above the
        next riskiest negative score (exact; the same as a partial sort of all negative scores).
        """
        if n_negative == 0:
            return 0.0, 0.0
        kth = self.riskiest_negatives.min()  # the (allowed + 1)-th riskiest negative, or the least risky one
        everything = floor(target_fpr * n_negative) >= n_negative
        raw = kth if plan.higher_is_riskier else -kth
        unit = float(plan.unit(np.array([raw]))[0])
        if everything:
            return unit, float(raw)
        own = float(np.nextafter(kth, np.inf))
        return float(np.nextafter(unit, np.inf)), own if plan.higher_is_riskier else -own


def _largest(values: np.ndarray, keep: int) -> np.ndarray:
    if len(values) <= keep:
        return values
    return np.partition(values, len(values) - keep)[len(values) - keep :]


def score_chunk(chunk: RowChunk, plan: ScorePlan) -> ScoreStats:
    """Pass 2 over one chunk (its scores already checked by pass 1)."""
    assert chunk.score is not None
    raw = np.asarray(chunk.score, dtype=float)
    unit = plan.unit(raw)
    y = chunk.y_true
    index = histogram_index(chunk.cells, y, unit, plan.fine)
    size = plan.size * (plan.fine + 1) * 2
    shape = (plan.size, plan.fine + 1, 2)
    counts = np.bincount(index, minlength=size).reshape(shape)
    error = unit - y
    error *= error
    squared = ExactSums.of(chunk.cells, error, plan.size)
    error *= error
    fourth = ExactSums.of(chunk.cells, error, plan.size)
    return ScoreStats(
        plan.fine,
        counts,
        ExactSums.of(index, unit, size).reshape(*shape),
        squared,
        fourth,
        _largest(plan.risk(raw[~y]), plan.keep_negatives),
        plan.keep_negatives,
        (chunk.cells, unit, y) if plan.keep_rows else None,
    )


def cut_chunk(chunk: RowChunk, plan: ScorePlan, cut: float) -> np.ndarray:
    """Pass 3 over one chunk: ``[tn, fp, fn, tp]`` per joint cell when flagging at ``cut`` (on [0, 1])."""
    assert chunk.score is not None
    flagged = plan.unit(np.asarray(chunk.score, dtype=float)) >= cut
    return cell_counts(chunk.cells, chunk.y_true, flagged, plan.size)
