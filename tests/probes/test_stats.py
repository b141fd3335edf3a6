"""Probe statistics against the references: statsmodels (McNemar, Holm) and scikit-learn (AUC), to 1e-12."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.multitest import multipletests

from ethicscheck.probes import delong_auc, identity_aucs, mcnemar_exact
from ethicscheck.probes._stats import SwapStats, SwapSummary, sign_test, swap_stats, with_holm


@pytest.mark.parametrize(("up", "down"), [(0, 0), (1, 0), (10, 2), (2, 10), (7, 7), (0, 25), (40, 31), (300, 251), (3, 1000)])
def test_mcnemar_matches_statsmodels_exact(up: int, down: int) -> None:
    reference = mcnemar([[50, up], [down, 20]], exact=True).pvalue
    assert mcnemar_exact(up, down) == pytest.approx(reference, abs=1e-12)


def _random_swap(rng: np.random.Generator, n: int, shift: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    base = rng.normal(size=n)
    return base > 1.0, base + shift + rng.normal(0, 0.3, n) > 1.0, base + rng.normal(0, 0.3, n) > 1.0


def test_flip_counts_and_holm_match_statsmodels() -> None:
    rng = np.random.default_rng(3)
    family = [swap_stats(*_random_swap(rng, 200, s), scores=None, confidence_level=0.95, n_boot=0, rng=rng) for s in (0, 0.1, 0.5, 1.0)]
    adjusted = with_holm(family, alpha=0.05)
    reference = multipletests([s.p_value for s in family], method="holm")[1]
    reference_control = multipletests([s.p_control for s in family], method="holm")[1]
    for stats, p, p_control in zip(adjusted, reference, reference_control):
        assert stats.p_holm == pytest.approx(p, abs=1e-12)
        assert stats.p_control_holm == pytest.approx(p_control, abs=1e-12)
        assert stats.finding == ("higher" if p_control < 0.05 else None)
    assert adjusted[0].finding is None and adjusted[-1].finding == "higher"


def test_swap_stats_counts_and_intervals() -> None:
    before = np.tile(np.array([0, 0, 0, 0, 1, 1, 0, 0], dtype=bool), 5)
    after = np.tile(np.array([1, 1, 0, 0, 1, 0, 0, 1], dtype=bool), 5)
    control = np.tile(np.array([0, 1, 0, 0, 1, 1, 0, 0], dtype=bool), 5)
    scores = (np.zeros(40), np.full(40, 0.25), np.full(40, 0.125))
    stats = swap_stats(before, after, control, scores=scores, confidence_level=0.95, n_boot=500, rng=np.random.default_rng(0))
    assert (stats.flips_up.numerator, stats.flips_up.denominator) == (15, 30)
    assert (stats.flips_down.numerator, stats.flips_down.denominator) == (5, 10)
    assert stats.flag_ratio.value == pytest.approx(4 / 2)
    assert stats.flip_rate_beyond_control.value == pytest.approx((3 - 1) / 6)
    assert stats.score_delta is not None and stats.score_delta.value == pytest.approx(0.25)
    assert stats.score_delta_beyond_control is not None and stats.score_delta_beyond_control.value == pytest.approx(0.125)
    for estimate in (stats.flag_ratio, stats.flip_rate_beyond_control, stats.flips_up):
        assert estimate.ci_low is not None and estimate.ci_high is not None
        assert estimate.ci_low <= estimate.value <= estimate.ci_high  # type: ignore[operator]


def test_nothing_flagged_as_written_leaves_the_ratio_undefined() -> None:
    zeros = np.zeros(5, dtype=bool)
    stats = swap_stats(zeros, zeros | True, zeros, scores=None, confidence_level=0.95, n_boot=50, rng=np.random.default_rng(0))
    assert stats.flag_ratio.value is None and stats.flag_ratio.status == "undefined"
    assert stats.flips_down.status == "undefined"
    assert stats.flips_up.value == 1.0


def test_delong_auc_matches_sklearn_and_brute_force_variance() -> None:
    rng = np.random.default_rng(1)
    positive, negative = np.round(rng.normal(1, 1, 60), 1), np.round(rng.normal(0, 1, 90), 1)  # rounded: ties
    auc, variance = delong_auc(positive, negative)
    labels = np.r_[np.ones(60), np.zeros(90)]
    assert auc == pytest.approx(roc_auc_score(labels, np.r_[positive, negative]), abs=1e-12)
    psi = (positive[:, None] > negative[None, :]) + 0.5 * (positive[:, None] == negative[None, :])
    assert variance == pytest.approx(psi.mean(1).var(ddof=1) / 60 + psi.mean(0).var(ddof=1) / 90, abs=1e-12)


def test_identity_aucs_follow_borkan_definitions() -> None:
    rng = np.random.default_rng(2)
    n = 400
    y = rng.random(n) < 0.3
    mentions = rng.random(n) < 0.25
    scores = rng.normal(size=n) + y + 0.4 * mentions
    aucs = identity_aucs("t", "T", scores, y, mentions, confidence_level=0.95, min_texts=5)

    def sk(mask: np.ndarray) -> float:
        return float(roc_auc_score(y[mask], scores[mask]))

    assert aucs.subgroup_auc.value == pytest.approx(sk(mentions), abs=1e-12)
    assert aucs.bpsn_auc.value == pytest.approx(sk((~mentions & y) | (mentions & ~y)), abs=1e-12)
    assert aucs.bnsp_auc.value == pytest.approx(sk((~mentions & ~y) | (mentions & y)), abs=1e-12)
    assert aucs.bpsn_auc.value < aucs.bnsp_auc.value  # mentioning the term raises the score
    assert aucs.n_mentioning == mentions.sum()


def test_identity_auc_without_positive_mentions_is_undefined() -> None:
    y = np.array([1, 1, 0, 0, 0], dtype=bool)
    mentions = np.array([0, 0, 1, 1, 0], dtype=bool)
    aucs = identity_aucs("t", "T", np.arange(5.0), y, mentions, confidence_level=0.95, min_texts=1)
    assert aucs.subgroup_auc.value is None and "no positive texts that mention the term" in (aucs.subgroup_auc.reason or "")
    assert aucs.bpsn_auc.value is not None
    small = identity_aucs("t", "T", np.arange(5.0), y, mentions, confidence_level=0.95, min_texts=3)
    assert small.bpsn_auc.status == "insufficient_data"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sign_test_matches_statsmodels(seed: int) -> None:
    from statsmodels.stats.descriptivestats import sign_test as reference

    rng = np.random.default_rng(seed)
    differences = np.round(rng.normal(0.1 * seed, 1.0, size=40 + 13 * seed), 1)  # rounding makes ties at zero
    assert sign_test(differences) == pytest.approx(reference(differences, 0.0)[1], abs=1e-12)
    assert sign_test(np.zeros(10)) == 1.0
    assert sign_test(np.full(10, 1e-15)) == 1.0  # last-bit noise is a tie


def test_score_findings_need_the_holm_corrected_sign_test_and_a_clear_mean() -> None:
    rng = np.random.default_rng(5)
    n = 120
    before = after = control = np.zeros(n, dtype=bool)
    base = rng.normal(size=n)

    def stats(shift: np.ndarray) -> SwapStats:
        scores = (base, base + shift, base)
        return swap_stats(before, after, control, scores=scores, confidence_level=0.95, n_boot=400, rng=rng)

    family = [
        stats(np.full(n, 0.02)),  # every text up: a finding
        stats(np.zeros(n)),  # nothing moves
        stats(np.where(np.arange(n) % 3 == 0, -0.02, 0.01)),  # two in three up, mean zero: no finding
        stats(rng.normal(-0.5, 0.1, n)),  # down
    ]
    reference = multipletests([s.sign_test_vs_control.p_value for s in family], method="holm")[1]  # type: ignore[union-attr]
    adjusted = with_holm(family, alpha=0.05)
    assert [s.sign_test_vs_control.p_holm for s in adjusted] == pytest.approx(list(reference), abs=1e-12)  # type: ignore[union-attr]
    assert [s.score_finding for s in adjusted] == ["higher", None, None, "lower"]
    assert all(s.finding is None for s in adjusted)  # no decision changed
    summary = SwapSummary.of(adjusted[0])
    assert summary.score_finding == "higher" and summary.p_score_control_holm == adjusted[0].sign_test_vs_control.p_holm  # type: ignore[union-attr]
    assert SwapStats.from_dict(adjusted[3].to_dict()) == adjusted[3]
    assert SwapSummary.from_dict(summary.to_dict()) == summary
