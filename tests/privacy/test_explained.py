"""What explains a number better than a phone: one (written, before, after) table per rule, near-misses included."""

from __future__ import annotations

import pytest

from ethicscheck.privacy._checksums import base58check_payload, bech32_ok
from ethicscheck.privacy._engine import resolve_overlaps
from ethicscheck.privacy._explained import better_explanation, luhn_ok


def _digits(written):
    return "".join(ch for ch in written if ch.isdigit())


@pytest.mark.parametrize(
    ("before", "written", "after", "plus", "expected"),
    [
        ("born ", "6/24/1991", ".", False, "date"),
        ("expires ", "2026-07-17. Doi", "", False, "date"),
        ("", "06.12.34.56.78", "", False, None),  # French grouping is no date
        ("SSN ", "460-89-9847", "", False, "government id"),
        ("", "11-5559573-5", "", False, "government id"),
        ("address ", "179.177.214.91", "", False, "ip address"),
        ("", "4111 1111 1111 1111", "", False, "card or imei (Luhn)"),
        ("", "4111 1111 1111 1112", "", False, "long digit run"),
        ("", "4222222222222", "", False, "card or imei (Luhn)"),
        ("", "1800-2200", " EUR monthly", False, "range or quantity"),
        ("€", "1800-2200", "", False, "range or quantity"),
        ("", "180/280/380", ".", False, "counting or a list"),
        ("", "0917/555/0137", "", False, None),  # unequal slash groups: a phone
        ("", "1 2 3 4 5 6 7 8 9 10", "", False, "counting or a list"),
        ("at ", "17151 2450", " Crown St", False, "street number"),
        ("Invoice No. ", "1640553952", "", False, "id after a cue"),
        ("MLS# ", "0796716567", "", False, "id after a cue"),
        ("Ad #", "191 671 3383", "", False, "id after a cue"),
        ("Nº de pedido ", "5555622051", "", False, "id after a cue"),
        ("license number is ", "2270-66-1551", "", False, "id after a cue"),
        ("cell no. ", "415 555 0137", "", False, None),  # a phone cue before the id cue
        ("new # ", "415 555 0137", "", False, None),
        ("Invoice No. ", "+40 722 555 013", "", True, None),  # a '+' says phone
        ("call ", "415-555-0137", " now", False, None),
        ("número de pedido ", "5555622051", "", False, "id after a cue"),  # a specific id word beats 'número'
        ("open ", "17/07 10:00-22:00", "", False, "clock time or day and month"),
        ("", "415 555 0137 24/7", "", False, "clock time or day and month"),
        ("parcel RR", "123456785", "US", False, "alphanumeric code"),
        ("1Z999AA", "10123456784", "", False, "alphanumeric code"),
        ("parcel RR\n", "123456785", "US", False, "alphanumeric code"),  # the glued text before may end at a last line break
        ("parcel rr\n", "123456785", "us", False, None),
        ("Sort code: ", "20 00 00 1234", "", False, "id after a cue"),
        ("Tracking ", "940 011 189 922", "", False, "id after a cue"),  # not 'track': the whole word is read
        ("callme", "4155550137", "now", False, None),  # lower-case words glued on: a phone
        ("", "09175550159", "TODAY", False, None),
        ("salary ", "15000-25000", "", False, "range or quantity"),
        ("", "15000-25000", "", False, "round-number range"),
        ("", "3000-4000", "/month", False, "range or quantity"),
    ],
)
def test_better_explanation(before, written, after, plus, expected):
    assert better_explanation(written, _digits(written), before, after, plus=plus) == expected


@pytest.mark.parametrize(("digits", "ok"), [("4111111111111111", True), ("4111111111111112", False), ("79927398713", True), ("0", True)])
def test_luhn(digits, ok):
    assert luhn_ok(digits) is ok


@pytest.mark.parametrize(
    ("address", "version"),
    [
        ("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", 0x00),
        ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", 0x05),
        ("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3", None),
    ],
)
def test_base58check(address, version):
    payload = base58check_payload(address)
    assert (payload[0] if payload else None) == version


@pytest.mark.parametrize(
    ("address", "ok"),
    [
        ("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", True),  # BIP 173 vector
        ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", True),  # BIP 350 vector (bech32m)
        ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", False),
        ("Bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", False),  # mixed case
        ("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", False),  # testnet: not a wallet type we report
    ],
)
def test_bech32(address, ok):
    assert bech32_ok(address) is ok


class _Finding:
    def __init__(self, entity_type, start, end, score=0.5):
        self.entity_type, self.start, self.end, self.score = entity_type, start, end, score


@pytest.mark.parametrize(
    ("findings", "kept"),
    [
        ([("PHONE_NUMBER", 14, 25), ("MESSENGER_LINK", 0, 25)], [("MESSENGER_LINK", 0, 25)]),
        ([("PHONE_NUMBER", 0, 11), ("US_SSN", 0, 11)], [("US_SSN", 0, 11)]),
        ([("PHONE_NUMBER", 0, 16), ("CREDIT_CARD", 0, 19)], [("CREDIT_CARD", 0, 19)]),
        ([("URL", 5, 15), ("EMAIL_ADDRESS", 0, 15), ("SOCIAL_HANDLE", 0, 4)], [("EMAIL_ADDRESS", 0, 15)]),
        ([("PHONE_NUMBER", 0, 10), ("PHONE_NUMBER", 0, 14)], [("PHONE_NUMBER", 0, 14)]),
        ([("PHONE_NUMBER", 0, 10), ("URL", 10, 20)], [("PHONE_NUMBER", 0, 10), ("URL", 10, 20)]),  # touching is no overlap
    ],
)
def test_overlaps_are_resolved_once_by_priority(findings, kept):
    result = resolve_overlaps([_Finding(*f) for f in findings])
    assert [(r.entity_type, r.start, r.end) for r in result] == kept


def test_every_unit_before_a_range_is_found_where_it_ends():
    # the search starts a few characters before the end: every unit word must fit in them
    from ethicscheck.privacy._explained import _UNIT_BEFORE, _unit_before

    words = _UNIT_BEFORE.pattern.split(r"\b(?:")[1].split(r"))\s*$")[0].replace(r"\.?", ".").split("|")
    for word in words:
        assert _unit_before(f"a budget of {word}  \n"), word
        assert _unit_before(f"{word.upper()}\t"), word
        assert not _unit_before(f"{word}s "), word


def test_the_cue_read_backwards_matches_exactly_when_the_search_does():
    """The id-cue rule first reads the line backwards from its end (one anchored attempt): it must find a cue
    exactly where the search over every position of the line finds one."""
    import random

    from ethicscheck.privacy._explained import _CUE_BEFORE, _CUE_REVERSED, _ID_CUE_WORDS

    rng = random.Random(4)
    words = [*_ID_CUE_WORDS, "sort code", "Sort  Code", "No.", "nr.", "number", "#", "de pedido", "is ", "call", "ID:", "order#"]
    pieces = [*words, *" .:#/-\t", "  ", "abc", "de", "is", "REF", "é", "º", "_", "1", "\u00a0", "ß", "ſ", "K"]
    lines = ["".join(rng.choice(pieces) + rng.choice(["", " ", ": ", "-"]) for _ in range(rng.randint(0, 6)))[-40:] for _ in range(20_000)]
    found = {line for line in lines if _CUE_BEFORE.search(line) is not None}
    assert len(found) > 5_000
    assert [line for line in lines if (_CUE_REVERSED.match(line[::-1]) is not None) != (line in found)] == []


def test_rules_left_out_for_a_number_without_their_characters_would_not_explain_it():
    """better_explanation tries only the rules whose patterns can match the characters a number is written with,
    and reads the rules that read only the written number once per written number: it names the same first
    rule as trying every rule in order, for numbers written again with other text around them too."""
    import random

    from ethicscheck.privacy._explained import RULES

    def every_rule(written, digits, before, after, plus):
        return next((name for name, rule in RULES.items() if rule(written, digits, before, after, plus)), None)

    rng = random.Random(8)
    pieces = [*"0123456789" * 4, " ", "  ", "-", "/", ".", ":", "h", "–", "(", ")", "\n", "\u00a0", "٣", "a", "19", "2024", "12:30", "9h30"]
    pieces += ["123-45-6789", "1 2 3 4 5", "180/280/380", "10.0.0.1", "15000-25000", "31.12."]
    around = ["", " Main St", " eur", " per", "order no. ", "#", "salary ", "RR", "US", "call ", "\n"]
    named = set()
    written_before = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(1_000)]
    for _ in range(20_000):
        written = rng.choice(written_before) if rng.random() < 0.5 else "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        digits = "".join(ch for ch in written if ch.isdigit())
        before, after, plus = rng.choice(around), rng.choice(around), rng.random() < 0.2
        expected = every_rule(written, digits, before, after, plus)
        assert better_explanation(written, digits, before, after, plus=plus) == expected, (written, before, after, plus)
        named.add(expected)
    assert named == {None, *RULES}  # every rule explained some number
