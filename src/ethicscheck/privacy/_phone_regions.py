"""phonenumbers' answer for a string of digits in a region, worked out from its own metadata and helpers.

The phone recognizer asks ``phonenumbers`` whether a string of digits is a valid (or a possible) number in
any of the scan's regions: ``parse`` and ``is_valid_number`` per region, ~25 us each, so ~300 us for a
string no region accepts. Most of that is work that does not depend on the region (reading the string as
text that may hold letters, punctuation, an extension or an RFC 3966 URI) and objects built and read back.
For a string of ASCII digits, :func:`digits_answer` does what ``parse`` then does with the region's metadata,
step by step and with phonenumbers' own helpers (the calling code stripped when the number reads better
without it, the national prefix stripped or transformed when the rest has a possible length), and checks
the national number as ``is_valid_number`` / ``is_possible_number`` do (the region of the calling code whose
leading digits or number types fit; its general pattern and a type's pattern, each with its possible
lengths). A string that starts with the region's international prefix, or a region whose metadata holds
what this does not model, is left to phonenumbers (None).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from phonenumbers import phonenumberutil
from phonenumbers.phonemetadata import PhoneMetadata
from phonenumbers.phonenumberutil import ValidationResult

__all__ = ["digits_answer", "international_answer"]

#: The number types ``phonenumbers`` tries after the general description (mobile counts only when its
#: pattern differs from the fixed-line one).
_TYPES = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan", "voicemail", "fixed_line")
#: What a metadata pattern may hold to be read the same inside a larger pattern (digits, classes, groups,
#: counts and alternation: no anchors, flags, lookarounds or back references).
_PLAIN_PATTERN = re.compile(r"[\d\\d\[\]{}(),|?:*+-]*")
#: Lengths of national numbers parse accepts.
_SHORTEST, _LONGEST = 2, 17
_NOT_STRIPPED = (ValidationResult.TOO_SHORT, ValidationResult.IS_POSSIBLE_LOCAL_ONLY, ValidationResult.INVALID_LENGTH)
_POSSIBLE = (ValidationResult.IS_POSSIBLE, ValidationResult.IS_POSSIBLE_LOCAL_ONLY)


def digits_answer(digits: str, region: str, *, possible: bool = False) -> bool | None:
    """Does ``phonenumbers.parse(digits, region)`` give a valid number (``possible``: a possible one)?
    False also where it raises. None: not worked out here (ask phonenumbers)."""
    rule = _rule(region)
    if rule is None or not (_SHORTEST <= len(digits) <= _LONGEST and digits.isascii() and digits.isdigit()):
        return None
    if rule.idd is not None and rule.idd.match(digits):
        return None  # read as dialled abroad: the calling code comes from the digits
    number = rule.national_number(digits)
    if number is None:
        return False
    if possible:
        return phonenumberutil._test_number_length(number, rule.main) in _POSSIBLE
    return rule.valid(number)


def international_answer(digits: str, *, possible: bool = False) -> bool | None:
    """Does ``phonenumbers.parse("+" + digits, None)`` give a valid number (``possible``: a possible one)?
    False also where it raises. None: not worked out here (ask phonenumbers)."""
    if not (len(digits) <= _LONGEST and digits.isascii() and digits.isdigit()):
        return None
    if len(digits) <= _SHORTEST:
        return False  # too short after the '+'
    code, number = phonenumberutil._extract_country_code(digits)
    if code == 0:
        return False  # no calling code: parse raises
    rule = _rule(phonenumberutil.region_code_for_country_code(code))
    if rule is None:
        return None  # a non-geographic code, or metadata not modelled
    national = rule.national_part(number, rule.main)
    if national is None:
        return False
    if possible:
        return phonenumberutil._test_number_length(national, rule.main) in _POSSIBLE
    return rule.valid(national)


@dataclass(frozen=True)
class _Rule:
    """One region's metadata, as parse and the checks read it for a string of digits."""

    metadata: Any  # the region's
    main: Any  # the main region's of its calling code (parse switches to it after reading the code)
    idd: re.Pattern[str] | None  # the international prefix
    code: str  # the calling code
    same_code: tuple[tuple[re.Pattern[str] | None, dict[int, re.Pattern[str]]], ...]  # per region of the code, in order

    def national_number(self, digits: str) -> str | None:
        """The national significant number ``parse(digits, region)`` keeps; None where it raises."""
        metadata, number = self.metadata, digits
        if digits.startswith(self.code):
            rest = _strip_national_prefix(digits[len(self.code) :], metadata)
            general = metadata.general_desc
            if (
                not phonenumberutil._match_national_number(digits, general, False)
                and phonenumberutil._match_national_number(rest, general, False)
            ) or phonenumberutil._test_number_length(digits, metadata) == ValidationResult.TOO_LONG:
                metadata, number = self.main, rest
        return self.national_part(number, metadata)

    @staticmethod
    def national_part(number: str, metadata: Any) -> str | None:
        """What parse keeps of ``number`` (the digits after any calling code) read with ``metadata``: the national
        prefix stripped when the rest has a possible length; None where it raises (too short or too long)."""
        if len(number) < _SHORTEST:
            return None
        stripped = _strip_national_prefix(number, metadata)
        if phonenumberutil._test_number_length(stripped, metadata) not in _NOT_STRIPPED:
            number = stripped
        return number if _SHORTEST <= len(number) <= _LONGEST else None

    def valid(self, number: str) -> bool:
        """``is_valid_number``: the region of the calling code that claims ``number`` gives it a type."""
        if len(self.same_code) == 1:
            return _typed(self.same_code[0][1], number)
        for leading, typed in self.same_code:
            if leading is not None:
                if leading.match(number):
                    return _typed(typed, number)
            elif _typed(typed, number):
                return True
        return False


def _strip_national_prefix(number: str, metadata: Any) -> str:
    return phonenumberutil._maybe_strip_national_prefix_carrier_code(number, metadata)[1]


def _typed(by_length: dict[int, re.Pattern[str]], number: str) -> bool:
    pattern = by_length.get(len(number))
    return pattern is not None and pattern.fullmatch(number) is not None


@lru_cache(maxsize=None)
def _rule(region: str) -> _Rule | None:
    """The region's rule; None when the metadata holds something the rule does not model (always ask)."""
    if region not in phonenumberutil.SUPPORTED_REGIONS:
        return None
    metadata = PhoneMetadata.metadata_for_region(region, None)
    if metadata is None or metadata.country_code is None:
        return None
    code = metadata.country_code
    main_region = phonenumberutil.region_code_for_country_code(code)
    main = metadata if main_region == region else PhoneMetadata.metadata_for_region_or_calling_code(code, main_region)
    if main is None or metadata.general_desc is None or main.general_desc is None:
        return None
    same_code = []
    regions = phonenumberutil.COUNTRY_CODE_TO_REGION_CODE[code]
    for other in regions:
        other_metadata = PhoneMetadata.metadata_for_region(other.upper(), None)
        if other_metadata is None:
            return None
        typed = _typed_patterns(other_metadata)
        if typed is None:
            return None
        leading = other_metadata.leading_digits if len(regions) > 1 else None  # one region: it claims every number
        same_code.append((None if leading is None else re.compile(leading), typed))
    return _Rule(
        metadata=metadata,
        main=main,
        idd=None if metadata.international_prefix is None else re.compile(metadata.international_prefix),
        code=str(code),
        same_code=tuple(same_code),
    )


def _typed_patterns(metadata: Any) -> dict[int, re.Pattern[str]] | None:
    """Per length, one pattern a national number of that length matches exactly when ``phonenumbers`` gives it
    a type (not UNKNOWN) in the region: its general description and one type's description, each with its
    possible lengths. None when a pattern holds syntax the combination might read otherwise, or the general
    description has no lengths (any length would do)."""
    general = metadata.general_desc
    types = [getattr(metadata, name) for name in _TYPES]
    if not metadata.same_mobile_and_fixed_line_pattern:
        types.append(metadata.mobile)
    for desc in [general, *types]:
        if desc is not None and desc.national_number_pattern and not _PLAIN_PATTERN.fullmatch(desc.national_number_pattern):
            return None
    if general is None or not general.national_number_pattern:
        return {}  # phonenumbers gives no number of the region a type
    if not general.possible_length:
        return None
    by_length = {}
    for length in general.possible_length:
        typed = [
            f"(?:{desc.national_number_pattern})"
            for desc in types
            if desc is not None and desc.national_number_pattern and (not desc.possible_length or length in desc.possible_length)
        ]
        if typed:
            by_length[length] = re.compile(f"(?=(?:{general.national_number_pattern})\\Z)(?:{'|'.join(typed)})")
    return by_length
