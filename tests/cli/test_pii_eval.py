"""``ethicscheck pii-eval`` run for real: annotated files, predictions, JSON scores, renames, configs, bad numbers."""

from __future__ import annotations

import json

import pytest
import yaml

from tests.conftest import CONFIGS, run_cli

RECORDS = [
    {
        "full_text": "Call me at anna.k@example.com today",
        "spans": [{"entity_type": "EMAIL_ADDRESS", "entity_value": "anna.k@example.com", "start_position": 11, "end_position": 29}],
        "tags": ["email"],
    },
    {
        "full_text": "Visit example.org for details",
        "spans": [{"entity_type": "DOMAIN_NAME", "entity_value": "example.org", "start_position": 6, "end_position": 17}],
    },
    {"full_text": "Nothing personal in this sentence.", "spans": [], "tags": ["negative"]},
]


@pytest.fixture
def gold(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS))
    return path


def test_scores_an_annotated_file_with_predictions_and_json(tmp_path, gold):
    predictions, scores = tmp_path / "pred.jsonl", tmp_path / "scores.json"
    result = run_cli("pii-eval", "--data", str(gold), "--map", "DOMAIN_NAME=URL", "--predictions", str(predictions), "--json", str(scores))
    assert result.code == 0, result.stderr
    lines = [json.loads(line) for line in predictions.read_text().splitlines()]
    assert len(lines) == 3 and lines[2] == {"spans": []}
    assert {(s["entity_type"], s["start"], s["end"]) for s in lines[0]["spans"]} >= {("EMAIL_ADDRESS", 11, 29)}
    assert {(s["entity_type"], s["start"], s["end"]) for s in lines[1]["spans"]} == {("URL", 6, 17)}
    assert all(0 <= s["score"] <= 1 for line in lines for s in line["spans"])
    ev = json.loads(scores.read_text())
    assert ev["records"] == 3 and ev["iou"] == 0.5
    assert ev["per_entity"]["EMAIL_ADDRESS"]["recall"] == 1.0 and ev["per_entity"]["URL"]["recall"] == 1.0
    assert ev["false_alarms"] == {"records_without_entities": 1, "flagged": 0, "rate": 0.0}
    assert set(ev["by_tag"]) == {"email", "negative"}
    assert "lenient" in ev["per_entity"]["URL"]
    assert "EMAIL_ADDRESS" in result.stdout and "0 of 1 records without entities flagged" in result.stdout


def test_without_a_mapping_the_domain_is_missed_and_the_url_unscored(gold):
    result = run_cli("pii-eval", "--data", str(gold), "--json", "-")
    assert result.code == 0, result.stderr
    ev = json.loads(result.stdout)
    assert ev["per_entity"]["DOMAIN_NAME"]["recall"] == 0.0
    assert ev["not_looked_for"] == ["DOMAIN_NAME"] and ev["unscored_findings"] == {"URL": 1}


def test_config_privacy_section_sets_what_is_looked_for(tmp_path, gold):
    config = yaml.safe_load((CONFIGS / "demo.yaml").read_text())
    config.setdefault("privacy", {})["entities"] = ["PHONE_NUMBER"]
    path = tmp_path / "audit.yaml"
    path.write_text(yaml.safe_dump(config))
    result = run_cli("pii-eval", "--data", str(gold), "--config", str(path), "--json", "-")
    assert result.code == 0, result.stderr
    ev = json.loads(result.stdout)
    assert ev["per_entity"]["EMAIL_ADDRESS"]["recall"] == 0.0 and "EMAIL_ADDRESS" in ev["not_looked_for"]


def test_synthetic_corpus_without_data_has_a_disguised_slice():
    result = run_cli("pii-eval", "--ads", "200", "--json", "-")
    assert result.code == 0, result.stderr
    ev = json.loads(result.stdout)
    assert ev["records"] == 200 and ev["by_tag"]["disguised"]["overall"]["recall"] >= 0.9
    assert {"EMAIL_ADDRESS", "PHONE_NUMBER", "SOCIAL_HANDLE"} <= set(ev["per_entity"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--iou", "0"], "--iou"),
        (["--iou", "1.5"], "--iou"),
        (["--iou", "nan"], "--iou"),
        (["--n-jobs", "0"], "--n-jobs"),
        (["--n-jobs", "-2"], "--n-jobs"),
        (["--ads", "0"], "--ads"),
        (["--map", "DOMAIN_NAME"], "expected ANNOTATED_TYPE=SCANNER_TYPE"),
        (["--data", "absent.json"], "no such file"),
        (["--config", "absent.yaml"], "does not exist"),
    ],
)
def test_bad_options_exit_2_with_one_line(args, message):
    result = run_cli("pii-eval", *args)
    assert result.code == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_bad_record_exits_2_naming_the_record(tmp_path):
    path = tmp_path / "gold.json"
    path.write_text(json.dumps([{"full_text": "abc", "spans": [{"entity_type": "X", "start_position": 0, "end_position": 9}]}]))
    result = run_cli("pii-eval", "--data", str(path))
    assert result.code == 2 and "record 0, spans[0]" in result.stderr and "Traceback" not in result.stderr
