"""How well the scanner finds personal data: span-level precision, recall and F2 against ground truth.

A prediction matches a ground-truth span of the same entity type when their character spans overlap
with intersection-over-union >= ``iou`` (presidio-research's span matching); each true span is matched
at most once. F2 weighs recall twice as much as precision: a missed phone number leaks, a false alarm
only over-redacts.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["SpanScores", "SpanEvaluation", "evaluate_spans"]


@dataclass
class SpanScores:
    """Counts and scores for one entity type (or a slice)."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

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
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None
        return 5 * p * r / (4 * p + r)

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.true_positives,
            "fp": self.false_positives,
            "fn": self.false_negatives,
            "precision": self.precision,
            "recall": self.recall,
            "f2": self.f2,
        }


@dataclass
class SpanEvaluation:
    """Per-entity scores, the overall micro-average and the hard slice of disguised phone numbers."""

    per_entity: dict[str, SpanScores] = field(default_factory=dict)
    overall: SpanScores = field(default_factory=SpanScores)
    obfuscated_phones: SpanScores = field(default_factory=SpanScores)
    documents: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "overall": self.overall.to_dict(),
            "obfuscated_phones": self.obfuscated_phones.to_dict(),
            "per_entity": {k: v.to_dict() for k, v in sorted(self.per_entity.items())},
        }


def evaluate_spans(
    texts: Sequence[str],
    truths: Sequence[str | list[dict[str, Any]]],
    predict: Callable[[str], list[tuple[str, int, int]]],
    *,
    iou: float = 0.5,
) -> SpanEvaluation:
    """Score ``predict`` (text -> [(entity, start, end)]) against ground-truth spans.

    ``truths`` holds, per text, the spans as the synthetic corpus writes them (a JSON list of
    ``{start, end, entity_type, obfuscated}``). Only entity types present in the ground truth are
    scored; predictions of other types are ignored.
    """
    parsed = [json.loads(t) if isinstance(t, str) else t for t in truths]
    types = {s["entity_type"] for spans in parsed for s in spans}
    result = SpanEvaluation(per_entity={t: SpanScores() for t in sorted(types)}, documents=len(texts))
    for text, spans in zip(texts, parsed):
        predicted = [p for p in predict(text) if p[0] in types]
        matched: set[int] = set()
        has_obfuscated = any(s["obfuscated"] for s in spans)
        for entity, start, end in predicted:
            hit = next(
                (
                    i
                    for i, s in enumerate(spans)
                    if i not in matched and s["entity_type"] == entity and _iou((start, end), (s["start"], s["end"])) >= iou
                ),
                None,
            )
            scores = result.per_entity[entity]
            if hit is None:
                scores.false_positives += 1
                if entity == "PHONE_NUMBER" and has_obfuscated:
                    result.obfuscated_phones.false_positives += 1
            else:
                matched.add(hit)
                scores.true_positives += 1
                if spans[hit]["obfuscated"]:
                    result.obfuscated_phones.true_positives += 1
        for i, span in enumerate(spans):
            if i not in matched:
                result.per_entity[span["entity_type"]].false_negatives += 1
                if span["obfuscated"]:
                    result.obfuscated_phones.false_negatives += 1
    for scores in result.per_entity.values():
        result.overall.true_positives += scores.true_positives
        result.overall.false_positives += scores.false_positives
        result.overall.false_negatives += scores.false_negatives
    return result


def _iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0
