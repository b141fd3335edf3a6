from __future__ import annotations

import numpy as np
import pytest

from ethicscheck.fairness import AssessSettings, assess, recount

CELLS = ("tn", "fp", "fn", "tp")


def _counts(result):
    overall = np.array([result.overall.counts[c] for c in CELLS])
    features = [np.array([[g.counts[c] for c in CELLS] for g in f.groups]) for f in result.features]
    return overall, features


def test_recount_of_the_same_counts_repeats_the_closed_form_analysis():
    rng = np.random.default_rng(3)
    n = 5000
    frame = {"g": rng.choice(list("abcd"), n), "h": rng.choice(["x", "y"], n)}
    result = assess(
        rng.random(n) < 0.3,
        rng.random(n) < 0.25,
        sensitive_features=frame,
        settings=AssessSettings(n_boot=0, min_group_size=20),
        intersections=[["g", "h"]],
    )
    again = recount(result, *_counts(result))
    for before, after in zip(result.features, again.features):
        assert before.reference == after.reference
        for g1, g2 in zip(before.groups, after.groups):
            assert g1.metrics == g2.metrics and g1.ratio == g2.ratio and g1.difference == g2.difference
    assert again.overall.metrics == result.overall.metrics


def test_recount_uses_the_new_counts():
    result = assess(
        [0, 0, 1, 1] * 50,
        [1, 0, 1, 0] * 50,
        sensitive_features={"g": ["a", "b"] * 100},
        settings=AssessSettings(n_boot=0, min_group_size=1),
    )
    overall, features = _counts(result)
    features[0][0] = [10, 90, 0, 100]  # group a: FPR 0.9
    again = recount(result, overall, features)
    assert again.feature("g").group("a").metrics["fpr"].value == pytest.approx(0.9)
    assert again.n_boot == 0 and "Newcombe" in again.methods["difference_ci"]


def test_recount_checks_shapes():
    result = assess([0, 1], [0, 1], sensitive_features={"g": ["a", "b"]}, settings=AssessSettings(n_boot=0, min_group_size=1))
    overall, features = _counts(result)
    with pytest.raises(ValueError, match="shape"):
        recount(result, overall, [features[0][:1]])
