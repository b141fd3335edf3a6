"""The interval helpers spell the confidence level one way (``confidence_level``); the old ``confidence=`` still
works, with a warning naming the new keyword, and gives the same interval."""

from __future__ import annotations

import numpy as np
import pytest

from ethicscheck.errors import EthicsCheckDeprecationWarning
from ethicscheck.fairness._compare import bootstrap_to_reference
from ethicscheck.fairness._spread import difference_spread, ratio_spread, ratio_to_reference_spread, worst_of
from ethicscheck.fairness._uncertainty import basic_interval, katz_ratio, newcombe_difference, percentile_interval, wilson_interval

X, N = np.array([[3.0, 9.0, 14.0]]), np.array([[40.0, 45.0, 50.0]])
REPLICATES = np.random.default_rng(0).uniform(size=(200, 3))

HELPERS = {
    "wilson_interval": lambda **k: wilson_interval(X[0], N[0], **k),
    "percentile_interval": lambda **k: percentile_interval(REPLICATES, **k),
    "basic_interval": lambda **k: basic_interval(REPLICATES, REPLICATES.mean(axis=0), **k),
    "newcombe_difference": lambda **k: newcombe_difference((3, 9), (40, 45), **k),
    "katz_ratio": lambda **k: katz_ratio((3, 9), (40, 45), **k),
    "bootstrap_to_reference": lambda **k: bootstrap_to_reference(REPLICATES, 0, **k),
    "difference_spread": lambda **k: difference_spread(X, N, **k),
    "ratio_spread": lambda **k: ratio_spread(X, N, **k),
    "ratio_to_reference_spread": lambda **k: ratio_to_reference_spread(X, N, 0, **k),
    "worst_of": lambda **k: worst_of([(X, N)], "difference", **k),
}


def _flat(result):
    parts = result if isinstance(result, tuple) else (result.value, result.low, result.high)
    return np.concatenate([np.ravel(np.asarray(p, dtype=float)) for p in parts])


@pytest.mark.parametrize("name", HELPERS)
def test_the_old_keyword_warns_and_gives_the_same_interval(name):
    helper = HELPERS[name]
    new = helper(confidence_level=0.9)
    with pytest.warns(EthicsCheckDeprecationWarning, match=rf"{name}\(confidence=\.\.\.\) is deprecated; pass confidence_level="):
        old = helper(confidence=0.9)
    np.testing.assert_array_equal(_flat(old), _flat(new))
    assert not np.array_equal(_flat(helper(confidence_level=0.99)), _flat(new))


@pytest.mark.parametrize("name", HELPERS)
def test_without_a_level_the_error_names_the_keyword(name):
    with pytest.raises(TypeError, match="confidence_level"):
        HELPERS[name]()
