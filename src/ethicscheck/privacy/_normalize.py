"""One normalizer for disguised contact details, with an offset map back to the original text.

Every recognizer reads text through it. :func:`clean_view` undoes the disguises that never change meaning:
invisible characters (zero-width spaces and joiners, word joiners, byte-order marks, soft hyphens,
variation selectors, keycap marks) are dropped; digits of any script (Devanagari, Arabic-Indic, Persian,
Bengali, Thai, fullwidth, mathematical, circled) become ASCII digits; fullwidth punctuation and letters
become their ASCII forms. :func:`contact_view` goes further for e-mail addresses and links only: words and
symbols standing for "@" and "." ("name at gmail dot com", ``[at]``, ``(dot)``, ``ⓐ``, "arroba", "собака",
"#" between a name and a domain) become the characters, "hxxp" becomes "http", and letters spaced out one
by one are closed up. A :class:`View` maps any span of its text back to the original characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ethicscheck.privacy._gate import WARM_UP, Gate

__all__ = ["View", "clean_view", "contact_view", "rewrite"]

_INVISIBLE = {0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x20E3, 0xFE0E, 0xFE0F, 0xFEFF}
_INVISIBLE.update(range(0x200B, 0x2010))  # zero-width space, (non-)joiner, direction marks
_INVISIBLE.update(range(0x202A, 0x202F))
_INVISIBLE.update(range(0x2060, 0x2070))  # word joiner, invisible operators
# Circled and dingbat digits are "No" (not decimal) characters: mapped by their digit value.
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_CIRCLED = {
    *range(0x2460, 0x2469),
    0x24EA,
    *range(0x2776, 0x277F),
    *range(0x2780, 0x2789),
    *range(0x278A, 0x2793),
    0x24FF,
    0x1F10B,
    0x1F10C,
}


@dataclass(frozen=True)
class View:
    """A rewritten text and, per character, the original span it came from."""

    text: str
    starts: Sequence[int]
    ends: Sequence[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original ``(start, end)`` of the view's ``text[start:end]`` (end exclusive, non-empty span)."""
        return self.starts[start], self.ends[end - 1]


def clean_view(text: str) -> View:
    """``text`` without invisible characters, with every digit in ASCII and fullwidth forms folded."""
    return _clean(text)


@lru_cache(maxsize=64)
def _clean(text: str) -> View:
    size = len(text)
    if text.isascii():  # most text: nothing to undo, and no per-character work
        return View(text, range(size), range(1, size + 1))
    dropped: list[int] = []  # where the invisible characters were

    def folded(match: re.Match[str]) -> str:
        ch = _FOLDED[match.group(0)]
        if not ch:
            dropped.append(match.start())
        return ch

    out = _NON_ASCII.sub(folded, text)
    if not dropped:  # every character stands for one of the view
        return View(out, range(size), range(1, size + 1))
    # Each character left stands for itself; an invisible one belongs to the character before it (the first ones, to none).
    starts: list[int] = []
    position = 0
    for i in dropped:
        starts.extend(range(position, i))
        position = i + 1
    starts.extend(range(position, size))
    return View(out, tuple(starts), (*starts[1:], size) if starts else ())


class _Folds(dict[str, str]):
    """A character beyond ASCII -> what the clean view writes for it ('' for an invisible one), worked out once."""

    def __missing__(self, ch: str) -> str:
        code = ord(ch)
        if code in _INVISIBLE or 0xE0100 <= code <= 0xE01EF:
            folded = ""
        elif code in _CIRCLED:
            folded = str(unicodedata.digit(ch, 0))
        elif 0xFF01 <= code <= 0xFF5E:
            folded = chr(code - 0xFEE0)
        elif code == 0x3000:
            folded = " "
        elif ch.isdecimal():
            folded = str(unicodedata.decimal(ch, 0))
        else:
            folded = ch
        if len(self) < 65536:
            self[ch] = folded
        return folded


_FOLDED = _Folds()


def rewrite(view: View, pattern: re.Pattern[str], replacement: Callable[[re.Match[str]], str | None]) -> View:
    """Replace each match of ``pattern`` in ``view.text`` (None: leave it); a replacement maps to the whole
    matched span of the original."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    position = 0
    for match in pattern.finditer(view.text):
        a, b = match.span()
        new = replacement(match)
        if a == b or new is None:
            continue
        out.append(view.text[position:a])
        starts.extend(view.starts[position:a])
        ends.extend(view.ends[position:a])
        out.append(new)
        starts.extend([view.starts[a]] * len(new))
        ends.extend([view.ends[b - 1]] * len(new))
        position = b
    if position == 0 and not out:
        return view
    out.append(view.text[position:])
    starts.extend(view.starts[position:])
    ends.extend(view.ends[position:])
    return View("".join(out), tuple(starts), tuple(ends))


_OPEN, _CLOSE = r"[\[\(\{<]", r"[\]\)\}>]"
_AT_WORDS = r"at|@t|arroba|arobase|a\s?rond|sobaka|собака|エット|アット|アットマーク"
_DOT_WORDS = r"dot|d0t|period|punto|ponto|point|punct|tochka|точка|ドット"
_DOMAIN = r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])"
# Each pattern opens with a lookahead for the characters its alternatives can start with: the engine then
# rejects most positions with one test instead of trying every alternative there (same matches, ~4x faster).
# Nor does a match start inside a run of whitespace (after its first character): from there every alternative
# fails whenever it failed at the run's first character (each needs a word character before it or reads the
# run to its end with '\s*'), and no match ends inside a run. Without this, a report's indentation (runs of
# thousands of spaces) took time quadratic in the run's length.
_NOT_MID_SPACE = r"(?!(?<=\s)\s)"
_AT_OPENING = rf"(?i)(?=[\s\[\(\{{<\-ⓐⒶ📧🌀#]){_NOT_MID_SPACE}"
_AT_SIGNS = (
    rf"\s*{_OPEN}\s*(?:{_AT_WORDS}|@|#)\s*{_CLOSE}\s*"  # [at] (at) {{at}} <at> (@) [@] (#)
    rf"|(?<=\w)\s*-(?:{_AT_WORDS})-\s*(?=\w)"  # -at-
)
_AT_AFTER_WORDS = (
    rf"(?<=\w)\s*[ⓐⒶ📧🌀]\s*(?={_DOMAIN})|(?<=\w)\s+@\s+(?={_DOMAIN})"  # symbols for @, a spaced-out '@', before a domain
    rf"|(?<=[A-Za-z0-9_])#(?={_DOMAIN})"  # 'name#gmail.com'
)
_AT = re.compile(
    rf"{_AT_OPENING}(?:{_AT_SIGNS}"
    rf"|(?<=\w)(?P<word>\s+(?:{_AT_WORDS})\s+)(?=\w)"  # ' at ', ' arroba ' (after a user-name-like word only)
    rf"|{_AT_AFTER_WORDS})"
)
#: The '@' rewrite without its word form: a match of _AT that is not the word form is a match of this one.
_AT_NOT_WORD = re.compile(rf"{_AT_OPENING}(?:{_AT_SIGNS}|{_AT_AFTER_WORDS})")
#: Where _AT's word form may start: the first whitespace after a word character (opening with a class, the engine tries
#: only whitespace; searched again from each start, it finds every place, overlapping or not).
_AT_WORD = re.compile(rf"\s(?<=\w\s)\s*(?i:{_AT_WORDS})\s+(?=\w)")
#: What the gate reads for the word form: _AT_WORD right after a user-name-like word (:func:`_user_name_before`: the
#: characters a user name may hold, among them a digit, '.' or '_', the last a word character), without lookarounds,
#: so the gate reads it exactly. Most ads hold ' at ' after a plain word ('Message us at'): none of them is read again.
_AT_USER_WORD = re.compile(rf"(?:[0-9_]|[0-9._][A-Za-z0-9._%+-]*[A-Za-z0-9_])\s\s*(?i:{_AT_WORDS})\s+\w")
_DOT = re.compile(
    rf"(?i)(?=[\s\[\(\{{<\-•]){_NOT_MID_SPACE}(?:\s*{_OPEN}\s*(?:{_DOT_WORDS}|\.)\s*{_CLOSE}\s*"  # [.] (dot) {{.}}
    rf"|(?<=\w)\s*-(?:{_DOT_WORDS})-\s*(?=\w)"
    rf"|(?<=\w)\s+(?:{_DOT_WORDS})\s+(?=\w)"
    r"|(?<=\w)•(?=\w)|(?<=\w) \. (?=\w))"
)
# '\bhxxp' case-insensitive, opening with a plain class so the engine tries only the places holding an 'h'
_HXXP = re.compile(r"[hH](?<!\w[hH])(?i:xxp(?=s?://))")
# Single characters separated by single spaces, at least six of them, one being '@': spaced-out addresses.
_SPACED = re.compile(r"(?<!\S)(?:\S ){5,}\S(?!\S)")


def contact_view(text: str) -> View:
    """The clean view with disguised '@', '.', 'http' and spaced-out letters undone, for e-mails and links."""
    return _contact(text)


@lru_cache(maxsize=64)
def _contact(text: str) -> View:
    clean = view = clean_view(text)
    # One compiled pass over the clean view tells which rewrites may change it (few texts need any); after a rewrite
    # that changed it, the next rewrites are simply run.
    gate = _contact_gate()
    possible = gate.possible(view.text)
    if "@" in view.text and _may_match(gate, possible, _GATE_SPACED, view.text):
        view = _drop_spaces(view, _SPACED)  # only a run holding an '@' is closed up
    if view is not clean or _at_may_change(gate, possible, view.text):
        view = rewrite(view, _AT, _at)
    if view is not clean or _may_match(gate, possible, _GATE_DOT, view.text):  # few texts write a dot as a word or symbol
        view = rewrite(view, _DOT, lambda m: ".")
    if view is not clean or _may_match(gate, possible, _GATE_HXXP, view.text):
        view = rewrite(view, _HXXP, lambda m: "http")
    return view


def _may_match(gate: Gate, possible: set[int] | None, i: int, text: str) -> bool:
    """False when the gate rules out a match of its pattern ``i`` in ``text`` (True when it cannot tell: the rewrite runs)."""
    return possible is None or not gate.no_match(possible, i, text)


_GATE_SPACED, _GATE_AT_NOT_WORD, _GATE_AT_WORD, _GATE_DOT, _GATE_HXXP = range(5)


@lru_cache(maxsize=1)
def _contact_gate() -> Gate:
    return Gate([_SPACED, _AT_NOT_WORD, _AT_USER_WORD, _DOT, _HXXP], warm_up=WARM_UP)


def _at_may_change(gate: Gate, possible: set[int] | None, text: str) -> bool:
    """Can the '@' rewrite change ``text``? Only through a match that is not its word form (' at '), or through the
    word form after a user-name-like word (:func:`_at`): False when neither can be in the text."""
    if possible is None:
        return True
    if not gate.no_match(possible, _GATE_AT_NOT_WORD, text):
        return True
    if _GATE_AT_WORD in possible:
        if _GATE_AT_WORD in gate.exact:
            return True
        found = _AT_WORD.search(text)
        while found is not None:
            if _user_name_before(text, found.start()):
                return True
            found = _AT_WORD.search(text, found.start() + 1)
    return False


_USER_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._%+-")


def _at(match: re.Match[str]) -> str | None:
    """'@' for a disguised at-sign; the bare word 'at' only after a user-name-like word ('rosie_137 at'),
    so 'rooms at hotel dot com' stays prose."""
    if match.group("word") is not None and not _user_name_before(match.string, match.start()):
        return None
    return "@"


def _user_name_before(text: str, end: int) -> bool:
    """The characters a user name may hold, right before ``end``, include a digit, '.' or '_'."""
    start = end
    while start > 0 and text[start - 1] in _USER_CHARS:
        start -= 1
    return any(ch.isdigit() or ch in "._" for ch in text[start:end])


def _drop_spaces(view: View, pattern: re.Pattern[str]) -> View:
    """Close up letters spaced out one by one ('r u b y @ a o l . c o m') when the run holds an '@'."""
    keep = [True] * len(view.text)
    for match in pattern.finditer(view.text):
        if "@" in match.group(0):
            for i in range(match.start(), match.end()):
                keep[i] = view.text[i] != " "
    if all(keep):
        return view
    chosen = [i for i, k in enumerate(keep) if k]
    return View("".join(view.text[i] for i in chosen), tuple(view.starts[i] for i in chosen), tuple(view.ends[i] for i in chosen))
