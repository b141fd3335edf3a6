"""The fairness stage's passes as Spark aggregations equal the per-chunk statistics they replace, bit for bit."""

from __future__ import annotations

import shutil
from dataclasses import replace
from functools import partial

import numpy as np
import pandas as pd
import pytest

from ethicscheck.errors import DataError
from ethicscheck.fairness._sufficient import RowChunk, ScorePlan, count_chunk, cut_chunk, score_chunk

pytest.importorskip("pyspark", reason="the Spark engine's tests need the spark extra (make dev installs it)")
if shutil.which("java") is None:
    pytest.fail("The Spark tests need Java 17 or later: run .ci/install-java (make test does).", pytrace=False)

pytestmark = pytest.mark.spark


@pytest.mark.parametrize("kind", ["111", "011", "101"], ids=["probability", "no-score", "raw-score"])
def test_the_count_pass_is_one_aggregation_equal_to_the_per_chunk_counts(spark, kind):
    """One groupBy over (joint cell, label, decision) gives what count_chunk sums over the rows: every
    feature and intersection's counts (the joint cells), the score range and finiteness, the number flagged."""
    from ethicscheck.engines._spark import _SCORED
    from ethicscheck.engines._spark_counts import count_table as _count_table
    from ethicscheck.fairness._sufficient import RowChunk, count_chunk

    rng = np.random.default_rng(3)
    n, size = 5_000, 24
    scores = rng.normal(size=n) if kind == "101" else rng.uniform(size=n)
    frame = pd.DataFrame(
        {
            "cells": rng.integers(0, size - 1, n),  # the last cell stays empty
            "y_true": rng.uniform(size=n) < 0.3,
            "decision": rng.uniform(size=n) < 0.2,
            "score": scores if kind != "011" else 0.0,
            "kind": kind,
            "outputs": None,
        }
    )
    table = _count_table(spark.createDataFrame(frame, _SCORED).repartition(3), "rows.parquet", size)
    has_score = kind[0] == "1"
    chunk = RowChunk(frame["cells"].to_numpy(), frame["y_true"].to_numpy(), frame["decision"].to_numpy(), scores if has_score else None)
    expected = count_chunk(chunk, size)
    assert table.kind == tuple(flag == "1" for flag in kind)
    assert table.n_flagged == int(frame["decision"].sum())
    np.testing.assert_array_equal(table.stats.counts, expected.counts)
    assert (table.stats.n_scores, table.stats.low, table.stats.high, table.stats.finite) == (
        expected.n_scores,
        expected.low,
        expected.high,
        expected.finite,
    )


def test_the_count_pass_sees_a_score_that_is_not_finite(spark):
    from ethicscheck.engines._spark import _SCORED
    from ethicscheck.engines._spark_counts import count_table as _count_table

    for bad in (np.inf, np.nan):
        frame = pd.DataFrame(
            {"cells": [0, 1, 1], "y_true": [True, False, False], "decision": [True, False, True], "score": [0.2, bad, 0.5], "kind": "101"}
        )
        table = _count_table(spark.createDataFrame(frame.assign(outputs=None), _SCORED), "rows.parquet", 2)
        assert not table.stats.finite


def test_scores_that_change_kind_between_partitions_stop_the_audit(spark):
    from ethicscheck.engines._spark import _SCORED
    from ethicscheck.engines._spark_counts import count_table as _count_table

    frame = pd.DataFrame({"cells": [0, 1], "y_true": [True, False], "decision": [True, False], "score": 0.5, "kind": ["111", "101"]})
    with pytest.raises(DataError, match="change kind between partitions"):
        _count_table(spark.createDataFrame(frame.assign(outputs=None), _SCORED), "rows.parquet", 2)


def _scores(kind: str, n: int, rng: np.random.Generator) -> np.ndarray:
    """Scores that test the bins' edges (k / 4000 and k / 100 exactly, 0.29, 0 and 1), ties, a raw scale, and -0.0.

    Spark's groupBy makes -0.0 and 0.0 one key; an operating point at -0.0 keeps its sign ("negative-zero",
    with every row flagged). Scores holding both zeros are left out: which one is the smallest is not
    defined in memory either.
    """
    if kind == "constant":
        return np.full(n, 3.5)
    if kind == "raw":
        return np.round(rng.normal(size=n), 3) * 7 + 0.0  # + 0.0: no -0.0
    if kind == "negative-zero":
        return np.where(rng.uniform(size=n) < 0.5, -0.0, rng.uniform(1, 2, size=n))
    edges = rng.integers(0, 4001, n) / 4000
    values = np.where(rng.uniform(size=n) < 0.5, edges, rng.uniform(size=n))
    values[:40] = [0.29, 0.0, 0.5, 1.0] * 10
    return values


@pytest.mark.parametrize("keep_rows", [True, False], ids=["distinct-rows", "fine-bins"])
@pytest.mark.parametrize(
    ("kind", "higher_is_riskier"),
    [("probability", True), ("raw", True), ("raw", False), ("constant", True), ("negative-zero", True)],
    ids=["probability", "raw-higher-riskier", "raw-lower-riskier", "constant", "negative-zero"],
)
@pytest.mark.parametrize("target_fpr", [0.05, 1.0], ids=["fpr-5%", "everything"])
def test_the_score_and_cut_passes_are_aggregations_equal_to_the_per_chunk_sums(spark, keep_rows, kind, higher_is_riskier, target_fpr):
    """Histogram counts and fixed-point sums per (cell, bin, label), the Brier moments per cell, the operating
    point and the counts at it: the same integers and doubles whether Spark returns the distinct scored rows
    (up to EXACT_SCORE_ROWS) or the fine bins."""
    from ethicscheck.engines._spark import _SCORED
    from ethicscheck.engines._spark_counts import SparkReduce

    rng = np.random.default_rng(7)
    n, size = 6_000, 24
    score = _scores(kind, n, rng)
    frame = pd.DataFrame(
        {
            "cells": rng.integers(0, size - 1, n),
            "y_true": rng.uniform(size=n) < 0.3,
            "decision": rng.uniform(size=n) < 0.2,
            "score": score,
            "kind": "1" + ("1" if kind == "probability" else "0") + ("1" if higher_is_riskier else "0"),
            "outputs": None,
        }
    )
    chunk = RowChunk(frame["cells"].to_numpy(), frame["y_true"].to_numpy(), frame["decision"].to_numpy(), score)
    counted = count_chunk(chunk, size)
    scale = counted.scale(score_is_probability=kind == "probability", higher_is_riskier=higher_is_riskier)
    plan = ScorePlan.after(counted, size, target_fpr=target_fpr, scale=scale, higher_is_riskier=higher_is_riskier)
    plan = replace(plan, keep_rows=keep_rows)
    reduce = SparkReduce(spark.createDataFrame(frame, _SCORED).repartition(3), counted)

    assert reduce(partial(count_chunk, size=size)) is counted
    expected, found = score_chunk(chunk, plan), reduce(partial(score_chunk, plan=plan))
    np.testing.assert_array_equal(found.counts, expected.counts)
    for name in ("score_sums", "squared_error", "error4"):
        np.testing.assert_array_equal(getattr(found, name).high, getattr(expected, name).high)
        np.testing.assert_array_equal(getattr(found, name).low, getattr(expected, name).low)
    expected_point = expected.operating_point(plan, counted.n_negative, target_fpr)
    assert np.array_equal(found.operating_point(plan, counted.n_negative, target_fpr), expected_point)
    assert [np.signbit(v) for v in found.operating_point(plan, counted.n_negative, target_fpr)] == [np.signbit(v) for v in expected_point]
    if keep_rows:  # every scored row, in another order: exact ROC AUC and AP sort them by group and score
        assert found.rows is not None and expected.rows is not None
        order_found, order_expected = np.lexsort(found.rows), np.lexsort(expected.rows)
        for got, want in zip(found.rows, expected.rows):
            np.testing.assert_array_equal(got[order_found], want[order_expected])
    else:
        assert found.rows is None
    cut = expected_point[0]
    np.testing.assert_array_equal(reduce(partial(cut_chunk, plan=plan, cut=cut)), cut_chunk(chunk, plan, cut))


def test_the_spark_engine_refuses_a_statistic_it_has_no_aggregation_for(spark):
    from ethicscheck.engines._spark import _SCORED
    from ethicscheck.engines._spark_counts import SparkReduce

    frame = pd.DataFrame({"cells": [0], "y_true": [True], "decision": [True], "score": 0.5, "kind": "111", "outputs": None})
    reduce = SparkReduce(
        spark.createDataFrame(frame, _SCORED), count_chunk(RowChunk(np.zeros(1, int), np.ones(1, bool), np.ones(1, bool)), 1)
    )
    with pytest.raises(TypeError, match="no aggregation"):
        reduce(partial(len))
