"""`ethicscheck validate` checks everything that can be known without scoring, and lists every problem at once."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from ethicscheck.validation import validate_file
from tests.conftest import CONFIGS, run_cli


@pytest.fixture
def project(tmp_path) -> Path:
    frame = pd.DataFrame(
        {
            "id": range(60),
            "text": ["an ad"] * 60,
            "gender": ["f", "m"] * 30,
            "region": ["n", "s", "e"] * 20,
            "label": ["suspicious", "benign", "benign"] * 20,
            "flagged": [0, 1] * 30,
        }
    )
    frame.to_csv(tmp_path / "ads.csv", index=False)
    frame.to_parquet(tmp_path / "ads.parquet")
    (tmp_path / "model.py").write_text("def predict(frame):\n    return [0] * len(frame)\n")
    return tmp_path


def write(folder: Path, **changes) -> Path:
    config = {
        "name": "v",
        "data": {
            "path": "ads.csv",
            "label": {"column": "label", "positive": "suspicious"},
            "id_column": "id",
            "text_column": "text",
            "sensitive_features": [{"column": "gender"}, {"column": "region"}],
        },
        "model": {"kind": "precomputed", "decision_column": "flagged", "positive_class": 1},
        "gates": [{"metric": "fpr_ratio", "scope": "gender", "threshold": 1.25}],
    }
    for key, value in changes.items():
        config[key] = {**config[key], **value} if key == "data" else value
    path = folder / "audit.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def test_a_good_config_is_valid_and_says_what_was_checked(project):
    report = validate_file(write(project))
    assert report.valid and report.kind == "audit", report.problems
    assert {"schema", "data file", "columns", "label values", "gates"} <= set(report.checked)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"data": {"path": "missing.csv"}}, "data -> path: The data file"),
        ({"data": {"path": "model.py"}}, "Cannot tell the format"),
        (
            {"data": {"label": {"column": "labels", "positive": "suspicious"}}},
            "column 'labels' is not in the data file (did you mean 'label'?)",
        ),
        ({"data": {"label": {"column": "label", "positive": "yes"}}}, "no row equals data.label.positive ('yes')"),
        ({"data": {"text_column": "body"}}, "data -> text_column: column 'body'"),
        (
            {"gates": [{"metric": "fpr_ratio", "scope": "genderr", "threshold": 1.25}]},
            "'genderr' is not an audited feature (did you mean 'gender'?)",
        ),
        ({"gates": [{"metric": "tnr_spread", "threshold": 0.1}]}, "'tnr_spread' needs 'tnr' in fairness.metrics"),
        ({"gates": [{"metric": "roc_auc", "comparator": ">=", "threshold": 0.7}]}, "needs model scores"),
        ({"gates": [{"metric": "fpr_ratio", "regression": {"baseline": "old/audit.json"}}]}, "regression -> baseline"),
        ({"model": {"kind": "precomputed", "decision_column": "decision"}}, "model -> decision_column: column 'decision'"),
        ({"model": {"kind": "sklearn", "path": "model.skops"}}, "model -> path"),
        ({"model": {"kind": "callable", "target": "nope.py:predict"}}, "model -> target"),
        ({"privacy": {"columns": ["txt"]}}, "privacy -> columns[0]: column 'txt'"),
    ],
)
def test_each_problem_is_named_without_scoring(project, changes, expected):
    report = validate_file(write(project, **changes))
    assert not report.valid
    assert any(expected in p for p in report.problems), report.problems


def test_intersection_scopes_follow_the_config(project):
    assert validate_file(write(project, gates=[{"metric": "fpr", "scope": "gender & region", "threshold": 0.5}])).valid
    report = validate_file(
        write(project, data={"intersections": "none"}, gates=[{"metric": "fpr", "scope": "gender & region", "threshold": 0.5}])
    )
    assert any("'gender & region' is not an audited feature" in p for p in report.problems)


def test_parquet_is_checked_from_its_schema(project):
    assert validate_file(write(project, data={"path": "ads.parquet"})).valid
    report = validate_file(write(project, data={"path": "ads.parquet", "id_column": "ad_id"}))
    assert any("column 'ad_id'" in p for p in report.problems)


def test_every_problem_at_once_through_the_cli(project):
    path = write(
        project,
        data={"text_column": "body", "sensitive_features": [{"column": "gendr"}]},
        gates=[{"metric": "fpr_ratio", "scope": "genderr", "threshold": 1.25}, {"metric": "tnr", "threshold": 0.5}],
    )
    done = run_cli("validate", str(path))
    assert done.code == 2 and "Traceback" not in done.stderr
    for part in ("data -> text_column", "sensitive_features[0] -> column: column 'gendr'", "gates[0] -> scope", "gates[1] -> metric"):
        assert part in done.stderr, done.stderr
    assert "4 problem(s); nothing was scored" in done.stderr


def test_schema_errors_and_file_errors_are_listed_together(project):
    path = write(project, data={"path": "missing.csv"}, model={"kind": "onnx"})
    report = validate_file(path)
    assert any("model -> onnx -> path: Field required" in p for p in report.problems)
    assert any("data -> path: The data file" in p for p in report.problems), report.problems


def test_json_output(project):
    good = run_cli("validate", str(write(project)), "--json")
    assert good.code == 0 and json.loads(good.stdout)["valid"] is True
    bad = run_cli("validate", str(write(project, data={"path": "missing.csv"})), "--json")
    parsed = json.loads(bad.stdout)
    assert bad.code == 2 and parsed["valid"] is False and parsed["kind"] == "audit" and parsed["problems"]


def test_load_model_runs_only_when_asked(project):
    (project / "broken.skops").write_bytes(b"not a model")
    path = write(project, model={"kind": "sklearn", "path": "broken.skops"})
    assert validate_file(path).valid  # the file exists; loading it is opt-in
    report = validate_file(path, load_model=True)
    assert not report.valid and any(p.startswith(f"{path}: model") for p in report.problems), report.problems
    assert "model loads" in report.checked


def test_compare_configs_are_recognised_by_their_shape():
    report = validate_file(CONFIGS / "compare_demo.yaml")
    assert report.kind == "compare" and report.valid, report.problems
    done = run_cli("validate", str(CONFIGS / "compare_demo.yaml"))
    assert done.code == 0 and "valid compare config" in done.stdout and "unknown field" not in done.stderr


def test_a_broken_compare_config_is_checked_as_one(tmp_path):
    path = tmp_path / "cmp.yaml"
    path.write_text(
        "name: c\ndata: {path: nope.csv, label: {column: y}, sensitive_features: [{column: g}]}\ncandidates: [{method: magic}]\n"
    )
    report = validate_file(path)
    assert report.kind == "compare" and not report.valid
    assert any("candidates" in p for p in report.problems) and any("nope.csv" in p for p in report.problems), report.problems
    assert not any("unknown field" in p for p in report.problems)


@pytest.mark.parametrize("name", ["demo.yaml", "precomputed.yaml", "policy.yaml"])
def test_shipped_audit_configs_validate(name, demo_inputs, tmp_path):
    from tests.conftest import demo_tree

    if name == "demo.yaml":
        path = demo_tree(tmp_path, demo_inputs)
    else:
        path = CONFIGS / name
    report = validate_file(path)
    assert report.valid, report.problems


def test_validate_reads_real_files_as_the_audit_does(tmp_path):
    """Header-less CSV, missing markers and a filter: validate sees the labels of the rows the audit keeps."""
    from ethicscheck.validation import validate_file

    (tmp_path / "adult.data").write_text("39, White, 0\n50, ?, 1\n38, Black, maybe\n")
    config = tmp_path / "audit.yaml"
    base = (
        "name: t\ndata:\n  path: adult.data\n  format: csv\n  header: false\n  columns: [age, race, label]\n  na_values: ['?']\n"
        "  label: {column: label, positive: 1}\n  sensitive_features: [{column: race}]\n"
        "model: {kind: precomputed, decision_column: label}\n"
    )
    config.write_text(base)
    report = validate_file(config)
    assert any("' maybe' (1 row)" in p for p in report.problems), report.problems
    config.write_text(base.replace("  label:", "  filter: [{column: age, at_most: 50}, {column: label, not_equal: maybe}]\n  label:"))
    assert validate_file(config).valid, validate_file(config).problems


def test_validate_reads_decision_columns_as_the_audit_does(tmp_path):
    """The silent-misread corpus fails validate too, with the audit's message, before anything is scored."""
    from tests.misreads.corpus import CASES, write_case

    for case in CASES:
        report = validate_file(write_case(case, tmp_path / case.id))
        assert not report.valid, case.id
        joined = "\n".join(report.problems)
        assert all(expected in joined for expected in case.expected), (case.id, joined)
        assert not any(forbidden in joined for forbidden in case.forbidden), case.id
    config = tmp_path / "ok.yaml"
    config.write_text(
        (tmp_path / CASES[0].id / "audit.yaml")
        .read_text()
        .replace("decision_column: decision", "decision_column: decision\n  flagged_values: [flagged]\n  not_flagged_values: [clear]")
    )
    (tmp_path / "data.csv").write_bytes((tmp_path / CASES[0].id / "data.csv").read_bytes())
    assert validate_file(config).valid, validate_file(config).problems
    assert "decision values" in validate_file(config).checked


def test_a_compare_config_without_its_extra_is_a_problem(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "art" else real(name, *a))
    report = validate_file(CONFIGS / "compare_demo.yaml")
    assert not report.valid and any("pip install 'ethicscheck[compare]'" in p for p in report.problems), report.problems
