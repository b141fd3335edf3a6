from __future__ import annotations

import numpy as np
import pytest

from ethicscheck.compare import attack_metrics, loss_attack
from ethicscheck.errors import EthicsCheckDeprecationWarning


def test_perfect_separation():
    result = attack_metrics("x", np.linspace(1, 2, 10_000), np.linspace(-2, -1, 10_000), n_boot=50)
    assert [result.figure(f).value for f in ("auc", "advantage", "tpr_at_1pct_fpr", "tpr_at_01pct_fpr")] == [1.0, 1.0, 1.0, 1.0]
    assert result.leaks and result.auc.ci_low == 1.0


def test_no_signal_is_near_a_coin_and_its_intervals_include_chance():
    rng = np.random.default_rng(0)
    result = attack_metrics("x", rng.random(5000), rng.random(5000), n_boot=300)
    assert result.auc.value == pytest.approx(0.5, abs=0.02) and result.advantage.value < 0.05
    assert result.auc.ci_low < 0.5 < result.auc.ci_high and result.advantage.ci_low == 0.0 and not result.leaks


def test_auc_equals_scikit_learn_with_ties():
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(1)
    members, nonmembers = rng.normal(0.3, 1, 3000).round(1), rng.normal(0, 1, 4000).round(1)
    truth = np.r_[np.ones(3000), np.zeros(4000)]
    assert attack_metrics("x", members, nonmembers, n_boot=0).auc.value == pytest.approx(
        roc_auc_score(truth, np.r_[members, nonmembers]), abs=1e-12
    )


@pytest.mark.parametrize(
    ("members", "nonmembers", "expected"),
    [
        # 1,000 non-members, two of them above every member: at 1% FPR (10 false positives) 300 of 1,000 members are caught
        (np.r_[np.full(300, 5.0), np.full(700, -2000.0)], np.r_[10.0, 9.0, -np.arange(1, 999)], 0.3),
        # every score tied: the ROC curve is the diagonal, so TPR at 1% FPR is 1% (not 0, as a strict threshold would say)
        (np.zeros(2000), np.zeros(2000), 0.01),
        # half the members tied with the top 2% of non-members: interpolating within the tie gives 0.5 * (1% / 2%)
        (np.r_[np.full(1000, 1.0), np.zeros(1000)], np.r_[np.full(40, 1.0), np.full(1960, -1.0)], 0.25),
    ],
)
def test_tpr_at_1pct_fpr_interpolates_within_tied_scores(members, nonmembers, expected):
    assert attack_metrics("x", members, nonmembers, n_boot=0).tpr_at_1pct_fpr.value == pytest.approx(expected)


@pytest.mark.parametrize(
    ("nonmembers", "resolvable_1pct", "resolvable_01pct"), [(999, False, False), (1000, True, False), (10_000, True, True)]
)
def test_tpr_at_an_fpr_the_nonmember_count_cannot_resolve_is_not_reported(nonmembers, resolvable_1pct, resolvable_01pct):
    rng = np.random.default_rng(2)
    result = attack_metrics("x", rng.random(500), rng.random(nonmembers), n_boot=0)
    for estimate, resolvable, needed in (
        (result.tpr_at_1pct_fpr, resolvable_1pct, "1,000"),
        (result.tpr_at_01pct_fpr, resolvable_01pct, "10,000"),
    ):
        assert (estimate.value is not None) == resolvable
        if not resolvable:
            assert estimate.status == "insufficient_data" and f"needs at least {needed}" in estimate.reason


def test_loss_attack_prefers_confidently_right_rows():
    y = np.array([True, False] * 200)
    members = np.where(y, 0.99, 0.01)
    nonmembers = np.where(y, 0.6, 0.4)
    assert loss_attack(members, y, nonmembers, y, n_boot=0).auc.value == 1.0


@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("attack_metrics", lambda m, n, **k: attack_metrics("x", m, n, n_boot=200, **k)),
        ("loss_attack", lambda m, n, **k: loss_attack(m, np.ones(len(m)), n, np.ones(len(n)), n_boot=200, **k)),
    ],
)
def test_confidence_is_the_old_spelling_of_confidence_level(name, call):
    rng = np.random.default_rng(3)
    members, nonmembers = rng.random(300), rng.random(300) * 0.9
    new = call(members, nonmembers, confidence_level=0.8)
    with pytest.warns(EthicsCheckDeprecationWarning, match=rf"{name}\(confidence=\.\.\.\) is deprecated; pass confidence_level="):
        old = call(members, nonmembers, confidence=0.8)
    assert old == new
    assert call(members, nonmembers) == call(members, nonmembers, confidence_level=0.95) != new
