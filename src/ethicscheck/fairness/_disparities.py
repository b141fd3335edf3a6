"""One summary per feature of how far apart its groups are, each with an interval (see ``_spread``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ethicscheck._vocabulary import COUNT_METRICS, ENOUGH_DATA_SUFFIX, RATE_SUMMARIES
from ethicscheck.fairness._metrics import numerator_denominator
from ethicscheck.fairness._result import Estimate
from ethicscheck.fairness._settings import AssessSettings
from ethicscheck.fairness._spread import SharedContrasts, SpreadBounds, difference_spread, ratio_spread, worst_of

__all__ = ["disparities", "worst_ratio", "RateGroups", "SUMMARY_FUNCTIONS", "ENOUGH_DATA_SUFFIX", "SPREAD_METHOD", "WORST_RATIO_METHOD"]

#: How ``<rate>_max_ratio_to_reference`` gets its interval (see :func:`worst_ratio`).
WORST_RATIO_METHOD = "worst group (per-group intervals)"

SPREAD_METHOD = "simultaneous_pairwise"

#: fairlearn's summaries and the rates each one takes the worst case of.
_FAIRLEARN = {"equalized_odds": ("fpr", "tpr"), "demographic_parity": ("selection_rate",)}


def disparities(
    estimates: list[dict[str, Estimate]], counts: np.ndarray, ref: int, settings: AssessSettings, ratios: list[dict[str, Estimate]]
) -> dict[str, Estimate]:
    """Between-group summaries of one feature, each with its own interval.

    Per metric, over the groups with enough data: ``<m>_difference`` (max - min), ``<m>_ratio``
    (min / max), ``<m>_max_over_min`` (how many times the best-off group's rate the worst-off group's
    is) and ``<m>_max_ratio_to_reference`` (the largest ratio of a group's rate to the reference's,
    the reference's own ratio of 1 included). fairlearn's ``equalized_odds_difference``,
    ``equalized_odds_ratio``, ``demographic_parity_difference`` and ``demographic_parity_ratio`` over
    every group, as fairlearn computes them, and each again over the groups with enough data under
    its own name (suffix ``_enough_data``).

    Parameters
    ----------
    estimates : list of dict
        Per group, the rate estimates (their status says which groups have enough data).
    counts : ndarray, shape (groups, 4)
        ``[tn, fp, fn, tp]`` per group.
    ref : int
        Index of the reference group.
    settings : AssessSettings
    ratios : list of dict
        Per group, its rates' ratios to the reference's (empty for the reference): ``<m>_max_ratio_to_reference``
        is read from them by :func:`worst_ratio`, as the gates read it.
    """
    out: dict[str, Estimate] = {}
    shared = SharedContrasts()  # several summaries read the same counts: their pairwise contrasts are built once
    usable = {key: np.array([e[key].usable if key in e else False for e in estimates]) for key in settings.metrics}
    for key in settings.metrics:
        x, n = numerator_denominator(counts, key)
        worst = worst_ratio([r[key] for g, r in enumerate(ratios) if g != ref and key in r])
        out.update(_rate_summaries(key, x, n, usable[key], ref, settings.confidence_level, worst, shared))
    every = np.ones(len(counts), dtype=bool)
    out.update(_fairlearn_summaries(counts, {"equalized_odds": every, "demographic_parity": every}, settings, suffix="", shared=shared))
    enough = {"equalized_odds": usable["fpr"] & usable["fnr"], "demographic_parity": counts.sum(axis=1) >= settings.min_group_size}
    out.update(_fairlearn_summaries(counts, enough, settings, suffix=ENOUGH_DATA_SUFFIX, shared=shared))
    return out


@dataclass(frozen=True)
class RateGroups:
    """One rate over a feature's groups with enough data: what every between-group summary of it reads.

    ``numerators`` and ``denominators`` have one batch row (shape ``(1, groups)``), as the spread intervals take
    them; the pairwise spread intervals are computed once, on first use, and shared by the summaries that need them.
    """

    key: str
    numerators: np.ndarray
    denominators: np.ndarray
    reference: int | None  #: position of the reference group among these groups (None: it has too little data)
    confidence_level: float
    worst_ratio: Estimate  #: the worst group's ratio to the reference, from the groups' own ratio estimates
    #: pairwise contrasts shared with the feature's other summaries (the fairlearn ones read the same counts)
    shared: SharedContrasts = field(default_factory=SharedContrasts, compare=False, repr=False)

    @cached_property
    def rates(self) -> np.ndarray:
        """Each group's rate (every denominator is positive: these groups have enough data)."""
        rates: np.ndarray = self.numerators[0] / self.denominators[0]
        return rates

    @cached_property
    def difference_bounds(self) -> SpreadBounds:
        """max - min, with simultaneous pairwise intervals (see ``_spread``)."""
        return difference_spread(self.numerators, self.denominators, confidence_level=self.confidence_level, shared=self.shared)

    @cached_property
    def ratio_bounds(self) -> SpreadBounds:
        """max / min, with simultaneous pairwise intervals on the log scale."""
        return ratio_spread(self.numerators, self.denominators, confidence_level=self.confidence_level, shared=self.shared)


def _difference(groups: RateGroups) -> Estimate:
    spread = groups.difference_bounds
    return _estimate(spread.value, spread.low, spread.high)


def _ratio(groups: RateGroups) -> Estimate:
    rate, bounds = groups.rates, groups.ratio_bounds
    return _min_over_max(rate.min(), rate.max(), bounds.low, bounds.high)


def _max_over_min_summary(groups: RateGroups) -> Estimate:
    bounds = groups.ratio_bounds
    return _max_over_min(groups.rates, bounds.value, bounds.low, bounds.high)


def _max_ratio_to_reference(groups: RateGroups) -> Estimate:
    if groups.reference is None:
        return Estimate(None, status="insufficient_data", reason="the reference group has too little data")
    if groups.rates[groups.reference] == 0:
        return Estimate(None, status="undefined", reason="the reference group's rate is 0")
    return groups.worst_ratio


#: How each between-group summary of a rate is computed, by its key suffix in a feature's ``disparities``
#: (``<rate>_<suffix>``), in the order of :data:`~ethicscheck._vocabulary.RATE_SUMMARIES`, whose rows name
#: them. A summary is only computed over two or more groups with enough data.
SUMMARY_FUNCTIONS: dict[str, Callable[[RateGroups], Estimate]] = {
    "difference": _difference,
    "ratio": _ratio,
    "max_over_min": _max_over_min_summary,
    "max_ratio_to_reference": _max_ratio_to_reference,
}


def _rate_summaries(
    key: str, x: np.ndarray, n: np.ndarray, mask: np.ndarray, ref: int, confidence: float, worst: Estimate, shared: SharedContrasts
) -> dict[str, Estimate]:
    suffixes = list(dict.fromkeys(RATE_SUMMARIES.values()))
    if mask.sum() < 2:
        missing = Estimate(None, status="insufficient_data", reason=f"needs two groups with enough data ({int(mask.sum())} have)")
        return {f"{key}_{suffix}": missing for suffix in suffixes}
    groups = RateGroups(key, x[None, mask], n[None, mask], int(mask[:ref].sum()) if mask[ref] else None, confidence, worst, shared)
    return {f"{key}_{suffix}": SUMMARY_FUNCTIONS[suffix](groups) for suffix in suffixes}


def _fairlearn_summaries(
    counts: np.ndarray, masks: dict[str, np.ndarray], settings: AssessSettings, *, suffix: str, shared: SharedContrasts
) -> dict[str, Estimate]:
    """fairlearn's equalized-odds and demographic-parity summaries over the groups in ``masks[name]``.

    Without a suffix the masks hold every group, small ones included, so the value equals fairlearn's
    on the same inputs. A group whose rate does not exist (no rows labelled negative, say) makes the
    summary undefined: fairlearn would count that rate as 0, which is not a measurement.
    """
    out: dict[str, Estimate] = {}
    for name, keys in _FAIRLEARN.items():
        mask = masks[name]
        parts = [_rows(counts, key, mask) for key in keys]
        empty = {key: int((n == 0).sum()) for key, (_, n) in zip(keys, parts)}
        names = (f"{name}_difference{suffix}", f"{name}_ratio{suffix}")
        if mask.sum() < 2:
            out.update(dict.fromkeys(names, Estimate(None, status="insufficient_data", reason="needs two groups with enough data")))
            continue
        if any(empty.values()):
            reason = "; ".join(
                f"{count} group(s) with {COUNT_METRICS[key].undefined_when}, so their {key} is undefined"
                for key, count in empty.items()
                if count
            )
            out.update(dict.fromkeys(names, Estimate(None, status="undefined", reason=reason + " (fairlearn would count it as 0)")))
            continue
        rates = [x[0] / n[0] for x, n in parts]
        low, high = worst_of(parts, "difference", confidence_level=settings.confidence_level, shared=shared)
        out[names[0]] = _estimate(np.array([max(r.max() - r.min() for r in rates)]), low, high)
        low, high = worst_of(parts, "ratio", confidence_level=settings.confidence_level, shared=shared)
        if any(r.max() == 0 for r in rates):
            out[names[1]] = Estimate(None, status="undefined", reason="the highest rate is 0")
        else:
            out[names[1]] = _min_over_max(min(r.min() / r.max() for r in rates), 1.0, low, high)
    return out


def _rows(counts: np.ndarray, key: str, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Numerator and denominator of ``key`` for the groups in ``mask``, as one batch row."""
    x, n = numerator_denominator(counts, key)
    return x[None, mask], n[None, mask]


def _estimate(value: np.ndarray, low: np.ndarray, high: np.ndarray) -> Estimate:
    return Estimate(float(value[0]), float(low[0]), float(high[0]), method=SPREAD_METHOD)


def _min_over_max(smallest: float, largest: float, low: np.ndarray, high: np.ndarray) -> Estimate:
    """min / max from the interval of max / min (its reciprocal), 0 where the lowest rate is 0."""
    if largest == 0:
        return Estimate(None, status="undefined", reason="the highest rate is 0")
    with np.errstate(divide="ignore"):
        return Estimate(float(smallest / largest), float(1 / high[0]), float(1 / low[0]), method=SPREAD_METHOD)


def _max_over_min(rate: np.ndarray, value: np.ndarray, low: np.ndarray, high: np.ndarray) -> Estimate:
    if rate.min() == 0:
        return Estimate(None, status="undefined", reason="the lowest rate is 0")
    return _estimate(value, low, high)


def worst_ratio(ratios: Sequence[Estimate]) -> Estimate:
    """The worst group's ratio to the reference, read from the groups' own ratio estimates.

    ``<rate>_max_ratio_to_reference`` and the ``<rate>_ratio`` gate measure one quantity, so it has one
    reading: in ``audit.json``'s disparities, in MLflow and ``ethicscheck history``, and in gates. The
    value is the largest ratio among the usable groups *and the reference's own ratio, 1*; the interval's
    ends are the largest lower and the largest upper end of those groups' intervals (the reference's
    being [1, 1]). So ``fpr_max_ratio_to_reference <= t`` passes exactly when ``fpr_ratio <= t`` does for
    every limit t >= 1, in every mode, and the interval is never below 1 or below any group's own.
    """
    usable = [e for e in ratios if e.usable]
    if not usable:
        return Estimate(None, status="insufficient_data", reason="needs the reference and another group with enough data")
    value = max(1.0, *(float(e.value) for e in usable if e.value is not None))
    lows = [e.ci_low for e in usable if e.ci_low is not None]
    highs = [e.ci_high for e in usable if e.ci_high is not None]
    if len(lows) < len(usable) or len(highs) < len(usable):
        return Estimate(value, method=WORST_RATIO_METHOD)
    return Estimate(value, max(1.0, *lows), max(1.0, *highs), method=WORST_RATIO_METHOD)
