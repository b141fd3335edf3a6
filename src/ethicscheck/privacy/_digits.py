"""Reading digits the way ads disguise them: digit words in seven languages, compounds ("fifty-five",
"cincuenta y cinco"), "double"/"triple", look-alike letters glued to digits, and any separator between them.

:func:`digit_runs` reads the normalizer's clean view (every script's digits already ASCII, invisible
characters gone) and returns runs of digit groups that only separators (spaces, punctuation, emoji,
symbols, line breaks) stand between. Each group keeps its span, so a phone number found in a run maps back
to the characters that wrote it. A word that is not a number word breaks a run.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from typing import TypeAlias

__all__ = [
    "Group",
    "Run",
    "digit_runs",
    "digit_anchors",
    "anchor_words",
    "spelled_digits",
    "fold",
    "number_word_forms",
    "trie_pattern",
    "NUMBER_WORDS",
]

_UNITS = {
    "en": "zero one two three four five six seven eight nine",
    "es": "cero uno dos tres cuatro cinco seis siete ocho nueve",
    "pt": "zero um dois tres quatro cinco seis sete oito nove",
    "fr": "zero un deux trois quatre cinq six sept huit neuf",
    "ro": "zero unu doi trei patru cinci sase sapte opt noua",
    "tl": "sero isa dalawa tatlo apat lima anim pito walo siyam",
    "ru": "ноль один два три четыре пять шесть семь восемь девять",
}
_TEENS = {
    "en": "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen",
    "es": "diez once doce trece catorce quince dieciseis diecisiete dieciocho diecinueve",
    "pt": "dez onze doze treze catorze quinze dezesseis dezessete dezoito dezenove",
    "fr": "dix onze douze treize quatorze quinze seize dix-sept dix-huit dix-neuf",
    "ru": "десять одиннадцать двенадцать тринадцать четырнадцать пятнадцать шестнадцать семнадцать восемнадцать девятнадцать",
}
_TENS = {
    "en": "twenty thirty forty fifty sixty seventy eighty ninety",
    "es": "veinte treinta cuarenta cincuenta sesenta setenta ochenta noventa",
    "pt": "vinte trinta quarenta cinquenta sessenta setenta oitenta noventa",
    "fr": "vingt trente quarante cinquante soixante",
    "ru": "двадцать тридцать сорок пятьдесят шестьдесят семьдесят восемьдесят девяносто",
}
#: Lower-case, accent-free number word -> its digits.
NUMBER_WORDS: dict[str, str] = {}
for _words in _UNITS.values():
    NUMBER_WORDS.update({w: str(i) for i, w in enumerate(_words.split())})
for _words in _TEENS.values():
    NUMBER_WORDS.update({w: str(10 + i) for i, w in enumerate(_words.split()) if "-" not in w})
for _words in _TENS.values():
    NUMBER_WORDS.update({w: str(20 + 10 * i) for i, w in enumerate(_words.split())})
NUMBER_WORDS.update({"oh": "0", "wala": "0", "una": "1", "une": "1", "uma": "1", "duas": "2", "doua": "2", "meia": "6", "quatorze": "14"})
NUMBER_WORDS.update({"нуль": "0", "одна": "1", "две": "2", "veintiuno": "21", "veintidos": "22", "veintitres": "23"})
NUMBER_WORDS.update({f"veinti{u}": str(20 + i) for i, u in enumerate("_ _ _ _ cuatro cinco seis siete ocho nueve".split()) if u != "_"})
_PLUS = {"plus", "mas", "mais", "плюс"}
_EXTENSION = {"x", "ext", "extension", "ex", "доб"}
_MULTIPLIERS = {"double": 2, "dbl": 2, "doble": 2, "dublu": 2, "triple": 3, "tpl": 3, "triplo": 3, "tripla": 3}
_CONNECTORS = {"y", "e", "et", "si", "и"}  # inside compounds: 'cincuenta y cinco'
_JOINERS = {"dot", "dash", "punto", "ponto", "point", "tiret", "guion", "slash"}  # between groups: '212 dot 555'
# Homophones and look-alike letters count only glued to real digits ("for80", "2l2", "0770o").
_GLUED = {"for": "4", "to": "2", "too": "2", "won": "1", "ate": "8"}
_LOOKALIKES = {"o": "0", "l": "1", "i": "1", "s": "5", "b": "8", "z": "2", "g": "9"}
_TOKEN = re.compile(r"(?P<nl>\n)|(?P<digits>\d+)|(?P<plus>\+)|(?P<letters>[^\W\d_]+)")
_LOOKALIKE_CHUNK = re.compile(r"[\dOolISBZg()/*+_.-]+")
# Quantities, not digit groups: decimals (18.50), thousands (4,000), versions (2.4.6), money, percentages.
_QUANTITY = re.compile(r"\d+[.,]\d{1,2}|\d{1,3}(?:,\d{3})+|0[.,]\d+|\d+(?:\.\d+)*\.\d(?:\.\d+)*|\d(?:\.\d+){2,}")
_PARTS = re.compile(r"[-/()]+")
_MAX_GAP = 12  # separators longer than this (a sentence, not a dash or an emoji run) end a number
_HEX = re.compile(r"(?i)0x[0-9a-f]+|(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{8,}")


@dataclass
class Group:
    """Digits written by one token (or a compound), with its span in the clean text."""

    digits: str
    start: int
    end: int
    plain: bool  # written with ASCII-decimal digits (after normalizing)
    line: int  # line number in the text


@dataclass
class Run:
    """Digit groups with only separators between them; ``plus`` marks a leading '+' or 'plus' word."""

    groups: list[Group] = field(default_factory=list)
    plus_at: int | None = None  # start of the '+' (or 'plus' word) before the first group
    extensions: list[int] = field(default_factory=list)  # indices of groups that follow 'x' / 'ext'


def spelled_digits(text: str) -> str:
    """Every digit the text spells, in order ('2one2 555' -> '2125550')."""
    return "".join(g.digits for run in digit_runs(text) for g in run.groups)


def digit_runs(text: str) -> list[Run]:
    """Runs of digit groups in ``text`` (a clean view's text); see the module docstring."""
    runs: list[Run] = []
    run = Run()
    pending_plus: int | None = None
    multiplier = 1
    after_extension = False
    last_end = 0
    lines = "\n" in text
    for offset, chunk_tokens in _segments(text):
        for kind, a, b, value in chunk_tokens:
            start, end = a + offset, b + offset
            if run.groups and start - last_end > _MAX_GAP:  # the separators between groups
                runs.append(run)
                run, pending_plus, multiplier = Run(), None, 1
            if kind == "break":
                if run.groups:  # a run without groups is as new: kept
                    runs.append(run)
                    run = Run()
                pending_plus, multiplier, after_extension = None, 1, False
            elif kind == "plus":
                if run.groups:
                    runs.append(run)
                    run = Run()
                pending_plus = start
            elif kind == "mult":
                multiplier = int(value)
            elif kind == "ext":
                after_extension = bool(run.groups)
            elif kind == "connector":
                pass
            elif kind == "digits":
                digits = value[0] * multiplier + value[1:] if multiplier > 1 and len(value) == 1 else value
                if not run.groups and pending_plus is not None:
                    run.plus_at = pending_plus
                line = text.count("\n", 0, start) if lines else 0
                group = Group(digits, start, end, plain=value.isdigit() and text[start:end].isdigit(), line=line)
                if run.groups and not group.plain and _compound(run, group, text):
                    prior = run.groups[-1]
                    run.groups[-1] = Group(prior.digits[0] + group.digits, prior.start, end, False, prior.line)
                else:
                    if after_extension:
                        run.extensions.append(len(run.groups))
                    run.groups.append(group)
                multiplier, after_extension = 1, False
            last_end = end  # the gap to the next group counts the line breaks and indentation in between
    if run.groups:
        runs.append(run)
    return runs


def _compound(run: Run, group: Group, text: str) -> bool:
    """'fifty' + 'five' (or 'cincuenta y cinco', 'soixante-dix') read as one two-digit group."""
    if not run.groups or group.plain:
        return False
    prior = run.groups[-1]
    if prior.plain or len(prior.digits) != 2 or prior.digits[1] != "0" or prior.digits[0] in "01":
        return False
    between = text[prior.end : group.start].strip(" -").lower()
    if between and between not in _CONNECTORS:
        return False
    return (len(group.digits) == 1 and group.digits != "0") or (
        prior.digits == "60" and group.digits.startswith("1") and len(group.digits) == 2
    )


_ChunkTokens: TypeAlias = tuple[tuple[str, int, int, str], ...]


def _segments(text: str) -> list[tuple[int, _ChunkTokens]]:
    """(offset, tokens) for each chunk that holds a digit form (its tokens' offsets are within the chunk), with a
    ("break", start, end, "") token of its own (offset 0) before it when words stand between it and the last one.

    A chunk is a run of non-space characters; the tokens are digit groups, '+'/plus words, multipliers,
    extension marks, connectors and breaking words.
    """
    chunks = text.split()
    starts = list(accumulate(map(len, chunks), initial=0))
    if starts[-1] + len(chunks) - 1 == len(text):  # one whitespace character between chunks, none around them
        gaps = 1  # chunk i starts after the i characters between the chunks before it
    else:
        parts = _SPACES.split(text)  # chunk, spaces, chunk, ..., chunk
        chunks = parts[::2]
        starts = list(accumulate(map(len, parts), initial=0))[::2]
        gaps = 0
    # One letter per chunk (see _ChunkMemory); only chunks that can hold a digit form are read, and a word
    # between two of them breaks a run. The string is searched instead of the chunks looped over in Python.
    kinds = "".join(map(_CHUNKS.__getitem__, chunks))
    segments: list[tuple[int, _ChunkTokens]] = []
    previous_end = 0
    position = 0
    while (index := kinds.find("t", position)) >= 0:
        start = starts[index] + index * gaps
        if kinds.find("w", position, index) >= 0:  # a word since the last chunk read
            segments.append((0, (("break", previous_end, start, ""),)))
        chunk = chunks[index]
        previous_end = start + len(chunk)
        segments.append((start, _CHUNK_TOKENS[chunk]))
        position = index + 1
    return segments


def _tokens(text: str) -> list[tuple[str, int, int, str]]:
    """The tokens :func:`digit_runs` reads, with offsets in ``text``."""
    return [(kind, a + offset, b + offset, value) for offset, tokens in _segments(text) for kind, a, b, value in tokens]


class _ChunkMemory(dict[str, str]):
    """What each chunk holds, read once per distinct chunk: ads repeat their words, and a chunk's tokens
    depend on its own characters only (the characters around it are whitespace).

    A chunk maps to one letter: "t" when it holds a digit form (its tokens, with offsets within the chunk,
    are in ``_CHUNK_TOKENS``), "w" when it holds a letter (then it breaks a run), "n" otherwise.
    """

    LIMIT = 1 << 16  # chunks remembered before starting afresh

    def __missing__(self, chunk: str) -> str:
        if len(self) >= self.LIMIT:
            self.clear()
            _CHUNK_TOKENS.clear()
        kind, tokens = _read_new(chunk)
        if kind == "t":
            _CHUNK_TOKENS[chunk] = tokens
        self[chunk] = kind
        return kind


class _TokenMemory(dict[str, _ChunkTokens]):
    """The tokens of the chunks that hold a digit form, read again if forgotten (at the limit, as the letters are)."""

    def __missing__(self, chunk: str) -> _ChunkTokens:
        if len(self) >= _ChunkMemory.LIMIT:
            self.clear()
        read = self[chunk] = _read_chunk(chunk)
        return read


_CHUNKS = _ChunkMemory()
_CHUNK_TOKENS = _TokenMemory()
_SPACES = re.compile(r"(\s+)")


def _read_chunk(chunk: str) -> _ChunkTokens:
    """The tokens of one chunk that holds a digit form, with offsets within the chunk."""
    return _read_new(chunk)[1]


def _read_new(chunk: str) -> tuple[str, _ChunkTokens]:
    """A chunk's letter for _ChunkMemory and its tokens, read as its shape when it has one (see _SHAPES)."""
    if chunk.isalpha() or not chunk.isascii():  # a word, or other scripts: no shape to share
        kind, tokens, _ = _read(chunk)
        return kind, tokens
    shape = _shape(chunk)
    known = _SHAPES.get(shape)
    if known is None:
        if len(_SHAPES) >= _ChunkMemory.LIMIT:
            _SHAPES.clear()
        known = _SHAPES[shape] = _read(chunk)  # the chunk's own digits stand in for the shape's
        return known[0], known[1]
    kind, tokens, written = known
    return kind, _filled(tokens, written, chunk)


def _filled(tokens: _ChunkTokens, written: tuple[int, ...], chunk: str) -> _ChunkTokens:
    """A shape's tokens with the digits ``chunk`` writes (``written``: the indices of digits written as digits)."""
    if not written:
        return tokens
    filled = list(tokens)
    for index in written:
        _, start, end, _ = filled[index]
        filled[index] = ("digits", start, end, chunk[start:end])
    return tuple(filled)


def _shape(chunk: str) -> str:
    """An ASCII ``chunk`` with its digits 2-9 read as 1 (see _SHAPES)."""
    return chunk.encode().translate(_ONES).decode()


_ONES = bytes.maketrans(b"23456789", b"11111111")
#: What an ASCII chunk's shape (its digits 2-9 read as 1) holds: its letter for _ChunkMemory and, for "t", its
#: tokens and which of them are digits written as digits (as one chunk of that shape wrote them).
#:
#: Which digits a chunk holds changes nothing but those tokens' values, as long as 0 stays 0: the tokenizer,
#: the words and their checks, the search for a digit form and for a letter read whether a character is a
#: digit, never which; the quantity patterns read a leading 0 ('0.5' is one, '1.555' is not) and '0x'
#: (hexadecimal). Handles, addresses and numbers written alike ('sam41@example.com', '213.555.0162.') share a
#: shape: reading a new chunk is then a look-up and a copy of its digits.
_SHAPES: dict[str, tuple[str, _ChunkTokens, tuple[int, ...]]] = {}


def _read(chunk: str) -> tuple[str, _ChunkTokens, tuple[int, ...]]:
    """What a chunk holds (see _SHAPES), read from its own characters."""
    if not _interesting().search(chunk):
        return ("w" if _LETTER.search(chunk) is not None else "n", (), ())
    if _is_quantity(_TRAILING_SYMBOLS.sub("", chunk)):
        return ("t", (("break", 0, len(chunk), ""),), ())
    tokens: list[tuple[str, int, int, str]] = []
    written: list[int] = []
    for match in _TOKEN.finditer(chunk):
        kind, start, end = match.lastgroup or "", match.start(), match.end()
        if kind == "plus":
            tokens.append((kind, start, end, ""))
        elif kind == "digits":
            written.append(len(tokens))
            tokens.append(("digits", start, end, match.group(0)))
        else:
            tokens.extend(_word(chunk, start, end))
    return ("t", tuple(tokens), tuple(written))


_LETTER = re.compile(r"[^\W\d_]")
_TRAILING_SYMBOLS = re.compile(r"[^\w(]+$")  # '0.1×', '18.50,' and '4,000.' are quantities all the same
_ACCENTED = "zéro șase şase șapte şapte nouă două três veintidós veintitrés veintiséis dieciséis más"


def number_word_forms() -> list[str]:
    """Every spelling of a number word the reader knows, with and without accents, longest first."""
    return sorted({*NUMBER_WORDS, *_ACCENTED.split()} - {"más"}, key=len, reverse=True)


def digit_anchors() -> re.Pattern[str]:
    """What every digit group :func:`digit_runs` reads starts from: no match, no digits (a phone prefilter)."""
    return _interesting()


@lru_cache(maxsize=1)
def _interesting() -> re.Pattern[str]:
    """Chunks that may hold digits: a digit or '+', a run of letters made only of number words, or a word
    that works between them ('plus', 'double', 'x', 'dot').

    Number words count only as whole letter runs: a word that merely contains one ('phone', 'money') can
    only break a run, and the gap's letters break it all the same. Tried at word starts only, this is
    twice as fast as looking for number words inside every word. (Homophones and look-alike letters count
    only glued to digits, so their chunks hold a digit anyway.)
    """
    spelled, between = anchor_words()
    return re.compile(rf"(?i)[\d+]|(?<!{_LETTER.pattern})(?:{spelled})(?!{_LETTER.pattern})|(?<!\w)(?:{between})(?!\w)")


def anchor_words() -> tuple[str, str]:
    """The words :func:`digit_anchors` finds, as two regex alternations (lower case): number words (glued
    ones too) and the words that lead a number ('plus', 'double'), which count as whole letter runs; and the
    words that work between digit groups ('x', 'dot', 'y'), which count as whole words."""
    words = number_word_forms()
    leading = sorted({*_PLUS, *_MULTIPLIERS, "más"}, key=len, reverse=True)
    bare = sorted({*_EXTENSION, *_CONNECTORS, *_JOINERS, "și"}, key=len, reverse=True)
    return f"(?:{trie_pattern(words)})+|{trie_pattern(leading)}", trie_pattern(bare)


#: A prefix tree of words: letter -> the subtree after it ("" marks the end of a word).
_Trie: TypeAlias = dict[str, "_Trie"]


def trie_pattern(words: list[str]) -> str:
    """One regex alternation shaped as a prefix tree ('fi(?:ve|fty)'): Python's engine tries a flat list of
    two hundred words one by one at every position; a tree rules most of them out at the first letter."""
    tree: _Trie = {}
    for word in words:
        node = tree
        for ch in word.lower():
            node = node.setdefault(ch, {})
        node[""] = {}

    def render(node: _Trie) -> str:
        branches = [re.escape(ch) + render(child) for ch, child in sorted(node.items()) if ch]
        optional = "" in node
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not optional else "(?:" + "|".join(branches) + ")"
        return body + ("?" if optional else "")

    return render(tree)


# Number words glued together ('fiftyfive'), read longest word first at each position: a prefix tree finds
# the same words as the flat list sorted longest first (along the text only one branch can match).
_WORD_SPLIT = re.compile(trie_pattern(list(NUMBER_WORDS)))
_MONEY = frozenset("%$€£¥₹₱₦")
_LOOKALIKE_LETTERS = frozenset(_LOOKALIKES)


def _is_quantity(body: str) -> bool:
    if not _MONEY.isdisjoint(body) or _HEX.fullmatch(body.lstrip("#(")):
        return True
    return any(_QUANTITY.fullmatch(part) for part in _PARTS.split(body.lstrip("+")) if part)


def _word(text: str, start: int, end: int) -> list[tuple[str, int, int, str]]:
    raw = text[start:end]
    word = fold(raw)
    glued = (start > 0 and text[start - 1].isdigit()) or (end < len(text) and text[end].isdigit())
    if word in _PLUS:
        return [("plus", start, end, "")]
    if word in _MULTIPLIERS:
        return [("mult", start, end, str(_MULTIPLIERS[word]))]
    if word in _CONNECTORS or word in _JOINERS:
        return [("connector", start, end, "")]
    if word in _EXTENSION:
        return [("ext", start, end, "")]
    if glued and word in _GLUED:
        return [("digits", start, end, _GLUED[word])]
    if _LOOKALIKE_LETTERS.issuperset(word) and (glued and len(word) <= 3 or _digit_like_chunk(text, start, end)):
        return [("digits", start, end, "".join(_LOOKALIKES[ch] for ch in word))]
    parts = _split_number_words(word)
    if parts is None:
        return [("break", start, end, "")]
    if len(word) != len(raw):  # accents folded away: one group for the whole word
        return [("digits", start, end, "".join(parts))]
    out = []
    position = start
    for part_word, digits in zip(_WORD_SPLIT.findall(word), parts):
        out.append(("digits", position, position + len(part_word), digits))
        position += len(part_word)
    return out


def _digit_like_chunk(text: str, start: int, end: int) -> bool:
    """The whitespace-free chunk around a word is digits, look-alike letters and separators only, with at
    least two real digits ('2l2-SSS-Ol43'), so its letters are digits in disguise."""
    left = start
    while left > 0 and not text[left - 1].isspace():
        left -= 1
    right = end
    while right < len(text) and not text[right].isspace():
        right += 1
    body = text[left:right].rstrip(".,;:!?\"')")
    return _LOOKALIKE_CHUNK.fullmatch(body) is not None and sum(ch.isdigit() for ch in body) >= 2


def _split_number_words(word: str) -> list[str] | None:
    """The digits of a word made only of number words ('fiftyfive' -> ['50', '5']), else None."""
    if word in NUMBER_WORDS:
        return [NUMBER_WORDS[word]]
    pieces = _WORD_SPLIT.findall(word)
    if not pieces or "".join(pieces) != word:
        return None
    return [NUMBER_WORDS[p] for p in pieces]


def fold(word: str) -> str:
    """Lower case without accents (Cyrillic 'й' keeps its breve: it is a letter of its own)."""
    lowered = word.lower()
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch) or ch == "\u0306")
