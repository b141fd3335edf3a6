"""model_card.json: schema, sync with the published schema file, re-rendering, determinism."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest

from ethicscheck.cards import model_card_schema
from tests.audit_helpers import audit, demo_config
from tests.conftest import REPO, run_cli

_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00")


@pytest.fixture(scope="module")
def outcome(demo_outcome):
    """The demo audit the card tests share (tests/conftest.py)."""
    return demo_outcome


def test_model_card_json_validates_against_the_published_schema(outcome):
    card = json.loads(outcome.files["model_card.json"].read_text())
    published = json.loads((REPO / "docs" / "model_card.schema.json").read_text())
    jsonschema.validate(card, published)
    assert {"schema_version", "model_details", "model_parameters", "quantitative_analysis", "considerations", "ethicscheck"} <= set(card)
    metric = next(
        m for m in card["quantitative_analysis"]["performance_metrics"] if m["slice"] == "nationality=Nigerian" and m["type"] == "fpr"
    )
    assert metric["confidence_interval"]["lower_bound"] < metric["value"] < metric["confidence_interval"]["upper_bound"]
    assert card["ethicscheck"]["provenance"]["data_sha256"] == outcome.result.data.sha256


def test_published_schema_file_is_current():
    assert json.loads((REPO / "docs" / "model_card.schema.json").read_text()) == model_card_schema()


def test_card_command_rerenders_from_audit_json(outcome, tmp_path):
    result = run_cli("card", str(outcome.report_dir / "audit.json"), "--out", str(tmp_path), "--format", "all")
    assert result.code == 0, result.stderr
    for name in ("model_card.md", "model_card.html", "model_card.json"):
        assert (tmp_path / name).read_text() == outcome.files[name].read_text(), name
    assert run_cli("card", str(tmp_path / "missing.json")).code == 2


def test_same_inputs_and_seed_give_the_same_card_apart_from_timestamps(demo_inputs, outcome, tmp_path):
    again = audit(demo_config(demo_inputs), tmp_path, None)
    for name in ("model_card.json", "model_card.md", "model_card.html"):
        first = _TIMESTAMP.sub("<time>", outcome.files[name].read_text())
        second = _TIMESTAMP.sub("<time>", again.files[name].read_text())
        assert first == second, name


def test_committed_example_card_is_complete_and_current_in_shape():
    folder = REPO / "reports" / "example"
    for name in ("model_card.html", "model_card.md", "model_card.json", "chart_pii.svg", "README.md"):
        assert (folder / name).is_file(), f"reports/example/{name} missing: run `make example`"
    card = json.loads((folder / "model_card.json").read_text(encoding="utf-8"))
    jsonschema.validate(card, model_card_schema())
    charts = set(re.findall(r"\]\((chart_[^)]+\.svg)\)", (folder / "model_card.md").read_text(encoding="utf-8")))
    assert charts and all((folder / c).is_file() for c in charts)


def test_card_command_refuses_pdf_without_chromium_and_keeps_the_html(outcome, tmp_path):
    result = run_cli(
        "card",
        str(outcome.report_dir),
        "--out",
        str(tmp_path),
        "--format",
        "pdf",
        env={"ETHICSCHECK_CHROMIUM": str(tmp_path / "no-browser")},
    )
    assert result.code == 2
    assert "needs Chromium" in result.stderr and (tmp_path / "model_card.html").is_file()
