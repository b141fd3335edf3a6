"""No evidence is never a pass: audits of models that tell no groups apart end "insufficient evidence" (or fail).

Each case is a real audit through the real CLI (callable models, a CSV, the default gate settings), and
each asserts the exit code, the verdict in audit.json, and that the reason is named.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from ethicscheck.config import GateConfig
from ethicscheck.fairness import AssessSettings, assess
from ethicscheck.gates import evaluate_gates
from tests.conftest import run_cli

MODELS = """
import numpy as np

def nobody(frame):
    return np.zeros(len(frame))

def everybody(frame):
    return np.array(["suspicious"] * len(frame), dtype=object)

def constant_seven(frame):
    return np.full(len(frame), 7.0)

def zero_one(frame):
    # 0/1 while the positive label is the string 'suspicious': no output ever equals it
    return (frame["amount"].to_numpy() > 500).astype(int)

def constant_score(frame):
    return np.full(len(frame), 0.3)
"""

#: Gates that a model flagging nobody would pass if read naively: FPR 0 everywhere, spreads 0.
GATES = [
    {"metric": "fpr", "threshold": 0.2},
    {"metric": "fpr_ratio", "threshold": 1.25, "mode": "confident"},
    {"metric": "fpr_spread", "threshold": 0.1},
    {"metric": "fpr_max_ratio_to_reference", "threshold": 1.25},
    {"metric": "demographic_parity_difference", "threshold": 0.1},
    {"metric": "selection_rate_ratio", "threshold": 1.25},
    {"metric": "fnr_ratio", "threshold": 1.25, "mode": "precautionary"},
]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("no_evidence")
    rng = np.random.default_rng(0)
    n = 1200
    frame = pd.DataFrame(
        {
            "id": np.arange(n),
            "amount": rng.integers(1, 1000, n),
            "nationality": rng.choice(["A", "B", "C"], n),
            "label": np.where(rng.random(n) < 0.2, "suspicious", "benign"),
        }
    )
    frame.to_csv(root / "tx.csv", index=False)
    (root / "models.py").write_text(MODELS)
    return root


def _config(root: Path, function: str, **model: object) -> Path:
    config = {
        "name": f"no-evidence-{function}",
        "data": {
            "path": "tx.csv",
            "label": {"column": "label", "positive": "suspicious"},
            "sensitive_features": [{"column": "nationality"}],
        },
        "model": {"kind": "callable", "target": f"models.py:{function}", "input_columns": ["amount"], **model},
        "fairness": {"n_boot": 100, "metrics": ["fpr", "fnr", "selection_rate"]},
        "privacy": {"enabled": False},
        "gates": GATES,
    }
    path = root / f"{function}.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


@pytest.mark.parametrize(
    ("function", "model", "cause", "why"),
    [
        ("nobody", {}, "flagged none of the 1,200 rows", "the model returned only 0, but the positive class is 'suspicious'"),
        ("everybody", {}, "flagged all 1,200 rows", "the model returned only 'suspicious', and the positive class is 'suspicious'"),
        ("constant_seven", {}, "flagged none of the 1,200 rows", "the model returned only 7, but the positive class is 'suspicious'"),
        ("zero_one", {}, "flagged none of the 1,200 rows", "the model returned 0, 1, but the positive class is 'suspicious'"),
        (
            "constant_score",
            {"output": "score"},
            "flagged none of the 1,200 rows",
            "the model returned the score 0.3 for every row, and a row is flagged at a score of 0.5 or more",
        ),
        (
            "constant_score",
            {"output": "score", "threshold": 0.2},
            "flagged all 1,200 rows",
            "the model returned the score 0.3 for every row, and a row is flagged at a score of 0.2 or more",
        ),
    ],
)
def test_models_that_tell_no_groups_apart_never_pass(project, function, model, cause, why):
    config = _config(project, function, **model)
    done = run_cli("audit", "-c", str(config), "--out", str(project / f"out-{function}"), "--no-tracking", cwd=project)
    assert done.code != 0, done.stdout  # never a pass
    if done.code == 2:  # refused as unreadable output: not a pass either, and said in one line
        assert "Traceback" not in done.stderr and done.stderr.strip()
        return
    assert done.code == 1, done.stderr
    verdict = json.loads((project / f"out-{function}" / "audit.json").read_text())["verdict"]
    assert verdict["status"] in ("insufficient", "fail") and not verdict["passed"]
    assert cause in verdict["decisions"]
    assert why in verdict["decisions"], verdict["decisions"]  # the verdict says why, from what the model returned
    assert all(o["status"] in ("insufficient", "fail") for o in verdict["outcomes"]), verdict["outcomes"]
    assert "Verdict:" in done.stdout and cause in done.stdout
    if verdict["status"] == "insufficient":
        assert verdict["label"] == "insufficient evidence"


def test_a_model_that_flags_nobody_is_insufficient_even_where_a_rate_gate_would_pass():
    rng = np.random.default_rng(3)
    y = rng.random(900) < 0.3
    result = assess(y, np.zeros(900, dtype=bool), sensitive_features={"g": rng.choice(["a", "b"], 900)}, settings=AssessSettings(n_boot=50))
    verdict = evaluate_gates(result, [GateConfig(metric="fpr", threshold=0.05)], decision_note="every output was 0")
    (outcome,) = verdict.outcomes
    assert outcome.status == "insufficient" and verdict.status == "insufficient" and verdict.exit_code == 1
    assert verdict.decisions == "the model flagged none of the 900 rows (every output was 0)"
    assert "insufficient evidence" in outcome.message and "fpr" in outcome.message
    # a gate the constant decisions fail still fails: flagging everybody is measured harm
    everyone = assess(
        y, np.ones(900, dtype=bool), sensitive_features={"g": rng.choice(["a", "b"], 900)}, settings=AssessSettings(n_boot=50)
    )
    verdict = evaluate_gates(everyone, [GateConfig(metric="fpr", threshold=0.05), GateConfig(metric="fpr_spread", threshold=0.1)])
    assert [o.status for o in verdict.outcomes] == ["fail", "insufficient"] and verdict.status == "fail"


def test_constant_decisions_reason_uses_the_cards_outcome_word():
    rng = np.random.default_rng(5)
    y = rng.random(800) < 0.3
    result = assess(y, np.zeros(800, dtype=bool), sensitive_features={"g": rng.choice(["a", "b"], 800)}, settings=AssessSettings(n_boot=50))
    verdict = evaluate_gates(result, [GateConfig(metric="fpr", threshold=0.05)], flagged="alerted on")
    (outcome,) = verdict.outcomes
    assert verdict.decisions == "the model alerted on none of the 800 rows"
    assert outcome.message.endswith("cannot show who is wrongly alerted on.")
    assert "flagged" not in verdict.decisions + outcome.message


def test_one_flagged_row_is_not_constant():
    rng = np.random.default_rng(4)
    decision = np.zeros(600, dtype=bool)
    decision[7] = True
    result = assess(
        rng.random(600) < 0.3, decision, sensitive_features={"g": rng.choice(["a", "b"], 600)}, settings=AssessSettings(n_boot=0)
    )
    verdict = evaluate_gates(result, [GateConfig(metric="fpr", threshold=0.5)])
    assert verdict.decisions is None and verdict.status == "pass"


@pytest.mark.parametrize(
    ("statuses", "expected", "label", "code"),
    [
        ((), "pass", "no gates", 0),
        (("pass",), "pass", "pass", 0),
        (("pass", "warn"), "pass", "pass with warnings", 0),
        (("pass", "insufficient"), "insufficient", "insufficient evidence", 1),
        (("warn", "insufficient", "pass"), "insufficient", "insufficient evidence", 1),
        (("insufficient", "fail"), "fail", "fail", 1),
        (("fail", "pass"), "fail", "fail", 1),
    ],
)
def test_verdict_is_three_valued(statuses, expected, label, code):
    from ethicscheck.gates import GateOutcome, Verdict

    def outcome(status):
        return GateOutcome("g", "fpr", "f", status, "error", "point", "<=", 1.0, None, None, None, None, (), (), "m")

    verdict = Verdict(tuple(outcome(s) for s in statuses))
    assert (verdict.status, verdict.label, verdict.exit_code) == (expected, label, code)
    assert Verdict.from_dict(json.loads(json.dumps(verdict.to_dict()))) == verdict


def test_old_audit_json_no_data_reads_as_insufficient():
    from ethicscheck.gates import Verdict

    old = {
        "passed": True,
        "label": "pass",
        "outcomes": [
            {
                **dict.fromkeys(("value", "ci_low", "ci_high", "group", "baseline_value")),
                "gate": "g",
                "metric": "fpr",
                "feature": "f",
                "status": "no_data",
                "severity": "error",
                "mode": "point",
                "comparator": "<=",
                "threshold": 1.0,
                "groups_over": [],
                "groups_without_data": [],
                "message": "m",
            }
        ],
    }
    assert Verdict.from_dict(old).status == "insufficient"


def test_insufficient_ignore_is_a_deprecated_spelling_of_block():
    with pytest.warns(FutureWarning, match="'ignore' is deprecated"):
        gate = GateConfig(metric="fpr", threshold=0.1, insufficient="ignore")
    assert gate.insufficient == "block"
    assert GateConfig(metric="fpr", threshold=0.1).insufficient == "block"
