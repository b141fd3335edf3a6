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

from dataclasses import dataclass
from functools import cached_property
from typing import Literal, Protocol

import numpy as np
from scipy.special import ndtri

from ethicscheck.errors import renamed_keyword
from ethicscheck.fairness._uncertainty import wilson_limits

__all__ = ["SharedContrasts", "SpreadBounds", "difference_spread", "ratio_spread", "ratio_to_reference_spread", "worst_of"]

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


def difference_spread(
    successes: np.ndarray,
    trials: np.ndarray,
    *,
    confidence_level: float | None = None,
    confidence: float | None = None,
    shared: SharedContrasts | None = None,
) -> SpreadBounds:
    """max - min of the rates ``successes / trials`` over the last axis, with its interval.

    Parameters
    ----------
    successes, trials : ndarray of shape (batch, groups)
        Every group with ``trials > 0``.
    confidence_level : float
    shared : SharedContrasts, optional
        Where the contrasts of these counts are built once for every summary that reads them.

    Returns
    -------
    SpreadBounds
        Value and interval in [0, 1].
    """
    confidence_level = renamed_keyword(confidence_level, confidence, old="confidence", new="confidence_level", function="difference_spread")
    rate = successes / trials
    value = rate.max(axis=-1) - rate.min(axis=-1)
    low, high = (shared or SharedContrasts()).interval([(successes, trials)], "difference", confidence_level)
    return SpreadBounds(value, low, high)


def ratio_spread(
    successes: np.ndarray,
    trials: np.ndarray,
    *,
    confidence_level: float | None = None,
    confidence: float | None = None,
    shared: SharedContrasts | None = None,
) -> SpreadBounds:
    """max / min of the rates over the last axis, with its interval (min / max is its reciprocal).

    The value is NaN where the lowest rate is 0; the interval then still has a finite lower bound and
    an infinite upper bound, so min / max = 0 keeps an interval. ``shared`` as for :func:`difference_spread`.
    """
    confidence_level = renamed_keyword(confidence_level, confidence, old="confidence", new="confidence_level", function="ratio_spread")
    rate = successes / trials
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(rate.min(axis=-1) > 0, rate.max(axis=-1) / rate.min(axis=-1), np.nan)
    low, high = (shared or SharedContrasts()).interval([(successes, trials)], "ratio", confidence_level)
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
    contrasts = _Ratios(successes, trials, others, np.full_like(others, ref), np.arange(len(others)), every)
    low, high = _max_interval(contrasts, confidence_level=confidence_level, floor=1.0, log_scale=True)
    return SpreadBounds(value, low, high)


def worst_of(
    parts: list[tuple[np.ndarray, np.ndarray]],
    kind: str,
    *,
    confidence_level: float | None = None,
    confidence: float | None = None,
    shared: SharedContrasts | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Interval of the largest spread among several rates (fairlearn's ``agg="worst_case"``).

    ``parts`` holds ``(successes, trials)`` per rate; the contrasts of all of them form one family.
    ``kind`` is ``difference`` (the largest max - min) or ``ratio`` (the largest max / min). ``shared`` as for
    :func:`difference_spread`.
    """
    confidence_level = renamed_keyword(confidence_level, confidence, old="confidence", new="confidence_level", function="worst_of")
    return (shared or SharedContrasts()).interval(parts, "difference" if kind == "difference" else "ratio", confidence_level)


class SharedContrasts:
    """The pairwise contrasts of a feature's rates, each built once and read by every summary of that feature.

    A feature's summaries read a few sets of counts many times: ``fpr_difference`` and ``fpr_ratio`` the FPR
    counts of the groups with enough data, ``equalized_odds_*`` the FPR and TPR counts, and
    ``demographic_parity_*_enough_data`` the same selection counts as ``selection_rate_*``. Here each set of
    counts is reduced to its kinds of group once, each kind of contrast over them is built once (what does not
    depend on the confidence level: pairs, estimates), and an interval asked for again (same counts, same kind,
    same level) is the one already computed. The numbers are those of building everything anew.
    """

    def __init__(self) -> None:
        self._contrasts: dict[tuple[bytes, str], _PairContrasts] = {}
        self._kinds: dict[bytes, _Kinds] = {}
        self._intervals: dict[tuple[tuple[bytes, ...], str, float], tuple[np.ndarray, np.ndarray]] = {}

    def interval(
        self, parts: list[tuple[np.ndarray, np.ndarray]], kind: Literal["difference", "ratio"], confidence_level: float
    ) -> tuple[np.ndarray, np.ndarray]:
        """Interval of the largest ``kind`` of contrast over the groups of every part (see :func:`_max_interval`)."""
        keys = tuple(_counts_key(successes, trials) for successes, trials in parts)
        if (keys, kind, confidence_level) not in self._intervals:
            blocks = [self._pairs(key, successes, trials, kind) for key, (successes, trials) in zip(keys, parts)]
            contrasts = blocks[0] if len(blocks) == 1 else _Joined(tuple(blocks))
            floor = 0.0 if kind == "difference" else 1.0
            self._intervals[keys, kind, confidence_level] = _max_interval(
                contrasts, confidence_level=confidence_level, floor=floor, log_scale=kind == "ratio"
            )
        return self._intervals[keys, kind, confidence_level]

    def _pairs(self, key: bytes, successes: np.ndarray, trials: np.ndarray, kind: str) -> _PairContrasts:
        if (key, kind) not in self._contrasts:
            if key not in self._kinds:
                self._kinds[key] = _Kinds.of(successes, trials)
            kinds = self._kinds[key]
            pairs = kinds.pairs
            contrasts: _PairContrasts = _Differences(kinds) if kind == "difference" else _Ratios(kinds.successes, kinds.trials, *pairs)
            self._contrasts[key, kind] = contrasts
        return self._contrasts[key, kind]


def _counts_key(successes: np.ndarray, trials: np.ndarray) -> bytes:
    """The same key for the same counts (shape, type and values)."""
    return repr((successes.shape, successes.dtype.str, trials.shape, trials.dtype.str)).encode() + successes.tobytes() + trials.tobytes()


def _max_interval(contrasts: _PairContrasts, *, confidence_level: float, floor: float, log_scale: bool) -> tuple[np.ndarray, np.ndarray]:
    """Interval of ``max(floor, largest contrast)`` from adaptively adjusted simultaneous intervals."""
    alpha = 1 - confidence_level
    comparisons = int(contrasts.weight.sum())
    wide = np.array([[ndtri(1 - alpha / (2 * comparisons))]])  # the same z in every batch row
    wide_low, wide_high, estimate = contrasts.low(wide), contrasts.high(wide), contrasts.estimate
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.log if log_scale else (lambda a: a)
        largest_low = np.maximum(scale(np.array(floor)), np.nanmax(scale(wide_low), axis=-1, keepdims=True))
        scaled_high = scale(wide_high)
        reach = scaled_high + _SELECTION_WIDTHS * (scaled_high - scale(estimate))
        candidate = (reach >= largest_low) | np.isnan(estimate) & np.isinf(wide_high)
    per_class = _any_per_family(candidate, contrasts.family, len(contrasts.weight))
    selected = np.maximum((per_class * contrasts.weight).sum(axis=-1, keepdims=True), 1)
    adjusted = ndtri(1 - alpha / (2 * selected))
    # Near parity every comparison may be the largest (all of them at 10,000 groups): the adjusted z is then the wide
    # one in every row, and so are the lower bounds already built.
    adjusted_low = wide_low if np.all(adjusted == wide) else contrasts.low(adjusted)
    low = np.maximum(floor, np.nanmax(adjusted_low, axis=-1))
    # The upper bound fails only if the largest true contrast's own interval misses it from above, so
    # it needs no adjustment: the unadjusted one-sided level keeps it valid and much narrower.
    high = np.maximum(floor, np.nanmax(contrasts.high(np.array([[ndtri(1 - alpha / 2)]])), axis=-1))
    if not log_scale:  # a difference of two rates is at most 1; rounding must not say otherwise
        low, high = np.minimum(low, 1.0), np.minimum(high, 1.0)
    return low, high


def _any_per_family(candidate: np.ndarray, family: np.ndarray, comparisons: int) -> np.ndarray:
    """``out[b, f]``: is any contrast of comparison ``f`` a candidate in row ``b``? One pass over the contrasts.

    (A loop over comparisons scanned every contrast once per comparison: O(groups^4) for all pairs of
    groups, hours at 10,000 groups.)
    """
    batch = candidate.shape[0]
    if candidate.all():  # every class has contrasts (both orders of a pair, or a kind with itself): all of them hold one
        return np.ones((batch, comparisons), dtype=bool)
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


class _PairContrasts(Protocol):
    """Contrasts between groups, on a scale where the spread is their maximum, with interval bounds at any ``z``.

    ``family`` numbers classes of two-sided comparisons (a pair of groups is one comparison in both orders);
    ``weight`` says how many comparisons each class stands for: groups with the same counts in every batch
    row have the same contrasts, so a pair of such kinds of group is computed once for all its pairs.
    """

    @property
    def family(self) -> np.ndarray: ...  # (contrasts,) comparison class id

    @property
    def weight(self) -> np.ndarray: ...  # (classes,) comparisons in each class

    @property
    def estimate(self) -> np.ndarray: ...  # (batch, contrasts)

    def low(self, z: np.ndarray) -> np.ndarray: ...

    def high(self, z: np.ndarray) -> np.ndarray: ...


@dataclass(frozen=True)
class _Differences:
    """Newcombe's interval of ``p_a - p_b`` for every ordered pair of kinds, from Wilson limits at ``z``.

    The terms under the square root are squared per kind of group, then paired: the same numbers as squaring
    every pair's, with a fraction of the work.
    """

    kinds: _Kinds

    @property
    def family(self) -> np.ndarray:
        return self.kinds.pairs[2]

    @property
    def weight(self) -> np.ndarray:
        return self.kinds.pairs[3]

    @cached_property
    def rate(self) -> np.ndarray:
        rate: np.ndarray = self.kinds.successes / self.kinds.trials
        return rate

    @cached_property
    def estimate(self) -> np.ndarray:
        a, b, _, _ = self.kinds.pairs
        estimate: np.ndarray = self.rate[:, a] - self.rate[:, b]
        return estimate

    def low(self, z: np.ndarray) -> np.ndarray:
        a, b, _, _ = self.kinds.pairs
        below, above = self._spans(z)
        low: np.ndarray = self.estimate - np.sqrt(below[:, a] + above[:, b])
        return low

    def high(self, z: np.ndarray) -> np.ndarray:
        a, b, _, _ = self.kinds.pairs
        below, above = self._spans(z)
        high: np.ndarray = self.estimate + np.sqrt(above[:, a] + below[:, b])
        return high

    def _spans(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Squared distance from each kind's rate down to its Wilson lower limit, and up to its upper limit."""
        low, high = wilson_limits(self.kinds.successes, self.kinds.trials, z)
        return (self.rate - low) ** 2, (high - self.rate) ** 2


@dataclass(frozen=True)
class _Ratios:
    """Interval of ``p_a / p_b`` per contrast: Newcombe's method on the log scale (MOVER).

    Where either rate is 0 the logarithm does not exist and the ratio of the Wilson limits is used
    (``low_a / high_b`` to ``high_a / low_b``, infinite when ``low_b`` is 0), which is wider.
    """

    successes: np.ndarray  # (batch, groups or kinds)
    trials: np.ndarray
    a: np.ndarray  # (contrasts,) numerator group of each contrast
    b: np.ndarray  # (contrasts,) denominator group
    family: np.ndarray
    weight: np.ndarray

    @cached_property
    def rate(self) -> np.ndarray:
        rate: np.ndarray = self.successes / self.trials
        return rate

    @cached_property
    def log_rate(self) -> np.ndarray:
        with np.errstate(divide="ignore"):
            log_rate: np.ndarray = np.log(self.rate)
        return log_rate

    @cached_property
    def estimate(self) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            estimate: np.ndarray = self.rate[:, self.a] / self.rate[:, self.b]
        return estimate

    @cached_property
    def log_ratio(self) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            log_ratio: np.ndarray = self.log_rate[:, self.a] - self.log_rate[:, self.b]
        return log_ratio

    @cached_property
    def zero(self) -> tuple[np.ndarray, np.ndarray]:
        """(batch row, contrast) of every contrast with a rate of 0 on either side."""
        rows, contrasts = np.nonzero((self.rate[:, self.a] == 0) | (self.rate[:, self.b] == 0))
        return rows, contrasts

    def low(self, z: np.ndarray) -> np.ndarray:
        low, high, below, above = self._spans(z)
        with np.errstate(invalid="ignore"):
            lower: np.ndarray = np.exp(self.log_ratio - np.sqrt(below[:, self.a] + above[:, self.b]))
        rows, zero = self.zero
        with np.errstate(divide="ignore", invalid="ignore"):
            lower[rows, zero] = low[rows, self.a[zero]] / high[rows, self.b[zero]]
        return lower

    def high(self, z: np.ndarray) -> np.ndarray:
        low, high, below, above = self._spans(z)
        with np.errstate(invalid="ignore"):
            upper: np.ndarray = np.exp(self.log_ratio + np.sqrt(above[:, self.a] + below[:, self.b]))
        rows, zero = self.zero
        low_b = low[rows, self.b[zero]]
        with np.errstate(divide="ignore", invalid="ignore"):
            upper[rows, zero] = np.where(low_b > 0, high[rows, self.a[zero]] / low_b, np.inf)
        return upper

    def _spans(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The Wilson limits at ``z``, and the squared distances on the log scale from each rate down and up to them."""
        low, high = wilson_limits(self.successes, self.trials, z)
        with np.errstate(divide="ignore", invalid="ignore"):
            log_low, log_high = np.log(low), np.log(high)
            return low, high, (self.log_rate - log_low) ** 2, (log_high - self.log_rate) ** 2


@dataclass(frozen=True)
class _Joined:
    """The contrasts of several rates as one family (their comparison classes numbered one after another)."""

    blocks: tuple[_PairContrasts, ...]

    @cached_property
    def family(self) -> np.ndarray:
        offsets = np.cumsum([0] + [len(b.weight) for b in self.blocks[:-1]])
        return np.concatenate([b.family + o for b, o in zip(self.blocks, offsets)])

    @cached_property
    def weight(self) -> np.ndarray:
        return np.concatenate([b.weight for b in self.blocks])

    @cached_property
    def estimate(self) -> np.ndarray:
        return np.concatenate([b.estimate for b in self.blocks], axis=-1)

    def low(self, z: np.ndarray) -> np.ndarray:
        return np.concatenate([b.low(z) for b in self.blocks], axis=-1)

    def high(self, z: np.ndarray) -> np.ndarray:
        return np.concatenate([b.high(z) for b in self.blocks], axis=-1)
