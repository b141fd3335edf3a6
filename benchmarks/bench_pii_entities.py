"""Should the scanner look for dates, US driving-licence numbers and names by default? The evidence, measured.

For each candidate type (DATE_TIME and US_DRIVER_LICENSE with presidio's own recognizers, PERSON with
ethicscheck's name-cue recognizer, the only one that works without a named-entity model), on data the
recognizers were not written against:

- presidio-research's ``synth_dataset_v2`` (where the type is annotated): recall and precision (IoU >= 0.5);
- the obfuscated-contact set (dev split, and the held-out test split in aggregate only) and the generator's
  ads: the share of texts that get a finding of the type. These sets annotate contact details only, so a
  finding there is not scored right or wrong: it is what an audit of ads would report as personal data.
  On texts annotated as holding no contact detail at all, the same share is the false-alarm rate an
  oversight board would read.

    cd benchmarks && python bench_pii_entities.py --package-figures ../src/ethicscheck/privacy/measured_quality.json \
        > results/pii_entities.md

``--package-figures`` writes the decisions, with these figures, into the ``entity_choices`` of the shipped
figures the card and README quote.
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

from _common import machine  # noqa: E402
from bench_pii import load_sets  # noqa: E402

from ethicscheck.privacy import DetectionQuality, GoldRecord, Scanner, evaluate_records  # noqa: E402

CANDIDATES = {
    "DATE_TIME": "presidio's DateRecognizer",
    "US_DRIVER_LICENSE": "presidio's UsLicenseRecognizer",
    "PERSON": "ethicscheck's name-cue recognizer (no named-entity model)",
}
RESEARCH = "presidio-research synth_dataset_v2"
HELD_OUT = "obfuscated contacts test (held out)"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--package-figures", type=Path, help="write the decisions into this measured_quality.json")
    args = parser.parse_args()
    sets = load_sets(3000)
    print(f"# Dates, US driving-licence numbers and names: look for them by default?\n\n{machine()}\n")
    print(
        "Command: `cd benchmarks && python bench_pii_entities.py --package-figures ../src/ethicscheck/privacy/measured_quality.json "
        "> results/pii_entities.md`. Recall and precision: presidio-research's set, where the type is annotated (IoU >= 0.5). "
        "Texts flagged: the share of texts with a finding of the type (all texts / texts annotated as holding no contact detail); "
        "these sets do not annotate the type, so a finding there is what an audit would report, not scored right or wrong. "
        "The test split is read in aggregate only.\n"
    )
    others = [n for n in sets if n != RESEARCH]
    print("| type | recognizer | presidio-research spans | recall | precision | texts flagged: " + " | ".join(map(_short, others)) + " |")
    print("|---|---|---:|---:|---:|" + "---:|" * len(others))
    figures = {}
    for entity, recognizer in CANDIDATES.items():
        scanner = Scanner([entity])
        found = {
            name: [[(f.entity_type, f.start, f.end) for f in scanner.analyze(r.text)] for r in records] for name, records in sets.items()
        }
        scores = evaluate_records(sets[RESEARCH], found[RESEARCH], looked_for={entity}).per_entity[entity]
        flagged = {name: _flagged(sets[name], found[name]) for name in others}
        figures[entity] = (scores, flagged[HELD_OUT])
        spans = scores.strict.true_positives + scores.strict.false_negatives
        print(
            f"| {entity} | {recognizer} | {spans} | {_f(scores.recall)} | {_f(scores.precision)} | "
            + " | ".join(f"{_pct(a)} / {_pct(b)}" for a, b in flagged.values())
            + " |"
        )
    choices = _choices(figures)
    print("\n## Decisions\n")
    print("\n".join(f"- {c}" for c in choices))
    if args.package_figures:
        shipped = DetectionQuality.from_dict(json.loads(args.package_figures.read_text(encoding="utf-8")))
        document = replace(shipped, entity_choices=tuple(choices)).to_dict()
        args.package_figures.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _choices(figures: dict) -> list[str]:  # type: ignore[type-arg]
    date, (date_all, date_negatives) = figures["DATE_TIME"]
    licence, (licence_all, _) = figures["US_DRIVER_LICENSE"]
    person, (_, person_negatives) = figures["PERSON"]
    licences = licence.strict.true_positives + licence.strict.false_negatives
    return [
        f"Dates are not looked for by default: presidio's date recognizer found {date.recall:.0%} of the dates in "
        f"presidio-research's set and flagged {date_negatives:.0%} of the held-out ad-like texts without any contact detail "
        f"({date_all:.0%} of all of them), dates of birth, postings, invoices and visits alike. Add DATE_TIME to privacy.entities "
        "to count them.",
        f"US driving-licence numbers are not looked for by default: presidio-research's set holds {licences} of them "
        f"({licence.strict.true_positives} found), too few to state a recall, and presidio's recognizer flagged {licence_all:.1%} "
        "of the held-out ad-like texts (what it flags in the dev split is a permit number). Add US_DRIVER_LICENSE to privacy.entities "
        "to count them.",
        "Names are looked for only after a cue such as 'ask for' or 'my name is' (without a named-entity model): "
        f"{person.recall:.0%} of the names in "
        f"presidio-research's set (precision {person.precision:.2f}), and {person_negatives:.0%} of the held-out ad-like texts "
        "without contact details flagged. Set privacy.nlp_model for the rest.",
    ]


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _f(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _short(name: str) -> str:
    return name.replace(" (regression only)", "").replace("obfuscated contacts ", "obfuscated ")


def _flagged(records: list[GoldRecord], found: list[list[tuple[str, int, int]]]) -> tuple[float, float | None]:
    """Share of all texts with a finding, and of the texts annotated as holding no contact detail (None: the
    set has no such annotation, as the generator's ads)."""
    negatives = [f for r, f in zip(records, found) if not r.spans] if any(r.tags for r in records) else []
    share_negatives = sum(1 for f in negatives if f) / len(negatives) if negatives else None
    return sum(1 for f in found if f) / len(records), share_negatives


if __name__ == "__main__":
    main()
