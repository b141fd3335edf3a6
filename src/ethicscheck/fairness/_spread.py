"""Intervals for between-group spreads from simultaneous intervals of every pair of groups.

A spread (max - min, max / min, the worst ratio to the reference) is the largest of several
contrasts between groups. Bootstrapping the observed maximum plugs in whichever pair happens to look
largest, so just off parity, where several pairs are nearly tied, its interval misses the truth far
more often than it claims (74-81% for a nominal 95% at true ratios of 1.03-1.125 with two groups of
5,000 negatives; ``benchmarks/coverage_study.py``).

Here every contrast gets an interval built from the groups' Wilson intervals (Newcombe's method for a
difference; the same method on the log scale for a ratio). The spread lies between the largest
lower bound and the largest upper bound whenever the lower bounds of all contrasts near the largest
hold (any of them may exceed the truth: a multiple-comparison problem, so these are
Bonferroni-adjusted) and the upper bound of the truly largest contrast holds (only that one matters,
so it needs no adjustment). The adjustment is adaptive: a first pass, adjusted over every pair,
finds the contrasts that may be the largest (those whose interval could reach the largest lower
bound); the second pass adjusts over those only, so a clear difference between two of twenty groups
is not paid for with the other 188 pairs (the selection rule of Chernozhukov, Lee and Rosen's
intersection bounds, 2013). Where many groups are nearly tied at the top the adjustment is
conservative: coverage is then above the nominal level, never below it.

All functions work on a leading batch axis, so the coverage benchmark runs thousands of simulated
audits at once through the same code as an audit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtri

from ethicscheck.errors import renamed_keyword
from ethicscheck.fairness._uncertainty import wilson_limits

__all__ = ["SpreadBounds", "difference_spread", "ratio_spread", "ratio_to_reference_spread", "worst_of"]

METHOD = "simultaneous Wilson-based intervals of every pair of groups (adaptive Bonferroni)"

#: How far above its own interval a contrast may sit and still count as possibly the largest, in
#: units of its interval's half-width (the factor 2 of the intersection-bounds selection rule).
_SELECTION_WIDTHS = 2.0


@dataclass(frozen=True)
class SpreadBounds:
    """A spread's value and interval per batch row (NaN where undefined)."""

    value: np.ndarray
    low: np.ndarray
    high: np.ndarray


@dataclass(frozen=True)
class _Contrasts:
    """Estimates and interval bounds of contrasts between groups, on a scale where the spread is their maximum.

    ``family`` numbers the two-sided comparisons (a pair of groups is one comparison in both orders).
    """

    estimate: np.ndarray  # (batch, contrasts)
    low: np.ndarray
    high: np.ndarray
    family: np.ndarray  # (contrasts,) comparison id


def difference_spread(
    successes: np.ndarray, trials: np.ndarray, *, confidence_level: float | None = None, confidence: float | None = None
) -> SpreadBounds:
    """max - min of the rates ``successes / trials`` over the last axis, with its interval.

    Parameters
    ----------
    successes, trials : ndarray of shape (batch, groups)
        Every group with ``trials > 0``.
    confidence_level : float

    Returns
    -------
    SpreadBounds
        Value and interval in [0, 1].
    """
    confidence_level = renamed_keyword(confidence_level, confidence, old="confidence", new="confidence_level", function="difference_spread")
    rate = successes / trials
    value = rate.max(axis=-1) - rate.min(axis=-1)
    low, high = _max_interval(
        lambda z: _pair_differences(successes, trials, z), confidence_level=confidence_level, floor=0.0, log_scale=False
    )
    return SpreadBounds(value, low, high)


def ratio_spread(
    successes: np.ndarray, trials: np.ndarray, *, confidence_level: float | None = None, confidence: float | None = None
) -> SpreadBounds:
    """max / min of the rates over the last axis, with its interval (min / max is its reciprocal).

    The value is NaN where the lowest rate is 0; the interval then still has a finite lower bound and
    an infinite upper bound, so min / max = 0 keeps an interval.
    """
    confidence_level = renamed_keyword(confidence_level, confidence, old="confidence", new="confidence_level", function="ratio_spread")
    rate = successes / trials
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(rate.min(axis=-1) > 0, rate.max(axis=-1) / rate.min(axis=-1), np.nan)
    low, high = _max_interval(lambda z: _pair_ratios(successes, trials, z), confidence_level=confidence_level, floor=1.0, log_scale=True)
    return SpreadBounds(value, low, high)


def ratio_to_reference_spread(
    successes: np.ndarray, trials: np.ndarray, ref: int, *, confidence_level: float | None = None, confidence: float | None = None
) -> SpreadBounds:
    """The largest ratio of a group's rate to group ``ref``'s, the reference included (so at least 1).

    NaN where the reference's rate is 0.
    """
    confidence_level = renamed_keyword(
        confidence_level, confidence, old="confidence", new="confidence_level", function="ratio_to_reference_spread"
    )
    rate = successes / trials
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(rate[:, ref] > 0, np.maximum(rate.max(axis=-1) / rate[:, ref], 1.0), np.nan)
    others = np.array([g for g in range(successes.shape[-1]) if g != ref], dtype=np.int64)
    low, high = _max_interval(
        lambda z: _ratios(successes, trials, z, others, np.full_like(others, ref)),
        confidence_level=confidence_level,
        floor=1.0,
        log_scale=True,
    )
    return SpreadBounds(value, low, high)


def worst_of(
    parts: list[tuple[np.ndarray, np.ndarray]], kind: str, *, confidence_level: float | None = None, confidence: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Interval of the largest spread among several rates (fairlearn's ``agg="worst_case"``).

    ``parts`` holds ``(successes, trials)`` per rate; the contrasts of all of them form one family.
    ``kind`` is ``difference`` (the largest max - min) or ``ratio`` (the largest max / min).
    """
    confidence_level = renamed_keyword(confidence_level, confidence, old="confidence", new="confidence_level", function="worst_of")
    pairs = _pair_differences if kind == "difference" else _pair_ratios

    def build(z: np.ndarray) -> _Contrasts:
        blocks = [pairs(x, n, z) for x, n in parts]
        offsets = np.cumsum([0] + [int(b.family.max()) + 1 for b in blocks[:-1]])
        return _Contrasts(
            np.concatenate([b.estimate for b in blocks], axis=-1),
            np.concatenate([b.low for b in blocks], axis=-1),
            np.concatenate([b.high for b in blocks], axis=-1),
            np.concatenate([b.family + o for b, o in zip(blocks, offsets)]),
        )

    return _max_interval(build, confidence_level=confidence_level, floor=0.0 if kind == "difference" else 1.0, log_scale=kind == "ratio")


def _max_interval(
    build: Callable[[np.ndarray], _Contrasts], *, confidence_level: float, floor: float, log_scale: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Interval of ``max(floor, largest contrast)`` from adaptively adjusted simultaneous intervals."""
    alpha = 1 - confidence_level
    first = build(np.array(0.0))  # only the family's size is needed before the first z
    comparisons = int(first.family.max()) + 1
    batch = first.estimate.shape[0]
    z_all = np.full((batch, 1), ndtri(1 - alpha / (2 * comparisons)))
    wide = build(z_all)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.log if log_scale else (lambda a: a)
        largest_low = np.maximum(scale(np.array(floor)), np.nanmax(scale(wide.low), axis=-1, keepdims=True))
        reach = scale(wide.high) + _SELECTION_WIDTHS * (scale(wide.high) - scale(wide.estimate))
        candidate = (reach >= largest_low) | np.isnan(wide.estimate) & np.isinf(wide.high)
    per_comparison = _any_per_family(candidate, first.family, comparisons)
    selected = np.maximum(per_comparison.sum(axis=-1, keepdims=True), 1)
    low = np.maximum(floor, np.nanmax(build(ndtri(1 - alpha / (2 * selected))).low, axis=-1))
    # The upper bound fails only if the largest true contrast's own interval misses it from above, so
    # it needs no adjustment: the unadjusted one-sided level keeps it valid and much narrower.
    high = np.maximum(floor, np.nanmax(build(np.full((batch, 1), ndtri(1 - alpha / 2))).high, axis=-1))
    if not log_scale:  # a difference of two rates is at most 1; rounding must not say otherwise
        low, high = np.minimum(low, 1.0), np.minimum(high, 1.0)
    return low, high


def _any_per_family(candidate: np.ndarray, family: np.ndarray, comparisons: int) -> np.ndarray:
    """``out[b, f]``: is any contrast of comparison ``f`` a candidate in row ``b``? One pass over the contrasts.

    (A loop over comparisons scanned every contrast once per comparison: O(groups^4) for all pairs of
    groups, hours at 10,000 groups.)
    """
    batch = candidate.shape[0]
    cells = np.arange(batch)[:, None] * comparisons + family
    return np.bincount(cells[candidate], minlength=batch * comparisons).reshape(batch, comparisons) > 0


def _pairs(groups: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Both orders of every pair of groups, and the comparison id each ordered pair belongs to."""
    first, second = np.triu_indices(groups, 1)
    family = np.arange(len(first))
    return np.concatenate([first, second]), np.concatenate([second, first]), np.concatenate([family, family])


def _pair_differences(successes: np.ndarray, trials: np.ndarray, z: np.ndarray) -> _Contrasts:
    """Newcombe's interval of ``p_a - p_b`` for every ordered pair, from Wilson limits at ``z``."""
    a, b, family = _pairs(successes.shape[-1])
    rate = successes / trials
    low, high = wilson_limits(successes, trials, z)
    d = rate[:, a] - rate[:, b]
    lower = d - np.sqrt((rate[:, a] - low[:, a]) ** 2 + (high[:, b] - rate[:, b]) ** 2)
    upper = d + np.sqrt((high[:, a] - rate[:, a]) ** 2 + (rate[:, b] - low[:, b]) ** 2)
    return _Contrasts(d, lower, upper, family)


def _pair_ratios(successes: np.ndarray, trials: np.ndarray, z: np.ndarray) -> _Contrasts:
    a, b, family = _pairs(successes.shape[-1])
    contrasts = _ratios(successes, trials, z, a, b)
    return _Contrasts(contrasts.estimate, contrasts.low, contrasts.high, family)


def _ratios(successes: np.ndarray, trials: np.ndarray, z: np.ndarray, a: np.ndarray, b: np.ndarray) -> _Contrasts:
    """Interval of ``p_a / p_b`` per contrast: Newcombe's method on the log scale (MOVER).

    Where either rate is 0 the logarithm does not exist and the ratio of the Wilson limits is used
    (``low_a / high_b`` to ``high_a / low_b``, infinite when ``low_b`` is 0), which is wider.
    """
    rate = successes / trials
    low, high = wilson_limits(successes, trials, z)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_rate, log_low, log_high = np.log(rate), np.log(low), np.log(high)
        r = log_rate[:, a] - log_rate[:, b]
        lower = np.exp(r - np.sqrt((log_rate[:, a] - log_low[:, a]) ** 2 + (log_high[:, b] - log_rate[:, b]) ** 2))
        upper = np.exp(r + np.sqrt((log_high[:, a] - log_rate[:, a]) ** 2 + (log_rate[:, b] - log_low[:, b]) ** 2))
        zero = (rate[:, a] == 0) | (rate[:, b] == 0)
        lower = np.where(zero, low[:, a] / high[:, b], lower)
        upper = np.where(zero, np.where(low[:, b] > 0, high[:, a] / low[:, b], np.inf), upper)
        estimate = rate[:, a] / rate[:, b]
    return _Contrasts(estimate, lower, upper, np.arange(len(a)))
