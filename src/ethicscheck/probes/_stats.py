"""The statistics of a swap: flips both ways with the exact McNemar test, paired bootstrap intervals, Holm.

Every comparison is paired: the same text scored as written, with the target term swapped in, and with a
control word swapped in. ``before``, ``after`` and ``control`` are the decisions (and scores) of those three
versions, one entry per text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from ethicscheck._serialize import Serializable
from ethicscheck.fairness import Estimate, holm, percentile_interval, wilson_interval

__all__ = ["Direction", "PairedTest", "SwapStats", "SwapSummary", "mcnemar_exact", "sign_test", "swap_stats", "with_holm"]

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
class PairedTest(Serializable):
    """An exact two-sided test of paired outcomes: its p-value and the Holm-adjusted one over its family."""

    p_value: float
    p_holm: float = 1.0


@dataclass(frozen=True)
class SwapStats(Serializable):
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
    flag_ratio : Estimate
        Flagged with the target over flagged as written (paired bootstrap interval): "flagged 2.1 times as often".
    flip_rate_beyond_control : Estimate
        Share of not-flagged texts the target flags minus the share the control word flags (paired bootstrap);
        the gate metric ``swap.flip_rate``.
    mcnemar : PairedTest
        Exact McNemar test of as-written vs swapped decisions; Holm over the family (every target of the
        lexicon on this slice, or every pair).
    mcnemar_vs_control : PairedTest
        The same test of control-word vs target decisions: is the target's effect on decisions beyond the control's?
    score_delta, score_delta_beyond_control : Estimate or None
        Mean score change target minus as-written, and target minus control word (paired bootstrap); the latter
        is the gate metric ``swap.score_delta``. None for models without a score.
    sign_test_vs_control : PairedTest or None
        Exact sign test of the per-text score differences target minus control word (texts whose two scores are
        equal left out): does the target move scores beyond the control? None for models without a score.
    finding : {"higher", "lower"} or None
        Set when the target's decisions differ from the control's (Holm-adjusted McNemar p below alpha).
    score_finding : {"higher", "lower"} or None
        Set when the target's scores differ from the control's: the Holm-adjusted sign test p is below alpha and
        the interval of the mean score change beyond the control leaves zero out (its direction).
    """

    n_texts: int
    flagged_before: Estimate
    flagged_after: Estimate
    flagged_control: Estimate
    flips_up: Estimate
    flips_down: Estimate
    flag_ratio: Estimate
    flip_rate_beyond_control: Estimate
    mcnemar: PairedTest
    mcnemar_vs_control: PairedTest
    score_delta: Estimate | None = None
    score_delta_beyond_control: Estimate | None = None
    sign_test_vs_control: PairedTest | None = None
    finding: Direction | None = None
    score_finding: Direction | None = None

    @property
    def p_value(self) -> float:
        return self.mcnemar.p_value

    @property
    def p_holm(self) -> float:
        return self.mcnemar.p_holm

    @property
    def p_control(self) -> float:
        return self.mcnemar_vs_control.p_value

    @property
    def p_control_holm(self) -> float:
        return self.mcnemar_vs_control.p_holm


@dataclass(frozen=True)
class SwapSummary(Serializable):
    """What audit.json keeps of one (source, target) pair on one label slice: counts, the two figures the card
    quotes and the tests behind the findings (the pooled :class:`SwapStats` per target carry every interval).

    Attributes
    ----------
    n_texts : int
    flagged_before, flagged_after, flagged_control : int
        Texts flagged as written, with the target, with the control word.
    flips_up, flips_down : int
        Texts the swap newly flags, and newly un-flags.
    flag_ratio : Estimate
    score_delta_beyond_control : Estimate or None
    p_control_holm, p_score_control_holm : float or None
        Holm-adjusted p-values of the McNemar test (decisions) and the sign test (scores) against the control,
        over every pair of the lexicon on this slice.
    finding, score_finding : {"higher", "lower"} or None
    """

    n_texts: int
    flagged_before: int
    flagged_after: int
    flagged_control: int
    flips_up: int
    flips_down: int
    flag_ratio: Estimate
    score_delta_beyond_control: Estimate | None
    p_control_holm: float
    p_score_control_holm: float | None
    finding: Direction | None
    score_finding: Direction | None

    @classmethod
    def of(cls, stats: SwapStats) -> SwapSummary:
        """The summary of a pair's full statistics."""
        return cls(
            n_texts=stats.n_texts,
            flagged_before=stats.flagged_before.numerator or 0,
            flagged_after=stats.flagged_after.numerator or 0,
            flagged_control=stats.flagged_control.numerator or 0,
            flips_up=stats.flips_up.numerator or 0,
            flips_down=stats.flips_down.numerator or 0,
            flag_ratio=stats.flag_ratio,
            score_delta_beyond_control=stats.score_delta_beyond_control,
            p_control_holm=stats.p_control_holm,
            p_score_control_holm=None if stats.sign_test_vs_control is None else stats.sign_test_vs_control.p_holm,
            finding=stats.finding,
            score_finding=stats.score_finding,
        )


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
        flag_ratio=_flag_ratio(cells, replicates, confidence_level),
        flip_rate_beyond_control=_flip_rate_beyond_control(cells, replicates, confidence_level),
        mcnemar=PairedTest(mcnemar_exact(up, down)),
        mcnemar_vs_control=PairedTest(mcnemar_exact(up_control, down_control)),
    )
    if scores is None:
        return stats
    score_before, score_after, score_control = scores
    draws = rng.integers(0, n, size=(n_boot, n)) if n and n_boot else None
    beyond = score_after - score_control
    return replace(
        stats,
        score_delta=_paired_mean(score_after - score_before, draws, confidence_level),
        score_delta_beyond_control=_paired_mean(beyond, draws, confidence_level),
        sign_test_vs_control=PairedTest(sign_test(beyond, scale=np.maximum(np.abs(score_after), np.abs(score_control)))),
    )


def sign_test(differences: np.ndarray, *, scale: np.ndarray | float = 1.0) -> float:
    """Two-sided exact sign test of paired differences against a median of zero.

    Differences within ``1e-12 * max(1, scale)`` of zero count as ties and are left out (the same text scored in
    another batch may differ in the last bit); the rest are tested with :func:`mcnemar_exact`, which is the sign
    test of the discordant pairs.

    Examples
    --------
    >>> sign_test(np.array([0.2, 0.1, 0.3, 0.0, -0.1]))
    0.625
    """
    tie = 1e-12 * np.maximum(1.0, scale)
    return mcnemar_exact(int(np.sum(differences > tie)), int(np.sum(differences < -tie)))


def with_holm(family: list[SwapStats], *, alpha: float) -> list[SwapStats]:
    """The family's stats with Holm-adjusted p-values and findings (target vs control beyond ``alpha``).

    Three families, each adjusted on its own: as-written vs target decisions, control vs target decisions, and
    (score models) control vs target scores.
    """
    if not family:
        return family
    adjusted = holm([s.p_value for s in family])
    adjusted_control = holm([s.p_control for s in family])
    scored = [i for i, s in enumerate(family) if s.sign_test_vs_control is not None]
    adjusted_score = dict(zip(scored, holm([family[i].sign_test_vs_control.p_value for i in scored]))) if scored else {}  # type: ignore[union-attr]
    out = []
    for i, (stats, p, p_control) in enumerate(zip(family, adjusted, adjusted_control)):
        finding: Direction | None = None
        if p_control < alpha:
            after, control = stats.flagged_after.numerator or 0, stats.flagged_control.numerator or 0
            finding = "higher" if after > control else "lower"
        sign = stats.sign_test_vs_control
        score_finding: Direction | None = None
        if sign is not None and i in adjusted_score:
            sign = replace(sign, p_holm=float(adjusted_score[i]))
            delta = stats.score_delta_beyond_control
            if sign.p_holm < alpha and delta is not None and delta.value is not None:
                score_finding = _clear_direction(delta)
        out.append(
            replace(
                stats,
                mcnemar=replace(stats.mcnemar, p_holm=float(p)),
                mcnemar_vs_control=replace(stats.mcnemar_vs_control, p_holm=float(p_control)),
                sign_test_vs_control=sign,
                finding=finding,
                score_finding=score_finding,
            )
        )
    return out


def _clear_direction(delta: Estimate) -> Direction | None:
    """The mean's direction when its interval leaves zero out (or there is no interval), else None: scores moved
    one way more often, yet on average they did not clearly move."""
    if delta.value is None or delta.value == 0:
        return None
    if delta.ci_low is not None and delta.ci_high is not None and delta.ci_low <= 0 <= delta.ci_high:
        return None
    return "higher" if delta.value > 0 else "lower"


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
