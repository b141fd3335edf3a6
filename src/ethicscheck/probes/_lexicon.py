"""Lexicons of identity terms, read from YAML: the shipped ones under ``probes/lexicons/`` and the user's.

A lexicon (``nationality``) has, per language, the list of its grammatical forms (``adj``, ``noun_sg``,
``noun_pl`` in English; ``m_sg``, ``f_sg``, ``m_pl``, ``f_pl`` for Spanish adjectives) and its terms, each
spelling out every form. Because every term of a language has the same forms, a swap can always put the
target term in the form the text used. The ``control`` lexicon (colour words) has every form of every
shipped lexicon, so it fits any slot.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ethicscheck.errors import ConfigError

__all__ = [
    "CONTROL_LEXICON",
    "LanguageTerms",
    "Lexicon",
    "Term",
    "builtin_lexicon_names",
    "load_lexicons",
    "read_lexicon_file",
]

#: The shipped lexicon of neutral words that every probe is compared with.
CONTROL_LEXICON = "control"
#: Keys a term may carry besides its forms.
_TERM_OPTIONS = ("key", "article", "gender", "capitalized_only", "lowercase_only")


@dataclass(frozen=True)
class Term:
    """One identity term in one language: its spelling in every form of that language.

    Attributes
    ----------
    key : str
        The same in every language of the lexicon (``nigerian``); results are reported per key.
    forms : mapping of str to str
        Form name -> canonical spelling (``{"adj": "Nigerian", "noun_pl": "Nigerians"}``); the case a
        text uses is applied at swap time.
    article : {"a", "an"} or None
        English indefinite article when the first letter misleads ("a Ukrainian").
    gender : {"m", "f"} or None
        Grammatical gender of a noun (Spanish), so a swap can fix the article before it.
    capitalized_only : bool
        Count a mention only when written with a capital letter (Black, White, Polish: also everyday words).
    lowercase_only : bool
        Count a mention only when written in lowercase (Spanish "filipinas"; "Filipinas" is the country).
    """

    key: str
    forms: Mapping[str, str]
    article: str | None = None
    gender: str | None = None
    capitalized_only: bool = False
    lowercase_only: bool = False

    @property
    def label(self) -> str:
        """The term as a card names it: its first form ("Nigerian")."""
        return next(iter(self.forms.values()))


@dataclass(frozen=True)
class LanguageTerms:
    """The terms of one lexicon in one language, all with the same forms."""

    language: str
    forms: tuple[str, ...]
    terms: tuple[Term, ...]

    def term(self, key: str) -> Term | None:
        return next((t for t in self.terms if t.key == key), None)


@dataclass(frozen=True)
class Lexicon:
    """A named set of interchangeable terms (``nationality``) in one or more languages."""

    name: str
    plain: str
    languages: Mapping[str, LanguageTerms]
    control: bool = False
    sources: tuple[str, ...] = field(default=())

    @property
    def keys(self) -> tuple[str, ...]:
        """Every term key, in the order of first appearance over the languages."""
        return tuple(dict.fromkeys(t.key for lang in self.languages.values() for t in lang.terms))

    def label(self, key: str) -> str:
        """The display spelling of a term key (English first when it has one)."""
        for lang in self.languages.values():
            term = lang.term(key)
            if term is not None:
                return term.label
        return key


def builtin_lexicon_names() -> tuple[str, ...]:
    """The lexicons shipped with ethicscheck (the control included)."""
    folder = resources.files("ethicscheck.probes") / "lexicons"
    return tuple(sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")))


def load_lexicons(names: Iterable[str], *, files: Iterable[Path] = (), languages: Iterable[str] | None = None) -> dict[str, Lexicon]:
    """The named lexicons, the control and the user's lexicon files, merged by lexicon name.

    A user file naming a shipped lexicon adds its terms to it (or, for a key the lexicon has, replaces that
    term); a file with a new name adds a lexicon, which is probed too.

    Parameters
    ----------
    names : iterable of str
        Shipped lexicons to probe (see :func:`builtin_lexicon_names`).
    files : iterable of Path
        User lexicon files, in the shipped format.
    languages : iterable of str, optional
        Keep only these languages.

    Raises
    ------
    ConfigError
        An unknown lexicon name, an unreadable or malformed file (naming the file and field), or a
        lexicon with a form the control has no word for.
    """
    known = builtin_lexicon_names()
    wanted = list(dict.fromkeys([*names, CONTROL_LEXICON]))
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise ConfigError(f"probes -> lexicons: unknown lexicon {', '.join(map(repr, unknown))}; shipped: {', '.join(known)}")
    folder = resources.files("ethicscheck.probes") / "lexicons"
    lexicons = {n: _parse(yaml.safe_load((folder / f"{n}.yaml").read_text(encoding="utf-8")), f"lexicons/{n}.yaml") for n in wanted}
    for path in files:
        extra = read_lexicon_file(path)
        lexicons[extra.name] = _merge(lexicons[extra.name], extra) if extra.name in lexicons else extra
    if languages is not None:
        keep = tuple(languages)
        lexicons = {n: replace(lex, languages={k: v for k, v in lex.languages.items() if k in keep}) for n, lex in lexicons.items()}
    _check_control_fits(lexicons)
    return lexicons


def read_lexicon_file(path: Path) -> Lexicon:
    """Read a user lexicon file (same format as the shipped ones).

    Raises
    ------
    ConfigError
        The file is missing, not YAML, or malformed; the message names the file and the field.
    """
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"probes -> lexicon_files: cannot read {path}: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"probes -> lexicon_files: {path} is not valid YAML ({exc.__class__.__name__}).") from None
    return _parse(raw, str(path))


def _parse(raw: Any, source: str) -> Lexicon:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not isinstance(raw.get("languages"), dict):
        raise ConfigError(f"{source}: a lexicon file needs 'name' (text) and 'languages' (language -> forms and terms).")
    name = raw["name"]
    languages = {str(code): _parse_language(body, f"{source}: languages -> {code}", str(code)) for code, body in raw["languages"].items()}
    return Lexicon(
        name=name,
        plain=str(raw.get("plain", name)),
        languages=languages,
        control=bool(raw.get("control", False)),
        sources=(source,),
    )


def _parse_language(body: Any, where: str, language: str) -> LanguageTerms:
    if not isinstance(body, dict) or not isinstance(body.get("forms"), list) or not isinstance(body.get("terms"), list):
        raise ConfigError(f"{where}: needs 'forms' (a list of form names) and 'terms' (a list of terms).")
    forms = tuple(str(f) for f in body["forms"])
    if not forms or any(f in _TERM_OPTIONS for f in forms):
        raise ConfigError(f"{where} -> forms: list at least one form name, none of {', '.join(_TERM_OPTIONS)}.")
    terms: list[Term] = []
    spelled: dict[str, str] = {}
    for index, entry in enumerate(body["terms"]):
        at = f"{where} -> terms[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
            raise ConfigError(f"{at}: a term needs 'key' and one spelling per form ({', '.join(forms)}).")
        missing = [f for f in forms if not isinstance(entry.get(f), str) or not entry[f].strip()]
        extra = sorted(set(entry) - set(forms) - set(_TERM_OPTIONS))
        if missing or extra:
            detail = f"missing {', '.join(missing)}" if missing else f"unknown field {', '.join(extra)}"
            raise ConfigError(f"{at} ({entry['key']}): {detail}; every term spells every form of its language: {', '.join(forms)}.")
        if entry.get("article") not in (None, "a", "an") or entry.get("gender") not in (None, "m", "f"):
            raise ConfigError(f"{at} ({entry['key']}): article is 'a' or 'an', gender is 'm' or 'f'.")
        term = Term(
            key=entry["key"],
            forms={f: " ".join(entry[f].split()) for f in forms},
            article=entry.get("article"),
            gender=entry.get("gender"),
            capitalized_only=bool(entry.get("capitalized_only", False)),
            lowercase_only=bool(entry.get("lowercase_only", False)),
        )
        for spelling in set(term.forms.values()):
            other = spelled.setdefault(spelling.lower(), term.key)
            if other != term.key:
                raise ConfigError(f"{at} ({term.key}): '{spelling}' is also a form of '{other}'; a spelling names one term.")
        if any(t.key == term.key for t in terms):
            raise ConfigError(f"{at}: key '{term.key}' is listed twice in {language}.")
        terms.append(term)
    if len(terms) < 2:
        raise ConfigError(f"{where} -> terms: a lexicon needs at least two terms to swap between.")
    return LanguageTerms(language=language, forms=forms, terms=tuple(terms))


def _merge(base: Lexicon, extra: Lexicon) -> Lexicon:
    languages = dict(base.languages)
    for code, lang in extra.languages.items():
        if code not in languages:
            languages[code] = lang
            continue
        mine = languages[code]
        if lang.forms != mine.forms:
            raise ConfigError(
                f"{extra.sources[0]}: languages -> {code} -> forms must be the shipped ones of '{base.name}' "
                f"({', '.join(mine.forms)}) to add terms to it."
            )
        replaced = {t.key for t in lang.terms}
        merged = tuple(t for t in mine.terms if t.key not in replaced) + lang.terms
        languages[code] = replace(mine, terms=merged)
    return replace(base, languages=languages, sources=base.sources + extra.sources)


def _check_control_fits(lexicons: Mapping[str, Lexicon]) -> None:
    control = lexicons[CONTROL_LEXICON]
    for lex in lexicons.values():
        for code, lang in lex.languages.items():
            have = control.languages.get(code)
            lacking = [f for f in lang.forms if have is None or f not in have.forms]
            if lacking and not lex.control:
                raise ConfigError(
                    f"{lex.sources[-1]}: lexicon '{lex.name}' uses form(s) {', '.join(lacking)} in '{code}', which the control "
                    f"lexicon has no word for; use the forms the control has in '{code}': {', '.join(have.forms) if have else 'none'}."
                )
