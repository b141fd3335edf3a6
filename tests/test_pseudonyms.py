"""Contact data in group names, file names and card fields never reaches what is published."""

from __future__ import annotations

import pandas as pd
import pytest

from ethicscheck._pseudonyms import (
    check_card_fields,
    contact_kind,
    pseudonymize_columns,
    pseudonymize_names,
    pseudonymize_text,
    replace_everywhere,
)
from ethicscheck.config import CardConfig
from ethicscheck.errors import PersonalDataError


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("agent.jane@corpmail.com", "an e-mail address"),
        ("+44 7700 900123", "a phone number"),
        ("call 020-7946-0958", "a phone number"),
        ("@recruit_abroad", "a social handle"),
        ("Nigerian", None),
        ("2026-12-02", None),  # a date has eight digits: not a phone number
        ("18-25", None),
        ("a & b", None),
    ],
)
def test_contact_kind(text, kind):
    assert contact_kind(text) == kind


def test_group_values_with_contact_data_become_stable_pseudonyms():
    frame = pd.DataFrame({"recruiter": ["x@corp.com", "agency", "x@corp.com", None]})
    replaced, mapping = pseudonymize_columns(frame, ["recruiter"], salt="s")
    assert list(mapping) == ["x@corp.com"] and mapping["x@corp.com"].startswith("group-")
    assert replaced["recruiter"].tolist()[:3] == [mapping["x@corp.com"], "agency", mapping["x@corp.com"]]
    assert frame["recruiter"][0] == "x@corp.com"  # the caller's frame is untouched
    assert pseudonymize_columns(frame, ["recruiter"], salt="s")[1] == mapping
    assert pseudonymize_columns(frame, ["recruiter"], salt="other")[1] != mapping
    unchanged, none = pseudonymize_columns(pd.DataFrame({"g": ["a", "b"]}), ["g"], salt="")
    assert none == {} and unchanged["g"].tolist() == ["a", "b"]


def test_text_keeps_its_words_and_loses_its_contacts():
    text = pseudonymize_text("columns of ads_+44-7700-900123.csv", salt="")
    assert "7700" not in text and text.startswith("columns of ads_contact-") and text.endswith(".csv")


def test_card_field_with_contact_data_stops_naming_the_field():
    with pytest.raises(PersonalDataError, match=r"card.owners\[1\] contains an e-mail address"):
        check_card_fields(CardConfig(owners=["Screening team", "jane@corp.com"]))
    with pytest.raises(PersonalDataError, match=r"card.intended_use contains a phone number"):
        check_card_fields(CardConfig(intended_use="Questions: +1 202 555 0143"))
    with pytest.raises(PersonalDataError, match=r"card.outcome.flagged contains an e-mail address"):
        check_card_fields(CardConfig(outcome={"flagged": "sent to jane@corp.com"}))
    check_card_fields(CardConfig(owners=["Screening team"], intended_use="Triage of ads, 2026-12-02"))


def test_stop_names_the_column_and_never_the_value():
    frame = pd.DataFrame({"recruiter": ["x@corp.com", "agency"]})
    with pytest.raises(PersonalDataError, match="data column 'recruiter'.*1 group value") as raised:
        pseudonymize_columns(frame, ["recruiter"], salt="", on_personal_data="stop")
    assert "corp.com" not in str(raised.value)
    with pytest.raises(PersonalDataError, match=r"data.sensitive_features\[0\].name contains a phone number"):
        pseudonymize_names({"data.sensitive_features[0].name": "call 020-7946-0958"}, salt="", on_personal_data="stop")
    assert pseudonymize_names({"x": "region"}, salt="") == {}
    assert pseudonymize_names({"x": "jane@corp.com"}, salt="")["jane@corp.com"].startswith("feature-")


def test_a_finder_decides_what_is_contact_data():
    def finder(text):
        return [("a social handle", "janedoe99")] if "janedoe99" in text else []

    frame = pd.DataFrame({"g": ["sc janedoe99", "agency"]})
    assert list(pseudonymize_columns(frame, ["g"], salt="", finder=finder)[1]) == ["sc janedoe99"]
    assert pseudonymize_text("sc janedoe99 please", salt="", finder=finder).startswith("sc contact-")


def test_replace_everywhere_reaches_keys_values_and_nested_lists():
    mapping = {"jane@corp.com": "contact-1", "jane": "contact-2"}
    document = {"by_group": {"jane@corp.com": [1, "ask jane@corp.com", ("jane",)]}, "n": 3}
    assert replace_everywhere(document, mapping) == {"by_group": {"contact-1": [1, "ask contact-1", ("contact-2",)]}, "n": 3}
    assert replace_everywhere(document, {}) is document


def test_the_self_scan_does_not_read_a_pseudonyms_hash_as_a_phone_number():
    """``group-c08677b9`` beside two table cells reads as a phone to the recognizers: an audit that had
    pseudonymised a group stopped with "could not be replaced by a pseudonym" (exit 2) by the luck of the hash."""
    from ethicscheck._vocabulary import DEFAULT_PHONE_REGIONS
    from ethicscheck.privacy import scan_strings
    from ethicscheck.privacy._artifacts import _scanner

    row = "| group-c08677b9 | 232 | 114 | 15.8% (10.2%-23.6%) |"
    assert [f.entity_type for f in _scanner(tuple(DEFAULT_PHONE_REGIONS)).analyze(row)] == ["PHONE_NUMBER"]
    assert scan_strings([(row, "model_card.md")]) == ()
    assert scan_strings([("| +44 7700 900123 | 232 | 114 |", "model_card.md")]) != ()  # a real number is still found


def test_separate_strings_are_not_read_as_one_number_split_over_lines():
    """MLflow params of a stream audit ("1000" rows a batch, "2" batches, "1200" rows) were read as one phone
    number, and the audit refused to log anything to MLflow."""
    from ethicscheck.privacy import scan_strings

    params = [("1000", "MLflow param 'engine.batch_rows'"), ("2", "MLflow param 'engine.batches'"), ("1200", "param")]
    assert scan_strings(params) == ()
    assert scan_strings([("call\n0161\n555\n0123", "one string")]) != ()  # within one string, lines still join
