"""The shared normalizer: what each view reads, and spans mapped back to the original characters."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ethicscheck.privacy._normalize import clean_view, contact_view


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain ascii 415-555-0137", "plain ascii 415-555-0137"),
        ("07\u200d66\u200b\ufeff-\u206055\u20605-027", "0766-555-027"),  # zero-width, joiners, BOM
        ("+91.985\xad55", "+91.98555"),  # soft hyphen
        ("4\ufe0f\u20e31\ufe0f\u20e3", "41"),  # keycaps
        ("०९८ ٠٩٧ ۱۴۱ ০৮৮ ๐๘๑ ５５５ 𝟒𝟏 ④①", "098 097 141 088 081 555 41 41"),  # scripts, fullwidth, math, circled
        ("（４３８）５５５－０１７５＠ｘ", "(438)555-0175@x"),  # fullwidth punctuation and letters
        ("８１\u3000５５５０", "81 5550"),  # ideographic space
    ],
)
def test_clean_view(text, expected):
    assert clean_view(text).text == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rosie_137 -at- yahoo dot ro", "rosie_137@yahoo.ro"),
        ("zara1286 {at} yandex{dot}ru", "zara1286@yandex.ru"),
        ("kittya49 [@] yahoo[.]com", "kittya49@yahoo.com"),
        ("mia_1102 sobaka protonmail tochka com", "mia_1102@protonmail.com"),
        ("tanyaa874#gmail.com", "tanyaa874@gmail.com"),
        ("amaram1497 📧 gmail.com", "amaram1497@gmail.com"),
        ("r u b y m 5 8 6 @ a o l . c o m", "rubym586@aol.com"),
        ("hxxps://wa[.]me/7916", "https://wa.me/7916"),
        ("t . me/dani and wa•me/1", "t.me/dani and wa.me/1"),
        # prose stays prose
        ("rooms at hotel dot com", "rooms at hotel.com"),
        ("see you at 9 • bring cash", "see you at 9 • bring cash"),
        ("ig @anna.work22", "ig @anna.work22"),
        ("1 2 3 4 5 6 7 8", "1 2 3 4 5 6 7 8"),
    ],
)
def test_contact_view(text, expected):
    assert contact_view(text).text == expected


def test_spans_map_back_to_the_original_characters():
    text = "mail: zara1286 {at} yandex{dot}ru ok"
    view = contact_view(text)
    start = view.text.index("zara")
    end = view.text.index(" ok")
    assert view.span(start, end) == (text.index("zara"), text.index(" ok"))
    keycaps = "call 4\ufe0f\u20e31\ufe0f\u20e3 now"
    clean = clean_view(keycaps)
    assert keycaps[slice(*clean.span(5, 7))] == "4\ufe0f\u20e31\ufe0f\u20e3"


@given(st.text(alphabet=st.sampled_from(list("ab 1@.[]()at dot\u200b\u00ad\ufe0f\u20e3５＠०📧-\n")), max_size=40))
def test_every_view_character_maps_inside_the_original_in_order(text):
    for view in (clean_view(text), contact_view(text)):
        assert len(view.text) == len(view.starts) == len(view.ends)
        assert all(0 <= a < b <= len(text) for a, b in zip(view.starts, view.ends))
        assert list(view.starts) == sorted(view.starts)
        if text.isascii() and "@" not in text and " at " not in text and "dot" not in text and "." not in text:
            assert view.text == text


# Pieces the '@'/'.' rewrites and the handle-before-platform pattern read, with runs of whitespace between them.
_PIECES = st.lists(
    st.sampled_from([" ", "  ", "\n", "\t", " " * 12, "[", "(", "{", "<", "]", ")", "}", ">", "-", "#", "•", ".", "@", "ⓐ"])
    | st.sampled_from(["at", "dot", "[at]", "(dot)", " [at] ", "a rond", "on", "snap", "ig", "x", "mia_4u", "rosie_137", "gmail.com"])
    | st.sampled_from(["hxxps://", "HXXP", "S://", "_h"]),
    max_size=25,
).map("".join)


def _plain_forms() -> list[tuple[re.Pattern[str], re.Pattern[str], str | int]]:
    """(fast pattern, its plain form, group compared) for each pattern written for speed."""
    from ethicscheck.privacy import _normalize
    from ethicscheck.privacy.recognizers import SocialHandleRecognizer

    pairs: list[tuple[re.Pattern[str], re.Pattern[str], str | int]] = [
        (p, re.compile(p.pattern.replace(_normalize._NOT_MID_SPACE, ""), p.flags), 0) for p in (_normalize._AT, _normalize._DOT)
    ]
    # '\bhxxp', opened with a plain class
    pairs.append((_normalize._HXXP, re.compile(r"(?i)(?=h)\bhxxp(?=s?://)"), 0))
    after = SocialHandleRecognizer()._compiled[3][0]
    words = r"(?:on|en|pe|sa|на|@|-|\|)"
    pairs.append((after, re.compile(after.pattern.replace(rf"\s*(?:{words}\s*)?", rf"\s*{words}?\s*"), after.flags), "value"))
    assert all(fast.pattern != plain.pattern for fast, plain, _ in pairs)
    return pairs


_PLAIN_FORMS = _plain_forms()


@settings(max_examples=200, deadline=None)
@given(text=_PIECES)
@example(text="x [at]  [at] gmail.com")
@example(text="rosie_137" + " " * 30 + "on" + " " * 30 + "snap")
def test_fast_rewrite_patterns_match_the_plain_ones(text):
    """The rewrites skip positions inside a run of whitespace, and the handle pattern reads the whitespace
    around its optional word once: both find exactly what the plain forms of the patterns find."""
    for fast, plain, group in _PLAIN_FORMS:
        assert [m.span(group) for m in fast.finditer(text)] == [m.span(group) for m in plain.finditer(text)]


def _clean_by_character(text: str) -> tuple[str, list[int], list[int]]:
    """The clean view's rule read one character at a time: an invisible character is dropped (and belongs to the
    character before it), any other becomes its folded form, standing for itself."""
    from ethicscheck.privacy._normalize import _FOLDED

    out, starts, ends = [], [], []
    for i, ch in enumerate(text):
        folded = ch if ch.isascii() else _FOLDED[ch]
        if not folded:
            if ends:
                ends[-1] = i + 1
            continue
        out.append(folded)
        starts.append(i)
        ends.append(i + 1)
    return "".join(out), starts, ends


_CLEAN_PIECES = [
    *"ab 1@.", "\u200b", "\u200d", "\u00ad", "\ufe0f", "\u20e3", "\U000e0101", "\u2460", "\u24ea", "\u2780", "\U0001f10b",
    *["\uff15", "\uff41", "\u3000", "\u0663", "\u096d", "\U0001d7d3", "é", "\u0301", "👻", "日", "4\ufe0f\u20e3"],
]  # fmt: skip


@settings(max_examples=1000, deadline=None)
@given(text=st.lists(st.sampled_from(_CLEAN_PIECES), max_size=16).map("".join))
def test_the_clean_view_maps_every_character_by_the_rule(text):
    view = clean_view(text)
    assert (view.text, list(view.starts), list(view.ends)) == _clean_by_character(text)
