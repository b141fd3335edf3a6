"""Phone numbers as they appear in ads, including disguised ones, validated with phonenumbers."""

from __future__ import annotations

import re
from typing import Any

import phonenumbers
from presidio_analyzer import EntityRecognizer, RecognizerResult

from ethicscheck.privacy._digits import decode_word, has_digit_hint
from ethicscheck.privacy.recognizers._regex import make_result

__all__ = ["ObfuscatedPhoneRecognizer"]

# A superset filter run in C: whitespace-delimited words made only of digit forms, number words,
# look-alike letters, separators, connector words and trailing punctuation. decode_word then checks
# each candidate exactly; every other word of the text is never looked at in Python.
_ATOM = (
    r"[0-9\uff10-\uff19\u2460-\u2468\u24ea\U0001D7CE-\U0001D7FF]|\ufe0f\u20e3|"
    r"zero|one|two|three|four|five|six|seven|eight|nine|oh|for|too|to|won|ate|dot|dash|[OolISB]|[-.*/()+_,]"
)
_CANDIDATE = re.compile(rf"(?<!\S)(?:{_ATOM})+[.,;:!?\"']*(?!\S)", re.IGNORECASE)
_CONNECTORS = {"dot", "dash", "-", "/", "*", "."}
_SENTENCE_END = ".,;:!?\"'"


class ObfuscatedPhoneRecognizer(EntityRecognizer):
    """Find phone numbers written plainly or disguised ("five five five", "2l2-SSS-Ol43", "２１２",
    keycap and circled digits, "212 dot 555 dot 0143").

    Whitespace-separated words that decode entirely into digits (see ``decode_word``) are joined into
    runs, with connector words ('dot', 'dash') allowed between them; each run, and each sub-run, is
    parsed with ``phonenumbers`` for the configured regions and kept only when it is a valid number. A
    word that is not wholly digits ('phone', 'someone', a hex string) breaks a run, which keeps hex ids
    and prices out. Texts with no digit-like character at all are skipped before any work.
    """

    def __init__(self, supported_regions: list[str] | None = None, supported_language: str = "en") -> None:
        self.regions = list(supported_regions or ["US"])
        super().__init__(
            supported_entities=["PHONE_NUMBER"],
            name="ObfuscatedPhoneRecognizer",
            supported_language=supported_language,
            context=["phone", "call", "text", "whatsapp", "number", "contact"],
        )

    def load(self) -> None:  # nothing to load: no model, no network
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        if "PHONE_NUMBER" not in entities or not has_digit_hint(text):
            return []
        results = []
        for run in self._runs(text):
            for start, end, plain in self._numbers_in(run):
                results.append(make_result(self, "PHONE_NUMBER", start, end, 0.75 if plain else 0.7))
        return results

    def _runs(self, text: str) -> list[list[tuple[int, int, str, bool]]]:
        """Runs of consecutive digit words: each word as (start, end, digits, written plainly)."""
        runs: list[list[tuple[int, int, str, bool]]] = []
        run: list[tuple[int, int, str, bool]] = []
        previous_end = -1
        for match in _CANDIDATE.finditer(text):
            word, start = match.group(0), match.start()
            if run and not text[previous_end:start].isspace():  # a non-digit word came in between
                runs.append(run)
                run = []
            previous_end = match.end()
            stripped = word.rstrip(_SENTENCE_END)
            if stripped.lower() in _CONNECTORS and run:
                continue
            decoded = decode_word(stripped) if stripped else None
            if decoded is None:
                runs.append(run)
                run = []
                continue
            plain = all(ch.isascii() and (ch.isdigit() or not ch.isalnum()) for ch in stripped)
            run.append((start, start + len(stripped), decoded[0], plain))
            if stripped != word:  # sentence punctuation after the word ends the run
                runs.append(run)
                run = []
        runs.append(run)
        return [r for r in runs if r]

    def _numbers_in(self, run: list[tuple[int, int, str, bool]]):  # type: ignore[no-untyped-def]
        """Greedy: from each start, the longest window of words that is a valid number; then go on after it."""
        i = 0
        while i < len(run):
            found = None
            for j in range(len(run) - 1, i - 1, -1):
                digits = "".join(part[2] for part in run[i : j + 1])
                if 7 <= len(digits) <= 15 and self._valid(digits):
                    found = j
                    break
            if found is None:
                i += 1
                continue
            yield run[i][0], run[found][1], all(part[3] for part in run[i : found + 1])
            i = found + 1

    def _valid(self, digits: str) -> bool:
        candidates = [("+" + digits, None)] + [(digits, region) for region in self.regions]
        for candidate, region in candidates:
            try:
                if phonenumbers.is_valid_number(phonenumbers.parse(candidate, region)):
                    return True
            except phonenumbers.NumberParseException:
                continue
        return False
