"""Comparisons with the reference group and between-group disparities, each with its own interval."""

from __future__ import annotations

import warnings

import numpy as np

from ethicscheck.errors import renamed_keyword
from ethicscheck.fairness._metrics import rate
from ethicscheck.fairness._result import Estimate, Significance, Status
from ethicscheck.fairness._settings import AssessSettings
from ethicscheck.fairness._significance import compare_proportions_many, holm
from ethicscheck.fairness._uncertainty import katz_ratio, newcombe_difference, percentile_interval

__all__ = [
    "compare_to_reference",
    "bootstrap_to_reference",
    "replicated_to_reference",
    "closed_form_to_reference",
    "significance_tests",
]

#: Intervals to the reference: for each metric, the four per-group arrays (difference low and high, ratio low and high).
ReferenceIntervals = dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]
#: Groups whose replicated rates are computed together: a (replicates x groups) block of 1,000 x 64 values stays
#: in the processor's cache while its rates, differences, ratios and sorted quantiles are computed.
GROUPS_PER_BLOCK = 64


def compare_to_reference(
    estimates: list[dict[str, Estimate]],
    point: dict[str, np.ndarray],
    bootstrapped: ReferenceIntervals,
    ref: int,
    settings: AssessSettings,
) -> tuple[list[dict[str, Estimate]], list[dict[str, Estimate]]]:
    """Difference and ratio of every group's rates to the reference group's (none for the reference).

    ``bootstrapped`` holds the percentile intervals of the metrics that have them (:func:`replicated_to_reference`).
    """
    differences: list[dict[str, Estimate]] = [{} for _ in estimates]
    ratios: list[dict[str, Estimate]] = [{} for _ in estimates]
    for key in settings.metrics:
        intervals = bootstrapped.get(key)
        for g in range(len(estimates)):
            if g != ref:
                differences[g][key], ratios[g][key] = _compare(
                    estimates[g][key], estimates[ref][key], point[key], intervals, g, ref, settings
                )
    return differences, ratios


def bootstrap_to_reference(
    boot: np.ndarray, ref: int, *, confidence_level: float | None = None, confidence: float | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Percentile intervals of every group's difference and ratio to the reference, in one pass.

    ``boot`` holds replicated rates with replicates on axis 0 and groups on the last axis (axes
    between them are kept, so the coverage benchmark passes many simulated audits at once). Returns
    ``(diff_low, diff_high, ratio_low, ratio_high)`` per group, NaN where unstable.
    """
    confidence_level = renamed_keyword(
        confidence_level, confidence, old="confidence", new="confidence_level", function="bootstrap_to_reference"
    )
    return _to_reference(boot.T, boot[..., [ref]].T, confidence_level)


def replicated_to_reference(
    replicates: np.ndarray, keys: tuple[str, ...], ref: int, *, confidence_level: float, block: int = GROUPS_PER_BLOCK
) -> ReferenceIntervals:
    """:func:`bootstrap_to_reference` of each metric's rates on bootstrap cell counts, a block of groups at a time.

    The same numbers as ``bootstrap_to_reference(rate(replicates, key), ref)`` for each key, to the last bit
    (every step is per group and per replicate), without its (replicates x groups) arrays of every group at once:
    with 10,000 groups and 1,000 replicates those are 80 MB each, and reading them back from memory cost more
    than the arithmetic.

    Parameters
    ----------
    replicates : ndarray of int, shape (n_boot, groups, 4)
        Bootstrap cell counts (:func:`~ethicscheck.fairness._uncertainty.bootstrap_counts`).
    keys : tuple of str
        The metrics.
    ref : int
        Index of the reference group.
    confidence_level : float
    block : int
        Groups per block.

    Returns
    -------
    dict
        Per metric, ``(diff_low, diff_high, ratio_low, ratio_high)`` per group, NaN where unstable.
    """
    n_groups = replicates.shape[1]
    out = {key: np.empty((4, n_groups)) for key in keys}
    # counts as floats: sums of small integers are exact, and a rate divides the same float64 values
    reference = replicates[:, ref].astype(np.float64)
    reference_rates = {key: rate(reference, key) for key in keys}
    for start in range(0, n_groups, block):
        counts = replicates[:, start : start + block].astype(np.float64)
        for key in keys:
            boot = np.ascontiguousarray(rate(counts, key).T)  # (groups, replicates): each group's replicates side by side
            out[key][:, start : start + block] = _to_reference(boot, reference_rates[key], confidence_level)
    return {key: (low, high, ratio_low, ratio_high) for key, (low, high, ratio_low, ratio_high) in out.items()}


def _to_reference(
    boot: np.ndarray, reference: np.ndarray, confidence_level: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Percentile intervals of the differences and ratios of replicated rates ``boot`` to the reference's.

    Replicates are on the *last* axis of ``boot`` and ``reference`` (which broadcast): sorted along it, they are
    contiguous in memory.
    """
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        diff_low, diff_high, _ = percentile_interval((boot - reference).T, confidence_level=confidence_level)
        ratio = np.divide(boot, reference, out=np.full(boot.shape, np.nan), where=reference > 0)  # NaN where the reference's is 0
        ratio_low, ratio_high, _ = percentile_interval(ratio.T, confidence_level=confidence_level)
    return diff_low, diff_high, ratio_low, ratio_high


def closed_form_to_reference(
    successes: tuple[int, int], trials: tuple[int, int], confidence_level: float
) -> tuple[tuple[float, float], tuple[float | None, float | None]]:
    """Newcombe's interval of the difference and Katz's of the ratio (None without a reference event)."""
    ratio = katz_ratio(successes, trials, confidence_level=confidence_level) if successes[1] else (None, None)
    return newcombe_difference(successes, trials, confidence_level=confidence_level), ratio


def significance_tests(
    estimates: list[dict[str, Estimate]], ref: int, settings: AssessSettings, keys: tuple[str, ...] = ("fpr", "fnr")
) -> list[dict[str, Significance]]:
    """Per group, a test of its FPR and FNR against the reference, Holm-corrected across the feature's groups.

    Only groups whose rate and the reference's are usable (enough data) are tested; the correction
    runs over exactly those tests.
    """
    out: list[dict[str, Significance]] = [{} for _ in estimates]
    for key in keys:
        reference = estimates[ref][key]
        if not reference.usable:
            continue
        tested = [g for g in range(len(estimates)) if g != ref and estimates[g][key].usable]
        x = np.array([estimates[g][key].numerator for g in tested], dtype=float)
        n = np.array([estimates[g][key].denominator for g in tested], dtype=float)
        raw = compare_proportions_many(x, n, *_counts(reference))
        adjusted = holm([p for p, _ in raw])
        for g, (p, method), p_adj in zip(tested, raw, adjusted):
            out[g][key] = Significance(p_value=p, p_adjusted=float(p_adj), method=method, significant=bool(p_adj < settings.alpha))
    return out


def _compare(
    group: Estimate,
    reference: Estimate,
    point: np.ndarray,
    intervals: tuple[np.ndarray, ...] | None,
    g: int,
    ref: int,
    settings: AssessSettings,
) -> tuple[Estimate, Estimate]:
    """Difference and ratio of group ``g`` to the reference, with bootstrap CIs of each statistic."""
    for who, estimate in (("this group", group), ("the reference group", reference)):
        if not estimate.usable:
            reason = f"{who}: {estimate.reason}"
            status: Status = "undefined" if estimate.status == "undefined" else "insufficient_data"
            return Estimate(None, status=status, reason=reason), Estimate(None, status=status, reason=reason)
    diff_value = float(point[g] - point[ref])
    ratio_value = None if point[ref] == 0 else float(point[g] / point[ref])
    diff_ci: tuple[float | None, float | None] = (None, None)
    ratio_ci: tuple[float | None, float | None] = (None, None)
    method = "bootstrap"
    # A group with no events (rate 0 or 1) has no variance to resample, and a reference with very
    # few events is often 0 in a replicate: there the bootstrap fails and closed-form intervals
    # that are built for small counts take over.
    degenerate = any(e.numerator in (0, e.denominator) for e in (group, reference))
    if intervals is not None and not degenerate:
        diff_low, diff_high, ratio_low, ratio_high = (float(a[g]) for a in intervals)
        diff_ci = (None, None) if np.isnan(diff_low) else (diff_low, diff_high)
        if ratio_value is not None and not np.isnan(ratio_low):
            ratio_ci = (ratio_low, ratio_high)
    if None in diff_ci or (ratio_value is not None and None in ratio_ci):
        (x1, n1), (x2, n2) = _counts(group), _counts(reference)
        diff_ci, ratio_ci = closed_form_to_reference((x1, x2), (n1, n2), settings.confidence_level)
        method = "newcombe/katz"
    difference = Estimate(diff_value, diff_ci[0], diff_ci[1], method="bootstrap" if method == "bootstrap" else "newcombe")
    if ratio_value is None:
        return difference, Estimate(None, status="undefined", reason="the reference group's rate is 0")
    return difference, Estimate(ratio_value, ratio_ci[0], ratio_ci[1], method="bootstrap" if method == "bootstrap" else "katz")


def _counts(estimate: Estimate) -> tuple[int, int]:
    """(numerator, denominator) of a usable rate, which always carries its counts."""
    if estimate.numerator is None or estimate.denominator is None:
        raise ValueError("a rate estimate without its counts cannot be compared in closed form")
    return estimate.numerator, estimate.denominator
