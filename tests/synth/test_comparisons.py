"""The comparisons generator plants exactly the differentials it says, at its reference operating point."""

from __future__ import annotations

import numpy as np
import pytest

from ethicscheck.synth import ComparisonSpec, comparison_arrays, generate_comparisons


def test_planted_rates_hold_at_the_reference_score():
    spec = ComparisonSpec(fmr_factor={"a": 1.0, "b": 4.0}, fnmr_factor={"b": 2.0}, base_fmr=1e-2, base_fnmr=0.05)
    z = spec.reference_score
    assert spec.true_fmr("a", z) == pytest.approx(1e-2) and spec.true_fmr("b", z) == pytest.approx(4e-2)
    assert spec.true_fnmr("a", z) == pytest.approx(0.05) and spec.true_fnmr("b", z) == pytest.approx(0.10)


def test_generated_scores_follow_the_spec():
    spec = ComparisonSpec(fmr_factor={"a": 1.0, "b": 4.0}, base_fmr=1e-2, subjects_per_group=400, impostors_per_group=200_000)
    arrays = comparison_arrays(spec, seed=0)
    z = spec.reference_score
    for g, name in enumerate(spec.groups):
        within = ~arrays.genuine & (arrays.subject_group[arrays.subject_a] == g) & (arrays.subject_group[arrays.subject_b] == g)
        assert within.sum() == spec.impostors_per_group
        assert (arrays.similarity[within] >= z).mean() == pytest.approx(spec.true_fmr(name, z), rel=0.25)
    assert (arrays.subject_a[~arrays.genuine] != arrays.subject_b[~arrays.genuine]).all()
    assert (arrays.subject_a[arrays.genuine] == arrays.subject_b[arrays.genuine]).all()


def test_table_is_seeded_and_consistent_per_subject():
    first, again = generate_comparisons(seed=4), generate_comparisons(seed=4)
    assert first.equals(again)
    sides = np.concatenate([first[["subject_a", "sex_a"]].to_numpy(), first[["subject_b", "sex_b"]].to_numpy()])
    assert len({tuple(row) for row in sides}) == len({row[0] for row in sides})  # one sex per subject


def test_the_true_rates_are_scipy_stats_norms_without_importing_it_at_start_up():
    """``ethicscheck demo`` imports ethicscheck.synth: scipy.stats (about a second) is not loaded by it, and the
    normal distribution's functions it uses instead give scipy.stats.norm's numbers to the bit."""
    import subprocess
    import sys

    from scipy import stats

    code = "import sys, ethicscheck.synth; print('scipy.stats' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"
    spec = ComparisonSpec(fmr_factor={"female": 3.0, "male": 1.0}, fnmr_factor={"female": 1.5})
    assert spec.reference_score == float(stats.norm.isf(spec.base_fmr))
    for group in spec.groups:
        assert spec.impostor_mean(group) == spec.reference_score - float(stats.norm.isf(spec.base_fmr * spec.fmr_factor[group]))
        for threshold in (-1.0, 2.5, spec.reference_score):
            assert spec.true_fmr(group, threshold) == float(stats.norm.sf(threshold - spec.impostor_mean(group)))
            assert spec.true_fnmr(group, threshold) == float(stats.norm.cdf(threshold - spec.genuine_mean(group)))
