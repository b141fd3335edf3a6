"""phonenumbers' answers for strings of digits, worked out from its metadata: the same as its own, or left to it."""

from __future__ import annotations

import random

import phonenumbers
import pytest
from phonenumbers import PhoneNumberType, phonenumberutil

from ethicscheck._vocabulary import DEFAULT_PHONE_REGIONS
from ethicscheck.privacy._phone_regions import digits_answer, international_answer
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
    others = rng.sample(sorted(phonenumberutil.SUPPORTED_REGIONS - set(REGIONS)), 12)
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
    for _ in range(600):
        found.add("".join(rng.choice("0123456789") for _ in range(rng.randint(2, 17))))
    for length in range(1, 19):
        found.update("".join(rng.choice("0123456789") for _ in range(length)) for _ in range(20))
    return sorted(found)


DIGITS = _digit_strings(17)


@pytest.mark.parametrize("region", REGIONS)
def test_an_answer_worked_out_is_phonenumbers_answer(region):
    wrong = []
    for digits in DIGITS if region in DEFAULT_PHONE_REGIONS else DIGITS[::4]:
        for possible in (False, True):
            answer = digits_answer(digits, region, possible=possible)
            if answer is not None and answer != _accepted(digits, region, possible):
                wrong.append((digits, possible, answer))
    assert wrong == []


def test_most_answers_are_worked_out():
    asked = [digits_answer(d, r) for d in DIGITS[::5] for r in DEFAULT_PHONE_REGIONS]
    assert asked.count(None) < 0.25 * len(asked)
    assert digits_answer("4155550188", "US") is True and digits_answer("4155550188", "GB") is False


def test_regions_and_strings_not_modelled_are_left_to_phonenumbers():
    assert digits_answer("12345", "XX") is None and digits_answer("12345", "us") is None
    assert digits_answer("\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669", "US") is None  # not ASCII
    assert digits_answer("1" * 18, "US") is None and digits_answer("1", "US") is None


def test_an_international_prefix_is_left_to_phonenumbers():
    # '011 44 20 7946 0958' dialled from the US is a London number
    assert digits_answer("011442079460958", "US") is None
    assert _valid_number("011442079460958", False, False, ("US",))


def test_the_recognizer_s_answers_are_phonenumbers_answers():
    for digits in [d for d in DIGITS[::7] if not d.startswith("00")]:  # '00' is read as '+': one international parse
        for possible in (False, True):
            expected = any(_accepted(digits, r, possible) for r in DEFAULT_PHONE_REGIONS)
            assert _valid_number.__wrapped__(digits, False, possible, DEFAULT_PHONE_REGIONS) == expected, digits


def _accepted_international(digits: str, possible: bool) -> bool:
    try:
        number = phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_possible_number(number) if possible else phonenumbers.is_valid_number(number))


def test_an_international_answer_worked_out_is_phonenumbers_answer():
    """After a '+' (or '00'): every calling code's numbers, mutated, non-geographic codes, random strings."""
    strings = [d for d in DIGITS if not d.startswith("0")]
    strings += [code + d for code in ("800", "882", "979", "1", "44", "7", "262", "599") for d in DIGITS[:: len(DIGITS) // 20]]
    wrong, worked_out = [], 0
    for digits in strings:
        for possible in (False, True):
            answer = international_answer(digits, possible=possible)
            worked_out += answer is not None
            if answer is not None and answer != _accepted_international(digits, possible):
                wrong.append((digits, possible, answer))
    assert wrong == []
    assert worked_out > 0.9 * 2 * len(strings)
    assert international_answer("442079460958") is True and international_answer("0442079460958") is False
