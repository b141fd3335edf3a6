"""Regions ruled out from phonenumbers' metadata: never one phonenumbers would accept the digits for."""

from __future__ import annotations

import random

import phonenumbers
import pytest
from phonenumbers import PhoneNumberType, phonenumberutil

from ethicscheck._vocabulary import DEFAULT_PHONE_REGIONS
from ethicscheck.privacy._phone_regions import may_be_number
from ethicscheck.privacy.recognizers.obfuscated_phone import _valid_number

#: The scan's default regions, and regions whose national prefix is transformed, shared by several regions
#: of one calling code, or absent.
REGIONS = (*DEFAULT_PHONE_REGIONS, "AR", "JP", "GG", "AG", "CA", "KZ", "SM", "NF", "MG", "GA", "CC", "IT", "AU", "CN", "IR")
_TYPES = (PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.TOLL_FREE, PhoneNumberType.PREMIUM_RATE, PhoneNumberType.VOIP)


def _accepted(digits: str, region: str, possible: bool) -> bool:
    try:
        number = phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_possible_number(number) if possible else phonenumbers.is_valid_number(number))


def _digit_strings(seed: int) -> list[str]:
    """Numbers of every region written as ads write them (national, with the national prefix, after the
    calling code, after international prefixes), each also with a digit changed, dropped or added; and
    random digit strings."""
    rng = random.Random(seed)
    found: set[str] = set()
    others = rng.sample(sorted(phonenumberutil.SUPPORTED_REGIONS - set(REGIONS)), 30)
    for region in (*REGIONS, *others):
        metadata = phonenumberutil.PhoneMetadata.metadata_for_region(region)
        for kind in _TYPES:
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            nsn, code = phonenumberutil.national_significant_number(example), str(example.country_code)
            prefix = metadata.national_prefix or ""
            for form in (nsn, prefix + nsn, code + nsn, code + prefix + nsn, "011" + code + nsn, "810" + code + nsn, "09" + code + nsn):
                index, digit = rng.randrange(len(form)), str(rng.randrange(10))
                found.update({form, form[1:], form[:-1], form + digit, form[:index] + digit + form[index + 1 :]})
    for _ in range(1500):
        found.add("".join(rng.choice("0123456789") for _ in range(rng.randint(2, 17))))
    return sorted(d for d in found if not d.startswith("00"))


DIGITS = _digit_strings(17)


@pytest.mark.parametrize("region", REGIONS)
def test_a_region_ruled_out_is_one_phonenumbers_rejects(region):
    wrong = [
        (digits, possible)
        for digits in DIGITS
        for possible in (False, True)
        if not may_be_number(digits, region, possible=possible) and _accepted(digits, region, possible)
    ]
    assert wrong == []


def test_most_regions_are_ruled_out_for_digits_no_region_accepts():
    rejected = [d for d in DIGITS if len(d) >= 9 and not any(_accepted(d, r, False) for r in DEFAULT_PHONE_REGIONS)]
    assert len(rejected) > 100
    asked = sum(may_be_number(d, r) for d in rejected for r in DEFAULT_PHONE_REGIONS)
    assert asked < 0.3 * len(rejected) * len(DEFAULT_PHONE_REGIONS)


def test_regions_the_rule_does_not_read_are_always_asked():
    assert may_be_number("12345", "XX") and may_be_number("12345", "us")
    assert may_be_number("\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669", "US")  # not ASCII: asked


def test_an_international_prefix_is_always_asked():
    # '011 44 20 7946 0958' dialled from the US is a London number: the rule leaves it to phonenumbers
    assert may_be_number("011442079460958", "US")
    assert _valid_number("011442079460958", False, False, ("US",))


def test_the_recognizer_s_answers_are_phonenumbers_answers():
    for digits in DIGITS[::7]:
        for possible in (False, True):
            expected = any(_accepted(digits, r, possible) for r in DEFAULT_PHONE_REGIONS)
            assert _valid_number.__wrapped__(digits, False, possible, DEFAULT_PHONE_REGIONS) == expected, digits
