"""Check the obfuscated-contact set: record shape, span offsets, overlaps, split rule and counts.

Run from the repository root:  python benchmarks/data/obfuscated_contacts/check.py [--markdown]
Exit code 0 when every check passes, 1 otherwise (each problem is printed as file:line: message).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = ("dev.jsonl", "test.jsonl")
TYPES = ("PHONE_NUMBER", "EMAIL_ADDRESS", "SOCIAL_HANDLE", "MESSENGER_LINK", "CRYPTO")
SPAN_KEYS = ["entity_type", "entity_value", "start_position", "end_position"]
MIN_RECORDS, MIN_NEGATIVE_SHARE = 600, 0.40


def split_of(text: str) -> str:
    return "dev" if int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16) % 3 == 0 else "test"


def check_record(rec: object, where: str, problems: list[str]) -> None:
    if not isinstance(rec, dict) or list(rec) != ["full_text", "spans", "tags"]:
        problems.append(f"{where}: keys must be exactly full_text, spans, tags")
        return
    text, spans, tags = rec["full_text"], rec["spans"], rec["tags"]
    if not isinstance(text, str) or not text.strip():
        problems.append(f"{where}: full_text must be a non-empty string")
        return
    if not isinstance(tags, list) or not tags or not all(isinstance(t, str) and t for t in tags) or tags != sorted(set(tags)):
        problems.append(f"{where}: tags must be a non-empty sorted list of distinct strings")
        return
    if not isinstance(spans, list):
        problems.append(f"{where}: spans must be a list")
        return
    negative = "negative" in tags
    if negative == bool(spans):
        problems.append(f"{where}: a record is tagged 'negative' exactly when it has no span")
    previous_end = 0
    for k, span in enumerate(spans):
        at = f"{where}: span {k}"
        if not isinstance(span, dict) or list(span) != SPAN_KEYS:
            problems.append(f"{at}: keys must be exactly {', '.join(SPAN_KEYS)}")
            continue
        etype, value, start, end = (span[key] for key in SPAN_KEYS)
        if etype not in TYPES:
            problems.append(f"{at}: unknown entity_type {etype!r}")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            problems.append(f"{at}: offsets {start!r}..{end!r} outside 0..{len(text)}")
            continue
        if text[start:end] != value:
            problems.append(f"{at}: full_text[{start}:{end}] is {text[start:end]!r}, entity_value is {value!r}")
        if value != value.strip():
            problems.append(f"{at}: entity_value starts or ends with whitespace")
        if start < previous_end:
            problems.append(f"{at}: overlaps or precedes the previous span (spans must be sorted and disjoint)")
        previous_end = end


def main(argv: list[str]) -> int:
    problems: list[str] = []
    texts: dict[str, str] = {}
    stats: dict[str, dict[str, Counter[str]]] = {}
    for name in FILES:
        path = HERE / name
        raw = path.read_bytes()
        content = raw.decode("utf-8")
        if not content.endswith("\n") or "\r" in content:
            problems.append(f"{name}: must use \\n line endings and end with a newline")
        lines = content.split("\n")[:-1]
        if len(content.splitlines()) != len(lines):
            problems.append(f"{name}: a record contains a character that str.splitlines() treats as a line break")
        records, spans_by_type, records_by_tag, spans_by_tag = Counter[str](), Counter[str](), Counter[str](), Counter[str]()
        for i, line in enumerate(lines, start=1):
            where = f"{name}:{i}"
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"{where}: not JSON ({exc.msg})")
                continue
            before = len(problems)
            check_record(rec, where, problems)
            if len(problems) != before:
                continue
            text = rec["full_text"]
            if text in texts:
                problems.append(f"{where}: duplicate full_text (also in {texts[text]})")
            texts[text] = where
            if split_of(text) != name.split(".")[0]:
                problems.append(f"{where}: belongs to {split_of(text)}.jsonl by the split rule")
            records["records"] += 1
            records["negative" if not rec["spans"] else "positive"] += 1
            records["spans"] += len(rec["spans"])
            for span in rec["spans"]:
                spans_by_type[span["entity_type"]] += 1
            for tag in rec["tags"]:
                records_by_tag[tag] += 1
                spans_by_tag[tag] += len(rec["spans"])
        stats[name] = {"records": records, "types": spans_by_type, "tags": records_by_tag, "tag_spans": spans_by_tag}
        print(f"{name}: sha256 {hashlib.sha256(raw).hexdigest()}")
    total = sum(s["records"]["records"] for s in stats.values())
    negatives = sum(s["records"]["negative"] for s in stats.values())
    if total < MIN_RECORDS:
        problems.append(f"only {total} records (at least {MIN_RECORDS} required)")
    if total and negatives / total < MIN_NEGATIVE_SHARE:
        problems.append(f"only {negatives / total:.1%} of records have no contact detail (at least {MIN_NEGATIVE_SHARE:.0%} required)")
    print(f"total: {total} records, {negatives} without any contact detail ({negatives / max(total, 1):.1%})")
    report(stats, markdown="--markdown" in argv)
    for p in problems:
        print(p, file=sys.stderr)
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 0 if not problems else 1


def report(stats: dict[str, dict[str, Counter[str]]], *, markdown: bool) -> None:
    dev, test = (stats[f] for f in FILES)
    rows = [
        ("records", dev["records"]["records"], test["records"]["records"]),
        ("records with contact details", dev["records"]["positive"], test["records"]["positive"]),
    ]
    rows += [
        ("records without contact details", dev["records"]["negative"], test["records"]["negative"]),
        ("spans", dev["records"]["spans"], test["records"]["spans"]),
    ]
    rows += [(f"spans {t}", dev["types"][t], test["types"][t]) for t in TYPES]
    tags = sorted(set(dev["tags"]) | set(test["tags"]))
    if markdown:
        print("\n| count | dev | test |\n|---|---|---|")
        for label, a, b in rows:
            print(f"| {label} | {a} | {b} |")
        print("\n| tag | dev records | dev spans | test records | test spans |\n|---|---|---|---|---|")
        for tag in tags:
            print(f"| `{tag}` | {dev['tags'][tag]} | {dev['tag_spans'][tag]} | {test['tags'][tag]} | {test['tag_spans'][tag]} |")
        return
    for label, a, b in rows:
        print(f"{label:34s} dev {a:5d}  test {b:5d}")
    for tag in tags:
        print(
            f"tag {tag:30s} dev {dev['tags'][tag]:4d} rec {dev['tag_spans'][tag]:4d} spans   test {test['tags'][tag]:4d} rec "
            f"{test['tag_spans'][tag]:4d} spans"
        )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
