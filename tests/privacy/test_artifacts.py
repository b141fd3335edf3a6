"""The self-scan: its one-pass search finds exactly the input values that one substring search per value finds; it reads
each piece a reader sees as one (a JSON string, a table cell, a paragraph, a chart label) on its own, so the cells of a table
never join into one number, and finds inside each piece what the scan of all pieces joined found there."""

from __future__ import annotations

import bisect
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from ethicscheck._vocabulary import DEFAULT_PHONE_REGIONS
from ethicscheck.privacy import find_leaks, scan_artifacts
from ethicscheck.privacy._artifacts import (
    MIN_VALUE_LENGTH,
    KnownValues,
    _blank_ids,
    _markdown_pieces,
    _markup_pieces,
    _scan_pieces,
    _scanner,
)


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


# ------------------------------------------------------------------ what a reader sees as one piece is scanned on its own
_ROW = "| at the threshold where 1 in 100 impostor comparisons match overall | 2.47122 | 700 of 70,000 (1.0000%) | 5 of 1,200 (0.4%) |"


def test_the_cells_of_a_table_do_not_read_as_one_number(tmp_path):
    # a threshold beside a count: "2.47122 | 700" once read as a phone number and stopped every face-matching audit
    (tmp_path / "model_card.md").write_text(f"## Operating points\n\n| Point | Threshold | False matches |\n|---|---|---|\n{_ROW}\n")
    cells = "".join(f"<td>{cell.strip()}</td>" for cell in _ROW.strip("|").split("|"))
    (tmp_path / "model_card.html").write_text(f"<html><body><table>\n  <tbody><tr>{cells}</tr></tbody>\n</table></body></html>")
    # heat-map annotations and tick labels are text elements of their own
    (tmp_path / "chart.svg").write_text("<svg><g><text>415</text></g><g><text>555</text></g><text>0178</text></svg>")
    scan, leaks = find_leaks(sorted(tmp_path.iterdir()), known_values=set())
    assert leaks == () and scan.findings == 0


def test_contact_data_inside_one_cell_or_field_is_still_found(tmp_path):
    (tmp_path / "model_card.md").write_text(
        "| Group | n |\n|---|---|\n| North (call +44 7700 900123) | 700 |\n\nAsk snap janedoe99 today\n"
    )
    (tmp_path / "model_card.html").write_text("<table><tr><td>700</td><td>ask <strong>t.me/lina_k22</strong> now</td></tr></table>")
    (tmp_path / "junit.xml").write_text('<testsuite name="faces"><testcase name="mail jane.doe@corpmail.com" time="0"/></testsuite>')
    (tmp_path / "audit.json").write_text(json.dumps({"card": {"owners": ["Team", "536-22-1234"]}, "n": 2.47122, "m": 700}))
    scan, leaks = find_leaks(sorted(tmp_path.iterdir()), known_values=set())
    assert {(leak.place, leak.entity_type, leak.value) for leak in leaks} == {
        ("model_card.md", "PHONE_NUMBER", "+44 7700 900123"),
        ("model_card.md", "SOCIAL_HANDLE", "janedoe99"),
        ("model_card.html", "MESSENGER_LINK", "t.me/lina_k22"),
        ("junit.xml", "EMAIL_ADDRESS", "jane.doe@corpmail.com"),  # an attribute value: CI pages show test names
        ("audit.json, card.owners[1]", "US_SSN", "536-22-1234"),
    }


def test_an_mlflow_3_model_id_is_an_identifier_not_a_phone_number(tmp_path):
    """MLflow 3 gives a logged model the id ``m-`` + 32 hex digits, the model_uuid audit.json names. The ``m-`` hid it from
    the identifier rule and a third of such ids read as a phone number ("6513270e269e4"): their audits published a
    pseudonym for the model's id, or (this one) stopped with "could not be replaced by a pseudonym" by the luck of the
    hash. A number after ``m-`` that is no such id is still found."""
    stuck, pseudonymised = "m-6513270e269e4d37b2a74de452e6b438", "m-77321e30575a400d8949bb46b4f0cf19"
    scanner = _scanner(tuple(DEFAULT_PHONE_REGIONS))
    assert all(scanner.analyze(model_id) for model_id in (stuck, pseudonymised))  # the recognizers alone read a phone in each
    (tmp_path / "audit.json").write_text(json.dumps({"model": {"details": {"model_uuid": stuck, "run_id": pseudonymised[2:]}}}))
    (tmp_path / "model_card.md").write_text(f"Model {pseudonymised} (MLflow)\n")
    scan, leaks = find_leaks(sorted(tmp_path.iterdir()), known_values=set())
    assert leaks == () and scan.findings == 0
    assert _scan_pieces(scanner, [("m-07700 900123", "a field"), ("m-07700900123", "a field")]) != []


def test_markup_pieces_end_at_block_tags_and_run_on_through_inline_ones():
    html = "<style>p {}</style><p>Call <b>+44</b> 7700 &amp; co</p><td>2.47122</td><td> </td><td>700</td><!-- note -->"
    assert _markup_pieces(html, attributes=False) == ["Call  +44  7700 & co", "2.47122", "700"]
    assert _markdown_pieces("a\nb\n\n| x | y \\| z |\n|---|---|\nc") == ["a\nb", " x ", " y \\| z ", "---", "---", "c"]


def _joined_scan(scanner, pieces):
    """The scan before pieces were scanned apart (the oracle): all pieces in one text, a line holding a word between
    two; ``(piece index, entity type, start, end)`` in piece offsets, a finding that runs past its piece marked by end."""
    separator = "\nqz\n"
    starts, position = [], 0
    for text in pieces:
        starts.append(position)
        position += len(text) + len(separator)
    joined = separator.join(pieces)
    found = []
    for finding in scanner.analyze(_blank_ids(joined)):
        index = bisect.bisect_right(starts, finding.start) - 1
        found.append((index, finding.entity_type, finding.start - starts[index], finding.end - starts[index]))
    return found


# Report-like pieces and contact data. No context word of a recognizer whose findings start below the score threshold
# (US_SSN: "ssn", "social", ...; CREDIT_CARD: "card", "visa", ...) stands alone: across pieces, such a word was the one
# thing the joined scan read from a neighbour.
_FRAGMENTS = st.sampled_from(
    [
        "2.47122", "700", "700 of 70,000 (1.0000%)", "5 of 1,200 (0.4%)", "1e-04", "0", "3.1e-04", "0.0651", "2026-12-03",
        "North", "female & south", "(reference)", "fpr", "group", "women", "at the threshold where 1 in 100 match", "-", "|",
        "+44 7700 900123", "415 555 0178", "0770 090", "0123", "North (call +44 7700 900123)", "jane.doe@corpmail.com",
        "snap janedoe99", "@janedoe99", "t.me/lina_k22", "536-22-1234", "4111 1111 1111 1111", "DE89 3704 0044 0532 0130 00",
        "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "group-0a1b2c3d", "9f86d081884c7d659a2feaa0c55ad015",
    ]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(pieces=st.lists(st.lists(_FRAGMENTS, min_size=1, max_size=3).map(" ".join), min_size=1, max_size=6))
def test_each_piece_alone_finds_what_the_joined_scan_found_inside_it(pieces):
    scanner = _scanner(DEFAULT_PHONE_REGIONS)
    alone = {(i, f.entity_type, f.start, f.end) for i, text in enumerate(pieces) for f in scanner.analyze(_blank_ids(text))}
    joined = _joined_scan(scanner, pieces)
    across = [(i, start, end) for i, _, start, end in joined if end > len(pieces[i])]  # ran into the next piece: not a value
    inside = {finding for finding in joined if finding[3] <= len(pieces[finding[0]])}
    assert inside <= alone
    # what only the piece alone finds was hidden behind a finding that ran across pieces
    for i, _, start, end in alone - inside:
        assert any(j == i and s < end and start < e for j, s, e in across), (pieces, i, start, end)
    # each distinct text scanned once, its findings given to every copy (the self-scan's cache)
    copies = pieces + pieces
    expected = [(f"p{k}", t, pieces[i][s:e]) for k in range(len(copies)) for i, t, s, e in alone if i == k % len(pieces)]
    leaks = _scan_pieces(scanner, [(text, f"p{k}") for k, text in enumerate(copies)])
    assert sorted((leak.place, leak.entity_type, leak.value) for leak in leaks) == sorted(expected)
