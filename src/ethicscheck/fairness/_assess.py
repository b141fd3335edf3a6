"""Per-group error rates with confidence intervals, compared with a reference group."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from ethicscheck.errors import DataError
from ethicscheck.fairness._groups import GroupEncoding, encode_feature, intersect
from ethicscheck.fairness._metrics import (
    METRICS,
    cell_counts,
    numerator_denominator,
    rate,
)
from ethicscheck.fairness._result import (
    Estimate,
    FairnessResult,
    FeatureResult,
    GroupResult,
)
from ethicscheck.fairness._uncertainty import (
    basic_interval,
    bootstrap_counts,
    katz_ratio,
    newcombe_difference,
    percentile_interval,
    wilson_interval,
)

__all__ = ["assess", "DEFAULT_METRICS"]

DEFAULT_METRICS: tuple[str, ...] = ("fpr", "fnr", "selection_rate", "precision")
_METHODS = {
    "rate_ci": "Wilson score interval",
    "difference_ci": "stratified percentile bootstrap of per-group cell counts (multinomial per group); "
    "Newcombe (difference) and Katz log (ratio) intervals where a group has no events or the bootstrap is unstable",
    "spread_ci": "stratified basic (reflected) bootstrap, which corrects the upward bias of max-min statistics",
    "reference": "configured, else the largest group",
}


def assess(
    y_true: Sequence[bool] | np.ndarray,
    y_pred: Sequence[bool] | np.ndarray,
    *,
    sensitive_features: pd.DataFrame | Mapping[str, Sequence[object]],
    bins: Mapping[str, Sequence[float]] | None = None,
    intersections: Literal["all", "none"] | Sequence[Sequence[str]] = "all",
    metrics: Sequence[str] = DEFAULT_METRICS,
    reference: Mapping[str, str] | None = None,
    confidence_level: float = 0.95,
    n_boot: int = 1000,
    min_group_size: int = 30,
    max_groups: int = 1000,
    seed: int = 0,
) -> FairnessResult:
    """Measure error rates per group, with uncertainty, and compare each group with a reference.

    Every metric is a ratio of cell counts of (label, decision) within a group, so the whole
    computation, including the bootstrap, works on a ``(groups, 4)`` count table.

    Parameters
    ----------
    y_true : array-like of bool
        True where the row is labelled trafficking-related.
    y_pred : array-like of bool
        True where the model flagged the row.
    sensitive_features : DataFrame or mapping of name to array-like
        One column per sensitive feature. Missing values form the group ``(missing)``.
    bins : mapping, optional
        Bin edges for numeric features, by feature name.
    intersections : "all", "none" or list of lists of feature names
        Which intersections to add; ``all`` intersects every feature (when there are two or more).
    metrics : sequence of str
        Rates to report; keys of :data:`ethicscheck.fairness.METRICS`.
    reference : mapping, optional
        Reference group per feature name; the largest group otherwise.
    confidence_level : float
        Level of every confidence interval.
    n_boot : int
        Bootstrap replicates for disparity intervals; 0 skips them.
    min_group_size : int
        Denominator below which a rate is ``insufficient_data`` and left out of comparisons.
    max_groups : int
        Most groups allowed per feature or intersection.
    seed : int
        Seed of the bootstrap; the same seed gives the same intervals.

    Returns
    -------
    FairnessResult

    Raises
    ------
    DataError
        Lengths differ, a configured reference group does not exist, or a feature has too many groups.

    Examples
    --------
    >>> result = assess([0, 0, 1, 1], [1, 0, 1, 0], sensitive_features={"g": ["a", "a", "b", "b"]},
    ...                 min_group_size=1, n_boot=0)
    >>> result.feature("g").group("a").metrics["fpr"].value
    0.5
    """
    y_true = np.asarray(y_true, dtype=bool)
    y_pred = np.asarray(y_pred, dtype=bool)
    frame = pd.DataFrame(sensitive_features) if not isinstance(sensitive_features, pd.DataFrame) else sensitive_features
    if not (len(y_true) == len(y_pred) == len(frame)):
        raise DataError(f"y_true ({len(y_true)}), y_pred ({len(y_pred)}) and sensitive_features ({len(frame)}) must have the same length.")
    unknown = [m for m in metrics if m not in METRICS]
    if unknown:
        raise ValueError(f"unknown metrics {unknown}; known: {sorted(METRICS)}")
    metrics = tuple(dict.fromkeys(["fpr", "fnr", *metrics]))
    encodings = _encodings(frame, bins or {}, intersections, max_groups)
    reference = dict(reference or {})
    settings = _Settings(metrics, confidence_level, n_boot, min_group_size)

    overall_counts = cell_counts(np.zeros(len(y_true), dtype=np.int64), y_true, y_pred, 1)
    overall = _group_result("all rows", {}, overall_counts[0], _rate_estimates(overall_counts, settings), 0)
    features = []
    for index, encoding in enumerate(encodings):
        counts = cell_counts(encoding.codes, y_true, y_pred, encoding.n_groups)
        ref_index = _reference_index(encoding, counts, reference)
        rng = np.random.default_rng([seed, index])
        replicates = bootstrap_counts(counts, n_boot=n_boot, rng=rng) if n_boot else None
        features.append(_feature_result(encoding, counts, ref_index, replicates, settings))
    return FairnessResult(
        overall=overall,
        features=tuple(features),
        metrics=metrics,
        confidence_level=confidence_level,
        n_boot=n_boot,
        min_group_size=min_group_size,
        seed=seed,
        methods=dict(_METHODS),
    )


class _Settings:
    def __init__(self, metrics: tuple[str, ...], confidence: float, n_boot: int, min_n: int) -> None:
        self.metrics = metrics
        self.confidence = confidence
        self.n_boot = n_boot
        self.min_n = min_n


def _encodings(frame: pd.DataFrame, bins: Mapping[str, Sequence[float]], intersections: object, max_groups: int) -> list[GroupEncoding]:
    singles = [encode_feature(frame[c], name=str(c), bins=bins.get(str(c)), max_groups=max_groups) for c in frame.columns]
    by_name = {e.name: e for e in singles}
    if intersections == "all":
        combos: list[Sequence[str]] = [list(by_name)] if len(singles) > 1 else []
    elif intersections == "none":
        combos = []
    else:
        combos = list(intersections)  # type: ignore[arg-type]
    return singles + [intersect([by_name[n] for n in combo], max_groups=max_groups) for combo in combos]


def _reference_index(encoding: GroupEncoding, counts: np.ndarray, reference: Mapping[str, str]) -> int:
    wanted = reference.get(encoding.name)
    if wanted is None and encoding.columns and all(c in reference for c in encoding.columns) and len(encoding.columns) > 1:
        wanted = " & ".join(reference[c] for c in encoding.columns)
        if wanted not in encoding.labels:
            wanted = None
    if wanted is None:
        return int(np.argmax(counts.sum(axis=1)))  # first of the largest
    if wanted not in encoding.labels:
        shown = ", ".join(encoding.labels[:20]) + (" ..." if encoding.n_groups > 20 else "")
        raise DataError(f"Reference group '{wanted}' of '{encoding.name}' does not occur in the data. Groups: {shown}.")
    return encoding.labels.index(wanted)


def _rate_estimates(counts: np.ndarray, settings: _Settings) -> list[dict[str, Estimate]]:
    """Point estimate, Wilson CI and status of every metric, per group."""
    per_group: list[dict[str, Estimate]] = [{} for _ in range(len(counts))]
    for key in settings.metrics:
        numerator, denominator = numerator_denominator(counts, key)
        values = rate(counts, key)
        low, high = wilson_interval(numerator, denominator, confidence=settings.confidence)
        for g in range(len(counts)):
            den = int(denominator[g])
            if den == 0:
                estimate = Estimate(None, status="undefined", reason=METRICS[key].undefined_when, numerator=0, denominator=0)
            else:
                status = "ok" if den >= settings.min_n else "insufficient_data"
                reason = None if status == "ok" else f"only {den} rows in the denominator (minimum {settings.min_n})"
                estimate = Estimate(float(values[g]), float(low[g]), float(high[g]), status, reason, int(numerator[g]), den)
            per_group[g][key] = estimate
    return per_group


def _feature_result(encoding: GroupEncoding, counts: np.ndarray, ref: int, replicates: np.ndarray | None, settings: _Settings) -> FeatureResult:
    estimates = _rate_estimates(counts, settings)
    differences: list[dict[str, Estimate]] = [{} for _ in range(encoding.n_groups)]
    ratios: list[dict[str, Estimate]] = [{} for _ in range(encoding.n_groups)]
    point_rates = {key: rate(counts, key) for key in (*settings.metrics, "tpr", "selection_rate")}
    boot_rates = {key: rate(replicates, key) for key in point_rates} if replicates is not None else {}
    for key in settings.metrics:
        ref_estimate = estimates[ref][key]
        for g in range(encoding.n_groups):
            if g == ref:
                continue
            differences[g][key], ratios[g][key] = _compare(estimates[g][key], ref_estimate, point_rates[key], boot_rates.get(key), g, ref, settings)
    groups = tuple(
        _group_result(encoding.labels[g], dict(zip(encoding.columns, encoding.values[g])), counts[g], estimates, g, differences[g], ratios[g], g == ref)
        for g in range(encoding.n_groups)
    )
    with warnings.catch_warnings():  # all-NaN replicate slices are expected; they become undefined CIs
        warnings.simplefilter("ignore", RuntimeWarning)
        disparities = _disparities(estimates, counts.sum(axis=1), point_rates, boot_rates, ref, settings)
    return FeatureResult(encoding.name, encoding.columns, encoding.labels[ref], groups, disparities)


def _compare(group: Estimate, reference: Estimate, point: np.ndarray, boot: np.ndarray | None, g: int, ref: int, settings: _Settings) -> tuple[Estimate, Estimate]:
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
    if boot is not None and not degenerate:
        diff_ci = _interval(boot[:, g] - boot[:, ref], settings, diff_value)
        if ratio_value is not None:
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio_ci = _interval(np.where(boot[:, ref] > 0, boot[:, g] / boot[:, ref], np.nan), settings, ratio_value)
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
    settings: _Settings,
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


def _disparities(
    estimates: list[dict[str, Estimate]],
    group_sizes: np.ndarray,
    point: dict[str, np.ndarray],
    boot: dict[str, np.ndarray],
    ref: int,
    settings: _Settings,
) -> dict[str, Estimate]:
    """Between-group summaries over the groups with enough data, each with its own bootstrap CI."""
    out: dict[str, Estimate] = {}
    usable = {key: np.array([e[key].usable if key in e else False for e in estimates]) for key in settings.metrics}
    for key in settings.metrics:
        mask = usable[key]
        out[f"{key}_difference"] = _spread(point[key], boot.get(key), mask, "difference", settings)
        out[f"{key}_ratio"] = _spread(point[key], boot.get(key), mask, "ratio", settings)
        out[f"{key}_max_ratio_to_reference"] = _worst_ratio(point[key], boot.get(key), mask, ref, settings)
    # fairlearn's definitions: equalized odds = worse of the TPR and FPR spreads; demographic parity on selection rate.
    both = usable["fpr"] & usable["fnr"]
    fpr_spread = _spread_values(point["fpr"], boot.get("fpr"), both, "difference")
    tpr_spread = _spread_values(point["tpr"], boot.get("tpr"), both, "difference")
    out["equalized_odds_difference"] = _as_estimate(
        None if fpr_spread[0] is None else max(fpr_spread[0], tpr_spread[0]),  # type: ignore[type-var]
        None if fpr_spread[1] is None else np.fmax(fpr_spread[1], tpr_spread[1]),
        settings,
        both,
        bounds=(0.0, 1.0),
    )
    selection_mask = group_sizes >= settings.min_n
    out["demographic_parity_difference"] = _spread(point["selection_rate"], boot.get("selection_rate"), selection_mask, "difference", settings)
    out["demographic_parity_ratio"] = _spread(point["selection_rate"], boot.get("selection_rate"), selection_mask, "ratio", settings)
    return out


def _spread_values(point: np.ndarray, boot: np.ndarray | None, mask: np.ndarray, kind: str) -> tuple[float | None, np.ndarray | None]:
    if mask.sum() < 2:
        return None, None
    values = point[mask]
    reps = boot[:, mask] if boot is not None else None
    if kind == "difference":
        return float(values.max() - values.min()), (None if reps is None else np.nanmax(reps, axis=1) - np.nanmin(reps, axis=1))
    if values.max() == 0:
        return None, None
    with np.errstate(divide="ignore", invalid="ignore"):
        rep_ratio = None if reps is None else np.where(np.nanmax(reps, axis=1) > 0, np.nanmin(reps, axis=1) / np.nanmax(reps, axis=1), np.nan)
    return float(values.min() / values.max()), rep_ratio


def _spread(point: np.ndarray, boot: np.ndarray | None, mask: np.ndarray, kind: str, settings: _Settings) -> Estimate:
    value, reps = _spread_values(point, boot, mask, kind)
    return _as_estimate(value, reps, settings, mask, bounds=(0.0, np.inf) if kind == "difference" else (0.0, 1.0))


def _worst_ratio(point: np.ndarray, boot: np.ndarray | None, mask: np.ndarray, ref: int, settings: _Settings) -> Estimate:
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


def _as_estimate(value: float | None, reps: np.ndarray | None, settings: _Settings, mask: np.ndarray, *, bounds: tuple[float, float]) -> Estimate:
    if value is None:
        return Estimate(None, status="insufficient_data", reason=f"needs two groups with enough data ({int(mask.sum())} have)")
    return Estimate(value, *_interval(reps, settings, value, spread_bounds=bounds))


def _group_result(
    label: str,
    values: dict[str, str],
    counts: np.ndarray,
    estimates: list[dict[str, Estimate]],
    g: int,
    difference: dict[str, Estimate] | None = None,
    ratio: dict[str, Estimate] | None = None,
    is_reference: bool = False,
) -> GroupResult:
    tn, fp, fn, tp = (int(c) for c in counts)
    return GroupResult(
        group=label,
        values=values,
        n=tn + fp + fn + tp,
        n_positive=fn + tp,
        n_negative=tn + fp,
        n_flagged=fp + tp,
        counts={"tn": tn, "fp": fp, "fn": fn, "tp": tp},
        metrics=estimates[g],
        difference=difference or {},
        ratio=ratio or {},
        is_reference=is_reference,
    )

