"""The fairness stage's three passes on Spark as native aggregations: small tables of counts reach the driver, never rows.

The scored DataFrame holds one row per audited row: its joint cell (which indexes every feature's group
and every intersection at once), label, decision and score. Each pass of
:mod:`ethicscheck.fairness._sufficient` is one Spark ``groupBy`` over it, aggregated in the JVM (no
Python worker), and the driver turns the collected table into the statistic the per-chunk function would
have summed, equal to it bit for bit:

1. counts: ``groupBy(cell, label, decision, score kind)`` with the score range (:func:`count_table`);
2. scores: with at most :data:`~ethicscheck.fairness._sufficient.EXACT_SCORE_ROWS` scored rows,
   ``groupBy(cell, label, score)`` — the scored rows as distinct values with their counts, from which the
   driver runs :func:`~ethicscheck.fairness._sufficient.score_chunk` itself (exact ROC AUC needs every
   score); above, ``groupBy(cell, label, fine score bin)`` with the fixed-point score and error sums as
   integers, the bin computed as :func:`~ethicscheck.fairness.histogram_index` computes it, and the
   operating point's negative score read from the one bin the histogram says holds it;
3. counts at the operating point: ``groupBy(cell, label, score >= cut)``.

Scores on their own scale are mapped onto [0, 1] by the same IEEE operations as
:meth:`~ethicscheck.fairness.ScoreScale.to_unit`, so every bin, sum and comparison equals the in-memory one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from ethicscheck.errors import DataError
from ethicscheck.fairness._sufficient import (
    CountStats,
    ExactSums,
    RowChunk,
    ScorePlan,
    ScoreStats,
    count_chunk,
    cut_chunk,
    score_chunk,
)

__all__ = ["CountTable", "SparkReduce", "count_table"]

#: Fixed point of the exact score sums (:class:`~ethicscheck.fairness._sufficient.ExactSums`): 2**-52 per unit, two 26-bit halves.
_UNIT = float(2**52)
_HALF_BITS = 26
#: Scaled scores this close to a bin edge get the exact edge comparison (as in histogram_index).
_NEAR_EDGE = 1e-6


@dataclass(frozen=True)
class CountTable:
    """The count pass as one Spark aggregation: the fairness stage's first pass, the score kind, the flagged rows."""

    stats: CountStats
    kind: tuple[bool, bool, bool]
    n_flagged: int


def count_table(scored: Any, source: str, size: int) -> CountTable:
    """One ``groupBy`` over (joint cell, label, decision, score kind), collected as a small table.

    The joint cell indexes every feature's group at once, so this one job counts every feature and every
    intersection (the driver adds the cells up per feature or combination, :func:`~ethicscheck.fairness.group_tables`).
    Spark aggregates each partition natively (no Python worker) and sends the driver at most
    cells x 4 x kinds rows of counts and score range: the first pass's :class:`CountStats`, equal to
    per-chunk :func:`~ethicscheck.fairness.count_chunk` sums, with the score kind and the number flagged.
    """
    from pyspark.sql import functions as sql

    score = sql.col("score")
    rows = (
        scored.groupBy("cells", "y_true", "decision", "kind")
        .agg(
            sql.count(sql.lit(1)).alias("n"),
            sql.min(score).alias("low"),
            sql.max(score).alias("high"),
            sql.sum(sql.when(score.isNull() | sql.isnan(score) | (sql.abs(score) == float("inf")), 1).otherwise(0)).alias("not_finite"),
        )
        .collect()
    )
    kinds = {row.kind for row in rows}
    if len(kinds) > 1:
        raise DataError(f"{source}: the model's scores change kind between partitions (probability in one, not in another).")
    has_score, score_is_probability, higher_is_riskier = (flag == "1" for flag in (kinds.pop() if kinds else "011"))
    counts = np.zeros((size, 4), dtype=np.int64)
    for row in rows:
        counts[row.cells, 2 * row.y_true + row.decision] += row.n
    n_rows = int(counts.sum())
    stats = CountStats(counts)
    if has_score and rows:  # a row's score is 0.0 when the model gives none (_ScoreJob): counted only when it gives one
        # A NaN score reaches Spark as null (Arrow); either is "not finite", as in count_chunk, which stops the audit.
        low = [row.low for row in rows if row.low is not None]
        high = [row.high for row in rows if row.high is not None]
        stats = CountStats(
            counts,
            n_rows,
            float(min(low, default=np.inf)),
            float(max(high, default=-np.inf)),
            not any(row.not_finite for row in rows),
        )
    return CountTable(stats, (has_score, score_is_probability, higher_is_riskier), int(counts[:, 1::2].sum()))


class SparkReduce:
    """A :data:`~ethicscheck.fairness.Reduce` over the scored DataFrame: each pass one Spark aggregation.

    The count pass was already run (:func:`count_table`): its result is returned for
    :func:`~ethicscheck.fairness.count_chunk`. :func:`~ethicscheck.fairness.score_chunk` and
    :func:`~ethicscheck.fairness.cut_chunk` are answered by the aggregations of the module docstring;
    no other per-chunk statistic is asked for by the fairness stage.
    """

    def __init__(self, scored: Any, counted: CountStats) -> None:
        self.scored, self.counted = scored, counted
        #: The scored rows as distinct (cell, label, score) with counts, expanded: kept for the cut pass.
        self.rows: RowChunk | None = None

    def __call__(self, per_chunk: Any) -> Any:
        if not isinstance(per_chunk, partial):
            raise TypeError(f"the Spark engine has no aggregation for {per_chunk!r}")
        keywords = per_chunk.keywords
        if per_chunk.func is count_chunk and keywords == {"size": len(self.counted.counts)}:
            return self.counted
        if per_chunk.func is score_chunk:
            plan: ScorePlan = keywords["plan"]
            if plan.keep_rows:
                self.rows = _distinct_rows(self.scored)
                return score_chunk(self.rows, plan)
            return _binned_scores(self.scored, plan, self.counted.n_negative)
        if per_chunk.func is cut_chunk:
            if self.rows is not None:
                return cut_chunk(self.rows, keywords["plan"], keywords["cut"])
            return _cut_counts(self.scored, keywords["plan"], keywords["cut"])
        raise TypeError(f"the Spark engine has no aggregation for {per_chunk.func.__name__}")


def _collected(frame: Any) -> pd.DataFrame:
    """A small aggregated table on the driver, through Arrow."""
    table: pd.DataFrame = frame.toArrow().to_pandas()
    return table


def _signed_score(score: Any) -> tuple[Any, Any]:
    """The score and whether it is -0.0: Spark's groupBy makes -0.0 and 0.0 one key, numpy keeps the sign."""

    return score, (score == 0) & score.cast("string").startswith("-")


def _restored(values: np.ndarray, negative_zero: np.ndarray) -> np.ndarray:
    return np.where(negative_zero, -0.0, values)


def _distinct_rows(scored: Any) -> RowChunk:
    """Every scored row as (cell, label, score), from one ``groupBy`` of the distinct triples and their counts.

    :func:`~ethicscheck.fairness._sufficient.score_chunk` sums over rows (integers, and fixed-point sums
    that are exact in any order), and exact ROC AUC and average precision read the rows sorted by group
    and score, so the expanded table gives the statistics of the rows in any order.
    """
    from pyspark.sql import functions as sql

    score, negative_zero = _signed_score(sql.col("score"))
    table = _collected(scored.groupBy("cells", "y_true", score.alias("score"), negative_zero.alias("negative_zero")).count())
    repeats = table["count"].to_numpy(dtype=np.int64)
    values = _restored(table["score"].to_numpy(dtype=float), table["negative_zero"].to_numpy(dtype=bool))
    return RowChunk(
        np.repeat(table["cells"].to_numpy(dtype=np.int64), repeats),
        np.repeat(table["y_true"].to_numpy(dtype=bool), repeats),
        np.zeros(int(repeats.sum()), dtype=bool),  # decisions are not read by the score and cut passes
        np.repeat(values, repeats),
    )


def _unit(score: Any, plan: ScorePlan) -> Any:
    """:meth:`ScorePlan.unit` as a Spark expression: the same IEEE operations, so the same doubles."""
    from pyspark.sql import functions as sql

    scale = plan.scale
    if scale is None:
        return score
    if scale.width == 0:
        return sql.lit(0.0)
    unit = (
        (score - sql.lit(scale.low)) / sql.lit(scale.width)
        if scale.higher_is_riskier
        else (sql.lit(scale.high) - score) / sql.lit(scale.width)
    )
    return sql.greatest(sql.least(unit, sql.lit(1.0)), sql.lit(0.0))


def _fine_bin(unit: Any, fine: int) -> Any:
    """:func:`~ethicscheck.fairness.histogram_index`'s bin as a Spark expression (the exact edge test near an edge)."""
    from pyspark.sql import functions as sql

    scaled = unit * sql.lit(float(fine))
    nearest = sql.rint(scaled)
    at_edge = sql.when(nearest / sql.lit(float(fine)) <= unit, nearest).otherwise(nearest - 1)
    bins = sql.when(sql.abs(scaled - nearest) < _NEAR_EDGE, at_edge).otherwise(scaled).cast("int")
    return sql.least(bins, sql.lit(fine))


def _fixed_halves(value: Any) -> tuple[Any, Any]:
    """A value in [0, 1] in fixed point (2**-52 units), as its high and low 26 bits (:meth:`ExactSums.of`)."""
    from pyspark.sql import functions as sql

    fixed = sql.rint(value * sql.lit(_UNIT)).cast("long")
    return sql.shiftright(fixed, _HALF_BITS), fixed.bitwiseAND((1 << _HALF_BITS) - 1)


def _binned_scores(scored: Any, plan: ScorePlan, n_negative: int) -> ScoreStats:
    """Pass 2 without the rows: one ``groupBy(cell, label, fine bin)`` of integer sums, and the operating point's negative."""
    from pyspark.sql import functions as sql

    unit = _unit(sql.col("score"), plan)
    error = unit - sql.col("y_true").cast("double")
    squared = error * error
    sums = {"unit": unit, "squared": squared, "error4": squared * squared}
    halves = [(f"{name}_{half}", column) for name, value in sums.items() for half, column in zip(("high", "low"), _fixed_halves(value))]
    binned = scored.select("cells", "y_true", "score", _fine_bin(unit, plan.fine).alias("bin"))
    table = _collected(
        scored.groupBy("cells", "y_true", _fine_bin(unit, plan.fine).alias("bin")).agg(
            sql.count(sql.lit(1)).alias("n"), *(sql.sum(column).alias(name) for name, column in halves)
        )
    )
    cells = table["cells"].to_numpy(dtype=np.int64)
    bins = table["bin"].to_numpy(dtype=np.int64)
    labels = table["y_true"].to_numpy(dtype=np.int64)
    shape = (plan.size, plan.fine + 1, 2)

    def dense(column: str) -> np.ndarray:
        out = np.zeros(shape, dtype=np.int64)
        out[cells, bins, labels] = table[column].to_numpy(dtype=np.int64)
        return out

    def per_cell(name: str) -> ExactSums:
        summed = table.groupby("cells")[[f"{name}_high", f"{name}_low"]].sum()
        high, low = np.zeros(plan.size, dtype=np.int64), np.zeros(plan.size, dtype=np.int64)
        high[summed.index.to_numpy()] = summed[f"{name}_high"].to_numpy(dtype=np.int64)
        low[summed.index.to_numpy()] = summed[f"{name}_low"].to_numpy(dtype=np.int64)
        return ExactSums(high, low)

    counts = dense("n")
    keep = plan.keep_negatives
    riskiest = _riskiest_negative(binned, counts[:, :, 0].sum(axis=0), keep, plan) if keep else np.zeros(0)
    return ScoreStats(
        plan.fine,
        counts,
        ExactSums(dense("unit_high"), dense("unit_low")),
        per_cell("squared"),
        per_cell("error4"),
        riskiest,
        keep,
        None,
    )


def _riskiest_negative(binned: Any, negatives_per_bin: np.ndarray, keep: int, plan: ScorePlan) -> np.ndarray:
    """The ``keep``-th riskiest negative score (oriented, :meth:`ScorePlan.risk`), as a one-value array.

    The fine bins order the scores (the bin never decreases as the risk grows), so the histogram says which
    bin holds it and how many riskier negatives lie above that bin; one ``groupBy`` of that bin's negative
    scores gives the rest. :meth:`ScoreStats.operating_point` reads only this smallest of the kept values.
    """
    from pyspark.sql import functions as sql

    from_top = np.cumsum(negatives_per_bin[::-1])
    above_index = int(np.searchsorted(from_top, keep))  # bins counted from the top before the one holding it
    target_bin = len(negatives_per_bin) - 1 - above_index
    above = int(from_top[above_index - 1]) if above_index else 0
    score, negative_zero = _signed_score(sql.col("score"))
    table = _collected(
        binned.where(~sql.col("y_true") & (sql.col("bin") == target_bin))
        .groupBy(score.alias("score"), negative_zero.alias("negative_zero"))
        .count()
    )
    risk = plan.risk(_restored(table["score"].to_numpy(dtype=float), table["negative_zero"].to_numpy(dtype=bool)))
    order = np.argsort(-risk, kind="stable")
    reached = np.cumsum(table["count"].to_numpy(dtype=np.int64)[order])
    return risk[order][[int(np.searchsorted(reached, keep - above))]]


def _cut_counts(scored: Any, plan: ScorePlan, cut: float) -> np.ndarray:
    """Pass 3 as ``groupBy(cell, label, flagged at the cut)``: ``[tn, fp, fn, tp]`` per joint cell."""
    from pyspark.sql import functions as sql

    flagged = (_unit(sql.col("score"), plan) >= sql.lit(cut)).alias("flagged")
    table = _collected(scored.groupBy("cells", "y_true", flagged).count())
    counts = np.zeros((plan.size, 4), dtype=np.int64)
    index = 2 * table["y_true"].to_numpy(dtype=np.int64) + table["flagged"].to_numpy(dtype=np.int64)
    counts[table["cells"].to_numpy(dtype=np.int64), index] = table["count"].to_numpy(dtype=np.int64)
    return counts
