from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import fisher_exact

from ethicscheck.fairness import AssessSettings, assess, compare_proportions, holm


@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2", "method"),
    [
        (2, 40, 0, 50, "fisher_exact"),
        (1, 8, 7, 8, "fisher_exact"),
        (60, 400, 30, 400, "two_proportion_z"),
        (20, 300, 20, 300, "two_proportion_z"),
    ],
)
def test_test_choice_and_p_values(x1, n1, x2, n2, method):
    p, used = compare_proportions(x1, n1, x2, n2)
    assert used == method
    if method == "fisher_exact":
        assert p == pytest.approx(fisher_exact([[x1, n1 - x1], [x2, n2 - x2]])[1])
    else:
        p1, p2, pooled = x1 / n1, x2 / n2, (x1 + x2) / (n1 + n2)
        z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        from scipy.stats import norm

        assert p == pytest.approx(2 * norm.sf(abs(z)))
    assert 0.0 <= p <= 1.0


@pytest.mark.parametrize(
    ("raw", "adjusted"),
    [([0.01, 0.04, 0.03], [0.03, 0.06, 0.06]), ([0.5], [0.5]), ([0.2, 0.4, 0.9, 0.01], [0.6, 0.8, 0.9, 0.04]), ([], [])],
)
def test_holm_table(raw, adjusted):
    np.testing.assert_allclose(holm(raw), adjusted)


def test_groups_get_tests_against_the_reference_with_holm_across_groups():
    y = np.zeros(1200, dtype=bool)
    rates = {"ref": 0.05, "same": 0.05, "double": 0.15, "tiny": 0.5}
    sizes = {"ref": 500, "same": 300, "double": 380, "tiny": 20}
    pred, groups = [], []
    for name, share in rates.items():
        n = sizes[name]
        pred += [True] * round(share * n) + [False] * (n - round(share * n))
        groups += [name] * n
    result = assess(y, np.array(pred), sensitive_features={"g": groups}, settings=AssessSettings(n_boot=0), reference={"g": "ref"})
    feature = result.feature("g")
    assert feature.group("double").tests["fpr"].significant
    assert not feature.group("same").tests["fpr"].significant
    assert "fpr" not in feature.group("tiny").tests  # insufficient data is not tested
    assert "fpr" not in feature.group("ref").tests
    raw = [feature.group(g).tests["fpr"].p_value for g in ("double", "same")]
    np.testing.assert_allclose([feature.group(g).tests["fpr"].p_adjusted for g in ("double", "same")], holm(raw))


def test_pooled_bootstrap_and_bootstrap_rate_intervals():
    rng = np.random.default_rng(3)
    y = rng.random(2000) < 0.3
    pred = rng.random(2000) < 0.25
    groups = {"g": rng.choice(["a", "b", "c"], 2000)}
    pooled = assess(y, pred, sensitive_features=groups, settings=AssessSettings(bootstrap="pooled", rate_ci="bootstrap", seed=1))
    stratified = assess(y, pred, sensitive_features=groups, settings=AssessSettings(rate_ci="bootstrap", seed=1))
    a_pooled = pooled.feature("g").group("a").metrics["fpr"]
    a_strat = stratified.feature("g").group("a").metrics["fpr"]
    assert a_pooled.value == a_strat.value
    assert a_pooled.method == "bootstrap" and a_pooled.ci_low < a_pooled.value < a_pooled.ci_high
    assert (a_pooled.ci_low, a_pooled.ci_high) != (a_strat.ci_low, a_strat.ci_high)
    assert pooled.methods["bootstrap"] == "pooled"


def test_disparities_are_symmetric_under_relabelling():
    rng = np.random.default_rng(4)
    y = rng.random(3000) < 0.3
    pred = rng.random(3000) < np.where(np.arange(3000) % 3 == 0, 0.35, 0.2)
    labels = np.array(["x", "y", "z"])[np.arange(3000) % 3]
    renamed = np.array(["zz", "aa", "mm"])[np.arange(3000) % 3]
    first = assess(y, pred, sensitive_features={"g": labels}, settings=AssessSettings(n_boot=0), reference={"g": "y"}).feature("g")
    second = assess(y, pred, sensitive_features={"g": renamed}, settings=AssessSettings(n_boot=0), reference={"g": "aa"}).feature("g")
    for key in ("fpr_difference", "fpr_ratio", "fpr_max_over_min", "equalized_odds_difference", "demographic_parity_ratio"):
        assert first.disparities[key].value == pytest.approx(second.disparities[key].value)
    x_vs_y = first.group("x").difference["fpr"].value
    y_as_ref_diff = (
        assess(y, pred, sensitive_features={"g": labels}, settings=AssessSettings(n_boot=0), reference={"g": "x"})
        .feature("g")
        .group("y")
        .difference["fpr"]
        .value
    )
    assert x_vs_y == pytest.approx(-y_as_ref_diff)
    assert first.disparities["fpr_max_over_min"].value == pytest.approx(1 / first.disparities["fpr_ratio"].value)


@pytest.mark.parametrize("key", ["fdr", "for"])
def test_fdr_and_for_complement_precision_and_npv(key):
    rng = np.random.default_rng(5)
    y, pred = rng.random(500) < 0.3, rng.random(500) < 0.4
    result = assess(y, pred, sensitive_features={"g": ["a"] * 500}, settings=AssessSettings(metrics=("precision", "npv", key), n_boot=0))
    group = result.feature("g").group("a").metrics
    partner = {"fdr": "precision", "for": "npv"}[key]
    assert group[key].value == pytest.approx(1 - group[partner].value)


def test_normal_tails_and_quantiles_are_scipy_stats_norm_to_the_bit():
    # The engine computes them with scipy.special (no scipy.stats import at start-up); same numbers.
    from scipy.stats import norm

    from ethicscheck.fairness._significance import compare_proportions_many
    from ethicscheck.fairness._uncertainty import z_value

    rng = np.random.default_rng(3)
    n1 = rng.integers(200, 5000, 300)
    x1 = rng.binomial(n1, rng.uniform(0.05, 0.6, 300))
    got = [p for p, _ in compare_proportions_many(x1, n1, 400, 2000)]
    z = (x1 / n1 - 400 / 2000) / np.sqrt((x1 + 400) / (n1 + 2000) * (1 - (x1 + 400) / (n1 + 2000)) * (1 / n1 + 1 / 2000))
    assert got == (2 * norm.sf(np.abs(z))).tolist()
    for level in (0.8, 0.9, 0.95, 0.99, 0.999):
        assert z_value(level) == norm.ppf(0.5 + level / 2)
