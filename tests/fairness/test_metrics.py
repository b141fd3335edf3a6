"""Rates from cell counts: numerators and denominators are the sums of their cells."""

from __future__ import annotations

import numpy as np
import pytest

from ethicscheck.fairness._metrics import METRICS, numerator_denominator


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8, np.float64])
def test_numerator_and_denominator_are_the_sums_of_their_cells(dtype):
    counts = np.random.default_rng(3).integers(0, 60, (5, 7, 4)).astype(dtype)  # replicates x groups x cells
    for key, metric in METRICS.items():
        numerator, denominator = numerator_denominator(counts, key)
        for got, cells in ((numerator, metric.numerator), (denominator, metric.denominator)):
            expected = counts[..., list(cells)].sum(axis=-1)
            assert got.dtype == expected.dtype and np.array_equal(got, expected), key
