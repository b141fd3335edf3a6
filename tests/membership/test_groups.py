from __future__ import annotations

import numpy as np
import pytest

from ethicscheck.membership import GroupedRisk, risk_by_group


def _scores(rng: np.random.Generator, shifts: dict[str, float], sizes: dict[str, int]):
    groups = np.repeat(list(sizes), list(sizes.values()))
    members = np.array([rng.normal(shifts[g]) for g in groups])
    return members, rng.normal(size=len(groups)), groups, groups.copy()


def test_group_auc_is_scikit_learns_on_the_groups_rows():
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(3)
    members, nonmembers, g_in, g_out = _scores(rng, {"a": 0.2, "b": 0.8}, {"a": 300, "b": 200})
    members = members.round(1)  # ties
    risk = risk_by_group("loss", members, nonmembers, g_in, g_out, feature="f", n_boot=0)
    for name in ("a", "b"):
        scores = np.r_[members[g_in == name], nonmembers[g_out == name]]
        truth = np.r_[np.ones((g_in == name).sum()), np.zeros((g_out == name).sum())]
        assert risk.group(name).figures.auc.value == pytest.approx(roc_auc_score(truth, scores), abs=1e-12)
    everyone = roc_auc_score(np.r_[np.ones(500), np.zeros(500)], np.r_[members, nonmembers])
    assert risk.overall_auc == pytest.approx(everyone, abs=1e-12)
    assert risk.group("b").excess_auc.value == pytest.approx(risk.group("b").figures.auc.value - everyone, abs=1e-12)


def test_an_exposed_group_is_found_and_equal_groups_show_no_excess():
    rng = np.random.default_rng(4)
    sizes = {"a": 200, "b": 200, "c": 200, "d": 100}
    exposed = risk_by_group("loss", *_scores(rng, {"a": 0.3, "b": 0.3, "c": 0.3, "d": 1.5}, sizes), feature="f", n_boot=400)
    assert exposed.worst.group == "d" and exposed.exceeds and exposed.worst.excess_auc.ci_low > 0
    assert "better in the f group 'd' than overall" in exposed.sentence()
    equal = risk_by_group("loss", *_scores(rng, dict.fromkeys(sizes, 0.5), sizes), feature="f", n_boot=400)
    assert not equal.exceeds and all(g.excess_auc.ci_low <= 0 <= g.excess_auc.ci_high for g in equal.groups)
    assert "the interval includes 0" in equal.sentence()
    assert "simultaneous over 4 group(s)" in equal.groups[0].excess_auc.method


def test_small_groups_are_counted_not_named_and_the_result_round_trips():
    rng = np.random.default_rng(5)
    risk = risk_by_group("loss", *_scores(rng, {"big": 0.5, "tiny": 3.0}, {"big": 300, "tiny": 12}), feature="f", min_rows=30, n_boot=100)
    assert [g.group for g in risk.groups] == ["big"] and risk.not_estimated == 1
    data = risk.to_dict()
    assert "tiny" not in repr(data) and data["not_estimated"] == 1
    assert "1 group(s) are not shown: fewer than 30" in risk.sentence()
    assert GroupedRisk.from_dict(data) == risk


def test_same_seed_same_intervals():
    rng = np.random.default_rng(6)
    inputs = _scores(rng, {"a": 0.2, "b": 0.6}, {"a": 150, "b": 150})
    first, second = (risk_by_group("shadow", *inputs, feature="f", n_boot=200, seed=9) for _ in range(2))
    assert first == second
