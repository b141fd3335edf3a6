"""The scanner: presidio recognizers run directly, with presidio's context rule, without its NLP pass.

Presidio's AnalyzerEngine tokenizes every text with spaCy and runs a lemma-based context enhancer; for
pattern recognizers that is most of the cost (measured: ~60% of the time per ad). The scanner runs the
same recognizers from the same registry, then applies the same context rule itself on lowercase words
(a context word among the five words before a finding raises its score by 0.35, to at least 0.4, at
most 1.0), presidio's duplicate removal, and ethicscheck's overlap rule. With a named-entity model
(``nlp_model``) it uses the full AnalyzerEngine, since NER needs the spaCy pass anyway.
"""

from __future__ import annotations

import re
from typing import Any

from ethicscheck.privacy._engine import offline_analyzer, resolve_overlaps

__all__ = ["Scanner"]

_WORDS = re.compile(r"\w+")
_CONTEXT_BOOST, _CONTEXT_FLOOR, _CONTEXT_WINDOW = 0.35, 0.4, 5

#: Necessary conditions: a recognizer can only match a text its prefilter finds something in, so
#: texts without them skip it (the phone recognizer has its own digit prefilter).
PREFILTERS: dict[str, re.Pattern[str]] = {
    "EmailRecognizer": re.compile("@"),
    "UrlRecognizer": re.compile(r"(?i)https?:|www\.|\w\.[a-z]{2,}"),
    "IpRecognizer": re.compile(r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d|[0-9a-fA-F]{1,4}:[0-9a-fA-F]{0,4}:"),
    "CreditCardRecognizer": re.compile(r"(?:\d[ -]?){13}"),
    "UsSsnRecognizer": re.compile(r"\d{3}[- .]?\d{2}[- .]?\d{4}"),
    "CryptoRecognizer": re.compile(r"(?:bc1|\b[13])[a-zA-HJ-NP-Z0-9]{25,}"),
    "IbanRecognizer": re.compile(r"[A-Z]{2}\s?\d{2}"),
    "CryptoWalletRecognizer": re.compile(r"0x[0-9a-fA-F]{40}|T[1-9A-HJ-NP-Za-km-z]{33}"),
    "MessengerLinkRecognizer": re.compile(r"(?i)(?:t|wa|m|signal|telegram)\.me/|whatsapp\.com/"),
}


class Scanner:
    """Find personal data in one text at a time.

    Parameters
    ----------
    entities : sequence of str
    phone_regions : sequence of str
    score_threshold : float
    nlp_model : str, optional
        spaCy pipeline for named entities (switches to presidio's full engine).
    """

    def __init__(self, entities: Any, *, phone_regions: Any = ("US",), score_threshold: float = 0.4, nlp_model: str | None = None) -> None:
        self.entities = list(entities)
        self.threshold = score_threshold
        self.engine = offline_analyzer(entities=tuple(self.entities), phone_regions=tuple(phone_regions), nlp_model=nlp_model)
        self.full_engine = nlp_model is not None
        wanted = set(self.entities)
        recognizers = sorted(self.engine.registry.recognizers, key=lambda r: type(r).__name__ == "UrlRecognizer")  # URL last
        self.recognizers = [
            (r, sorted(wanted & set(r.supported_entities)), {c.lower() for c in (r.context or [])}, PREFILTERS.get(type(r).__name__))
            for r in recognizers
        ]

    def analyze(self, text: str) -> list[Any]:
        """Findings (presidio ``RecognizerResult``) at or above the score threshold."""
        if not isinstance(text, str) or not text:
            return []
        if self.full_engine:
            found = self.engine.analyze(text, language="en", entities=self.entities, score_threshold=self.threshold)
            return resolve_overlaps(found)
        from presidio_analyzer import EntityRecognizer

        results = []
        words = None
        for recognizer, entities, context, prefilter in self.recognizers:
            seen = text
            if type(recognizer).__name__ == "UrlRecognizer":
                # URL hits inside e-mail addresses, links and handles are dropped by resolve_overlaps
                # anyway; blanking those spans (offsets kept) spares the costly URL pattern most texts.
                seen = _blank(text, [r for r in results if r.entity_type in _URL_SHADOWS])
            if prefilter is not None and prefilter.search(seen) is None:
                continue
            found = recognizer.analyze(seen, entities, None)
            if found and context:
                words = words if words is not None else [(m.start(), m.group().lower()) for m in _WORDS.finditer(text)]
                for result in found:
                    if _has_context(words, result.start, context):
                        result.score = min(1.0, max(result.score + _CONTEXT_BOOST, _CONTEXT_FLOOR))
            results.extend(found)
        results = [r for r in results if r.score >= self.threshold]
        return resolve_overlaps(EntityRecognizer.remove_duplicates(results))


_URL_SHADOWS = ("EMAIL_ADDRESS", "MESSENGER_LINK", "SOCIAL_HANDLE")


def _blank(text: str, spans: list[Any]) -> str:
    if not spans:
        return text
    chars = list(text)
    for span in spans:
        chars[span.start : span.end] = " " * (span.end - span.start)
    return "".join(chars)


def _has_context(words: list[tuple[int, str]], start: int, context: set[str]) -> bool:
    before = [w for position, w in words if position < start][-_CONTEXT_WINDOW:]
    return any(w in context for w in before)
