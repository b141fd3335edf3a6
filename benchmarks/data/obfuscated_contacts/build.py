"""Assemble the obfuscated-contact evaluation set (dev.jsonl, test.jsonl) deterministically.

The phrasing below was written by hand (ad bodies, lead-ins, disguise styles, hard negatives); this script
only combines the pieces, fills in fictional numbers, names and wallet addresses, computes character offsets
and splits the records. Same script -> byte-identical files (fixed seed, no set iteration, no clock).

Run from the repository root:  python benchmarks/data/obfuscated_contacts/build.py
Then verify:                   python benchmarks/data/obfuscated_contacts/check.py
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20261202

# A record is assembled from parts: plain text (str) or a gold span (entity_type, text).
Part = str | tuple[str, str]

PHONE, EMAIL, HANDLE, MSG, CRYPTO = "PHONE_NUMBER", "EMAIL_ADDRESS", "SOCIAL_HANDLE", "MESSENGER_LINK", "CRYPTO"

# ---------------------------------------------------------------------------------------------------------
# Fictional phone numbers. North America uses the 555-01XX range reserved for fiction, the UK uses Ofcom's
# drama ranges (07700 900xxx, 020 7946 0xxx); elsewhere every number carries a 555 block followed by 0.. so
# that none is meant to be a real subscriber, while keeping each region's length and grouping.
# ---------------------------------------------------------------------------------------------------------
REGIONS = ["us", "ca", "uk", "mx", "es", "br", "ph", "ro", "ru", "in", "ng", "th"]


def make_phone(rng: random.Random, region: str) -> dict[str, object]:
    """Return {cc, groups (national significant number in customary groups), trunk, region}."""
    d2 = f"{rng.randrange(100):02d}"
    d3 = f"{rng.randrange(1000):03d}"
    if region == "us":
        groups, cc, trunk = (
            [rng.choice(["415", "312", "702", "213", "305", "404", "617", "206", "646", "832", "469", "480"]), "555", "01" + d2],
            "1",
            "1",
        )
    elif region == "ca":
        groups, cc, trunk = [rng.choice(["416", "604", "514", "403", "613", "438", "647", "780"]), "555", "01" + d2], "1", "1"
    elif region == "uk":
        if rng.random() < 0.7:
            groups = ["7700", "900", d3]
        else:
            groups = ["20", "7946", "0" + d3]
        cc, trunk = "44", "0"
    elif region == "mx":
        groups, cc, trunk = [rng.choice(["55", "33", "81"]), "5550", "01" + d2], "52", ""
    elif region == "es":
        groups, cc, trunk = [rng.choice(["655", "611", "722", "634"]), "555", "0" + d2], "34", ""
    elif region == "br":
        groups, cc, trunk = [rng.choice(["11", "21", "31", "71"]), "95550", "01" + d2], "55", "0"
    elif region == "ph":
        groups, cc, trunk = [rng.choice(["917", "918", "927", "995", "906"]), "555", "01" + d2], "63", "0"
    elif region == "ro":
        groups, cc, trunk = [rng.choice(["722", "744", "755", "766"]), "555", "0" + d2], "40", "0"
    elif region == "ru":
        groups, cc, trunk = [rng.choice(["916", "926", "903", "985"]), "555", "01", d2], "7", "8"
    elif region == "in":
        groups, cc, trunk = [rng.choice(["98", "99", "97", "88"]) + "555", "010" + d2], "91", "0"
    elif region == "ng":
        groups, cc, trunk = [rng.choice(["803", "806", "813", "703"]), "555", "01" + d2], "234", "0"
    elif region == "th":
        groups, cc, trunk = [rng.choice(["81", "82", "89", "96"]), "555", "01" + d2], "66", "0"
    else:
        raise ValueError(region)
    return {"cc": cc, "groups": groups, "trunk": trunk, "region": region}


def digit_groups(rng: random.Random, ph: dict[str, object], *, intl: float = 0.35) -> list[str]:
    """Groups of digits as people write them; the first group may be '+cc'."""
    groups = list(ph["groups"])  # type: ignore[call-overload]
    trunk = str(ph["trunk"])
    if rng.random() < intl:
        return ["+" + str(ph["cc"])] + groups
    if trunk and ph["region"] not in ("us", "ca"):
        if ph["region"] == "ru":
            return [trunk] + groups
        groups[0] = trunk + groups[0]
    return groups


def plain_phone(rng: random.Random, ph: dict[str, object]) -> str:
    r, g = ph["region"], list(ph["groups"])  # type: ignore[call-overload]
    cc, trunk = str(ph["cc"]), str(ph["trunk"])
    if r in ("us", "ca"):
        return rng.choice(
            [
                f"({g[0]}) {g[1]}-{g[2]}",
                f"{g[0]}-{g[1]}-{g[2]}",
                f"{g[0]}.{g[1]}.{g[2]}",
                f"+1 {g[0]} {g[1]} {g[2]}",
                f"+1-{g[0]}-{g[1]}-{g[2]}",
                f"1-{g[0]}-{g[1]}-{g[2]}",
                f"{g[0]}{g[1]}{g[2]}",
                f"+1 ({g[0]}) {g[1]}-{g[2]}",
            ]
        )
    if r == "ru":
        return rng.choice(
            [f"+7 ({g[0]}) {g[1]}-{g[2]}-{g[3]}", f"8 {g[0]} {g[1]}-{g[2]}-{g[3]}", f"+7{''.join(g)}", f"8({g[0]}){g[1]}{g[2]}{g[3]}"]
        )
    sep = rng.choice([" ", "-", " ", "."])
    if rng.random() < 0.5:
        return f"+{cc} " + sep.join(g) if sep != "." else f"+{cc}." + ".".join(g)
    if r == "br":
        return rng.choice([f"({g[0]}) {g[1]}-{g[2]}", f"0{g[0]} {g[1]}-{g[2]}", f"{g[0]} {g[1]}{g[2]}"])
    first = trunk + g[0]
    return sep.join([first] + g[1:])


# ---------------------------------------------------------------------------------------------------------
# Number words
# ---------------------------------------------------------------------------------------------------------
WORDS = {
    "en": "zero one two three four five six seven eight nine".split(),
    "es": "cero uno dos tres cuatro cinco seis siete ocho nueve".split(),
    "pt": "zero um dois três quatro cinco seis sete oito nove".split(),
    "fr": "zéro un deux trois quatre cinq six sept huit neuf".split(),
    "ro": "zero unu doi trei patru cinci șase șapte opt nouă".split(),
    "tl": "sero isa dalawa tatlo apat lima anim pito walo siyam".split(),
    "ru": "ноль один два три четыре пять шесть семь восемь девять".split(),
}
PLUS = {"en": "plus", "es": "más", "pt": "mais", "fr": "plus", "ro": "plus", "tl": "plus", "ru": "плюс"}
# Regions whose numbers are read in each language (French: Canadian numbers; Tagalog: Philippine numbers).
LANG_REGIONS = {"es": ["mx", "es", "us"], "pt": ["br"], "fr": ["ca"], "ro": ["ro"], "tl": ["ph"], "ru": ["ru"]}
TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def case(rng: random.Random, s: str) -> str:
    k = rng.random()
    if k < 0.25:
        return s.upper()
    if k < 0.45:
        return s.title()
    return s


def en_pair(rng: random.Random, pair: str) -> tuple[str, bool]:
    """Two digits read as a compound number ('41' -> 'forty-one'); returns (text, used_oh)."""
    a, b = int(pair[0]), int(pair[1])
    if a == 0:
        z = rng.choice(["oh", "oh", "zero"])
        return f"{z} {WORDS['en'][b]}", z == "oh"
    if a == 1:
        return TEENS[b], False
    if b == 0:
        return TENS[a], False
    return TENS[a] + rng.choice(["-", " ", "-", ""]) + WORDS["en"][b], False


def fr_pair(pair: str) -> str:
    n = int(pair)
    units = WORDS["fr"]
    teens = "dix onze douze treize quatorze quinze seize dix-sept dix-huit dix-neuf".split()
    tens = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}
    if n < 10:
        return "zéro " + units[n]
    if n < 20:
        return teens[n - 10]
    if n < 70:
        t, u = divmod(n, 10)
        return tens[t] if u == 0 else tens[t] + (" et un" if u == 1 else "-" + units[u])
    if n < 80:
        return "soixante et onze" if n == 71 else "soixante-" + teens[n - 70]
    if n == 80:
        return "quatre-vingts"
    if n < 90:
        return "quatre-vingt-" + units[n - 80]
    return "quatre-vingt-" + teens[n - 90]


def words_phone(rng: random.Random, groups: list[str], lang: str, *, oh: float = 0.5) -> tuple[str, list[str]]:
    """Digit-by-digit words; group separators vary. Returns (text, extra tags)."""
    tags: list[str] = []
    inner = rng.choice([" ", " ", "-", " ", ""]) if lang == "en" else rng.choice([" ", " ", "-"])
    outer = rng.choice([" ", ", ", " - ", " . ", " / ", "... ", " | ", "  ", " * "])
    out = []
    for g in groups:
        if g.startswith("+"):
            out.append(PLUS[lang] + " " + " ".join(WORDS[lang][int(c)] for c in g[1:]))
            continue
        ws = []
        for c in g:
            w = WORDS[lang][int(c)]
            if lang == "en" and c == "0" and rng.random() < oh:
                w = "oh"
                if "oh_for_zero" not in tags:
                    tags.append("oh_for_zero")
            if lang == "pt" and c == "6" and rng.random() < 0.5:
                w = "meia"  # Brazilians say "meia" (half a dozen) for six on the phone
            ws.append(w)
        out.append(inner.join(ws))
    return case(rng, outer.join(out)), tags


def compound_phone(rng: random.Random, groups: list[str]) -> tuple[str, list[str]]:
    tags = ["compound_words"]
    outer = rng.choice([" ", ", ", " - ", "... ", " / "])
    out = []
    for g in groups:
        if g.startswith("+"):
            cc = g[1:]
            out.append("plus " + (en_pair(rng, cc)[0] if len(cc) == 2 else " ".join(WORDS["en"][int(c)] for c in cc)))
            continue
        parts = []
        rest = g
        if len(rest) % 2 == 1:
            parts.append(WORDS["en"][int(rest[0])])
            rest = rest[1:]
        for i in range(0, len(rest), 2):
            text, oh = en_pair(rng, rest[i : i + 2])
            if oh and "oh_for_zero" not in tags:
                tags.append("oh_for_zero")
            parts.append(text)
        out.append(" ".join(parts))
    return case(rng, outer.join(out)), tags


def double_triple_phone(rng: random.Random, groups: list[str]) -> tuple[str, list[str]]:
    tags = ["double_triple"]
    outer = rng.choice([" ", ", ", " - ", " . "])
    out = []
    for g in groups:
        g = g.lstrip("+")
        parts, i = [], 0
        while i < len(g):
            j = i
            while j < len(g) and g[j] == g[i]:
                j += 1
            run = j - i
            w = WORDS["en"][int(g[i])]
            if g[i] == "0" and rng.random() < 0.6:
                w = "oh"
                if "oh_for_zero" not in tags:
                    tags.append("oh_for_zero")
            while run >= 3:
                parts.append("triple " + w)
                run -= 3
            if run == 2:
                parts.append(rng.choice(["double ", "dbl "]) + w)
            elif run == 1:
                parts.append(w)
            i = j
        out.append(" ".join(parts))
    return case(rng, outer.join(out)), tags


def fr_pairs_phone(rng: random.Random, groups: list[str]) -> str:
    digits = "".join(g.lstrip("+") for g in groups if not g.startswith("+"))
    head = digits[:3]
    rest = digits[3:]
    out = [" ".join(WORDS["fr"][int(c)] for c in head)]
    for i in range(0, len(rest), 2):
        out.append(fr_pair(rest[i : i + 2]) if len(rest[i : i + 2]) == 2 else WORDS["fr"][int(rest[i])])
    return rng.choice([", ", " ", " - "]).join(out)


def es_pairs_phone(rng: random.Random, groups: list[str]) -> str:
    """Spanish speakers often read a Mexican number in pairs: 'cincuenta y cinco'."""
    tens = ["", "", "veinte", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa"]
    teens = "diez once doce trece catorce quince dieciséis diecisiete dieciocho diecinueve".split()
    twenties = "veinte veintiuno veintidós veintitrés veinticuatro veinticinco veintiséis veintisiete veintiocho veintinueve".split()
    out = []
    for g in groups:
        if g.startswith("+"):
            out.append("más " + " ".join(WORDS["es"][int(c)] for c in g[1:]))
            continue
        rest, parts = g, []
        if len(rest) % 2 == 1:
            parts.append(WORDS["es"][int(rest[0])])
            rest = rest[1:]
        for i in range(0, len(rest), 2):
            a, b = int(rest[i]), int(rest[i + 1])
            if a == 0:
                parts.append("cero " + WORDS["es"][b])
            elif a == 1:
                parts.append(teens[b])
            elif a == 2:
                parts.append(twenties[b])
            else:
                parts.append(tens[a] + ("" if b == 0 else " y " + WORDS["es"][b]))
        out.append(" ".join(parts))
    return rng.choice([", ", " - ", " "]).join(out)


# ---------------------------------------------------------------------------------------------------------
# Symbols, separators, invisible characters and other scripts
# ---------------------------------------------------------------------------------------------------------
EMOJI = ["💋", "🌹", "✨", "🔥", "💦", "😘", "❤️", "💕", "🍒", "👉", "⭐", "💎", "🥰", "🍑", "🌸", "😈", "🇺🇸", "💖", "👄", "🎀"]
SYMBOLS = ["★", "♥", "✿", "☆", "♡", "❀", "✪", "♛", "☎", "✆", "⚡", "❣", "✧", "☾"]
SCRIPTS = {
    "script_devanagari": "०१२३४५६७८९",
    "script_arabic_indic": "٠١٢٣٤٥٦٧٨٩",
    "script_persian": "۰۱۲۳۴۵۶۷۸۹",
    "script_bengali": "০১২৩৪৫৬৭৮৯",
    "script_thai": "๐๑๒๓๔๕๖๗๘๙",
    "fullwidth": "０１２３４５６７８９",
    "math_digits": "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗",
    "circled_digits": "⓪①②③④⑤⑥⑦⑧⑨",
}
# The region whose people most plausibly write each script (the number stays a number of that region).
SCRIPT_REGIONS = {
    "script_devanagari": ["in"],
    "script_arabic_indic": ["uk", "us", "in"],
    "script_persian": ["uk", "ca"],
    "script_bengali": ["in"],
    "script_thai": ["th"],
    "fullwidth": REGIONS,
    "math_digits": REGIONS,
    "circled_digits": ["us", "ca", "ph", "uk"],
}
INVISIBLE = {"zero_width": ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"], "soft_hyphen": ["\u00ad"]}
LOOKALIKE = {"0": ["O", "o", "O"], "1": ["l", "I", "l"], "5": ["S"], "8": ["B"], "2": ["Z"], "9": ["g"]}


def emoji_phone(rng: random.Random, groups: list[str]) -> tuple[str, list[str]]:
    pool = EMOJI if rng.random() < 0.7 else SYMBOLS
    tag = "emoji_separators" if pool is EMOJI else "symbol_separators"
    mode = rng.choice(["digit", "group", "group", "random"])
    flat = "".join(groups)
    if mode == "digit":
        e = rng.choice(pool)
        return e.join(flat), [tag]
    if mode == "group":
        out = groups[0]
        for g in groups[1:]:
            out += rng.choice(["", " "]) + rng.choice(pool) * rng.choice([1, 1, 2, 3]) + rng.choice(["", " "]) + g
        return out, [tag]
    out = flat[0]
    for c in flat[1:]:
        out += "".join(rng.choice(pool) for _ in range(rng.choice([0, 0, 1, 2]))) + c
    if out == flat:
        out = flat[0] + rng.choice(pool) + flat[1:]
    return out, [tag]


def separators_phone(rng: random.Random, groups: list[str]) -> tuple[str, list[str]]:
    style = rng.choice(["~", "•", "x", "|", "brackets", "dashes", "·", "*", "_", "..", "=", "::", "»", "/"])
    if style == "brackets":
        o, c = rng.choice([("[", "]"), ("(", ")"), ("{", "}"), ("<", ">"), ("【", "】")])
        return rng.choice(["", " "]).join(o + g + c for g in groups), ["unusual_separators", "brackets"]
    if style == "dashes":
        return ("-" * rng.choice([2, 3, 4])).join(groups), ["unusual_separators", "repeated_dashes"]
    pad = rng.choice(["", " "])
    return (pad + style + pad).join(groups), ["unusual_separators"]


def invisible_phone(rng: random.Random, groups: list[str], kind: str) -> tuple[str, list[str]]:
    base = rng.choice(["-", " ", "", "."]).join(groups)
    chars = list(base)
    n = rng.randint(2, 6)
    for _ in range(n):
        pos = rng.randint(1, len(chars) - 1)
        chars.insert(pos, rng.choice(INVISIBLE[kind]))
    return "".join(chars), [kind]


def script_phone(rng: random.Random, groups: list[str], script: str) -> tuple[str, list[str]]:
    table = SCRIPTS[script]
    if script == "fullwidth":
        sep = rng.choice(["－", "　", "", "－"])
        out = [("＋" + "".join(table[int(c)] for c in g[1:])) if g.startswith("+") else "".join(table[int(c)] for c in g) for g in groups]
        if rng.random() < 0.3 and len(out) >= 3 and not groups[0].startswith("+"):
            return "（" + out[0] + "）" + sep.join(out[1:]), [script]
        return sep.join(out), [script]
    sep = rng.choice([" ", "-", " ", ""])
    out = [("+" + "".join(table[int(c)] for c in g[1:])) if g.startswith("+") else "".join(table[int(c)] for c in g) for g in groups]
    text = sep.join(out)
    tags = [script]
    if rng.random() < 0.25:  # mixed: some groups left in ASCII digits
        k = rng.randrange(len(groups))
        out[k] = groups[k]
        text = sep.join(out)
        tags.append("mixed_scripts")
    return text, tags


def lookalike_phone(rng: random.Random, groups: list[str]) -> tuple[str, list[str]]:
    sep = rng.choice(["-", " ", ".", ""])
    text = sep.join(groups)
    chars = list(text)
    idx = [i for i, c in enumerate(chars) if c in LOOKALIKE]
    rng.shuffle(idx)
    for i in idx[: max(2, len(idx) // 2)]:
        chars[i] = rng.choice(LOOKALIKE[chars[i]])
    return "".join(chars), ["letter_lookalikes"]


def keycap_phone(rng: random.Random, groups: list[str]) -> tuple[str, list[str]]:
    sep = rng.choice(["", " ", "➖", " - "])
    return sep.join("".join(c + "\ufe0f\u20e3" for c in g.lstrip("+")) for g in groups), ["keycap_digits"]


def mixed_words_phone(rng: random.Random, groups: list[str]) -> tuple[str, list[str]]:
    sep = rng.choice([" ", "-", " "])
    out = []
    for g in groups:
        g = g.lstrip("+")
        out.append(
            "".join((WORDS["en"][int(c)] if rng.random() < 0.5 else c) if i else case(rng, WORDS["en"][int(c)]) for i, c in enumerate(g))
        )
    text = sep.join(out)
    return (text.upper() if rng.random() < 0.3 else text), ["mixed_words_digits", "number_words"]


def spaced_phone(rng: random.Random, groups: list[str]) -> tuple[str, list[str]]:
    gap = rng.choice(["  ", "   ", " . ", "  -  "])
    return gap.join(" ".join(g) for g in groups), ["spaced_digits"]


def split_lines_phone(rng: random.Random, groups: list[str]) -> tuple[str, list[str]]:
    style = rng.choice(["digits", "digits", "words", "emoji"])
    if style == "words":
        lines = [" ".join(WORDS["en"][int(c)] for c in g.lstrip("+")) for g in groups]
        return "\n".join(lines), ["split_lines", "number_words"]
    if style == "emoji":
        e = rng.choice(EMOJI)
        return "\n".join(e + " " + g for g in groups)[len(e) + 1 :], ["split_lines", "emoji_separators"]
    return rng.choice(["\n", "\n", " \n", "\n\n"]).join(groups), ["split_lines"]


# ---------------------------------------------------------------------------------------------------------
# Fictional names, handles and e-mail local parts (invented for this set)
# ---------------------------------------------------------------------------------------------------------
FIRST = [
    "rosie",
    "lola",
    "mia",
    "jade",
    "nina",
    "sofi",
    "luna",
    "bella",
    "kitty",
    "candy",
    "daria",
    "priya",
    "nana",
    "ana",
    "vera",
    "ioana",
    "lucia",
    "camila",
    "mariel",
    "joy",
    "aiko",
    "lexi",
    "amara",
    "chioma",
    "tanya",
    "olesya",
    "dani",
    "paola",
    "bianca",
    "kara",
    "yuki",
    "mei",
    "roxy",
    "gemma",
    "tasha",
    "marisol",
    "alina",
    "stella",
    "ruby",
    "ivy",
    "pim",
    "fern",
    "lia",
    "zara",
]
SUFFIX = [
    "_99",
    ".xo",
    "_real",
    "22",
    ".vip",
    "_lux",
    "__x",
    "88",
    ".official",
    "_bkk",
    "_ph",
    "777",
    ".k",
    "_mx",
    "x0x0",
    "_06",
    "4u",
    "_new",
    "bae",
    ".ro",
]
DOMAINS = [
    "gmail.com",
    "yahoo.com",
    "outlook.com",
    "hotmail.com",
    "proton.me",
    "protonmail.com",
    "mail.ru",
    "yandex.ru",
    "icloud.com",
    "yahoo.com.ph",
    "hotmail.es",
    "gmx.net",
    "aol.com",
    "yahoo.co.uk",
    "rediffmail.com",
    "bol.com.br",
    "yahoo.ro",
    "live.com",
]


def handle(rng: random.Random) -> str:
    h = rng.choice(FIRST) + rng.choice(SUFFIX)
    if rng.random() < 0.3:
        h = rng.choice(["miss.", "its", "the.", "real.", "sweet_", "baby"]) + h
    return h


def local_part(rng: random.Random) -> str:
    name = rng.choice(FIRST)
    return name + rng.choice([".", "_", "", ""]) + rng.choice(["k", "m", "love", "vip", "xo", "", "a"]) + str(rng.randrange(10, 2000))


# E-mail renderings; each returns (span text, tags). Whitespace around the whole address is left outside the span.
def email_span(rng: random.Random, style: str) -> tuple[str, list[str]]:
    lp, dom = local_part(rng), rng.choice(DOMAINS)
    name, tld = dom.split(".", 1)
    if style == "plain":
        return f"{lp}@{dom}", ["plain"]
    if style == "words":
        at = rng.choice([" at ", " AT ", " at ", " @t ", " -at- ", " at "])
        dot = rng.choice([" dot ", " DOT ", " dot ", " d0t ", " period "])
        return lp + at + name + dot + tld.replace(".", dot), ["email_words"]
    if style == "brackets":
        o, c = rng.choice([("[", "]"), ("(", ")"), ("{", "}"), ("<", ">")])
        at = rng.choice([f"{o}at{c}", f" {o}at{c} ", f"{o}AT{c}", f" {o}@{c} "])
        dot = rng.choice([f"{o}dot{c}", f" {o}dot{c} ", ".", f"{o}.{c}"])
        return lp + at + name + dot + tld.replace(".", dot), ["email_brackets"]
    if style == "spaced":
        joiner = rng.choice([" ", " ", "  "])
        addr = f"{lp}@{dom}"
        return joiner.join(addr), ["email_spaced"]
    if style == "foreign":
        at, dot, lang = rng.choice(
            [
                (" arroba ", " punto ", "es"),
                (" arroba ", " ponto ", "pt"),
                (" arobase ", " point ", "fr"),
                (" a rond ", " punct ", "ro"),
                (" собака ", " точка ", "ru"),
                (" sobaka ", " tochka ", "ru"),
                (" エット ", " ドット ", "ja"),
            ]
        )
        return lp + at + name + dot + tld.replace(".", dot), ["email_foreign_words", "email_words_" + lang]
    if style == "hash":
        sym = rng.choice(["#", "#", "(#)", "＠", "[@]", "(@)", " @ "])
        tags = ["email_hash"] if "#" in sym else ["email_symbols"]
        return lp + sym + dom, tags
    if style == "emoji":
        at = rng.choice([" 📧 ", "🌀", " ⓐ ", "ⓐ"])
        return lp + at + dom, ["email_symbols"]
    raise ValueError(style)


EMAIL_STYLES = ["plain", "words", "brackets", "spaced", "foreign", "hash", "emoji"]
EMAIL_LEADS = [
    ("email me: ", ""),
    ("E-mail ", " for bookings"),
    ("write to ", ""),
    ("mail: ", ""),
    ("✉️ ", ""),
    ("contact ", " for more info"),
    ("my email is ", ""),
    ("reach me at ", " anytime"),
    ("correo: ", ""),
    ("e-mail: ", " (reply within 1h)"),
    ("pics on request -> ", ""),
    ("почта: ", ""),
    ("send your intro to ", ""),
    ("Bookings only via email ", ""),
]

# Social handles: (prefix, suffix, tags) around a bare handle; the span is the handle (with '@' if written).
HANDLE_BEFORE = [
    "ig: ",
    "IG - ",
    "insta ",
    "Insta: ",
    "snap: ",
    "sc ",
    "sc: ",
    "SC » ",
    "snap me ",
    "kik me ",
    "kik: ",
    "KIK ",
    "add my snap ",
    "follow me on insta ",
    "my ig is ",
    "tiktok ",
    "telegram: ",
    "tg - ",
    "OF: ",
    "onlyfans ",
    "twitter ",
    "X: ",
    "snapchat ➡️ ",
    "add me on snapchat ",
    "IG→ ",
    "insta - ",
    "Snap = ",
    "kik = ",
    "sígueme en ig ",
    "mă găsești pe insta ",
    "add mo ko sa ig ",
    "инста: ",
    "телеграм ",
    "fansly ",
    "threads: ",
    "wechat id: ",
    "line id: ",
    "Line ID ",
]
HANDLE_EMOJI = ["👻 ", "👻: ", "📸 ", "📷 ", "👻➡️ ", "📸 IG ", "🎵 "]
HANDLE_AFTER = [
    " on snap",
    " on ig",
    " (snap)",
    " on kik",
    " on insta",
    " @ snapchat",
    " snap",
    " is my sc",
    " on tiktok",
    " (IG)",
    " sc",
    " on telegram",
    " en insta",
    " no insta",
    " pe snap",
    " в телеге",
    " sa fb",
    " on twitter",
    " on OF",
]


def handle_span(rng: random.Random) -> tuple[str, str, str, list[str]]:
    """Return (prefix, span, suffix, tags)."""
    h = handle(rng)
    k = rng.random()
    if k < 0.40:
        pre = rng.choice(HANDLE_BEFORE)
        if rng.random() < 0.2:
            return pre, "@" + h, "", ["handle_cue_before", "handle_at"]
        return pre, h, "", ["handle_cue_before"]
    if k < 0.55:
        return rng.choice(HANDLE_EMOJI), h, "", ["handle_emoji_cue"]
    if k < 0.80:
        if rng.random() < 0.2:
            return "", "@" + h, rng.choice(HANDLE_AFTER), ["handle_cue_after", "handle_at"]
        return "", h, rng.choice(HANDLE_AFTER), ["handle_cue_after"]
    # profile links
    link = rng.choice(
        [
            f"instagram.com/{h}",
            f"https://www.instagram.com/{h}/",
            f"www.instagram.com/{h}",
            f"fb.com/{h}",
            f"facebook.com/{h}",
            f"https://tiktok.com/@{h}",
            f"tiktok.com/@{h}",
            f"www.tiktok.com/@{h}",
            f"twitter.com/{h}",
            f"x.com/{h}",
            f"snapchat.com/add/{h}",
            f"onlyfans.com/{h}",
            f"vk.com/{h}",
            f"https://m.facebook.com/{h}",
            f"instagr.am/{h}",
        ]
    )
    tags = ["profile_link"]
    if rng.random() < 0.25 and ".com" in link:
        link = link.replace(".com", rng.choice(["[.]com", "(.)com", " dot com", "(dot)com"]), 1)
        tags.append("profile_link_disguised")
    return rng.choice(["", "", "follow ", "more pics: ", "IG ", "verified: ", "👉 ", "see "]), link, "", tags


def messenger_span(rng: random.Random, ph: dict[str, object]) -> tuple[str, list[str]]:
    h = handle(rng).replace(".", "_")
    intl = str(ph["cc"]) + "".join(ph["groups"])  # type: ignore[call-overload]
    k = rng.random()
    if k < 0.30:
        return rng.choice(
            [
                f"t.me/{h}",
                f"https://t.me/{h}",
                f"telegram.me/{h}",
                f"wa.me/{intl}",
                f"https://wa.me/{intl}",
                f"https://wa.me/{intl}?text=hi",
                f"api.whatsapp.com/send?phone={intl}",
                f"m.me/{h}",
                f"https://t.me/+{intl}",
                f"signal.me/#p/+{intl}",
            ]
        ), ["messenger_link"]
    if k < 0.45:
        return rng.choice([f"viber://chat?number=%2B{intl}", f"viber://add?number={intl}", f"viber://chat?number={intl}"]), ["viber_link"]
    if k < 0.58:
        return rng.choice([f"line.me/ti/p/~{h}", f"https://line.me/R/ti/p/@{h}", f"https://line.me/ti/p/~{h}", f"line.me/R/ti/p/%40{h}"]), [
            "line_link"
        ]
    target = rng.choice([h, intl]) if rng.random() < 0.6 else h
    host = rng.choice(["t", "t", "wa", "telegram"]) if target == h else "wa"
    if host == "wa" and target == h:
        target = intl
    dot = rng.choice(["[.]", "(.)", " . ", "(dot)", " dot ", "[dot]", "•", "．", "{.}"])
    slash = rng.choice(["/", " / ", "/", " slash ", "/"])
    scheme = rng.choice(["", "", "", "hxxps://", "https://"])
    return f"{scheme}{host}{dot}me{slash}{target}", ["messenger_disguised"]


MSG_LEADS = [
    ("", ""),
    ("Telegram: ", ""),
    ("WhatsApp ", " (text only)"),
    ("chat here ", ""),
    ("DM ", ""),
    ("👉 ", ""),
    ("write me on ", ""),
    ("message me ", " 24/7"),
    ("booking link: ", ""),
    ("escríbeme ", ""),
    ("мой канал ", ""),
    ("Viber: ", ""),
    ("LINE: ", ""),
    ("only here → ", ""),
]

# ---------------------------------------------------------------------------------------------------------
# Wallet addresses with valid checksums (random payloads; no wallet is meant to exist)
# ---------------------------------------------------------------------------------------------------------
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def base58check(version: int, payload: bytes) -> str:
    raw = bytes([version]) + payload
    raw += hashlib.sha256(hashlib.sha256(raw).digest()).digest()[:4]
    n = int.from_bytes(raw, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = B58[r] + out
    return "1" * (len(raw) - len(raw.lstrip(b"\0"))) + out


def _polymod(values: list[int]) -> int:
    gen = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
    chk = 1
    for v in values:
        b = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if ((b >> i) & 1) else 0
    return chk


def segwit(hrp: str, witver: int, prog: bytes) -> str:
    acc, bits, data = 0, 0, [witver]
    for b in prog:
        acc = (acc << 8) | b
        bits += 8
        while bits >= 5:
            bits -= 5
            data.append((acc >> bits) & 31)
    if bits:
        data.append((acc << (5 - bits)) & 31)
    const = 1 if witver == 0 else 0x2BC830A3  # bech32 for v0, bech32m for v1+
    hrp_exp = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    pm = _polymod(hrp_exp + data + [0] * 6) ^ const
    return hrp + "1" + "".join(BECH32[d] for d in data + [(pm >> 5 * (5 - i)) & 31 for i in range(6)])


def wallet(rng: random.Random, kind: str) -> str:
    rb = bytes(rng.randrange(256) for _ in range(32))
    if kind == "btc_legacy":
        return base58check(0x00, rb[:20])
    if kind == "btc_p2sh":
        return base58check(0x05, rb[:20])
    if kind == "btc_bech32":
        return segwit("bc", 0, rb[:20]) if rng.random() < 0.75 else segwit("bc", 1, rb)
    if kind == "ltc":
        return rng.choice([base58check(0x30, rb[:20]), base58check(0x32, rb[:20]), segwit("ltc", 0, rb[:20])])
    if kind == "eth":
        return "0x" + rb[:20].hex()
    raise ValueError(kind)


CRYPTO_LEADS = {
    "btc_legacy": ["BTC: ", "deposit (bitcoin) to ", "btc only ", "Bitcoin address ", "₿ ", "tips in btc: "],
    "btc_p2sh": ["BTC: ", "send deposit to ", "bitcoin wallet ", "₿ ", "deposit → "],
    "btc_bech32": ["BTC (segwit) ", "btc: ", "Bitcoin ", "send btc to ", "wallet: "],
    "ltc": ["LTC: ", "litecoin ", "Ł ", "LTC wallet ", "ltc deposit "],
    "eth": ["ETH: ", "ETH/USDT (erc20) ", "eth wallet ", "Ξ ", "usdt erc20: ", "send eth "],
}


# ---------------------------------------------------------------------------------------------------------
# Phone renderings by disguise category; each returns (prefix, span, suffix, tags)
# ---------------------------------------------------------------------------------------------------------
PHONE_LEADS = [
    ("call ", ""),
    ("txt ", " only"),
    ("text me ", ""),
    ("📞 ", ""),
    ("☎ ", ""),
    ("cell: ", ""),
    ("Tel ", ""),
    ("WhatsApp ", ""),
    ("call/text ", " after 10am"),
    ("ph: ", ""),
    ("Mob. ", ""),
    ("contact ", ""),
    ("cell no. ", ""),
    ("", " (no blocked calls)"),
    ("hit me up ", ""),
    ("my number ", " 24/7"),
    ("txt or call ", " no private numbers"),
    ("📱", ""),
    ("book now ", ""),
    ("new # ", ""),
]
LANG_LEADS = {
    "es": [("llámame al ", ""), ("WhatsApp: ", ""), ("mi número ", " solo mensajes"), ("cel ", ""), ("escríbeme ", "")],
    "pt": [("liga pra ", ""), ("zap ", ""), ("chama no whats ", ""), ("meu número ", " só mensagem"), ("cel: ", "")],
    "fr": [("appelle-moi au ", ""), ("texto ", ""), ("mon numéro ", ""), ("cell ", " (SMS seulement)")],
    "ro": [("sună-mă la ", ""), ("tel ", ""), ("numărul meu ", " doar sms"), ("WhatsApp ", "")],
    "tl": [("tawag o text ", ""), ("i-text mo ako sa ", ""), ("numero ko ", " GCash ok"), ("txt lang ", "")],
    "ru": [("звони ", ""), ("тел. ", ""), ("пиши в ватсап ", ""), ("мой номер ", " только смс")],
}
GLUE_LEFT = ["callme", "txt", "CALL", "textme", "xoxo", "cell:", "babe", "hmu", "new#", "tel", "WA", "zap", "sms"]
GLUE_RIGHT = ["now", "babe", "xoxo", "baby", "ok", "anytime", "pls", "💋", "luv", "TODAY", "only"]
URL_FORMS = [
    ("tel:", ""),
    ("tel:", ""),
    ("sms:", "?body=hi"),
    ("callto:", ""),
    ("https://book.example.net/call/", ""),
    ("https://example.org/ad?phone=", "&ref=42"),
    ("http://bit.example/", ""),
    ("https://linktr.example/", "/book"),
]


def phone_span(rng: random.Random, cat: str) -> tuple[str, str, str, list[str]]:
    lang = cat[6:] if cat.startswith("words_") else ""
    if cat.startswith("script_") or cat in ("fullwidth", "math_digits", "circled_digits"):
        region = rng.choice(SCRIPT_REGIONS[cat])
    elif lang:
        region = rng.choice(LANG_REGIONS[lang])
    else:
        region = rng.choice(REGIONS)
    ph = make_phone(rng, region)
    groups = digit_groups(rng, ph)
    pre, suf = rng.choice(LANG_LEADS[lang]) if lang and rng.random() < 0.7 else rng.choice(PHONE_LEADS)
    tags = ["phone_region_" + region]
    if cat == "plain":
        span, t = plain_phone(rng, ph), ["plain"]
    elif cat == "number_words":
        span, t = words_phone(rng, groups, "en")
        t = ["number_words"] + t
    elif cat == "oh_for_zero":
        span, t = words_phone(rng, digit_groups(rng, ph, intl=0.0), "en", oh=1.0)
        t = ["number_words"] + t
    elif cat == "compound_words":
        span, t = compound_phone(rng, groups)
    elif cat == "double_triple":
        span, t = double_triple_phone(rng, groups)
    elif lang:
        if lang == "fr" and rng.random() < 0.5:
            span, t = fr_pairs_phone(rng, groups), ["words_fr", "compound_words"]
        elif lang == "es" and rng.random() < 0.35:
            span, t = es_pairs_phone(rng, groups), ["words_es", "compound_words"]
        else:
            span, t = words_phone(rng, groups, lang)
            t = ["words_" + lang]
    elif cat == "emoji_separators":
        span, t = emoji_phone(rng, groups)
    elif cat == "unusual_separators":
        span, t = separators_phone(rng, groups)
    elif cat == "glued_to_words":
        span, t = "".join(groups), ["glued_to_words"]
        side = rng.choice(["left", "right", "both"])
        pre = rng.choice(GLUE_LEFT) if side != "right" else rng.choice(["", "call "])
        suf = rng.choice(GLUE_RIGHT) if side != "left" else ""
        if side == "right":
            pre = rng.choice(["", "call ", "txt "])
    elif cat in ("zero_width", "soft_hyphen"):
        span, t = invisible_phone(rng, groups, cat)
    elif cat in SCRIPTS:
        span, t = script_phone(rng, groups, cat)
    elif cat == "letter_lookalikes":
        span, t = lookalike_phone(rng, groups)
    elif cat == "keycap_digits":
        span, t = keycap_phone(rng, groups)
    elif cat == "mixed_words_digits":
        span, t = mixed_words_phone(rng, groups)
    elif cat == "spaced_digits":
        span, t = spaced_phone(rng, groups)
    elif cat == "split_lines":
        span, t = split_lines_phone(rng, groups)
        pre = rng.choice(["call\n", "txt me:\n", "", "☎\n", "number below\n"])
        suf = ""
    elif cat == "extension":
        base = plain_phone(rng, ph)
        ext = rng.choice([" ext. ", " ext ", " x", "x", " Ext: ", " extension ", " anexo ", ",,", " доб. "]) + str(rng.randrange(2, 999))
        span, t = base + ext, ["extension"]
    elif cat == "phone_in_url":
        pre, suf = rng.choice(URL_FORMS)
        num = "+" + str(ph["cc"]) + "".join(ph["groups"])  # type: ignore[call-overload]
        if pre.startswith("http") and rng.random() < 0.5:
            num = "-".join(ph["groups"])  # type: ignore[call-overload]
        span, t = num, ["phone_in_url"]
        pre = rng.choice(["", "book: ", "tap ", "👉 "]) + pre
    else:
        raise ValueError(cat)
    return pre, span, suf, tags + t


PHONE_CATEGORIES = {
    "plain": 20,
    "number_words": 20,
    "oh_for_zero": 8,
    "compound_words": 14,
    "double_triple": 12,
    "words_es": 15,
    "words_pt": 8,
    "words_fr": 8,
    "words_ro": 8,
    "words_tl": 8,
    "words_ru": 8,
    "emoji_separators": 14,
    "unusual_separators": 14,
    "glued_to_words": 12,
    "zero_width": 8,
    "soft_hyphen": 6,
    "script_devanagari": 6,
    "script_arabic_indic": 6,
    "script_persian": 4,
    "script_bengali": 6,
    "script_thai": 6,
    "fullwidth": 8,
    "math_digits": 5,
    "circled_digits": 5,
    "letter_lookalikes": 8,
    "keycap_digits": 6,
    "mixed_words_digits": 8,
    "spaced_digits": 6,
    "split_lines": 10,
    "extension": 8,
    "phone_in_url": 8,
}
EMAIL_COUNTS = {"plain": 8, "words": 12, "brackets": 10, "spaced": 6, "foreign": 10, "hash": 6, "emoji": 4}
CRYPTO_COUNTS = {"btc_legacy": 7, "btc_p2sh": 6, "btc_bech32": 7, "ltc": 6, "eth": 7, "split": 8}
N_HANDLE, N_MSG = 46, 36


def contact(rng: random.Random, kind: str, cat: str) -> tuple[list[Part], list[str]]:
    """One contact detail with its lead-in: parts and tags."""
    if kind == "phone":
        pre, span, suf, tags = phone_span(rng, cat)
        return [pre, (PHONE, span), suf], ["phone"] + tags
    if kind == "email":
        span, tags = email_span(rng, cat)
        pre, suf = rng.choice(EMAIL_LEADS)
        return [pre, (EMAIL, span), suf], ["email"] + tags
    if kind == "handle":
        pre, span, suf, tags = handle_span(rng)
        return [pre, (HANDLE, span), suf], ["handle"] + tags
    if kind == "msg":
        span, tags = messenger_span(rng, make_phone(rng, rng.choice(REGIONS)))
        pre, suf = rng.choice(MSG_LEADS)
        return [pre, (MSG, span), suf], ["messenger"] + tags
    if kind == "crypto":
        k = cat if cat != "split" else rng.choice(["btc_legacy", "btc_p2sh", "btc_bech32", "ltc", "eth"])
        addr = wallet(rng, k)
        tags = ["crypto", k]
        if cat == "split":
            n = rng.choice([2, 2, 3])
            cut = sorted(rng.sample(range(6, len(addr) - 5), n - 1))
            pieces = [addr[i:j] for i, j in zip([0] + cut, cut + [len(addr)])]
            addr = rng.choice(["\n", "\n", " \n", "\n\n"]).join(pieces)
            tags.append("crypto_split_lines")
        return [rng.choice(CRYPTO_LEADS[k]), (CRYPTO, addr), ""], tags
    raise ValueError(kind)


# ---------------------------------------------------------------------------------------------------------
# Ad bodies for texts with contact details ({C} marks where the contact details go)
# ---------------------------------------------------------------------------------------------------------
BODIES = [
    "New in town 💋 sweet and discreet, incall/outcall. {C}",
    "Hi gentlemen, I'm back for a few days only!! {C} no texts from blocked numbers",
    "{C} — ask for Mia, outcall only, 100% real pics",
    "Available now ✨ 150/hr, 250 two hrs. {C}",
    "Upscale companion, 34-24-36, 5'6\". Serious inquiries only: {C}",
    "Visiting 6/24 - 6/28, book early. {C}",
    "Massage therapist, relaxing full body, 60/90/120 min. {C}",
    "Looking for honest worker for cleaning, good pay, housing provided. {C}",
    "Hiring waitresses for bar abroad, visa + ticket paid, no experience needed. {C}",
    "Model casting in Dubai, 2 weeks, $3000 + tips, flight paid. Send pics {C}",
    "Chica nueva en la ciudad, cariñosa y discreta. {C}",
    "Masajes relajantes, 1 hora 800 MXN, zona centro. {C}",
    "Garota nova na cidade 💕 atendo em local próprio, das 10h às 22h. {C}",
    "Fată nouă în oraș, discretă, program 10-22. {C}",
    "Bagong dating, mabait at malinis. Outcall sa Makati area. {C}",
    "Новенькая, приеду к тебе, час 5000 руб. {C}",
    "Thai massage, 1 hr 600 baht, open 11:00-23:00. {C}",
    "Need a date for the weekend? Sweet girl next door, 24 y.o. {C}",
    "Sugar baby looking for generous man 💎 {C}",
    "Job offer: nanny in Spain, 1800-2200 EUR monthly, documents arranged by agency. {C}",
    "{C} for rates. Deposit required for first meeting.",
    "📍 downtown, hotel friendly. {C} 👀",
    "NO cops, NO games, NO drama!! {C}",
    "Just moved here from Miami 🌴 {C} let's have fun",
    "Independent, 25, new pics every week.\n{C}",
    "Petite Asian cutie 🌸 here till Sunday.\n\n{C}\n\nno law enforcement",
    "Let me be your girlfriend tonight. Dinner dates welcome. {C}",
    "Party girl 🎉 ready now, 420 friendly. {C}",
    "Spa opening special: 2 for 1 before noon. {C}",
    "Work from home, earn 500$/week, just reply: {C}",
    "Room for rent, 2 bed, 1 bath, 1200/mo, utilities included. {C}",
    "Selling iPhone 13, 128GB, like new, 450 firm. {C}",
    "Lost cat near Oak St & 5th Ave, reward! {C}",
    "Tutoring in maths and physics, grades 6-12. {C}",
    "Hola amor 😘 soy nueva, atiendo 24 horas. {C}",
    "Bem-vindo amor, sou discreta e carinhosa. {C}",
    "Buna, sunt nouă aici 😊 {C}",
    "Hi po, available ako ngayon, walk-in ok. {C}",
    "Привет, я Алина, жду звонка. {C}",
    "Hi! ask for Nana 🌺 Sukhumvit soi 11. {C}",
    "Private screening required, references preferred. {C}",
    "Ebony queen visiting 3 days only, 36DD. {C}",
    "Rates: 200/hr incall, 300 outcall. Donations are for time only. {C}",
    "Bachelor party? Two girls available, ask me. {C}",
    "Dating scam warning in my bio, only real me is here: {C}",
    "Couples welcome 💑 {C}",
    "Modeling agency seeks girls 18-25 for work in Japan, all expenses paid. {C}",
    "Caregiver wanted in Italy, live-in, contract 2 years. {C}",
    "Looking for a kind gentleman for weekend trips ✈️ {C}",
    "GFE, no rush, 5⭐ reviews. {C}",
    "Open late tonight 🌙 {C}",
    "VIP companion, dinner dates and travel. {C}",
    "Outcall to hotels only, 1 hour min. {C}",
    "Fresh face, first time here!! {C}",
    "Text first with your name and age. {C}",
    "Bilingual English/Spanish, always smiling. {C}",
    "Recién llegada 🇨🇴 completica y muy cariñosa. {C}",
    "Bookings open for December 12-15. {C}",
    "Special price this week only 💸 {C}",
    "Hot stone massage, licensed therapist. {C}",
    "Limited time in Manchester. {C}",
    "Back in Bucharest this week only. {C}",
    "Nasa Cebu ako until Friday. {C}",
    "Appointments only. Serious clients.\n{C}",
]
CONNECTORS = [" or ", " / ", "\n", " | ", ". Also ", ", ", " • ", " and ", "\nbackup: ", "  ", " ou ", " o ", " или "]


# ---------------------------------------------------------------------------------------------------------
# Hard negatives: texts with no contact detail at all. Each template names its trap(s) as tags; slots in
# braces are filled with fresh values so that repeated templates differ.
# ---------------------------------------------------------------------------------------------------------
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]


def luhn_complete(prefix: str, length: int, rng: random.Random) -> str:
    body = prefix + "".join(str(rng.randrange(10)) for _ in range(length - len(prefix) - 1))
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c)
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


def slot(rng: random.Random, name: str) -> str:
    y, m, d = rng.randrange(1975, 2027), rng.randrange(1, 13), rng.randrange(1, 29)
    if name == "date":
        return rng.choice(
            [
                f"{m}/{d}/{y}",
                f"{d:02d}.{m:02d}.{y}",
                f"{y}-{m:02d}-{d:02d}",
                f"{d:02d}/{m:02d}/{y}",
                f"{m:02d}-{d:02d}-{y}",
                f"{y}{m:02d}{d:02d}",
                f"{d:02d}.{m:02d}.{y % 100:02d}",
                f"{MONTHS[m - 1]} {d}, {y}",
                f"{d} {MONTHS[m - 1][:3]} {y}",
                f"{y}/{m:02d}/{d:02d}",
                f"{d}-{MONTHS[m - 1][:3]}-{y}",
                f"{m}/{d}/{y % 100:02d}",
            ]
        )
    if name == "daterange":
        return rng.choice(
            [
                f"{d}/{m} - {d + 2}/{m}",
                f"{m}/{d}-{m}/{d + 3}",
                f"{d:02d}.{m:02d}–{d + 1:02d}.{m:02d}.{y}",
                f"{y}-{m:02d}-{d:02d} to {y}-{m:02d}-{d + 1:02d}",
            ]
        )
    if name == "time":
        h = rng.randrange(1, 13)
        return rng.choice(
            [
                f"{h}:{rng.choice(['00', '15', '30', '45'])}pm",
                f"{h + 10}:00-0{rng.randrange(1, 6)}:00",
                f"{h}am-{h}pm",
                f"{h + 8:02d}{rng.choice(['00', '30'])} hrs",
                f"{h}.30",
                f"{h}:00 to {h + 1}:30",
            ]
        )
    if name == "price":
        a = rng.choice([100, 120, 150, 160, 180, 200, 250, 300, 350, 400, 500])
        return rng.choice(
            [
                f"${a}/hr",
                f"{a}/{a + 100}/{a + 200}",
                f"{a * 10}-{a * 10 + 400} EUR",
                f"R$ {a}",
                f"₱{a * 10:,}",
                f"{a * 20} руб",
                f"{a} lei",
                f"฿{a * 10}",
                f"₹{a * 25}",
                f"₦{a * 150:,}",
                f"MXN {a * 10:,}-{a * 12:,}",
                f"{a}$ / {a * 2}$",
                f"£{a}.00",
            ]
        )
    if name == "durations":
        return rng.choice(["30/60/90 min", "60/90/120 min", "1h/2h/overnight", "15-30-60", "45 min / 1 hr / 2 hrs"])
    if name == "id":
        # Ten-digit ids start with 0 or 1 (no North American area code does) or carry a 555 block, so that no
        # negative is a dialable number of a real subscriber.
        n = rng.choice("01") + str(rng.randrange(10**8, 10**9))
        return rng.choice([n, "555" + n[3:], f"{n[:3]}-{n[3:6]}-{n[6:]}", n[2:], f"{n[:3]} {n[3:6]} {n[6:]}", n[:7]])
    if name == "tracking":
        return rng.choice(
            [
                "1Z" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(16)),
                "9400 1" + " ".join("".join(str(rng.randrange(10)) for _ in range(4)) for _ in range(5)) + " " + str(rng.randrange(10, 99)),
                "".join(str(rng.randrange(10)) for _ in range(rng.choice([12, 15, 20, 22]))),
                "RR" + "".join(str(rng.randrange(10)) for _ in range(9)) + "CN",
            ]
        )
    if name == "imei":
        imei = luhn_complete("35" + str(rng.randrange(1000, 9999)), 15, rng)
        return rng.choice([imei, f"{imei[:2]}-{imei[2:8]}-{imei[8:14]}-{imei[14]}", f"{imei[:8]} {imei[8:]}"])
    if name == "barcode":
        return rng.choice(
            [
                luhn_complete("590", 13, rng),
                f"978-{rng.randrange(0, 2)}-{rng.randrange(100, 999)}-{rng.randrange(10000, 99999)}-{rng.randrange(10)}",
                luhn_complete("0", 12, rng),
            ]
        )
    if name == "ssn":
        return rng.choice(
            [
                f"666-{rng.randrange(10, 99)}-{rng.randrange(1000, 9999)}",
                f"{rng.randrange(100, 665)}-00-{rng.randrange(1000, 9999)}",
                f"{rng.randrange(100, 665)}-{rng.randrange(10, 99)}-0000",
                f"9{rng.randrange(10, 99)}-{rng.randrange(70, 88)}-{rng.randrange(1000, 9999)}",
            ]
        )
    if name == "sss":
        return f"{rng.randrange(10, 99)}-555{rng.randrange(1000, 9999)}-{rng.randrange(10)}"
    if name == "tin":
        return f"{rng.randrange(100, 999)}-555-{rng.randrange(100, 999)}-000"
    if name == "card":
        num = rng.choice(
            [
                "4111111111111111",
                "5555555555554444",
                "4012888888881881",
                "6011111111111117",
                luhn_complete("400000", 16, rng),
                luhn_complete("510510", 16, rng),
            ]
        )
        return rng.choice([num, " ".join(num[i : i + 4] for i in range(0, 16, 4)), "-".join(num[i : i + 4] for i in range(0, 16, 4))])
    if name == "amex":
        return rng.choice(["3782 822463 10005", "371449635398431", "3714-496353-98431"])
    if name == "ip":
        return rng.choice(
            [
                f"192.168.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                f"203.0.113.{rng.randrange(1, 255)}",
                f"198.51.100.{rng.randrange(1, 255)}",
                "2001:db8::1",
                f"172.16.{rng.randrange(32)}.{rng.randrange(1, 255)}",
            ]
        )
    if name == "street":
        return rng.choice(
            [
                f"{rng.randrange(100, 9999)} Main St, Springfield, IL 627{rng.randrange(10, 99)}",
                f"Calle 5 de Mayo {rng.randrange(10, 400)}, CP 06{rng.randrange(100, 999)}",
                f"Rua Augusta {rng.randrange(100, 2500)}, 01305-{rng.randrange(100, 999)} São Paulo",
                f"Str. Lipscani {rng.randrange(1, 120)}, 030{rng.randrange(100, 999)} București",
                f"ул. Тверская {rng.randrange(1, 40)}, 125{rng.randrange(100, 999)} Москва",
                "SW1A 1AA",
                f"Unit {rng.randrange(1, 40)}B, {rng.randrange(1100, 1900)} Quezon City",
                f"{rng.randrange(10, 999)}/{rng.randrange(1, 99)} Sukhumvit Soi {rng.randrange(1, 70)}, Bangkok 10110",
                f"Plot {rng.randrange(1, 300)}, Sector {rng.randrange(1, 60)}, Gurugram 1220{rng.randrange(10, 99)}",
                f"{rng.randrange(1, 200)} Adeola Odeku St, Victoria Island, Lagos 101241",
                f"Av. Insurgentes Sur {rng.randrange(100, 4000)}",
                f"{rng.randrange(1000, 20000)} NE {rng.randrange(1, 200)}th St, Miami FL 331{rng.randrange(10, 99)}",
            ]
        )
    if name == "meas":
        return rng.choice(["34-24-36", "36-26-38", "90-60-90", "32B-24-34", "36DD-26-38", "34C/24/35", "86-61-89"])
    if name == "body":
        return rng.choice(
            [
                f"5'{rng.randrange(0, 11)}\" {rng.randrange(100, 160)} lbs",
                f"1.{rng.randrange(50, 80)} m, {rng.randrange(45, 70)} kg",
                f"{rng.randrange(150, 180)} cm / {rng.randrange(45, 70)} kg",
                f"size {rng.choice([4, 6, 8, 10])}/{rng.choice([26, 27, 28])}",
                f"age {rng.randrange(21, 40)}",
            ]
        )
    if name == "version":
        return rng.choice(
            [
                f"v{rng.randrange(1, 9)}.{rng.randrange(0, 30)}.{rng.randrange(0, 200)}",
                f"iOS {rng.randrange(14, 19)}.{rng.randrange(0, 6)}.{rng.randrange(0, 3)}",
                f"10.0.{rng.randrange(10000, 22999)}.{rng.randrange(100, 4000)}",
                f"4.15.555.{rng.randrange(10, 99)}",
            ]
        )
    if name == "score":
        return rng.choice(
            [
                f"{rng.randrange(0, 6)}-{rng.randrange(0, 6)}",
                f"{rng.randrange(80, 130)}-{rng.randrange(80, 130)}",
                "7-5 6-4 6-3",
                f"{rng.randrange(10, 35)}-{rng.randrange(10, 35)}-{rng.randrange(0, 9)}",
            ]
        )
    if name == "count":
        return f"{rng.randrange(100, 999)} boxes, {rng.randrange(100, 999)} bags and {rng.randrange(1000, 9999)} bottles"
    if name == "txhash":
        return "0x" + bytes(rng.randrange(256) for _ in range(32)).hex()
    if name == "sha":
        return bytes(rng.randrange(256) for _ in range(20)).hex()
    if name == "badb58":
        good = base58check(0, bytes(rng.randrange(256) for _ in range(20)))
        i = rng.randrange(5, len(good) - 1)
        return good[:i] + B58[(B58.index(good[i]) + 1) % 58] + good[i + 1 :]  # one character changed: checksum fails
    if name == "year":
        return str(rng.randrange(1990, 2027))
    if name == "n":
        return str(rng.randrange(2, 60))
    raise ValueError(name)


NEGATIVES: list[tuple[str, list[str]]] = [
    # dates and times
    ("Born {date}, proud Leo ♌ and sweet as candy.", ["date", "ad_like"]),
    ("Visiting your city {daterange} only, book early!", ["date", "ad_like"]),
    ("Posted {date} {time}. Last updated {date}.", ["date", "time"]),
    ("Available {date} from {time}, outcall to hotels only.", ["date", "time", "ad_like"]),
    ("Fecha de publicación: {date}. Válido hasta {date}.", ["date"]),
    ("Disponibil de la {date}, program {time}.", ["date", "time", "ad_like"]),
    ("Invoice date {date}, due {date}. Payment terms net 30.", ["date"]),
    ("Свободна {date}, с {time}.", ["date", "time", "ad_like"]),
    ("Shift: {time}, Monday to Saturday, starting {date}.", ["time", "date"]),
    ("Hours: {time} daily, closed on {date} for the holiday.", ["time", "date"]),
    ("DOB {date}; passport issued {date}, expires {date}.", ["date"]),
    ("Event window {daterange}, doors {time}.", ["date", "time"]),
    # prices, ranges, rates
    ("Rates: {price} incall, {price} outcall, {durations}.", ["price_range", "numeric_range", "ad_like"]),
    ("Donations {price} for {durations}, no rush 😘", ["price_range", "numeric_range", "ad_like"]),
    ("Salary {price} per month plus bonus, 40 hrs/week.", ["price_range"]),
    ("Massage menu: {durations} at {price}.", ["numeric_range", "price_range", "ad_like"]),
    ("Precio {price}, servicio de {durations}.", ["price_range", "numeric_range", "ad_like"]),
    ("Programa {durations}, preț {price}.", ["numeric_range", "price_range", "ad_like"]),
    ("Budget {price}, anything between {n}-{n} units works.", ["price_range", "numeric_range"]),
    ("Special tonight: {price} for 1 hr, {price} for 2.", ["price_range", "ad_like"]),
    ("Rent {price}, deposit {price}, available from {date}.", ["price_range", "date"]),
    # ids after cues
    ("ID {id} verified ✅ real pics, no catfish.", ["id_after_cue", "ad_like"]),
    ("Order #{id} shipped, tracking {tracking}.", ["id_after_cue", "long_digit_run"]),
    ("Ref. {id} — please quote it in all correspondence.", ["id_after_cue"]),
    ("Post {id} has been removed for violating the rules.", ["id_after_cue"]),
    ("MLS# {id}: 3 bed, 2 bath, {price}.", ["id_after_cue", "price_range"]),
    ("Invoice No. {id}, amount due {price}.", ["id_after_cue", "price_range"]),
    ("Licence no. {id}, licensed massage therapist since {year}.", ["id_after_cue", "ad_like"]),
    ("Case number {id} filed on {date}.", ["id_after_cue", "date"]),
    ("Ad #{id} — verified provider, reviews on request.", ["id_after_cue", "ad_like"]),
    ("Ticket {id} closed. Customer no. {id}.", ["id_after_cue"]),
    ("Booking reference {id}, seat 14C, gate B{n}.", ["id_after_cue"]),
    ("Permit No. {id} displayed at reception.", ["id_after_cue"]),
    ("Member ID: {id} | points: {n}", ["id_after_cue"]),
    ("Nº de pedido {id}, entregado el {date}.", ["id_after_cue", "date"]),
    ("Номер заказа {id}, доставка {date}.", ["id_after_cue", "date"]),
    # long digit runs
    ("Tracking number {tracking}, out for delivery.", ["long_digit_run"]),
    ("IMEI {imei}, unlocked, no scratches, {price}.", ["long_digit_run", "imei"]),
    ("Barcode {barcode} scanned at checkout.", ["long_digit_run", "barcode"]),
    ("Parcel {tracking} held at customs since {date}.", ["long_digit_run", "date"]),
    ("Serial {imei} / model A{n}{n}.", ["long_digit_run", "imei"]),
    ("ISBN/EAN {barcode}, paperback, 320 pages.", ["long_digit_run", "barcode"]),
    # government ids
    ("Applicants must provide SSN (e.g. {ssn}) for background check.", ["gov_id_ssn"]),
    ("SSN {ssn} was listed on the stolen form — this is a scam sample.", ["gov_id_ssn"]),
    ("SSS No. {sss}, TIN {tin}, PhilHealth pending.", ["gov_id_ph"]),
    ("Requirements: valid ID, TIN {tin}, SSS {sss}, NBI clearance.", ["gov_id_ph"]),
    ("Employee {id}: SSN on file {ssn}.", ["gov_id_ssn", "id_after_cue"]),
    # cards
    ("Test card {card} exp 12/29 cvv 123 — demo only.", ["credit_card", "date"]),
    ("Paid with card {card}, receipt attached.", ["credit_card"]),
    ("Amex {amex} declined, please retry.", ["credit_card"]),
    ("Card ending in {n}, full number {card} (test).", ["credit_card"]),
    # ip addresses, versions
    ("Server {ip} is down again, restart at {time}.", ["ip_address", "time"]),
    ("Login from IP {ip} on {date}.", ["ip_address", "date"]),
    ("Updated to {version}, the app crashes less now.", ["version_number"]),
    ("Firmware {version} build {id}.", ["version_number", "id_after_cue"]),
    ("Release notes for {version}: fixed login, faster photos.", ["version_number"]),
    # addresses
    ("Incall at {street}, parking in the back.", ["street_address", "ad_like"]),
    ("Office: {street}. Open {time}.", ["street_address", "time"]),
    ("Deliveries to {street} only.", ["street_address"]),
    ("Meet at the lobby of {street}, 2nd floor.", ["street_address", "ad_like"]),
    # body measurements, ages
    ("{meas}, {body}, natural, tattoo-free.", ["measurements", "age_height_weight", "ad_like"]),
    ("Stats: {meas} | {body} | {body}", ["measurements", "age_height_weight", "ad_like"]),
    ("Medidas {meas}, {body}, morena.", ["measurements", "age_height_weight", "ad_like"]),
    ("Sweet {n} y.o., {body}, curvy {meas}.", ["age_height_weight", "measurements", "ad_like"]),
    # platform words that are not handles
    ("ig photos are real, no filters 📸", ["platform_word", "ad_like"]),
    ("My ig is private so don't ask, pics on this site only.", ["platform_word", "ad_like"]),
    ("Don't make snap decisions, read my rules first.", ["platform_word"]),
    ("Line up for the grand opening on {date}!", ["platform_word", "date"]),
    ("No kik, no snap, no telegram, calls through the site only.", ["platform_word", "ad_like"]),
    ("The snap of the fingers and it's done.", ["platform_word"]),
    ("I'm not on insta or tiktok, sorry babe 💋", ["platform_word", "ad_like"]),
    ("Whatsapp not available, use the booking form on this page.", ["platform_word", "ad_like"]),
    ("Signal strength is bad in the basement, line drops.", ["platform_word"]),
    ("OF course I'm real 😉 verified by the site.", ["platform_word", "ad_like"]),
    ("X marks the spot on the map at the entrance.", ["platform_word"]),
    ("We never send t.me or wa.me links. Anyone who does is a scammer.", ["platform_word", "url_without_contact"]),
    ("Download Telegram from the official store, never from links in ads.", ["platform_word"]),
    ("Snapchat filters make everyone look {n}.", ["platform_word"]),
    ("Facebook Marketplace listing removed; see instagram.com for their policy.", ["platform_word", "url_without_contact"]),
    ("Follow the line to the second door on the left.", ["platform_word"]),
    ("kik back and relax, this is a no-rush session.", ["platform_word", "ad_like"]),
    ("sc = self care sunday 🛁 spa day deals.", ["platform_word"]),
    ("Insta-famous bakery opens at {time}, line up early.", ["platform_word", "time"]),
    ("Telegram from 1914 found in the attic, auction lot {n}.", ["platform_word", "id_after_cue"]),
    # e-mail-like text that is not an address
    ("Meet me at the mall dot com-plex near the fountain.", ["email_like"]),
    ("Rates at 200 dot 00, no haggling.", ["email_like", "price_range"]),
    ("See you at 9 dot thirty, don't be late.", ["email_like", "time"]),
    ("I'll be at home dot dot dot waiting 😏", ["email_like", "ad_like"]),
    ("Dinner at Luigi's, then drinks at the bar. Dot your i's when you write.", ["email_like"]),
    ("Email is not accepted, book through the website form only.", ["email_like", "ad_like"]),
    ("Found at gmail's spam folder: nothing. Check again later.", ["email_like"]),
    ("Arroba means the @ sign in Spanish, punto means dot.", ["email_like"]),
    ("user @ the front desk will help you check in.", ["email_like"]),
    # sports, counts, number words that are not phones
    ("Final score {score}, what a game!", ["sports_score"]),
    ("We won {score} and {score} this weekend.", ["sports_score"]),
    ("Inventory: {count}.", ["phone_like_count"]),
    ("Sold {n} units at {price}, {n} left in stock.", ["phone_like_count", "price_range"]),
    ("Two girls, one hour, three drinks included.", ["number_words_not_phone", "ad_like"]),
    ("Four Seasons hotel, room service and spa.", ["number_words_not_phone"]),
    ("Twenty one and fabulous, seven days a week, twenty four hours.", ["number_words_not_phone", "ad_like"]),
    ("One two three four, count the reps and rest for sixty seconds.", ["number_words_not_phone"]),
    ("Dos por uno en bebidas hasta las diez.", ["number_words_not_phone"]),
    ("Cinco estrelas, nota dez, volto sempre.", ["number_words_not_phone"]),
    ("Doi pentru unu, doar azi, de la ora opt.", ["number_words_not_phone"]),
    ("Пять звёзд, сто процентов реальные фото.", ["number_words_not_phone", "ad_like"]),
    ("Isa, dalawa, tatlo — ready na ako! Walk-in lang.", ["number_words_not_phone", "ad_like"]),
    ("Rated 5⭐ by {n} clients, 4.9/5 average.", ["rating", "ad_like"]),
    ("1 2 3 4 5 6 7 8 9 10 — I love counting sheep 🐑", ["phone_like_count"]),
    ("Room {n}, floor {n}, building {n}.", ["phone_like_count"]),
    # crypto-like strings that are not wallet addresses
    ("Transaction {txhash} confirmed in block {id}.", ["crypto_like", "id_after_cue"]),
    ("Commit {sha} fixes the upload bug.", ["crypto_like"]),
    ("Promo code {badb58} expired.", ["crypto_like"]),
    ("We do not accept crypto, cash only.", ["crypto_like", "ad_like"]),
    # ad-like texts with the same vocabulary as the positives
    ("New in town 💋 real pics, incall only, {durations}, {price}.", ["ad_like", "numeric_range", "price_range"]),
    ("Back by popular demand!! Booking through the site only, no texts.", ["ad_like"]),
    ("Sweet and discreet, hotel friendly, ask about specials at the desk.", ["ad_like"]),
    (
        "Hiring dancers 18+, {price} per night, training provided. Apply in person at {street}.",
        ["ad_like", "price_range", "street_address"],
    ),
    ("Chica nueva 💕 atiendo de {time}, {price} la hora.", ["ad_like", "time", "price_range"]),
    ("Garota nova, atendo em hotel, {price} meia hora.", ["ad_like", "price_range"]),
    ("Bagong dating, {body}, sa Makati, {price} per hour.", ["ad_like", "age_height_weight", "price_range"]),
    ("Новенькая, {body}, {price} час.", ["ad_like", "age_height_weight", "price_range"]),
    ("GFE, no rush, 100% real, reviews on the board, {n} years experience.", ["ad_like"]),
    ("Contact details removed by moderator.", ["ad_like"]),
    ("[phone number hidden] — log in to see contact details.", ["ad_like"]),
    ("Text me? Can't, phone broke lol. Will post new number later.", ["ad_like"]),
    ("Call me maybe 🎶 just kidding, book on the site.", ["ad_like"]),
    ("Number in the pics ☝️", ["ad_like"]),
    ("Visiting {daterange}, {meas}, {body}, {price}.", ["ad_like", "date", "measurements", "age_height_weight", "price_range"]),
]


# ---------------------------------------------------------------------------------------------------------
# Assembly
# ---------------------------------------------------------------------------------------------------------
def to_record(parts: list[Part], tags: list[str]) -> dict[str, object]:
    text, spans = "", []
    for p in parts:
        if isinstance(p, tuple):
            etype, value = p
            spans.append({"entity_type": etype, "entity_value": value, "start_position": len(text), "end_position": len(text) + len(value)})
            text += value
        else:
            text += p
    uniq: list[str] = []
    for t in tags:
        if t not in uniq:
            uniq.append(t)
    return {"full_text": text, "spans": spans, "tags": sorted(uniq)}


def secondary(rng: random.Random) -> tuple[list[Part], list[str]]:
    kind = rng.choice(["phone", "phone", "phone", "email", "handle", "handle", "msg", "crypto"])
    if kind == "phone":
        return contact(rng, kind, rng.choice(list(PHONE_CATEGORIES)))
    if kind == "email":
        return contact(rng, kind, rng.choice(EMAIL_STYLES))
    if kind == "crypto":
        return contact(rng, kind, rng.choice(list(CRYPTO_COUNTS)))
    return contact(rng, kind, "")


def positive(rng: random.Random, kind: str, cat: str) -> dict[str, object]:
    body = rng.choice(BODIES)
    before, after = body.split("{C}")
    parts, tags = contact(rng, kind, cat)
    k = rng.random()
    n_extra = 2 if k < 0.12 else 1 if k < 0.45 else 0
    for _ in range(n_extra):
        p2, t2 = secondary(rng)
        parts += [rng.choice(CONNECTORS)] + p2
        tags += t2
    if n_extra:
        tags.append("multi_contact")
    if any(c.isdigit() for c in before + after):
        tags.append("with_distractors")
    return to_record([before] + parts + [after], tags)


def negative(rng: random.Random, templates: list[tuple[str, list[str]]]) -> dict[str, object]:
    chosen = [rng.choice(templates)]
    if rng.random() < 0.35:
        chosen.append(rng.choice(templates))
    texts, tags = [], ["negative"]
    for tpl, t in chosen:
        out = tpl
        while "{" in out:
            i = out.index("{")
            j = out.index("}", i)
            out = out[:i] + slot(rng, out[i + 1 : j]) + out[j + 1 :]
        texts.append(out)
        tags += t
    return to_record([rng.choice([" ", "\n", " ", "\n\n"]).join(texts)], tags)


def build() -> list[dict[str, object]]:
    rng = random.Random(SEED)
    records: list[dict[str, object]] = []
    plan: list[tuple[str, str]] = []
    plan += [("phone", c) for c, n in PHONE_CATEGORIES.items() for _ in range(n)]
    plan += [("email", c) for c, n in EMAIL_COUNTS.items() for _ in range(n)]
    plan += [("crypto", c) for c, n in CRYPTO_COUNTS.items() for _ in range(n)]
    plan += [("handle", "")] * N_HANDLE + [("msg", "")] * N_MSG
    seen: set[str] = set()
    for kind, cat in plan:
        while True:
            rec = positive(rng, kind, cat)
            if rec["full_text"] not in seen:
                break
        seen.add(str(rec["full_text"]))
        records.append(rec)
    n_neg = round(len(records) * 0.72)  # about 42% of all records have no contact detail
    while n_neg:
        rec = negative(rng, NEGATIVES)
        if rec["full_text"] in seen:
            continue
        seen.add(str(rec["full_text"]))
        records.append(rec)
        n_neg -= 1
    return records


def split_of(text: str) -> str:
    """dev if sha256(full_text) is divisible by 3 (about one third), test otherwise."""
    return "dev" if int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16) % 3 == 0 else "test"


def main() -> int:
    records = sorted(build(), key=lambda r: hashlib.sha256(str(r["full_text"]).encode("utf-8")).hexdigest())
    for name in ("dev", "test"):
        lines = [json.dumps(r, ensure_ascii=False) for r in records if split_of(str(r["full_text"])) == name]
        (HERE / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{name}.jsonl: {len(lines)} records")
    return 0


if __name__ == "__main__":
    sys.exit(main())
