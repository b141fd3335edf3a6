"""The self-scan's one-pass search finds exactly the input values that one substring search per value finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ethicscheck.privacy import scan_artifacts
from ethicscheck.privacy._artifacts import MIN_VALUE_LENGTH, KnownValues


def substring_count(values: set[str], text: str) -> int:
    """The search the automaton replaces: one ``in`` per value (the oracle)."""
    return sum(1 for value in values if len(value) >= MIN_VALUE_LENGTH and value in text)


# A small alphabet makes overlaps, repeats, values inside other values and shared prefixes common.
_CHARS = st.sampled_from("ab1-@ .é😀")
_VALUES = st.sets(st.text(_CHARS, min_size=1, max_size=9), max_size=25)


@settings(max_examples=200, deadline=None)
@given(values=_VALUES, pieces=st.lists(st.one_of(st.text(_CHARS, max_size=6), st.integers(0, 24)), max_size=30))
def test_one_pass_counts_what_one_substring_search_per_value_counts(values, pieces):
    ordered = sorted(values)
    # The text strings values (whole, or cut) together with noise, so most examples contain some of them.
    text = "".join(piece if isinstance(piece, str) else (ordered[piece % len(ordered)][piece % 3 :] if ordered else "") for piece in pieces)
    assert KnownValues(values).count_in(text) == substring_count(values, text)


def test_overlapping_nested_and_repeated_values_each_count_once():
    values = {"555-0143", "212-555-0143", "2-555", "0143", "abc", "anna"}
    text = "call 212-555-0143 or 212-555-0143 today, Anna"
    assert KnownValues(values).count_in(text) == substring_count(values, text) == 4  # 'abc' is too short, 'anna' is case-sensitive


def test_no_values_finds_nothing():
    assert KnownValues(set()).count_in("anything at all") == 0
    assert KnownValues({"abc", "x"}).count_in("abc x") == 0


def test_scan_counts_each_file_that_repeats_a_value(tmp_path):
    (tmp_path / "a.md").write_text("ref 212-555-0143 and 212-555-0143")
    (tmp_path / "b.svg").write_text("<svg><text>212-555-0143</text></svg>")
    (tmp_path / "c.json").write_text('{"n": 3}')
    scan = scan_artifacts(sorted(tmp_path.iterdir()), known_values={"212-555-0143", "nobody@example.org"})
    assert scan.leaked_input_values == 2  # once per file holding it, however often
