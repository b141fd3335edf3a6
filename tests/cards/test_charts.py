from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from ethicscheck.cards._charts import MAX_ROWS, forest_chart, pii_chart, rate_chart, threshold_chart
from ethicscheck.fairness import AssessSettings, assess

SVG = "{http://www.w3.org/2000/svg}"


def _feature(groups, *, scores=False, n=3000, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.random(n) < 0.3
    g = rng.choice(groups, n)
    pred = rng.random(n) < np.where(g == groups[-1], 0.4, 0.15)
    score = np.clip(pred * 0.5 + rng.random(n) * 0.5, 0, 1) if scores else None
    return assess(y, pred, sensitive_features={"group": g}, settings=AssessSettings(n_boot=50, min_group_size=30), y_score=score).features[
        0
    ]


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg.encode())
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_rate_chart_draws_every_group_as_literal_text():
    names = ["$5 & up", "<script>x</script>", "Ελλάδα", "plain"]
    chart = rate_chart(_feature(names), noun="ads", confidence="95%")
    texts = _texts(chart.svg)
    for name in names:
        assert any(name in t for t in texts), name
    assert "<script>" not in chart.svg and "mathdefault" not in chart.svg
    assert "Highest false-positive rate" in chart.description


def test_chart_bytes_are_deterministic():
    feature = _feature(["a", "b", "c"])
    assert rate_chart(feature, noun="ads", confidence="95%").svg == rate_chart(feature, noun="ads", confidence="95%").svg


def test_forest_chart_is_log_scaled_with_plain_tick_labels_and_the_band():
    chart = forest_chart(_feature(["a", "b", "c"]), band=(0.8, 1.25), confidence="95%")
    assert chart is not None
    texts = _texts(chart.svg)
    assert any(t.endswith("×") for t in texts) and not any("mathdefault" in t for t in texts)
    assert "parity band 0.8–1.25" in texts
    assert "Groups clearly above the band for false positives: c." in chart.description


def test_forest_chart_needs_a_comparison():
    single = assess(
        [0, 1, 0, 1], [0, 1, 1, 1], sensitive_features={"g": ["a"] * 4}, settings=AssessSettings(n_boot=0, min_group_size=1)
    ).features[0]
    assert forest_chart(single, band=(0.8, 1.25), confidence="95%") is None


def test_threshold_chart_only_with_scores():
    assert threshold_chart(_feature(["a", "b"]), noun="ads") is None
    chart = threshold_chart(_feature(["a", "b"], scores=True), noun="ads")
    assert chart is not None and "dotted line" in chart.description


def test_threshold_chart_labels_the_operating_threshold_apart_from_the_target_fpr_point():
    """Readers took the 1%-FPR point for the threshold in use: both are labelled on the chart itself."""
    feature = _feature(["a", "b"], scores=True)
    chart = threshold_chart(feature, noun="ads", decision_threshold=0.4)
    texts = " ".join(_texts(chart.svg))
    assert texts.count("operating threshold") == 2 and texts.count("0.4 (in use)") == 2  # one per panel
    comparison = f"{feature.thresholds.operating_threshold:.2f} (not in use)"
    assert texts.count("1% overall FPR at") == 2 and texts.count(comparison) == 2
    assert "the solid line is the operating threshold the model is audited at (0.4)" in chart.description
    assert "for comparison only" in chart.description
    without = " ".join(_texts(threshold_chart(feature, noun="ads").svg))
    assert "operating threshold" not in without and "(not in use)" in without


def test_huge_category_counts_are_capped_and_said():
    names = [f"g{i:03d}" for i in range(120)]
    chart = rate_chart(_feature(names, n=40_000), noun="ads", confidence="95%")
    texts = _texts(chart.svg)
    assert sum(bool(re.fullmatch(r"g\d{3}( \(ref\.\))?", t)) for t in texts) == MAX_ROWS
    assert f"{120 - MAX_ROWS} more groups in the table" in texts


def test_inline_charts_never_share_an_id():
    feature = _feature(["a", "b", "c"])
    a = rate_chart(feature, noun="ads", confidence="95%").inline("c1")
    b = rate_chart(feature, noun="ads", confidence="95%").inline("c2")
    ids = re.findall(r'\bid="([^"]+)"', a + b)
    assert len(ids) == len(set(ids)) > 2
    assert a.startswith('<svg role="img" aria-labelledby="c1-title c1-desc"') and "<?xml" not in a and "<metadata" not in a
    refs = re.findall(r"url\(#([^)]+)\)", a)
    assert refs and all(r.startswith("c1-") for r in refs)


def test_pii_chart_skips_an_empty_scan():
    assert pii_chart(None, noun="ads") is None


@pytest.mark.parametrize("band", [(0.5, 2.0), (0.9, 1.1)])
def test_parity_band_follows_the_config(band):
    chart = forest_chart(_feature(["a", "b", "c"]), band=band, confidence="95%")
    assert f"parity band {band[0]:g}–{band[1]:g}" in _texts(chart.svg)


def test_forest_chart_has_no_empty_rows():
    """A group whose rates give no ratio a log scale can draw (a rate of 0) gets no row, and the description says so."""
    rng = np.random.default_rng(1)
    groups = np.repeat(["ref", "zero", "some"], 400)
    y = rng.random(1200) < 0.3
    y[groups == "zero"] = np.arange(400) < 10  # too few positives for a missed-case rate
    pred = (rng.random(1200) < 0.2) & ~((groups == "zero") & ~y)  # and never wrongly flagged: a ratio of 0
    feature = assess(
        y, pred, sensitive_features={"g": groups}, settings=AssessSettings(n_boot=50, min_group_size=30), reference={"g": "ref"}
    ).features[0]
    chart = forest_chart(feature, band=(0.8, 1.25), confidence="95%")
    texts = _texts(chart.svg)
    assert "some" in texts and "zero" not in texts
    assert "1 group(s) have no ratio a log scale can show" in chart.description


def test_interval_chart_rows_crosses_and_legend():
    from ethicscheck.cards._charts import interval_chart
    from ethicscheck.fairness import Estimate

    svg = interval_chart(
        ["Nepali", "<b>"],
        [Estimate(0.2, 0.1, 0.3), Estimate(0.0, 0.0, 0.05)],
        title="Newly flagged when the term is swapped in",
        colour="#D55E00",
        crosses=[0.05, None],
        legend=("newly flagged with the term", "with a neutral word instead"),
    )
    texts = _texts(svg)
    assert {"Nepali", "<b>", "newly flagged with the term", "with a neutral word instead"} <= set(texts)
    assert svg.count("<circle") == 3 and svg.count('stroke="#7a7a7a" stroke-width="1.2"') == 4  # 2 dots + legend; 1 cross + legend
