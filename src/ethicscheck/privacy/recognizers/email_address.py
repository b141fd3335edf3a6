"""E-mail addresses, plain or disguised ("name at gmail dot com", [at], (dot), ⓐ, "arroba", spaced out)."""

from __future__ import annotations

import re

from ethicscheck.privacy.recognizers._regex import GroupPatternRecognizer

__all__ = ["RECOGNIZER", "DisguisedEmailRecognizer"]

_AT_HINTS = r"@|[ⓐⒶ📧🌀#]|\b(?:at|arroba|arobase|rond|sobaka)\b|собака|エット|アット"
# Generic and country-code top-level domains an address may end in; any two-letter code counts as a country.
_GENERIC_TLDS = (
    "com net org info biz edu gov mil int name pro mobi app dev io ai co me tv cc xyz online site store shop tech club live "
    "email mail cloud page blog world today life link one top vip love fun space website social agency studio"
).split()


class DisguisedEmailRecognizer(GroupPatternRecognizer):
    """Addresses in the contact view, where words and symbols for '@' and '.' are already undone; the
    domain must end in a real top-level domain ('at 9 dot thirty' is no address)."""

    ENTITY = "EMAIL_ADDRESS"
    VIEW = "contact"
    PATTERNS = (
        (
            r"(?<![\w.+-])(?P<value>[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)+(?P<tld>[A-Za-z]{2,12}))(?![\w-])",
            0.8,
        ),
    )
    CONTEXT = ("email", "e-mail", "mail", "correo", "почта", "contact")
    PREFILTER = re.compile(rf"(?i){_AT_HINTS}")
    # most texts with an '@' or an 'at' hold an address, and the pattern's long repeats take 0.3 s to compile
    GATE_PATTERNS = False
    # the '@' follows the address's first character and at most 63 more: the pattern (tried at every character, its
    # lookbehind first) is read from 64 characters before the view's first '@'
    ANCHOR = ("@", 64)

    def value_span(self, match: re.Match[str]) -> tuple[int, int] | None:
        """The address, ending at the last label that is a top-level domain: a file name's extension after
        it ('jane@corpmail.com.csv', '..._mail.co.uk.json') is not part of the address."""
        start, end = match.span("value")
        value = match.group("value")
        local, domain = value.split("@", 1)
        if local.endswith(".") or ".." in value:
            return None
        labels = domain.split(".")
        for n in range(len(labels), 1, -1):
            if _is_tld(labels[n - 1]):
                return start, end - len(".".join(labels[n:])) - (n < len(labels))
        return None


def _is_tld(label: str) -> bool:
    return label.isalpha() and (len(label) == 2 or label.lower() in _GENERIC_TLDS)


#: This module's recognizer: the one line that registers it (see the package's docstring).
RECOGNIZER = DisguisedEmailRecognizer
