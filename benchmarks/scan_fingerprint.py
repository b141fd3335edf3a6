"""Fingerprints of the scanner's findings on frozen text sets: proof that a speed-up changes no finding.

For each set it prints the number of texts and findings and a sha256 of every finding's (entity, start, end,
score), text by text, once with the default entity set of an audit's ``privacy:`` section and once with the
self-scan's (``ARTIFACT_ENTITIES``). Two versions of the scanner are exact to each other when every line
matches. The sets: the generator's ads (seed 101, bench_pii's), the bench ads (seed 1, bench_privacy_stage's),
presidio-research synth_dataset_v2, the obfuscated-contact dev and held-out test sets, the visible text of the
example reports, and seeded fuzzed fragments built from the string literals of tests/privacy (as they were at
9aa0ed6, frozen in data/scan_fragments.json; mixed, cut and perturbed, so odd corners of every recognizer are read too).

    python benchmarks/scan_fingerprint.py [--only NAME ...] > out.txt
    # another version of the code, e.g. main:
    git archive main src | tar -x -C /tmp/main_src && PYTHONPATH=/tmp/main_src/src python benchmarks/scan_fingerprint.py

Scores are hashed as ``repr`` of the float, so any change in the last bit shows.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
FUZZ_SEED, FUZZ_COUNT = 17, 20_000
#: Pieces the fuzzer splices between fragments and into them: separators, disguises, digits of other scripts.
_SPLICES = (
    " ", "  ", "\n", "\t", ".", ",", ":", "-", "/", "@", "#", "(", ")", "[", "]", " at ", " dot ", "(dot)", "[.]",
    "\u200b", "\u00ad", "\ufe0f", "\u20e3", "٣", "७", "５", "①", "+1", "0", "9", "00", "snap", "IG", "wa.me/", "t.me/",
    "call ", "text me ", "whatsapp ", "http://", "www.", ".com", "@gmail.com", "bc1", "0x", "DE", "555", "x", "_", "👻",
)  # fmt: skip


def generator_ads() -> list[str]:
    from ethicscheck.synth import generate_ads

    return list(generate_ads(3000, seed=101)["text"])


def bench_ads() -> list[str]:
    from ethicscheck.synth import generate_ads

    return list(generate_ads(20_000, seed=1, id_prefix="eval")["text"])


def presidio_research() -> list[str]:
    return [record["full_text"] for record in json.loads((DATA / "presidio_research" / "synth_dataset_v2.json").read_text())]


def contacts(split: str) -> Callable[[], list[str]]:
    def load() -> list[str]:
        lines = (DATA / "obfuscated_contacts" / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()
        return [json.loads(line)["full_text"] for line in lines if line.strip()]

    return load


def example_reports() -> list[str]:
    from ethicscheck.privacy._artifacts import visible_text

    files = sorted(p for p in (ROOT / "reports").rglob("*") if p.is_file() and p.suffix.lower() != ".pdf")
    return [visible_text(p.suffix.lower(), p.read_text(encoding="utf-8", errors="replace")) for p in files]


def test_literals() -> list[str]:
    """The string literals of tests/privacy at 9aa0ed6 (4 characters or more, sorted), frozen in data/scan_fragments.json:
    read from the tests themselves, the set would change whenever a test does."""
    literals: list[str] = json.loads((DATA / "scan_fragments.json").read_text(encoding="utf-8"))
    return literals


def fuzzed() -> list[str]:
    """The test literals themselves, then seeded mixes: two to four of them joined, cut and perturbed."""
    literals = test_literals()
    rng = random.Random(FUZZ_SEED)
    texts = list(literals)
    for _ in range(FUZZ_COUNT):
        parts = [rng.choice(literals) for _ in range(rng.randint(1, 4))]
        text = "".join(p + rng.choice(_SPLICES) for p in parts)
        for _ in range(rng.randint(0, 3)):
            i = rng.randrange(len(text) + 1)
            action = rng.random()
            if action < 0.4:
                text = text[:i] + rng.choice(_SPLICES) + text[i:]
            elif action < 0.7:
                text = text[:i] + text[i + rng.randint(1, 3) :]
            elif action < 0.85:
                text = text[:i] + text[i:].swapcase()
            else:
                j = rng.randrange(len(text) + 1)
                text = text[: min(i, j)] + text[max(i, j) :] if abs(i - j) < len(text) // 2 else text[i:] + text[:i]
        texts.append(text[:2000])
    return texts


SETS: dict[str, Callable[[], list[str]]] = {
    "generator seed 101 (3,000)": generator_ads,
    "bench ads seed 1 (20,000)": bench_ads,
    "presidio-research synth_dataset_v2": presidio_research,
    "obfuscated contacts dev": contacts("dev"),
    "obfuscated contacts test": contacts("test"),
    "example reports' visible text": example_reports,
    "fuzzed test fragments": fuzzed,
}


def fingerprint(analyze: Callable[[str], list[object]], texts: list[str]) -> tuple[int, str]:
    """(findings, sha256 of every text's findings in order: index, entity, start, end, repr(score))."""
    digest = hashlib.sha256()
    count = 0
    for i, text in enumerate(texts):
        for r in analyze(text):
            count += 1
            digest.update(f"{i}\t{r.entity_type}\t{r.start}\t{r.end}\t{r.score!r}\n".encode())  # type: ignore[attr-defined]
    return count, digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--only", nargs="*", help="set names (or parts of them) to run; default all")
    args = parser.parse_args()

    from ethicscheck._vocabulary import ARTIFACT_ENTITIES
    from ethicscheck.config import PrivacyConfig
    from ethicscheck.privacy import Scanner, ScanOptions

    options = ScanOptions.from_settings(PrivacyConfig())
    scanners = {
        "default": Scanner(options.entities, phone_regions=options.phone_regions, score_threshold=options.score_threshold),
        "self-scan": Scanner(ARTIFACT_ENTITIES, phone_regions=options.phone_regions),
    }
    import ethicscheck

    print(f"# scan fingerprints (ethicscheck from {Path(ethicscheck.__file__).parent})", file=sys.stderr)
    print("| texts | count | findings (default) | sha256 (default) | findings (self-scan) | sha256 (self-scan) |")
    print("|---|---:|---:|---|---:|---|")
    for name, load in SETS.items():
        if args.only and not any(part in name for part in args.only):
            continue
        texts = load()
        start = time.process_time()
        cells = []
        for scanner in scanners.values():
            count, digest = fingerprint(scanner.analyze, texts)
            cells += [f"{count:,}", digest[:16]]
        print(f"| {name} | {len(texts):,} | {' | '.join(cells)} |", flush=True)
        print(f"  {name}: {time.process_time() - start:.1f} CPU s", file=sys.stderr)


if __name__ == "__main__":
    main()
