"""``ethicscheck pii-eval``: score the personal-data scanner on annotated text (yours, or the synthetic corpus)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from ethicscheck.cli._console import ConsoleReporter, out

if TYPE_CHECKING:
    from ethicscheck.privacy import EntityScores, FalseAlarms, SpanEvaluation

__all__ = ["pii_eval"]


def _iou_in_range(value: float) -> float:
    if not 0 < value <= 1:
        raise typer.BadParameter(f"must be above 0 and at most 1 (got {value:g}); 0.5 is presidio-research's span match.")
    return value


def _jobs(value: int) -> int:
    if value < 1 and value != -1:
        raise typer.BadParameter(f"must be 1 or more, or -1 for every core (got {value}).")
    return value


def pii_eval(
    data: Annotated[
        Path | None,
        typer.Option("--data", help="Annotated records: presidio-research JSON list, or JSON Lines (.jsonl) of the same records."),
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option("--map", help="Rename an annotated entity type to the scanner's, e.g. DOMAIN_NAME=URL (repeatable)."),
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="Take the scan settings from this audit config's privacy: section.")
    ] = None,
    predictions: Annotated[
        Path | None, typer.Option("--predictions", help="Write the findings per record (JSON Lines, input order) to this file.")
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write the scores as JSON to this file ('-' for standard output).")
    ] = None,
    iou: Annotated[
        float,
        typer.Option("--iou", callback=_iou_in_range, help="Span overlap (intersection over union) that counts as a match, in (0, 1]."),
    ] = 0.5,
    n_jobs: Annotated[int, typer.Option("--n-jobs", callback=_jobs, help="Processes; -1 for every core.")] = 1,
    ads: Annotated[int, typer.Option("--ads", min=1, help="Without --data: synthetic ads to generate and score.")] = 5000,
    seed: Annotated[int, typer.Option("--seed", help="Without --data: corpus seed.")] = 7,
) -> int:
    """Span-level precision, recall and F2 per entity type and tag, lenient matches, and the false-alarm rate."""
    from dataclasses import replace

    from ethicscheck.config import PrivacyConfig, load_config
    from ethicscheck.privacy import (
        ScanOptions,
        evaluate_records,
        find_entities,
        load_gold,
        parse_mapping,
        records_from_generator,
        undetectable_entities,
    )

    settings = load_config(config).privacy if config is not None else PrivacyConfig()
    options = ScanOptions.from_settings(settings)
    options = replace(options, n_jobs=(os.cpu_count() or 1) if n_jobs == -1 else n_jobs)
    renames = parse_mapping(mapping or [])
    if data is not None:
        records = load_gold(data, mapping=renames)
        title = f"{data.name}: {len(records):,} records"
    else:
        from ethicscheck.synth import generate_ads

        corpus = generate_ads(ads, seed=seed)
        records = records_from_generator(list(corpus["text"]), list(corpus["pii"]))
        title = f"{ads:,} synthetic ads (seed {seed}; ethicscheck's own generator: regression, not held-out)"
    detectable = tuple(e for e in options.entities if e not in undetectable_entities(options.entities, nlp_model=options.nlp_model))
    with ConsoleReporter().progress("Scanning annotated text", len(records)) as advance:
        found = find_entities([r.text for r in records], options, detectable, advance)
    if predictions is not None:
        lines = (json.dumps({"spans": [_span(f) for f in fs]}) for fs in found)
        predictions.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    evaluation = evaluate_records(records, [[(f.entity_type, f.start, f.end) for f in fs] for fs in found], iou=iou, looked_for=detectable)
    if json_out is not None:
        document = json.dumps({"data": data.name if data else "synthetic", **evaluation.to_dict()}, indent=2)
        if str(json_out) == "-":
            out.print_json(document)
            return 0
        json_out.write_text(document + "\n", encoding="utf-8")
    _print(evaluation, f"{title}, IoU >= {iou:g}")
    return 0


def _span(finding: Any) -> dict[str, Any]:
    return {
        "entity_type": finding.entity_type,
        "start": finding.start,
        "end": finding.end,
        "score": round(float(finding.score), 4),
    }


def _print(evaluation: SpanEvaluation, title: str) -> None:
    table = Table(title=f"Personal-data detection on {title}")
    for column in ("entity", "true pos.", "false pos.", "false neg.", "precision", "recall", "F2", "lenient recall"):
        table.add_column(column)
    for name, s in [*evaluation.per_entity.items(), ("all types looked for", evaluation.overall)]:
        marker = " (not looked for)" if name in evaluation.not_looked_for else ""
        table.add_row(f"{name}{marker}", *_cells(s))
    out.print(table)
    out.print(f"False alarms: {_alarms(evaluation.all.false_alarms)}")
    if evaluation.by_tag:
        tags = Table(title="Per tag (all types looked for)")
        for column in (
            "tag",
            "records",
            "true pos.",
            "false pos.",
            "false neg.",
            "precision",
            "recall",
            "F2",
            "lenient recall",
            "false alarms",
        ):
            tags.add_column(column)
        for tag, scores in evaluation.by_tag.items():
            tags.add_row(tag, str(scores.records), *_cells(scores.overall), _alarms(scores.false_alarms))
        out.print(tags)
    if evaluation.unscored_findings:
        listed = ", ".join(f"{k} {v}" for k, v in sorted(evaluation.unscored_findings.items()))
        out.print(f"Not scored (the data does not annotate these types; rename with --map): {listed}")


def _cells(s: EntityScores) -> list[str]:
    t = s.strict
    return [
        str(t.true_positives),
        str(t.false_positives),
        str(t.false_negatives),
        _f(t.precision),
        _f(t.recall),
        _f(t.f2),
        _f(s.lenient.recall),
    ]


def _alarms(alarms: FalseAlarms) -> str:
    if not alarms.records:
        return "n/a (every record has an annotated entity)"
    return f"{alarms.flagged} of {alarms.records} records without entities flagged ({_f(alarms.rate)})"


def _f(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"
