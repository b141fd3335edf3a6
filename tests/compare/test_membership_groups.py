"""Membership risk per group in a comparison, on the small noisy data of test_run.py with a planted outlier group."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from ethicscheck.compare import compare_config_from_dict, run_comparison
from ethicscheck.compare._report import comparison_findings, write_comparison
from ethicscheck.synth import CorpusSpec, generate_ads

OUTLIER = "Nepali"


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """The overfit comparison of test_run.py on a file whose Nepali ads are outliers: each one's words are its own."""
    frame = generate_ads(1500, seed=0, spec=CorpusSpec(label_noise=0.1)).drop(columns=["pii", "indicators"])
    rng = np.random.default_rng(7)
    outlier = frame["nationality"] == OUTLIER
    frame.loc[outlier, "text"] = [" ".join(f"w{rng.integers(10**9):x}" for _ in range(12)) for _ in range(outlier.sum())]
    path = tmp_path_factory.mktemp("planted") / "ads.parquet"
    frame.to_parquet(path)
    config = {
        "name": "planted",
        "seeds": [0],
        "data": {
            "path": str(path),
            "label": {"column": "label", "positive": True},
            "text_column": "text",
            "sensitive_features": [{"column": "nationality", "reference": "not mentioned"}],
            "intersections": "none",
        },
        "features": {"kind": "text", "max_features": 4000, "min_df": 1},
        "baseline": {"C": 10000.0},
        "candidates": [{"method": "dp_logistic_regression", "epsilons": [1.0, 10.0], "data_norm": 1.0}],
        "privacy_risk": {"shadow_models": 1, "max_rows": 500, "n_boot": 300},
        "fairness": {"n_boot": 50, "min_group_size": 10},
        "paired": {"n_boot": 500},
        "tracking": {"enabled": False},
    }
    return run_comparison(compare_config_from_dict(config))


def test_the_overfit_baseline_exposes_the_outlier_group_and_dp_candidates_do_not(planted):
    (base,) = [r for r in planted.runs if r.candidate == "baseline"]
    assert {g.attack for g in base.membership_by_group} == {"loss", "shadow"}
    for risk in base.membership_by_group:
        exposed = risk.group(OUTLIER)
        others = [g for g in risk.groups if g.group != OUTLIER]
        assert risk.worst is exposed and risk.exceeds, risk.to_dict()
        assert exposed.excess_auc.ci_low > 0  # the interval excludes equality with everyone
        assert all(exposed.figures.auc.value > g.figures.auc.value for g in others)
    dp_runs = [r for r in planted.runs if r.family == "diffprivlib"]
    assert len(dp_runs) == 2 and not all(r.degenerate for r in dp_runs)
    for run in dp_runs:
        for risk in run.membership_by_group:
            assert not risk.exceeds, (run.candidate, risk.to_dict())
            excess = risk.group(OUTLIER).excess_auc
            assert excess.ci_low <= 0 <= excess.ci_high


def test_the_report_says_it_in_words_and_tables(planted, tmp_path):
    findings = " ".join(comparison_findings(planted))
    assert f"better in the nationality group '{OUTLIER}' than overall" in findings
    assert "with evidence: baseline seed 0 (loss); baseline seed 0 (shadow)." in findings
    files = write_comparison(planted, tmp_path)
    md = files["comparison.md"].read_text(encoding="utf-8")
    assert "## Membership risk per group" in md and "| Candidate | Attack | Most exposed group |" in md
    assert f"| baseline | loss | {OUTLIER} |" in md and "| Candidate | Attack | Group | Members / non-members |" in md
    html = files["comparison.html"].read_text(encoding="utf-8")
    assert "Membership risk per nationality group" in html and "simultaneous over the groups" in html


def test_the_readme_quotes_the_overfit_baselines_sentence(planted):
    (base,) = [r for r in planted.runs if r.candidate == "baseline"]
    (loss,) = [risk for risk in base.membership_by_group if risk.attack == "loss"]
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    quoted = re.search(r"<!-- planted-membership -->(.*?)<!-- /planted-membership -->", readme, re.S)
    assert quoted is not None, "README.md: no <!-- planted-membership --> quote"
    assert " ".join(quoted.group(1).split()) == loss.sentence(), f"README's membership quote is stale; it should read: {loss.sentence()}"
