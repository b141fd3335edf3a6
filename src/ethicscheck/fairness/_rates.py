"""One group's rates: point estimate, interval and status, from cell counts."""

from __future__ import annotations

import numpy as np

from ethicscheck.fairness._metrics import METRICS, numerator_denominator, rate
from ethicscheck.fairness._result import Estimate, Status
from ethicscheck.fairness._settings import AssessSettings
from ethicscheck.fairness._uncertainty import percentile_interval, wilson_interval

__all__ = ["rate_estimates"]


def rate_estimates(counts: np.ndarray, settings: AssessSettings, replicates: np.ndarray | None = None) -> list[dict[str, Estimate]]:
    """Every metric of every group.

    Parameters
    ----------
    counts : ndarray, shape (groups, 4)
        ``[tn, fp, fn, tp]`` per group.
    settings : AssessSettings
    replicates : ndarray, shape (n_boot, groups, 4), optional
        Bootstrap counts; used when ``settings.rate_ci == "bootstrap"``.

    Returns
    -------
    list of dict
        Per group, metric key -> :class:`Estimate` (``undefined`` for an empty denominator,
        ``insufficient_data`` below ``settings.min_group_size``).
    """
    per_group: list[dict[str, Estimate]] = [{} for _ in range(len(counts))]
    use_bootstrap = settings.rate_ci == "bootstrap" and replicates is not None
    for key in settings.metrics:
        numerator, denominator = numerator_denominator(counts, key)
        values = rate(counts, key)
        if use_bootstrap:
            assert replicates is not None  # use_bootstrap implies it
            low, high, _ = percentile_interval(rate(replicates, key), confidence_level=settings.confidence_level)
        else:
            low, high = wilson_interval(numerator, denominator, confidence_level=settings.confidence_level)
        method = "bootstrap" if use_bootstrap else "wilson"
        for g in range(len(counts)):
            den = int(denominator[g])
            if den == 0:
                per_group[g][key] = Estimate(None, status="undefined", reason=METRICS[key].undefined_when, numerator=0, denominator=0)
                continue
            status: Status = "ok" if den >= settings.min_group_size else "insufficient_data"
            reason = None if status == "ok" else f"only {den} rows in the denominator (minimum {settings.min_group_size})"
            defined = not np.isnan(low[g])
            per_group[g][key] = Estimate(
                float(values[g]),
                ci_low=float(low[g]) if defined else None,
                ci_high=float(high[g]) if defined else None,
                status=status,
                reason=reason,
                numerator=int(numerator[g]),
                denominator=den,
                method=method,
            )
    return per_group
