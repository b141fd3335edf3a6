"""What the plain-language findings say: reference-independent spreads, both directions, outcome words."""

from __future__ import annotations

import re
from types import SimpleNamespace

import numpy as np
import pytest

from ethicscheck.cards import findings, reference_sentence
from ethicscheck.config import OutcomeWords
from ethicscheck.fairness import AssessSettings, assess


def audit_of(reference: dict[str, str] | None, seed: int = 0, n: int = 6000):
    """Groups where the largest one ('a') is wrongly flagged most and 'b' least; 'b' is missed least."""
    rng = np.random.default_rng(seed)
    groups = rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2])
    region = rng.choice(["north", "south"], n)
    y = rng.random(n) < 0.3
    fpr = np.select([groups == "a", groups == "b"], [0.19, 0.10], 0.14)
    pred = np.where(y, rng.random(n) < np.where(groups == "b", 0.85, 0.7), rng.random(n) < fpr)
    fairness = assess(
        y,
        pred,
        sensitive_features={"g": groups, "region": region},
        settings=AssessSettings(n_boot=0),
        reference=reference,
        intersections="none",
    )
    return SimpleNamespace(fairness=fairness)


def texts(result, words=None) -> list[str]:
    return [f.text for f in findings(result, "ads", words)]


def test_a_gap_is_a_finding_when_the_reference_is_the_worst_off_group():
    """Issue 14: with the largest group as reference and also the most flagged, the card had no finding."""
    result = audit_of(None)
    assert result.fairness.feature("g").reference == "a"
    said = texts(result)
    spread = [t for t in said if "most often" in t and "wrongly flagged" in t]
    assert len(spread) == 1
    assert re.match(
        r"Ads with g “a” are wrongly flagged most often and those with “b” least often: 1\d\.\d% vs \d+\.\d%, \d\.\d times as often",
        spread[0],
    )
    assert "allowing for comparing every pair of g groups" in spread[0]
    missed = [t for t in said if "missed most often" in t]
    assert len(missed) == 1 and missed[0].startswith("Trafficking-related ads with g “") and "least often" in missed[0]


def test_findings_relative_to_the_reference_go_both_ways():
    said = texts(audit_of(None))
    below = [t for t in said if "as often as the reference group “a”" in t]
    # 'c' is wrongly flagged less often than the reference 'a': a finding, "0.7x times as often"
    assert any(re.search(r"“c” are wrongly flagged 0\.\d\d times as often as the reference group “a”", t) for t in below)
    # 'b' vs 'a' is already the feature's spread finding: not said twice
    assert not any("“b” are wrongly flagged" in t and "reference" in t for t in said)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_swapping_references_leaves_the_significant_spreads_reported_unchanged(seed):
    spreads = []
    for reference in (None, {"g": "a"}, {"g": "b"}, {"g": "c"}, {"g": "lowest", "region": "lowest"}, {"region": "south"}):
        said = texts(audit_of(reference, seed))
        spreads.append({t for t in said if "most often" in t})
    assert spreads[0] and all(s == spreads[0] for s in spreads)


def test_no_spread_finding_without_a_significant_difference():
    rng = np.random.default_rng(5)
    n = 3000
    y, pred = rng.random(n) < 0.3, rng.random(n) < 0.2
    result = SimpleNamespace(
        fairness=assess(y, pred, sensitive_features={"g": rng.choice(["x", "y"], n)}, settings=AssessSettings(n_boot=0))
    )
    said = texts(result)
    assert not any("most often" in t for t in said)
    assert said[0].startswith("No group is clearly wrongly flagged or missed more or less often than another")


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        (None, "“a”, the largest group (the default)"),
        ({"g": "c"}, "“c”, chosen in the audit's configuration"),
        ({"g": "lowest"}, "“b”, the group wrongly flagged least often (`reference: lowest`)"),
    ],
)
def test_the_card_says_how_the_reference_was_chosen(reference, expected):
    assert reference_sentence(audit_of(reference).fairness.feature("g")) == expected


TRANSACTIONS = OutcomeWords(positive="suspicious", negative="legitimate", flagged="alerted on", missed="let through")


def test_findings_use_the_configured_outcome_words_and_no_default_word():
    said = " ".join(texts(audit_of(None), TRANSACTIONS)) + reference_sentence(audit_of({"g": "lowest"}).fairness.feature("g"), TRANSACTIONS)
    assert "wrongly alerted on most often" in said and "Suspicious ads with g" in said and "let through most often" in said
    assert "legitimate" in said
    for default in ("trafficking", "flagged", "missed"):
        assert default not in said.lower()


def test_a_spread_naming_a_group_left_out_of_the_published_card_is_not_published():
    from ethicscheck.cards._publish import _without

    feature = audit_of(None).fairness.feature("g")
    assert feature.spread_tests["fpr"].lowest == "b"
    public = _without(feature, {"b"})
    assert all("b" not in (t.highest, t.lowest) for t in public.spread_tests.values())
    assert _without(feature, {"c"}).spread_tests["fpr"] == feature.spread_tests["fpr"]
