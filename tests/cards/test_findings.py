"""Findings come in order of the strength of their evidence, never of the size of their ratio."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ethicscheck.cards._findings import Finding, by_evidence


def _finding(low, high, n=100, text="x"):
    return Finding(text, "f", "disparity", ratio_low=low, ratio_high=high, n=n)


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (2.0, 4.0, 1.0),  # log 2 / log 2
        (1.0, 3.0, 0.0),  # touches parity: no evidence of a difference
        (0.25, 0.5, 1.0),  # below parity, mirror image of the first
        (0.8, 1.25, 0.0),  # straddles parity
        (1.36, 9.76, math.log(1.36) / math.log(9.76 / 1.36)),  # the demo's 58-ad intersection: wide, so weak
        (1.85, 6.2, math.log(1.85) / math.log(6.2 / 1.85)),
        (None, 2.0, 0.0),
        (1.5, math.inf, 0.0),  # an unbounded interval says nothing about the size
    ],
)
def test_evidence(low, high, expected):
    assert _finding(low, high).evidence == pytest.approx(expected)


def test_a_large_ratio_on_a_few_rows_comes_after_a_smaller_firm_one():
    """The issue's case: ratio 3.7 on 58 ads (1.36-9.76) was listed above 3.3 on 337 ads (1.85-6.20)."""
    thin = _finding(1.36, 9.76, n=58, text="thin")
    firm = _finding(1.85, 6.20, n=337, text="firm")
    barely = _finding(1.05, 4.98, n=291, text="barely")
    assert [f.text for f in by_evidence([thin, barely, firm])] == ["firm", "thin", "barely"]


def test_ties_go_to_the_larger_group():
    assert [f.n for f in by_evidence([_finding(2, 4, n=50), _finding(2, 4, n=500)])] == [500, 50]


@given(
    low=st.floats(1.01, 50),
    width=st.floats(1.01, 50),
    wider=st.floats(1.01, 10),
)
def test_a_wider_interval_at_the_same_distance_from_parity_is_weaker_evidence(low, width, wider):
    assert _finding(low, low * width * wider).evidence <= _finding(low, low * width).evidence


@given(low=st.floats(1.01, 50), width=st.floats(1.01, 50), farther=st.floats(1.0, 10))
def test_moving_an_interval_away_from_parity_strengthens_the_evidence(low, width, farther):
    assert _finding(low * farther, low * farther * width).evidence >= _finding(low, low * width).evidence
