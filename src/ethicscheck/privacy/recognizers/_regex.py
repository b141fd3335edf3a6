"""A recognizer base for regexes whose finding is one capture group, read through the shared normalizer."""

from __future__ import annotations

import re
from typing import Any, Literal

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from ethicscheck.privacy._gate import WARM_UP, Gate
from ethicscheck.privacy._normalize import clean_view, contact_view

__all__ = ["GroupPatternRecognizer", "make_result", "words_hint"]


def make_result(recognizer: EntityRecognizer, entity: str, start: int, end: int, score: float) -> RecognizerResult:
    """A result carrying what presidio's context enhancer needs (explanation and recognizer identity)."""
    # presidio assigns ``name`` in both branches of an if in an unannotated way, which mypy cannot type.
    name: str = recognizer.name  # type: ignore[has-type]
    explanation = AnalysisExplanation(recognizer=name, original_score=score)
    metadata = {RecognizerResult.RECOGNIZER_NAME_KEY: name, RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id}
    return RecognizerResult(entity, start, end, score, analysis_explanation=explanation, recognition_metadata=metadata)


#: The characters other than an ASCII letter's two cases that Python's case-insensitive matching equates with it.
_OTHER_CASES = {"i": "İı", "s": "ſ", "k": "\u212a"}


def words_hint(words: str, *, after_first: str = "") -> str:
    """A regex that finds what ``(?i)(?:words)`` finds (``words``: alternatives split by top-level ``|``),
    opening with a case-sensitive class of the words' first characters; ``after_first``, a lookaround read right after
    that first character (a lookbehind there can ask what comes before the word).

    Python's engine tries a pattern that opens with a lookaround or a case-insensitive letter at every
    position of the text; one that opens with a plain character class is tried only where that class
    matches. Each word's first character is read by the class (with every character case-insensitive
    matching equates with it), the rest of the word after a lookbehind for that character.
    """
    alternatives, depth, start = [], 0, 0
    for i, ch in enumerate(words):
        depth += ch == "(" and (i == 0 or words[i - 1] != "\\")
        depth -= ch == ")" and (i == 0 or words[i - 1] != "\\")
        if ch == "|" and depth == 0:
            alternatives.append(words[start:i])
            start = i + 1
    alternatives.append(words[start:])
    by_first: dict[str, list[str]] = {}
    for word in alternatives:
        first = word[:1]
        if not (first.isascii() and first.isalpha() or first and not first.isalnum() and re.escape(first) == first):
            raise ValueError(f"words_hint: {word!r} must start with an ASCII letter or a symbol that needs no escape")
        by_first.setdefault(word[0].lower() if word[0].isalpha() else word[0], []).append(word[1:])
    firsts = "".join(c + c.upper() + _OTHER_CASES.get(c, "") if c.isalpha() else c for c in by_first)
    rests = "|".join(f"(?<={c})" + (f"(?:{'|'.join(rest)})" if any(rest) else "") for c, rest in by_first.items())
    return f"[{firsts}]{after_first}(?i:{rests})"


class GroupPatternRecognizer(EntityRecognizer):
    """Each pattern is ``(regex, score)``; the span reported is the regex's ``value`` group.

    Subclasses set ``ENTITY``, ``PATTERNS``, ``CONTEXT``, ``PREFILTER`` (a regex every text it can match
    contains, checked on the clean text) and ``VIEW``: ``"clean"`` (invisible characters dropped, digits
    and fullwidth forms folded) or ``"contact"`` (also '@'/'.' written as words or symbols undone). They
    may override :meth:`validate`, which sees the whole match. A pattern may carry a third element, a
    ``hint``: a cheaper regex every match of the pattern contains; texts without it skip that pattern.
    ``GATE_PATTERNS`` and ``GATE_PREFILTER`` say whether the compiled gate guards them, ``GATE_ENOUGH`` whether the
    gate's "possible" alone lets the recognizer run, ``GATE_FORMS`` what the gate reads for a pattern instead of it.
    """

    ENTITY: str = ""
    PATTERNS: tuple[tuple[str, float] | tuple[str, float, str], ...] = ()
    CONTEXT: tuple[str, ...] = ()
    PREFILTER: re.Pattern[str] | None = None
    VIEW: Literal["clean", "contact"] = "clean"
    #: Let the scan's compiled gate (privacy/_gate.py) rule out patterns, and the prefilter, per text: off for those
    #: whose compiling costs more than the gate saves (long bounded repeats, texts that mostly match anyway).
    GATE_PATTERNS: bool = True
    GATE_PREFILTER: bool = True
    #: Run the recognizer whenever the gate finds its prefilter possible, without reading the prefilter regex, on texts
    #: whose contact view is their clean view (the prefilter's text): for a prefilter that matches most of the texts the
    #: gate lets through, reading it costs more than the recognizer's own gated patterns take to find nothing in the
    #: others (the findings are the same either way: the prefilter is a necessary condition).
    GATE_ENOUGH: bool = False
    #: ``(character, n)``: every match of every pattern holds ``character`` at most ``n`` characters after its start, so
    #: the patterns are read from ``n`` characters before its first place in the view (a text without it has no match).
    ANCHOR: tuple[str, int] | None = None
    #: ``(index, needle, n)``: every match of pattern ``index`` holds ``needle`` (lower-case ASCII, matched in any case) at
    #: most ``n`` characters after its start, so on an ASCII view the pattern is read from ``n`` characters before the
    #: needle's first place in the view lowered (and not at all without one).
    PATTERN_ANCHORS: tuple[tuple[int, str, int], ...] = ()
    #: ``(index, regex)`` pairs: the gate reads ``regex`` for pattern ``index`` instead of the pattern itself, a necessary
    #: condition of it (it matches every text the pattern matches) without the lookarounds the gate would only approximate.
    GATE_FORMS: tuple[tuple[int, str], ...] = ()

    def __init__(self, supported_language: str = "en") -> None:
        self._compiled = [(re.compile(p[0]), p[1], re.compile(p[2]) if len(p) > 2 else None) for p in self.PATTERNS]
        # one compiled pass over the view rules out the patterns that cannot match it (most texts match few)
        self._anchors = {i: (needle, n) for i, needle, n in self.PATTERN_ANCHORS}
        forms = {i: re.compile(form) for i, form in self.GATE_FORMS}
        gated = [forms.get(i, pattern) for i, (pattern, _, _) in enumerate(self._compiled)]
        self._gate = Gate(gated if self.GATE_PATTERNS else [], warm_up=WARM_UP)
        super().__init__(
            supported_entities=[self.ENTITY], name=type(self).__name__, supported_language=supported_language, context=list(self.CONTEXT)
        )

    @classmethod
    def for_scan(cls, *, phone_regions: tuple[str, ...]) -> GroupPatternRecognizer:
        """The instance a scan registers; the scan's options (``phone_regions``) are for recognizers that read them."""
        return cls()

    def load(self) -> None:  # patterns only: nothing to load
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        if self.ENTITY not in entities:  # PREFILTER is applied by the scanner, before this call
            return []
        view = contact_view(text) if self.VIEW == "contact" else clean_view(text)
        results: dict[tuple[int, int], RecognizerResult] = {}
        first = 0
        if self.ANCHOR is not None:  # no match starts before the anchor's first place, less the distance
            first = view.text.find(self.ANCHOR[0])
            if first < 0:
                return []
            first = max(0, first - self.ANCHOR[1])
        possible = self._gate.possible(view.text)
        lowered = None
        for i, (pattern, score, hint) in enumerate(self._compiled):
            if possible is not None and i not in possible or hint is not None and hint.search(view.text) is None:
                continue
            begin = first
            anchor = self._anchors.get(i)
            if anchor is not None and view.text.isascii():  # lowering an ASCII text keeps every offset
                if lowered is None:
                    lowered = view.text.lower()
                at = lowered.find(anchor[0])
                if at < 0:
                    continue
                begin = max(first, at - anchor[1])
            for match in pattern.finditer(view.text, begin):  # lookbehinds still read the text before ``begin``
                span = self.value_span(match)
                if span is None:
                    continue
                start, end = view.span(*span)
                if (start, end) not in results:
                    results[(start, end)] = make_result(self, self.ENTITY, start, end, score)
        return list(results.values())

    def validate(self, match: re.Match[str]) -> bool:
        return True

    def value_span(self, match: re.Match[str]) -> tuple[int, int] | None:
        """The span of the view to report for ``match`` (None: nothing): its ``value`` group, when
        :meth:`validate` accepts the match. A subclass may report part of the group instead."""
        return match.span("value") if self.validate(match) else None
