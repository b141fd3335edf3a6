"""Where the spellings of a lexicon may start in a text, by one Hyperscan scan; the lexicon's regex decides there.

:class:`~ethicscheck.probes.TermMatcher` reads a text with one case-insensitive alternation per lexicon
language, which Python tries at every position of the text (some 30 us per ad and language). Almost every
position cannot start a mention: a mention starts where the first word of one of the spellings is written.
:class:`SpellingStarts` finds those places for every language in one Hyperscan scan, and the matcher runs its
own regex at them only, skipping positions the way ``finditer`` does (a match ending at ``e``: the next one
starts at ``e`` or later). That gives the very matches ``finditer`` gives, as long as every position the regex
can match at is reported, which holds by construction:

- The regex of a language is ``(?<!\\w)(?:s1|s2|...)(?!\\w)`` with each spelling ``s`` written as its words
  joined by ``\\s+``; a match at ``q`` starts with the first word ``w`` of some spelling, its characters matched
  one by one, case-insensitively, by ``text[q:q+len(w)]``. Python's ``re`` compares one pattern character with
  one text character (a literal, or for the few letters with extra case forms, a set of them), never several.
- Which text characters a pattern character ``p`` matches is asked of ``re`` itself (``re.compile(re.escape(p),
  re.IGNORECASE).fullmatch``), never derived from Unicode tables here. Each text character is coded by the set
  of the lexicon's pattern characters it matches (its *signature*), and each pattern character becomes, for
  Hyperscan, the class of codes whose signature holds it. A text is coded one byte per character (ASCII by
  ``bytes.translate``, other characters looked up once each and cached), so positions stay those of the text. A
  word's Hyperscan pattern thus matches the coded text at ``q`` exactly when ``re`` matches the word there, and
  Hyperscan reports every match, overlapping ones included.
- A text holding a character whose signature was not met when the gate was built (a new combination, which
  Python's case rules do not produce), or a lexicon needing more codes than the coding has room for: the gate
  cannot tell, and the regex reads the whole text as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["SpellingStarts"]

#: Codes for characters' signatures, one byte each (code 0: matches no pattern character). An ASCII character is
#: coded by ``bytes.translate`` of its own byte, any other first written as byte 128 + code: at most 128 codes.
_MAX_CODES = 128
#: Runs of characters that are not ASCII.
_OTHER = re.compile(r"[^\x00-\x7f]+")
#: Word lengths are kept in the low bits of a Hyperscan pattern id, the language above them.
_LENGTH_BITS = 16
_LENGTH = (1 << _LENGTH_BITS) - 1


def _hyperscan() -> Any:
    try:
        import hyperscan
    except ImportError:  # pragma: no cover - a dependency; without it the regex reads every text
        return None
    return hyperscan


class _Codes(dict[int, int]):
    """Code point (not ASCII) -> 128 + the code of its signature; filled as texts bring new characters."""

    def __init__(self, gate: SpellingStarts) -> None:
        super().__init__()
        self._gate = gate

    def __missing__(self, point: int) -> int:
        code = self._gate.code_of(chr(point))
        if code is None:
            raise _CannotTell
        self[point] = byte = 0x80 + code
        return byte


class SpellingStarts:
    """Positions where the first word of a spelling is written, per language, found in one scan.

    Parameters
    ----------
    first_words : sequence of iterables of str
        Per language (in the matcher's order), the first words of its spellings, exactly as its regex holds
        them (before escaping).
    """

    def __init__(self, first_words: Sequence[Iterable[str]]) -> None:
        words = [sorted(set(ws)) for ws in first_words]
        self._words = words
        self._characters = sorted({c for ws in words for w in ws for c in w})
        self._tests = [re.compile(re.escape(c), re.IGNORECASE).fullmatch for c in self._characters]
        self._signatures: dict[frozenset[int], int] = {frozenset(): 0}
        for character in [chr(b) for b in range(128)] + self._characters:
            self._signatures.setdefault(self._signature(character), len(self._signatures))
        self._database: Any = None
        self._table = b""
        self._codes = _Codes(self)
        hs = _hyperscan()
        if hs is None or len(self._signatures) > _MAX_CODES or any(len(w) >= 1 << _LENGTH_BITS for ws in words for w in ws):
            return
        self._table = bytes(self._signatures[self._signature(chr(b))] for b in range(128)) + bytes(range(128))
        classes = [
            "[" + "".join(f"\\x{code:02x}" for s, code in self._signatures.items() if i in s) + "]" for i in range(len(self._characters))
        ]
        column = {c: i for i, c in enumerate(self._characters)}
        expressions, ids = [], []
        for language, ws in enumerate(words):
            for word in _without_longer(ws):
                expressions.append("".join(classes[column[c]] for c in word).encode("ascii"))
                ids.append(language << _LENGTH_BITS | len(word))
        self._languages = len(words)
        if expressions:
            database = hs.Database(mode=hs.HS_MODE_BLOCK)
            try:
                database.compile(expressions=expressions, ids=ids, elements=len(ids), flags=[0] * len(ids))
            except hs.error:  # pragma: no cover - plain classes of bytes always compile; if not, the regex reads every text
                return
            self._database, self._error = database, hs.error

    def _signature(self, character: str) -> frozenset[int]:
        return frozenset(i for i, test in enumerate(self._tests) if test(character) is not None)

    def code_of(self, character: str) -> int | None:
        """The code of a character's signature; None for a signature the gate was not built with."""
        return self._signatures.get(self._signature(character))

    @property
    def ready(self) -> bool:
        """Whether the gate can answer (Hyperscan is there and the lexicon fits the coding)."""
        return self._database is not None

    def starts(self, text: str) -> list[tuple[int, int]] | None:
        """The (language, position) pairs where a first word of a language's spellings is written, sorted; None
        when the gate cannot tell (every position may start a mention)."""
        if self._database is None:
            return None
        if not text.isascii():
            try:  # other characters written as byte 128 + code, which the table maps back to the code
                text = _OTHER.sub(self._write_run, text)
            except _CannotTell:
                return None
        hits: list[tuple[int, int]] = []
        try:
            self._database.scan(text.encode("latin-1").translate(self._table), match_event_handler=_collect, context=hits)
        except self._error:  # its scratch space in use by another thread
            return None
        if not hits:
            return []
        if len(hits) == 1:
            word, end = hits[0]
            return [(word >> _LENGTH_BITS, end - (word & _LENGTH))]
        return sorted({(word >> _LENGTH_BITS, end - (word & _LENGTH)) for word, end in hits})

    def _write_run(self, run: re.Match[str]) -> str:
        return run.group(0).translate(self._codes)

    def __reduce__(self) -> tuple[Any, ...]:  # a Hyperscan database is not pickled: built again from the words
        return (SpellingStarts, (self._words,))


class _CannotTell(Exception):
    """A text character has a signature the gate was not built with."""


def _collect(word: int, start: int, end: int, flags: int, hits: list[tuple[int, int]]) -> None:
    hits.append((word, end))


def _without_longer(words: Sequence[str]) -> list[str]:
    """The words none of the others is a prefix of: where a longer one is written, so is its prefix."""
    return [w for w in words if not any(o != w and w.startswith(o) for o in words)]
