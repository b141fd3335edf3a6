"""What the audit could have found: the power of its own test and the smallest disparity it detects.

A group's rate is compared with the reference group's by :func:`~ethicscheck.fairness.compare_proportions`
(Fisher's exact test when an expected cell of the 2x2 table is below 5, else the pooled two-proportion
z-test), and the p-values of one feature's groups are Holm-corrected. This module asks the question the
other way round: given the group's and the reference's denominators and the reference's observed rate,
with what probability does that same test flag a group whose true rate is ``ratio`` times the
reference's, and what is the smallest ratio it flags with the stated power?

Holm's procedure compares the smallest p-value with ``alpha / m`` (``m`` tests). A single group that
differs while the others do not is flagged exactly when its p-value is below ``alpha / m`` (up to the
rare case where another group's p-value is smaller still), so the power is computed at that level; when
several groups differ Holm steps down to larger levels, so the detectable disparity reported here is an
upper bound (conservative).

The power is exact: a sum over every pair of binomial outcomes of the group's and the reference's
numerators (truncated where the probability left out is below 1e-12) of whether the engine's test,
with its switch between Fisher and z, rejects. The closed form (the normal approximation statsmodels'
``power_proportions_2indep`` computes) is used only when both groups expect at least
:data:`NORMAL_MIN_COUNT` events and non-events at the reference's rate, where it is accurate (its power at
the detectable disparity is within 0.4 percentage points of the exact power).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache, partial

import numpy as np
from scipy.special import gammaln, ndtr, ndtri

from ethicscheck.fairness._result import DetectableDisparity, Estimate, PowerMethod, SampleSize
from ethicscheck.fairness._settings import AssessSettings
from ethicscheck.fairness._significance import MIN_EXPECTED

__all__ = [
    "DEFAULT_POWER",
    "DEFAULT_TARGET_RATIO",
    "NORMAL_MIN_COUNT",
    "DetectableDisparity",
    "PowerMethod",
    "SampleSize",
    "detectable_by_group",
    "detectable_disparity",
    "needed_denominator",
    "normal_power",
    "power_of_test",
]

#: Power a detectable disparity is stated at unless the config says otherwise.
DEFAULT_POWER = 0.8
#: Ratio to the reference a sample-size statement is made for ("would need about N ... to detect 1.25x").
DEFAULT_TARGET_RATIO = 1.25
#: Expected events (and non-events) in both groups from which the normal approximation replaces the exact sum.
NORMAL_MIN_COUNT = 100
#: Probability left out of each binomial's tails in the exact sum.
_TAIL = 1e-12
#: Largest group denominator the sample-size search tries before it says "not reachable".
_MAX_N = 10_000_000
#: "As probable as the observed table" in Fisher's two-sided p-value. scipy's tolerance is 1e-14 on its
#: exact probabilities; ours come from log-gamma sums, accurate to about 1e-13, so a wider one keeps
#: scipy's ties (equal probabilities of different tables) ties. Distinct probabilities are further apart.
_FISHER_TIE = 1 + 1e-9


def detectable_by_group(
    estimates: list[dict[str, Estimate]], ref: int, settings: AssessSettings, keys: tuple[str, ...] = ("fpr", "fnr")
) -> tuple[list[dict[str, DetectableDisparity]], list[dict[str, SampleSize]]]:
    """Per group, what the feature's significance tests could have found (none for the reference).

    A group that is tested (its rate and the reference's have enough data) gets its
    :func:`detectable_disparity` in a Holm family of the groups tested, as
    :func:`~ethicscheck.fairness._compare.significance_tests` forms it; a group with too little data to be
    tested gets the denominator it would need (:func:`needed_denominator`, for ``settings.planning_ratio``,
    in the family it would join). Nothing is said where the reference itself has too little data.

    Returns
    -------
    (detectable, needed)
        Per group, rate key -> :class:`DetectableDisparity` and rate key -> :class:`SampleSize`.
    """
    detectable: list[dict[str, DetectableDisparity]] = [{} for _ in estimates]
    needed: list[dict[str, SampleSize]] = [{} for _ in estimates]
    for key in keys:
        reference = estimates[ref][key]
        if not reference.usable or not reference.denominator:
            continue
        n_ref, rate = int(reference.denominator), int(reference.numerator or 0) / int(reference.denominator)
        tested = sum(1 for g in range(len(estimates)) if g != ref and estimates[g][key].usable)
        for g, group in enumerate(estimates):
            if g == ref:
                continue
            options = {"metric": key, "alpha": settings.alpha, "power": settings.power}
            if group[key].usable:
                detectable[g][key] = _cached_detectable(int(group[key].denominator or 0), n_ref, rate, tests=tested, **options)
            else:
                needed[g][key] = _cached_needed(
                    n_ref, rate, ratio=settings.planning_ratio, tests=tested + 1, min_group_size=settings.min_group_size, **options
                )
    return detectable, needed


def power_of_test(
    group_n: int, group_rate: float, reference_n: int, reference_rate: float, *, level: float, method: PowerMethod | None = None
) -> float:
    """Probability that the engine's test of a group against the reference rejects at ``level``.

    The test is :func:`~ethicscheck.fairness.compare_proportions`: Fisher's exact test when an expected
    cell is below 5, else the pooled z-test, two-sided; it rejects when its p-value is below ``level``.

    Parameters
    ----------
    group_n, reference_n : int
        Denominators of the two rates.
    group_rate, reference_rate : float
        True rates in [0, 1].
    level : float
        Significance level of this one test (after Holm: ``alpha / tests``).
    method : {"exact", "normal"}, optional
        Exact sum over binomial outcomes, or the normal approximation (the default when both groups
        expect at least :data:`NORMAL_MIN_COUNT` events and non-events at the reference's rate).

    Returns
    -------
    float

    Examples
    --------
    >>> round(power_of_test(500, 0.10, 2000, 0.05, level=0.05), 3)
    0.974
    """
    method = method or _method(group_n, reference_n, reference_rate)
    if method == "normal":
        return normal_power(group_n, group_rate, reference_n, reference_rate, level=level)
    return _curve(int(group_n), int(reference_n), float(reference_rate), float(level))(float(group_rate))


def normal_power(group_n: float, group_rate: float, reference_n: float, reference_rate: float, *, level: float) -> float:
    """Power of the pooled two-proportion z-test by the normal approximation.

    Variance pooled under the null and unpooled under the alternative: the formula of statsmodels'
    ``power_proportions_2indep`` (``diff = group_rate - reference_rate``, ``prop2 = reference_rate``,
    ``nobs1 = group_n``, ``ratio = reference_n / group_n``), two-sided.
    """
    diff = group_rate - reference_rate
    pooled = (group_n * group_rate + reference_n * reference_rate) / (group_n + reference_n)
    std_null = math.sqrt(pooled * (1 - pooled) * (1 / group_n + 1 / reference_n))
    std_alt = math.sqrt(group_rate * (1 - group_rate) / group_n + reference_rate * (1 - reference_rate) / reference_n)
    if std_alt == 0:
        return 1.0 if diff != 0 else 0.0
    # scipy.stats.norm's isf, sf and cdf are these functions of scipy.special (the same numbers, without
    # scipy.stats' argument handling, which cost 1 ms a call: most of a detectable disparity's time)
    crit = -ndtri(level / 2)
    return float(ndtr(-((crit * std_null - diff) / std_alt)) + ndtr((-crit * std_null - diff) / std_alt))


def detectable_disparity(
    group_n: int,
    reference_n: int,
    reference_rate: float,
    *,
    metric: str = "fpr",
    tests: int = 1,
    alpha: float = 0.05,
    power: float = DEFAULT_POWER,
) -> DetectableDisparity:
    """The smallest ratio (and difference) of a group's rate to the reference's that the audit detects.

    Searches ratios above 1 (the group worse off than the reference) up to the largest possible,
    ``1 / reference_rate``, for the smallest one above which the power of :func:`power_of_test` at level
    ``alpha / tests`` stays at or above ``power`` (on a log grid of 48 points, refined by bisection
    to a relative 1e-4).

    Parameters
    ----------
    group_n, reference_n : int
        The observed denominators of the group's and the reference's rate.
    reference_rate : float
        The reference's observed rate.
    metric : str
        Which rate, for the result's label.
    tests : int
        Tests in the feature's Holm family.
    alpha : float
        Family-wise significance level (``fairness.alpha``).
    power : float
        The power to state it at.

    Returns
    -------
    DetectableDisparity
        ``undefined`` (with the reason) when the reference's rate is 0 or 1, a denominator is 0, or no
        ratio up to ``1 / reference_rate`` is detected with that power.

    Examples
    --------
    >>> d = detectable_disparity(58, 3000, 0.05)
    >>> d.method, round(d.ratio, 2)
    ('exact', 3.03)
    """
    level = alpha / max(tests, 1)
    result = partial(
        DetectableDisparity,
        metric=metric,
        power=power,
        level=level,
        alpha=alpha,
        tests=tests,
        group_n=int(group_n),
        reference_n=int(reference_n),
        reference_rate=float(reference_rate),
    )
    reason = _undefined_reason(group_n, reference_n, reference_rate)
    highest = 1.0 / reference_rate if reason is None else 1.0
    method = _method(group_n, reference_n, reference_rate) if reason is None else "exact"
    if reason is None and power_of_test(group_n, 1.0, reference_n, reference_rate, level=level, method=method) < power:
        reason = (
            f"even a rate of 1 ({highest:.3g} times the reference's) would be detected with less than {power:.0%} power "
            f"with {group_n:,} rows in this group and {reference_n:,} in the reference"
        )
    if reason is not None:
        return result(ratio=None, difference=None, group_rate=None, method=method, status="undefined", reason=reason)

    def normal(r: float) -> float:
        return normal_power(group_n, r * reference_rate, reference_n, reference_rate, level=level)

    def exact(r: float) -> float:
        return power_of_test(group_n, r * reference_rate, reference_n, reference_rate, level=level, method=method)

    near = _smallest(normal, power, 1.0, highest) if normal(highest) >= power else None
    ratio = near if method == "normal" and near is not None else _smallest(exact, power, 1.0, highest, near=near)
    return result(ratio=ratio, difference=(ratio - 1) * reference_rate, group_rate=ratio * reference_rate, method=method)


def needed_denominator(
    reference_n: int,
    reference_rate: float,
    *,
    ratio: float = DEFAULT_TARGET_RATIO,
    metric: str = "fpr",
    tests: int = 1,
    alpha: float = 0.05,
    power: float = DEFAULT_POWER,
    min_group_size: int = 1,
) -> SampleSize:
    """The group denominator the audit's test needs to detect ``ratio`` with ``power``.

    The reference keeps its observed denominator when that is enough; when even an unlimited group
    could not show the ratio against it, the reference is taken to grow with the group (both at
    ``n``), and ``reference_needed`` says so.

    Parameters
    ----------
    reference_n : int
        The reference's observed denominator.
    reference_rate : float
        The reference's rate.
    ratio : float
        The disparity to detect: the group's rate is ``ratio`` times the reference's.
    metric, tests, alpha, power :
        As in :func:`detectable_disparity`.
    min_group_size : int
        Groups below it are not tested; the answer is never smaller.

    Returns
    -------
    SampleSize
        ``undefined`` when the reference's rate is 0 or 1, or the target rate would exceed 1.

    Examples
    --------
    >>> needed_denominator(3000, 0.05, ratio=2.0).n
    203
    >>> s = needed_denominator(1000, 0.05, ratio=1.25, tests=6)
    >>> s.n == s.reference_needed > 1000
    True
    """
    level = alpha / max(tests, 1)
    result = partial(
        SampleSize,
        metric=metric,
        ratio=ratio,
        power=power,
        level=level,
        alpha=alpha,
        tests=tests,
        reference_n=int(reference_n),
        reference_rate=float(reference_rate),
    )
    reason = _undefined_reason(1, reference_n, reference_rate)
    if reason is None and ratio * reference_rate > 1:
        reason = f"a rate {ratio:g} times the reference's ({reference_rate:.3g}) would exceed 1"
    if reason is not None:
        return result(n=None, reference_needed=None, method="normal", status="undefined", reason=reason)
    rate = ratio * reference_rate
    grows = normal_power(_MAX_N, rate, reference_n, reference_rate, level=level) < power

    def reference(n: int) -> int:
        return max(reference_n, n) if grows else reference_n

    def normal(n: int) -> float:
        return normal_power(n, rate, reference(n), reference_rate, level=level)

    def exact(n: int) -> float:
        return power_of_test(n, rate, reference(n), reference_rate, level=level)

    n = _smallest_n(exact, power, max(min_group_size, 1), near=_smallest_n(normal, power, 1, near=1))
    return result(n=n, reference_needed=reference(n), method=_method(n, reference(n), reference_rate))


#: Groups of one size share their answer (an intersection has many small groups of the same size).
_cached_detectable = lru_cache(maxsize=4096)(detectable_disparity)
_cached_needed = lru_cache(maxsize=1024)(needed_denominator)


def _undefined_reason(group_n: int, reference_n: int, reference_rate: float) -> str | None:
    if group_n <= 0 or reference_n <= 0:
        return "a group with no rows in the denominator has no rate to compare"
    if reference_rate <= 0:
        return "the reference group's rate is 0, so no ratio to it exists"
    if reference_rate >= 1:
        return "the reference group's rate is 1, so no group's rate can be a larger multiple of it"
    return None


def _method(group_n: int, reference_n: int, reference_rate: float) -> PowerMethod:
    """Exact unless every expected count is large: at least :data:`NORMAL_MIN_COUNT` events and non-events
    at the reference's rate in both groups, where the normal form's power at the detectable disparity is
    within 0.4 percentage points of the exact one (measured over sizes 300-20,000 and rates 1-33%)."""
    smallest = min(group_n, reference_n) * min(reference_rate, 1 - reference_rate)
    return "normal" if smallest >= NORMAL_MIN_COUNT else "exact"


def _smallest(power_at: Callable[[float], float], target: float, low: float, high: float, *, near: float | None = None) -> float:
    """Smallest ratio in (low, high] above which ``power_at`` stays >= target; ``power_at(high) >= target``.

    A grid of 13 ratios over a band around ``near`` (the normal approximation's answer; the whole range
    without it), moved below or above the band when the crossing is outside it, then bisection between
    the last grid point short of the target and the next one.
    """
    lo, hi = (low, high) if near is None else (max(low, 1 + (near - 1) / 1.6), min(high, 1 + (near - 1) * 1.6))
    if power_at(hi) < target:
        lo, hi = hi, high
    elif lo > low and power_at(lo) >= target:
        lo, hi = low, lo
    grid = np.geomspace(lo, hi, 13)
    short = [i for i, r in enumerate(grid) if power_at(float(r)) < target]
    if not short:
        return float(grid[0])
    lo, hi = float(grid[short[-1]]), float(grid[short[-1] + 1])
    while hi / lo > 1 + 1e-4:
        mid = math.sqrt(lo * hi)
        lo, hi = (lo, mid) if power_at(mid) >= target else (mid, hi)
    return hi


def _smallest_n(power_at: Callable[[int], float], target: float, start: int, *, near: int) -> int:
    """Smallest integer n >= start with power_at(n) >= target, searched from ``near`` (doubling, then bisection)."""
    if power_at(start) >= target:
        return start
    lo = max(start, int(near / 1.5))
    if power_at(lo) >= target:
        lo = start
    hi = max(lo + 1, int(near * 1.5))
    while power_at(hi) < target:
        lo, hi = hi, hi * 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if power_at(mid) >= target else (mid, hi)
    return hi


class _PowerCurve:
    """Exact power of the engine's test against the group's true rate, the rest held fixed.

    The rejection region depends only on the counts and the level, so each row of it (one per outcome
    of the group's numerator) is computed once, the first time a rate asked for needs it, and every
    power is then one weighted sum over the rows of that rate's outcomes. Only the rows asked for are
    computed: the outcomes of a rate of 1 (asked for first, to see whether anything is detectable) and
    those of the rates near the detectable disparity are far apart, and the rows between them are never
    needed.
    """

    def __init__(self, n1: int, n2: int, p2: float, level: float) -> None:
        self.n1, self.n2, self.level = n1, n2, level
        self.x2, self.w2 = _support(n2, p2)
        self.rows: dict[int, np.ndarray] = {}  # x1 -> whether the test rejects, per outcome x2

    def __call__(self, p1: float) -> float:
        x1, w1 = _support(self.n1, p1)
        outcomes = range(int(x1[0]), int(x1[-1]) + 1)
        missing = np.array([x for x in outcomes if x not in self.rows], dtype=x1.dtype)
        if len(missing):
            self.rows.update(zip(missing.tolist(), _rejects(missing, self.x2, self.n1, self.n2, self.level)))
        region = np.stack([self.rows[x] for x in outcomes])
        return float(min(w1 @ region @ self.w2, 1.0))


@lru_cache(maxsize=256)
def _curve(n1: int, n2: int, p2: float, level: float) -> _PowerCurve:
    return _PowerCurve(n1, n2, p2, level)


def _support(n: int, p: float) -> tuple[np.ndarray, np.ndarray]:
    """The outcomes of Binomial(n, p) holding all but 1e-12 of the probability, and their probabilities."""
    if not 0 < p < 1:
        # a rate of 0 or 1 has one outcome: binom.pmf's numbers exactly, without importing scipy.stats (~1 s)
        x = np.arange(max(round(n * p) - 1, 0), min(round(n * p) + 1, n) + 1)
        return x, (x == round(n * p)).astype(float)
    ppf, isf, pmf = _binomial()
    low, high = int(ppf(_TAIL / 2, n, p)), int(isf(_TAIL / 2, n, p))
    x = np.arange(max(low - 1, 0), min(high + 1, n) + 1)
    return x, np.clip(pmf(x, n, p), 0, 1)


@lru_cache(maxsize=1)
def _binomial() -> tuple[Callable[..., np.ndarray], Callable[..., np.ndarray], Callable[..., np.ndarray]]:
    """scipy.stats.binom's ppf, isf and pmf for ``0 < p < 1`` and outcomes in ``[0, n]``, without its argument handling.

    binom.ppf/isf/pmf check and broadcast their arguments for every call (about 1 ms each, 100 times the
    computation here); the functions they end in are scipy's binomial ufuncs (``binom.pmf`` clips to [0, 1]),
    used directly where this scipy has them, else binom's public methods. tests/fairness/test_power.py
    checks they give binom's numbers.
    """
    import scipy.special._ufuncs as ufuncs

    ppf, isf, pmf = (getattr(ufuncs, name, None) for name in ("_binom_ppf", "_binom_isf", "_binom_pmf"))
    if ppf is not None and isf is not None and pmf is not None:
        return ppf, isf, pmf
    from scipy.stats import binom  # older scipy: the public methods (the same numbers, slower)

    return binom.ppf, binom.isf, binom.pmf


def _rejects(x1: np.ndarray, x2: np.ndarray, n1: int, n2: int, level: float) -> np.ndarray:
    """Whether the engine's test rejects at ``level`` for every pair of outcomes (rows x1, columns x2).

    The same arithmetic as :func:`~ethicscheck.fairness.compare_proportions`: the smallest expected cell
    decides between Fisher and z; Fisher's two-sided p-value sums the tables of the same margins that are
    at most as probable (scipy's definition and tolerance).
    """
    a, b = np.meshgrid(x1.astype(float), x2.astype(float), indexing="ij")
    total = n1 + n2
    successes = a + b
    fisher = np.minimum(successes, total - successes) * min(n1, n2) / total < MIN_EXPECTED  # the smallest expected cell
    pooled = successes / total
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (a / n1 - b / n2) / np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    p = 2 * ndtr(-np.abs(z))  # scipy.stats.norm.sf
    if fisher.any():
        rows, cols = np.nonzero(fisher)
        p[rows, cols] = _fisher_p(x1[rows], x2[cols], n1, n2)
    return np.asarray(p < level, dtype=float)


def _fisher_p(x1: np.ndarray, x2: np.ndarray, n1: int, n2: int) -> np.ndarray:
    """Fisher's two-sided p-values of the tables ``[[x1, n1 - x1], [x2, n2 - x2]]``, one margin at a time."""
    successes = x1 + x2
    out = np.empty(len(x1))
    for s in np.unique(successes):
        at = successes == s
        pmf, ordered, cumulative = _margin(int(s), n1, n2)
        observed = pmf[x1[at] - max(0, int(s) - n2)]
        out[at] = cumulative[np.searchsorted(ordered, observed * _FISHER_TIE, side="right") - 1]
    return np.minimum(out, 1.0)


@lru_cache(maxsize=65536)
def _margin(successes: int, n1: int, n2: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hypergeometric probabilities of the group's count given the margins, sorted, and their running sums."""
    x = np.arange(max(0, successes - n2), min(n1, successes) + 1, dtype=float)
    # log C(n1, x) + log C(n2, s - x) - log C(n1 + n2, s): exact ties (n1 == n2) stay exact, since the
    # two terms only swap; scipy's hypergeom.pmf gives the same values and is ~100 times slower here.
    pmf = np.exp(_log_choose(n1, x) + _log_choose(n2, successes - x) - _log_choose(n1 + n2, np.float64(successes)))
    ordered = np.sort(pmf)
    return pmf, ordered, np.cumsum(ordered)


def _log_choose(n: int, k: np.ndarray | np.float64) -> np.ndarray:
    return np.asarray(gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1))
