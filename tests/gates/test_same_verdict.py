"""One config, four ways in, one verdict: the CLI, the pytest plugin, ethicscheck.testing and the MLflow evaluator.

Each scenario is a precomputed-decision data set and one gate; every entry point reads the same rows with
the same settings, and each must reach the same verdict (pass, fail, insufficient evidence).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from ethicscheck.testing import parity_verdict
from tests.robustness.run import run_in_process

GATE = {"metric": "fpr_ratio", "threshold": 1.25, "mode": "confident"}
FAIRNESS = {"n_boot": 200, "min_group_size": 30}


def _frame(scenario: str) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    n = 2000
    group = rng.choice(["a", "b"], n)
    label = rng.random(n) < 0.25
    if scenario == "pass":
        flagged = np.where(label, rng.random(n) < 0.7, rng.random(n) < 0.10)
    elif scenario == "fail":
        flagged = np.where(label, rng.random(n) < 0.7, rng.random(n) < np.where(group == "b", 0.30, 0.08))
    else:  # insufficient: the model flags nobody
        flagged = np.zeros(n, dtype=bool)
    return pd.DataFrame({"id": np.arange(n), "group": group, "label": label.astype(int), "flagged": flagged.astype(int)})


def _config(folder: Path) -> Path:
    config = {
        "name": "same-verdict",
        "data": {
            "path": "data.csv",
            "label": {"column": "label", "positive": 1},
            "sensitive_features": [{"column": "group", "reference": "a"}],
        },
        "model": {"kind": "precomputed", "decision_column": "flagged"},
        "fairness": FAIRNESS,
        "privacy": {"enabled": False},
        "gates": [GATE],
        "tracking": {"enabled": False},
    }
    path = folder / "ethicscheck_same.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def _cli(folder: Path, config: Path) -> str:
    # the CLI's entry point in this process (as the robustness corpus runs it): the plugin below is the subprocess
    code, stdout, stderr, _ = run_in_process(["audit", "-c", str(config), "--out", str(folder / "cli"), "--json"])
    status = json.loads(stdout)["verdict"]["status"]
    assert code == (0 if status == "pass" else 1), stderr
    return status


def _plugin(folder: Path, config: Path) -> str:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--ethicscheck",
            str(config),
            "--ethicscheck-out",
            str(folder / "plugin"),
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = done.stdout + done.stderr
    if done.returncode == 0:
        return "pass"
    assert done.returncode == 1, output
    return "insufficient" if "insufficient evidence" in output else "fail"


def _testing(frame: pd.DataFrame) -> str:
    verdict = parity_verdict(
        lambda inputs: frame["flagged"].to_numpy(),
        frame,
        sensitive="group",
        metric=GATE["metric"],
        limit=GATE["threshold"],
        mode=GATE["mode"],
        reference={"group": "a"},
        min_group_size=FAIRNESS["min_group_size"],
        n_boot=FAIRNESS["n_boot"],
        features=["flagged"],
    )
    return verdict.status


def _evaluator(folder: Path, frame: pd.DataFrame) -> str:
    import mlflow

    uri = f"sqlite:///{folder / 'mlflow.db'}"
    mlflow.set_tracking_uri(uri)
    try:
        # An experiment of its own: the default one of a new sqlite store keeps artifacts in ./mlruns (the repo root).
        experiment = mlflow.create_experiment("same-verdict", artifact_location=(folder / "mlartifacts").as_uri())
        with mlflow.start_run(experiment_id=experiment) as run:
            mlflow.models.evaluate(
                data=frame.drop(columns=["id"]),
                predictions="flagged",
                targets="label",
                model_type="classifier",
                evaluators=["ethicscheck"],
                evaluator_config={
                    "ethicscheck": {"sensitive_features": [{"column": "group", "reference": "a"}], "fairness": FAIRNESS, "gates": [GATE]}
                },
            )
        return mlflow.MlflowClient(tracking_uri=uri).get_run(run.info.run_id).data.tags["ethicscheck.verdict_status"]
    finally:
        mlflow.set_tracking_uri(None)


@pytest.mark.parametrize("scenario", ["pass", "fail", "insufficient"])
def test_cli_plugin_testing_and_evaluator_reach_the_same_verdict(tmp_path, scenario):
    frame = _frame(scenario)
    frame.to_csv(tmp_path / "data.csv", index=False)
    config = _config(tmp_path)
    verdicts = {
        "cli": _cli(tmp_path, config),
        "pytest plugin": _plugin(tmp_path, config),
        "ethicscheck.testing": _testing(frame),
        "mlflow evaluator": _evaluator(tmp_path, frame),
    }
    assert set(verdicts.values()) == {scenario}, verdicts
