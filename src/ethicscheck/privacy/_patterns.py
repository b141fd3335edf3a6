"""presidio's pattern loop for the scan's chunks, without the clock readings it makes for a debug log line.

``PatternRecognizer.analyze`` (presidio-analyzer 2.2.366, pinned) reads the clock twice per pattern and text to log
how long the regex took, at debug level; the scan runs presidio's e-mail and URL recognizers on every
whitespace-free chunk around an '@' or a link, where those readings and the call layers around them cost about as
much as the e-mail regex itself. :func:`pattern_results` is the same loop without them: the same regex (with
presidio's timeout), validation, explanation, scores and duplicate removal, so the same findings.
"""

from __future__ import annotations

import logging
from typing import Any

from presidio_analyzer import EntityRecognizer, PatternRecognizer, RecognizerResult
from presidio_analyzer.pattern_recognizer import REGEX_TIMEOUT_SECONDS

__all__ = ["pattern_results", "reads_patterns_only"]

_LOG = logging.getLogger("presidio-analyzer")
_NAME, _ID = RecognizerResult.RECOGNIZER_NAME_KEY, RecognizerResult.RECOGNIZER_IDENTIFIER_KEY
_MIN, _MAX = EntityRecognizer.MIN_SCORE, EntityRecognizer.MAX_SCORE


def reads_patterns_only(recognizer: Any) -> bool:
    """Does ``recognizer`` find what presidio's pattern loop finds (its ``analyze`` is ``PatternRecognizer``'s own)?"""
    return isinstance(recognizer, PatternRecognizer) and type(recognizer).analyze is PatternRecognizer.analyze


def pattern_results(recognizer: Any, text: str) -> list[RecognizerResult]:
    """``recognizer.analyze(text, ...)`` for a recognizer that :func:`reads_patterns_only`, step by step as presidio runs it."""
    flags = recognizer.global_regex_flags
    entity = recognizer.supported_entities[0]
    results: list[RecognizerResult] = []
    for pattern in recognizer.patterns:
        if not pattern.compiled_regex or pattern.compiled_with_flags != flags:  # presidio compiles it on first use
            return list(recognizer.analyze(text, [entity], None))
        try:
            for match in pattern.compiled_regex.finditer(text, timeout=REGEX_TIMEOUT_SECONDS):
                start, end = match.span()
                current = text[start:end]
                if current == "":
                    continue
                validation = recognizer.validate_result(current)
                explanation = recognizer.build_regex_explanation(
                    recognizer.name, pattern.name, pattern.regex, pattern.score, validation, flags
                )
                result = RecognizerResult(
                    entity_type=entity,
                    start=start,
                    end=end,
                    score=pattern.score,
                    analysis_explanation=explanation,
                    recognition_metadata={_NAME: recognizer.name, _ID: recognizer.id},
                )
                if validation is not None:
                    result.score = _MAX if validation else _MIN
                invalidation = recognizer.invalidate_result(current)
                if invalidation is not None and invalidation:
                    result.score = _MIN
                if result.score > _MIN:
                    results.append(result)
                explanation.score = result.score
        except TimeoutError:
            _LOG.warning("Regex pattern '%s' timed out after %s seconds, skipping.", pattern.name, REGEX_TIMEOUT_SECONDS, exc_info=True)
    # presidio's duplicate removal keeps a single finding with a score as it is
    return results if len(results) < 2 else EntityRecognizer.remove_duplicates(results)
