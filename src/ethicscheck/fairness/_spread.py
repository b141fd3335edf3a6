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
from functools import cached_property

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

    ``family`` numbers classes of two-sided comparisons (a pair of groups is one comparison in both orders);
    ``weight`` says how many comparisons each class stands for: groups with the same counts in every batch
    row have the same contrasts, so a pair of such kinds of group is computed once for all its pairs.
    """

    estimate: np.ndarray  # (batch, contrasts)
    low: np.ndarray
    high: np.ndarray
    family: np.ndarray  # (contrasts,) comparison class id
    weight: np.ndarray  # (classes,) comparisons in each class


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
    kinds = _Kinds.of(successes, trials)
    low, high = _max_interval(
        lambda z: _pair_differences(kinds, z), kinds.pairs[3], confidence_level=confidence_level, floor=0.0, log_scale=False
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
    kinds = _Kinds.of(successes, trials)
    low, high = _max_interval(
        lambda z: _pair_ratios(kinds, z), kinds.pairs[3], confidence_level=confidence_level, floor=1.0, log_scale=True
    )
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
    every = np.ones(len(others), dtype=np.int64)  # each group against the reference is its own comparison
    low, high = _max_interval(
        lambda z: _ratios(successes, trials, z, others, np.full_like(others, ref), every),
        every,
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
    kinds = [_Kinds.of(x, n) for x, n in parts]

    def build(z: np.ndarray) -> _Contrasts:
        blocks = [pairs(k, z) for k in kinds]
        offsets = np.cumsum([0] + [len(b.weight) for b in blocks[:-1]])
        return _Contrasts(
            np.concatenate([b.estimate for b in blocks], axis=-1),
            np.concatenate([b.low for b in blocks], axis=-1),
            np.concatenate([b.high for b in blocks], axis=-1),
            np.concatenate([b.family + o for b, o in zip(blocks, offsets)]),
            np.concatenate([b.weight for b in blocks]),
        )

    weight = np.concatenate([k.pairs[3] for k in kinds])
    return _max_interval(
        build, weight, confidence_level=confidence_level, floor=0.0 if kind == "difference" else 1.0, log_scale=kind == "ratio"
    )


def _max_interval(
    build: Callable[[np.ndarray], _Contrasts], weight: np.ndarray, *, confidence_level: float, floor: float, log_scale: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Interval of ``max(floor, largest contrast)`` from adaptively adjusted simultaneous intervals.

    ``weight`` is the contrasts' ``weight`` (comparisons per class), known before any is built.
    """
    alpha = 1 - confidence_level
    comparisons = int(weight.sum())
    wide = build(np.array([[ndtri(1 - alpha / (2 * comparisons))]]))  # the same z in every batch row
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.log if log_scale else (lambda a: a)
        largest_low = np.maximum(scale(np.array(floor)), np.nanmax(scale(wide.low), axis=-1, keepdims=True))
        reach = scale(wide.high) + _SELECTION_WIDTHS * (scale(wide.high) - scale(wide.estimate))
        candidate = (reach >= largest_low) | np.isnan(wide.estimate) & np.isinf(wide.high)
    per_class = _any_per_family(candidate, wide.family, len(wide.weight))
    selected = np.maximum((per_class * wide.weight).sum(axis=-1, keepdims=True), 1)
    low = np.maximum(floor, np.nanmax(build(ndtri(1 - alpha / (2 * selected))).low, axis=-1))
    # The upper bound fails only if the largest true contrast's own interval misses it from above, so
    # it needs no adjustment: the unadjusted one-sided level keeps it valid and much narrower.
    high = np.maximum(floor, np.nanmax(build(np.array([[ndtri(1 - alpha / 2)]])).high, axis=-1))
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


@dataclass(frozen=True)
class _Kinds:
    """The distinct groups of a batch: groups with the same counts in every row, and how many there are of each.

    Every contrast is a function of the two groups' counts, so the contrasts between two kinds of group are
    the same for every pair of groups of those kinds: a feature of 10,000 groups holds far fewer kinds
    (small groups share their counts), and the pairs of kinds are what is computed.
    """

    successes: np.ndarray  # (batch, kinds)
    trials: np.ndarray
    size: np.ndarray  # (kinds,) groups of each kind

    @classmethod
    def of(cls, successes: np.ndarray, trials: np.ndarray) -> _Kinds:
        columns = np.concatenate([successes, trials], axis=0).T
        _, first, size = np.unique(columns, axis=0, return_index=True, return_counts=True)
        keep = np.sort(first)  # kinds in the order of their first group: without repeats, the groups' own order
        size = size[np.argsort(first)]
        return cls(successes[:, keep], trials[:, keep], size.astype(np.int64))

    @cached_property  # the same pairs at every z
    def pairs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Both orders of every pair of kinds, each kind with itself once where it holds two groups or more;
        the comparison class of each ordered pair, and how many pairs of groups each class stands for."""
        first, second = np.triu_indices(len(self.size), 1)
        alike = np.flatnonzero(self.size >= 2)
        across = np.arange(len(first))
        family = np.concatenate([across, across, len(first) + np.arange(len(alike))])
        weight = np.concatenate([self.size[first] * self.size[second], self.size[alike] * (self.size[alike] - 1) // 2])
        return np.concatenate([first, second, alike]), np.concatenate([second, first, alike]), family, weight


def _pair_differences(kinds: _Kinds, z: np.ndarray) -> _Contrasts:
    """Newcombe's interval of ``p_a - p_b`` for every ordered pair, from Wilson limits at ``z``."""
    a, b, family, weight = kinds.pairs
    successes, trials = kinds.successes, kinds.trials
    rate = successes / trials
    low, high = wilson_limits(successes, trials, z)
    d = rate[:, a] - rate[:, b]
    lower = d - np.sqrt((rate[:, a] - low[:, a]) ** 2 + (high[:, b] - rate[:, b]) ** 2)
    upper = d + np.sqrt((high[:, a] - rate[:, a]) ** 2 + (rate[:, b] - low[:, b]) ** 2)
    return _Contrasts(d, lower, upper, family, weight)


def _pair_ratios(kinds: _Kinds, z: np.ndarray) -> _Contrasts:
    a, b, family, weight = kinds.pairs
    contrasts = _ratios(kinds.successes, kinds.trials, z, a, b, weight)
    return _Contrasts(contrasts.estimate, contrasts.low, contrasts.high, family, weight)


def _ratios(successes: np.ndarray, trials: np.ndarray, z: np.ndarray, a: np.ndarray, b: np.ndarray, weight: np.ndarray) -> _Contrasts:
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
    return _Contrasts(estimate, lower, upper, np.arange(len(a)), weight)
