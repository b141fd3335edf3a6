"""The scan's copy of presidio's pattern loop finds what presidio's own does, finding for finding: fuzzed."""

from __future__ import annotations

from functools import partial
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from ethicscheck.privacy._patterns import pattern_results, reads_patterns_only
from ethicscheck.privacy._scanner import _if_address

from .test_prefilters import _CASES, _TEXTS, FRAGMENTS, SCANNER

READ = [r for r, _, _, _ in SCANNER.recognizers if reads_patterns_only(r)]
_PIECES = ["@", ".", "a", "-", "9", "_", "é", "..", "xn--", ":", "/", "http://", "www."]
_CHUNKS = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.sampled_from(_PIECES)), max_size=8)


def _described(results: list[Any]) -> list[tuple[Any, ...]]:
    def one(r: Any) -> tuple[Any, ...]:
        e = r.analysis_explanation
        explained = (e.recognizer, e.pattern_name, e.pattern, e.original_score, e.score, e.validation_result, e.textual_explanation)
        return (r.entity_type, r.start, r.end, r.score, explained, tuple(sorted(r.recognition_metadata.items())))

    return [one(r) for r in results]


@settings(max_examples=500, deadline=None)
@given(text=st.one_of(_TEXTS, _CHUNKS.map("".join)), case=_CASES)
def test_the_pattern_loop_finds_what_presidios_finds(text, case):
    text = case(text)
    for recognizer in READ:
        assert _described(pattern_results(recognizer, text)) == _described(recognizer.analyze(text, recognizer.supported_entities)), (
            type(recognizer).__name__,
            text,
        )


def test_the_chunked_recognizers_read_through_the_pattern_loop():
    assert {"EmailRecognizer", "UrlRecognizer"} <= {type(r).__name__ for r in READ}


_ADDRESS_PIECES = ["@", ".", "a", "Z", "9", "_", "-", "+", "é", "\u0301", "٣", "ж", "mia", "example", "com", "io", "..", "@@", "!", "~"]


@settings(max_examples=1500, deadline=None)
@given(chunk=st.lists(st.sampled_from(_ADDRESS_PIECES), max_size=10).map("".join))
@example(chunk="a@example.com")
@example(chunk="a@b.io")
@example(chunk="@mia_4u.")
@example(chunk="x@@example.com")
@example(chunk="mia@example.com.")
def test_chunks_without_the_characters_of_an_address_hold_none_for_presidio(chunk):
    (email,) = [r for r in READ if type(r).__name__ == "EmailRecognizer"]
    found = _described(pattern_results(email, chunk))
    assert _described(_if_address(partial(pattern_results, email), chunk)) == found
    if found:
        assert _if_address(lambda c: [c], chunk)  # the check lets every chunk with an address through
