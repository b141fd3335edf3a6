"""Lexicons: the shipped ones load and fit the control; user files extend them or fail with the file and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from ethicscheck.errors import ConfigError
from ethicscheck.probes import CONTROL_LEXICON, TermMatcher, builtin_lexicon_names, load_lexicons

SHIPPED = ("ethnicity", "gender", "language", "lgbtq", "nationality", "religion")


def test_shipped_lexicons_have_english_and_spanish() -> None:
    assert set(builtin_lexicon_names()) == {*SHIPPED, CONTROL_LEXICON}
    lexicons = load_lexicons(SHIPPED)
    for name in SHIPPED:
        assert set(lexicons[name].languages) == {"en", "es"}, name
    assert lexicons[CONTROL_LEXICON].control


def test_every_shipped_spelling_is_found_as_its_own_term() -> None:
    lexicons = load_lexicons(SHIPPED)
    for name in SHIPPED:
        matcher = TermMatcher(lexicons[name])
        for code, lang in lexicons[name].languages.items():
            for term in lang.terms:
                for spelling in term.forms.values():
                    written = spelling if not term.lowercase_only else spelling.lower()
                    found = matcher.find(f"{written} hint" if code == "en" else f"la {written}")
                    assert found is not None and found.terms == (term.key,), (name, spelling)


def test_a_user_file_adds_terms_and_replaces_a_key(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        "name: nationality\nlanguages:\n  en:\n    forms: [adj, noun_sg, noun_pl]\n    terms:\n"
        "      - {key: eritrean, adj: Eritrean, noun_sg: Eritrean, noun_pl: Eritreans}\n"
        "      - {key: thai, adj: Thai, noun_sg: Thai person, noun_pl: Thai people}\n",
        encoding="utf-8",
    )
    lexicon = load_lexicons(["nationality"], files=[path])["nationality"]
    assert "eritrean" in lexicon.keys
    matcher = TermMatcher(lexicon)
    found = matcher.find("Two Nigerians.")
    assert found is not None
    assert matcher.swap("Two Nigerians.", found, "eritrean") == "Two Eritreans."
    assert matcher.swap("Two Nigerians.", found, "thai") == "Two Thai people."


def test_a_user_file_can_add_a_lexicon(tmp_path: Path) -> None:
    path = tmp_path / "caste.yaml"
    path.write_text("name: caste\nlanguages:\n  en:\n    forms: [adj]\n    terms: [{key: a, adj: X}, {key: b, adj: Y}]\n", encoding="utf-8")
    assert set(load_lexicons([], files=[path])) == {"caste", CONTROL_LEXICON}


HEAD = "name: x\nlanguages:\n  en:\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (HEAD + "    forms: [adj]\n    terms: [{key: a, adj: A}]\n", "at least two terms"),
        (HEAD + "    forms: [adj, noun_pl]\n    terms: [{key: a, adj: A}, {key: b, adj: B, noun_pl: Bs}]\n", "missing noun_pl"),
        (HEAD + "    forms: [adj]\n    terms: [{key: a, adj: A}, {key: b, adj: a}]\n", "also a form of 'a'"),
        (HEAD + "    forms: [weird]\n    terms: [{key: a, weird: A}, {key: b, weird: B}]\n", "no word for"),
        (HEAD + "    forms: [adj]\n    terms: [{key: a, adj: A, colour: red}, {key: b, adj: B}]\n", "unknown field colour"),
        ("name: x\n", "needs 'name'"),
        ("name: [unclosed\n", "not valid YAML"),
    ],
)
def test_bad_lexicon_files_name_the_file_and_field(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as raised:
        load_lexicons([], files=[path])
    assert "bad.yaml" in str(raised.value)


def test_unknown_lexicon_name_lists_the_shipped_ones() -> None:
    with pytest.raises(ConfigError, match="shipped: control, ethnicity"):
        load_lexicons(["nationalty"])


def test_missing_user_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_lexicons([], files=[tmp_path / "nope.yaml"])
