"""A compiled gate: one Hyperscan pass over a text tells which of many regexes cannot match it.

The scanner guards each recognizer with a prefilter, a regex every text the recognizer can match contains;
with a dozen of them, reading the text once per prefilter costs more than most recognizers. Hyperscan
compiles them all into one automaton: a regex it can read exactly as it is (no lookaround), and the others in
*prefiltering mode*, which reports a superset of a regex's matches (lookarounds it cannot run are left out,
which only adds matches). A regex it reports no match for has none; one it reads exactly and reports a match
for has one; for the others the regex itself decides.

That holds where Hyperscan reads the text as Python's ``re`` does. The gate answers only for printable
ASCII text (with tabs and line breaks), where ``\\w``, ``\\d``, ``\\s``, ``\\b``, ``.`` and case mean the
same in both; it compiles a regex only when its syntax means the same in both (no ``\\u`` escapes, which
Hyperscan refuses, no ``{,n}`` or ``[:alpha:]``, which it reads otherwise, no verbose flag, none of the four
non-ASCII letters Python's case-insensitive matching equates with ASCII ones). Other regexes are always
run, other texts read by every regex.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

__all__ = ["Gate", "WARM_UP"]

#: Texts a scan's gates let through before they are compiled. Compiling all of a scan's gates takes about a CPU
#: second, what they save on ~10,000 ads: short scans (a demo, a report's self-scan) are better off without them.
WARM_UP = 5000

#: Characters outside the text the gate answers for: anything but printable ASCII, tab, line feed, return.
_NOT_PLAIN = re.compile(r"[^\t\n\r\x20-\x7e]")
#: Syntax Python reads one way and Hyperscan (PCRE's syntax) another, or not at all.
_UNSAFE = re.compile(r"\\[uUN]|\{,|\[:\^?[a-z]+:\]|\(\?[a-zA-Z]*x|[\u0130\u0131\u017f\u212a]")


def _hyperscan() -> Any:
    try:
        import hyperscan
    except ImportError:  # pragma: no cover - a dependency; without it every regex simply runs
        return None
    return hyperscan


class Gate:
    """Which of ``patterns`` may match a text, by one Hyperscan scan.

    Parameters
    ----------
    patterns : sequence of compiled regex
        Python ``re`` patterns (str). Those the gate cannot compile to mean what Python means by them are
        reported as possible for every text.
    warm_up : int
        Texts to let through (every pattern possible) before compiling: compiling takes up to a few tenths of
        a second for long patterns, more than a gate saves on a few thousand texts. 0: compile now.
    """

    def __init__(self, patterns: Sequence[re.Pattern[str]], *, warm_up: int = 0) -> None:
        self.patterns = tuple(patterns)
        self.size = len(patterns)
        self.always: frozenset[int] = frozenset(range(self.size))
        #: Patterns the gate reads exactly (no lookaround or other construct it approximates): on a text the gate
        #: answers for, "possible" means the pattern matches.
        self.exact: frozenset[int] = frozenset()
        self._database: Any = None
        self.warm_up = self._waiting = warm_up
        if not warm_up:
            self._build()

    def _build(self) -> None:
        built = _database(tuple((p.pattern, p.flags) for p in self.patterns))
        if built is not None:
            self._database, self.always, self.exact = built

    def compile(self) -> None:
        """Compile now, skipping what is left of the warm-up (a no-op once compiled)."""
        if self._waiting:
            self._waiting = 0
            self._build()

    def possible(self, text: str) -> set[int] | None:
        """Indices of the patterns that may match ``text``; None when the gate cannot tell (every one may)."""
        if self._waiting:
            self._waiting -= 1
            if self._waiting:
                return None
            self._build()
        if self._database is None:
            return None
        data = _plain(text)
        if data is None:
            return None
        found = set(self.always)
        self._database.scan(data, match_event_handler=_collect, context=found)
        return found

    def no_match(self, answer: set[int] | None, i: int, text: str) -> bool:
        """Is there no match of pattern ``i`` in ``text``? ``answer``: :meth:`possible` of ``text``. The pattern
        itself runs only when the gate cannot tell."""
        if answer is not None:
            if i not in answer:
                return True
            if i in self.exact:
                return False
        return self.patterns[i].search(text) is None

    def __reduce__(self) -> tuple[Any, ...]:  # a Hyperscan database is not pickled: rebuilt from the patterns
        return (_rebuilt, (self.patterns, self.warm_up))


#: The last text a gate read and its bytes (None: beyond printable ASCII). A scan's gates mostly read one string object
#: (the clean view, which the contact view and the recognizers' views leave as it is): it is checked and encoded once.
_LAST: tuple[str | None, bytes | None] = (None, None)


def _plain(text: str) -> bytes | None:
    """``text`` in ASCII bytes when the gate answers for it (printable ASCII, tabs and line breaks), else None."""
    global _LAST
    last = _LAST
    if last[0] is text:
        return last[1]
    data = text.encode("ascii") if text.isascii() and _NOT_PLAIN.search(text) is None else None
    _LAST = (text, data)
    return data


def _rebuilt(patterns: tuple[re.Pattern[str], ...], warm_up: int) -> Gate:
    return Gate(patterns, warm_up=warm_up)


def _collect(pattern: int, start: int, end: int, flags: int, found: set[int]) -> None:
    found.add(pattern)


#: Constructs Hyperscan reads only in prefiltering mode: a pattern holding one is compiled so at once.
_APPROXIMATED = re.compile(r"\(\?<?[=!]|\\Z|\\[1-9]|\(\?P=|\(\?>|[*+?}]\+")


@lru_cache(maxsize=64)
def _database(patterns: tuple[tuple[str, int], ...]) -> tuple[Any, frozenset[int], frozenset[int]] | None:
    """(database, patterns always possible, patterns read exactly), built once per process for a set of patterns
    (compiling takes milliseconds per pattern); None without Hyperscan or without a pattern it can compile."""
    hs = _hyperscan()
    if hs is None:
        return None
    modes = {i: _mode(hs, *p, trial=False) for i, p in enumerate(patterns)}
    try:
        database = _compiled(hs, patterns, modes)
    except hs.error:  # some pattern needs another mode, or cannot be compiled: find out one by one
        modes = {i: _mode(hs, *p, trial=True) for i, p in enumerate(patterns)}
        database = _compiled(hs, patterns, modes)
    if database is None:
        return None
    everything = frozenset(range(len(patterns)))
    compiled = frozenset(i for i, mode in modes.items() if mode is not None)
    return database, everything - compiled, frozenset(i for i in compiled if not modes[i] & hs.HS_FLAG_PREFILTER)


def _compiled(hs: Any, patterns: tuple[tuple[str, int], ...], modes: dict[int, int | None]) -> Any:
    ids = [i for i, mode in modes.items() if mode is not None]
    if not ids:
        return None
    database = hs.Database(mode=hs.HS_MODE_BLOCK)
    database.compile(expressions=[patterns[i][0].encode() for i in ids], ids=ids, elements=len(ids), flags=[modes[i] for i in ids])
    return database


def _mode(hs: Any, pattern: str, re_flags: int, *, trial: bool) -> int | None:
    """Hyperscan's flags for ``pattern``: exact when it compiles so, else in prefiltering mode; None when it
    cannot mean what Python means by it (on plain ASCII text). Without ``trial``, the mode is guessed from the
    pattern's text (and None only for syntax read otherwise)."""
    if re_flags & re.VERBOSE or _UNSAFE.search(pattern):
        return None
    flags = hs.HS_FLAG_SINGLEMATCH | hs.HS_FLAG_ALLOWEMPTY | hs.HS_FLAG_UTF8
    if re_flags & re.IGNORECASE:
        flags |= hs.HS_FLAG_CASELESS
    if re_flags & re.DOTALL:
        flags |= hs.HS_FLAG_DOTALL
    if re_flags & re.MULTILINE:
        flags |= hs.HS_FLAG_MULTILINE
    # '\Z' ends a Python text only; Hyperscan reads it as PCRE does (also before a last line break): a superset
    modes = [flags | hs.HS_FLAG_PREFILTER] if _APPROXIMATED.search(pattern) else [flags, flags | hs.HS_FLAG_PREFILTER]
    if not trial:
        return int(modes[0])
    for mode in modes:
        try:
            hs.Database(mode=hs.HS_MODE_BLOCK).compile(expressions=[pattern.encode()], ids=[0], elements=1, flags=[mode])
        except hs.error:
            continue
        return int(mode)
    return None
