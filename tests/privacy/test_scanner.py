"""The scanner's own steps give what presidio's would: context words and duplicate removal, fuzzed."""

from __future__ import annotations

import re
from bisect import bisect_left

from hypothesis import given, settings
from hypothesis import strategies as st
from presidio_analyzer import EntityRecognizer, RecognizerResult

from ethicscheck._vocabulary import OVERLAP_PRIORITY
from ethicscheck.privacy._engine import resolve_overlaps
from ethicscheck.privacy._scanner import _CONTEXT_WINDOW, _apart, _backwards_reader, _remove_duplicates, _words_before

_WORDS = re.compile(r"\w+")
#: Words, spaces, punctuation and word characters beyond ASCII (marks, other scripts' letters and digits).
_PIECES = [*"ab_Z09 .-@\n", "é", "\u0301", "ß", "İ", "٣", "ж", "日", "\u200b", "call ", "snap ", "-" * 40]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=120).map("".join)


def _words_before_whole_text(text: str, start: int) -> list[str]:
    """The rule as it reads the whole text: every word and where it starts, the last few starting before ``start``."""
    matches = list(_WORDS.finditer(text))
    end = bisect_left([m.start() for m in matches], start)
    return [m.group().lower() for m in matches[max(0, end - _CONTEXT_WINDOW) : end]]


@settings(max_examples=400, deadline=None)
@given(text=_TEXT, data=st.data())
def test_words_before_a_finding_are_those_the_whole_text_gives(text, data):
    start = data.draw(st.integers(0, len(text)))
    assert _words_before(text, start) == _words_before_whole_text(text, start)


@settings(max_examples=600, deadline=None)
@given(text=st.one_of(_TEXT, st.text(alphabet="aZ9_ .-\n", max_size=80)), data=st.data())
def test_words_read_backwards_are_the_words_before_a_finding(text, data):
    start = data.draw(st.integers(0, len(text)))
    backwards = [word[::-1] for word in _backwards_reader(text)(start) if word]
    assert backwards[::-1] == _words_before(text, start)


def test_words_before_reach_back_beyond_the_first_window():
    text = "call " + "-" * 500 + " x"
    assert _words_before(text, len(text) - 1) == ["call"]


_SCORES = [0.0, 0.05, 0.4, 0.5, 0.85, 1.0]
_TYPES = [*OVERLAP_PRIORITY[:4], "PHONE_NUMBER"]
_RESULT = st.tuples(st.sampled_from(_TYPES), st.integers(0, 12), st.integers(1, 6), st.sampled_from(_SCORES))


@settings(max_examples=400, deadline=None)
@given(found=st.lists(_RESULT, max_size=12))
def test_duplicates_are_removed_as_presidio_removes_them(found):
    def results() -> list[RecognizerResult]:
        return [RecognizerResult(entity, start, start + length, score) for entity, start, length, score in found]

    def key(r: RecognizerResult) -> tuple[str, int, int, float]:
        return (r.entity_type, r.start, r.end, r.score)

    ours, presidios = _remove_duplicates(results()), EntityRecognizer.remove_duplicates(results())
    assert sorted(map(key, ours)) == sorted(map(key, presidios))
    assert [(-r.score, r.start, r.start - r.end) for r in ours] == [(-r.score, r.start, r.start - r.end) for r in presidios]


def test_unranked_types_keep_presidios_own_removal():
    found = [RecognizerResult("NRP", 0, 4, 0.5), RecognizerResult("NRP", 1, 3, 0.5), RecognizerResult("LOCATION", 0, 4, 0.5)]
    assert {(r.entity_type, r.start, r.end) for r in _remove_duplicates(found)} == {("NRP", 0, 4), ("LOCATION", 0, 4)}


@settings(max_examples=600, deadline=None)
@given(found=st.lists(_RESULT, max_size=6), unranked=st.booleans())
def test_findings_apart_are_kept_as_duplicate_removal_and_overlaps_keep_them(found, unranked):
    """Where :func:`_apart` answers, it keeps what the two steps keep, the same objects in the same order."""
    results = [RecognizerResult(entity, start, start + length, score) for entity, start, length, score in found]
    if unranked and results:
        results[0].entity_type = "NRP"
    apart = _apart(list(results))
    if apart is not None:
        assert [id(r) for r in apart] == [id(r) for r in resolve_overlaps(_remove_duplicates(list(results)))]
