"""Contact data planted in a face-matching audit's subject attributes (group values), feature name, card fields and
file name reaches no published file, no console line and no MLflow field; so does contact data that only the scan of the
written report sees (a group noun of the card's sentences, a gate name).

Every planted value is one only the self-scan's recognizers see (a spelled-out phone number, a handle after
"snap", a messenger link), not the plain patterns: the audit must judge its inputs with the same recognizers
as its published files. A real audit (the CLI) logs into a real sqlite MLflow store, read back with MLflow's client.
"""

from __future__ import annotations

import json

import pytest
import yaml

from ethicscheck._pseudonyms import regex_finder
from ethicscheck.audit import run_audit
from ethicscheck.config import config_from_dict
from ethicscheck.errors import PersonalDataError
from ethicscheck.synth import ComparisonSpec, generate_comparisons
from tests.conftest import run_cli
from tests.published import carried, mlflow_fields, report_fields

pytestmark = pytest.mark.slow  # a real audit through the CLI and a real MLflow store

PHONE = "zero seven seven zero zero nine zero zero one two three"
HANDLE = "snap janedoe99"
LINK = "t.me/lina_k22"
#: Only in what the report writes from the config: the checks before the audit do not read these fields.
NOUN = "women (ask +44 7700 900123)"
GATE = "Escalate to t.me/gate_owner7"
#: What was planted, as it could reappear (letters and digits compared: slugs and markup still match).
PLANTED = ("seven seven zero zero nine", "janedoe99", "lina_k22", "hofer_kik", "7700 900123", "gate_owner7")


def _config(root, *, on_personal_data: str = "pseudonymize") -> dict:
    frame = generate_comparisons(ComparisonSpec(subjects_per_group=40, impostors_per_group=2_000, cross_impostors=1_000), seed=3)
    for side in ("region_a", "region_b"):  # both sides: a subject's attribute is planted wherever it appears
        frame[side] = frame[side].map({"north": HANDLE, "south": PHONE})
    path = root / "faces kik hofer_kik.csv"
    frame.to_csv(path, index=False)
    return {
        "name": "faces-planted",
        "task": "verification",
        "data": {
            "path": str(path),
            "label": {"column": "same_person"},
            "sensitive_features": [{"column": "sex", "reference": "male"}, {"column": "region", "name": f"region (ask {LINK})"}],
        },
        "verification": {
            "score_column": "similarity",
            "subject_columns": ["subject_a", "subject_b"],
            "targets": [1e-2],
            "group_nouns": {"female": NOUN, "male": "men"},
        },
        "fairness": {"n_boot": 20},
        "gates": [{"name": GATE, "metric": "fmr_ratio@1e-02", "scope": "sex", "threshold": 100}],
        "privacy": {"on_personal_data": on_personal_data},
        "tracking": {"uri": f"sqlite:///{root / 'mlflow.db'}", "experiment": "faces-planted"},
        "card": {"owners": ["Face-matching team", LINK], "description": f"Questions: {HANDLE}, or call {PHONE}"},
    }


def _run(root, config: dict):
    path = root / "faces.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return run_cli("audit", "--config", str(path), "--out", str(root / "report"), env={"GITHUB_STEP_SUMMARY": ""})


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    root = tmp_path_factory.mktemp("faces_planted")
    return root, _run(root, _config(root))


def test_the_planted_values_are_ones_the_plain_patterns_miss():
    assert not any(regex_finder(value) for value in (PHONE, HANDLE, LINK, "faces kik hofer_kik.csv"))


def test_the_audit_ran_and_kept_the_mapping_only_beside_the_report(audited):
    root, done = audited
    assert done.code in (0, 1), done.stderr
    mapping = json.loads((root / ".report.pseudonyms.json").read_text())
    assert {HANDLE, PHONE, f"region (ask {LINK})"} <= set(mapping)
    assert {"group", "feature", "contact"} <= {pseudonym.split("-")[0] for pseudonym in mapping.values()}
    for planted in ("7700 900123", "gate_owner7"):  # found by the scan of the written report, which rewrote it
        assert any(planted in value and pseudonym.startswith("contact-") for value, pseudonym in mapping.items()), planted
    saved = json.loads((root / "report" / "audit.json").read_text())
    assert saved["task"] == "verification" and saved["tracking"]["logged"] is True


def test_nothing_published_carries_planted_contact_data(audited, tmp_path):
    root, done = audited
    fields = {"console": done.stdout + done.stderr, **report_fields(root / "report")}
    fields.update(mlflow_fields(f"sqlite:///{root / 'mlflow.db'}", "faces-planted", tmp_path))
    assert {"report audit.json", "report model_card.md", "report model_card.html", "report junit.xml", "report summary.md"} <= set(fields)
    assert any(where.startswith("artifact ") and where.endswith(".svg") for where in fields)  # charts were logged and read
    assert any(key.count("/") >= 2 for key in fields["metric keys"].splitlines())  # per-group metrics were logged
    assert carried(fields, PLANTED) == {}


def test_stop_names_the_field_and_publishes_nothing(tmp_path):
    config = config_from_dict(_config(tmp_path, on_personal_data="stop"))
    with pytest.raises(PersonalDataError) as stopped:
        run_audit(config, out_dir=tmp_path / "report")
    assert str(stopped.value).startswith("card.owners[1] contains personal data (messenger links)")
    assert "privacy.on_personal_data" in str(stopped.value) and carried({"message": str(stopped.value)}, PLANTED) == {}
    assert not (tmp_path / "report").exists()
