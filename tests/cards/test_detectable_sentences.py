"""What a "no finding" is worth: every group without a finding carries the disparity the audit could have detected."""

from __future__ import annotations

import re

import numpy as np

from ethicscheck.cards import detectable_sentences
from ethicscheck.config import OutcomeWords
from ethicscheck.fairness import AssessSettings, FairnessResult, assess


def audit(seed: int = 0) -> FairnessResult:
    """Reference 'a' (30,000 ads); 'b' without disparity; 'worse' flagged 3x as often; 'tiny' too small to compare."""
    rng = np.random.default_rng(seed)
    sizes = {"a": 30000, "b": 600, "worse": 800, "tiny": 15}
    groups = np.concatenate([[g] * n for g, n in sizes.items()])
    y = rng.random(len(groups)) < 0.2
    fpr = np.where(groups == "worse", 0.15, 0.05)
    pred = np.where(y, rng.random(len(groups)) < 0.8, rng.random(len(groups)) < fpr)
    return assess(y, pred, sensitive_features={"g": groups}, settings=AssessSettings(n_boot=300, seed=seed), reference={"g": "a"})


def test_every_no_finding_carries_its_detectable_disparity():
    feature = audit().feature("g")
    said = detectable_sentences(feature, "ads")
    b = feature.group("b")
    assert b.ratio["fpr"].ci_low <= 1 <= b.ratio["fpr"].ci_high  # no finding for 'b'...
    (sentence,) = [s for s in said if "“b”" in s]
    ratio = f"{b.detectable['fpr'].ratio:.2f}" if b.detectable["fpr"].ratio < 1.95 else f"{b.detectable['fpr'].ratio:.1f}"
    assert sentence.startswith(f"For ads with g “b”, this audit could only have detected a false-positive rate {ratio} times")
    assert sentence.endswith("the reference's or more (80% power).")


def test_a_finding_is_not_called_a_no_finding():
    feature = audit().feature("g")
    worse = feature.group("worse")
    assert worse.ratio["fpr"].ci_low > 1
    assert not any("“worse”" in s and "false-positive rate" in s for s in detectable_sentences(feature, "ads"))


def test_a_group_too_small_to_compare_is_told_how_many_it_needs():
    feature = audit().feature("g")
    (sentence,) = [s for s in detectable_sentences(feature, "ads", OutcomeWords()) if "“tiny”" in s and "false-positive" in s]
    match = re.search(
        r"too few to compare the false-positive rate \((\d+) ads that are not trafficking-related\): this audit would need about ([\d,]+)",
        sentence,
    )
    assert match, sentence
    needed = feature.group("tiny").needed["fpr"]
    assert int(match.group(1)) == feature.group("tiny").metrics["fpr"].denominator
    assert int(match.group(2).replace(",", "")) >= needed.n
    assert sentence.endswith("to detect a 1.25x difference.")


def test_when_the_reference_is_too_small_too_it_is_asked_to_grow_with_the_group():
    rng = np.random.default_rng(1)
    groups = np.array(["a"] * 400 + ["tiny"] * 10)
    y = rng.random(len(groups)) < 0.2
    feature = assess(y, rng.random(len(groups)) < 0.05, sensitive_features={"g": groups}, settings=AssessSettings(n_boot=0)).feature("g")
    (sentence,) = [s for s in detectable_sentences(feature, "ads") if "false-positive" in s]
    needed = feature.group("tiny").needed["fpr"]
    assert needed.n == needed.reference_needed > needed.reference_n
    assert f"from this group, and as many in the reference group (it has {needed.reference_n:,}), to detect a 1.25x difference" in sentence


def test_the_reference_group_gets_no_sentence():
    assert not any("“a”" in s for s in detectable_sentences(audit().feature("g"), "ads"))


def test_on_the_demo_every_no_finding_carries_its_detectable_disparity():
    """The golden demo audit (tests/golden): each group compared without a finding is given its detectable ratio."""
    import json
    from pathlib import Path

    golden = json.loads((Path(__file__).parents[1] / "golden" / "demo_audit.json").read_text())
    fairness = FairnessResult.from_dict(golden["fairness"])
    checked = 0
    for feature in fairness.features:
        said = detectable_sentences(feature, "ads")
        for group in feature.groups:
            ratio = group.ratio.get("fpr")
            if group.is_reference or ratio is None or not ratio.usable or not ratio.ci_low <= 1 <= ratio.ci_high:
                continue
            times = f"false-positive rate {group.detectable['fpr'].ratio:.{1 if group.detectable['fpr'].ratio >= 1.95 else 2}f} times"
            assert any(f"“{group.group}”" in s and times in s for s in said), group.group
            checked += 1
    assert checked >= 10
