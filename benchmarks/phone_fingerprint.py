"""Fingerprints of the phone recognizer's findings alone: proof that a change to it changes no finding.

scan_fingerprint.py reads whole scans; this reads the phone recognizer by itself (default regions; on the
phone-like strings also a second instance with 40 regions: the defaults, regions sharing a calling code,
regions whose national prefix is transformed, others), on texts made to reach its corners: seeded
phone-like strings (digit groups in many layouts; every region's example numbers written nationally,
internationally, after other regions' international prefixes, with a digit changed, dropped or added, so
most are invalid; digits spelled as words in five languages, glued, doubled; disguises: look-alike letters,
emoji and zero-width characters between digits, other scripts' digits, circled digits; phone cues and
labels around short numbers; units, prices, dates, ISBNs, card and order numbers), the bench ads and the
frozen sets of scan_fingerprint.py, each read raw and as the scanner's clean view.

    python benchmarks/phone_fingerprint.py > after.txt
    git archive main src | tar -x -C /tmp/main_src && PYTHONPATH=/tmp/main_src/src python benchmarks/phone_fingerprint.py > before.txt
    diff before.txt after.txt
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
sys.path.insert(0, str(Path(__file__).resolve().parent))

SEED, COUNT = 7, 40_000
#: The second recognizer's regions: the defaults and regions whose metadata reads differently.
MORE_REGIONS = (
    "US", "GB", "DE", "FR", "IN", "PH", "NG", "RO", "MX", "ES", "BR", "RU", "TH", "CA", "AG", "JM", "GG", "IM", "JE", "KZ",
    "AR", "JP", "SM", "IT", "VA", "NF", "AU", "CC", "CX", "MG", "GA", "CN", "ID", "VN", "PK", "ZA", "KE", "TR", "PL", "UA",
)  # fmt: skip
_WORDS = {
    "en": "zero one two three four five six seven eight nine",
    "es": "cero uno dos tres cuatro cinco seis siete ocho nueve",
    "pt": "zero um dois três quatro cinco seis sete oito nove",
    "fr": "zéro un deux trois quatre cinq six sept huit neuf",
    "ro": "zero unu doi trei patru cinci șase șapte opt nouă",
}
_TENS = {
    "en": "twenty thirty forty fifty sixty seventy eighty ninety",
    "es": "veinte treinta cuarenta cincuenta sesenta setenta ochenta noventa",
}
_SEPARATORS = (" ", "-", ".", "  ", " - ", "/", "\u200b", "\u00ad", "💋", "🔥", " * ", "_", "|", "\n", "·", "–", ",")
_LOOKALIKE = {"0": "Oo", "1": "lI", "5": "S", "8": "B", "2": "Z", "9": "g"}
_SCRIPTS = ("٠١٢٣٤٥٦٧٨٩", "०१२३४५६७८९", "０１２３４５６７８９", "๐๑๒๓๔๕๖๗๘๙", "⓪①②③④⑤⑥⑦⑧⑨")
_CUES = (
    "Phone: ", "call me on ", "Call ", "text ", "WhatsApp ", "Tel. ", "mob ", "contact ", "Desk: ", "", "", "", "my number is ", "txt ",
)  # fmt: skip
_LABELS = ("", "", "", " office", " (fax)", " mobile", " home", " cell")
_AROUND = (
    "Salary $", "€", "price ", "ISBN 978-", "order #", "invoice ", "card ", "on 2024-", "at 10:", "ref ", "tracking ", "", "", "",
    "room ", "size ", "kg ", "lot ", "zip ", "18.50 and ", "4,000 ", "0x",
)  # fmt: skip


def _digits(rng: random.Random, low: int, high: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(rng.randint(low, high)))


def _grouped(rng: random.Random, digits: str) -> str:
    """``digits`` cut into groups of 1-4 with one separator style (sometimes mixed, sometimes bracketed)."""
    sep = rng.choice(_SEPARATORS)
    parts, i = [], 0
    while i < len(digits):
        size = rng.randint(1, 4)
        parts.append(digits[i : i + size])
        i += size
    if len(parts) > 1 and rng.random() < 0.2:
        parts[0] = f"({parts[0]})"
    return "".join(p + (sep if rng.random() < 0.85 else rng.choice(_SEPARATORS)) for p in parts[:-1]) + parts[-1]


def _spelled(rng: random.Random, digits: str) -> str:
    language = rng.choice(list(_WORDS))
    words = _WORDS[language].split()
    out, i = [], 0
    while i < len(digits):
        d = digits[i]
        roll = rng.random()
        if roll < 0.3:
            out.append(d)
        elif roll < 0.36 and i + 1 < len(digits) and digits[i + 1] == d:
            out.append(rng.choice(("double ", "triple ", "doble ")) + words[int(d)])
            i += 1
        elif roll < 0.45 and language in _TENS and d not in "01" and i + 1 < len(digits):
            tens = _TENS[language].split()[int(d) - 2]
            joiner = rng.choice(("", "-", " ", " y ")) if digits[i + 1] != "0" else ""
            out.append(tens + (joiner + words[int(digits[i + 1])] if digits[i + 1] != "0" else ""))
            i += 1
        elif roll < 0.5 and d == "0":
            out.append("oh")
        else:
            word = words[int(d)]
            out.append(word.upper() if rng.random() < 0.1 else word)
        i += 1
    glue = rng.choice((" ", "", "-", " ", ", "))
    return glue.join(out)


def _disguised(rng: random.Random, digits: str) -> str:
    roll = rng.random()
    if roll < 0.3:
        return "".join(rng.choice(_LOOKALIKE[d]) if d in _LOOKALIKE and rng.random() < 0.3 else d for d in digits)
    if roll < 0.6:
        script = rng.choice(_SCRIPTS)
        return "".join(script[int(d)] if rng.random() < 0.7 else d for d in digits)
    return rng.choice(("", "\u200b", "\u2060", "\ufe0f")).join(digits)


def _region_numbers(rng: random.Random) -> list[str]:
    """Every region's example numbers, written as ads write them, most made invalid by one change."""
    import phonenumbers
    from phonenumbers import PhoneNumberFormat, PhoneNumberType, phonenumberutil

    kinds = (PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.TOLL_FREE, PhoneNumberType.VOIP)
    prefixes = ("011", "00", "810", "0011", "+", "+", "")
    out = []
    for region in sorted(phonenumberutil.SUPPORTED_REGIONS):
        for kind in kinds:
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            nsn, code = phonenumberutil.national_significant_number(example), str(example.country_code)
            forms = [
                phonenumbers.format_number(example, PhoneNumberFormat.NATIONAL),
                phonenumbers.format_number(example, PhoneNumberFormat.INTERNATIONAL),
                nsn,
                code + nsn,
                rng.choice(prefixes) + code + " " + nsn,
            ]
            for form in forms:
                out.append(form)
                chars = list(form)
                positions = [i for i, ch in enumerate(chars) if ch.isdigit()]
                if positions:
                    i = rng.choice(positions)
                    change = rng.random()
                    if change < 0.5:
                        chars[i] = str(rng.randrange(10))
                    elif change < 0.75:
                        del chars[i]
                    else:
                        chars.insert(i, str(rng.randrange(10)))
                    out.append("".join(chars))
    return out


def phone_like() -> list[str]:
    """Seeded phone-like texts (see the module docstring)."""
    rng = random.Random(SEED)
    texts = _region_numbers(rng)
    for _ in range(COUNT):
        digits = _digits(rng, 5, 17)
        if rng.random() < 0.4:
            codes = ("1", "44", "49", "33", "91", "63", "234", "40", "52", "34", "55", "7", "66", "0", "8", "011")
            digits = rng.choice(codes) + digits[:12]
        form = rng.random()
        if form < 0.45:
            body = _grouped(rng, digits)
        elif form < 0.7:
            body = _spelled(rng, digits)
        elif form < 0.85:
            body = _grouped(rng, _disguised(rng, digits)) if rng.random() < 0.3 else _disguised(rng, digits)
        else:
            body = digits
        if rng.random() < 0.25:
            body = rng.choice(("+", "+ ", "plus ", "00", "más ")) + body
        if rng.random() < 0.1:
            body += rng.choice((" x", " ext. ", " ext", "x")) + _digits(rng, 1, 6)
        text = rng.choice(_AROUND) + rng.choice(_CUES) + body + rng.choice(_LABELS)
        if rng.random() < 0.2:
            text += rng.choice((" or ", "\n", " / ", " and ")) + _grouped(rng, _digits(rng, 3, 12))
        texts.append(text)
    return texts


def _scan_sets() -> dict[str, Callable[[], list[str]]]:
    import scan_fingerprint

    return {name: load for name, load in scan_fingerprint.SETS.items() if "reports" not in name}


def fingerprint(analyze: Callable[[str], list[object]], texts: list[str]) -> tuple[int, str]:
    """(findings, sha256 of every text's findings in order: index, start, end, repr(score))."""
    digest = hashlib.sha256()
    count = 0
    for i, text in enumerate(texts):
        for r in analyze(text):
            count += 1
            digest.update(f"{i}\t{r.start}\t{r.end}\t{r.score!r}\n".encode())  # type: ignore[attr-defined]
    return count, digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--only", nargs="*", help="set names (or parts of them) to run; default all")
    args = parser.parse_args()

    import ethicscheck
    from ethicscheck.privacy._normalize import clean_view
    from ethicscheck.privacy.recognizers.obfuscated_phone import ObfuscatedPhoneRecognizer

    recognizers = {
        "default regions": ObfuscatedPhoneRecognizer(),
        "40 regions": ObfuscatedPhoneRecognizer(list(MORE_REGIONS)),
    }
    sets = {"phone-like strings": phone_like, **_scan_sets()}
    print(f"# phone fingerprints (ethicscheck from {Path(ethicscheck.__file__).parent})", file=sys.stderr)
    print("| texts | count | read as | findings (default regions) | sha256 | findings (40 regions) | sha256 |")
    print("|---|---:|---|---:|---|---:|---|")
    for name, load in sets.items():
        if args.only and not any(part in name for part in args.only):
            continue
        texts = load()
        start = time.process_time()
        for view, read in (("raw", texts), ("clean view", [clean_view(t).text for t in texts])):
            cells = []
            for regions, recognizer in recognizers.items():
                if regions != "default regions" and name != "phone-like strings":
                    cells += ["", ""]
                    continue
                count, digest = fingerprint(lambda text, r=recognizer: r.analyze(text, ["PHONE_NUMBER"]), read)  # type: ignore[misc]
                cells += [f"{count:,}", digest[:16]]
            print(f"| {name} | {len(texts):,} | {view} | {' | '.join(cells)} |", flush=True)
        print(f"  {name}: {time.process_time() - start:.1f} CPU s", file=sys.stderr)


if __name__ == "__main__":
    main()
