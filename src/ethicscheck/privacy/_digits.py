"""Reading digits the way ads disguise them: words, look-alike letters and decorative digit forms."""

from __future__ import annotations

import re

__all__ = ["decode_word", "WORD_DIGITS", "has_digit_hint"]

WORD_DIGITS: dict[str, str] = {
    "zero": "0",
    "oh": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
# Homophones that ads use ("for80" = 480) but that are common words alone: they count only glued to
# other digits, never as a whole word on their own.
_HOMOPHONES: dict[str, str] = {"for": "4", "to": "2", "too": "2", "won": "1", "ate": "8"}
_LOOKALIKES: dict[str, str] = {"O": "0", "o": "0", "l": "1", "I": "1", "S": "5", "B": "8"}
_SEPARATORS = set("-.*/()+_,")
_KEYCAP = "\ufe0f\u20e3"
_WORD_PATTERN = re.compile("|".join(sorted([*WORD_DIGITS, *_HOMOPHONES], key=len, reverse=True)), re.IGNORECASE)
# Numbers that are quantities, not phone digit groups: a decimal (0.55, 18.50, 0.275), a thousands-
# grouped number (4,000) or a version (2.4.6, 0.15.0: a dotted number with a one-digit group). Checked per part of a word split at brackets and dashes, so '(0.12-1.39)' is one,
# while dotted phone groups such as 212.555.0143 or 06.12.34.56.78 (several dots) are not.
_QUANTITY = re.compile(r"\d+[.,]\d{1,2}|\d{1,3}(?:,\d{3})+|0[.,]\d+|\d+(?:\.\d+)*\.\d(?:\.\d+)*|\d(?:\.\d+){2,}")
_PARTS = re.compile(r"[-/()]+")
_HINT = re.compile(
    r"[0-9\uff10-\uff19\u2460-\u2468\u24ea]|[\U0001D7CE-\U0001D7FF]|zero|one|two|three|four|five|six|seven|eight|nine", re.IGNORECASE
)


def has_digit_hint(text: str) -> bool:
    """Cheap prefilter: does the text contain anything that could spell a digit?"""
    return _HINT.search(text) is not None


def decode_word(word: str) -> tuple[str, int] | None:
    """The digits a whitespace-free word spells, and how many of them were real digits.

    Returns None when any part of the word is not a digit form or a separator, so 'phone',
    'someone' or a hex string never decode. Examples: '2one2' -> ('212', 2); 'Ol43' -> ('0143', 2);
    '２１２' -> ('212', 3); 'for80' -> ('480', 2); 'SSS' -> ('555', 0).
    """
    if "%" in word or "$" in word or any(_QUANTITY.fullmatch(part) for part in _PARTS.split(word) if part):
        return None
    digits: list[str] = []
    real = 0
    spelled = 0
    i = 0
    while i < len(word):
        ch = word[i]
        if word.startswith(_KEYCAP, i + 1) and ch.isdigit():
            digits.append(ch)
            real += 1
            i += 1 + len(_KEYCAP)
            continue
        value = _digit_char(ch)
        if value is not None:
            digits.append(value)
            real += 1
            i += 1
            continue
        match = _WORD_PATTERN.match(word, i)
        if match:
            token = match.group(0).lower()
            digits.append(WORD_DIGITS.get(token) or _HOMOPHONES[token])
            spelled += 1
            i = match.end()
            continue
        if ch in _LOOKALIKES:
            digits.append(_LOOKALIKES[ch])
            i += 1
            continue
        if ch in _SEPARATORS:
            i += 1
            continue
        return None
    if not digits:
        return None
    if word.lower() in _HOMOPHONES or word.lower() in (
        "o",
        "oh",
        "so",
        "is",
        "i",
        "s",
        "b",
        "l",
        "bo",
        "ol",
        "lo",
        "sol",
        "boss",
        "loss",
        "oil",
        "soil",
        "solo",
    ):
        return None  # an ordinary short word on its own is not a digit group
    letters_only = real == 0 and spelled == 0
    if letters_only and len(word) < 3:
        return None
    return "".join(digits), real + spelled


def _digit_char(ch: str) -> str | None:
    code = ord(ch)
    if "0" <= ch <= "9":
        return ch
    if 0xFF10 <= code <= 0xFF19:  # fullwidth
        return str(code - 0xFF10)
    if 0x1D7CE <= code <= 0x1D7FF:  # mathematical digits (five styles of ten)
        return str((code - 0x1D7CE) % 10)
    if 0x2460 <= code <= 0x2468:  # circled 1-9
        return str(code - 0x2460 + 1)
    if code == 0x24EA:  # circled 0
        return "0"
    return None
