"""An intersection's section shows the groups with enough data to compare; the rest are counted in one line."""

from __future__ import annotations

import numpy as np

from ethicscheck.cards._sections import section_view
from ethicscheck.fairness import AssessSettings, assess


def _intersection(scores=False):
    """Two features whose intersection has groups of every kind: big, few positives, few negatives."""
    rng = np.random.default_rng(3)
    rows = []
    # (a, b, negatives, positives): enough of both; few positives; few negatives; enough of both
    for a, b, neg, pos in (("x", "p", 400, 200), ("x", "q", 300, 10), ("y", "p", 12, 300), ("y", "q", 250, 150)):
        rows += [(a, b, 0)] * neg + [(a, b, 1)] * pos
    a, b, y = (np.array(c) for c in zip(*rows))
    pred = rng.random(len(y)) < np.where(y == 1, 0.7, 0.1)
    score = np.clip(pred * 0.5 + rng.random(len(y)) * 0.5, 0, 1) if scores else None
    result = assess(
        y,
        pred,
        sensitive_features={"a": a, "b": b},
        settings=AssessSettings(n_boot=20, min_group_size=30),
        intersections=[("a", "b")],
        y_score=score,
    )
    return next(f for f in result.features if f.is_intersection)


def test_groups_without_both_error_rates_are_counted_not_shown():
    feature = _intersection(scores=True)
    view = section_view(feature)
    shown = {g.group for g in view.feature.groups}
    assert shown == {"x & p", "y & q"} | {feature.reference}
    assert view.left_out == len(feature.groups) - len(shown) == 2
    assert {c.group for c in view.feature.thresholds.groups} <= shown
    assert view.note("ads", 30).startswith("2 more intersections have too little data to compare (fewer than 30 ads")


def test_a_group_named_by_a_finding_keeps_its_row():
    view = section_view(_intersection(), named={"x & q"})
    assert "x & q" in {g.group for g in view.feature.groups} and view.left_out == 1
    assert view.note("ads", 30).startswith("1 more intersection has too little data")


def test_single_features_are_shown_whole():
    rng = np.random.default_rng(0)
    y, pred = rng.random(300) < 0.3, rng.random(300) < 0.2
    feature = assess(
        y, pred, sensitive_features={"g": np.array(["big"] * 280 + ["tiny"] * 20)}, settings=AssessSettings(n_boot=0)
    ).features[0]
    view = section_view(feature)
    assert view.feature is feature and view.left_out == 0 and view.note("ads", 30) == ""
