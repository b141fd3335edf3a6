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
    """:func:`compare_proportions` of many groups against one reference, z-tests vectorized.

    Groups with the same counts get the same answer, so Fisher's exact test runs once per distinct
    ``(x1, n1)`` (a feature of thousands of small groups repeats a few counts many times).
    """
    p_z, fisher = _z_tests(np.asarray(x1), np.asarray(n1), x2, n2)
    out: list[tuple[float, str]] = [(float(p), "two_proportion_z") for p in p_z]
    exact: dict[tuple[int, int], tuple[float, str]] = {}
    for i in np.flatnonzero(fisher):
        key = (int(x1[i]), int(n1[i]))
        if key not in exact:
            exact[key] = compare_proportions(*key, x2, n2)
        out[i] = exact[key]
    return out


def _z_tests(x1: np.ndarray, n1: np.ndarray, x2: int | np.ndarray, n2: int | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The pooled z-test's p-values (vectorized, broadcast) and where an expected cell is below 5 (Fisher's test instead)."""
    total = n1 + n2
    successes = x1 + x2
    expected = np.stack(np.broadcast_arrays(n1 * successes, n1 * (total - successes), n2 * successes, n2 * (total - successes))) / total
    pooled = successes / total
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (x1 / n1 - x2 / n2) / np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return np.asarray(2 * ndtr(-np.abs(z))), np.asarray(expected.min(axis=0) < MIN_EXPECTED)


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

    Each pair ``i < j`` is tested as :func:`compare_proportions` of group ``j`` against group ``i``. Groups
    with the same counts give the same p-values, so each pair of distinct counts is tested once per order
    in which it occurs, the z-tests vectorized; Fisher's exact test runs only where it could give the
    smallest p-value (its p-value is at least the probability of the observed table, so a pair whose
    table is less probable than the smallest p-value found is the only kind tested).

    Returns
    -------
    (p_adjusted, pairs, method)
        ``method`` is the test of the first pair (by ``i``, then ``j``) with the smallest p-value.
    """
    x, n = np.asarray(successes, dtype=float), np.asarray(trials, dtype=float)
    pairs = len(x) * (len(x) - 1) // 2
    _, first, kind = np.unique(np.stack([x, n], axis=1), axis=0, return_index=True, return_inverse=True)
    kind = kind.ravel()
    last = np.zeros(len(first), dtype=np.int64)
    np.maximum.at(last, kind, np.arange(len(kind)))
    kx, kn = x[first], n[first]
    best = 1.0  # a pair is named only where its p-value is below 1
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (u, v, p) of z-tested pairs at the best so far
    fisher_u: list[np.ndarray] = []
    fisher_v: list[np.ndarray] = []
    rows = max(1, _CHUNK_PAIRS // max(len(first), 1))
    for start in range(0, len(first), rows):
        # ordered pairs of kinds (u: the later group's, v: the earlier group's) that occur: kind v at some i < j of kind u
        u, v = np.nonzero(first[None, :] < last[start : start + rows, None])
        u += start
        p, fisher = _z_tests(kx[u], kn[u], kx[v], kn[v])
        z = ~fisher & ~np.isnan(p)
        if z.any():
            best = min(best, float(p[z].min()))
            at = z & (p <= best)
            found.append((u[at], v[at], p[at]))
        fisher_u.append(u[fisher])
        fisher_v.append(v[fisher])
    fu, fv = np.concatenate(fisher_u), np.concatenate(fisher_v)
    bound = _table_probability(kx[fu], kn[fu], kx[fv], kn[fv])
    exact = []
    for t in np.argsort(bound, kind="stable"):
        if bound[t] > best * (1 + 1e-9):  # the bound is exact to ~1e-13; the slack keeps it a bound
            break
        p_t = compare_proportions(int(kx[fu[t]]), int(kn[fu[t]]), int(kx[fv[t]]), int(kn[fv[t]]))[0]
        best = min(best, p_t)
        exact.append((int(fu[t]), int(fv[t]), p_t))
    if best >= 1.0:
        return 1.0, pairs, "two_proportion_z"
    tied = [(int(a), int(b), "two_proportion_z") for u, v, p in found for a, b in zip(u[p == best], v[p == best])]
    tied += [(a, b, "fisher_exact") for a, b, p_t in exact if p_t == best]

    def first_pair(pair: tuple[int, int, str]) -> tuple[int, int]:
        later, earlier, _ = pair
        i = int(first[earlier])
        js = np.flatnonzero(kind == later)
        return i, int(js[np.searchsorted(js, i, side="right")])

    method = min(tied, key=first_pair)[2]
    return float(min(best * pairs, 1.0)), pairs, method


#: Pairs of kinds tested at once by :func:`smallest_holm_p` (bounds its temporaries at ~100 MB).
_CHUNK_PAIRS = 2_000_000


def _table_probability(x1: np.ndarray, n1: np.ndarray, x2: np.ndarray, n2: np.ndarray) -> np.ndarray:
    """Hypergeometric probability of each observed 2x2 table given its margins: a lower bound of Fisher's p-value."""
    from scipy.special import gammaln

    def log_choose(n: np.ndarray, k: np.ndarray) -> np.ndarray:
        return np.asarray(gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1))

    s = x1 + x2
    return np.asarray(np.exp(log_choose(n1, x1) + log_choose(n2, x2) - log_choose(n1 + n2, s)))
