"""A scan's redacted examples are the same whatever order, batches or partitions its rows come in."""

from __future__ import annotations

import pandas as pd
import pytest

from ethicscheck.fairness import encode_feature
from ethicscheck.privacy import DEFAULT_ENTITIES, ScanOptions, merge_scans, scan_texts
from ethicscheck.privacy._examples import ExampleSample, smallest_examples, text_key
from ethicscheck.synth import generate_ads

OPTIONS = ScanOptions(entities=DEFAULT_ENTITIES, phone_regions=("US",), examples=3)


def test_a_sample_keeps_the_smallest_distinct_keys_and_redacts_only_those():
    sample, made = ExampleSample(2), []

    def make(name: str):
        return lambda: made.append(name) or name

    for key, name in [((9, 0), "i"), ((4, 0), "d"), ((4, 0), "d again"), ((7, 1), "g"), ((1, 0), "a"), ((8, 0), "h")]:
        sample.offer(key, make(name))
    assert sample.chosen() == (((1, 0), (4, 0)), ("a", "d"))
    assert made == ["i", "d", "g", "a"]  # a repeated key and one above the two smallest are never redacted
    assert ExampleSample(0).chosen() == ((), ())
    assert smallest_examples([((5, 0), "e"), ((2, 1), "b"), ((5, 0), "e")], 5) == (((2, 1), (5, 0)), ("b", "e"))


def test_text_keys_are_seeded_and_do_not_depend_on_the_process():
    assert text_key("call 212-555-0143", 0) == 8_786_374_796_484_896_733
    assert text_key("call 212-555-0143", 1) != text_key("call 212-555-0143", 0) != text_key("call 212-555-0144", 0)


@pytest.fixture(scope="module")
def ads():
    ads = generate_ads(200, seed=9)
    return pd.concat([ads, ads.head(30)], ignore_index=True)  # re-posted ads: one example per text, not per copy


def _groups(frame: pd.DataFrame) -> list:
    return [encode_feature(frame["nationality"], name="nationality")]


@pytest.fixture(scope="module")
def whole(ads):
    return scan_texts(ads, ["text"], OPTIONS, groups=_groups(ads), seed=5)


@pytest.mark.parametrize("cuts", [(0, 50, 190, 230), (0, 1, 229, 230)], ids=["unequal", "tiny-ends"])
def test_parts_scanned_in_any_order_merge_into_the_whole_scan(ads, whole, cuts):
    labels = {"nationality": list(_groups(ads)[0].labels)}
    parts = [ads.iloc[a:b].reset_index(drop=True) for a, b in zip(cuts, cuts[1:])]
    scans = [scan_texts(part, ["text"], OPTIONS, groups=_groups(part), seed=5) for part in reversed(parts)]
    merged = merge_scans(scans, examples=OPTIONS.examples, group_order=labels, sampled=False)
    assert merged.to_dict() == whole.to_dict()


def test_the_seed_picks_the_examples_and_a_repeated_text_shows_once(ads, whole):
    shown = [e.examples for e in whole.columns[0].entities if e.findings]
    assert shown and all(len(set(examples)) == len(examples) for examples in shown)
    assert whole.to_dict() != scan_texts(ads, ["text"], OPTIONS, groups=_groups(ads), seed=6).to_dict()
