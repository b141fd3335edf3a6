"""End to end: decisions nobody/everybody, scores on their own scale, sensitive columns as model inputs."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from ethicscheck.audit import run_audit
from ethicscheck.cli.main import main
from ethicscheck.config import config_from_dict
from ethicscheck.result import AuditResult


@pytest.fixture
def table(tmp_path):
    rng = np.random.default_rng(0)
    n = 400
    y = rng.random(n) < 0.4
    decile = np.clip(np.round(rng.normal(4 + 3 * y, 2.5)), 1, 10).astype(int)
    frame = pd.DataFrame(
        {
            "group": rng.choice(["a", "b"], n),
            "label": y.astype(int),
            "decile": decile,
            "risk": np.where(decile >= 8, "High", np.where(decile >= 5, "Medium", "Low")),
            "nothing": 0,
            "everything": 1,
        }
    )
    frame.to_csv(tmp_path / "d.csv", index=False)
    return frame, tmp_path / "d.csv"


def configured(path, model, **extra):
    raw = {
        "name": "t",
        "data": {"path": str(path), "label": {"column": "label"}, "sensitive_features": [{"column": "group"}]},
        "model": model,
        "fairness": {"n_boot": 0},
        "privacy": {"enabled": False},
        "tracking": {"enabled": False},
        "card": {"item_noun": "defendants"},
        **extra,
    }
    return config_from_dict(raw)


@pytest.mark.parametrize(("column", "kind"), [("nothing", "none_flagged"), ("everything", "all_flagged")])
def test_nobody_or_everybody_flagged_is_warned_everywhere(table, tmp_path, capsys, column, kind):
    frame, path = table
    config_path = tmp_path / "a.yaml"
    config_path.write_text(
        json.dumps(
            {
                "name": "t",
                "data": {"path": str(path), "label": {"column": "label"}, "sensitive_features": [{"column": "group"}]},
                "model": {"kind": "precomputed", "decision_column": column},
                "fairness": {"n_boot": 0},
                "privacy": {"enabled": False},
                "card": {"item_noun": "defendants"},
            }
        )
    )
    with pytest.raises(SystemExit):
        main(["audit", "--config", str(config_path), "--out", str(tmp_path / "out"), "--no-tracking"])
    console = capsys.readouterr()
    which = "none" if kind == "none_flagged" else "every one"
    sentence = f"The model flagged {which} of the 400 defendants"
    assert sentence in " ".join((console.err + console.out).split())
    audit = json.loads((tmp_path / "out" / "audit.json").read_text())
    assert audit["model"]["degenerate_decisions"] == kind
    assert AuditResult.from_dict(audit).model.degenerate_decisions == kind
    assert sentence in (tmp_path / "out" / "model_card.md").read_text()
    assert sentence in (tmp_path / "out" / "model_card.html").read_text()


def test_informative_decisions_have_no_warning(table, tmp_path):
    _, path = table
    outcome = run_audit(configured(path, {"kind": "precomputed", "decision_column": "label"}), out_dir=tmp_path / "o")
    assert outcome.result.model.degenerate_decisions is None
    assert json.loads((tmp_path / "o" / "audit.json").read_text())["model"]["degenerate_decisions"] is None


def test_categorical_decisions_and_decile_threshold_agree(table, tmp_path):
    frame, path = table
    categorical = {"kind": "precomputed", "decision_column": "risk", "flagged_values": ["Medium", "High"], "not_flagged_values": ["Low"]}
    by_category = run_audit(configured(path, categorical), out_dir=tmp_path / "c").result
    by_score = run_audit(configured(path, {"kind": "precomputed", "score_column": "decile", "threshold": 5}), out_dir=tmp_path / "s").result
    expected_fpr = (frame["decile"][frame["label"] == 0] >= 5).mean()
    for result in (by_category, by_score):
        assert result.fairness.overall.metrics["fpr"].value == pytest.approx(expected_fpr, abs=1e-12)
    assert by_score.model.threshold == 5 and not by_score.model.score_is_probability
    assert by_score.fairness.overall.score_metrics["brier"].status == "undefined"
    assert by_score.model.to_dict()["score_is_probability"] is False


def test_sensitive_columns_can_be_model_inputs(table, tmp_path):
    _, path = table
    module = tmp_path / "model_fn.py"
    module.write_text(
        "import numpy as np\n"
        "SEEN = []\n"
        "def predict(frame):\n"
        "    SEEN.append(list(frame.columns))\n"
        "    return (frame['group'] == 'a').astype(int).to_numpy()\n"
    )
    for inputs, expected in (
        ("all_but_label", ["group", "decile", "risk", "nothing", "everything"]),
        (["group", "decile"], ["group", "decile"]),
    ):
        config = configured(path, {"kind": "callable", "target": f"{module}:predict", "input_columns": inputs, "output": "label"})
        outcome = run_audit(config, out_dir=tmp_path / "cb", config_dir=tmp_path)
        assert outcome.result.model.n_flagged == int((table[0]["group"] == "a").sum())
        import sys

        seen = sys.modules[[m for m in sys.modules if m.endswith("model_fn")][0]].SEEN
        assert seen[-1] == expected


def test_lower_is_riskier_scores_are_flagged_at_or_below_the_threshold(table, tmp_path):
    frame, path = table
    model = {"kind": "precomputed", "score_column": "decile", "threshold": 4, "higher_is_riskier": False}
    outcome = run_audit(configured(path, model), out_dir=tmp_path / "low")
    assert outcome.result.model.n_flagged == int((frame["decile"] <= 4).sum())
    assert not outcome.result.model.score_is_probability
    assert "flagged when score ≤ 4" in (tmp_path / "low" / "model_card.md").read_text()
    assert "flagged when score ≤ 4" in (tmp_path / "low" / "model_card.html").read_text()


@pytest.mark.parametrize(
    ("n_flagged", "n_rows", "kind"),
    [(0, 10, "none_flagged"), (10, 10, "all_flagged"), (1, 10, None), (9, 10, None), (0, 0, None), (0, None, None)],
)
def test_degenerate_decisions_table(n_flagged, n_rows, kind):
    from ethicscheck.models import ModelInfo
    from ethicscheck.result import ModelSummary

    summary = ModelSummary(ModelInfo("precomputed", "x"), threshold=None, has_score=False, n_flagged=n_flagged, n_rows=n_rows)
    assert summary.degenerate_decisions == kind
    assert (summary.warning("messages", flagged="alerted on") is None) == (kind is None)
    if kind == "none_flagged":
        assert summary.warning("messages", flagged="alerted on").startswith("The model alerted on none of the 10 messages")
