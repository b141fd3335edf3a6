"""Contact data planted in the group values of the membership files (and in a file name) is published only as the
pseudonym the evaluation data's values get, in no file, console line or MLflow field.

The planted values are ones only the self-scan's recognizers see (a spelled-out phone number; a handle after
"snap", in the member and non-member files only; a handle after "kik" in a file name): the membership stage
must judge them like the evaluation data's, before anything is computed, not leave them to the last scan of the
written report (which would publish them as ``contact-<hash>``, under another name than the same group elsewhere).
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import yaml

from ethicscheck._pseudonyms import pseudonym, regex_finder
from ethicscheck.synth import generate_ads
from tests.conftest import run_cli
from tests.published import carried, mlflow_fields, report_fields

pytestmark = pytest.mark.slow  # a real audit through the CLI and a real MLflow store

PHONE = "zero seven seven zero zero nine zero zero one two three"
HANDLE = "snap janedoe99"
MEMBERS = "members kik hofer_kik.parquet"
PLANTED = ("seven seven zero zero nine", "janedoe99", "hofer_kik")


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    root = tmp_path_factory.mktemp("membership_planted")
    rng = np.random.default_rng(5)
    frame = generate_ads(800, seed=2).drop(columns=["pii", "indicators"])
    frame["region"] = frame["region"].replace({"north": PHONE, "south": HANDLE})
    frame["score"] = np.clip(0.3 * frame["label"] + rng.normal(0.35, 0.2, len(frame)), 0, 1)
    train = rng.random(len(frame)) < 0.5
    frame[train].to_parquet(root / MEMBERS)
    frame[~train].to_parquet(root / "heldout.parquet")
    frame[~train & (frame["region"] != HANDLE)].to_parquet(root / "eval.parquet")  # the handle is in the membership files only
    config = {
        "name": "membership-planted",
        "data": {
            "path": str(root / "eval.parquet"),
            "label": {"column": "label"},
            "text_column": "text",
            "sensitive_features": [{"column": "region"}],
            "intersections": "none",
        },
        "model": {"kind": "precomputed", "score_column": "score"},
        "fairness": {"n_boot": 20},
        "privacy": {"enabled": False},
        "tracking": {"uri": f"sqlite:///{root / 'mlflow.db'}", "experiment": "membership-planted"},
        "membership_risk": {"members": str(root / MEMBERS), "nonmembers": str(root / "heldout.parquet"), "n_boot": 50},
    }
    path = root / "membership.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    done = run_cli("audit", "--config", str(path), "--out", str(root / "report"), env={"GITHUB_STEP_SUMMARY": ""})
    return root, done


def test_the_planted_values_are_ones_the_plain_patterns_miss():
    assert not any(regex_finder(value) for value in (PHONE, HANDLE, MEMBERS))


def test_membership_groups_are_published_under_the_pseudonyms_of_the_group_values(audited):
    root, done = audited
    assert done.code in (0, 1), done.stderr
    membership = json.loads((root / "report" / "audit.json").read_text())["membership"]
    (region,) = membership["by_feature"]
    named = {group["group"] for group in region["groups"]}
    assert {pseudonym(PHONE, prefix="group", salt=""), pseudonym(HANDLE, prefix="group", salt="")} <= named
    assert not any(name.startswith("contact-") for name in named)  # not left to the scan of the written report
    assert membership["members_file"].startswith("file-") and membership["members_file"].endswith(".parquet")


def test_nothing_published_carries_planted_contact_data(audited, tmp_path):
    root, done = audited
    fields = {"console": done.stdout + done.stderr, **report_fields(root / "report")}
    fields.update(mlflow_fields(f"sqlite:///{root / 'mlflow.db'}", "membership-planted", tmp_path))
    assert {"report audit.json", "report model_card.md", "report model_card.html"} <= set(fields)
    assert any(where.startswith("artifact ") for where in fields)
    assert carried(fields, PLANTED) == {}
