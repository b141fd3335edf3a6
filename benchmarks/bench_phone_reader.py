"""The phone recognizer of another version beside this one, interleaved in one process on the same bench ads.

On a shared machine CPU per ad drifts with the load; two versions taking turns on blocks of 50 ads see the same
load. The other version is a source tree (``git archive REV src | tar -x -C DIR``), imported as a copy of its
``ethicscheck`` package renamed ``ethicscheck_before``. Both recognizers first read 1,000 other ads (the digit
reader remembers the chunks it has read, as it does over a long scan), then each reads the same ads twice.
With ``--scanner`` the whole scan is compared the same way (default entity set). CPU is shown for the first
reading (ads never read before: new numbers and chunks, as in an audit, which reads each ad once), the second
(everything remembered) and both. The phone recognizer is read as the scanner calls it: its prefilter on the
clean view, then the recognizer when the prefilter finds something.

With ``--numbers`` the phone recognizer's question to phonenumbers is timed instead: a digit string never
asked before (valid in the US, the first region; valid in another default region; valid in none). With
``--sets`` the phone recognizer reads scan_fingerprint.py's frozen sets instead of bench ads (first 200 texts of
each as the warm-up; the loaded sets are frozen out of the garbage collector first, as an audit freezes its
data: else a full collection over them lands in one version's block).

    git archive 9aa0ed6 src | tar -x -C /tmp/before
    python benchmarks/bench_phone_reader.py --before /tmp/before [--ads 1500] [--scanner | --numbers | --sets]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _common import machine

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
_IMPORT = re.compile(r"\bethicscheck(?=[.\s])")


def interleaved_cpu(
    versions: dict[str, Callable[[str], object]], warm: list[str], texts: list[str], *, rounds: int
) -> dict[tuple[str, int], float]:
    """CPU seconds each version spends reading ``texts`` in each round, after each has read ``warm``.

    The versions take turns on blocks of 50 texts, the order flipping every block and every round, so a
    noisy minute lands on both.
    """
    for read in versions.values():
        for text in warm:
            read(text)
    cpu = {(name, round_): 0.0 for name in versions for round_ in range(rounds)}
    for round_ in range(rounds):
        for first in range(0, len(texts), 50):
            order = list(versions.items())
            for name, read in order if (first // 50 + round_) % 2 == 0 else order[::-1]:
                start = time.process_time()
                for text in texts[first : first + 50]:
                    read(text)
                cpu[(name, round_)] += time.process_time() - start
    return cpu


def renamed_copy(before: Path, folder: Path) -> None:
    """``before``/src/ethicscheck copied to ``folder``/ethicscheck_before, its own imports renamed."""
    target = folder / "ethicscheck_before"
    shutil.copytree(before / "src" / "ethicscheck", target)
    for path in target.rglob("*.py"):
        path.write_text(_IMPORT.sub("ethicscheck_before", path.read_text(encoding="utf-8")), encoding="utf-8")


def readers(package: str, scanner: bool) -> Any:
    """A function reading one ad with ``package``'s phone recognizer (or whole scanner)."""
    import importlib

    privacy = importlib.import_module(f"{package}.privacy")
    if scanner:
        config = importlib.import_module(f"{package}.config")
        options = privacy.ScanOptions.from_settings(config.PrivacyConfig())
        undetectable = privacy.undetectable_entities(options.entities)
        built = privacy.Scanner([e for e in options.entities if e not in undetectable], phone_regions=options.phone_regions)
        return built.analyze
    normalize = importlib.import_module(f"{package}.privacy._normalize")
    module = importlib.import_module(f"{package}.privacy.recognizers.obfuscated_phone")
    phone, prefilter = module.ObfuscatedPhoneRecognizer(), module.PREFILTER

    def read(text: str) -> Any:
        clean = normalize.clean_view(text).text
        return phone.analyze(clean, ["PHONE_NUMBER"]) if prefilter.search(clean) else []

    return read


def numbers(package: str) -> Any:
    """The uncached question the phone recognizer asks about a digit string (default regions, valid)."""
    import importlib

    module = importlib.import_module(f"{package}.privacy.recognizers.obfuscated_phone")
    regions = tuple(module.DEFAULT_PHONE_REGIONS)
    ask = module._valid_number.__wrapped__
    return lambda digits: ask(digits, False, False, regions)


def digit_strings(count: int) -> dict[str, list[str]]:
    """Seeded 9-13 digit strings: valid in the US; valid in another default region only; valid in none."""
    import random

    import phonenumbers

    from ethicscheck._vocabulary import DEFAULT_PHONE_REGIONS

    def accepted(digits: str, region: str) -> bool:
        try:
            return bool(phonenumbers.is_valid_number(phonenumbers.parse(digits, region)))
        except phonenumbers.NumberParseException:
            return False

    rng = random.Random(5)
    found: dict[str, list[str]] = {"valid in the US": [], "valid in another region": [], "valid in none": []}
    while min(map(len, found.values())) < count:
        digits = "".join(rng.choice("0123456789") for _ in range(rng.choice((10, 10, 9, 11, 12, 13))))
        if digits.startswith("00"):
            continue
        kind = "valid in the US" if accepted(digits, "US") else "valid in another region"
        if kind != "valid in the US" and not any(accepted(digits, r) for r in DEFAULT_PHONE_REGIONS):
            kind = "valid in none"
        if len(found[kind]) < count:
            found[kind].append(digits)
    return found


def compare_numbers(versions: dict[str, Any], count: int) -> None:
    """CPU per digit string, each version asked the same new strings, three rounds taking turns."""
    cpu: dict[tuple[str, str], list[float]] = {}
    for kind, strings in digit_strings(count).items():
        for round_ in range(3):
            for name, ask in versions.items() if round_ % 2 == 0 else reversed(versions.items()):
                start = time.process_time()
                for digits in strings:
                    ask(digits)
                cpu.setdefault((kind, name), []).append((time.process_time() - start) / len(strings))
    print(f"{machine()}\n\n| a digit string never asked before | before | this | speed-up |\n|---|---:|---:|---:|")
    for kind in ("valid in the US", "valid in another region", "valid in none"):
        before, this = min(cpu[(kind, "before")]), min(cpu[(kind, "this")])
        print(f"| {kind} | {1e6 * before:.1f} us | {1e6 * this:.1f} us | {before / this:.2f}x |")
    print(f"\n(best of 3 rounds of {count} strings each), load average {os.getloadavg()[0]:.1f}")


def compare_sets(before: Path) -> None:
    """CPU per text of both phone recognizers on each frozen set of scan_fingerprint.py, first and second reading."""
    import gc

    import scan_fingerprint

    names = ("obfuscated contacts test", "obfuscated contacts dev", "fuzzed test fragments", "presidio-research synth_dataset_v2")
    sets = {name: scan_fingerprint.SETS[name]() for name in (*names, "generator seed 101 (3,000)")}
    gc.collect()
    gc.freeze()
    print(f"{machine()}\n\n| set | texts | first reading, before | this | speed-up | second reading, before | this | speed-up |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as scratch:
        renamed_copy(before, Path(scratch))
        sys.path.insert(0, scratch)
        versions = {"before": readers("ethicscheck_before", False), "this": readers("ethicscheck", False)}
        for name, texts in sets.items():
            cpu = interleaved_cpu(versions, texts[:200], texts, rounds=2)
            cells = []
            for round_ in range(2):
                was, now = cpu[("before", round_)], cpu[("this", round_)]
                cells += [f"{1e6 * was / len(texts):.1f} us", f"{1e6 * now / len(texts):.1f} us", f"{was / now:.2f}x"]
            print(f"| {name} | {len(texts):,} | {' | '.join(cells)} |")
    print(f"\nload average {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="folder holding the other version's src/ethicscheck")
    parser.add_argument("--ads", type=int, default=1500)
    parser.add_argument("--scanner", action="store_true", help="compare the whole scanner, not only the phone recognizer")
    parser.add_argument("--numbers", action="store_true", help="compare the uncached phonenumbers question per digit string")
    parser.add_argument("--sets", action="store_true", help="the phone recognizer on scan_fingerprint.py's frozen sets")
    args = parser.parse_args()
    if args.sets:
        compare_sets(args.before.resolve())
        return
    if args.numbers:
        with tempfile.TemporaryDirectory() as scratch:
            renamed_copy(args.before.resolve(), Path(scratch))
            sys.path.insert(0, scratch)
            compare_numbers({"before": numbers("ethicscheck_before"), "this": numbers("ethicscheck")}, 400)
        return
    from ethicscheck.synth import generate_ads

    ads = list(generate_ads(3000 + args.ads, seed=1, id_prefix="eval")["text"])
    warm, texts = ads[:1000], ads[3000:]
    with tempfile.TemporaryDirectory() as scratch:
        renamed_copy(args.before.resolve(), Path(scratch))
        sys.path.insert(0, scratch)
        versions = {"before": readers("ethicscheck_before", args.scanner), "this": readers("ethicscheck", args.scanner)}
        cpu = interleaved_cpu(versions, warm, texts, rounds=2)
    what = "whole scan" if args.scanner else "phone recognizer"
    print(f"{machine()}\n\n| {what}, CPU per ad | first reading | second reading | both |\n|---|---:|---:|---:|")
    for name in versions:
        first_reading, second_reading = cpu[(name, 0)], cpu[(name, 1)]
        cells = [f"{1e6 * seconds / len(texts):.1f} us" for seconds in (first_reading, second_reading)]
        print(f"| {name} | {' | '.join(cells)} | {1e6 * (first_reading + second_reading) / (2 * len(texts)):.1f} us |")
    ratios = [cpu[("before", r)] / cpu[("this", r)] for r in range(2)]
    print(f"\nspeed-up: first reading {ratios[0]:.2f}x, second {ratios[1]:.2f}x; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
