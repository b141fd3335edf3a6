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
from collections.abc import Callable, Sequence
from functools import partial
from operator import attrgetter
from typing import Any

from ethicscheck._vocabulary import DEFAULT_PHONE_REGIONS, OVERLAP_PRIORITY, URL_SHADOWING_ENTITIES
from ethicscheck.privacy._engine import offline_analyzer, resolve_overlaps
from ethicscheck.privacy._gate import WARM_UP, Gate
from ethicscheck.privacy._normalize import View, clean_view, contact_view

__all__ = ["Scanner", "PREFILTERS", "prefilter_of"]

_WORDS = re.compile(r"\w+")
_CONTEXT_BOOST, _CONTEXT_FLOOR, _CONTEXT_WINDOW = 0.35, 0.4, 5

#: Necessary conditions for presidio's recognizers: a recognizer can only match a text its prefilter finds
#: something in, so texts without it skip the recognizer. ethicscheck's recognizers carry their own
#: ``PREFILTER``. Every prefilter is checked on the clean view, the text the recognizers read, and is
#: fuzzed against its recognizer in the tests (never stricter than the recognizer).
PREFILTERS: dict[str, re.Pattern[str]] = {
    "EmailRecognizer": re.compile("@"),
    "UrlRecognizer": re.compile(r"(?i)https?:|www\.|\w\.[a-z]{2,}"),
    "IpRecognizer": re.compile(r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d|[0-9a-fA-F]{0,4}:[0-9a-fA-F]{0,4}:"),
    "CreditCardRecognizer": re.compile(r"(?:\d[ -]?){13}"),
    # presidio's five SSN patterns in one ('\b' read in ASCII terms: where presidio's Unicode '\b' holds next to a
    # digit, it holds too), so the gate reads it exactly: most numbers in ads are not shaped like an SSN
    "UsSsnRecognizer": re.compile(r"\b(?:\d{5}-\d{4}|\d{3}-\d{6}|\d{9}|\d{3}[- .]\d{2}[- .]\d{4})\b", re.ASCII),
    "CryptoRecognizer": re.compile(r"(?:bc1|[13])[a-zA-HJ-NP-Z0-9]{25,}"),
    # two letters, two digits and two groups of four: started from the digits, rarer than letters (any case:
    # the recognizer finds lower-case IBANs too)
    "IbanRecognizer": re.compile(r"(?i)\d(?<=[a-z]{2}\d)\d[ -]?[a-z0-9]{4}[ -]?[a-z0-9]{4}"),
}


def prefilter_of(recognizer: Any) -> re.Pattern[str] | None:
    """The prefilter that guards ``recognizer`` (None: it always runs)."""
    own = getattr(recognizer, "PREFILTER", None)
    return own if isinstance(own, re.Pattern) else PREFILTERS.get(type(recognizer).__name__)


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

    def __init__(
        self, entities: Any, *, phone_regions: Any = DEFAULT_PHONE_REGIONS, score_threshold: float = 0.4, nlp_model: str | None = None
    ) -> None:
        self.entities = list(entities)
        self.threshold = score_threshold
        self.engine = offline_analyzer(entities=tuple(self.entities), phone_regions=tuple(phone_regions), nlp_model=nlp_model)
        self.full_engine = nlp_model is not None
        wanted = set(self.entities)
        recognizers = sorted(self.engine.registry.recognizers, key=lambda r: type(r).__name__ == "UrlRecognizer")  # URL last
        self.recognizers = [
            (r, sorted(wanted & set(r.supported_entities)), {c.lower() for c in (r.context or [])}, prefilter_of(r)) for r in recognizers
        ]
        # What analyze needs of each recognizer, worked out once: is it the URL recognizer, is it read chunk by chunk,
        # its prefilter's place in the gate that reads its text (the URL recognizer's reads a text of its own), and
        # whether the gate's "possible" is enough to run it (``GATE_ENOUGH``: its prefilter regex is not read then).
        from ethicscheck.privacy._patterns import pattern_results, reads_patterns_only  # presidio: loaded with the engine

        self._plan = []
        gated: tuple[list[re.Pattern[str]], list[re.Pattern[str]]] = ([], [])
        for r, entities, context, prefilter in self.recognizers:
            is_url = type(r).__name__ == "UrlRecognizer"
            slot = -1
            if prefilter is not None and getattr(r, "GATE_PREFILTER", True):
                slot = len(gated[is_url])
                gated[is_url].append(prefilter)
            trusted = slot >= 0 and not is_url and getattr(r, "GATE_ENOUGH", False)
            chunked: Callable[[str], list[Any]] | None = None  # how a chunk is read, for a recognizer read chunk by chunk
            if type(r).__name__ in _CHUNKED:
                chunked = partial(pattern_results, r) if reads_patterns_only(r) else partial(_analyzed, r, entities)
                if type(r).__name__ == "EmailRecognizer":
                    chunked = partial(_if_address, chunked)
            # context words spelled backwards: they are looked for among the words before a finding read backwards
            backwards = frozenset(word[::-1] for word in context)
            self._plan.append((r, entities, backwards, prefilter, is_url, chunked, slot, trusted))
        self._gate, self._url_gate = Gate(gated[0], warm_up=WARM_UP), Gate(gated[1], warm_up=WARM_UP)
        #: The plan less the recognizers the scanner gate's answer rules out, per answer (a few dozen answers on ads).
        self._schedules: dict[frozenset[int], list[Any]] = {}

    def compile_gates(self) -> None:
        """Compile the gates now rather than after their warm-up: for a process about to fork scanning processes,
        which then share one compiled copy (the findings are the same either way)."""
        self._gate.compile()
        self._url_gate.compile()

    def analyze(self, text: str) -> list[Any]:
        """Findings (presidio ``RecognizerResult``) at or above the score threshold, with offsets into ``text``.

        Every recognizer reads the normalizer's clean view (invisible characters dropped, digits of any
        script in ASCII); findings are mapped back to the original characters.
        """
        if not isinstance(text, str) or not text:
            return []
        view = clean_view(text)
        if self.full_engine:
            found = self.engine.analyze(view.text, language="en", entities=self.entities, score_threshold=self.threshold)
            return resolve_overlaps(_mapped(found, view))
        clean = view.text
        results: list[Any] = []
        possible = self._gate.possible(clean)  # which prefilters may match: one compiled pass answers for most of them
        words_before = None  # the words before an offset, read backwards: made on first use
        for recognizer, entities, context, prefilter, is_url, chunked, slot, trusted in self._schedule(possible):
            seen = clean
            if is_url:
                # URL hits inside e-mail addresses, links and handles are dropped by resolve_overlaps
                # anyway; blanking those spans (offsets kept) spares the costly URL pattern most texts.
                seen = _blank(clean, [r for r in results if r.entity_type in URL_SHADOWING_ENTITIES])
            if slot < 0:
                if prefilter is not None and prefilter.search(seen) is None:
                    continue
            elif is_url:
                if self._url_gate.no_match(self._url_gate.possible(seen), slot, seen):
                    continue
            elif trusted and possible is not None and contact_view(clean).text == clean:
                # where the recognizer reads the text its prefilter would, "possible" is enough: its own gate rules out the rest
                if slot not in possible:
                    continue
            elif self._gate.no_match(possible, slot, seen):
                continue
            found = _by_chunk(chunked, seen, prefilter) if chunked else recognizer.analyze(seen, entities, None)
            if found and context:
                if words_before is None:
                    words_before = _backwards_reader(clean)
                for result in found:
                    if not context.isdisjoint(words_before(result.start)):
                        result.score = min(1.0, max(result.score + _CONTEXT_BOOST, _CONTEXT_FLOOR))
            results.extend(found)
        threshold = self.threshold
        results = [r for r in results if r.score >= threshold]
        apart = _apart(results)
        if apart is not None:
            return _mapped(apart, view)
        return resolve_overlaps(_mapped(_remove_duplicates(results), view))

    def _schedule(self, possible: set[int] | None) -> list[Any]:
        """The plan's entries the loop of :meth:`analyze` reads for a text the scanner gate answered ``possible`` for: all
        but those whose prefilter's slot the answer leaves out (the loop would pass them by, by that slot alone)."""
        if possible is None:
            return self._plan
        key = frozenset(possible)
        schedule = self._schedules.get(key)
        if schedule is None:
            if len(self._schedules) >= _SCHEDULES:
                self._schedules.clear()
            schedule = [entry for entry in self._plan if not (entry[6] >= 0 and not entry[4] and entry[6] not in key)]
            self._schedules[key] = schedule
        return schedule


#: Gate answers whose schedule a scanner remembers before starting afresh (a gate of n slots has at most 2**n answers).
_SCHEDULES = 4096


def _apart(results: list[Any]) -> list[Any] | None:
    """``results`` in text order when no two share a character, but for findings of one type on the very same span (two
    recognizers finding one address), every type is ranked and no score is 0 (None otherwise): what
    :func:`_remove_duplicates` and :func:`resolve_overlaps` keep of them then.

    Of findings of one type on one span, duplicate removal keeps the highest score, the first found among equals; then
    nothing lies inside or across another, so nothing else is dropped; the clean view maps spans that share no character
    to spans that share none, so after mapping nothing overlaps either, and ``resolve_overlaps`` keeps all in text order
    (no two start alike). Most ads hold a few findings, each on its own stretch of text."""
    if len(results) < 2:
        return results if not results or (results[0].score != 0 and results[0].entity_type in _RANKED) else None
    ordered = sorted(results, key=_SPAN)  # stable: findings on one span keep the order they were found in
    kept: list[Any] = []
    end = -1
    for result in ordered:
        if result.score == 0 or result.entity_type not in _RANKED:
            return None
        if result.start < end:
            last = kept[-1]
            if (result.start, result.end, result.entity_type) != (last.start, last.end, last.entity_type):
                return None
            if result.score > last.score:
                kept[-1] = result
            continue
        kept.append(result)
        end = result.end
    return kept


_SPAN = attrgetter("start", "end")


def _mapped(results: list[Any], view: View) -> list[Any]:
    for result in results:
        result.start, result.end = view.span(result.start, result.end)
    return results


#: Recognizers whose findings never contain whitespace: run on the whitespace-free chunks their prefilter
#: hits, not on the whole text (presidio's URL pattern is the costliest part of a scan otherwise).
_CHUNKED = ("UrlRecognizer", "EmailRecognizer")
_CHUNK = re.compile(r"\S+")


def _if_address(find: Callable[[str], list[Any]], chunk: str) -> list[Any]:
    """``find(chunk)`` for a chunk that may hold presidio's e-mail address: some character, an '@', a word character, a '.'
    and a word character after it (the pattern's '\\w' is the regex module's, so only the characters are asked for, not
    what they are). A handle ending a sentence ('tg: @mia_4u.') has none: ~a third of the chunks around an '@' in ads."""
    at = chunk.find("@", 1)
    if at < 0 or chunk.find(".", at + 2, len(chunk) - 1) < 0:
        return []
    return find(chunk)


def _analyzed(recognizer: Any, entities: list[str], chunk: str) -> list[Any]:
    return list(recognizer.analyze(chunk, entities, None))


def _by_chunk(find: Callable[[str], list[Any]], text: str, prefilter: re.Pattern[str] | None) -> list[Any]:
    found: list[Any] = []
    done = -1
    for hit in (prefilter or _CHUNK).finditer(text):
        if hit.start() < done:
            continue
        start = hit.start()
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        chunk = _CHUNK.match(text, start)
        if chunk is None:
            continue
        done = chunk.end()
        for result in find(chunk.group(0)):
            result.start += start
            result.end += start
            found.append(result)
    return found


def _blank(text: str, spans: list[Any]) -> str:
    for span in spans:
        text = text[: span.start] + " " * (span.end - span.start) + text[span.end :]
    return text


#: From an offset of a text read backwards: the next few words (each spelled backwards), '' for each one missing.
_NEXT_WORDS = re.compile(r"\W*(\w*)" * _CONTEXT_WINDOW)


def _backwards_reader(text: str) -> Callable[[int], Sequence[str]]:
    """``start`` -> the words :func:`_words_before` gives, from the last one back, each spelled backwards ('' pads).

    An ASCII text is lowered and turned around once; then the words before any offset are one anchored match: the
    words that start before ``start`` (one running through it whole) are the first words read backwards from the
    end of the last of them. Lowering an ASCII text is lowering each of its words, and a word read backwards is
    the same run of word characters. Other texts are read by :func:`_words_before`."""
    if not text.isascii():
        return lambda start: [word[::-1] for word in reversed(_words_before(text, start))]
    turned, size = text.lower()[::-1], len(text)

    def words(start: int) -> Sequence[str]:
        end = start
        if start and _WORDS.match(text, start - 1) is not None:  # a word running through ``start`` started before it
            rest = _WORDS.match(text, start)
            end = rest.end() if rest is not None else start
        found = _NEXT_WORDS.match(turned, size - end)
        return found.groups() if found is not None else ()

    return words


#: Characters before a finding read first for its context words; the window grows when they hold too few words.
_LOOK_BACK = 64


def _words_before(text: str, start: int) -> list[str]:
    """The last few words (``\\w+`` runs of ``text``, lower case) that start before ``start``: those presidio's context
    rule reads. Only the text just before ``start`` is read, widened until it holds a word more than needed (its first
    word may be cut at the window's edge) or reaches the text's start."""
    end = start
    if start and _WORDS.match(text, start - 1) is not None:  # a word running through ``start`` started before it
        rest = _WORDS.match(text, start)
        end = rest.end() if rest is not None else start
    back = _LOOK_BACK
    while True:
        first = max(0, start - back)
        words = _WORDS.findall(text, first, end)
        if not first or len(words) > _CONTEXT_WINDOW:
            return [word.lower() for word in words[-_CONTEXT_WINDOW:]]
        back *= 4


#: Entity types resolve_overlaps ranks: among findings of these, the order duplicates are removed in does not matter.
_RANKED = frozenset(OVERLAP_PRIORITY)


def _remove_duplicates(results: list[Any]) -> list[Any]:
    """presidio's ``EntityRecognizer.remove_duplicates``: drop zero scores, repeats, and findings inside another of the
    same type scoring at least as much.

    presidio orders findings of equal score and offsets by their hash (a string hash, different in every process); the
    scanner's findings go on to :func:`resolve_overlaps`, whose order decides between such ties by type when every type
    is ranked, so those findings take presidio's own rule in this shorter form (same findings kept)."""
    if not results:
        return results
    if not _RANKED.issuperset(r.entity_type for r in results):
        from presidio_analyzer import EntityRecognizer

        return EntityRecognizer.remove_duplicates(results)
    groups: dict[str, dict[tuple[int, int, float], Any]] = {}
    for result in results:
        if result.score != 0:  # the first of equal findings stays, as in presidio's set
            groups.setdefault(result.entity_type, {}).setdefault((result.start, result.end, result.score), result)
    kept: list[Any] = []
    for group in groups.values():
        if len(group) == 1:
            kept.extend(group.values())
            continue
        active: list[Any] = []
        for result in sorted(group.values(), key=lambda r: (r.start, r.start - r.end, -r.score)):
            active = [a for a in active if a.end >= result.start]
            if not any(result.start >= a.start and result.end <= a.end and result.score <= a.score for a in active):
                kept.append(result)
                active.append(result)
    return sorted(kept, key=lambda r: (-r.score, r.start, r.start - r.end))
