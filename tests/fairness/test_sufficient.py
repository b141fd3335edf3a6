"""The fairness stage's statistics add up exactly: any split and order of the rows gives the same result, bit for bit."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from ethicscheck.fairness import AssessSettings, assess, encode_feature
from ethicscheck.fairness._assess import assess_passes
from ethicscheck.fairness._sufficient import ExactSums, RowChunk, local_reduce
from ethicscheck.fairness._tables import joint_index


def _rows(n: int, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    groups = pd.DataFrame({"nationality": rng.choice(["a", "b", "c", None], n), "region": rng.choice(["north", "south"], n)})
    y = rng.random(n) < 0.3
    score = np.clip(rng.normal(0.3 + 0.4 * y, 0.2), 0, 1)
    return groups, y, score >= 0.5, score


def _json(result) -> str:  # type: ignore[no-untyped-def]
    return json.dumps(result.to_dict(), sort_keys=True)


@pytest.mark.parametrize("probability", [True, False])
def test_shuffled_uneven_chunks_give_the_same_result_to_the_last_digit(probability):
    groups, y, decision, score = _rows(3000)
    if not probability:
        score = 1 + 9 * score  # a 1-10 risk score
    settings = AssessSettings(n_boot=50, min_group_size=5, target_fpr=0.05)
    whole = assess(y, decision, sensitive_features=groups, settings=settings, y_score=score, score_is_probability=probability)

    joint = joint_index([encode_feature(groups[c], name=c) for c in groups.columns])
    order = np.random.default_rng(1).permutation(len(y))
    cuts = [0, 7, 400, 401, 2500, len(y)]

    def passes():  # type: ignore[no-untyped-def]
        for start, end in zip(cuts[:-1], cuts[1:]):
            rows = order[start:end]
            yield RowChunk(joint.cells[rows], y[rows], decision[rows], score[rows])

    split = assess_passes(joint, local_reduce(passes), settings, has_score=True, score_is_probability=probability)
    assert _json(split) == _json(whole)


def test_score_sums_are_exact_whatever_the_order():
    values = np.random.default_rng(2).random(10_000)
    index = np.zeros(len(values), dtype=np.int64)
    forward = ExactSums.of(index, values, 1)
    backward = ExactSums.of(index[:5000], values[::-1][:5000], 1) + ExactSums.of(index[5000:], values[::-1][5000:], 1)
    assert forward.to_float()[0] == backward.to_float()[0]
    assert forward.to_float()[0] == pytest.approx(values.sum(), rel=1e-14)


def test_to_groups_adds_each_groups_cells_in_order_as_add_at_does():
    from types import SimpleNamespace

    from ethicscheck.fairness._histogram import to_groups

    rng = np.random.default_rng(4)
    for cells, groups in [(1, 1), (12, 3), (200, 40)]:
        cell_to_group = rng.integers(-1, groups, cells)
        per_cell = rng.random((cells, 5, 2)) * 10.0 ** rng.integers(-8, 8, (cells, 1, 1))
        expected = np.zeros((groups, 5, 2))
        np.add.at(expected, cell_to_group[cell_to_group >= 0], per_cell[cell_to_group >= 0])
        assert np.array_equal(to_groups(per_cell, SimpleNamespace(cell_to_group=cell_to_group, n_groups=groups)), expected)
