"""Intervals for error rates whose comparisons share people: Clopper-Pearson on effective counts.

A percentile interval of the bootstrap over people is short-tailed when a group has few errors (about 10
false matches at FMR 1e-5): the replicates are no more skewed than the handful of people who produced the
errors, and an audit at parity then finds a "disparity" more often than its confidence level allows.
The intervals here keep the exact binomial shape and take the dependence from the bootstrap:

* **Design effect**: ``deff = var*(rate) / (p (1 - p) / n)``, the variance of the subject-bootstrap
  replicates over the variance ``n`` independent comparisons would give, never below 1 (dependence
  between a person's comparisons only widens an interval).
* **Effective counts** (Korn & Graubard 1998, "Confidence intervals for proportions with small expected
  number of positive counts estimated from survey data", Survey Methodology 24): the effective number of
  comparisons ``n* = min(n, n / deff x (t(n - 1) / t(k - 1))^2)`` with ``t(d)`` the two-sided Student
  quantile on ``d`` degrees of freedom and ``k`` people, ``x* = p n*`` effective errors, and the
  Clopper-Pearson interval of ``x*`` errors in ``n*`` (beta quantiles, so the counts need not be whole).
* **A group's rate**: the lower limit is that Korn-Graubard interval's. The upper limit lets the design effect
  grow with the rate, as it does when people differ in how error-prone they are: with each person's propensity
  gamma-distributed around the group's rate (squared coefficient of variation ``phi``, the gamma-Poisson or
  negative-binomial model: Lawless 1987, "Negative binomial and mixed Poisson regression", Canadian Journal of
  Statistics 15; Breslow 1984, "Extra-Poisson variation in log-linear models", Applied Statistics 33), a count
  of ``x`` errors in ``n`` comparisons has variance ``x (1 - p) + phi p^2 S`` with ``S = sum_s m_s^2`` over
  the people's comparison counts ``m_s`` (an impostor comparison counted for both its people), so the design
  effect at a rate ``pi`` is ``deff(pi) = 1 + phi pi S / (n (1 - pi))``. ``phi`` is the moment estimate
  ``(deff - 1) x (1 - p) / (p^2 S)``, the larger of the group's own and the one pooled over the attribute's
  groups (ratio of the sums of numerators and denominators): a sample that missed a group's most error-prone
  people has a low rate *and* a low design effect, and the pooled estimate does not share that miss. The upper
  limit is the rate ``pi`` at which the Clopper-Pearson upper limit of the effective counts taken at
  ``max(deff, deff(pi))`` returns ``pi`` (the test is inverted with the variance of the hypothesised rate, as
  Clopper-Pearson and Wilson do for independent comparisons).
* **The ratio of two groups' rates**: given the effective errors of both, ``x1*`` out of ``x1* + x2*`` is
  binomial with ``pi = n1* r1 / (n1* r1 + n2* r2)`` (exact for rare errors, which are Poisson; wider than
  needed for common ones); the Clopper-Pearson interval of ``pi`` gives ``r1 / r2 = pi / (1 - pi) x n2* / n1*``.
  A reference group without errors leaves the ratio unbounded above.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = [
    "EffectiveCounts",
    "clopper_pearson",
    "design_effect",
    "effective_counts",
    "gamma_poisson_interval",
    "overdispersion",
    "pooled_overdispersion",
    "rate_ratio_interval",
]

#: Steps of the fixed-point search for the upper limit (each moves it up; it converges geometrically).
_MAX_STEPS = 1000

#: (errors, comparisons) after the design effect.
EffectiveCounts = tuple[float, float]


def clopper_pearson(errors: float, trials: float, confidence_level: float) -> tuple[float, float]:
    """The Clopper-Pearson interval of ``errors`` in ``trials`` (beta quantiles; whole counts are not required)."""
    from scipy.special import betaincinv  # scipy.special, not scipy.stats: no second of start-up

    tail = (1.0 - confidence_level) / 2.0
    low = 0.0 if errors <= 0 else float(betaincinv(errors, trials - errors + 1, tail))
    high = 1.0 if errors >= trials else float(betaincinv(errors + 1, trials - errors, 1.0 - tail))
    return low, high


def design_effect(errors: float, trials: float, replicates: np.ndarray | None) -> float | None:
    """The replicates' variance over ``p (1 - p) / n``, never below 1; ``None`` when there is nothing to estimate it from."""
    if replicates is None or errors <= 0 or errors >= trials:
        return None
    finite = replicates[np.isfinite(replicates)]
    if finite.size < 2:
        return None
    rate = errors / trials
    return max(1.0, float(np.var(finite, ddof=1)) / (rate * (1.0 - rate) / trials))


def effective_counts(errors: int, trials: int, replicates: np.ndarray | None, people: int, confidence_level: float) -> EffectiveCounts:
    """Korn-Graubard effective counts: ``(x*, n*)`` from the replicates' design effect and the number of people.

    Without replicates, errors or people to estimate a design effect from, the counts are returned unchanged.
    """
    deff = design_effect(errors, trials, replicates)
    if deff is None or people < 2:
        return float(errors), float(trials)
    return _effective(errors, trials, deff, people, confidence_level)


def _effective(errors: float, trials: float, deff: float, people: int, confidence_level: float) -> EffectiveCounts:
    from scipy.special import stdtrit

    upper = 1.0 - (1.0 - confidence_level) / 2.0
    widen = (float(stdtrit(trials - 1, upper)) / float(stdtrit(people - 1, upper))) ** 2 if trials > 1 else 1.0
    effective = min(float(trials), trials / deff * widen)
    return errors / trials * effective, effective


def overdispersion(errors: float, trials: float, deff: float, exposure_squares: float) -> float:
    """Moment estimate of ``phi``, the gamma-Poisson overdispersion: ``(deff - 1) x (1 - p) / (p^2 S)`` (0 if undefined)."""
    numerator, denominator = _overdispersion_terms(errors, trials, deff, exposure_squares)
    return numerator / denominator if denominator > 0 else 0.0


def pooled_overdispersion(groups: Sequence[tuple[float, float, float, float]]) -> float:
    """``phi`` pooled over groups given as ``(errors, trials, deff, S)``: the sum of the moment numerators over the sum of
    the denominators (each group weighs by its information, ``p^2 S``)."""
    terms = [_overdispersion_terms(*group) for group in groups]
    denominator = sum(d for _, d in terms)
    return sum(n for n, _ in terms) / denominator if denominator > 0 else 0.0


def _overdispersion_terms(errors: float, trials: float, deff: float, exposure_squares: float) -> tuple[float, float]:
    if errors <= 0 or errors >= trials or exposure_squares <= 0:
        return 0.0, 0.0
    rate = errors / trials
    return max(0.0, deff - 1.0) * errors * (1.0 - rate), rate * rate * exposure_squares


def gamma_poisson_interval(
    errors: float, trials: float, *, deff: float, phi: float, exposure_squares: float, people: int, confidence_level: float
) -> tuple[float, float]:
    """A group's rate: the Korn-Graubard lower limit, and the upper limit with the design effect of the hypothesised rate.

    ``deff`` is the measured design effect, ``phi`` the overdispersion and ``exposure_squares`` the group's
    ``S = sum_s m_s^2`` (see the module text). With ``phi = 0`` this is the Korn-Graubard interval.
    """
    if people < 2:
        return clopper_pearson(errors, trials, confidence_level)
    low, high = clopper_pearson(*_effective(errors, trials, deff, people, confidence_level), confidence_level)
    if phi <= 0 or exposure_squares <= 0 or errors >= trials:
        return low, high
    extra = phi * exposure_squares / trials
    for _ in range(_MAX_STEPS):  # the upper limit rises with the design effect it implies: its smallest fixed point
        at = max(deff, 1.0 + extra * high / (1.0 - high)) if high < 1 else math.inf
        step = 1.0 if math.isinf(at) else clopper_pearson(*_effective(errors, trials, at, people, confidence_level), confidence_level)[1]
        if step - high <= 1e-13 * high:
            return low, max(high, step)
        high = step
    return low, high


def rate_ratio_interval(mine: EffectiveCounts, theirs: EffectiveCounts, confidence_level: float) -> tuple[float, float]:
    """Interval of ``(x1 / n1) / (x2 / n2)`` conditional on the errors of both groups; ``inf`` when unbounded above."""
    x1, n1 = mine
    x2, n2 = theirs
    share_low, share_high = clopper_pearson(x1, x1 + x2, confidence_level) if x1 + x2 > 0 else (0.0, 1.0)
    scale = n2 / n1
    low = share_low / (1.0 - share_low) * scale if share_low < 1 else math.inf
    high = share_high / (1.0 - share_high) * scale if share_high < 1 else math.inf
    return low, high
