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

__all__ = ["better_explanation", "luhn_ok", "RULES"]

_ID_CUES = (
    r"id|no|nº|n°|nr|num|ref|reference|post|mls|tracking|track|order|invoice|licen[cs]e|serial|build|case|ticket|permit|"
    r"booking|pedido|customer|account|acct|ssn|sss|tin|passport|imei|isbn|ean|upc|barcode|model|firmware|version|policy|"
    r"receipt|transaction|txn|member|student|employee|reg|registration|vin|awb|parcel|shipment|code|pin|otp|apt|suite|"
    r"unit|zip|postcode|postal|cp|dob|born|date|serie|factura|comanda|nota|cnp|cui|aadhaar|pan|philhealth|pag-ibig|gsis|"
    r"lot|batch|sku|item|product|ad|listing|ficha|folio|expediente|claim|hotline|card|cc|amex|visa|mastercard|iban|bank|"
    r"waybill|consignment|gu[ií]a|rastreo|seguimiento|colet|awb|fedex|dhl|ups|usps|трек|заказ|routing|swift|sort\s+code|pnr|"
    r"confirmation|voucher|coupon|promo|s/n|sn|№|n\.º|núm|nro|tx|txid|hash|block|height"
)
_PHONE_CUES = (
    r"call|txt|text|tel|cell|cel|mob|mobile|phone|ph|whatsapp|wa|viber|contact|number|numero|número|номер|sms|ring|"
    r"telefone|telefono|teléfono|celular|movil|móvil|llama|llámame|ligue|zap|sună|suna|tawag|звони|звоните|телефон|"
    r"hotline|dial|reach|backup|new"
)
_CUE_BEFORE = re.compile(rf"(?i)\b(?P<word>{_ID_CUES})\b[\s.:#/\-]*(?:no\.?|nr\.?|number|#|de\s+\w+)?[\s.:#/\-]*(?:is\s+)?$")
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
        _RANGE.fullmatch(w.strip()) is not None and (_UNIT_AFTER.match(a) is not None or _UNIT_BEFORE.search(b) is not None)
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
    glued_left, glued_right = _GLUED_BEFORE.search(before), _GLUED_AFTER.match(after)
    left = glued_left.group(0) if glued_left else ""  # both patterns match the empty string: never None
    right = glued_right.group(0) if glued_right else ""
    upper_left, upper_right = re.search(r"[A-Z]$", left) is not None, re.match(r"[A-Z]", right) is not None
    return (upper_left and upper_right) or re.search(r"\d[A-Z]+$", left) is not None or re.match(r"[A-Z]+\d", right) is not None


def _round_range(written: str) -> bool:
    """'15000-25000': a range of round numbers, low to high."""
    parts = re.fullmatch(r"(\d{3,6})\s*[-–/]\s*(\d{3,6})", written.strip())
    return parts is not None and parts[1].endswith("00") and parts[2].endswith("00") and int(parts[1]) < int(parts[2])


def _counting(written: str) -> bool:
    """'1 2 3 4 5 6 7 8 9 10': consecutive numbers, one after another."""
    numbers = [int(n) for n in re.findall(r"\d+", written)]
    return len(numbers) >= 5 and all(b == a + 1 for a, b in zip(numbers, numbers[1:]))


def _id_cue(before: str) -> bool:
    line = before.rsplit("\n", 1)[-1][-40:]
    if line.endswith("#"):  # '#' glued to the number ('#4155550143'): the line holds no line break
        return True
    cue = _CUE_BEFORE.search(line)
    if cue is None:
        return False
    if _PHONE_CUE.fullmatch(cue.group("word")):
        return False
    # 'cell no.' is a phone's number; 'número de pedido' is an order's.
    return cue.group("word").lower() not in _GENERIC_CUES or _PHONE_CUE.search(line[: cue.start()][-20:]) is None


def better_explanation(written: str, digits: str, before: str, after: str, *, plus: bool) -> str | None:
    """The name of the first rule that explains ``written`` better than a phone number, else None.

    ``before``/``after`` are the text around it (same view); ``plus`` says a '+' or 'plus' led it.
    """
    for name, rule in RULES.items():
        if rule(written, digits, before, after, plus):
            return name
    return None
