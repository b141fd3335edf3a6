"""The phone recognizer of another version beside this one, interleaved in one process on the same bench ads.

On a shared machine CPU per ad drifts with the load; two versions taking turns on blocks of 50 ads see the same
load. The other version is a source tree (``git archive REV src | tar -x -C DIR``), imported as a copy of its
``ethicscheck`` package renamed ``ethicscheck_before``. Both recognizers first read 1,000 other ads (the digit
reader remembers the chunks it has read, as it does over a long scan), then each reads the same ads twice.
With ``--scanner`` the whole scan is compared the same way (default entity set).

    git archive 9aa0ed6 src | tar -x -C /tmp/before
    python benchmarks/bench_phone_reader.py --before /tmp/before [--ads 1500] [--scanner]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import machine

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
_IMPORT = re.compile(r"\bethicscheck(?=[.\s])")


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
    phone = importlib.import_module(f"{package}.privacy.recognizers.obfuscated_phone").ObfuscatedPhoneRecognizer()
    return lambda text: phone.analyze(normalize.clean_view(text).text, ["PHONE_NUMBER"])


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="folder holding the other version's src/ethicscheck")
    parser.add_argument("--ads", type=int, default=1500)
    parser.add_argument("--scanner", action="store_true", help="compare the whole scanner, not only the phone recognizer")
    args = parser.parse_args()
    from ethicscheck.synth import generate_ads

    ads = list(generate_ads(3000 + args.ads, seed=1, id_prefix="eval")["text"])
    warm, texts = ads[:1000], ads[3000:]
    with tempfile.TemporaryDirectory() as scratch:
        renamed_copy(args.before.resolve(), Path(scratch))
        sys.path.insert(0, scratch)
        versions = {"before": readers("ethicscheck_before", args.scanner), "this": readers("ethicscheck", args.scanner)}
        for read in versions.values():
            for text in warm:
                read(text)
        cpu = dict.fromkeys(versions, 0.0)
        for round_ in range(2):
            for first in range(0, len(texts), 50):
                order = list(versions.items())
                for name, read in order if (first // 50 + round_) % 2 == 0 else order[::-1]:
                    start = time.process_time()
                    for text in texts[first : first + 50]:
                        read(text)
                    cpu[name] += time.process_time() - start
    what = "whole scan" if args.scanner else "phone recognizer"
    print(f"{machine()}\n\n| {what} | CPU per ad |\n|---|---:|")
    for name, seconds in cpu.items():
        print(f"| {name} | {1e6 * seconds / (2 * len(texts)):.1f} us |")
    print(f"\n{cpu['before'] / cpu['this']:.2f}x, load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
