"""Is a group's rate different from the reference group's? Tests with Holm's correction."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.special import ndtr  # the normal tail, as scipy.stats.norm.sf computes it, without importing scipy.stats (~1 s)

__all__ = ["compare_proportions", "compare_proportions_many", "holm", "smallest_holm_p"]

#: Below this expected cell count the normal approximation is poor and Fisher's exact test is used.
MIN_EXPECTED = 5.0


def compare_proportions(x1: int, n1: int, x2: int, n2: int) -> tuple[float, str]:
    """Two-sided p-value for ``x1/n1 == x2/n2``.

    Fisher's exact test when any expected cell of the 2x2 table is below 5, else the pooled
    two-proportion z-test.

    Returns
    -------
    (p_value, method)
    """
    total = n1 + n2
    successes = x1 + x2
    expected = np.array([n1 * successes, n1 * (total - successes), n2 * successes, n2 * (total - successes)]) / total
    if expected.min() < MIN_EXPECTED:
        from scipy.stats import fisher_exact  # imported by the audits that need it: scipy.stats costs ~1 s to import

        _, p = fisher_exact([[x1, n1 - x1], [x2, n2 - x2]], alternative="two-sided")
        return float(min(p, 1.0)), "fisher_exact"
    pooled = successes / total
    se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = (x1 / n1 - x2 / n2) / se
    return float(2 * ndtr(-abs(z))), "two_proportion_z"


def compare_proportions_many(x1: np.ndarray, n1: np.ndarray, x2: int, n2: int) -> list[tuple[float, str]]:
    """:func:`compare_proportions` of many groups against one reference, z-tests vectorized."""
    total = n1 + n2
    successes = x1 + x2
    expected = np.stack([n1 * successes, n1 * (total - successes), n2 * successes, n2 * (total - successes)]) / total
    pooled = successes / total
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (x1 / n1 - x2 / n2) / np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    p_z = 2 * ndtr(-np.abs(z))
    out = []
    for i in range(len(x1)):
        if expected[:, i].min() < MIN_EXPECTED:
            out.append(compare_proportions(int(x1[i]), int(n1[i]), x2, n2))
        else:
            out.append((float(p_z[i]), "two_proportion_z"))
    return out


def holm(p_values: Sequence[float]) -> np.ndarray:
    """Holm-Bonferroni adjusted p-values (family-wise error control, no independence assumed).

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03]).round(3).tolist()
    [0.03, 0.06, 0.06]
    """
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    if m == 0:
        return p
    order = np.argsort(p)
    adjusted = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out = np.empty(m)
    out[order] = np.minimum(adjusted, 1.0)
    return out


def smallest_holm_p(successes: np.ndarray, trials: np.ndarray) -> tuple[float, int, str]:
    """The smallest Holm-adjusted p-value over every pair of groups: is any pair different?

    Holm's adjusted p-values are monotone in the raw ones, so the smallest is ``m * min(p)`` over the
    ``m`` pairs. Every group is compared with every other, so no group plays a special part: the
    answer does not depend on which group is the reference.

    Returns
    -------
    (p_adjusted, pairs, method)
        ``method`` is the test of the pair with the smallest p-value.
    """
    first, second = np.triu_indices(len(successes), 1)
    x, n = np.asarray(successes, dtype=float), np.asarray(trials, dtype=float)
    best, method = 1.0, "two_proportion_z"
    for i in range(len(successes) - 1):  # one vectorised call per group against the groups after it
        rows = first == i
        for p, how in compare_proportions_many(x[second[rows]], n[second[rows]], int(x[i]), int(n[i])):
            if p < best:
                best, method = p, how
    pairs = len(first)
    return float(min(best * pairs, 1.0)), pairs, method
