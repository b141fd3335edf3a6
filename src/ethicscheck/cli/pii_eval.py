"""``ethicscheck pii-eval``: measure the scanner's detection rate on the synthetic corpus."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from ethicscheck.cli._console import ConsoleReporter, out

__all__ = ["pii_eval"]


def pii_eval(
    ads: Annotated[int, typer.Option("--ads", help="Synthetic ads to generate and scan.")] = 5000,
    seed: Annotated[int, typer.Option("--seed", help="Corpus seed.")] = 7,
    iou: Annotated[float, typer.Option("--iou", help="Span overlap (intersection over union) that counts as a match.")] = 0.5,
    n_jobs: Annotated[int, typer.Option("--n-jobs", help="Processes.")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> int:
    """Span-level precision, recall and F2 per entity type, and on disguised phone numbers."""
    from ethicscheck.privacy import DEFAULT_ENTITIES, ScanOptions, evaluate_spans, find_entities
    from ethicscheck.synth import generate_ads

    corpus = generate_ads(ads, seed=seed)
    texts = list(corpus["text"])
    options = ScanOptions(entities=DEFAULT_ENTITIES, phone_regions=("US", "GB", "DE", "FR", "IN", "PH", "NG", "RO"), n_jobs=n_jobs)
    with ConsoleReporter().progress("Scanning synthetic ads", len(texts)) as advance:
        found = find_entities(texts, options, DEFAULT_ENTITIES, advance)
    by_text = {id(t): f for t, f in zip(texts, found)}
    evaluation = evaluate_spans(texts, list(corpus["pii"]), lambda t: [(r.entity_type, r.start, r.end) for r in by_text[id(t)]], iou=iou)
    if as_json:
        out.print_json(json.dumps(evaluation.to_dict()))
        return 0
    table = Table(title=f"Personal-data detection on {ads:,} synthetic ads (seed {seed}, IoU >= {iou:g})")
    for column in ("entity", "true pos.", "false pos.", "false neg.", "precision", "recall", "F2"):
        table.add_column(column)
    rows = [*evaluation.per_entity.items(), ("disguised phones (hard slice)", evaluation.obfuscated_phones), ("all", evaluation.overall)]
    for name, s in rows:
        table.add_row(name, str(s.true_positives), str(s.false_positives), str(s.false_negatives), _f(s.precision), _f(s.recall), _f(s.f2))
    out.print(table)
    return 0


def _f(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"
