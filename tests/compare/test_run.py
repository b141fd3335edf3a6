"""Comparisons on small data: membership risk ordering, determinism, tabular data, outputs, MLflow runs."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import mlflow
import numpy as np
import pandas as pd
import pytest

from ethicscheck.compare import compare_config_from_dict, run_comparison
from ethicscheck.compare._report import comparison_findings, write_comparison
from ethicscheck.compare._tracking import log_comparison
from tests.conftest import run_cli

_OVERFIT = {
    "name": "overfit",
    "seeds": [0],
    "synth": {"ads": 1500, "label_noise": 0.1},
    "features": {"kind": "text", "max_features": 4000, "min_df": 1},
    "baseline": {"C": 10000.0},
    "candidates": [
        {"method": "dp_logistic_regression", "epsilons": [1.0], "data_norm": 1.0},
        {"method": "dp_gaussian_nb", "epsilons": [1.0], "bounds": [0.0, 1.0]},
    ],
    "privacy_risk": {"shadow_models": 1, "max_rows": 500, "n_boot": 300},
    "fairness": {"n_boot": 50, "min_group_size": 10},
    "paired": {"n_boot": 500},
    "tracking": {"enabled": False},
}


@pytest.fixture(scope="module")
def overfit():
    return run_comparison(compare_config_from_dict(_OVERFIT))


def test_overfit_baseline_leaks_membership_and_dp_models_do_not(overfit):
    base = overfit.summary("baseline").pooled
    for name in ("DP logistic regression ε=1", "DP Gaussian NB ε=1"):
        dp = overfit.summary(name).pooled
        assert base["mia_auc_loss"] > dp["mia_auc_loss"] + 0.08, (base["mia_auc_loss"], dp["mia_auc_loss"])
        assert base["mia_auc_shadow"] > dp["mia_auc_shadow"] + 0.05, (base["mia_auc_shadow"], dp["mia_auc_shadow"])
        assert abs(dp["mia_auc_loss"] - 0.5) < 0.06
    assert base["mia_advantage_loss"] > 0.15
    # the positive control's intervals exclude chance; the DP models' include it
    (run,) = [r for r in overfit.runs if r.candidate == "baseline"]
    assert all(a.leaks and a.auc.ci_low > 0.5 for a in run.attacks)
    dp_runs = [r for r in overfit.runs if r.family == "diffprivlib"]
    assert all(a.auc.ci_low <= 0.5 <= a.auc.ci_high and not a.leaks for r in dp_runs for a in r.attacks)
    assert "Evidence of membership leakage" in " ".join(comparison_findings(overfit))


def test_same_config_and_seeds_give_the_same_figures(overfit):
    again = run_comparison(compare_config_from_dict(_OVERFIT))
    for first, second in zip(overfit.runs, again.runs):
        a, b = first.headline(), second.headline()
        a.pop("fit_seconds"), b.pop("fit_seconds")
        assert a == b and first.attacks == second.attacks


def test_outputs_table_chart_and_card_section(overfit, tmp_path):
    files = write_comparison(overfit, tmp_path)
    data = json.loads(files["comparison.json"].read_text(encoding="utf-8"))
    assert [s["candidate"] for s in data["summaries"]][0] == "baseline" and len(data["runs"]) == 3
    assert data["dp_scope"]["not_covered"] == ["TF-IDF vocabulary and IDF weights"]
    assert {c["verdict"] for c in data["comparisons"]} <= {"narrows", "widens", "no evidence either way", "not assessed"}
    md = files["comparison.md"].read_text(encoding="utf-8")
    assert "| Candidate | ε | Accuracy |" in md and "| Candidate | Attack | AUC [95% CI] |" in md and "](pareto.svg)" in md
    assert "Filled markers are on the Pareto front" in md and "Whiskers run from" in md and "mean of runs" not in md
    html = files["comparison.html"].read_text(encoding="utf-8")
    assert '<svg role="img"' in html and not re.search(r'(src|href)="(?!#)', html)  # nothing to fetch
    assert files["pareto.svg"].read_text(encoding="utf-8").startswith("<?xml")


def test_candidate_names_are_escaped_in_html(overfit, tmp_path):
    hostile = replace(
        overfit,
        summaries=tuple(
            replace(s, candidate=f"<script>{s.candidate}</script>") if s.candidate != "baseline" else s for s in overfit.summaries
        ),
    )
    html = write_comparison(hostile, tmp_path)["comparison.html"].read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_front_and_verdicts_cover_every_useful_candidate(overfit):
    assert overfit.front and all(not overfit.summary(name).degenerate for name in overfit.front)
    assert [c.candidate for c in overfit.comparisons] == [s.candidate for s in overfit.summaries][1:]
    for c in overfit.comparisons:
        assert c.verdict in ("narrows", "widens", "no evidence either way", "not assessed")
        if c.verdict == "narrows":
            assert c.differences["fpr_gap"].pooled.ci_high < 0


def _tabular(path):
    rng = np.random.default_rng(4)
    n = 2400
    group = rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2])
    x1, x2 = rng.normal(size=n), rng.normal(size=n)
    leak = (group == "c") * 1.0 + rng.normal(scale=0.5, size=n)  # a feature correlated with the group
    label = (x1 + 0.5 * x2 + rng.normal(scale=0.8, size=n)) > 0.8
    pd.DataFrame({"x1": x1, "x2": x2, "leak": leak, "region": rng.choice(["n", "s"], n), "group": group, "label": label}).to_csv(
        path, index=False
    )


def test_fairlearn_and_custom_candidates_on_tabular_data_and_mlflow_children(tmp_path):
    _tabular(tmp_path / "rows.csv")
    config = compare_config_from_dict(
        {
            "name": "tabular",
            "seeds": [0, 1],
            "data": {
                "path": str(tmp_path / "rows.csv"),
                "label": {"column": "label", "positive": True},
                "sensitive_features": [{"column": "group"}],
            },
            "features": {"kind": "tabular", "columns": ["x1", "x2", "leak", "region"]},
            "candidates": [
                {"method": "threshold_optimizer", "constraints": "false_positive_rate_parity"},
                {"method": "exponentiated_gradient", "constraints": "EqualizedOdds", "max_iter": 10},
                {"method": "correlation_remover"},
                {"method": "custom", "name": "my method", "factory": "tests.compare.factories:make", "params": {"C": 0.5}},
            ],
            "privacy_risk": {"shadow_models": 1, "max_rows": 300, "n_boot": 200},
            "fairness": {"n_boot": 50, "min_group_size": 10},
            "paired": {"n_boot": 500},
        }
    )
    result = run_comparison(config)
    assert [s.candidate for s in result.summaries] == [
        "baseline",
        "ThresholdOptimizer (false_positive_rate_parity)",
        "ExponentiatedGradient (EqualizedOdds)",
        "CorrelationRemover (alpha=1)",
        "my method",
    ]
    assert all({a.attack for a in r.attacks} == {"loss", "shadow"} for r in result.runs)
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    files = write_comparison(result, tmp_path / "out")
    info = log_comparison(result, tracking_uri=uri, experiment="compare-test", artifacts=list(files.values()))
    client = mlflow.MlflowClient(tracking_uri=uri)
    children = client.search_runs([info.experiment_id], filter_string=f"tags.mlflow.parentRunId = '{info.run_id}'")
    assert len(children) == 10
    child = next(c for c in children if c.data.tags["ethicscheck.candidate"] == "my method" and c.data.tags["ethicscheck.seed"] == "1")
    assert {"fpr/overall", "fpr_difference/group", "mia_auc/loss", "mia_auc/shadow", "fit_seconds"} <= set(child.data.metrics)
    assert child.data.params["method"] == "custom"
    parent = client.get_run(info.run_id)
    assert parent.data.tags["ethicscheck.kind"] == "comparison" and "fpr_gap/baseline" in parent.data.metrics
    assert {a.path for a in client.list_artifacts(info.run_id)} >= {"comparison.html", "comparison.md", "pareto.svg", "comparison.json"}


@pytest.mark.slow
def test_cli_writes_the_report_and_logs(tmp_path):
    config = tmp_path / "compare.yaml"
    raw = {
        **_OVERFIT,
        "name": "cli",
        "synth": {"ads": 800},
        "candidates": [{"method": "dp_gaussian_nb", "epsilons": [1.0], "bounds": [0, 1]}],
        "tracking": {"enabled": True},
    }
    config.write_text(json.dumps(raw), encoding="utf-8")
    result = run_cli("compare", "--config", str(config), "--out", str(tmp_path / "out"), "--tracking-uri", f"sqlite:///{tmp_path / 'm.db'}")
    assert result.code == 0, result.stderr
    assert (tmp_path / "out" / "comparison.html").is_file() and "MLflow parent run" in result.stdout
    assert "Pareto front" in result.stdout


def test_a_method_that_cannot_fit_a_split_is_reported_and_the_rest_go_on(tmp_path):
    _tabular(tmp_path / "rows.csv")
    rows = pd.read_csv(tmp_path / "rows.csv")
    tiny = rows.head(8).assign(group="only-negatives", label=False)  # ThresholdOptimizer needs both labels per group
    pd.concat([rows, tiny]).to_csv(tmp_path / "rows.csv", index=False)
    config = compare_config_from_dict(
        {
            "name": "degenerate",
            "seeds": [0],
            "data": {
                "path": str(tmp_path / "rows.csv"),
                "label": {"column": "label", "positive": True},
                "sensitive_features": [{"column": "group"}],
            },
            "features": {"kind": "tabular", "columns": ["x1", "x2"]},
            "candidates": [
                {"method": "threshold_optimizer", "constraints": "false_positive_rate_parity"},
                {"method": "correlation_remover"},
            ],
            "privacy_risk": {"enabled": False},
            "fairness": {"n_boot": 0, "min_group_size": 5},
        }
    )
    result = run_comparison(config)
    assert [s.candidate for s in result.summaries] == ["baseline", "CorrelationRemover (alpha=1)"]
    failure = result.failures[0]
    assert failure.candidate == "ThresholdOptimizer (false_positive_rate_parity)" and failure.stage == "fit"
    assert "only-negatives" in failure.reason
    files = write_comparison(result, tmp_path / "out")
    assert "failed on seed 0 (fit)" in files["comparison.md"].read_text(encoding="utf-8")
