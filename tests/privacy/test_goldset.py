"""Reading annotated records: presidio-research JSON and JSON Lines, renames, and one-line errors."""

from __future__ import annotations

import json

import pytest

from ethicscheck.errors import DataError
from ethicscheck.privacy import GoldRecord, GoldSpan, load_gold, parse_mapping, records_from_generator

RECORDS = [
    {
        "full_text": "Call 555-0143 or see example.org",
        "masked": "Call {{PHONE_NUMBER}} or see {{DOMAIN_NAME}}",
        "spans": [
            {"entity_type": "PHONE_NUMBER", "entity_value": "555-0143", "start_position": 5, "end_position": 13},
            {"entity_type": "DOMAIN_NAME", "entity_value": "example.org", "start_position": 21, "end_position": 32},
        ],
        "template_id": 3,
        "metadata": None,
        "tags": ["plain", "phone"],
    },
    {"full_text": "no contact here", "spans": [], "tags": "negative"},
]


def test_json_and_jsonl_give_the_same_records(tmp_path):
    as_json = tmp_path / "set.json"
    as_json.write_text(json.dumps(RECORDS))
    as_lines = tmp_path / "set.jsonl"
    as_lines.write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n\n")
    expected = [
        GoldRecord("Call 555-0143 or see example.org", (GoldSpan("PHONE_NUMBER", 5, 13), GoldSpan("URL", 21, 32)), ("plain", "phone")),
        GoldRecord("no contact here", (), ("negative",)),
    ]
    assert load_gold(as_json, mapping={"DOMAIN_NAME": "URL"}) == expected
    assert load_gold(as_lines, mapping={"DOMAIN_NAME": "URL"}) == expected


def _bad(record):
    return [record]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{}", "expected a JSON list of records, got a dict"),
        ("[1]", "record 0: expected an object with full_text and spans, got a int"),
        ('[{"spans": []}]', "record 0: full_text is missing or not a string"),
        ('[{"full_text": "abc", "spans": {}}]', "record 0: spans must be a list"),
        ('[{"full_text": "abc", "spans": [{"start_position": 0, "end_position": 1}]}]', "spans[0]: entity_type is missing"),
        ('[{"full_text": "abc", "spans": [{"entity_type": "X", "start_position": "0", "end_position": 1}]}]', "must be integers"),
        ('[{"full_text": "abc", "spans": [{"entity_type": "X", "start_position": true, "end_position": 1}]}]', "must be integers"),
        ('[{"full_text": "abc", "spans": [{"entity_type": "X", "start_position": 1, "end_position": 4}]}]', "(length 3)"),
        ('[{"full_text": "abc", "spans": [{"entity_type": "X", "start_position": 2, "end_position": 2}]}]', "start < end"),
        (
            '[{"full_text": "abc", "spans": [{"entity_type": "X", "entity_value": "ab", "start_position": 1, "end_position": 3}]}]',
            "entity_value differs from full_text[1:3]",
        ),
        ('[{"full_text": "abc", "spans": [], "tags": [1]}]', "tags must be a string or a list of strings"),
        ('[{"full_text": "a"}]\n[{"full_text": "b"}]', "should end in .jsonl"),
        ("[", "not valid JSON at line 1"),
    ],
)
def test_bad_records_name_file_record_and_field(tmp_path, content, message):
    path = tmp_path / "gold.json"
    path.write_text(content)
    with pytest.raises(DataError) as caught:
        load_gold(path)
    assert message in str(caught.value) and str(path) in str(caught.value)


def test_bad_jsonl_line_and_missing_file(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text('{"full_text": "a", "spans": []}\nnot json\n')
    with pytest.raises(DataError, match="line 2 is not valid JSON"):
        load_gold(path)
    with pytest.raises(DataError, match="no such file"):
        load_gold(tmp_path / "absent.json")


def test_an_entity_value_is_never_echoed_in_the_error(tmp_path):
    path = tmp_path / "gold.json"
    record = {
        "full_text": "call 5550143",
        "spans": [{"entity_type": "P", "entity_value": "5550199", "start_position": 5, "end_position": 12}],
    }
    path.write_text(json.dumps([record]))
    with pytest.raises(DataError) as caught:
        load_gold(path)
    assert "5550" not in str(caught.value)


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [([], {}), (["DOMAIN_NAME=URL"], {"DOMAIN_NAME": "URL"}), ([" GPE = LOCATION ", "A=B"], {"GPE": "LOCATION", "A": "B"})],
)
def test_mapping(pairs, expected):
    assert parse_mapping(pairs) == expected


@pytest.mark.parametrize("pair", ["DOMAIN_NAME", "=URL", "DOMAIN_NAME=", "A=B=C"])
def test_bad_mapping(pair):
    with pytest.raises(DataError, match="expected ANNOTATED_TYPE=SCANNER_TYPE"):
        parse_mapping([pair])


def test_generator_truth_becomes_tagged_records():
    truths = [
        json.dumps([{"start": 0, "end": 3, "entity_type": "PHONE_NUMBER", "obfuscated": True}]),
        [{"start": 0, "end": 3, "entity_type": "PHONE_NUMBER", "obfuscated": False}],
        "[]",
    ]
    records = records_from_generator(["abc", "abc", "abc"], truths)
    assert [r.tags for r in records] == [("disguised",), (), ("negative",)]
    assert records[0].spans == (GoldSpan("PHONE_NUMBER", 0, 3),)
