"""Per-group rates, the cross-group matrix, intervals and statuses on a case worked by hand, and against pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ethicscheck.synth import ComparisonSpec, generate_comparisons
from ethicscheck.verification import Comparisons, SideFeature, assess_verification

# Four people: f1, f2 (female), m1, m2 (male). Six impostor comparisons, four genuine ones.
HAND = pd.DataFrame(
    {
        "a": ["f1", "f1", "m1", "m1", "f1", "f2", "f1", "f2", "m1", "m2"],
        "b": ["f2", "f2", "m2", "m2", "m1", "m2", "f1", "f2", "m1", "m2"],
        "sex_a": ["F", "F", "M", "M", "F", "F", "F", "F", "M", "M"],
        "sex_b": ["F", "F", "M", "M", "M", "M", "F", "F", "M", "M"],
        "score": [0.9, 0.2, 0.3, 0.1, 0.8, 0.0, 0.95, 0.5, 0.7, 0.6],
        "same": [0, 0, 0, 0, 0, 0, 1, 1, 1, 1],
    }
)


def _comparisons(frame=HAND, **options):
    options.setdefault("score_column", "score")
    return Comparisons.from_frame(
        frame, genuine_column="same", subject_columns=("a", "b"), features=[SideFeature("sex", "sex_a", "sex_b")], **options
    )


def _rates(point):
    return {g.group: (g.fmr.numerator, g.fmr.denominator, g.fnmr.numerator, g.fnmr.denominator) for g in point.groups}


def test_hand_case_at_targets_and_a_fixed_threshold():
    result = assess_verification(_comparisons(), targets=[0.17, 0.5], thresholds=[0.5], n_boot=0, min_genuine_pairs=1)
    assert [p.key for p in result.points] == ["fmr@1.7e-01", "fmr@5e-01", "threshold=0.5"]
    # 0.17 of 6 impostors: one may match; the 2nd largest impostor score is 0.8, so the threshold is 0.9
    assert [p.threshold for p in result.points] == [0.9, 0.3, 0.5]
    assert [(p.false_matches, p.false_non_matches) for p in result.points] == [(1, 3), (3, 0), (2, 0)]
    sex = result.feature("sex")
    assert _rates(sex.at("fmr@1.7e-01")) == {"F": (1, 2, 1, 2), "M": (0, 2, 2, 2)}
    assert _rates(sex.at("fmr@5e-01")) == {"F": (1, 2, 0, 2), "M": (1, 2, 0, 2)}
    assert _rates(sex.at("threshold=0.5")) == {"F": (1, 2, 0, 2), "M": (0, 2, 0, 2)}
    cross = sex.at("fmr@5e-01").cross
    assert cross.impostor_pairs == ((2, 2), (2, 2)) and cross.false_matches == ((1, 1), (1, 1))  # f1-m1 scores 0.8


def test_zero_false_matches_get_a_clopper_pearson_upper_bound():
    male = assess_verification(_comparisons(), targets=[], thresholds=[0.5], n_boot=0).feature("sex").at("threshold=0.5").group("M")
    assert male.fmr.value == 0.0 and male.fmr.ci_low == 0.0
    assert male.fmr.ci_high == pytest.approx(1 - 0.025 ** (1 / 2), rel=1e-12)
    assert male.fmr.method == "clopper_pearson"


def test_too_few_impostors_for_the_target_is_insufficient_data_not_a_rate_to_compare():
    sex = assess_verification(_comparisons(), targets=[0.5], n_boot=0, min_genuine_pairs=3).feature("sex")
    female = sex.at("fmr@5e-01").group("F")
    assert female.fmr.status == "insufficient_data" and female.fmr.value == 0.5
    assert "at least 6 are needed" in female.fmr.reason  # 3 / 0.5
    assert female.fnmr.status == "insufficient_data"
    assert sex.at("fmr@5e-01").summaries["fmr_max_over_min"].status == "undefined"


def test_distances_give_the_same_decisions_with_the_threshold_on_their_own_scale():
    frame = HAND.assign(score=-HAND["score"])
    similar = assess_verification(_comparisons(), targets=[0.5], thresholds=[0.5], n_boot=0)
    distant = assess_verification(_comparisons(frame, higher_is_more_similar=False), targets=[0.5], thresholds=[-0.5], n_boot=0)
    assert [p.threshold for p in distant.points] == [-0.3, -0.5]
    assert [(p.false_matches, p.false_non_matches) for p in distant.points] == [
        (p.false_matches, p.false_non_matches) for p in similar.points
    ]


def test_decisions_only():
    frame = HAND.assign(decision=(HAND["score"] >= 0.5).astype(int))
    result = assess_verification(_comparisons(frame, score_column=None, decision_column="decision"), n_boot=0)
    assert [p.key for p in result.points] == ["decision"]
    assert _rates(result.feature("sex").at("decision")) == {"F": (1, 2, 0, 2), "M": (0, 2, 0, 2)}
    assert result.feature("sex").det == ()


def _generated(frame, *features, **options):
    options.setdefault("score_column", "similarity")
    return Comparisons.from_frame(
        frame, genuine_column="same_person", subject_columns=("subject_a", "subject_b"), features=list(features), **options
    )


@pytest.fixture(scope="module")
def generated():
    spec = ComparisonSpec(subjects_per_group=200, impostors_per_group=20_000, cross_impostors=10_000)
    return generate_comparisons(spec, seed=3)


def test_rates_equal_a_straightforward_pandas_computation(generated):
    comparisons = _generated(generated, SideFeature("sex", "sex_a", "sex_b"), SideFeature("region", "region_a", "region_b"))
    result = assess_verification(comparisons, targets=[1e-2, 1e-3], thresholds=[2.5], n_boot=0)
    impostor = generated[generated.same_person == 0]
    genuine = generated[generated.same_person == 1]
    for point in result.points:
        ordered = np.sort(impostor.similarity.to_numpy())[::-1]
        if point.target_fmr is not None:
            k = int(np.floor(point.target_fmr * len(ordered) + 1e-9))
            assert (ordered >= point.threshold).sum() <= k < (ordered >= ordered[k]).sum()
        for feature in ("sex", "region", "sex & region"):
            columns = feature.split(" & ")
            key_a, key_b = _joined(impostor, columns, "_a"), _joined(impostor, columns, "_b")
            within = impostor[key_a == key_b].assign(group=key_a[key_a == key_b])
            matches = within.similarity >= point.threshold
            expected_fmr = matches.groupby(within.group).agg(lambda s: (s.sum(), len(s)))
            owners = _joined(genuine, columns, "_a")
            misses = genuine.similarity < point.threshold
            expected_fnmr = misses.groupby(owners).agg(lambda s: (s.sum(), len(s)))
            for group in result.feature(feature).at(point.key).groups:
                assert (group.fmr.numerator, group.fmr.denominator) == expected_fmr[group.group]
                assert (group.fnmr.numerator, group.fnmr.denominator) == expected_fnmr[group.group]


def _joined(frame, columns, side):
    key = frame[f"{columns[0]}{side}"]
    for column in columns[1:]:
        key = key + " & " + frame[f"{column}{side}"]
    return key


def test_bootstrap_is_seeded_and_covers_the_estimate(generated):
    comparisons = _generated(generated, SideFeature("sex", "sex_a", "sex_b"))
    first = assess_verification(comparisons, targets=[1e-2], n_boot=200, seed=5)
    again = assess_verification(comparisons, targets=[1e-2], n_boot=200, seed=5)
    assert first.to_dict() == again.to_dict()
    for group in first.feature("sex").at("fmr@1e-02").groups:
        assert group.fmr.method == "subject_gamma_poisson_clopper_pearson"
        assert group.fmr.ci_low < group.fmr.value < group.fmr.ci_high
        ratio = group.fmr_ratio
        if group.group == first.feature("sex").at("fmr@1e-02").reference:
            assert (ratio.value, ratio.ci_low, ratio.ci_high) == (1.0, 1.0, 1.0)
        else:
            assert ratio.method == "subject_effective_conditional" and ratio.ci_low < ratio.value < ratio.ci_high


def test_subject_dependence_widens_the_interval_beyond_independent_comparisons():
    spec = ComparisonSpec(subjects_per_group=100, impostors_per_group=20_000, cross_impostors=0, subject_sd=0.5)
    comparisons = _generated(generate_comparisons(spec, seed=2), SideFeature("sex", "sex_a", "sex_b"), intersections="none")
    clustered = assess_verification(comparisons, targets=[1e-2], n_boot=300).feature("sex").at("fmr@1e-02").group("male").fmr
    naive = assess_verification(comparisons, targets=[1e-2], n_boot=0).feature("sex").at("fmr@1e-02").group("male").fmr
    assert clustered.ci_high - clustered.ci_low > 1.5 * (naive.ci_high - naive.ci_low)


@pytest.mark.parametrize("mode", ["score", "decision"])
def test_result_round_trips_through_its_json_byte_for_byte(generated, mode):
    import json

    from ethicscheck.verification import VerificationResult

    frame = generated.assign(matched=(generated["similarity"] > 2.0).astype(int)) if mode == "decision" else generated
    columns = {"decision_column": "matched", "score_column": None} if mode == "decision" else {}
    comparisons = _generated(frame, SideFeature("sex", "sex_a", "sex_b"), **columns)
    result = assess_verification(
        comparisons, targets=[1e-2], thresholds=[] if mode == "decision" else [2.0], n_boot=20, references={"sex": "male"}
    )
    written = json.dumps(result.to_dict(), indent=2)
    assert json.dumps(VerificationResult.from_dict(json.loads(written)).to_dict(), indent=2) == written


def test_result_document_keeps_its_published_layout(generated):
    """The keys and their order users' scripts read in audit.json's verification section (as before the one converter)."""
    document = assess_verification(_generated(generated, SideFeature("sex", "sex_a", "sex_b")), targets=[1e-2], n_boot=0).to_dict()
    assert list(document) == ["n_comparisons", "n_genuine", "n_impostor", "n_subjects", "settings", "points", "features"]
    assert list(document["settings"]) == [
        "targets", "thresholds", "n_boot", "confidence_level", "alpha", "min_genuine_pairs", "seed", "higher_is_more_similar"
    ]  # fmt: skip
    assert list(document["points"][0]) == [
        "key", "kind", "target_fmr", "threshold", "impostor_pairs", "false_matches", "genuine_pairs", "false_non_matches", "fmr", "fnmr"
    ]  # fmt: skip
    feature = document["features"][0]
    assert list(feature) == ["name", "groups", "points", "det"]
    point = feature["points"][0]
    assert list(point) == ["point", "reference", "groups", "cross_group", "summaries"]
    assert list(point["groups"][0]) == ["group", "n_subjects", "fmr", "fnmr", "fmr_ratio", "fnmr_ratio"]
    assert list(point["cross_group"]) == ["impostor_pairs", "false_matches", "fmr"]
    assert list(feature["det"][0]) == ["group", "fmr", "fnmr"]


def test_at_parity_the_spread_summaries_hold_their_estimate():
    spec = ComparisonSpec(fmr_factor={"a": 1.0, "b": 1.0, "c": 1.0}, subjects_per_group=100, impostors_per_group=20_000, cross_impostors=0)
    comparisons = _generated(generate_comparisons(spec, seed=4), SideFeature("sex", "sex_a", "sex_b"), intersections="none")
    summaries = assess_verification(comparisons, targets=[1e-2], n_boot=100).feature("sex").at("fmr@1e-02").summaries
    for key in ("fmr_max_over_min", "fmr_max_over_geomean", "fairness_discrepancy_rate"):
        estimate = summaries[key]
        assert estimate.method == "simultaneous_gamma_poisson_clopper_pearson"
        assert estimate.ci_low <= estimate.value <= estimate.ci_high
    assert summaries["fmr_max_over_min"].ci_low == 1.0  # parity is inside
