"""Find identity terms in a text and swap them for another term of the same lexicon, keeping grammar and case.

A mention is a whole word (or words): "Nigerian" is found in "Nigerian workers", "NIGERIAN" and
"non-Nigerian", never inside "Nigeriana" or "Romania" (not "Romanian"). A swap writes the target term in
the form the text used (adjective, singular or plural noun; Spanish gender and number), with the text's
case (lowercase, Capitalised, UPPER), and fixes the article just before it ("a Nigerian" -> "an
Indian"; Spanish "la mujer" -> "el hombre").

Examples
--------
>>> from ethicscheck.probes import load_lexicons, TermMatcher
>>> matcher = TermMatcher(load_lexicons(["nationality"])["nationality"])
>>> found = matcher.find("Two Nigerians and a nigerian cook.")
>>> matcher.swap("Two Nigerians and a nigerian cook.", found, "indian")
'Two Indians and an indian cook.'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ethicscheck.probes._lexicon import LanguageTerms, Lexicon, Term
from ethicscheck.probes._starts import SpellingStarts

__all__ = ["Found", "Mention", "TermMatcher", "detect_language"]

# Words that tell which language a text is in (the probe picks the lexicon language that fits best).
_LANGUAGE_HINTS: dict[str, frozenset[str]] = {
    "en": frozenset("the and for with to of in is are we you our your a an at on from this will be who".split()),
    "es": frozenset("el la los las y de del para con en se es un una por que al su sus somos buscamos".split()),
}
_WORDS = re.compile(r"\w+")
# After an English adjective form there is a noun; after a noun form, punctuation or one of these.
_NOT_A_NOUN = frozenset(
    "a an the and or but nor is are was were be been am has have had who whom whose that which with to of in on at for from by as "
    "welcome only please can may will would should must do does did not so than too also".split()
)
_SPANISH_ARTICLES = {
    "el": "la",
    "la": "el",
    "un": "una",
    "una": "un",
    "los": "las",
    "las": "los",
    "unos": "unas",
    "unas": "unos",
}
_MASCULINE = frozenset("el un los unos del al este estos ese esos aquel aquellos".split())
_FEMININE = frozenset("la una las unas esta estas esa esas aquella aquellas".split())


@dataclass(frozen=True)
class Mention:
    """One place a term is mentioned: where, which term, and the forms its spelling can be."""

    start: int
    end: int
    term: str
    forms: tuple[str, ...]


@dataclass(frozen=True)
class Found:
    """The mentions of one lexicon in one text, in the language the text was read in."""

    language: str
    mentions: tuple[Mention, ...]

    @property
    def terms(self) -> tuple[str, ...]:
        """The distinct terms mentioned, in order of first mention."""
        return tuple(dict.fromkeys(m.term for m in self.mentions))


def detect_language(text: str, languages: Sequence[str]) -> str:
    """The language among ``languages`` whose common words the text uses most (ties: the first listed)."""
    words = _WORDS.findall(text.lower())
    best, best_hits = languages[0], -1
    for code in languages:
        hints = _LANGUAGE_HINTS.get(code, frozenset())
        hits = sum(map(hints.__contains__, words))
        if hits > best_hits:
            best, best_hits = code, hits
    return best


class TermMatcher:
    """Finds and swaps the terms of one lexicon (compiled once, used on every text).

    Parameters
    ----------
    lexicon : Lexicon
        The lexicon whose terms are found and swapped in.
    extra_targets : iterable of Lexicon
        Lexicons whose terms may also be swapped in (the control), never found.
    """

    def __init__(self, lexicon: Lexicon, *, extra_targets: Iterable[Lexicon] = ()) -> None:
        self.lexicon = lexicon
        self._patterns = {code: _compile(lang) for code, lang in lexicon.languages.items()}
        self._languages = [(code, pattern) for code, (pattern, _) in self._patterns.items()]
        self._starts = SpellingStarts([[s.split()[0] for s in spellings] for _, spellings in self._patterns.values()])
        self._targets: dict[tuple[str, str], Term] = {}
        for lex in (lexicon, *extra_targets):
            for code, lang in lex.languages.items():
                for term in lang.terms:
                    self._targets.setdefault((code, term.key), term)

    def find(self, text: str) -> Found | None:
        """The mentions of the lexicon's terms in ``text``, or None when it mentions none."""
        matches = self._matches(text)
        if not matches:
            return None
        code = next(iter(matches)) if len(matches) == 1 else detect_language(text, list(matches))
        spellings = self._patterns[code][1]
        mentions = []
        for match in matches[code]:
            written = match.group(0)
            term, forms = spellings.get(_spaced(written).lower()) or spellings[_spelling_of(written, spellings)]
            first = written[0]
            if (term.capitalized_only and not first.isupper()) or (term.lowercase_only and not first.islower()):
                continue
            mentions.append(Mention(match.start(), match.end(), term.key, forms))
        return Found(code, tuple(mentions)) if mentions else None

    def _matches(self, text: str) -> dict[str, list[re.Match[str]]]:
        """Per language whose regex matches ``text`` (in lexicon order), its matches as ``finditer`` gives them.

        The regex runs only where :class:`SpellingStarts` finds the first word of a spelling, when it can tell:
        a match starts at one of those places, so trying them in order, each from where the last match ended,
        gives ``finditer``'s matches (its lookbehind reads the text before the position it is tried at).
        """
        starts = self._starts.starts(text)
        if starts is None:
            return {code: found for code, (pattern, _) in self._patterns.items() if (found := list(pattern.finditer(text)))}
        out: dict[str, list[re.Match[str]]] = {}
        language, end = -1, 0
        for index, position in starts:
            if index != language:
                language, end = index, 0
                code, pattern = self._languages[index]
            if position >= end and (match := pattern.match(text, position)) is not None:
                out.setdefault(code, []).append(match)
                end = match.end()
        return out

    def has_target(self, language: str, key: str) -> bool:
        """Whether ``key`` can be written in ``language`` (a term of the lexicon or of an extra target)."""
        return (language, key) in self._targets

    def swap(self, text: str, found: Found, target: str, *, source: str | None = None) -> str:
        """``text`` with every mention of ``source`` replaced by ``target`` (term keys), in the same form and case.

        ``source`` may be left out when the text mentions one term only. Mentions of other terms stay.

        Raises
        ------
        KeyError
            ``target`` has no spelling in the text's language (check :meth:`has_target` first).
        ValueError
            ``source`` left out for a text that mentions several terms.
        """
        if source is None:
            if len(found.terms) != 1:
                raise ValueError(f"the text mentions {len(found.terms)} terms ({', '.join(found.terms)}); name the source term")
            source = found.terms[0]
        new = self._targets[(found.language, target)]
        pieces: list[str] = []
        cursor = len(text)
        for mention in reversed([m for m in found.mentions if m.term == source]):
            old = self._targets[(found.language, mention.term)]
            form = _form_in_context(text, mention, new)
            written = _with_case(text[mention.start : mention.end], old.forms[form], new.forms[form])
            before = _fix_article(text[: mention.start], old, new, written, found.language)
            pieces.append(text[mention.end : cursor])
            pieces.append(written)
            text, cursor = before, len(before)
        pieces.append(text)
        return "".join(reversed(pieces))


def _compile(lang: LanguageTerms) -> tuple[re.Pattern[str], dict[str, tuple[Term, tuple[str, ...]]]]:
    spellings: dict[str, tuple[Term, tuple[str, ...]]] = {}
    for term in lang.terms:
        for spelling in dict.fromkeys(term.forms.values()):
            forms = tuple(f for f in lang.forms if term.forms[f] == spelling)
            spellings[spelling.lower()] = (term, forms)
    # Longest first, so "trans women" wins over "women" and "South Asians" over "Asians" at the same place.
    alternatives = sorted(spellings, key=len, reverse=True)
    body = "|".join(r"\s+".join(map(re.escape, s.split())) for s in alternatives)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE), spellings


def _spelling_of(written: str, spellings: dict[str, tuple[Term, tuple[str, ...]]]) -> str:
    """The spelling a mention was matched by, when lowercasing does not give it back: Python's case-insensitive
    matching equates letters that lowercase apart ("İndian", "ındian" and "Indian"; "ſ" and "s"). The regex tries
    its alternatives longest first, so the first of them that matches the whole mention is the one it took."""
    for spelling in sorted(spellings, key=len, reverse=True):
        if re.fullmatch(r"\s+".join(map(re.escape, spelling.split())), written, re.IGNORECASE):
            return spelling
    raise KeyError(written)  # pragma: no cover - the regex matched one of them


def _spaced(matched: str) -> str:
    return " ".join(matched.split())


def _form_in_context(text: str, mention: Mention, new: Term) -> str:
    """The form the text used, when one spelling stands for several ("Nigerian": adjective or noun)."""
    candidates = list(mention.forms)
    if len({new.forms[f] for f in candidates}) == 1:
        return candidates[0]
    # Spanish gender from the determiner of the noun phrase: "el hindú", "una cocinera hindú".
    previous = [w.lower() for w in re.findall(r"\w+", text[: mention.start])[-2:]]
    article = next((w for w in reversed(previous) if w in _MASCULINE or w in _FEMININE), None)
    if article is not None and any(f[:2] in ("m_", "f_") for f in candidates):
        wanted = "m_" if article in _MASCULINE else "f_"
        candidates = [f for f in candidates if f.startswith(wanted)] or candidates
    if "adj" in candidates and len(candidates) > 1:
        following = re.match(r"\s+(\w+)", text[mention.end :])
        noun_follows = following is not None and following.group(1).lower() not in _NOT_A_NOUN
        candidates = ["adj"] if noun_follows else [f for f in candidates if f != "adj"]
    return candidates[0]


def _with_case(matched: str, old: str, new: str) -> str:
    """``new`` written in the case ``matched`` uses (compared with the canonical spelling ``old``)."""
    matched = _spaced(matched)
    letters = [c for c in matched if c.isalpha()]
    if matched == old:
        return new
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return new.upper()
    if all(c.islower() for c in letters):
        return new.lower()
    words = matched.split()
    if len(words) > 1 and all(w[0].isupper() for w in words):
        return " ".join(w[:1].upper() + w[1:] for w in new.split())
    if matched[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


def _fix_article(before: str, old: Term, new: Term, written: str, language: str) -> str:
    """The text before a swapped term, with its article agreeing with the new term."""
    if language == "en":
        found = re.search(r"(?<!\w)(an?)(\s+)$", before, re.IGNORECASE)
        if not found:
            return before
        article = new.article or ("an" if written[:1].lower() in "aeiou" else "a")
        return before[: found.start(1)] + _with_case(found.group(1), found.group(1).lower(), article) + found.group(2)
    if language == "es" and old.gender and new.gender and old.gender != new.gender:
        found = re.search(r"(?<!\w)(\w+)(\s+)$", before)
        if not found or found.group(1).lower() not in _SPANISH_ARTICLES:
            return before
        word = found.group(1)
        return before[: found.start(1)] + _with_case(word, word.lower(), _SPANISH_ARTICLES[word.lower()]) + found.group(2)
    return before
