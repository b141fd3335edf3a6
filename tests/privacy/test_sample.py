"""A privacy.max_rows sample is chosen by content: the same rows however they are ordered, batched or partitioned."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ethicscheck.fairness import encode_feature
from ethicscheck.privacy._sample import SampleCut, row_keys, sample_cut, smallest_keys


def _rows(n: int = 400, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    texts = [f"ad {i % 90}" for i in range(n)]  # copies of 90 texts: ties straddle the cut
    texts[5] = None  # missing text counts as empty
    return pd.DataFrame({"text": texts, "group": rng.choice(["a", "b"], n)})


def _sample(frame: pd.DataFrame, max_rows: int, parts: list[np.ndarray]) -> list[tuple[str, str]]:
    """The sampled rows' (text, group) when the rows come in ``parts`` (positions), as an engine's batches would."""
    groups = [encode_feature(frame["group"], name="group", max_groups=10)]
    keys = row_keys(frame, ["text"], groups, seed=3)
    smallest = smallest_keys(np.concatenate([smallest_keys(keys[p], max_rows) for p in parts]), max_rows)
    cut = sample_cut(smallest, max_rows=max_rows, n_rows=len(frame))
    assert cut is not None
    taken = [p[cut.rows(keys[p])] for p in parts]
    chosen = frame.iloc[np.concatenate(taken)]
    return sorted(zip(chosen["text"].fillna("").tolist(), chosen["group"].tolist()))


def test_the_sample_is_the_same_rows_whatever_the_order_or_parts():
    frame = _rows()
    rng = np.random.default_rng(1)
    whole = _sample(frame, 100, [np.arange(len(frame))])
    assert len(whole) == 100
    for _ in range(5):
        order = rng.permutation(len(frame))
        cuts = np.sort(rng.choice(np.arange(1, len(frame)), 3, replace=False))
        assert _sample(frame, 100, np.split(order, cuts)) == whole


def test_copies_straddling_the_cut_complete_the_sample_exactly():
    frame = pd.DataFrame({"text": ["same ad"] * 50 + ["other"] * 50, "group": "a"})
    groups = [encode_feature(frame["group"], name="group", max_groups=10)]
    keys = row_keys(frame, ["text"], groups, seed=0)
    cut = sample_cut(smallest_keys(keys, 70), max_rows=70, n_rows=100)
    assert cut is not None and 0 < cut.ties <= 50
    assert len(cut.rows(keys)) == 70 and cut.ties == 0  # the ties are used up once taken


def test_no_sample_when_every_row_fits_and_keys_follow_the_seed_and_groups():
    frame = _rows(20)
    assert sample_cut(np.zeros(0, dtype=np.uint64), max_rows=20, n_rows=20) is None
    assert sample_cut(np.zeros(0, dtype=np.uint64), max_rows=None, n_rows=20) is None
    groups = [encode_feature(frame["group"], name="group", max_groups=10)]
    assert not np.array_equal(row_keys(frame, ["text"], groups, seed=1), row_keys(frame, ["text"], groups, seed=2))
    same_text = pd.DataFrame({"text": ["x", "x"], "group": ["a", "b"]})
    keys = row_keys(same_text, ["text"], [encode_feature(same_text["group"], name="group", max_groups=10)], seed=0)
    assert keys[0] != keys[1]  # the same text in two groups: two different rows for the scan
    assert SampleCut(5, 1).rows(np.array([1, 5, 5, 9], dtype=np.uint64)).tolist() == [0, 1]
