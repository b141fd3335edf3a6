"""Fingerprints of what the probes find on frozen text sets: proof that a speed-up of the matcher changes nothing.

For each text set (scan_fingerprint.py's seven: generator ads, bench ads, presidio-research, obfuscated contacts dev
and test, the example reports' visible text, fuzzed test fragments) and each shipped lexicon, it prints the number
of texts with a mention and a sha256 of every text's ``TermMatcher.find`` (language, and each mention's start, end,
term and forms), text by text (the first 16 hex digits); then the probe plan of the demo's probes on the bench ads (``--ads``, seed 1: the
100k-ad privacy audit's data). Two versions of the matcher are exact to each other when every line matches. CPU
seconds of finding go to stderr.

    python benchmarks/probes_fingerprint.py > after.txt
    git archive main src | tar -x -C /tmp/main_src && PYTHONPATH=/tmp/main_src/src python benchmarks/probes_fingerprint.py > before.txt
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scan_fingerprint import SETS  # noqa: E402  (the scanner's frozen sets, read the same way)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--only", nargs="*", help="set names (or parts of them) to run; default all")
    parser.add_argument("--ads", type=int, default=100_000, help="bench ads (seed 1) to plan the demo's probes on; 0: none")
    args = parser.parse_args()

    import ethicscheck
    from ethicscheck.probes import ProbeSettings, TermMatcher, builtin_lexicon_names, load_lexicons, plan_probes

    print(f"ethicscheck from {Path(ethicscheck.__file__).parent}", file=sys.stderr)

    lexicons = load_lexicons(builtin_lexicon_names())
    matchers = {name: TermMatcher(lex, extra_targets=[lexicons["control"]]) for name, lex in lexicons.items()}
    for set_name, load in SETS.items():
        if args.only and not any(part in set_name for part in args.only):
            continue
        texts = load()
        for name, matcher in matchers.items():
            started = _cpu()
            found = [matcher.find(text) for text in texts]
            spent = _cpu() - started
            digest = hashlib.sha256("\n".join(map(repr, found)).encode()).hexdigest()[:16]
            print(f"{set_name}\t{name}\t{len(texts)} texts\t{sum(f is not None for f in found)} mentioning\t{digest}", flush=True)
            print(f"{set_name}\t{name}\t{spent:.3f} CPU s", file=sys.stderr)
    if args.ads:
        from ethicscheck.synth import generate_ads

        texts = list(generate_ads(args.ads, seed=1, id_prefix="eval")["text"])
        started = _cpu()
        plan = plan_probes(texts, ProbeSettings(lexicons=("nationality",), max_texts_per_term=100, n_boot=500, seed=0))
        spent = _cpu() - started
        digest = hashlib.sha256()
        for one in plan.lexicons:
            digest.update(repr((one.name, one.n_mentioning, one.n_several, one.rows, one.texts, one.copies, one.probed)).encode())
            for key, mentioned in one.mentions.items():
                digest.update(key.encode() + mentioned.tobytes())
        print(f"plan of the demo's probes\t{args.ads} bench ads\t{plan.n_copies} copies\t{digest.hexdigest()[:16]}")
        print(f"plan of the demo's probes\t{spent:.3f} CPU s", file=sys.stderr)


if __name__ == "__main__":
    main()
