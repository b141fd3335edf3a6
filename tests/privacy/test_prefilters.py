"""Every prefilter is a necessary condition of its recognizer: fuzzed, it never drops a text the recognizer matches."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ethicscheck.privacy import DEFAULT_ENTITIES, Scanner
from ethicscheck.privacy._normalize import clean_view, contact_view
from ethicscheck.privacy.recognizers._regex import GroupPatternRecognizer

REGIONS = ("US", "GB", "DE", "FR", "IN", "PH", "NG", "RO", "MX", "ES", "BR", "RU", "TH")
SCANNER = Scanner(DEFAULT_ENTITIES, phone_regions=REGIONS)
GUARDED = [(type(r).__name__, r, entities, prefilter) for r, entities, _, prefilter in SCANNER.recognizers if prefilter is not None]

# Pieces of what each recognizer looks for, plain and disguised, and look-alikes that are not.
FRAGMENTS = [
    "415-555-0137", "+1 780 555 0153x281", "four one five, fifty-five fifty, oh one three seven", "0917 555 0137", "２１２",
    "seis uno uno", "плюс семь", "sero siyam", "4\ufe0f\u20e31\ufe0f\u20e3", "०९८५५५", "6/24/1991", "460-89-9847",
    "anna.k@example.com", "rosie_137 -at- yahoo dot ro", "kittya49 [@] yahoo[.]com", "r u b y @ a o l . c o m", "name#gmail.com",
    "https://t(dot)me/priya_xo", "wa . me / 123", "viber://chat?number=%2B52", "line.me/ti/p/~mia", "api.whatsapp.com/send?phone=1",
    "snap me ana_real", "kara_lux (IG)", "👻 mia_4u", "instagram[.]com/joy", "tiktok.com/@x_1", "@lola777",
    "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "1BvBMSEYstWetqTFn5Au \n4m4GFg7xJaNVN2", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
    "LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH9", "x.com/dani_22", "x(dot)com/dani_22", "fb.com/mia.k", "WeChat ID lina_88",
    "0x52908400098527886E0F7030069857D2E4169EE7", "TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW",
    "4111 1111 1111 1111", "GB82 WEST 1234 5698 7654 32", "gb82west12345698765432", "de89370400440532013000",
    "192.168.0.1", "2001:db8::1", "::1", "www.example.org", "https://example.com/a", "example.co.uk",
    "ask for Anna", "My name is Maria", "mia_4usnap", "yuki.ro on insta", "lina.88 - [Telegram]", " ", "\n", ".", "-", "/", ":", "(", ")",
]  # fmt: skip
_TEXTS = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=6).map(" ".join)
_CASES = st.sampled_from([str, str.upper, str.lower, str.title])


@pytest.mark.parametrize(("name", "recognizer", "entities", "prefilter"), GUARDED, ids=[g[0] for g in GUARDED])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TEXTS, case=_CASES)
def test_prefilter_never_drops_a_match(name, recognizer, entities, prefilter, text, case):
    clean = clean_view(case(text)).text
    if recognizer.analyze(clean, entities, None):
        assert prefilter.search(clean) is not None, f"{name}'s prefilter drops {clean!r}"


@pytest.mark.parametrize("fragment", FRAGMENTS)
@pytest.mark.parametrize(("name", "recognizer", "entities", "prefilter"), GUARDED, ids=[g[0] for g in GUARDED])
def test_prefilter_keeps_every_fragment_its_recognizer_finds(name, recognizer, entities, prefilter, fragment):
    for text in (fragment, fragment.upper(), fragment.lower()):
        clean = clean_view(text).text
        if recognizer.analyze(clean, entities, None):
            assert prefilter.search(clean) is not None


def test_lowercase_iban_is_scanned_like_the_recognizer_alone_finds_it():
    text = "pay to iban gb82west12345698765432 today"
    (iban,) = [r for r, _, _, _ in SCANNER.recognizers if type(r).__name__ == "IbanRecognizer"]
    assert iban.analyze(text, ["IBAN_CODE"], None)
    assert [(f.entity_type, text[f.start : f.end]) for f in Scanner(["IBAN_CODE"]).analyze(text)] == [
        ("IBAN_CODE", "gb82west12345698765432")
    ]


HINTED = [
    (f"{type(r).__name__}[{i}]", pattern, hint, r.VIEW)
    for r, _, _, _ in SCANNER.recognizers
    if isinstance(r, GroupPatternRecognizer)
    for i, (pattern, _, hint) in enumerate(r._compiled)
    if hint is not None
]


@pytest.mark.parametrize(("name", "pattern", "hint", "view"), HINTED, ids=[h[0] for h in HINTED])
@settings(max_examples=150, deadline=None)
@given(text=_TEXTS, case=_CASES)
def test_a_pattern_hint_is_in_every_text_its_pattern_matches(name, pattern, hint, view, text, case):
    seen = (contact_view if view == "contact" else clean_view)(case(text)).text
    if pattern.search(seen) is not None:
        assert hint.search(seen) is not None, f"{name}'s hint skips {seen!r}"


def test_some_pattern_carries_a_hint():
    assert HINTED  # the property above must have something to check


GATE_FORMS = [
    (f"{type(r).__name__}[{i}]", r._compiled[i][0], re.compile(form), r.VIEW)
    for r, _, _, _ in SCANNER.recognizers
    if isinstance(r, GroupPatternRecognizer)
    for i, form in r.GATE_FORMS
]
#: Handles, platform words (also inside other words), separators and the characters around them that the lookarounds read.
_HANDLE_PIECES = [
    *["mia_4u", "kara_lux", "yuki.ro", "x", "ab", "a1", "9", "_", ".", "@", "-", "|", "(", "[", " ", "  ", "\n", "\t"],
    *["on", "en", "pe", "sa", "на", "snap", "SC", "ig", "IG", "insta", "tg", "fb", "line", "kik", "tiktok", "telegram"],
    *["👻", "📸", "online", "Northline", "resig", "é", "ſ", "\u212a", "\u0130"],
]  # fmt: skip
_HANDLE_TEXTS = st.lists(st.sampled_from(_HANDLE_PIECES), min_size=1, max_size=9).map("".join)


@pytest.mark.parametrize(("name", "pattern", "form", "view"), GATE_FORMS, ids=[g[0] for g in GATE_FORMS])
@settings(max_examples=1500, deadline=None)
@given(text=st.one_of(_TEXTS, _HANDLE_TEXTS), case=_CASES)
def test_the_gate_form_of_a_pattern_matches_every_text_the_pattern_matches(name, pattern, form, view, text, case):
    seen = (contact_view if view == "contact" else clean_view)(case(text)).text
    if pattern.search(seen) is not None:
        assert form.search(seen) is not None, f"{name}'s gate form skips {seen!r}"


def test_some_pattern_carries_a_gate_form():
    assert GATE_FORMS


ANCHORED = [
    (f"{type(r).__name__}[{i}]", r._compiled[i][0], needle, n, r.VIEW)
    for r, _, _, _ in SCANNER.recognizers
    if isinstance(r, GroupPatternRecognizer)
    for i, needle, n in r.PATTERN_ANCHORS
]
_LINK_PIECES = [*FRAGMENTS, "https://", "http://", "www.", "telegram", "signal", "line", "wa", "t", "m", ".me", ".ME", "/", " / ", "slash"]


@pytest.mark.parametrize(("name", "pattern", "needle", "n", "view"), ANCHORED, ids=[a[0] for a in ANCHORED])
@settings(max_examples=1000, deadline=None)
@given(parts=st.lists(st.one_of(st.sampled_from(_LINK_PIECES), st.text(max_size=4)), max_size=8), case=_CASES)
def test_an_anchored_pattern_finds_nothing_before_its_anchor(name, pattern, needle, n, view, parts, case):
    seen = (contact_view if view == "contact" else clean_view)(case("".join(parts))).text
    if not seen.isascii():  # the anchor is read on ASCII views only
        return
    found = [(m.span(), m.groupdict()) for m in pattern.finditer(seen)]
    at = seen.lower().find(needle)
    assert (found == []) if at < 0 else (found == [(m.span(), m.groupdict()) for m in pattern.finditer(seen, max(0, at - n))]), seen


@pytest.mark.parametrize(("name", "pattern", "needle", "n", "view"), ANCHORED, ids=[a[0] for a in ANCHORED])
@pytest.mark.parametrize("scheme", ["", "http://", "https://", "HTTPS://"])
@pytest.mark.parametrize("www", ["", "www.", "WWW."])
@pytest.mark.parametrize("name_", ["t", "telegram", "Signal", "line", "wa", "m"])
def test_an_anchored_pattern_finds_the_longest_links_from_its_anchor(name, pattern, needle, n, view, scheme, www, name_):
    text = f"call me: {scheme}{www}{name_}.me/annajobs_1 or {scheme}{www}{name_}.ME/mia"
    assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in pattern.finditer(text, max(0, text.lower().find(needle) - n))]
    assert pattern.search(text) is not None


def test_some_pattern_carries_an_anchor():
    assert ANCHORED


_SSN_PIECES = [*"0123456789", "-", " ", ".", "a", "_", "é", "\u0301", "٣", "ж", "\n", "123-45-6789", "123456789", "12345-6789"]


@settings(max_examples=600, deadline=None)
@given(text=st.lists(st.sampled_from(_SSN_PIECES), max_size=24).map("".join))
def test_the_ssn_prefilter_finds_every_text_presidios_ssn_patterns_match(text):
    """The prefilter is presidio's five SSN patterns in one, '\\b' read in ASCII terms (so the gate reads it exactly)."""
    (ssn,) = [r for r, _, _, _ in SCANNER.recognizers if type(r).__name__ == "UsSsnRecognizer"]
    prefilter = next(p for name, _, _, p in GUARDED if name == "UsSsnRecognizer")
    found = ssn.analyze(text, ["US_SSN"])  # presidio compiles its patterns (with the regex module) on first use
    if found or any(pattern.compiled_regex.search(text) for pattern in ssn.patterns):
        assert prefilter.search(text) is not None, text
