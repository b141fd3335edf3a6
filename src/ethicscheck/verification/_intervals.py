"""Intervals for error rates whose comparisons share people: Clopper-Pearson on effective counts.

A percentile interval of the bootstrap over people is short-tailed when a group has few errors (about 10
false matches at FMR 1e-5): the replicates are no more skewed than the handful of people who produced the
errors, and an audit at parity then finds a "disparity" more often than its confidence level allows.
The intervals here keep the exact binomial shape and take the dependence from the bootstrap:

* **Design effect**: ``deff = var*(rate) / (p (1 - p) / n)``, the variance of the subject-bootstrap
  replicates over the variance ``n`` independent comparisons would give, never below 1 (dependence
  between a person's comparisons only widens an interval).
* **A group's rate** (Korn & Graubard 1998, "Confidence intervals for proportions with small expected
  number of positive counts estimated from survey data", Survey Methodology 24): the effective number of
  comparisons ``n* = min(n, n / deff x (t(n - 1) / t(k - 1))^2)`` with ``t(d)`` the two-sided Student
  quantile on ``d`` degrees of freedom and ``k`` people, ``x* = p n*`` effective errors, and the
  Clopper-Pearson interval of ``x*`` errors in ``n*`` (beta quantiles, so the counts need not be whole).
* **The ratio of two groups' rates**: given the effective errors of both, ``x1*`` out of ``x1* + x2*`` is
  binomial with ``pi = n1* r1 / (n1* r1 + n2* r2)`` (exact for rare errors, which are Poisson; wider than
  needed for common ones); the Clopper-Pearson interval of ``pi`` gives ``r1 / r2 = pi / (1 - pi) x n2* / n1*``.
  A reference group without errors leaves the ratio unbounded above.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["EffectiveCounts", "clopper_pearson", "effective_counts", "rate_ratio_interval"]

#: (errors, comparisons) after the design effect.
EffectiveCounts = tuple[float, float]


def clopper_pearson(errors: float, trials: float, confidence_level: float) -> tuple[float, float]:
    """The Clopper-Pearson interval of ``errors`` in ``trials`` (beta quantiles; whole counts are not required)."""
    from scipy.special import betaincinv  # scipy.special, not scipy.stats: no second of start-up

    tail = (1.0 - confidence_level) / 2.0
    low = 0.0 if errors <= 0 else float(betaincinv(errors, trials - errors + 1, tail))
    high = 1.0 if errors >= trials else float(betaincinv(errors + 1, trials - errors, 1.0 - tail))
    return low, high


def effective_counts(errors: int, trials: int, replicates: np.ndarray | None, people: int, confidence_level: float) -> EffectiveCounts:
    """Korn-Graubard effective counts: ``(x*, n*)`` from the replicates' design effect and the number of people.

    Without replicates, errors or people to estimate a design effect from, the counts are returned unchanged.
    """
    if replicates is None or errors <= 0 or errors >= trials or people < 2:
        return float(errors), float(trials)
    rate = errors / trials
    finite = replicates[np.isfinite(replicates)]
    if finite.size < 2:
        return float(errors), float(trials)
    deff = max(1.0, float(np.var(finite, ddof=1)) / (rate * (1.0 - rate) / trials))
    from scipy.special import stdtrit

    upper = 1.0 - (1.0 - confidence_level) / 2.0
    widen = (float(stdtrit(trials - 1, upper)) / float(stdtrit(people - 1, upper))) ** 2 if trials > 1 else 1.0
    effective = min(float(trials), trials / deff * widen)
    return rate * effective, effective


def rate_ratio_interval(mine: EffectiveCounts, theirs: EffectiveCounts, confidence_level: float) -> tuple[float, float]:
    """Interval of ``(x1 / n1) / (x2 / n2)`` conditional on the errors of both groups; ``inf`` when unbounded above."""
    x1, n1 = mine
    x2, n2 = theirs
    share_low, share_high = clopper_pearson(x1, x1 + x2, confidence_level) if x1 + x2 > 0 else (0.0, 1.0)
    scale = n2 / n1
    low = share_low / (1.0 - share_low) * scale if share_low < 1 else math.inf
    high = share_high / (1.0 - share_high) * scale if share_high < 1 else math.inf
    return low, high
