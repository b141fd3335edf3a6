"""Comparisons with the reference group and between-group disparities, each with its own interval."""

from __future__ import annotations

import functools
import warnings

import numpy as np

from ethicscheck.fairness._result import Estimate, Significance
from ethicscheck.fairness._settings import AssessSettings
from ethicscheck.fairness._significance import compare_proportions_many, holm
from ethicscheck.fairness._uncertainty import basic_interval, katz_ratio, newcombe_difference, percentile_interval

__all__ = ["compare_to_reference", "disparities", "significance_tests"]


def compare_to_reference(
    estimates: list[dict[str, Estimate]],
    point: dict[str, np.ndarray],
    boot: dict[str, np.ndarray],
    ref: int,
    settings: AssessSettings,
) -> tuple[list[dict[str, Estimate]], list[dict[str, Estimate]]]:
    """Difference and ratio of every group's rates to the reference group's (none for the reference)."""
    differences: list[dict[str, Estimate]] = [{} for _ in estimates]
    ratios: list[dict[str, Estimate]] = [{} for _ in estimates]
    for key in settings.metrics:
        intervals = _bootstrap_intervals(point[key], boot.get(key), ref, settings)
        for g in range(len(estimates)):
            if g != ref:
                differences[g][key], ratios[g][key] = _compare(
                    estimates[g][key], estimates[ref][key], point[key], intervals, g, ref, settings
                )
    return differences, ratios


def _bootstrap_intervals(point: np.ndarray, boot: np.ndarray | None, ref: int, settings: AssessSettings) -> tuple[np.ndarray, ...] | None:
    """Percentile intervals of every group's difference and ratio to the reference, in one pass.

    Returns ``(diff_low, diff_high, ratio_low, ratio_high)`` per group (NaN where unstable), or None
    without replicates.
    """
    if boot is None:
        return None
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        diff_low, diff_high, _ = percentile_interval(boot - boot[:, [ref]], confidence=settings.confidence)
        ratio_reps = np.where(boot[:, [ref]] > 0, boot / boot[:, [ref]], np.nan)
        ratio_low, ratio_high, _ = percentile_interval(ratio_reps, confidence=settings.confidence)
    return diff_low, diff_high, ratio_low, ratio_high


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
        raw = compare_proportions_many(x, n, reference.numerator, reference.denominator)  # type: ignore[arg-type]
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
            status = "undefined" if estimate.status == "undefined" else "insufficient_data"
            return Estimate(None, status=status, reason=reason), Estimate(None, status=status, reason=reason)
    diff_value = float(point[g] - point[ref])
    ratio_value = None if point[ref] == 0 else float(point[g] / point[ref])
    diff_ci, ratio_ci, method = (None, None), (None, None), "bootstrap"
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
        counts = (group.numerator, reference.numerator), (group.denominator, reference.denominator)
        diff_ci = newcombe_difference(*counts, confidence=settings.confidence)  # type: ignore[arg-type]
        ratio_ci = katz_ratio(*counts, confidence=settings.confidence) if ratio_value is not None else (None, None)  # type: ignore[arg-type]
        method = "newcombe/katz"
    difference = Estimate(diff_value, *diff_ci, method="bootstrap" if method == "bootstrap" else "newcombe")
    if ratio_value is None:
        return difference, Estimate(None, status="undefined", reason="the reference group's rate is 0")
    return difference, Estimate(ratio_value, *ratio_ci, method="bootstrap" if method == "bootstrap" else "katz")


def _interval(
    replicates: np.ndarray | None,
    settings: AssessSettings,
    point: float,
    *,
    spread_bounds: tuple[float, float] | None = None,
) -> tuple[float | None, float | None]:
    """Percentile CI, or a basic bootstrap CI within ``spread_bounds`` for biased spread statistics."""
    if replicates is None:
        return None, None
    if spread_bounds is None:
        low, high, _ = percentile_interval(replicates, confidence=settings.confidence)
    else:
        low, high, _ = basic_interval(replicates, point, confidence=settings.confidence, bounds=spread_bounds)
    return (None if np.isnan(low) else float(low)), (None if np.isnan(high) else float(high))


def _quiet_nan_warnings(function):  # type: ignore[no-untyped-def]
    """All-NaN replicate slices are expected here (they become undefined intervals): no warning."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return function(*args, **kwargs)

    return wrapper


@_quiet_nan_warnings
def disparities(
    estimates: list[dict[str, Estimate]],
    group_sizes: np.ndarray,
    point: dict[str, np.ndarray],
    boot: dict[str, np.ndarray],
    ref: int,
    settings: AssessSettings,
) -> dict[str, Estimate]:
    """Between-group summaries over the groups with enough data, each with its own bootstrap CI.

    Per metric, over the groups with enough data: ``<m>_difference`` (max - min), ``<m>_ratio``
    (min / max), ``<m>_max_over_min`` (how many times the best-off group's rate the worst-off group's
    is) and ``<m>_max_ratio_to_reference``. fairlearn's ``equalized_odds_difference``,
    ``equalized_odds_ratio``, ``demographic_parity_difference`` and ``demographic_parity_ratio`` over
    every group, as fairlearn computes them, and each again over the groups with enough data under
    its own name (suffix ``_enough_data``).
    """
    out: dict[str, Estimate] = {}
    usable = {key: np.array([e[key].usable if key in e else False for e in estimates]) for key in settings.metrics}
    for key in settings.metrics:
        mask = usable[key]
        out[f"{key}_difference"] = _spread(point[key], boot.get(key), mask, "difference", settings)
        out[f"{key}_ratio"] = _spread(point[key], boot.get(key), mask, "ratio", settings)
        out[f"{key}_max_over_min"] = _spread(point[key], boot.get(key), mask, "max_over_min", settings)
        out[f"{key}_max_ratio_to_reference"] = _worst_ratio(point[key], boot.get(key), mask, ref, settings)
    every = np.ones(len(group_sizes), dtype=bool)
    out.update(_fairlearn_summaries(point, boot, {"equalized_odds": every, "demographic_parity": every}, settings, suffix=""))
    enough = {"equalized_odds": usable["fpr"] & usable["fnr"], "demographic_parity": group_sizes >= settings.min_n}
    out.update(_fairlearn_summaries(point, boot, enough, settings, suffix=ENOUGH_DATA_SUFFIX))
    return out


#: Suffix of the variants of fairlearn's summaries that leave out groups below ``min_group_size``.
ENOUGH_DATA_SUFFIX = "_enough_data"

#: The rates behind fairlearn's summaries and what a group needs for the rate to exist.
_FAIRLEARN_RATES = {"fpr": "rows labelled negative", "tpr": "rows labelled positive", "selection_rate": "rows"}


def _fairlearn_summaries(
    point: dict[str, np.ndarray], boot: dict[str, np.ndarray], masks: dict[str, np.ndarray], settings: AssessSettings, *, suffix: str
) -> dict[str, Estimate]:
    """fairlearn's equalized-odds and demographic-parity summaries over the groups in ``masks[name]``.

    Without a suffix the masks hold every group, small ones included, so the value equals fairlearn's
    on the same inputs. A group whose rate does not exist (no rows labelled negative, say) makes the
    summary undefined: fairlearn would count that rate as 0, which is not a measurement.
    """
    out: dict[str, Estimate] = {}
    for name, keys in (("equalized_odds", ("fpr", "tpr")), ("demographic_parity", ("selection_rate",))):
        groups = masks[name]
        missing = {key: int((groups & np.isnan(point[key])).sum()) for key in keys}
        empty = [key for key in keys if missing[key]]
        if empty:
            reason = "; ".join(f"{missing[k]} group(s) have no {_FAIRLEARN_RATES[k]}, so their {k} is undefined" for k in empty)
            reason += " (fairlearn would count it as 0)"
            for kind in ("difference", "ratio"):
                out[f"{name}_{kind}{suffix}"] = Estimate(None, status="undefined", reason=reason)
            continue
        for kind in ("difference", "ratio"):
            parts = [_spread(point[k], boot.get(k), groups, kind, settings) for k in keys]
            # worst case over the rates: the largest difference, the smallest ratio (fairlearn's agg="worst_case")
            out[f"{name}_{kind}{suffix}"] = _worst_case(parts, larger_is_worse=kind == "difference")
    return out


def _worst_case(parts: list[Estimate], *, larger_is_worse: bool) -> Estimate:
    """The worse of several summaries, with an interval from the parts' intervals (max/min of bounds)."""
    if len(parts) == 1 or any(not p.usable for p in parts):
        return next((p for p in parts if not p.usable), parts[0])
    pick = max if larger_is_worse else min
    values = [p.value for p in parts]
    lows, highs = [p.ci_low for p in parts], [p.ci_high for p in parts]
    low = None if None in lows else pick(lows)  # type: ignore[type-var]
    high = None if None in highs else pick(highs)  # type: ignore[type-var]
    return Estimate(pick(values), low, high)  # type: ignore[type-var]


def _spread_values(point: np.ndarray, boot: np.ndarray | None, mask: np.ndarray, kind: str) -> tuple[float | None, np.ndarray | None]:
    if mask.sum() < 2:
        return None, None
    values = point[mask]
    reps = boot[:, mask] if boot is not None else None
    if kind == "difference":
        return float(values.max() - values.min()), (None if reps is None else np.nanmax(reps, axis=1) - np.nanmin(reps, axis=1))
    low, high = (values.min(), values.max()) if kind == "ratio" else (values.max(), values.min())
    if high == 0:
        return None, None
    with np.errstate(divide="ignore", invalid="ignore"):
        top, bottom = (np.nanmin(reps, axis=1), np.nanmax(reps, axis=1)) if reps is not None and kind == "ratio" else (None, None)
        if reps is not None and kind == "max_over_min":
            top, bottom = np.nanmax(reps, axis=1), np.nanmin(reps, axis=1)
        rep_ratio = None if reps is None else np.where(bottom > 0, top / bottom, np.nan)
    return float(low / high), rep_ratio


def _spread(point: np.ndarray, boot: np.ndarray | None, mask: np.ndarray, kind: str, settings: AssessSettings) -> Estimate:
    value, reps = _spread_values(point, boot, mask, kind)
    bounds = {"difference": (0.0, np.inf), "ratio": (0.0, 1.0), "max_over_min": (1.0, np.inf)}[kind]
    estimate = _as_estimate(value, reps, settings, mask, bounds=bounds)
    if value is None and mask.sum() >= 2:  # two usable groups, but the divisor is 0
        return Estimate(None, status="undefined", reason="the lowest rate is 0" if kind == "max_over_min" else "the highest rate is 0")
    return estimate


def _worst_ratio(point: np.ndarray, boot: np.ndarray | None, mask: np.ndarray, ref: int, settings: AssessSettings) -> Estimate:
    others = mask.copy()
    others[ref] = False
    if not mask[ref] or not others.any():
        return Estimate(None, status="insufficient_data", reason="needs the reference and another group with enough data")
    if point[ref] == 0:
        return Estimate(None, status="undefined", reason="the reference group's rate is 0")
    value = float(point[others].max() / point[ref])
    reps = None
    if boot is not None:
        with np.errstate(divide="ignore", invalid="ignore"):
            reps = np.where(boot[:, ref] > 0, np.nanmax(boot[:, others], axis=1) / boot[:, ref], np.nan)
    return Estimate(value, *_interval(reps, settings, value, spread_bounds=(0.0, np.inf)))


def _as_estimate(
    value: float | None, reps: np.ndarray | None, settings: AssessSettings, mask: np.ndarray, *, bounds: tuple[float, float]
) -> Estimate:
    if value is None:
        return Estimate(None, status="insufficient_data", reason=f"needs two groups with enough data ({int(mask.sum())} have)")
    return Estimate(value, *_interval(reps, settings, value, spread_bounds=bounds))
