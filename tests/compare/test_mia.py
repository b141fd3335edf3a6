from __future__ import annotations

import numpy as np
import pytest

from ethicscheck.compare import attack_metrics, loss_attack


def test_perfect_separation():
    result = attack_metrics("x", np.linspace(1, 2, 500), np.linspace(-2, -1, 500))
    assert result.auc == 1.0 and result.advantage == 1.0 and result.tpr_at_1pct_fpr == 1.0 and result.tpr_at_01pct_fpr == 1.0


def test_no_signal_is_near_a_coin():
    rng = np.random.default_rng(0)
    result = attack_metrics("x", rng.random(5000), rng.random(5000))
    assert result.auc == pytest.approx(0.5, abs=0.02) and result.advantage < 0.05 and result.tpr_at_1pct_fpr < 0.03


def test_tpr_at_low_fpr_reads_the_roc_curve():
    nonmembers = np.r_[10.0, 9.0, -np.arange(1, 999)]  # 1000 rows, two above every member
    members = np.r_[np.full(300, 5.0), np.full(700, -2000.0)]
    result = attack_metrics("x", members, nonmembers)
    assert result.tpr_at_01pct_fpr == 0.0  # 0.1% FPR allows one false positive: no member is above 9
    assert result.tpr_at_1pct_fpr == pytest.approx(0.3)  # two false positives (0.2%) catch 300 of 1000


def test_loss_attack_prefers_confidently_right_rows():
    y = np.array([True, False] * 200)
    members = np.where(y, 0.99, 0.01)
    nonmembers = np.where(y, 0.6, 0.4)
    assert loss_attack(members, y, nonmembers, y).auc == 1.0
