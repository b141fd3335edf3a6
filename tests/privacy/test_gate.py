"""The compiled gate says a regex has no match exactly when it has none: fuzzed against every regex it guards."""

from __future__ import annotations

import pickle
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ethicscheck.privacy import DEFAULT_ENTITIES, Scanner, _normalize
from ethicscheck.privacy import _gate as gate_module
from ethicscheck.privacy._gate import Gate
from ethicscheck.privacy._normalize import clean_view, contact_view
from ethicscheck.privacy.recognizers._regex import GroupPatternRecognizer

from .test_prefilters import _CASES, _TEXTS, FRAGMENTS

SCANNER = Scanner(DEFAULT_ENTITIES)
#: (name, pattern, the view it reads) for every regex a gate guards in a scan.
GUARDED = [
    *[(f"{type(r).__name__} prefilter", p, "clean") for r, _, _, p in SCANNER.recognizers if p is not None],
    *[
        (f"{type(r).__name__}[{i}]", r._gate.patterns[i], r.VIEW)  # the pattern, or the form the gate reads for it
        for r, _, _, _ in SCANNER.recognizers
        if isinstance(r, GroupPatternRecognizer)
        for i in range(len(r._gate.patterns))
    ],
    *[
        (f"contact view's {name}", getattr(_normalize, name), "clean")
        for name in ("_SPACED", "_AT_NOT_WORD", "_AT_USER_WORD", "_DOT", "_HXXP")  # the contact view's gate, in its order
    ],
]
#: One gate for all of them (index i: GUARDED[i]), built once: compiling takes a while.
ALL = Gate([pattern for _, pattern, _ in GUARDED])
#: ASCII pieces that make the guarded regexes' lookarounds, case and boundaries matter.
_ASCII = st.text(alphabet=st.characters(min_codepoint=0x09, max_codepoint=0x7E), max_size=8)
_PLAIN_TEXTS = st.lists(st.one_of(st.sampled_from(FRAGMENTS), _ASCII), max_size=6).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(_TEXTS, _PLAIN_TEXTS), case=_CASES)
def test_the_gate_never_rules_out_a_regex_that_matches(text, case):
    for seen in {clean_view(case(text)).text, contact_view(case(text)).text}:
        answer = ALL.possible(seen)
        for i, (name, pattern, _) in enumerate(GUARDED):
            assert ALL.no_match(answer, i, seen) == (pattern.search(seen) is None), f"the gate is wrong about {name} on {seen!r}"


@pytest.mark.parametrize("fragment", FRAGMENTS)
def test_the_gate_keeps_every_fragment_a_guarded_regex_matches(fragment):
    for text in (fragment, fragment.upper(), fragment.lower(), f"x{fragment}_", f"{fragment}\n"):
        for view in (clean_view(text).text, contact_view(text).text):
            answer = ALL.possible(view)
            assert all(ALL.no_match(answer, i, view) == (p.search(view) is None) for i, (_, p, _) in enumerate(GUARDED)), view


def test_the_gate_compiles_most_guarded_regexes_and_rules_out_texts():
    assert len(ALL.always) <= 2
    answer = ALL.possible("nothing to see here")
    assert answer is not None and len(answer) < len(GUARDED) // 2
    assert len(ALL.exact) >= 5  # the prefilters without lookarounds: a match reported is a match


@pytest.mark.parametrize(
    "pattern",
    [r"a{,3}b", r"\u0041", r"(?x) a b", r"[:alpha:]x", r"(?i)ſ", "(?i)\u212a", re.compile("a b", re.VERBOSE)],
    ids=["{,n}", "\\u", "verbose inline", "posix class", "long s", "kelvin", "verbose flag"],
)
def test_syntax_read_otherwise_is_never_gated(pattern):
    assert Gate([re.compile(pattern) if isinstance(pattern, str) else pattern]).always == {0}


@pytest.mark.parametrize("text", ["caf\u00e9 a1", "tab\x0bvertical", "unit\x1fseparator", "\u212aelvin", "nul\x00"])
def test_the_gate_does_not_answer_for_text_beyond_printable_ascii(text):
    assert Gate([re.compile(r"zzz")]).possible(text) is None


def test_without_hyperscan_every_regex_runs(monkeypatch):
    monkeypatch.setattr(gate_module, "_hyperscan", lambda: None)
    gate = Gate([re.compile("a"), re.compile("b")])
    assert gate.possible("c") is None
    assert not gate.no_match(None, 0, "a") and gate.no_match(None, 1, "a")


def test_a_gate_pickles_by_its_patterns():
    gate = Gate([re.compile(r"\d{3}"), re.compile("a{,2}")])
    copy = pickle.loads(pickle.dumps(gate))
    assert copy.possible("abc") == gate.possible("abc") == {1}
    assert copy.possible("a 123") == {0, 1}
    assert copy.exact == gate.exact == {0}


def test_a_scan_finds_the_same_with_its_gates_compiled_as_without(monkeypatch):
    """A scan's gates are compiled after WARM_UP texts; forced at once here, every finding stays the same."""
    from ethicscheck._vocabulary import ARTIFACT_ENTITIES

    texts = [f"{a} {b}\n{c.upper()}" for a, b, c in zip(FRAGMENTS, FRAGMENTS[7:] + FRAGMENTS[:7], FRAGMENTS[3:] + FRAGMENTS[:3])]
    texts += [*FRAGMENTS, "reach me at rosie_137 dot ro or t(dot)me/mia_4u, snap kara_lux, 4111 1111 1111 1111"]
    # the contact view writes '@NigeRIANX0.0651', a handle: a recognizer whose gate's "possible" is enough still reads
    # its prefilter on a text its contact view rewrites (the prefilter reads the clean view, which has no cue here)
    texts += ["[at] NigeRIANX0.0651#pAY IS $18.50 PER HOUR"]
    for entities in (DEFAULT_ENTITIES, ARTIFACT_ENTITIES):
        scanner = Scanner(entities)
        gates = [scanner._gate, scanner._url_gate, _normalize._contact_gate()]
        gates += [r._gate for r, _, _, _ in scanner.recognizers if isinstance(r, GroupPatternRecognizer)]
        for gate in gates:
            monkeypatch.setattr(gate, "_waiting", 1)  # compiled on its next text
        gated = [[(f.entity_type, f.start, f.end, f.score) for f in scanner.analyze(t)] for t in texts]
        assert all(gate._database is not None for gate in gates if gate.patterns)
        with monkeypatch.context() as plain:
            plain.setattr(Gate, "possible", lambda self, text: None)
            assert [[(f.entity_type, f.start, f.end, f.score) for f in scanner.analyze(t)] for t in texts] == gated


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(_TEXTS, _PLAIN_TEXTS), case=_CASES)
def test_the_at_rewrite_leaves_every_text_the_gate_rules_out_as_it_is(text, case):
    view = clean_view(case(text))
    gate = Gate(_normalize._contact_gate().patterns)
    if not _normalize._at_may_change(gate, gate.possible(view.text), view.text):
        assert _normalize.rewrite(view, _normalize._AT, _normalize._at) is view, view.text


_AT_PIECES = [*"aZ09_.%+-@ \t\n", "é", "٣", "\u00a0", " at ", " AT ", " arroba ", "at", "rosie_137", "x.", "Message us"]


@settings(max_examples=800, deadline=None)
@given(text=st.one_of(_TEXTS, _PLAIN_TEXTS, st.lists(st.sampled_from(_AT_PIECES), max_size=12).map("".join)))
def test_the_gates_word_form_of_the_at_rewrite_matches_where_a_user_name_precedes_it(text):
    """The gate reads _AT_USER_WORD where the '@' rewrite reads _AT_WORD and then the word before each match."""
    starts, found = [], _normalize._AT_WORD.search(text)
    while found is not None:
        starts.append(found.start())
        found = _normalize._AT_WORD.search(text, found.start() + 1)
    by_words = any(_normalize._user_name_before(text, start) for start in starts)
    assert (_normalize._AT_USER_WORD.search(text) is not None) == by_words, text


def test_the_gate_reads_the_word_form_exactly():
    assert _normalize._GATE_AT_WORD in Gate(_normalize._contact_gate().patterns).exact


def test_the_contact_gate_guards_the_contact_views_rewrites_in_order():
    assert _normalize._contact_gate().patterns == tuple(p for name, p, _ in GUARDED if name.startswith("contact view's"))
    assert _normalize._GATE_HXXP == len(_normalize._contact_gate().patterns) - 1


@pytest.mark.parametrize(
    "text", ["rosie_137 at yahoo dot ro", "rooms at hotel dot com", "kittya49 [@] yahoo[.]com", "r u b y @ a o l . c o m", "hxxps://x.io"]
)
def test_the_contact_view_is_the_same_through_its_gate(text, monkeypatch):
    gated = Gate(_normalize._contact_gate().patterns)
    for case in (str, str.upper):
        _normalize._contact.cache_clear()
        monkeypatch.setattr(_normalize, "_contact_gate", lambda: gated)
        through_gate = contact_view(case(text))
        _normalize._contact.cache_clear()
        monkeypatch.setattr(_normalize, "_contact_gate", lambda: Gate([]))
        assert contact_view(case(text)) == through_gate
    _normalize._contact.cache_clear()


def test_a_gate_reads_each_text_by_its_own_characters_whichever_text_came_before():
    """The gates of a scan share the ASCII check and bytes of the last text read (by identity), never of another."""
    gate, other = Gate([re.compile("zz")]), Gate([re.compile("a")])
    text = "".join(["a ", "zz"])
    assert gate.possible(text) == {0} and other.possible(text) == {0}
    assert gate.possible("caf\u00e9 zz") is None
    assert gate.possible("a zz") == {0}  # an equal text, another object
    assert gate.possible("a b") == set() and other.possible("b") == set()
