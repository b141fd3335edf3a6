"""Bad comparison tables stop with a message naming the column and the fix."""

from __future__ import annotations

import pytest

from ethicscheck.errors import DataError
from ethicscheck.verification import Comparisons, SideFeature
from tests.verification.test_assess import HAND


def _read(frame, **options):
    return Comparisons.from_frame(
        frame,
        genuine_column="same",
        subject_columns=("a", "b"),
        score_column="score",
        features=[SideFeature("sex", "sex_a", "sex_b")],
        **options,
    )


def test_subjects_and_groups_are_encoded_once_per_person():
    comparisons = _read(HAND)
    assert comparisons.n_subjects == 4
    sex = comparisons.features[0]
    assert sex.labels == ("F", "M") and sorted(sex.codes.tolist()) == [0, 0, 1, 1]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.drop(columns="sex_b"), "no column 'sex_b'"),
        (lambda f: f.assign(sex_a=["F", "M", *f.sex_a[2:]]), "more than one value of 'sex'"),
        (lambda f: f[f.same == 1], "no impostor pairs"),
        (lambda f: f.assign(same=[1, *f.same[1:]]), "marked genuine (same person) but compares two different subjects"),
        (lambda f: f.assign(score=["x", *f.score[1:]]), "not finite numbers"),
        (lambda f: f.assign(a=[None, *f.a[1:]]), "empty subject id"),
        (lambda f: f.assign(same=[None, *f.same[1:]]), "empty value"),
    ],
)
def test_bad_tables(change, message):
    with pytest.raises(DataError, match=message.replace("(", r"\(").replace(")", r"\)")):
        _read(change(HAND.copy()))
