"""A Presidio analyzer that never downloads a model or opens a socket.

Presidio's default engine loads (and, when missing, downloads) a large spaCy model for named-entity
recognition. ethicscheck uses a blank spaCy tokenizer instead, with a component that sets each token's
lemma to its lowercase text, so Presidio's context words ("call", "phone", "email") still raise
scores. Pattern recognizers (phone, e-mail, card, IBAN, IP, URL, crypto, SSN...) need nothing else.
Entity types that only a named-entity model can see are listed by :func:`undetectable_entities`.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from typing import Any

__all__ = ["offline_analyzer", "undetectable_entities", "NER_ONLY_ENTITIES"]

#: Entity types that need a named-entity model; the offline engine cannot see them.
NER_ONLY_ENTITIES: tuple[str, ...] = ("PERSON", "LOCATION", "NRP", "ORGANIZATION")
_LEMMA_COMPONENT = "ethicscheck_lowercase_lemma"


def offline_analyzer(*, entities: tuple[str, ...], phone_regions: tuple[str, ...] = ("US",)) -> Any:
    """A cached ``AnalyzerEngine`` with only the pattern recognizers for ``entities``.

    Parameters
    ----------
    entities : tuple of str
        Presidio entity types to load recognizers for.
    phone_regions : tuple of str
        ISO country codes whose number formats the phone recognizer accepts.
    """
    return _build(tuple(sorted(entities)), tuple(phone_regions))


def undetectable_entities(entities: tuple[str, ...] | list[str]) -> list[str]:
    """Of the requested entity types, those the offline engine cannot detect."""
    return [e for e in entities if e in NER_ONLY_ENTITIES]


@lru_cache(maxsize=8)
def _build(entities: tuple[str, ...], phone_regions: tuple[str, ...]) -> Any:
    # tldextract (used by presidio's e-mail and URL checks) fetches the public suffix list on first
    # use unless told not to; the audit must stay offline.
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
    import spacy
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers import PhoneRecognizer
    from spacy.language import Language

    if not Language.has_factory(_LEMMA_COMPONENT):

        @Language.component(_LEMMA_COMPONENT)
        def _lowercase_lemma(doc):  # type: ignore[no-untyped-def]
            for token in doc:
                token.lemma_ = token.lower_
            return doc

    class _BlankEngine(SpacyNlpEngine):
        def load(self) -> None:
            nlp = spacy.blank("en")
            nlp.add_pipe(_LEMMA_COMPONENT)
            self.nlp = {"en": nlp}

    engine = _BlankEngine(models=[{"lang_code": "en", "model_name": "blank"}])
    engine.load()
    registry = RecognizerRegistry(supported_languages=["en"])
    presidio_log = logging.getLogger("presidio-analyzer")
    level = presidio_log.level
    presidio_log.setLevel(logging.ERROR)  # it warns once per recognizer of every other language
    try:
        registry.load_predefined_recognizers(languages=["en"], nlp_engine=engine)
    finally:
        presidio_log.setLevel(level)
    wanted = set(entities)
    registry.recognizers = [
        r
        for r in registry.recognizers
        if r.__class__.__name__ not in ("SpacyRecognizer", "PhoneRecognizer") and wanted & set(r.supported_entities)
    ]
    if "PHONE_NUMBER" in wanted:
        registry.add_recognizer(PhoneRecognizer(supported_regions=list(phone_regions)))
    return AnalyzerEngine(nlp_engine=engine, registry=registry, supported_languages=["en"])
