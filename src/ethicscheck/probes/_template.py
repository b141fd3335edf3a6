"""Probe templates: a term of a lexicon inserted into a neutral slot of every text, not only swapped in place.

Swaps only reach texts that already name a term. A template reaches every text: ``"{text} {nationality}
applicants welcome."`` puts the text where ``{text}`` is and each nationality term (and a neutral control
word) in the slot. The slot names a lexicon and, optionally, the form the term takes there
(``{nationality:noun_pl}``; default: the language's first form, the adjective in English). The article
just before the slot agrees with the term written in it ("a {nationality:noun_sg}" gives "an Indian",
Spanish "la {gender:noun_sg}" gives "el hombre").

Examples
--------
>>> from ethicscheck.probes import load_lexicons
>>> from ethicscheck.probes._template import Template
>>> lexicons = load_lexicons(["nationality"])
>>> template = Template.parse("{text} Ask for a {nationality:noun_sg} cook.", lexicons)
>>> template.fill("Kitchen job.", lexicons["nationality"].languages["en"].term("indian"))
'Kitchen job. Ask for an Indian cook.'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ethicscheck.config import PROBE_SLOT, PROBE_TERM_SLOT, PROBE_TEXT_SLOT, probe_template_problems
from ethicscheck.errors import ConfigError
from ethicscheck.probes._lexicon import Lexicon, Term
from ethicscheck.probes._swap import detect_language

__all__ = ["Template"]

_ES_MASCULINE = {"la": "el", "una": "un", "las": "los", "unas": "unos"}
_ES_FEMININE = {v: k for k, v in _ES_MASCULINE.items()}


@dataclass(frozen=True)
class Template:
    """A parsed template: the lexicon, language and form of its slot, and the text around it.

    Attributes
    ----------
    source : str
        The template as configured.
    lexicon : str
    language : str
        The lexicon language the slot is written in (from the form, else from the template's words).
    form : str
    head, tail : str
        The template before and after the term slot, each possibly holding ``{text}``.
    """

    source: str
    lexicon: str
    language: str
    form: str
    head: str
    tail: str

    @classmethod
    def parse(cls, template: str, lexicons: Mapping[str, Lexicon], *, where: str = "probes -> templates") -> Template:
        """Read ``template`` against the loaded lexicons.

        Raises
        ------
        ConfigError
            A malformed slot, a lexicon that is not probed, or a form the lexicon does not have.
        """
        problems = probe_template_problems(template)
        if problems:
            raise ConfigError(f"{where}: '{template}': {'; '.join(problems)}.")
        slot = next(m for m in PROBE_SLOT.finditer(template) if m.group(1) != "text")
        parsed = PROBE_TERM_SLOT.match(slot.group(1))
        assert parsed is not None  # template_problems checked it
        name, form = parsed["lexicon"], parsed["form"]
        lexicon = lexicons.get(name)
        if lexicon is None or lexicon.control:
            probed = ", ".join(n for n, lex in lexicons.items() if not lex.control)
            raise ConfigError(f"{where}: '{template}': '{name}' is not a probed lexicon; probed: {probed} (probes -> lexicons).")
        if form is None:
            language = detect_language(PROBE_SLOT.sub(" ", template), list(lexicon.languages))
            form = lexicon.languages[language].forms[0]
        else:
            having = [code for code, lang in lexicon.languages.items() if form in lang.forms]
            if not having:
                forms = "; ".join(f"{code}: {', '.join(lang.forms)}" for code, lang in lexicon.languages.items())
                raise ConfigError(f"{where}: '{template}': lexicon '{name}' has no form '{form}' (its forms: {forms}).")
            language = detect_language(PROBE_SLOT.sub(" ", template), having)
        return cls(template, name, language, form, template[: slot.start()], template[slot.end() :])

    def fill(self, text: str, term: Term) -> str:
        """The template with ``text`` in its text slot and ``term`` (in the slot's form) in its term slot."""
        written = term.forms[self.form]
        head = _agreeing(self.head, term, written, self.language)
        return head.replace(PROBE_TEXT_SLOT, text) + written + self.tail.replace(PROBE_TEXT_SLOT, text)


def _agreeing(head: str, term: Term, written: str, language: str) -> str:
    """``head`` with the article just before the slot agreeing with the term written there."""
    found = re.search(r"(?<!\w)(\w+)(\s+)$", head)
    if found is None:
        return head
    word = found.group(1)
    lower = word.lower()
    if language == "en" and lower in ("a", "an"):
        new = term.article or ("an" if written[:1].lower() in "aeiou" else "a")
    elif language == "es" and term.gender == "m" and lower in _ES_MASCULINE:
        new = _ES_MASCULINE[lower]
    elif language == "es" and term.gender == "f" and lower in _ES_FEMININE:
        new = _ES_FEMININE[lower]
    else:
        return head
    if word[:1].isupper():
        new = new[:1].upper() + new[1:]
    return head[: found.start(1)] + new + found.group(2)
