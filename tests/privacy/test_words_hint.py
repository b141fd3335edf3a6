"""words_hint: a case-sensitive opening class that finds exactly what the case-insensitive words find."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ethicscheck.privacy.recognizers._regex import words_hint
from ethicscheck.privacy.recognizers.social_handle import _AFTER

TAIL = "(?![A-Za-z0-9_])"
PLAIN = re.compile(rf"(?i)(?:{_AFTER}){TAIL}")
HINT = re.compile(words_hint(_AFTER) + f"(?i:{TAIL})")
# what case-insensitive matching equates with ASCII letters besides their two cases
ODD_CASES = ["\u0130", "\u0131", "\u017f", "\u212a"]


def test_the_opening_class_holds_every_character_case_insensitive_matching_equates_with_a_first_letter():
    opening = re.compile(words_hint(_AFTER)[: words_hint(_AFTER).index("]") + 1])
    first_letters = re.compile("(?i)[" + "".join({w[0] for w in _AFTER.split("|") if w[0].isascii()}) + "]")
    every_character = "".join(map(chr, range(0x110000)))
    assert set(first_letters.findall(every_character)) <= set(opening.findall(every_character))


@pytest.mark.parametrize(
    "text",
    ["mia_4u snap", "SNAPCHAT", "ſnap", "\u0130g", "\u0131G", "\u212aik", "online today", "kara_lux (IG)", "👻 mia", "insta_", "snap1",
     "big deadline", "fbx", "Tik tok", "", "x"],
)  # fmt: skip
def test_finds_what_the_case_insensitive_words_find(text):
    assert [m.span() for m in HINT.finditer(text)] == [m.span() for m in PLAIN.finditer(text)]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from([*_AFTER.split("|"), *ODD_CASES, " ", "_", "1", "@", "(", "ig", "IG"]), st.text(max_size=3)), max_size=8
    )
)
def test_fuzzed_texts_give_the_same_matches(parts):
    for text in ("".join(parts), " ".join(parts).upper(), " ".join(parts).lower()):
        assert [m.span() for m in HINT.finditer(text)] == [m.span() for m in PLAIN.finditer(text)]


def test_refuses_words_it_cannot_open_with_a_class():
    with pytest.raises(ValueError, match="ASCII letter"):
        words_hint("émoi|x")


def _class_opened() -> list[tuple[str, re.Pattern[str], re.Pattern[str]]]:
    """(name, pattern, the pattern it stands for) of every recognizer pattern opened with words_hint, whose gate reads the
    original form (the gate refuses the class)."""
    from ethicscheck.privacy.recognizers.name_cue import NameCueRecognizer
    from ethicscheck.privacy.recognizers.social_handle import SocialHandleRecognizer

    return [
        (f"{cls.__name__}[{i}]", re.compile(cls.PATTERNS[i][0]), re.compile(form))
        for cls in (SocialHandleRecognizer, NameCueRecognizer)
        for i, form in cls.GATE_FORMS
        if cls.PATTERNS[i][0] != form and "(?<=" in cls.PATTERNS[i][0] and "\u017f" in cls.PATTERNS[i][0]
    ]


CLASS_OPENED = _class_opened()
_CUE_PIECES = [
    *["snap", "SC", "ig", "insta", "kik", "tg", "telegram", "tiktok", "wickr me", "line id", "👻", "📸", "ask for", "my name is"],
    *["name:", "i am", "I'm", "this is", "Contact", "call", "TEXT", "speak with", "talk to", "message", "Anna", "Maria Lopez"],
    *[" ", "  ", ": ", "-> ", "@", ".", "_", "a", "x9", "mia_4u", "kara.lux", "\n", *ODD_CASES, "é", "ask\u0131ng for"],
]  # fmt: skip


def test_some_patterns_are_class_opened():
    assert {name for name, _, _ in CLASS_OPENED} == {"SocialHandleRecognizer[1]", "NameCueRecognizer[0]"}


@pytest.mark.parametrize(("name", "pattern", "original"), CLASS_OPENED, ids=[c[0] for c in CLASS_OPENED])
@settings(max_examples=1500, deadline=None)
@given(parts=st.lists(st.one_of(st.sampled_from(_CUE_PIECES), st.text(max_size=3)), max_size=9))
def test_a_class_opened_pattern_matches_as_the_pattern_it_stands_for(name, pattern, original, parts):
    for text in ("".join(parts), " ".join(parts), " ".join(parts).upper()):
        found = [(m.span(), m.groupdict()) for m in pattern.finditer(text)]
        assert found == [(m.span(), m.groupdict()) for m in original.finditer(text)], (name, text)
