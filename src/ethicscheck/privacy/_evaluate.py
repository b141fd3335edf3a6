"""How well a scanner finds personal data: span-level precision, recall, F2 and the false-alarm rate.

A prediction matches an annotated span of the same entity type when their character spans overlap with
intersection-over-union >= ``iou`` (*strict*, presidio-research's span matching), or overlap at all
(*lenient*). Spans are paired one to one (the largest such pairing), so a
prediction glued across two annotated spans matches at most one of them. F2 = 5·TP / (5·TP + 4·FN + FP) weighs recall twice as much as
precision:
a missed phone number leaks, a false alarm only over-redacts.

Only the entity types the data annotates are scored (after renaming with a mapping); findings of other
types say nothing about this data and are counted apart. The **false-alarm rate** is the share of
records without any annotated span that get at least one scored finding. Every figure is also given
per tag (records carry tags such as ``disguised`` or ``negative``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ethicscheck._serialize import Serializable, json_options
from ethicscheck.privacy._goldset import GoldRecord, GoldSpan

__all__ = ["SpanScores", "EntityScores", "FalseAlarms", "SliceScores", "SpanEvaluation", "evaluate_records", "Prediction"]

#: One finding: (entity type, start, end), end exclusive.
Prediction = tuple[str, int, int]


@dataclass(frozen=True)
class SpanScores(Serializable):
    """Matched, spurious and missed spans, and the scores they give (None when undefined)."""

    true_positives: int = field(default=0, metadata=json_options(key="tp"))
    false_positives: int = field(default=0, metadata=json_options(key="fp"))
    false_negatives: int = field(default=0, metadata=json_options(key="fn"))

    JSON_ORDER = ("true_positives", "false_positives", "false_negatives", "precision", "recall", "f2")

    @property
    def precision(self) -> float | None:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else None

    @property
    def recall(self) -> float | None:
        actual = self.true_positives + self.false_negatives
        return self.true_positives / actual if actual else None

    @property
    def f2(self) -> float | None:
        denominator = 5 * self.true_positives + 4 * self.false_negatives + self.false_positives
        return 5 * self.true_positives / denominator if denominator else None

    def __add__(self, other: SpanScores) -> SpanScores:
        return SpanScores(
            self.true_positives + other.true_positives,
            self.false_positives + other.false_positives,
            self.false_negatives + other.false_negatives,
        )


@dataclass(frozen=True)
class EntityScores(Serializable):
    """Scores of one entity type (or all of them) with strict (IoU) and lenient (any overlap) matching."""

    strict: SpanScores = field(default_factory=SpanScores, metadata=json_options(flatten=True))
    lenient: SpanScores = field(default_factory=SpanScores)

    @property
    def precision(self) -> float | None:
        return self.strict.precision

    @property
    def recall(self) -> float | None:
        return self.strict.recall

    @property
    def f2(self) -> float | None:
        return self.strict.f2

    def __add__(self, other: EntityScores) -> EntityScores:
        return EntityScores(self.strict + other.strict, self.lenient + other.lenient)


@dataclass(frozen=True)
class FalseAlarms(Serializable):
    """Records without any annotated span, and how many of them got a finding."""

    records: int = field(default=0, metadata=json_options(key="records_without_entities"))
    flagged: int = 0

    JSON_ORDER = ("records", "flagged", "rate")

    @property
    def rate(self) -> float | None:
        return self.flagged / self.records if self.records else None


@dataclass(frozen=True)
class SliceScores(Serializable):
    """Scores over a set of records: per entity type, over every type looked for, and false alarms."""

    records: int
    per_entity: dict[str, EntityScores] = field(metadata=json_options(sort=True))
    overall: EntityScores
    false_alarms: FalseAlarms

    JSON_ORDER = ("records", "overall", "false_alarms", "per_entity")


@dataclass(frozen=True)
class SpanEvaluation(Serializable):
    """The scores on every record and per tag, with what was and was not scored."""

    iou: float
    all: SliceScores = field(metadata=json_options(flatten=True))
    by_tag: dict[str, SliceScores] = field(metadata=json_options(sort=True))
    not_looked_for: tuple[str, ...]
    unscored_findings: dict[str, int] = field(metadata=json_options(sort=True))

    JSON_ORDER = ("iou", "all", "not_looked_for", "unscored_findings", "by_tag")

    @property
    def documents(self) -> int:
        return self.all.records

    @property
    def per_entity(self) -> dict[str, EntityScores]:
        return self.all.per_entity

    @property
    def overall(self) -> EntityScores:
        return self.all.overall


def evaluate_records(
    records: Sequence[GoldRecord],
    predictions: Sequence[Iterable[Prediction]],
    *,
    iou: float = 0.5,
    looked_for: Iterable[str] | None = None,
) -> SpanEvaluation:
    """Score predictions (one list of ``(entity_type, start, end)`` per record, in order) against annotations.

        Parameters
        ----------
        records : sequence of GoldRecord
        predictions : sequence of iterables of (str, int, int)
        iou : float
            Strict matching threshold, in (0, 1].
        looked_for : iterable of str, optional
            The entity types the scanner looks for. Annotated types outside it are still scored (all missed)
            but left out of the overall figures and listed in ``not_looked_for``. Default: every annotated type.

        Examples
        --------
        >>> from ethicscheck._serialize import Serializable, json_options
    from ethicscheck.privacy._goldset import GoldRecord, GoldSpan
        >>> gold = [GoldRecord("call 555 0143", (GoldSpan("PHONE_NUMBER", 5, 13),))]
        >>> evaluate_records(gold, [[("PHONE_NUMBER", 5, 13)]]).overall.recall
        1.0
    """
    if not 0 < iou <= 1:
        raise ValueError(f"iou must be in (0, 1], got {iou}")
    if len(predictions) != len(records):
        raise ValueError(f"{len(predictions)} prediction lists for {len(records)} records")
    annotated = sorted({s.entity_type for r in records for s in r.spans})
    scanned = set(annotated if looked_for is None else looked_for)
    scored = set(annotated)
    unscored: Counter[str] = Counter()
    per_record = []
    for record, found in zip(records, predictions):
        found = list(found)
        unscored.update(p[0] for p in found if p[0] not in scored)
        kept = [p for p in found if p[0] in scored]
        per_record.append((_match_record(record.spans, kept, iou), bool(kept)))
    everything = _slice(records, per_record, annotated, scanned, range(len(records)))
    tags = sorted({t for r in records for t in r.tags})
    by_tag = {tag: _slice(records, per_record, annotated, scanned, [i for i, r in enumerate(records) if tag in r.tags]) for tag in tags}
    return SpanEvaluation(
        iou=iou,
        all=everything,
        by_tag=by_tag,
        not_looked_for=tuple(t for t in annotated if t not in scanned),
        unscored_findings=dict(unscored),
    )


def _slice(
    records: Sequence[GoldRecord],
    per_record: list[tuple[dict[str, EntityScores], bool]],
    annotated: list[str],
    scanned: set[str],
    indices: Iterable[int],
) -> SliceScores:
    totals = {t: EntityScores() for t in annotated}
    alarms = FalseAlarms()
    count = 0
    for i in indices:
        count += 1
        scores, flagged = per_record[i]
        for entity, s in scores.items():
            totals[entity] = totals[entity] + s
        if not records[i].spans:
            alarms = FalseAlarms(alarms.records + 1, alarms.flagged + int(flagged))
    overall = sum((s for t, s in totals.items() if t in scanned), EntityScores())
    return SliceScores(records=count, per_entity=totals, overall=overall, false_alarms=alarms)


def _match_record(gold: Sequence[GoldSpan], found: list[Prediction], iou: float) -> dict[str, EntityScores]:
    out: dict[str, EntityScores] = {}
    for entity in {s.entity_type for s in gold} | {p[0] for p in found}:
        truth = [(s.start, s.end) for s in gold if s.entity_type == entity]
        guesses = sorted((p[1], p[2]) for p in found if p[0] == entity)
        strict = _match(truth, guesses, lambda a, b: float(_iou(a, b) >= iou))
        lenient = _match(truth, guesses, _overlap)
        out[entity] = EntityScores(strict, lenient)
    return out


def _match(truth: list[tuple[int, int]], guesses: list[tuple[int, int]], closeness: Any) -> SpanScores:
    """The largest one-to-one matching of guesses to true spans along pairs with closeness > 0 (Kuhn's
    augmenting paths; a record holds a handful of spans)."""
    options = [[i for i, span in enumerate(truth) if closeness(guess, span) > 0] for guess in guesses]
    owner: dict[int, int] = {}

    def assign(g: int, seen: set[int]) -> bool:
        for i in options[g]:
            if i not in seen:
                seen.add(i)
                if i not in owner or assign(owner[i], seen):
                    owner[i] = g
                    return True
        return False

    hits = sum(assign(g, set()) for g in range(len(guesses)))
    return SpanScores(hits, len(guesses) - hits, len(truth) - hits)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    return float(max(0, min(a[1], b[1]) - max(a[0], b[0])))


def _iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0
