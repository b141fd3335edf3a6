"""Contact data planted in group names, a file name, card fields and a feature name reaches no published
file and no MLflow field; a small group names no metric key and no table row. On the in-memory engine and
on the stream engine (which reads the group values in batches).

Some planted values only the self-scan's recognizers see (a handle after "sc", a messenger link), not the
plain patterns: they must be pseudonymised before anything is computed from them, on both engines.

A real audit (the CLI) logs into a real sqlite MLflow store; every field is then read back with
MLflow's own client: params, metric keys, tags, the run and experiment names, the dataset input, every
artifact (tables included), and every file of the report folder.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import yaml

from tests.conftest import run_cli
from tests.published import mlflow_fields

pytestmark = pytest.mark.slow  # a real audit through the CLI and a real MLflow store (~15 s of CPU)

#: What was planted, as it could reappear (whole, or the part a slug or a recognizer keeps).
PLANTED = ("corpmail", "900123", "janedoe99", "lina_k22")
SMALL_GROUP = "tinygroupx"


@pytest.fixture(scope="module", params=["pandas", "stream"])
def audited(tmp_path_factory, request):
    root = tmp_path_factory.mktemp(f"planted_{request.param}")
    rng = np.random.default_rng(7)
    n = 1200  # two batches of the stream engine
    recruiter = rng.choice(["agent.jane@corpmail.com", "+44 7700 900123", "sc janedoe99", "t.me/lina_k22", "agency"], n)
    recruiter[:3] = SMALL_GROUP  # three rows: below card.min_published_group
    x = rng.normal(size=n)
    frame = pd.DataFrame(
        {
            "recruiter": recruiter,
            "label": (x + rng.normal(0, 0.8, n) > 0).astype(int),
            "flagged": (x > 0).astype(int),
            "text": [f"Work abroad, call 0{i % 10}1 555 0{i % 1000:03d} or mail a{i}@example.org" for i in range(n)],
        }
    )
    data = root / "ads_+44-7700-900123.csv"
    frame.to_csv(data, index=False)
    uri = f"sqlite:///{root / 'mlflow.db'}"
    config = {
        "name": "planted",
        "data": {
            "path": str(data),
            "engine": request.param,
            "batch_rows": 1000,
            "label": {"column": "label"},
            "text_column": "text",
            "sensitive_features": [{"column": "recruiter", "name": "recruiter (ask jane@corpmail.com)"}],
        },
        "model": {"kind": "precomputed", "decision_column": "flagged"},
        "fairness": {"n_boot": 20},
        "privacy": {"max_rows": 400},
        "tracking": {"uri": uri, "experiment": "planted"},
        "card": {
            "owners": ["Screening team", "jane.doe@corpmail.com"],
            "description": "Questions: +44 7700 900123 or snap janedoe99",
            "intended_use": "Escalations go to t.me/lina_k22",
            "min_published_group": 10,
        },
    }
    path = root / "planted.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    done = run_cli("audit", "--config", str(path), "--out", str(root / "report"), env={"GITHUB_STEP_SUMMARY": ""})
    return {"root": root, "uri": uri, "done": done, "engine": request.param}


def _found(text: str) -> list[str]:
    return [p for p in PLANTED if p in text]


def test_the_audit_ran_and_kept_the_mapping_only_beside_the_report(audited):
    done, root = audited["done"], audited["root"]
    assert done.code in (0, 1), done.stderr
    assert not _found(done.stdout + done.stderr)
    mapping = json.loads((root / ".report.pseudonyms.json").read_text())
    assert {"agent.jane@corpmail.com", "+44 7700 900123", "sc janedoe99", "t.me/lina_k22", "recruiter (ask jane@corpmail.com)"} <= set(
        mapping
    )
    assert "jane.doe@corpmail.com" in mapping  # the card field
    assert json.loads((root / "report" / "audit.json").read_text())["run"]["engine"]["name"] == audited["engine"]


def test_no_report_file_carries_planted_contact_data(audited):
    folder = audited["root"] / "report"
    names = sorted(p.name for p in folder.iterdir())
    assert {"audit.json", "model_card.html", "model_card.md", "model_card.json", "junit.xml", "summary.md"} <= set(names)
    for path in folder.iterdir():
        assert not _found(path.name + path.read_text(errors="replace")), path.name
    scan = json.loads((folder / "audit.json").read_text())["privacy"]["artifacts"]
    assert scan["findings"] == 0  # what was published is clean


def test_no_mlflow_field_carries_planted_contact_data_or_the_small_group(audited, tmp_path):
    fields = mlflow_fields(audited["uri"], "planted", tmp_path)
    assert any(key.startswith("fpr/") for key in fields["metric keys"].splitlines())  # group metrics are logged, under pseudonyms
    artifacts = [where for where in fields if where.startswith("artifact ")]
    assert any(where.startswith("artifact tables/") for where in artifacts) and "artifact audit.json" in artifacts
    for where, text in fields.items():
        assert not _found(text), f"{where} carries {_found(text)}"
    for where in ("metric keys", *(f for f in artifacts if f.startswith("artifact tables/"))):
        assert SMALL_GROUP not in fields[where], f"{where} names a group of 3 rows"
