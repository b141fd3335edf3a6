"""The real command: exit codes, one-line errors, and every shipped config (in a subprocess; bad inputs through the
entry point in this process)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from ethicscheck import __version__
from tests.conftest import CONFIGS, run_cli
from tests.robustness.run import run_in_process
from tests.socket_guard import guarded_env

#: The demo's over-flagged nationalities (synth OVER_FLAGGED): the gate names the worse of the two.
PLANTED = ("Nigerian", "Nepali")


def test_version_and_help():
    assert run_cli("--version").stdout.strip() == f"ethicscheck {__version__}"
    shown = run_cli("--help")
    assert shown.code == 0 and "audit" in shown.stdout and "demo" in shown.stdout


def test_schema_prints_json():
    result = run_cli("schema")
    assert result.code == 0
    assert json.loads(result.stdout)["title"] == "ethicscheck audit config"


def test_validate_good_and_bad(tmp_path):
    assert run_cli("validate", str(CONFIGS / "precomputed.yaml")).code == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ndata: {path: a.csv, label: {column: y}, sensitive_features: [{column: g}]}\nmodel: {kind: onnx}\n")
    result = run_cli("validate", str(bad))
    assert result.code == 2
    assert "bad.yaml: model -> onnx -> path: Field required" in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_end_to_end_offline_and_quoted_by_the_readme(tmp_path):
    """``ethicscheck demo`` as a user runs it (default store ./mlflow.db), with a socket guard: nothing leaves loopback.

    The demo audits configs/demo.yaml (the packaged copy is the same file: tests/test_wheel.py), so README.md's quoted
    demo figures, which `make example` takes from this command's audit.json, are checked here. That configs/demo.yaml finds
    its inputs relative to itself is checked by ``plan``/``validate`` and the pytest plugin on a demo tree.
    """
    result = run_cli("demo", "--out", str(tmp_path / "demo"), cwd=tmp_path, env=guarded_env(tmp_path))
    assert result.code == 0, result.stderr
    for name in ("audit.json", "model_card.md", "model_card.html"):
        assert (tmp_path / "demo" / name).is_file()
    audit = json.loads((tmp_path / "demo" / "audit.json").read_text())
    nationality = next(f for f in audit["fairness"]["features"] if f["name"] == "nationality mentioned")
    fpr = {g["group"]: g["metrics"]["fpr"]["value"] for g in nationality["groups"]}
    assert max(fpr["Nigerian"], fpr["Nepali"]) > 1.8 * fpr["not mentioned"]
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=f"sqlite:///{tmp_path / 'mlflow.db'}")
    run = client.get_run(audit["tracking"]["run_id"])
    assert run.data.tags["ethicscheck.verdict"] == "fail"  # the planted bias is caught
    assert "planted bias fails the gate, as intended" in result.stdout
    assert "Ads with nationality mentioned “" in result.stdout
    sockets = tmp_path / "sockets.log"
    assert not sockets.exists(), f"connections off loopback: {sockets.read_text()}"

    # README.md quotes the demo's figures (top finding, a verdict reason, a power sentence, plan figures): each must
    # be what the demo produces (`make example` rewrites them with docs/update_readme.py)
    from ethicscheck.result import AuditResult

    spec = importlib.util.spec_from_file_location("update_readme", CONFIGS.parent / "docs" / "update_readme.py")
    assert spec is not None and spec.loader is not None
    update_readme = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(update_readme)
    readme = (CONFIGS.parent / "README.md").read_text(encoding="utf-8")
    stale = update_readme.stale_quotes(AuditResult.read_json(tmp_path / "demo" / "audit.json"), readme)
    assert stale == [], f"README's demo quotes {stale} are stale: run `make example`"
    assert update_readme.stale_quotes(AuditResult.read_json(tmp_path / "demo" / "audit.json"), readme.replace("“Nepali”", "“Filipino”"))


def test_precomputed_csv_audits_without_a_model_with_warnings_as_errors(tmp_path):
    """The shipped precomputed example, logged to MLflow, by a user who runs Python with warnings as errors."""
    result = run_cli(
        "audit",
        "-c",
        str(CONFIGS / "precomputed.yaml"),
        "--out",
        str(tmp_path / "out"),
        "--tracking-uri",
        f"sqlite:///{tmp_path / 'm.db'}",
        env={"PYTHONWARNINGS": "error::DeprecationWarning,error::FutureWarning"},
    )
    assert result.code == 0, result.stderr
    assert "MLflow run" in result.stdout
    audit = json.loads((tmp_path / "out" / "audit.json").read_text())
    assert audit["model"]["kind"] == "precomputed" and audit["tracking"]["logged"]
    groups = {g["group"] for g in audit["fairness"]["features"][0]["groups"]}
    assert "(missing)" in groups


def test_shipped_policy_example_fails_its_confident_gate(tmp_path):
    """configs/policy.yaml's error gate fails: exit 1, and the failing group in the console, JUnit, summary.md and
    GitHub's step summary (once)."""
    result = run_cli(
        "audit", "-c", str(CONFIGS / "policy.yaml"), "--out", str(tmp_path / "out"), env={"GITHUB_STEP_SUMMARY": str(tmp_path / "step.md")}
    )
    assert result.code == 1, result.stderr
    assert "fail" in result.stdout and any(g in result.stdout for g in PLANTED)
    assert (tmp_path / "out" / "audit.json").is_file()
    junit = (tmp_path / "out" / "junit.xml").read_text()
    assert "<failure" in junit and any(g in junit for g in PLANTED)
    summary = (tmp_path / "out" / "summary.md").read_text()
    assert "❌ fail | FPR parity by nationality" in summary and "confident reading" in summary
    assert "⚠️ warn | FNR spread between nationalities | nationality | nationality: fnr_spread" in summary
    assert (tmp_path / "step.md").read_text().count("### ethicscheck audit") == 1


def _config(tmp_path: Path, data_path: Path, **model) -> Path:
    config = {
        "name": "bad-input",
        "data": {"path": str(data_path), "label": {"column": "label"}, "sensitive_features": [{"column": "group"}]},
        "model": model or {"kind": "precomputed", "decision_column": "flagged"},
        "tracking": {"enabled": False},
    }
    path = tmp_path / "audit.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


GOOD = pd.DataFrame({"group": ["a", "b"] * 20, "label": [0, 1, 1, 0] * 10, "flagged": [1, 0] * 20})


@pytest.mark.parametrize(
    ("name", "make", "model", "message"),
    [
        ("empty", lambda p: p.write_text(""), {}, "is empty"),
        ("header only", lambda p: p.write_text("group,label,flagged\n"), {}, "header but no rows"),
        (
            "wrong column",
            lambda p: GOOD.rename(columns={"group": "grp"}).to_csv(p, index=False),
            {},
            "column 'group' (data.sensitive_features[0].column) not found. Available: grp, label, flagged",
        ),
        ("nan labels", lambda p: GOOD.assign(label=[None, 1] * 20).to_csv(p, index=False), {}, "20 of 40 rows have no label"),
        ("non-binary", lambda p: GOOD.assign(label=list(range(40))).to_csv(p, index=False), {}, "must be binary"),
        (
            "missing decision column",
            lambda p: GOOD.drop(columns="flagged").to_csv(p, index=False),
            {},
            "'flagged' (model.decision_column) not found",
        ),
        (
            "missing model file",
            lambda p: GOOD.to_csv(p, index=False),
            {"kind": "sklearn", "path": "nope.skops", "input_columns": ["flagged"]},
            "nope.skops does not exist",
        ),
        (
            "pickle",
            lambda p: (GOOD.to_csv(p, index=False), (p.parent / "m.pkl").write_bytes(b"x")),
            {"kind": "sklearn", "path": "m.pkl", "input_columns": ["flagged"]},
            "can run arbitrary code",
        ),
        (
            "huge categories",
            lambda p: pd.DataFrame({"group": [f"id{i}" for i in range(1500)], "label": [0, 1] * 750, "flagged": [1, 0] * 750}).to_csv(
                p, index=False
            ),
            {},
            "1,500 distinct values",
        ),
    ],
)
def test_bad_input_exits_2_with_one_clear_line(tmp_path, name, make, model, message):
    data = tmp_path / "data.csv"
    make(data)
    if model.get("path"):
        model = {**model, "path": str(tmp_path / model["path"])}
    # through the CLI's entry point in this process, as the robustness corpus runs its cases (no interpreter start)
    code, stdout, stderr, _ = run_in_process(["audit", "-c", str(_config(tmp_path, data, **model)), "--out", str(tmp_path / "out")])
    assert code == 2, (stdout, stderr)
    lines = [line for line in stderr.splitlines() if line.strip() and not line.startswith("•")]
    assert len(lines) == 1, stderr
    assert message in lines[0]
    assert "Traceback" not in stderr


def test_missing_config_file_exits_2():
    result = run_cli("audit", "-c", "does/not/exist.yaml")
    assert result.code == 2 and "does not exist" in result.stderr


def test_unknown_option_is_usage_error():
    assert run_cli("audit", "--bogus").code == 2
