"""Phone numbers as they appear in ads, plain or disguised, validated with phonenumbers."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import accumulate
from typing import Any

import phonenumbers
from presidio_analyzer import EntityRecognizer, RecognizerResult

from ethicscheck._vocabulary import DEFAULT_PHONE_REGIONS
from ethicscheck.privacy._digits import Group, Run, anchor_words, digit_runs
from ethicscheck.privacy._explained import better_explanation
from ethicscheck.privacy._normalize import View, clean_view
from ethicscheck.privacy._phone_regions import digits_answer, international_answer
from ethicscheck.privacy.recognizers._regex import make_result

__all__ = ["RECOGNIZER", "ObfuscatedPhoneRecognizer", "PREFILTER"]

_SPELLED, _BETWEEN = anchor_words()
_DIGIT = "\\d+\u2460-\u2469\u24ea\u2776-\u2793"  # the circled digits as characters, not escapes
#: Necessary condition for a phone: a digit of any script, '+', a word made of number words of a supported
#: language, or a word that joins digit groups; every digit group the recognizer reads starts with one
#: (:func:`~ethicscheck.privacy._digits.digit_anchors`). Circled digits are listed for raw text (the clean
#: view the scanner checks has them in ASCII). Written for speed: the first branch finds the first digit in
#: one pass from the start (most ads hold one); the letters around a word are matched rather than looked
#: around, so the compiled gate could read it exactly (see ``GATE_PREFILTER`` for why it does not).
PREFILTER = re.compile(rf"(?i)\A[^{_DIGIT}]*[{_DIGIT}]|(?:^|[\W\d_])(?:{_SPELLED})(?:[\W\d_]|$)|(?:^|\W)(?:{_BETWEEN})(?:\W|$)")
_MIN_DIGITS, _MIN_CUED_DIGITS, _MAX_DIGITS = 9, 7, 15
# A phone cue right before the number ('Phone:', 'call me on', 'Desk:'), or a phone label right after it.
_CUE_BEFORE = re.compile(
    r"(?i)\b(?:phone|tel|telephone|mobile|mob|cell|cellphone|call(?:\s+me)?(?:\s+(?:on|at))?|fax|desk|office|home|work|"
    r"whats\s?app|text|txt|sms|ph|contact|registered|number)\b\W{0,6}$"
)
_LABEL_AFTER = re.compile(r"(?i)^[\s\-,]*(?:office|fax|mobile|desk|home|work|cell)\b")
_PLAIN = re.compile(r"\+?[\d\s().-]+")
_EXTENSION_DIGITS = 6
# What the checks read around a candidate: cue words, units, a street name are within a few words of it (the
# checks searched the whole text before it, once per candidate, for a cue that must end right before it).
_AROUND = 100


class ObfuscatedPhoneRecognizer(EntityRecognizer):
    """Find phone numbers written plainly or disguised: digit words in seven languages and compounds
    ("fifty-five", "cincuenta y cinco"), "oh", "double/triple", look-alike letters, any script's digits,
    emoji and symbols between digits, zero-width characters, digits glued to words, numbers split
    across lines (only when the lines hold nothing else), and extensions.

    The text is read through the shared normalizer (:mod:`ethicscheck.privacy._normalize`); runs of digit
    groups (:func:`~ethicscheck.privacy._digits.digit_runs`) are searched for the longest window that
    ``phonenumbers`` finds valid for a configured region (or internationally after a '+' or 'plus'), and
    kept only when nothing explains the digits better (:mod:`ethicscheck.privacy._explained`).
    """

    ENTITY = "PHONE_NUMBER"
    PREFILTER = PREFILTER
    # The gate reads it exactly, but its number words take 0.23 s to compile into a scan's gate, more than the
    # ~2 us per text the gate would spare it (its first branch answers at the first digit of most ads).
    GATE_PREFILTER = False

    @classmethod
    def for_scan(cls, *, phone_regions: tuple[str, ...]) -> ObfuscatedPhoneRecognizer:
        """The instance a scan registers: numbers valid in the scan's ``privacy.phone_regions``."""
        return cls(list(phone_regions))

    def __init__(self, supported_regions: list[str] | None = None, supported_language: str = "en") -> None:
        self.regions = list(supported_regions or DEFAULT_PHONE_REGIONS)
        super().__init__(
            supported_entities=["PHONE_NUMBER"],
            name="ObfuscatedPhoneRecognizer",
            supported_language=supported_language,
            context=["phone", "call", "text", "whatsapp", "number", "contact", "tel", "cell", "mobile"],
        )

    def load(self) -> None:  # nothing to load: no model, no network
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        if "PHONE_NUMBER" not in entities:  # PREFILTER is applied by the scanner, before this call
            return []
        view = clean_view(text)
        results = []
        regions = tuple(self.regions)
        for run in digit_runs(view.text):
            for start, end, plain in self._numbers_in(run, view, regions):
                results.append(make_result(self, "PHONE_NUMBER", start, end, 0.75 if plain else 0.7))
        return results

    def _numbers_in(self, run: Run, view: View, regions: tuple[str, ...]) -> list[tuple[int, int, bool]]:
        """Greedy: from each group, the longest window that is a valid, unexplained number; then go on after it."""
        groups, text = run.groups, view.text
        if len(groups) == 1 and len(groups[0].digits) < _MIN_CUED_DIGITS:  # most runs: a lone short group
            return []
        # digits before each group: a window's length without joining its digits
        counts = list(accumulate([len(g.digits) for g in groups], initial=0))
        if counts[-1] < _MIN_CUED_DIGITS or (counts[-1] > _MAX_DIGITS and _long_plain_run(groups, text)):  # too few digits for any number
            return []
        found = []
        i = 0
        while i < len(groups):
            plus = i == 0 and run.plus_at is not None
            hit = _longest(groups, counts, i, run, text, plus, regions)
            if hit is None:
                i += 1
                continue
            j = hit
            if j + 1 < len(groups) and j + 1 in run.extensions and len(groups[j + 1].digits) <= _EXTENSION_DIGITS:
                j += 1  # '345-899-3560x4587': the extension belongs to the number
            start = run.plus_at if plus and run.plus_at is not None else groups[i].start
            start -= start > 0 and text[start - 1] == "("  # '(415) 555-0178' starts at its bracket
            a, b = view.span(start, groups[j].end)
            found.append((a, b, all(g.plain for g in groups[i : j + 1])))
            i = j + 1
        return found


@lru_cache(maxsize=65536)
def _valid_number(digits: str, plus: bool, possible: bool, regions: tuple[str, ...]) -> bool:
    """Is ``digits`` a valid (or, ``possible``, a possible) number for a region, or internationally after a '+'?
    Cached: ads repeat the same digit windows (a pure function of its arguments; phonenumbers' parse is the
    costly part of a scan). A region's answer is worked out from phonenumbers' metadata where it can be
    (:func:`~ethicscheck.privacy._phone_regions.digits_answer`), else phonenumbers is asked."""
    if plus or digits.startswith("00"):
        international = digits[2:] if not plus else digits
        answer = international_answer(international, possible=possible)
        return _accepts("+" + international, None, possible) if answer is None else answer
    for region in regions:
        answer = digits_answer(digits, region, possible=possible)
        if answer is None:
            answer = _accepts(digits, region, possible)
        if answer:
            return True
    return False


def _accepts(candidate: str, region: str | None, possible: bool) -> bool:
    """phonenumbers' answer: ``candidate`` parsed for ``region`` is a valid (``possible``: possible) number."""
    try:
        number = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_possible_number(number) if possible else phonenumbers.is_valid_number(number))


def _longest(groups: list[Group], counts: list[int], i: int, run: Run, text: str, plus: bool, regions: tuple[str, ...]) -> int | None:
    """The last group of the longest window from group ``i`` that is a phone number: valid for a region,
    or, right after a phone cue ('Phone:', 'call me on') or before a phone label ('office', 'fax'),
    written plainly and of a possible length. ``counts[j]`` is the number of digits before group ``j``."""
    start = run.plus_at if plus and run.plus_at is not None else groups[i].start
    before = text[max(0, start - _AROUND) : start]
    cued: bool | None = None  # looked up once, when a window written plainly needs it
    for strict in (True, False):
        lowest = _MIN_DIGITS if strict else _MIN_CUED_DIGITS
        for j in range(len(groups) - 1, i - 1, -1):
            if not lowest <= counts[j + 1] - counts[i] <= _MAX_DIGITS:
                continue
            window = groups[i : j + 1]
            end = window[-1].end
            if (window[0].line != window[-1].line and not _lines_continue(window, text)) or _cuts_a_group(text, start, end):
                continue
            digits = "".join([g.digits for g in window])
            written, after = text[start:end], text[end : end + _AROUND]
            if not strict and all(g.plain for g in window) and cued is None:
                cued = _CUE_BEFORE.search(before[-30:]) is not None
            if not strict and not (all(g.plain for g in window) and (cued or _LABEL_AFTER.match(after)) and _PLAIN.fullmatch(written)):
                continue
            if _valid_number(digits, plus, not strict, regions) and better_explanation(written, digits, before, after, plus=plus) is None:
                return j
    return None


def _lines_continue(groups: list[Group], text: str) -> bool:
    """A number crosses a line break only when it starts its line: the digits before the break continue
    on the next line, they do not end a line of other text ('Hungary 34796' then a phone on the next line)."""
    if groups[0].line == groups[-1].line:
        return True
    first_line_start = text.rfind("\n", 0, groups[0].start) + 1
    return not any(ch.isalpha() or ch.isdigit() for ch in text[first_line_start : groups[0].start])


def _cuts_a_group(text: str, start: int, end: int) -> bool:
    """A window that starts or ends inside a dash/dot/slash-joined digit string ('978-0-511-77125-3', the
    tail of '322-555-411-000') reads part of something else."""
    before = start >= 2 and text[start - 1] in "-./" and text[start - 2].isdigit()
    after = end + 1 < len(text) and text[end] in "-./" and text[end + 1].isdigit()
    return before or after


def _long_plain_run(groups: list[Group], text: str) -> bool:
    """Tracking numbers and card numbers: more than 15 plain digits in groups separated by single spaces or dashes."""
    if len(groups) < 2 or not all(g.plain for g in groups):
        return False
    written = text[groups[0].start : groups[-1].end]
    return sum(len(g.digits) for g in groups) > _MAX_DIGITS and _SPACED_DIGITS.fullmatch(written) is not None


_SPACED_DIGITS = re.compile(r"\d+(?:[ -]\d+)+")


#: This module's recognizer: the one line that registers it (see the package's docstring).
RECOGNIZER = ObfuscatedPhoneRecognizer
