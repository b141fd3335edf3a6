"""What explains a number better than "phone": the checks a phone candidate must pass.

A digit string is a phone number only when nothing better explains it: a date, a numeric range or a
quantity with a unit, an id after a cue word (ID, No., ref, order, invoice, tracking, licence...), a long
digit run (tracking numbers, IMEI, barcodes), a government id shape (US SSN, Philippine SSS/TIN), a card
number passing Luhn, an IP address, a version, or a street number before a street name. Each rule is one
named entry in ``RULES``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ethicscheck.privacy._digits import trie_pattern

__all__ = ["better_explanation", "luhn_ok", "RULES"]

#: Words that name an id ('order no.', 'tracking #'), and 'sort code'.
_ID_CUE_WORDS = (
    "id no nº n° nr num ref reference post mls tracking track order invoice licence license serial build case "
    "ticket permit booking pedido customer account acct ssn sss tin passport imei isbn ean upc barcode model "
    "firmware version policy receipt transaction txn member student employee reg registration vin awb parcel "
    "shipment code pin otp apt suite unit zip postcode postal cp dob born date serie factura comanda nota cnp cui "
    "aadhaar pan philhealth pag-ibig gsis lot batch sku item product ad listing ficha folio expediente claim "
    "hotline card cc amex visa mastercard iban bank waybill consignment guia guía rastreo seguimiento colet fedex "
    "dhl ups usps трек заказ routing swift pnr confirmation voucher coupon promo s/n sn № n.º núm nro tx txid hash "
    "block height"
).split()
_PHONE_CUES = (
    r"call|txt|text|tel|cell|cel|mob|mobile|phone|ph|whatsapp|wa|viber|contact|number|numero|número|номер|sms|ring|"
    r"telefone|telefono|teléfono|celular|movil|móvil|llama|llámame|ligue|zap|sună|suna|tawag|звони|звоните|телефон|"
    r"hotline|dial|reach|backup|new"
)
# The words as one prefix tree (trie_pattern): the cue is searched for at every position of the line.
_CUE_BEFORE = re.compile(
    rf"(?i)\b(?P<word>{trie_pattern(_ID_CUE_WORDS)}|sort\s+code)\b[\s.:#/\-]*(?:no\.?|nr\.?|number|#|de\s+\w+)?[\s.:#/\-]*(?:is\s+)?$"
)
# The same cue read backwards from the end of the line: one anchored attempt says whether the search above can
# match at all (it tries every position of the line; most numbers have no id cue before them).
_CUE_REVERSED = re.compile(
    rf"(?i)(?:\s+si)?[\s.:#/\-]*(?:\.?on|\.?rn|rebmun|#|\w+\s+ed)?[\s.:#/\-]*"
    rf"\b(?:{trie_pattern([word[::-1] for word in _ID_CUE_WORDS])}|edoc\s+tros)\b"
)
_GENERIC_CUES = {"no", "nº", "n°", "nr", "num", "id", "#", "№", "nro", "núm"}
_PHONE_CUE = re.compile(rf"(?i)\b(?:{_PHONE_CUES})\b")
_DAY, _MONTH = r"(?:0?[1-9]|[12]\d|3[01])", r"(?:0?[1-9]|1[0-2])"
_DATE = re.compile(
    rf"(?<![\d.\-/])(?:(?:{_DAY}[-/.]{_MONTH}|{_MONTH}[-/.]{_DAY})[-/.](?:19|20)?\d\d|(?:19|20)\d\d[-/.]{_MONTH}[-/.]{_DAY})"
    r"(?!\d|[.\-/]\d)"
)
_GOV_ID = re.compile(r"\d{3}-\d{2}-\d{4}|\d{2}-\d{7}-\d|\d{3}-\d{3}-\d{3}-\d{3}|\d{4}-\d{4}-\d{4}-\d{4}")
_IP = re.compile(r"(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}")
_RANGE = re.compile(r"\d{1,5}(?:\s*[-/–]\s*\d{1,5})+")
_UNIT_AFTER = re.compile(
    r"(?i)^[\s/]*(?:eur|euro|euros|usd|gbp|mxn|brl|php|ron|rub|inr|ngn|thb|lei|leu|pesos?|reais|руб|рублей|€|\$|£|₱|₽|₹|₦|฿|rs|"
    r"kes|zar|aed|sgd|myr|idr|baht|naira|rupees?|"
    r"min|mins|minutes?|minutos|hrs?|hours?|hourly|horas|h|kg|lbs?|cm|mm|km|m2|m²|sqm|sq|ft|%|x|pcs|gb|mb|"
    r"days?|daily|nights?|weeks?|weekly|months?|monthly|mes(?:es)?|mensual|semanas?|luna|lună|лет|месяц|years?|yrs?|años|anos|ani|"
    r"per|a\s+month|a\s+week|pax|people|persons?|guests?)\b"
)
_CLOCK = re.compile(r"(?<!\d)(?:[01]?\d|2[0-3])[:h][0-5]\d(?!\d)")
_DAY_MONTH = re.compile(rf"(?<![\d./]){_DAY}[./]{_MONTH}(?![\d]|[./]\d)")
_GLUED_BEFORE = re.compile(r"\S*$")
_GLUED_AFTER = re.compile(r"\S*")
_LIST = re.compile(r"\d{2,4}(?:/\d{2,4}){2,}")  # '180/280/380': prices or durations, one per slash
_UNIT_BEFORE = re.compile(
    r"(?i)(?:[€$£₱₽₹₦฿]|\b(?:eur|usd|gbp|mxn|brl|php|ron|rub|inr|ngn|thb|rs\.?|kes|zar|aed|lei|salary|salario|salário|salariu|"
    r"pay|budget|price|precio|preço|pret|preț|rate|tarifa|between|entre))\s*$"
)
_STREET_AFTER = re.compile(
    r"^\s+(?:[A-Z][\w'-]*\s+){0,3}(?:St|Street|Rd|Road|Ave|Avenue|Dr|Drive|Close|Ct|Court|Pl|Place|Ln|Lane|Way|Blvd|"
    r"Boulevard|Sq|Square|Rue|Strat|Str|Straße|Strasse|Highway|Hwy|Terrace|Crescent|Parkway|Pkwy|Calle|Avenida|Rua)\b"
)


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum of payment cards and IMEIs."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _written_plainly(written: str) -> bool:
    return all(ch.isdigit() or ch in " -./()" for ch in written)


RULES: dict[str, Callable[[str, str, str, str, bool], bool]] = {
    # (written, digits, before, after, plus) -> True when the rule explains the number
    "date": lambda w, d, b, a, p: not p and _DATE.search(w) is not None,
    "government id": lambda w, d, b, a, p: not p and _GOV_ID.fullmatch(w.strip()) is not None,
    "ip address": lambda w, d, b, a, p: _IP.fullmatch(w.strip()) is not None,
    "card or imei (Luhn)": lambda w, d, b, a, p: not p and 13 <= len(d) <= 19 and _written_plainly(w) and luhn_ok(d),
    "long digit run": lambda w, d, b, a, p: not p and len(d) > 13 and _written_plainly(w),
    # the shape of the digits first: it rules most numbers out before the unit words around them are searched
    "range or quantity": lambda w, d, b, a, p: (
        _RANGE.fullmatch(w.strip()) is not None and (_UNIT_AFTER.match(a) is not None or _unit_before(b))
    ),
    "counting or a list": lambda w, d, b, a, p: (
        _counting(w) or _LIST.fullmatch(w.strip()) is not None and len(set(map(len, w.split("/")))) == 1
    ),
    "street number": lambda w, d, b, a, p: not p and _STREET_AFTER.match(a) is not None,
    "clock time or day and month": lambda w, d, b, a, p: not p and (_CLOCK.search(w) is not None or _DAY_MONTH.search(w) is not None),
    "alphanumeric code": lambda w, d, b, a, p: _code(b, a),
    "round-number range": lambda w, d, b, a, p: _round_range(w),
    "id after a cue": lambda w, d, b, a, p: not p and _id_cue(b),
}


def _code(before: str, after: str) -> bool:
    """Digits inside an upper-case alphanumeric code ('RR123456785US', '1Z999AA10123456784'), not a word glued to a phone."""
    # Each way to be a code needs an upper-case letter glued to the digits, on one side at least (the glued
    # text before ends where ``before`` does, or before its final line break, which '$' also allows).
    if (before[-2:-1] if before.endswith("\n") else before[-1:]) not in _UPPER and after[:1] not in _UPPER:
        return False
    glued_left, glued_right = _GLUED_BEFORE.search(before), _GLUED_AFTER.match(after)
    left = glued_left.group(0) if glued_left else ""  # both patterns match the empty string: never None
    right = glued_right.group(0) if glued_right else ""
    upper_left, upper_right = _UPPER_LAST.search(left) is not None, _UPPER_FIRST.match(right) is not None
    return (upper_left and upper_right) or _CODE_TAIL.search(left) is not None or _CODE_HEAD.match(right) is not None


_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_UPPER_LAST, _UPPER_FIRST = re.compile(r"[A-Z]$"), re.compile(r"[A-Z]")
_CODE_TAIL, _CODE_HEAD = re.compile(r"\d[A-Z]+$"), re.compile(r"[A-Z]+\d")


def _unit_before(before: str) -> bool:
    """A currency or a word such as 'salary' or 'between' ends ``before``, but for whitespace."""
    # It ends where the trailing whitespace starts and is at most 7 characters long ('salário'): searched for
    # there only (a word boundary still sees the character before the search starts).
    return _UNIT_BEFORE.search(before, max(0, len(before.rstrip()) - _LONGEST_UNIT)) is not None


_LONGEST_UNIT = 7


def _round_range(written: str) -> bool:
    """'15000-25000': a range of round numbers, low to high."""
    parts = _ROUND_RANGE.fullmatch(written.strip())
    return parts is not None and parts[1].endswith("00") and parts[2].endswith("00") and int(parts[1]) < int(parts[2])


_ROUND_RANGE = re.compile(r"(\d{3,6})\s*[-–/]\s*(\d{3,6})")
_NUMBER = re.compile(r"\d+")


def _counting(written: str) -> bool:
    """'1 2 3 4 5 6 7 8 9 10': consecutive numbers, one after another."""
    found = _NUMBER.findall(written)
    if len(found) < 5:
        return False
    numbers = [int(n) for n in found]
    return all(b == a + 1 for a, b in zip(numbers, numbers[1:]))


def _id_cue(before: str) -> bool:
    line = before.rsplit("\n", 1)[-1][-40:]
    if line.endswith("#"):  # '#' glued to the number ('#4155550143'): the line holds no line break
        return True
    if _CUE_REVERSED.match(line[::-1]) is None:
        return False  # exactly when the search finds nothing
    cue = _CUE_BEFORE.search(line)
    if cue is None:
        return False
    if _PHONE_CUE.fullmatch(cue.group("word")):
        return False
    # 'cell no.' is a phone's number; 'número de pedido' is an order's.
    return cue.group("word").lower() not in _GENERIC_CUES or _PHONE_CUE.search(line[: cue.start()][-20:]) is None


#: Characters a rule's pattern needs in ``written`` (one of them at least) to explain it; a rule not listed
#: may explain any number.
_NEEDS = {
    "date": "-/.",
    "government id": "-",
    "ip address": ".",
    "range or quantity": "-/–",
    "clock time or day and month": ":h./",
    "round-number range": "-–/",
}
_MARKS = frozenset("".join(_NEEDS.values()))
_PLANS: dict[frozenset[str], tuple[tuple[str, Callable[[str, str, str, str, bool], bool]], ...]] = {}


def _plan(marks: frozenset[str]) -> tuple[tuple[str, Callable[[str, str, str, str, bool], bool]], ...]:
    """The rules, in order, that may explain a number written with ``marks`` (of ``_MARKS``); the others cannot."""
    plan = _PLANS.get(marks)
    if plan is None:
        tried = [(name, rule) for name, rule in RULES.items() if name not in _NEEDS or not marks.isdisjoint(_NEEDS[name])]
        plan = _PLANS[marks] = tuple(tried)
    return plan


#: The rules that read nothing but the written number (and whether a '+' led it).
_BY_WRITING = frozenset(("date", "government id", "ip address", "counting or a list", "clock time or day and month", "round-number range"))
_Plan = tuple[tuple[str, Callable[[str, str, str, str, bool], bool]], ...]


def _explains(written: str, digits: str, before: str, after: str, plus: bool) -> bool:
    """A rule already found to explain the written number."""
    return True


class _WritingMemory(dict[tuple[str, bool], _Plan]):
    """Per written number (and whether a '+' led it): the rules left to try, in order, once those that read only
    the written number have been read: a rule among them that explains it ends the plan (as :func:`_explains`),
    the others are left out, as is the range rule when the number is not written as a range. Ads repeat
    their numbers as they write them."""

    LIMIT = 1 << 14  # written numbers remembered before starting afresh

    def __missing__(self, key: tuple[str, bool]) -> _Plan:
        if len(self) >= self.LIMIT:
            self.clear()
        written, plus = key
        plan: list[tuple[str, Callable[[str, str, str, str, bool], bool]]] = []
        for pair in _plan(_MARKS.intersection(written)):
            name, rule = pair
            if name in _BY_WRITING:
                if rule(written, "", "", "", plus):
                    plan.append(_FOUND[name])
                    break
            elif name != "range or quantity" or _RANGE.fullmatch(written.strip()) is not None:
                plan.append(pair)
        # One object per distinct plan (a few dozen): remembered plans add no objects for the garbage collector
        # to follow (a tuple holding functions stays tracked), which would otherwise trigger full collections.
        read = self[key] = _DISTINCT_PLANS.setdefault(tuple(plan), tuple(plan))
        return read


_FOUND = {name: (name, _explains) for name in _BY_WRITING}
_DISTINCT_PLANS: dict[_Plan, _Plan] = {}


_BY_WRITTEN = _WritingMemory()


def better_explanation(written: str, digits: str, before: str, after: str, *, plus: bool) -> str | None:
    """The name of the first rule that explains ``written`` better than a phone number, else None.

    ``before``/``after`` are the text around it (same view); ``plus`` says a '+' or 'plus' led it.
    """
    # Most numbers are written without the dashes, dots, slashes or colons that dates, ranges and ids need, and
    # the rules that read only the written number are read once per written number: the rules left are tried
    # in order (the first rule that explains the number is the same).
    for name, rule in _BY_WRITTEN[(written, plus)]:
        if rule(written, digits, before, after, plus):
            return name
    return None
