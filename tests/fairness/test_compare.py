"""Intervals to the reference computed a block of groups at a time are those of all groups at once, to the last bit."""

from __future__ import annotations

import numpy as np
import pytest

from ethicscheck.fairness._compare import bootstrap_to_reference, replicated_to_reference
from ethicscheck.fairness._metrics import METRICS, rate
from ethicscheck.fairness._uncertainty import bootstrap_counts


def _counts(groups: int, seed: int) -> np.ndarray:
    """Cell counts with the awkward groups: no negatives, no positives, no flags, a single row, every row flagged."""
    rng = np.random.default_rng(seed)
    counts = rng.integers(0, 30, size=(groups, 4))
    counts[0] = [0, 0, 5, 7]  # no negatives: fpr undefined in every replicate
    counts[1] = [9, 4, 0, 0]  # no positives
    counts[2] = [12, 0, 3, 0]  # nothing flagged: rates of 0
    counts[3] = [0, 1, 0, 0]  # one row
    counts[4] = [0, 6, 0, 8]  # everything flagged
    return counts


@pytest.mark.parametrize("mode", ["stratified", "pooled"])
@pytest.mark.parametrize(("groups", "block", "ref"), [(7, 3, 5), (70, 64, 69), (130, 64, 2), (40, 1, 6)])
def test_blocks_of_groups_give_the_intervals_of_all_groups_at_once(mode, groups, block, ref):
    replicates = bootstrap_counts(_counts(groups, groups), n_boot=300, rng=np.random.default_rng(groups), mode=mode)
    keys = tuple(METRICS)
    blocked = replicated_to_reference(replicates, keys, ref, confidence_level=0.9, block=block)
    for key in keys:
        whole = bootstrap_to_reference(rate(replicates, key), ref, confidence_level=0.9)
        for mine, theirs in zip(blocked[key], whole, strict=True):
            assert mine.tobytes() == theirs.tobytes(), key


def test_a_reference_with_no_events_leaves_every_ratio_undefined():
    counts = _counts(9, 1)
    replicates = bootstrap_counts(counts, n_boot=100, rng=np.random.default_rng(1))
    diff_low, diff_high, ratio_low, ratio_high = replicated_to_reference(replicates, ("fpr",), 2, confidence_level=0.95, block=4)["fpr"]
    assert np.isnan(ratio_low).all() and np.isnan(ratio_high).all()
    assert np.isfinite(diff_low[5:]).all() and (diff_low[5:] <= diff_high[5:]).all()
