"""First names right after a cue ("ask for Anna", "my name is Maria"), without a named-entity model."""

from __future__ import annotations

import re

from ethicscheck.privacy._digits import NUMBER_WORDS, fold
from ethicscheck.privacy.recognizers._regex import GroupPatternRecognizer, words_hint

__all__ = ["RECOGNIZER", "NameCueRecognizer"]

_CUES = r"ask(?:ing)?\s+for|my\s+name\s+is|name\s*:|i\s+am|i'm|this\s+is|contact|call|text|speak\s+(?:to|with)|talk\s+to|message"
_CUE_OPENING = words_hint(_CUES, after_first=r"(?<!\w.)")  # '\b' before the cue's first letter
_NAME = r"(?P<value>[A-Z][a-z]{1,20}(?:\s[A-Z][a-z]{1,20})?)\b"
_NOT_NAMES = {
    "Us",
    "Me",
    "Now",
    "Today",
    "Our",
    "The",
    "Us.",
    "Email",
    "Call",
    "Text",
    "WhatsApp",
    "Phone",
    "Details",
    "Info",
    "Free",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Mr",
    "Mrs",
    "Ms",
    "Agency",
    "Office",
}


class NameCueRecognizer(GroupPatternRecognizer):
    """A capitalised word (optionally two) after a personal cue, at modest confidence.

    It catches the contact names ads give ("ask for Anna") and misses names without a cue; a spaCy
    pipeline (``privacy.nlp_model``) is needed for those.
    """

    ENTITY = "PERSON"
    # Opening with a class of the cues' first letters, the engine tries only the places holding one; '\b' before the cue
    # is read after its first letter. The gate reads the same pattern opening with '\b' (it refuses the class, which
    # holds 'ſ', 'ı' and 'İ').
    PATTERNS = ((rf"{_CUE_OPENING}(?i:\s+){_NAME}", 0.5),)
    GATE_FORMS = ((0, rf"(?i:(?=[acimnst])\b(?:{_CUES})\s+){_NAME}"),)

    def validate(self, match: re.Match[str]) -> bool:
        first = match.group("value").split()[0]
        if fold(first) in NUMBER_WORDS or fold(first) in ("oh", "plus", "double", "triple"):
            return False  # 'call Four-Oh-Three', 'call Sero Siyam': digits spelled out, not a name
        return first not in _NOT_NAMES and not first.isupper()


#: This module's recognizer: the one line that registers it (see the package's docstring).
RECOGNIZER = NameCueRecognizer
