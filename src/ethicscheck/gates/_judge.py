"""Does an estimate (with its interval) break a limit? Point, confident and precautionary readings."""

from __future__ import annotations

from typing import Literal

from ethicscheck.fairness import Estimate

__all__ = ["Comparator", "Mode", "violates", "regressed", "decisive_value"]

Comparator = Literal["<=", "<", ">=", ">"]
Mode = Literal["point", "confident", "precautionary"]


def decisive_value(estimate: Estimate, comparator: Comparator, mode: Mode) -> float | None:
    """The number a mode judges: the estimate, or the CI end most (confident) or least (precautionary)
    favourable to passing. None when the mode needs an interval that does not exist.

    Examples
    --------
    With ``<=`` (lower is better) and CI [1.1, 1.9] around 1.5: point 1.5, confident 1.1, precautionary 1.9.
    """
    if estimate.value is None:
        return None
    if mode == "point":
        return estimate.value
    if estimate.ci_low is None or estimate.ci_high is None:
        return None
    lower_is_better = comparator in ("<=", "<")
    favourable, unfavourable = (estimate.ci_low, estimate.ci_high) if lower_is_better else (estimate.ci_high, estimate.ci_low)
    return favourable if mode == "confident" else unfavourable


def violates(value: float, comparator: Comparator, threshold: float) -> bool:
    """True when ``value`` does not satisfy ``value <comparator> threshold``."""
    return not {"<=": value <= threshold, "<": value < threshold, ">=": value >= threshold, ">": value > threshold}[comparator]


def regressed(current: Estimate, baseline: Estimate, comparator: Comparator, mode: Mode, margin: float) -> tuple[bool | None, float | None]:
    """Has the metric got worse than the baseline by more than ``margin``, judged with both intervals?

    ``point`` compares the estimates; ``confident`` needs the current interval to lie beyond the
    baseline's by more than the margin; ``precautionary`` fails when the intervals allow a worsening
    beyond the margin. Returns ``(worse, worsening)`` with ``worsening`` the judged difference, or
    ``(None, None)`` when an estimate or a needed interval is missing.
    """
    if current.value is None or baseline.value is None:
        return None, None
    sign = 1.0 if comparator in ("<=", "<") else -1.0  # +1: higher is worse
    if mode == "point":
        worsening = sign * (current.value - baseline.value)
    else:
        c_low, c_high, b_low, b_high = current.ci_low, current.ci_high, baseline.ci_low, baseline.ci_high
        if c_low is None or c_high is None or b_low is None or b_high is None:
            return None, None
        if mode == "confident":
            worsening = (c_low - b_high) if sign > 0 else (b_low - c_high)
        else:
            worsening = (c_high - b_low) if sign > 0 else (b_high - c_low)
    return worsening > margin, worsening
