"""The whole scanner of another version beside this one, interleaved in one process on the same bench ads, gates compiled.

CPU per ad drifts with the load of a shared machine; two versions taking turns on blocks of 50 ads see the same load.
The other version is a source tree (``git archive REV src | tar -x -C DIR``), imported as a copy of its ``ethicscheck``
package renamed ``ethicscheck_before``. Unlike ``bench_phone_reader.py --scanner``, every compiled gate of both versions
is built before the clock (``WARM_UP = 0``), as it is over most of a long scan (a scan compiles its gates after its first
5,000 texts). Both scanners first read 1,000 other ads, then each reads the same ads ``--rounds`` times.

    git archive 3f05c25 src | tar -x -C /tmp/before
    python benchmarks/bench_scanner.py --before /tmp/before [--ads 1500] [--rounds 2] [--entities default|self-scan]
    python benchmarks/bench_scanner.py --before /tmp/before --without PHONE_NUMBER   # the scan apart from the phone recognizer
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _common import machine
from bench_phone_reader import interleaved_cpu, renamed_copy

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
#: Modules holding a WARM_UP their gates read when built (a version without one of them is simply left as it is).
_WARM_UP_MODULES = ("privacy._gate", "privacy._normalize", "privacy.recognizers._regex", "privacy._scanner")


def scanner(package: str, entities: str, without: tuple[str, ...] = ()) -> Callable[[str], list[Any]]:
    """``package``'s Scanner.analyze with the default settings of an audit (or the self-scan's entity set, less
    ``without``), gates now."""
    for name in _WARM_UP_MODULES:
        module = importlib.import_module(f"{package}.{name}")
        if hasattr(module, "WARM_UP"):
            module.WARM_UP = 0
    privacy = importlib.import_module(f"{package}.privacy")
    config = importlib.import_module(f"{package}.config")
    options = privacy.ScanOptions.from_settings(config.PrivacyConfig())
    if entities == "self-scan":
        wanted = [e for e in importlib.import_module(f"{package}._vocabulary").ARTIFACT_ENTITIES if e not in without]
        return privacy.Scanner(wanted, phone_regions=options.phone_regions).analyze
    undetectable = privacy.undetectable_entities(options.entities)
    wanted = [e for e in options.entities if e not in undetectable and e not in without]
    return privacy.Scanner(wanted, phone_regions=options.phone_regions).analyze


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="folder holding the other version's src/ethicscheck")
    parser.add_argument("--ads", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--entities", choices=("default", "self-scan"), default="default")
    parser.add_argument("--without", nargs="*", default=[], metavar="ENTITY", help="entity types left out")
    args = parser.parse_args()
    from ethicscheck.synth import generate_ads

    ads = list(generate_ads(3000 + args.ads, seed=1, id_prefix="eval")["text"])
    warm, texts = ads[:1000], ads[3000:]
    with tempfile.TemporaryDirectory() as scratch:
        renamed_copy(args.before.resolve(), Path(scratch))
        sys.path.insert(0, scratch)
        without = tuple(args.without)
        versions = {"before": scanner("ethicscheck_before", args.entities, without), "this": scanner("ethicscheck", args.entities, without)}
        per_round = interleaved_cpu(versions, warm, texts, rounds=args.rounds)
        cpu = {name: sum(per_round[(name, round_)] for round_ in range(args.rounds)) for name in versions}
    less = f" less {', '.join(without)}" if without else ""
    print(f"{machine()}\n\n| whole scan ({args.entities} entities{less}, gates compiled) | CPU per ad |\n|---|---:|")
    for name, seconds in cpu.items():
        print(f"| {name} | {1e6 * seconds / (args.rounds * len(texts)):.1f} us |")
    print(f"\n{cpu['before'] / cpu['this']:.2f}x, load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
