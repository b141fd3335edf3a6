"""The digit reader: chunks read once per distinct chunk give the tokens a whole-text reading gives."""

from __future__ import annotations

import re

import pytest

from ethicscheck.privacy import _digits
from ethicscheck.privacy._digits import digit_runs, spelled_digits


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call 415.555.0188 now", "4155550188"),
        ("four one five  5550188", "4155550188"),
        ("two\none\ttwo\u00a0five", "2125"),
        ("Pay $18.50, 4,000 or 0x1f", ""),
        ("  +44 double seven 00 900 123  ", "447700900123"),
        ("", ""),
    ],
)
def test_spelled_digits(text, expected):
    assert spelled_digits(text) == expected


def test_a_chunk_reads_the_same_wherever_it_stands():
    # the same chunks at other offsets, after other words, on other lines: groups keep their own spans
    first = digit_runs("Text 415.555.0188 today")
    second = digit_runs("Office hours\n  Text 415.555.0188 today")
    assert [(g.digits, g.start, g.end, g.line) for g in first[0].groups] == [("415", 5, 8, 0), ("555", 9, 12, 0), ("0188", 13, 17, 0)]
    assert [(g.digits, g.start, g.end, g.line) for g in second[0].groups] == [("415", 20, 23, 1), ("555", 24, 27, 1), ("0188", 28, 32, 1)]


def test_the_chunk_memory_starts_afresh_at_its_limit(monkeypatch):
    memory, tokens = _digits._ChunkMemory(), _digits._TokenMemory()
    monkeypatch.setattr(_digits, "_CHUNKS", memory)
    monkeypatch.setattr(_digits, "_CHUNK_TOKENS", tokens)
    monkeypatch.setattr(_digits._ChunkMemory, "LIMIT", 3)
    text = "one 22 three 44 five 66 seven"
    expected = _digits._tokens(text)
    assert len(memory) <= 3 and len(tokens) <= 3
    assert _digits._tokens(text) == expected
    assert memory["hello"] == "w" and memory["--"] == "n"  # words break a run; other chunks do not
    assert memory["4,000."] == "t" and tokens["4,000."] == (("break", 0, 6, ""),)  # a quantity
    tokens.clear()  # tokens forgotten (the memory started afresh within a text) are read again
    assert _digits._tokens(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", " ", "two", " two ", "a 2 b", "2  a\tb\n\n3", "word word 22 word", "22 -- 33", "x 22 -- y 33", "\u00a0 4 \u2028five six"],
)
def test_tokens_read_chunk_by_chunk_as_the_whole_text_reads(text):
    # every chunk's tokens at its offset, a break for the words between two chunks read
    expected: list[tuple[str, int, int, str]] = []
    previous_end, letters = 0, False
    for match in re.finditer(r"\S+", text):
        chunk = match.group(0)
        if not _digits._interesting().search(chunk):
            letters = letters or _digits._LETTER.search(chunk) is not None
            continue
        if letters:
            expected.append(("break", previous_end, match.start(), ""))
        previous_end, letters = match.end(), False
        expected.extend((kind, a + match.start(), b + match.start(), value) for kind, a, b, value in _digits._read_chunk(chunk))
    assert _digits._tokens(text) == expected


def test_line_breaks_end_runs_by_the_gap_they_make():
    # a run ends where the separators between two groups grow past a dozen characters, line breaks counted
    assert [[g.digits for g in run.groups] for run in digit_runs("415\n\n\n555 0188")] == [["415", "555", "0188"]]
    assert [[g.digits for g in run.groups] for run in digit_runs("415" + "\n" * 13 + "555 0188")] == [["415"], ["555", "0188"]]
    assert [g.line for g in digit_runs("x\n415\n555")[0].groups] == [1, 2]


def test_a_chunk_reads_as_its_shape_with_its_own_digits():
    # chunks whose ASCII digits 2-9 are read as 1 share one reading: the same letter, the same tokens but the
    # digits' values; 0 is kept (quantities read a leading '0.' and '0x')
    import random

    rng = random.Random(3)
    alphabet = [*"0123456789" * 3, *"OolISBZgsxX.,-/()+#$%_@:'", "two", "for", "oh", "ext", "dot", "fifty", "plus"]
    alphabet += ["0x", "0.", "é", "٣", "²"]
    chunks = {"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 9))) for _ in range(10_000)}
    chunks |= {"".join(rng.choice("123456789") if ch in "123456789" else ch for ch in chunk) for chunk in chunks for _ in range(3)}
    assert len({_digits._shape(chunk) for chunk in chunks if chunk.isascii()}) < len(chunks) / 2  # the shapes are shared
    for chunk in chunks:
        alone = _digits._read(chunk)
        if chunk.isascii():  # the shape's reading, as another chunk of that shape gave it, with this chunk's digits
            kind, tokens, written = _digits._read(_digits._shape(chunk))
            assert (kind, _digits._filled(tokens, written, chunk)) == alone[:2], chunk
        assert _digits._read_new(chunk) == alone[:2], chunk  # read afresh, or as a shape read before


@pytest.mark.parametrize(
    ("word", "expected"),
    [("fiftyfive", ["50", "5"]), ("dieciseis", ["16"]), ("unonce", None), ("oneone", ["1", "1"]), ("phone", None), ("fivex", None)],
)
def test_number_words_glued_together_are_read_longest_first(word, expected):
    # longest word first at each position, never backing off: "unonce" reads "uno" and then "nce", no number
    assert _digits._split_number_words(word) == expected
