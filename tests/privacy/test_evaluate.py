"""Span scoring against hand-computed figures: strict (IoU) and lenient matches, F2, false alarms, tags."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ethicscheck.privacy import GoldRecord, GoldSpan, SpanScores, evaluate_records

PHONE, EMAIL = "PHONE_NUMBER", "EMAIL_ADDRESS"
TEXT = "x" * 40


def _one(gold, predicted, *, iou=0.5):
    records = [GoldRecord(TEXT, tuple(GoldSpan(*g) for g in gold)), GoldRecord(TEXT, (GoldSpan(EMAIL, 30, 35),))]
    return evaluate_records(records, [predicted, [(EMAIL, 30, 35)]], iou=iou).per_entity


@pytest.mark.parametrize(
    ("gold", "predicted", "iou", "strict", "lenient"),
    [
        ([(PHONE, 0, 10)], [(PHONE, 0, 10)], 0.5, (1, 0, 0), (1, 0, 0)),  # exact
        ([(PHONE, 0, 10)], [(PHONE, 0, 5)], 0.5, (1, 0, 0), (1, 0, 0)),  # IoU 5/10 = 0.5: a match at 0.5
        ([(PHONE, 0, 10)], [(PHONE, 0, 5)], 0.6, (0, 1, 1), (1, 0, 0)),  # ... but not at 0.6
        ([(PHONE, 0, 10)], [(PHONE, 0, 4)], 0.5, (0, 1, 1), (1, 0, 0)),  # IoU 0.4: lenient only
        ([(PHONE, 0, 10)], [(PHONE, 10, 14)], 0.5, (0, 1, 1), (0, 1, 1)),  # touching is not overlapping
        ([(PHONE, 0, 10)], [(PHONE, 0, 10), (PHONE, 0, 6)], 0.5, (1, 1, 0), (1, 1, 0)),  # a span matches once
        ([(PHONE, 0, 10), (PHONE, 11, 20)], [(PHONE, 0, 20)], 0.5, (1, 0, 1), (1, 0, 1)),  # glued: IoU 10/20 with the first
        ([(PHONE, 0, 10), (PHONE, 11, 20)], [(PHONE, 0, 21)], 0.5, (0, 1, 2), (1, 0, 1)),  # IoU 10/21 < 0.5
        ([(PHONE, 0, 10)], [], 0.5, (0, 0, 1), (0, 0, 1)),
        ([], [(PHONE, 0, 10)], 0.5, (0, 1, 0), (0, 1, 0)),
    ],
)
def test_strict_and_lenient_matching(gold, predicted, iou, strict, lenient):
    gold = gold or []
    records = [GoldRecord(TEXT, tuple(GoldSpan(*g) for g in gold)), GoldRecord(TEXT, (GoldSpan(PHONE, 30, 35),))]
    scores = evaluate_records(records, [predicted, [(PHONE, 30, 35)]], iou=iou).per_entity[PHONE]
    # the second record adds one exact match to every row
    assert (scores.strict.true_positives - 1, scores.strict.false_positives, scores.strict.false_negatives) == strict
    assert (scores.lenient.true_positives - 1, scores.lenient.false_positives, scores.lenient.false_negatives) == lenient


def test_wrong_type_is_a_false_positive_of_one_and_a_miss_of_the_other():
    scores = _one([(PHONE, 0, 10)], [(EMAIL, 0, 10)])
    assert (scores[PHONE].strict.true_positives, scores[PHONE].strict.false_negatives) == (0, 1)
    assert (scores[EMAIL].strict.true_positives, scores[EMAIL].strict.false_positives) == (1, 1)


@pytest.mark.parametrize(
    ("counts", "precision", "recall", "f2"),
    [
        ((3, 1, 2), 0.75, 0.6, 0.625),  # 5*3 / (5*3 + 4*2 + 1) = 15/24
        ((0, 2, 2), 0.0, 0.0, 0.0),
        ((0, 0, 2), None, 0.0, 0.0),  # nothing predicted: precision undefined, nothing found
        ((0, 2, 0), 0.0, None, 0.0),
        ((0, 0, 0), None, None, None),
        ((4, 0, 0), 1.0, 1.0, 1.0),
    ],
)
def test_scores_from_counts(counts, precision, recall, f2):
    s = SpanScores(*counts)
    assert (s.precision, s.recall) == (precision, recall)
    assert s.f2 == pytest.approx(f2) if f2 is not None else s.f2 is None


def test_false_alarms_tags_and_scope():
    records = [
        GoldRecord("call 5550143 now", (GoldSpan(PHONE, 5, 12),), ("plain",)),
        GoldRecord("nothing here 2024-01-02", (), ("negative", "dates")),
        GoldRecord("see anna.example.org", (), ("negative",)),
        GoldRecord("mail a@b.co", (GoldSpan(EMAIL, 5, 11),), ("plain",)),
        GoldRecord("lives at Main St", (GoldSpan("STREET_ADDRESS", 9, 16),)),
    ]
    predictions = [
        [(PHONE, 5, 12), ("PERSON", 0, 4)],  # PERSON is not annotated anywhere: not scored
        [(PHONE, 13, 23)],  # a date taken for a phone: a false alarm
        [("URL", 4, 20)],  # not annotated: no false alarm
        [],
        [],
    ]
    ev = evaluate_records(records, predictions, looked_for=[PHONE, EMAIL, "URL", "PERSON"])
    assert ev.documents == 5
    assert ev.unscored_findings == {"PERSON": 1, "URL": 1}
    assert ev.not_looked_for == ("STREET_ADDRESS",)
    assert (ev.all.false_alarms.records, ev.all.false_alarms.flagged, ev.all.false_alarms.rate) == (2, 1, 0.5)
    # overall covers the looked-for types only: phone 1 tp 1 fp, e-mail 1 fn
    o = ev.overall.strict
    assert (o.true_positives, o.false_positives, o.false_negatives) == (1, 1, 1)
    assert ev.per_entity["STREET_ADDRESS"].recall == 0.0
    assert set(ev.by_tag) == {"plain", "negative", "dates"}
    assert ev.by_tag["plain"].records == 2 and ev.by_tag["plain"].false_alarms.rate is None
    assert ev.by_tag["plain"].overall.recall == 0.5
    assert ev.by_tag["dates"].false_alarms.rate == 1.0
    assert ev.by_tag["negative"].false_alarms.flagged == 1
    assert ev.to_dict()["false_alarms"] == {"records_without_entities": 2, "flagged": 1, "rate": 0.5}


@pytest.mark.parametrize("iou", [0.0, -0.1, 1.01])
def test_iou_outside_unit_interval_is_refused(iou):
    with pytest.raises(ValueError, match="iou"):
        evaluate_records([], [], iou=iou)


def test_prediction_lists_must_match_records():
    with pytest.raises(ValueError, match="1 prediction lists for 0 records"):
        evaluate_records([], [[]])


_spans = st.lists(
    st.tuples(st.sampled_from([PHONE, EMAIL]), st.integers(0, 30), st.integers(1, 10)).map(lambda t: (t[0], t[1], t[1] + t[2]))
)


@given(gold=_spans, predicted=_spans, iou=st.floats(0.01, 1.0))
def test_counts_add_up_and_lenient_never_below_strict(gold, predicted, iou):
    records = [GoldRecord("y" * 50, tuple(GoldSpan(*g) for g in gold))]
    ev = evaluate_records(records, [predicted], iou=iou)
    for entity, scores in ev.per_entity.items():
        n_gold = sum(1 for g in gold if g[0] == entity)
        n_pred = sum(1 for p in predicted if p[0] == entity)
        for s in (scores.strict, scores.lenient):
            assert s.true_positives + s.false_negatives == n_gold
            assert s.true_positives + s.false_positives == n_pred
            assert all(v is None or 0.0 <= v <= 1.0 for v in (s.precision, s.recall, s.f2))
        assert scores.lenient.true_positives >= scores.strict.true_positives
