"""The Hyperscan-gated matcher finds exactly what the regex alone found: same language, same mentions, same None.

``reference_find`` is ``TermMatcher.find`` as it was before the gate (every text read by every language's regex,
then ``detect_language``, then ``finditer``), kept here verbatim. Both read the text sets below with every shipped
lexicon and with lexicons of awkward spellings: the probes tests' own strings, the synthetic corpus, the bench ads,
and adversarial strings built from every spelling (case, Turkish dotted and dotless i, long s, Kelvin sign, sharp s,
accents and combining marks, hyphens, apostrophes, spaced spellings with every kind of space, glued letters and
digits of other scripts).
"""

from __future__ import annotations

import ast
import pickle
import random
import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from ethicscheck.probes import Found, LanguageTerms, Lexicon, Mention, Term, TermMatcher, builtin_lexicon_names, load_lexicons
from ethicscheck.probes import _starts as starts_module
from ethicscheck.probes._starts import SpellingStarts
from ethicscheck.synth import generate_ads

# -- the matcher before the gate, verbatim -------------------------------------------------------------------

_REFERENCE_HINTS: dict[str, frozenset[str]] = {
    "en": frozenset("the and for with to of in is are we you our your a an at on from this will be who".split()),
    "es": frozenset("el la los las y de del para con en se es un una por que al su sus somos buscamos".split()),
}


def _reference_detect(text: str, languages: Sequence[str]) -> str:
    words = re.findall(r"\w+", text.lower())
    best, best_hits = languages[0], -1
    for code in languages:
        hints = _REFERENCE_HINTS.get(code, frozenset())
        hits = sum(w in hints for w in words)
        if hits > best_hits:
            best, best_hits = code, hits
    return best


def _reference_compile(lang: LanguageTerms) -> tuple[re.Pattern[str], dict[str, tuple[Term, tuple[str, ...]]]]:
    spellings: dict[str, tuple[Term, tuple[str, ...]]] = {}
    for term in lang.terms:
        for spelling in dict.fromkeys(term.forms.values()):
            forms = tuple(f for f in lang.forms if term.forms[f] == spelling)
            spellings[spelling.lower()] = (term, forms)
    alternatives = sorted(spellings, key=len, reverse=True)
    body = "|".join(r"\s+".join(map(re.escape, s.split())) for s in alternatives)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE), spellings


def _alternative(spelling: str) -> str:
    return r"\s+".join(map(re.escape, spelling.split()))


class ReferenceMatcher:
    """``mended``: with the one fix made since, a mention whose lowercase is no spelling ("İndian") raised KeyError."""

    def __init__(self, lexicon: Lexicon, *, mended: bool = True) -> None:
        self._patterns = {code: _reference_compile(lang) for code, lang in lexicon.languages.items()}
        self.mended = mended

    def find(self, text: str) -> Found | None:
        languages = [code for code, pattern in self._patterns.items() if pattern[0].search(text)]
        if not languages:
            return None
        code = _reference_detect(text, languages)
        pattern, spellings = self._patterns[code]
        mentions = []
        for match in pattern.finditer(text):
            key = " ".join(match.group(0).split()).lower()
            if key not in spellings and self.mended:  # the fix: the first alternative that matches the mention whole
                key = next(s for s in sorted(spellings, key=len, reverse=True) if re.fullmatch(_alternative(s), match.group(0), re.I))
            term, forms = spellings[key]
            first = match.group(0)[0]
            if (term.capitalized_only and not first.isupper()) or (term.lowercase_only and not first.islower()):
                continue
            mentions.append(Mention(match.start(), match.end(), term.key, forms))
        return Found(code, tuple(mentions)) if mentions else None


# -- lexicons ------------------------------------------------------------------------------------------------


def _lexicon(name: str, languages: dict[str, list[list[str]]]) -> Lexicon:
    """A lexicon whose terms have one form each: per language, a list of terms, each a list of spellings (forms)."""
    out = {}
    for code, terms in languages.items():
        n = max(len(t) for t in terms)
        forms = tuple(f"f{i}" for i in range(n))
        out[code] = LanguageTerms(
            code,
            forms,
            tuple(Term(f"{name}_{i}", {f: t[min(j, len(t) - 1)] for j, f in enumerate(forms)}) for i, t in enumerate(terms)),
        )
    return Lexicon(name, name, out)


SHIPPED = load_lexicons(builtin_lexicon_names())
AWKWARD = {
    # letters Python's case-insensitive matching equates across scripts, or with a letter of a different length
    "cases": _lexicon(
        "cases",
        {
            "en": [["İstanbul", "istanbul people"], ["ıdle", "Idaho"], ["ſtraße", "STRASSE"], ["Kelvin", "ǅemal"], ["σοφία", "ΣΟΦΊΑΣ"]],
            "de": [["straße", "groß"], ["Fuß", "FUSS"], ["ﬁne", "ﬀ"], ["Ⅻ", "ⓐ"]],
        },
    ),
    # spellings with punctuation, digits, marks: where \w ends, and first words that are prefixes of others
    "punctuation": _lexicon(
        "punctuation",
        {
            "en": [
                ["non-binary", "non binary"],
                ["o'neill", "O’Neill"],
                ["#metoo", "-ish"],
                ["2spirit", "2 spirit"],
                ["café", "cafe\u0301"],
            ],
            "es": [["a", "aa"], ["ab", "abc de"], ["_x", "x_"], ["ñu", "ÑANDÚ"]],
        },
    ),
}
LEXICONS = {**SHIPPED, **AWKWARD}
CONTROL = SHIPPED["control"]

# -- texts ---------------------------------------------------------------------------------------------------

_AROUND = ["", " ", "x", "_", "-", "'", "’", "é", "İ", "ı", "5", "٣", "５", "📞", "ß", "\u0301", "ǅ", "\u200b", ".", "K", "ſ", "Σ"]
_SPACES = [" ", "  ", "\t", "\n", "\u00a0", "\u2009", "\u3000", "\x1c", "\u200b", "-", "_", " \n "]
_SWAPS = {"i": ["İ", "ı", "í", "ì"], "I": ["İ", "ı"], "s": ["ſ", "ß"], "k": ["K"], "K": ["K"], "a": ["á", "ª"], "e": ["é", "ε"], "n": ["ñ"]}


def _spellings() -> list[str]:
    return sorted({s for lex in LEXICONS.values() for lang in lex.languages.values() for t in lang.terms for s in t.forms.values()})


def _variants(spelling: str, rng: random.Random) -> list[str]:
    """The spelling in other cases, with look-alike letters, other spaces and marks."""
    out = [spelling, spelling.lower(), spelling.upper(), spelling.title(), spelling.swapcase(), spelling.casefold()]
    out.append("".join(c.upper() if rng.random() < 0.5 else c.lower() for c in spelling))
    for i, c in enumerate(spelling):
        for other in _SWAPS.get(c, []):
            out.append(spelling[:i] + other + spelling[i + 1 :])
    if " " in spelling:
        out.extend(spelling.replace(" ", space) for space in _SPACES)
    i = rng.randrange(len(spelling) + 1)
    out.append(spelling[:i] + rng.choice(["\u0301", "'", "-", "\u200b", "ß"]) + spelling[i:])
    out.append(spelling[:-1])
    out.append(spelling + spelling[-1])
    return out


def adversarial_texts(seed: int = 7, count: int = 1500) -> list[str]:
    """Every spelling's variants alone and glued to every neighbour, then seeded sentences mixing them."""
    rng = random.Random(seed)
    words = [v for s in _spellings() for v in _variants(s, rng)]
    texts = list(words)
    texts += [f"{a}{w}{b}" for w in rng.sample(words, 150) for a in _AROUND for b in ("", rng.choice(_AROUND))]
    fillers = ["the", "and", "para", "la", "buscamos", "we", "y", "workers", "Trabajo", "hiring", "İİ", "ßß", "5️⃣", "①"]
    for _ in range(count):
        parts = [rng.choice(words) if rng.random() < 0.5 else rng.choice(fillers) for _ in range(rng.randint(1, 8))]
        texts.append("".join(p + rng.choice(_AROUND + _SPACES) for p in parts))
    return texts


def fixture_texts() -> list[str]:
    """The string literals of the probes tests."""
    found: set[str] = set()
    for path in sorted(Path(__file__).parent.glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return sorted(found)


TEXT_SETS = {
    "fixtures": fixture_texts,
    "synth ads": lambda: list(generate_ads(600, seed=0)["text"]),
    "bench ads": lambda: list(generate_ads(600, seed=1, id_prefix="eval")["text"]),
    "adversarial": adversarial_texts,
}


@pytest.fixture(scope="module", params=sorted(TEXT_SETS))
def texts(request: pytest.FixtureRequest) -> list[str]:
    return TEXT_SETS[request.param]()


@pytest.mark.parametrize("name", sorted(LEXICONS))
def test_same_found_as_the_regex_alone(name: str, texts: list[str]) -> None:
    matcher = TermMatcher(LEXICONS[name], extra_targets=[CONTROL])
    reference = ReferenceMatcher(LEXICONS[name])
    assert matcher._starts.ready  # the gate answers: this compares it, not the fallback
    unmended = ReferenceMatcher(LEXICONS[name], mended=False)
    differ = []
    for text in texts:
        found = matcher.find(text)
        try:
            expected = unmended.find(text)  # exactly as before, wherever that did not fail
        except KeyError:
            # only where letters Python equates with others of another lowercase are written (or spelled: "ſtraße")
            assert name in AWKWARD or any(c in text for c in "İıſKΣσς"), text
            expected = reference.find(text)
        if found != expected:
            differ.append((text, found, expected))
    assert not differ, differ[:3]


@pytest.mark.parametrize("name", sorted(LEXICONS))
def test_every_place_the_regex_matches_is_a_start(name: str) -> None:
    """Stronger than the same findings: the regex, tried at every position, matches only where the gate says."""
    matcher = TermMatcher(LEXICONS[name])
    patterns = [pattern for pattern, _ in matcher._patterns.values()]
    for text in random.Random(11).sample(adversarial_texts(seed=11, count=0), 2500) + fixture_texts():
        told = matcher._starts.starts(text)
        assert told is not None
        matched = {(i, q) for i, p in enumerate(patterns) for q in range(len(text)) if p.match(text, q)}
        assert matched <= set(told), text


def test_the_regex_reads_the_text_before_where_it_is_tried() -> None:
    """``match(text, q)`` sees ``text[q - 1]``: the lookbehind keeps "Xindian" no mention when tried at the i."""
    pattern = re.compile(r"(?<!\w)(?:indian)(?!\w)", re.IGNORECASE)
    assert pattern.match("Xindian", 1) is None
    assert pattern.match("-indian", 1) is not None


def test_turkish_i_and_long_s_are_what_python_says() -> None:
    """The gate asks ``re`` which characters match: "İndian" is a mention to Python, so it is to the gate."""
    matcher = TermMatcher(SHIPPED["nationality"])
    for text in ("İNDİAN", "ındian", "Fılıpıno", "Romanian\u0301", "ROMANİANS"):
        assert (0, 0) in (matcher._starts.starts(text) or [])


def test_without_hyperscan_the_regex_reads_every_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(starts_module, "_hyperscan", lambda: None)
    matcher = TermMatcher(SHIPPED["nationality"])
    assert not matcher._starts.ready
    assert matcher._starts.starts("Nigerian cooks") is None
    for text in fixture_texts():
        assert matcher.find(text) == ReferenceMatcher(SHIPPED["nationality"]).find(text)


def test_a_lexicon_too_varied_for_the_coding_is_read_by_the_regex() -> None:
    """More than 127 letters with distinct case classes (here CJK): no gate, the same findings."""
    han = [chr(0x4E00 + i) for i in range(260)]
    lexicon = _lexicon("han", {"zh": [[a + b] for a, b in zip(han[::2], han[1::2])]})
    matcher = TermMatcher(lexicon)
    assert not matcher._starts.ready
    text = f"x {han[0]}{han[1]} y {han[2]}{han[3]}"
    found = matcher.find(text)
    assert found is not None
    assert found == ReferenceMatcher(lexicon).find(text)


def test_a_character_the_gate_was_not_built_for_sends_the_text_to_the_regex(monkeypatch: pytest.MonkeyPatch) -> None:
    gate = SpellingStarts([["indian"]])
    monkeypatch.setattr(gate, "code_of", lambda character: None)
    assert gate.starts("Indian cook ✓") is None
    assert gate.starts("Indian cook") == [(0, 0)]  # ASCII is coded from the table built up front


def test_starts_of_overlapping_words_are_all_reported() -> None:
    gate = SpellingStarts([["aa", "ab"], ["ba"]])
    assert gate.starts("aaab aba") == [(0, 0), (0, 1), (0, 2), (0, 5), (1, 6)]
    assert gate.starts("") == []
    assert gate.starts("ÄA") == []


def test_a_matcher_pickles_and_finds_the_same() -> None:
    matcher = TermMatcher(SHIPPED["nationality"], extra_targets=[CONTROL])
    again = pickle.loads(pickle.dumps(matcher))
    assert again._starts.ready
    assert again.find("Two Nigerians and a nigerian cook.") == matcher.find("Two Nigerians and a nigerian cook.") is not None
