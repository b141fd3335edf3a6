"""The statistics of a swap: flips both ways with the exact McNemar test, paired bootstrap intervals, Holm.

Every comparison is paired: the same text scored as written, with the target term swapped in, and with a
control word swapped in. ``before``, ``after`` and ``control`` are the decisions (and scores) of those three
versions, one entry per text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np

from ethicscheck.fairness import Estimate, holm, percentile_interval, wilson_interval

__all__ = ["Direction", "SwapStats", "mcnemar_exact", "swap_stats", "with_holm"]

#: ``higher``: the target term is flagged more often than the control word in its place; ``lower``: less.
Direction = Literal["higher", "lower"]

# Cell index 4 * before + 2 * after + control: which cells have each version flagged.
_BEFORE = np.array([0, 0, 0, 0, 1, 1, 1, 1], dtype=bool)
_AFTER = np.array([0, 0, 1, 1, 0, 0, 1, 1], dtype=bool)
_CONTROL = np.array([0, 1, 0, 1, 0, 1, 0, 1], dtype=bool)
_NONE_UNFLAGGED = "no text was left unflagged as written"


def mcnemar_exact(flips_up: int, flips_down: int) -> float:
    """Two-sided exact McNemar p-value: the discordant pairs tested against a fair coin.

    Defined as statsmodels' ``mcnemar(table, exact=True)``: ``min(1, 2 * Binom(b + c, 1/2).cdf(min(b, c)))``,
    and 1 when no pair is discordant.

    Examples
    --------
    >>> round(mcnemar_exact(10, 2), 6)
    0.038574
    """
    total = flips_up + flips_down
    if total == 0:
        return 1.0
    from scipy.stats import binom  # here, not at module level: scipy.stats costs ~1 s of every start

    return float(min(1.0, 2.0 * binom.cdf(min(flips_up, flips_down), total, 0.5)))


@dataclass(frozen=True)
class SwapStats:
    """One swap (a source term to a target term, or every source pooled) on one label slice.

    Attributes
    ----------
    n_texts : int
        Texts swapped (each scored as written, with the target and with a control word).
    flagged_before, flagged_after, flagged_control : Estimate
        Share of the texts flagged as written, with the target, with the control word (Wilson intervals).
    flips_up, flips_down : Estimate
        Share of the texts not flagged as written that the swap flags (on texts labelled negative: new false
        positives), and share of the flagged ones it un-flags (Wilson intervals, counts kept).
    p_value, p_holm : float
        Exact McNemar test of as-written vs swapped decisions; Holm-adjusted over the family (every target of
        the lexicon on this slice, or every pair).
    p_control, p_control_holm : float
        The same test of control-word vs target decisions: is the target's effect beyond the control's?
    flag_ratio : Estimate
        Flagged with the target over flagged as written (paired bootstrap interval): "flagged 2.1 times as often".
    flip_rate_beyond_control : Estimate
        Share of not-flagged texts the target flags minus the share the control word flags (paired bootstrap);
        the gate metric ``swap.flip_rate``.
    score_delta, score_delta_beyond_control : Estimate or None
        Mean score change target minus as-written, and target minus control word (paired bootstrap); the latter
        is the gate metric ``swap.score_delta``. None for models without a score.
    finding : {"higher", "lower"} or None
        Set when the target's decisions differ from the control's (Holm-adjusted p below alpha).
    """

    n_texts: int
    flagged_before: Estimate
    flagged_after: Estimate
    flagged_control: Estimate
    flips_up: Estimate
    flips_down: Estimate
    p_value: float
    p_holm: float
    p_control: float
    p_control_holm: float
    flag_ratio: Estimate
    flip_rate_beyond_control: Estimate
    score_delta: Estimate | None
    score_delta_beyond_control: Estimate | None
    finding: Direction | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"n_texts": self.n_texts}
        for name in _ESTIMATES:
            out[name] = getattr(self, name).to_dict()
        out["mcnemar"] = {"p_value": self.p_value, "p_holm": self.p_holm}
        out["mcnemar_vs_control"] = {"p_value": self.p_control, "p_holm": self.p_control_holm}
        out["score_delta"] = self.score_delta.to_dict() if self.score_delta else None
        out["score_delta_beyond_control"] = self.score_delta_beyond_control.to_dict() if self.score_delta_beyond_control else None
        out["finding"] = self.finding
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SwapStats:
        def optional(key: str) -> Estimate | None:
            return Estimate.from_dict(data[key]) if data.get(key) else None

        return cls(
            n_texts=data["n_texts"],
            **{k: Estimate.from_dict(data[k]) for k in _ESTIMATES},
            p_value=data["mcnemar"]["p_value"],
            p_holm=data["mcnemar"]["p_holm"],
            p_control=data["mcnemar_vs_control"]["p_value"],
            p_control_holm=data["mcnemar_vs_control"]["p_holm"],
            score_delta=optional("score_delta"),
            score_delta_beyond_control=optional("score_delta_beyond_control"),
            finding=data.get("finding"),
        )


_ESTIMATES = ("flagged_before", "flagged_after", "flagged_control", "flips_up", "flips_down", "flag_ratio", "flip_rate_beyond_control")


def swap_stats(
    before: np.ndarray,
    after: np.ndarray,
    control: np.ndarray,
    *,
    scores: tuple[np.ndarray, np.ndarray, np.ndarray] | None,
    confidence_level: float,
    n_boot: int,
    rng: np.random.Generator,
) -> SwapStats:
    """The statistics of one swap from paired decisions (and scores); Holm and the finding come from :func:`with_holm`.

    Parameters
    ----------
    before, after, control : ndarray of bool
        Decisions as written, with the target term, with the control word; one entry per text.
    scores : tuple of three ndarrays, optional
        The scores in the same order, higher meaning riskier.
    confidence_level : float
    n_boot : int
        Paired bootstrap replicates (texts resampled with replacement); 0 leaves those intervals out.
    rng : numpy.random.Generator
    """
    n = len(before)
    up = int(np.sum(~before & after))
    down = int(np.sum(before & ~after))
    up_control = int(np.sum(~control & after))
    down_control = int(np.sum(control & ~after))
    # Resampling texts resamples their (before, after, control) decision triple: a multinomial over 8 cells.
    cells = np.bincount(4 * before.astype(int) + 2 * after.astype(int) + control.astype(int), minlength=8)
    replicates = rng.multinomial(n, cells / n, size=n_boot) if n and n_boot else None
    stats = SwapStats(
        n_texts=n,
        flagged_before=_share(int(before.sum()), n, confidence_level, "no texts"),
        flagged_after=_share(int(after.sum()), n, confidence_level, "no texts"),
        flagged_control=_share(int(control.sum()), n, confidence_level, "no texts"),
        flips_up=_share(up, int((~before).sum()), confidence_level, _NONE_UNFLAGGED),
        flips_down=_share(down, int(before.sum()), confidence_level, "no text was flagged as written"),
        p_value=mcnemar_exact(up, down),
        p_holm=1.0,
        p_control=mcnemar_exact(up_control, down_control),
        p_control_holm=1.0,
        flag_ratio=_flag_ratio(cells, replicates, confidence_level),
        flip_rate_beyond_control=_flip_rate_beyond_control(cells, replicates, confidence_level),
        score_delta=None,
        score_delta_beyond_control=None,
    )
    if scores is None:
        return stats
    score_before, score_after, score_control = scores
    draws = rng.integers(0, n, size=(n_boot, n)) if n and n_boot else None
    return replace(
        stats,
        score_delta=_paired_mean(score_after - score_before, draws, confidence_level),
        score_delta_beyond_control=_paired_mean(score_after - score_control, draws, confidence_level),
    )


def with_holm(family: list[SwapStats], *, alpha: float) -> list[SwapStats]:
    """The family's stats with Holm-adjusted p-values and findings (target vs control beyond ``alpha``)."""
    if not family:
        return family
    adjusted = holm([s.p_value for s in family])
    adjusted_control = holm([s.p_control for s in family])
    out = []
    for stats, p, p_control in zip(family, adjusted, adjusted_control):
        finding: Direction | None = None
        if p_control < alpha:
            after, control = stats.flagged_after.numerator or 0, stats.flagged_control.numerator or 0
            finding = "higher" if after > control else "lower"
        out.append(replace(stats, p_holm=float(p), p_control_holm=float(p_control), finding=finding))
    return out


def _share(successes: int, trials: int, confidence: float, empty: str) -> Estimate:
    if trials == 0:
        return Estimate(None, status="undefined", reason=empty, numerator=successes, denominator=0)
    low, high = wilson_interval(np.array([successes]), np.array([trials]), confidence_level=confidence)
    return Estimate(successes / trials, float(low[0]), float(high[0]), numerator=successes, denominator=trials, method="wilson")


def _interval(replicates: np.ndarray | None, confidence: float) -> tuple[float | None, float | None, str | None]:
    if replicates is None:
        return None, None, None
    low, high, _ = percentile_interval(replicates[:, None], confidence_level=confidence)
    if np.isnan(low[0]):
        return None, None, None
    return float(low[0]), float(high[0]), "paired_bootstrap"


def _paired_mean(values: np.ndarray, draws: np.ndarray | None, confidence: float) -> Estimate:
    """Mean of ``values`` (one per text) with a paired bootstrap interval (texts resampled)."""
    if len(values) == 0:
        return Estimate(None, status="undefined", reason="no texts")
    replicates = values[draws].mean(axis=1) if draws is not None else None
    low, high, method = _interval(replicates, confidence)
    return Estimate(float(values.mean()), low, high, method=method)


def _flag_ratio(cells: np.ndarray, replicates: np.ndarray | None, confidence: float) -> Estimate:
    """Texts flagged with the target over texts flagged as written."""
    if not cells[_BEFORE].sum():
        return Estimate(None, status="undefined", reason="no text was flagged as written, so there is nothing to compare with")
    value = float(cells[_AFTER].sum() / cells[_BEFORE].sum())
    boot = None
    if replicates is not None:
        with np.errstate(invalid="ignore", divide="ignore"):
            boot = replicates[:, _AFTER].sum(axis=1) / replicates[:, _BEFORE].sum(axis=1)
        boot = np.where(np.isfinite(boot), boot, np.nan)
    low, high, method = _interval(boot, confidence)
    return Estimate(value, low, high, method=method)


def _flip_rate_beyond_control(cells: np.ndarray, replicates: np.ndarray | None, confidence: float) -> Estimate:
    """Of the texts not flagged as written: share the target flags minus share the control word flags."""
    unflagged = ~_BEFORE
    if not cells[unflagged].sum():
        return Estimate(None, status="undefined", reason=_NONE_UNFLAGGED)
    gain = _AFTER.astype(float) - _CONTROL.astype(float)

    def beyond(counts: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.asarray((counts[..., unflagged] * gain[unflagged]).sum(axis=-1) / counts[..., unflagged].sum(axis=-1))

    low, high, method = _interval(beyond(replicates) if replicates is not None else None, confidence)
    return Estimate(float(beyond(cells)), low, high, method=method)
