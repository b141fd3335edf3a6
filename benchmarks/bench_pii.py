"""ethicscheck's scanner vs stock Presidio, side by side on the same synthetic ads and offline NLP setup.

Stock: presidio-analyzer's AnalyzerEngine with every default English recognizer (no NER: the same blank
spaCy tokenizer, since nothing may be downloaded). ethicscheck: its offline engine with its own
recognizers. Both run in this process, one core each, over the same ads. Reports docs/s, span-level
recall on the entity types both look for (PHONE_NUMBER, EMAIL_ADDRESS), and recall/precision on the hard
slice of disguised phone numbers.

    python benchmarks/bench_pii.py [--ads 20000]
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

from _common import machine  # noqa: E402

from ethicscheck.privacy import DEFAULT_ENTITIES, Scanner, offline_analyzer  # noqa: E402
from ethicscheck.privacy._evaluate import evaluate_spans  # noqa: E402
from ethicscheck.synth import generate_ads  # noqa: E402

REGIONS = ("US", "GB", "DE", "FR", "IN", "PH", "NG", "RO")


def stock_engine():  # type: ignore[no-untyped-def]
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry

    ours = offline_analyzer(entities=("EMAIL_ADDRESS",))  # reuse the same blank tokenizer
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(languages=["en"], nlp_engine=ours.nlp_engine)
    registry.recognizers = [r for r in registry.recognizers if r.__class__.__name__ != "SpacyRecognizer"]
    return AnalyzerEngine(nlp_engine=ours.nlp_engine, registry=registry, supported_languages=["en"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ads", type=int, default=20_000)
    args = parser.parse_args()
    ads = generate_ads(args.ads, seed=101)
    texts, truths = list(ads["text"]), list(ads["pii"])

    stock = stock_engine()
    ours = Scanner(DEFAULT_ENTITIES, phone_regions=REGIONS)

    def stock_predict(text: str):  # type: ignore[no-untyped-def]
        return [(r.entity_type, r.start, r.end) for r in stock.analyze(text, language="en", score_threshold=0.4)]

    def our_predict(text: str):  # type: ignore[no-untyped-def]
        return [(r.entity_type, r.start, r.end) for r in ours.analyze(text)]

    rows = []
    for name, predict in (("stock Presidio (all default recognizers)", stock_predict), ("ethicscheck scanner", our_predict)):
        predict(texts[0])  # warm-up: lazy imports and caches
        start = time.perf_counter()  # time the scanning alone; scoring happens after
        predictions = [predict(text) for text in texts]
        seconds = time.perf_counter() - start
        stored = dict(zip(map(id, texts), predictions))
        evaluation = evaluate_spans(texts, truths, lambda text, stored=stored: stored[id(text)])
        rows.append((name, len(texts) / seconds, evaluation))

    print(f"# Personal-data scanning: ethicscheck vs stock Presidio\n\n{machine()}\n")
    print(
        f"{len(texts):,} synthetic ads (seed 101), one process each, offline blank-tokenizer NLP engine for both; span match IoU >= 0.5.\n"
    )
    print(
        "| scanner | docs/s (1 core) | phone recall | e-mail recall | disguised-phone recall | disguised-phone precision | all planted types: recall / precision / F2 |"
    )
    print("|---|---:|---:|---:|---:|---:|---|")
    for name, rate, ev in rows:
        pe = ev.per_entity
        o = ev.overall
        print(
            f"| {name} | {rate:,.0f} | {pe['PHONE_NUMBER'].recall:.3f} | {pe['EMAIL_ADDRESS'].recall:.3f} | {ev.obfuscated_phones.recall:.3f} | "
            f"{_fmt(ev.obfuscated_phones.precision)} | {o.recall:.3f} / {_fmt(o.precision)} / {_fmt(o.f2)} |"
        )
    speedup = rows[1][1] / rows[0][1]
    print(f"\nethicscheck scans **{speedup:.1f}x** as many docs/s as stock Presidio.")
    print("\nPer entity (ethicscheck):\n")
    print("| entity | precision | recall | F2 |")
    print("|---|---:|---:|---:|")
    for entity, scores in rows[1][2].per_entity.items():
        print(f"| {entity} | {_fmt(scores.precision)} | {_fmt(scores.recall)} | {_fmt(scores.f2)} |")
    print(
        "\nThe corpus is ethicscheck's own generator, so these figures show that the recognizers cover the"
        " forms it plants (plain and disguised phones, handles, links, cue names), not recall on real ads."
    )


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


if __name__ == "__main__":
    main()
