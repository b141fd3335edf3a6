"""The pytest plugin, run for real in a subprocess."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import CONFIGS, demo_tree


def demo_policy(tmp_path: Path, demo_inputs, name: str, gates: list[dict]) -> Path:
    config = yaml.safe_load((CONFIGS / "demo.yaml").read_text())
    config["data"]["path"] = str(demo_inputs.eval_path)
    config["model"]["path"] = str(demo_inputs.model_path)
    config["fairness"]["n_boot"] = 200
    config["tracking"] = {"enabled": False}
    config["privacy"] = {"enabled": False}  # the gates judge fairness figures: no text scan, no probes (the shipped
    del config["probes"]  # config runs whole in test_shipped_demo_config_fails_on_the_planted_bias_naming_the_group)
    config["gates"] = gates
    path = tmp_path / name
    path.write_text(yaml.safe_dump(config))
    return path


def run_pytest(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rA", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


@pytest.mark.slow
def test_shipped_demo_config_fails_on_the_planted_bias_naming_the_group(tmp_path, demo_inputs):
    """`pytest --ethicscheck configs/demo.yaml`, with the demo inputs where the config expects them."""
    demo_tree(tmp_path, demo_inputs)
    done = run_pytest("--ethicscheck", "configs/demo.yaml", "--ethicscheck-no-tracking", "--ethicscheck-out", "out", cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Nobody wrongly flagged 1.25x" in done.stdout and "<= 1.25" in done.stdout
    assert "'Nigerian'" in done.stdout or "'Nepali'" in done.stdout  # the demo's over-flagged groups
    assert "1 failed" in done.stdout
    assert (tmp_path / "out" / "demo" / "junit.xml").is_file()


@pytest.mark.slow
def test_a_policy_the_demo_meets_passes_and_yaml_files_are_collected(tmp_path, demo_inputs):
    tests = tmp_path / "audits"
    tests.mkdir()
    demo_policy(
        tests,
        demo_inputs,
        "ethicscheck_demo.yaml",
        [
            {"metric": "fpr_ratio", "scope": "nationality mentioned", "threshold": 10.0, "mode": "confident"},
            {"metric": "fnr", "scope": "features", "threshold": 0.6},
        ],
    )
    done = run_pytest(str(tests), "--ethicscheck-out", str(tmp_path / "reports"), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout  # fpr_ratio on one feature, fnr on two single features


def test_missing_config_is_a_usage_error(tmp_path):
    done = run_pytest("--ethicscheck", "nope.yaml", cwd=tmp_path)
    assert done.returncode == 4 and "no such config file" in done.stderr


def test_broken_audit_is_a_readable_collection_error(tmp_path):
    bad = tmp_path / "ethicscheck_bad.yaml"
    bad.write_text(
        "name: bad\ndata: {path: missing.csv, label: {column: y}, sensitive_features: [{column: g}]}\nmodel: {kind: precomputed, "
        "decision_column: d}\ntracking: {enabled: false}\n"
    )
    done = run_pytest(str(bad), cwd=tmp_path)
    assert done.returncode == 2
    assert "cannot run" in done.stdout and "missing.csv does not exist" in done.stdout


def test_collection_runs_no_audit_and_logs_no_run(tmp_path):
    """`pytest --collect-only` names every gate and scope from the config; nothing is scored or logged."""
    import pandas as pd

    pd.DataFrame({"g": ["a", "b"] * 50, "h": ["x"] * 50 + ["y"] * 50, "y": [0, 1] * 50, "d": [1, 0, 0, 1] * 25}).to_csv(
        tmp_path / "data.csv", index=False
    )
    config = {
        "name": "collect",
        "data": {"path": "data.csv", "label": {"column": "y"}, "sensitive_features": [{"column": "g"}, {"column": "h"}]},
        "model": {"kind": "precomputed", "decision_column": "d"},
        "fairness": {"n_boot": 50, "min_group_size": 10},
        "privacy": {"enabled": False},
        "gates": [{"metric": "fpr_ratio", "threshold": 2.0}, {"metric": "fnr", "scope": "h", "threshold": 0.9}],
        "tracking": {"uri": f"sqlite:///{tmp_path / 'mlflow.db'}"},
        "output": {"dir": str(tmp_path / "reports")},
    }
    path = tmp_path / "ethicscheck_collect.yaml"
    path.write_text(yaml.safe_dump(config))
    done = run_pytest("--collect-only", str(path), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    for item in ("fpr_ratio <= 2 [g]", "fpr_ratio <= 2 [h]", "fpr_ratio <= 2 [g & h]", "fnr <= 0.9 [h]"):
        assert item in done.stdout, done.stdout
    assert not (tmp_path / "reports").exists() and not (tmp_path / "mlflow.db").exists()
    ran = run_pytest(str(path), cwd=tmp_path)  # the test phase runs the audit, once, and judges all four items
    counts = {word: int(n) for n, word in re.findall(r"(\d+) (passed|failed)", ran.stdout.splitlines()[-1])}
    assert sum(counts.values()) == 4, ran.stdout
    assert (tmp_path / "reports" / "junit.xml").is_file() and (tmp_path / "mlflow.db").is_file()
