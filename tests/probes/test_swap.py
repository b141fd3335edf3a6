"""Swap correctness: (lexicon, text, target, expected text) tables, near-misses included."""

from __future__ import annotations

import pytest

from ethicscheck.probes import TermMatcher, builtin_lexicon_names, detect_language, load_lexicons

LEXICONS = load_lexicons(builtin_lexicon_names())
MATCHERS = {name: TermMatcher(lex, extra_targets=[LEXICONS["control"]]) for name, lex in LEXICONS.items()}

SWAPS = [
    # plurals and singulars
    ("nationality", None, "Nigerian workers welcome.", "filipino", "Filipino workers welcome."),
    ("nationality", None, "We are looking for Nigerians.", "filipino", "We are looking for Filipinos."),
    ("nationality", None, "Two Nigerians and one Nigerian.", "nepali", "Two Nepalis and one Nepali."),
    ("nationality", None, "Hiring Poles now.", "romanian", "Hiring Romanians now."),
    ("nationality", None, "Hiring Romanians now.", "polish", "Hiring Poles now."),
    # adjective vs noun when the target spells them differently
    ("nationality", None, "Nigerian cooks wanted.", "chinese", "Chinese cooks wanted."),
    ("nationality", None, "We hire a Nigerian.", "chinese", "We hire a Chinese person."),
    ("nationality", None, "Nigerians welcome.", "chinese", "Chinese people welcome."),
    ("nationality", None, "a Nigerian who cooks", "british", "a British person who cooks"),
    ("nationality", None, "Polish staff on site", "romanian", "Romanian staff on site"),
    ("religion", None, "A Muslim cook and a Muslim.", "jewish", "A Jewish cook and a Jewish person."),
    # case
    ("nationality", None, "nigerian cook", "filipino", "filipino cook"),
    ("nationality", None, "NIGERIAN COOK", "ukrainian", "UKRAINIAN COOK"),
    ("gender", None, "Women only.", "man", "Men only."),
    ("gender", None, "Trans Women welcome", "woman", "Women welcome"),
    ("gender", "woman", "women and trans women", "trans_man", "trans men and trans women"),
    ("nationality", None, "Se buscan trabajadoras nigerianas.", "thai", "Se buscan trabajadoras tailandesas."),
    ("nationality", None, "Nigeriano con experiencia.", "filipino", "Filipino con experiencia."),
    # a/an and Spanish articles follow the new term
    ("nationality", None, "We hire a Nigerian.", "indian", "We hire an Indian."),
    ("nationality", None, "An Indian cook", "ukrainian", "A Ukrainian cook"),
    ("nationality", None, "AN INDIAN COOK", "nigerian", "A NIGERIAN COOK"),
    ("gender", None, "Buscamos a una mujer para la casa.", "man", "Buscamos a un hombre para la casa."),
    ("gender", None, "La mujer trans y el jardín.", "man", "El hombre y el jardín."),
    ("nationality", None, "El cocinero nigeriano es el hindú.", "thai", "El cocinero tailandés es el hindú."),
    ("religion", None, "una cocinera hindú", "muslim", "una cocinera musulmana"),
    ("religion", None, "El hindú y la hindú", "muslim", "El musulmán y la musulmana"),
    # punctuation around the term
    ("nationality", None, '"Nigerian", (Nigerian) and Nigerian-born; Nigerian\'s.', "thai", '"Thai", (Thai) and Thai-born; Thai\'s.'),
    ("nationality", None, "non-Nigerian applicants", "french", "non-French applicants"),
    ("lgbtq", None, "Gay-friendly employer!", "queer", "Queer-friendly employer!"),
    # several terms: only the source term is swapped
    ("nationality", "nigerian", "Filipino and Nigerian staff", "thai", "Filipino and Thai staff"),
    # the control fits any slot
    ("nationality", None, "Nigerians welcome.", "teal", "Teals welcome."),
    ("gender", None, "la mujer", "teal", "la turquesa"),
    ("gender", None, "la mujer", "amber", "el ámbar"),
    ("language", None, "Tagalog speakers", "amber", "Amber speakers"),
]


@pytest.mark.parametrize(("lexicon", "source", "text", "target", "expected"), SWAPS)
def test_swap_keeps_form_case_and_article(lexicon: str, source: str | None, text: str, target: str, expected: str) -> None:
    matcher = MATCHERS[lexicon]
    found = matcher.find(text)
    assert found is not None
    assert matcher.swap(text, found, target, source=source) == expected


# Never a mention: the term inside another word, the country rather than the demonym, everyday words.
NOT_MENTIONS = [
    ("nationality", "Romania and Indiana are places; Thailand too."),
    ("nationality", "Nigeriaville and Nigerianess"),
    ("nationality", "polish the floors, polished shoes"),
    ("nationality", "Trabajo en Filipinas e Indonesia."),
    ("gender", "A manager from Oman, a mandate, womanhood, human"),
    ("ethnicity", "a black car and white shirts"),
    ("lgbtq", "Gaylord Hotels, the gayest; straight to work"),
    ("religion", "Hinduism and Christianity courses"),
    ("language", "Englishman"),
]


@pytest.mark.parametrize(("lexicon", "text"), NOT_MENTIONS)
def test_terms_inside_other_words_are_not_mentions(lexicon: str, text: str) -> None:
    assert MATCHERS[lexicon].find(text) is None


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("Filipino and Nigerian staff, more Filipinos", ("filipino", "nigerian")),
        ("South Asians and Asians", ("south_asian", "asian")),
        ("Black workers", ("black",)),
    ],
)
def test_found_terms_in_order(text: str, terms: tuple[str, ...]) -> None:
    found = next(m.find(text) for m in MATCHERS.values() if m.find(text) is not None)
    assert found.terms == terms


def test_swap_needs_a_source_when_several_terms() -> None:
    matcher = MATCHERS["nationality"]
    found = matcher.find("Filipino and Nigerian staff")
    assert found is not None
    with pytest.raises(ValueError, match="name the source term"):
        matcher.swap("Filipino and Nigerian staff", found, "thai")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("We are hiring Filipino workers for the farm", "en"), ("Buscamos trabajadores filipinos para la granja", "es"), ("filipinos", "en")],
)
def test_language_of_a_text(text: str, expected: str) -> None:
    assert detect_language(text, ["en", "es"]) == expected


def test_a_mention_lowercasing_to_no_spelling_is_found() -> None:
    """Python's case-insensitive matching takes "Fılıpıno" (dotless i) and "İNDİAN" (dotted capital I) for
    spellings whose lowercase they are not: the mention is the spelling the regex matched (this raised KeyError,
    failing the audit on such an ad)."""
    matcher = MATCHERS["nationality"]
    found = matcher.find("Fılıpıno and İNDİAN cooks")
    assert found is not None
    assert [(m.start, m.end, m.term) for m in found.mentions] == [(0, 8, "filipino"), (13, 19, "indian")]
    assert matcher.swap("Fılıpıno cooks", matcher.find("Fılıpıno cooks"), "thai") == "Thai cooks"
