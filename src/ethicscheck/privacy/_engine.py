"""A Presidio analyzer that never downloads a model or opens a socket.

Presidio's default engine loads (and, when missing, downloads) a large spaCy model for named-entity
recognition. ethicscheck uses a blank spaCy tokenizer instead, with a component that sets each token's
lemma to its lowercase text, so Presidio's context words ("call", "phone", "email") still raise
scores. Pattern recognizers (phone, e-mail, card, IBAN, IP, URL, crypto, SSN...) need nothing else.
Entity types that only a named-entity model can see are listed by :func:`undetectable_entities`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from ethicscheck._vocabulary import DEFAULT_ENTITIES, DEFAULT_PHONE_REGIONS, NER_ONLY_ENTITIES, OVERLAP_PRIORITY
from ethicscheck.errors import ConfigError
from ethicscheck.privacy.recognizers import recognizers_by_entity  # light: recognizer modules load on first use

# DEFAULT_ENTITIES, NER_ONLY_ENTITIES and OVERLAP_PRIORITY come from the vocabulary; re-exported where users found them.
__all__ = ["offline_analyzer", "undetectable_entities", "resolve_overlaps", "NER_ONLY_ENTITIES", "DEFAULT_ENTITIES", "OVERLAP_PRIORITY"]

_LEMMA_COMPONENT = "ethicscheck_lowercase_lemma"


def offline_analyzer(
    *, entities: tuple[str, ...], phone_regions: tuple[str, ...] = DEFAULT_PHONE_REGIONS, nlp_model: str | None = None
) -> Any:
    """A cached ``AnalyzerEngine`` with only the recognizers for ``entities``.

    Parameters
    ----------
    entities : tuple of str
        Entity types to load recognizers for.
    phone_regions : tuple of str
        ISO country codes whose number formats the phone recognizer accepts.
    nlp_model : str, optional
        An installed spaCy pipeline name or a local path; its named entities (PERSON, LOCATION, NRP,
        ORGANIZATION) are added. Never downloaded.
    """
    return _build(tuple(sorted(entities)), tuple(phone_regions), nlp_model)


def undetectable_entities(entities: tuple[str, ...] | list[str], *, nlp_model: str | None = None) -> list[str]:
    """Of the requested entity types, those the engine cannot detect without a named-entity model."""
    return [] if nlp_model else [e for e in entities if e in NER_ONLY_ENTITIES]


def resolve_overlaps(results: list[Any]) -> list[Any]:
    """Keep one finding per stretch of text: by :data:`OVERLAP_PRIORITY`, then score, then length.

    Two findings overlap when they share a character; the one ranked lower is dropped, whatever its type
    (of the same type, the longer or surer one stays).
    """
    if len(results) < 2:
        return list(results)
    unranked = len(_RANK)
    ordered = sorted(results, key=lambda r: (_RANK.get(r.entity_type, unranked), -r.score, r.start - r.end, r.start))
    kept: list[Any] = []
    for result in ordered:
        start, end = result.start, result.end
        for k in kept:
            if start < k.end and k.start < end:
                break
        else:
            kept.append(result)
    return sorted(kept, key=lambda r: (r.start, r.end))


_RANK = {entity: i for i, entity in enumerate(OVERLAP_PRIORITY)}


@lru_cache(maxsize=8)
def _build(entities: tuple[str, ...], phone_regions: tuple[str, ...], nlp_model: str | None) -> Any:
    # offline: ethicscheck's __init__ has told tldextract not to fetch the public suffix list
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    class _BlankEngine(SpacyNlpEngine):
        def load(self) -> None:
            # presidio's __init__ sets nlp = None unannotated, so mypy types the attribute as None.
            self.nlp = _BlankPipelines()  # type: ignore[assignment]

    if nlp_model:
        engine = _named_entity_engine(nlp_model)
    else:
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
    # Presidio's phone recognizer is replaced by ours (a superset: plain and disguised numbers).
    keep_ner = bool(nlp_model)
    registry.recognizers = [
        r
        for r in registry.recognizers
        if r.__class__.__name__ != "PhoneRecognizer"
        and (keep_ner or r.__class__.__name__ != "SpacyRecognizer")
        and wanted & set(r.supported_entities)
    ]
    for recognizer in registry.recognizers:
        if recognizer.__class__.__name__ == "EmailRecognizer":
            recognizer.validate_result = _DomainCheck(recognizer.validate_result)  # type: ignore[attr-defined]
    for entity, classes in recognizers_by_entity().items():
        if entity in wanted:
            for cls in classes:
                registry.add_recognizer(cls.for_scan(phone_regions=phone_regions))
    return AnalyzerEngine(nlp_engine=engine, registry=registry, supported_languages=["en"])


class _BlankPipelines(Mapping[str, Any]):
    """The blank engine's pipelines: ``{"en": a blank spaCy pipeline setting each token's lemma to its lowercase text}``,
    the pipeline built when first read. A scan runs the recognizers itself and never tokenizes (building it took ~0.06-0.1
    CPU s per entity set, for each scan of an audit); presidio's own ``analyze`` reads it and gets it then."""

    def __init__(self) -> None:
        self._nlp: Any = None

    def __getitem__(self, language: str) -> Any:
        if language != "en":
            raise KeyError(language)
        if self._nlp is None:
            import spacy
            from spacy.language import Language

            if not Language.has_factory(_LEMMA_COMPONENT):
                Language.component(_LEMMA_COMPONENT, func=_lowercase_lemma)
            nlp = spacy.blank("en")
            nlp.add_pipe(_LEMMA_COMPONENT)
            self._nlp = nlp
        return self._nlp

    def __iter__(self) -> Iterator[str]:
        return iter(("en",))

    def __len__(self) -> int:
        return 1


def _lowercase_lemma(doc: Any) -> Any:  # a spaCy Doc
    for token in doc:
        token.lemma_ = token.lower_
    return doc


class _DomainCheck:
    """Presidio's e-mail check, answered once per domain.

    The check asks tldextract whether the address names a registered domain, and tldextract reads only
    the address's network location (what ``tldextract.remote.lenient_netloc`` returns: the part after the
    '@', without a path or port), so addresses on one domain share the answer; tldextract's parse is most
    of the cost of an e-mail finding.
    """

    _LIMIT = 65536  # domains remembered before starting afresh

    def __init__(self, check: Any) -> None:
        from tldextract.remote import lenient_netloc

        self.check, self.netloc = check, lenient_netloc
        self.known: dict[str, Any] = {}

    def __call__(self, pattern_text: str) -> Any:
        domain = self.netloc(pattern_text)
        if domain not in self.known:
            if len(self.known) >= self._LIMIT:
                self.known.clear()
            self.known[domain] = self.check(pattern_text)
        return self.known[domain]


def _named_entity_engine(nlp_model: str) -> Any:
    """A spaCy engine for an installed pipeline or a local path; refuses anything it would download."""
    from pathlib import Path

    import spacy
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    if not (spacy.util.is_package(nlp_model) or Path(nlp_model).exists()):
        raise ConfigError(
            f"privacy.nlp_model '{nlp_model}' is neither an installed spaCy pipeline nor a folder. ethicscheck never "
            "downloads models: install the pipeline's package first, or point at a saved pipeline."
        )
    engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": nlp_model}])
    engine.load()
    return engine
