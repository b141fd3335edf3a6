"""The clustered bootstrap over subjects, from per-subject counts: each replicate costs O(subjects), not O(comparisons).

Comparisons that share a person are not independent: a face that looks like many others produces many
false matches. Resampling comparisons ignores that and gives intervals that are too narrow; resampling
*subjects* keeps each person's comparisons together.

A replicate draws the subjects with replacement (``w_s`` copies of subject ``s``).

* A genuine comparison belongs to one subject and weighs ``w_s``: the ordinary cluster bootstrap.
* An impostor comparison belongs to two subjects. Its weight ``w_a + w_b - 1`` is the first-order part of
  the two-way ("pigeonhole") weight ``w_a w_b``; it turns every replicate into sums over subjects,
  ``FMR* = (sum_s w_s R_s - X) / (sum_s w_s M_s - N)`` with ``R_s`` the false matches and ``M_s`` the
  impostor comparisons subject ``s`` takes part in (each comparison counted for both its subjects),
  ``X`` and ``N`` the totals. Its spread matches the dyadic cluster-robust variance
  ``sum_s E_s^2`` (``E_s = R_s - FMR M_s``), which counts every comparison's own variance twice (once per
  subject). The replicates' deviations from the estimate are therefore scaled by
  ``sqrt(V / sum_s E_s^2)`` with ``V = sum_s E_s^2 - X (1 - FMR)``, the dyadic-robust variance of Aronow,
  Samii & Assenova (2015); ``V`` is never taken below the independent-comparisons variance ``X (1 - FMR)``:
  dependence between a person's comparisons only widens the interval.

The replicates give each group's design effect, from which :mod:`ethicscheck.verification._intervals` builds the
rates' and ratios' intervals (Clopper-Pearson on effective counts); the summaries over groups use the percentiles of
the replicates (nearest rank).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

__all__ = ["dyadic_scale", "percentile_interval", "subject_weights"]

#: Replicate x subject weights held at once.
_CELLS = 1 << 24


def subject_weights(n_subjects: int, n_boot: int, *, seed: int) -> Iterator[np.ndarray]:
    """Blocks of replicates: how many copies of each subject every replicate draws (each row sums to ``n_subjects``)."""
    rng = np.random.default_rng(seed)
    block = max(1, min(n_boot, _CELLS // max(n_subjects, 1)))
    done = 0
    while done < n_boot:
        size = min(block, n_boot - done)
        draws = rng.integers(0, n_subjects, size=(size, n_subjects), dtype=np.int64 if size * n_subjects >= 2**31 else np.int32)
        draws += (np.arange(size) * n_subjects).astype(draws.dtype)[:, None]
        yield np.bincount(draws.ravel(), minlength=size * n_subjects).reshape(size, n_subjects).astype(np.float64)
        done += size


def dyadic_scale(per_subject_matched: np.ndarray, per_subject_pairs: np.ndarray, matched: float, pairs: float) -> float:
    """The factor on impostor replicates' deviations (see the module text); 1 when there is nothing to scale."""
    if pairs <= 0 or matched <= 0:
        return 1.0
    rate = matched / pairs
    residual = per_subject_matched - rate * per_subject_pairs
    clustered = float(np.dot(residual, residual))
    own = matched * (1.0 - rate)
    if clustered <= 0:
        return 1.0
    return float(np.sqrt(max(clustered - own, own) / clustered))


def percentile_interval(replicates: np.ndarray, confidence_level: float, *, nan_is_unbounded: bool = False) -> tuple[float, float]:
    """Nearest-rank percentile interval over the first axis.

    ``nan`` replicates are unbounded values (a ratio over a zero rate) when ``nan_is_unbounded``, else left out.
    An infinite limit comes back as ``inf``.
    """
    values = np.asarray(replicates, dtype=float)
    values = np.where(np.isnan(values), np.inf, values) if nan_is_unbounded else values[~np.isnan(values)]
    if values.size == 0:
        return (np.nan, np.nan)
    ordered = np.sort(values)
    tail = (1.0 - confidence_level) / 2.0
    low = int(np.floor(tail * (len(ordered) - 1)))
    high = int(np.ceil((1.0 - tail) * (len(ordered) - 1)))
    return float(ordered[low]), float(ordered[high])
