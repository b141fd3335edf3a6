"""Which regions can make a digit string a phone number, read from phonenumbers' own metadata.

The phone recognizer asks ``phonenumbers`` whether a string of digits is a valid (or a possible) number in
any of the scan's regions: a parse and a check per region, ~20 us each, so ~300 us for a string no region
accepts. :func:`may_be_number` rules a region out without them, exactly: it answers False only where
``phonenumbers.parse(digits, region)`` raises or gives a number that is not valid (possible).

What parse does with a string of ASCII digits that does not start with the region's international prefix
(a string that does is always handed to ``phonenumbers``): the country calling code is the region's, and the
national significant number is the string itself, or the string after the country code, each with the
national prefix stripped (or transformed by the region's rule) at most twice. Every such candidate is worked
out from the same metadata with the same regular expressions (a superset of what parse keeps), and the
region stays in only if one of them has a possible length (possible) or a type of some region of that
calling code (valid: the general pattern and the pattern of a number type, with their possible lengths, as
``phonenumbers`` checks them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from phonenumbers import phonenumberutil
from phonenumbers.phonemetadata import PhoneMetadata

__all__ = ["may_be_number"]

#: The number types ``phonenumbers`` tries after the general description, in its order (mobile last: it
#: counts only when its pattern differs from the fixed-line one).
_TYPES = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan", "voicemail", "fixed_line")
#: What a metadata pattern may hold to be read the same inside a larger pattern (digits, classes, groups,
#: counts and alternation: no anchors, flags, lookarounds or back references).
_PLAIN_PATTERN = re.compile(r"[\d\\d\[\]{}(),|?:*+-]*")


def may_be_number(digits: str, region: str, *, possible: bool = False) -> bool:
    """Can ``phonenumbers`` find ``digits`` (ASCII digits, no '+') a valid number of ``region`` (with
    ``possible``: a possible one)? False only where it cannot; True where it may (then ask it)."""
    rule = _rule(region)
    if rule is None or not digits.isascii() or (rule.idd is not None and rule.idd.match(digits)):
        return True
    check = rule.possible_length if possible else rule.valid
    return any(check(candidate) for candidate in rule.candidates(digits))


@dataclass(frozen=True)
class _Rule:
    """What the metadata says about one region's numbers."""

    idd: re.Pattern[str] | None  # the international prefix: a string starting with it is read as international
    code: str  # the country calling code
    own: tuple[re.Pattern[str], str | None] | None  # the region's national prefix and its transform rule
    main: tuple[re.Pattern[str], str | None] | None  # the same of the code's main region (parse switches to it)
    lengths: frozenset[int]  # possible lengths of the main region's numbers (local-only ones included)
    by_length: dict[int, re.Pattern[str]]  # a number of this length has a type in some region of the code

    def candidates(self, digits: str) -> set[str]:
        """Every national significant number parse can make of ``digits`` (and a few it cannot)."""
        found = _stripped(digits, self.own)
        if digits.startswith(self.code):
            for rest in _stripped(digits[len(self.code) :], self.own):
                found |= _stripped(rest, self.main)
        return found

    def valid(self, number: str) -> bool:
        pattern = self.by_length.get(len(number))
        return pattern is not None and pattern.fullmatch(number) is not None

    def possible_length(self, number: str) -> bool:
        return len(number) in self.lengths


def _stripped(number: str, prefix: tuple[re.Pattern[str], str | None] | None) -> set[str]:
    """``number``, and what stripping (or transforming) its national prefix can leave, as phonenumbers does it."""
    found = {number}
    if prefix is not None and number:
        pattern, transform = prefix
        match = pattern.match(number)
        if match:
            found.add(number[match.end() :])
            if transform:
                found.add(re.sub(pattern, transform, number, count=1))
    return found


@lru_cache(maxsize=None)
def _rule(region: str) -> _Rule | None:
    """The region's rule; None when the metadata holds something the rule does not model (always ask)."""
    if region not in phonenumberutil.SUPPORTED_REGIONS:
        return None
    metadata = PhoneMetadata.metadata_for_region(region, None)
    if metadata is None:
        return None
    code = metadata.country_code
    if code is None:
        return None
    main_region = phonenumberutil.region_code_for_country_code(code)
    main = metadata if main_region == region else PhoneMetadata.metadata_for_region_or_calling_code(code, main_region)
    same_code = [PhoneMetadata.metadata_for_region_or_calling_code(code, r) for r in phonenumberutil.COUNTRY_CODE_TO_REGION_CODE[code]]
    if main is None or any(m is None for m in same_code):
        return None
    by_length = _typed_patterns([m for m in same_code if m is not None])
    if by_length is None:
        return None
    general = main.general_desc
    if general is None:
        return None
    return _Rule(
        idd=re.compile(metadata.international_prefix) if metadata.international_prefix is not None else None,
        code=str(code),
        own=_national_prefix(metadata),
        main=_national_prefix(main),
        lengths=frozenset(general.possible_length) | frozenset(general.possible_length_local_only),
        by_length=by_length,
    )


def _national_prefix(metadata: Any) -> tuple[re.Pattern[str], str | None] | None:
    prefix = metadata.national_prefix_for_parsing
    return (re.compile(prefix), metadata.national_prefix_transform_rule) if prefix else None


def _typed_patterns(regions: list[Any]) -> dict[int, re.Pattern[str]] | None:
    """Per length, one pattern a number of that length matches exactly when ``phonenumbers`` gives it a type
    (not UNKNOWN) in one of ``regions``: the general description and one type's description, each with its
    possible lengths. None when a pattern holds syntax the combination might read otherwise."""
    alternatives: dict[int, list[str]] = {}
    for metadata in regions:
        general = metadata.general_desc
        types = [getattr(metadata, name) for name in _TYPES]
        if not metadata.same_mobile_and_fixed_line_pattern:
            types.append(metadata.mobile)
        for desc in [general, *types]:
            if desc is not None and desc.national_number_pattern and not _PLAIN_PATTERN.fullmatch(desc.national_number_pattern):
                return None
        if general is None or not general.national_number_pattern:
            continue  # phonenumbers gives no number of the region a type
        if not general.possible_length:
            return None  # any length would do: not modelled
        for length in general.possible_length:
            typed = [
                f"(?:{desc.national_number_pattern})"
                for desc in types
                if desc is not None and desc.national_number_pattern and (not desc.possible_length or length in desc.possible_length)
            ]
            if typed:
                alternatives.setdefault(length, []).append(f"(?=(?:{general.national_number_pattern})\\Z)(?:{'|'.join(typed)})")
    return {length: re.compile("|".join(parts)) for length, parts in alternatives.items()}
