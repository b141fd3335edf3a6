"""The CONTRIBUTING.md recipes, followed in this test's own namespace and seen in a real audit: a toy count
metric (one row in the vocabulary's table) with gates on it, a toy score metric, a toy recognizer, a toy model
kind and a toy card format."""

from __future__ import annotations

import json
import re
from typing import Any, Literal

import numpy as np
import pandas as pd
import pytest
import yaml

from ethicscheck import _vocabulary as vocabulary
from ethicscheck._vocabulary import FN, FP, TN, TP, CountMetric, EntityType, ScoreMetric
from ethicscheck.audit import run_audit
from ethicscheck.cards import CARD_FORMATS, CardFormat, write_cards
from ethicscheck.config import (
    CardConfig,
    ScoringModelConfig,
    config_from_dict,
    config_schema,
    gate_metric_kind,
    load_config,
    register_model_kind,
    unregister_model_kind,
)
from ethicscheck.errors import ConfigError
from ethicscheck.fairness import Estimate
from ethicscheck.fairness._scores import SCORE_FUNCTIONS, GroupScoreSums
from ethicscheck.fairness._settings import AssessSettings
from ethicscheck.models import ModelInfo, Predictions
from ethicscheck.models._batch import BatchDetector
from ethicscheck.models._inputs import InputSpec, LoadContext
from ethicscheck.privacy.recognizers import RECOGNIZERS
from ethicscheck.privacy.recognizers._regex import GroupPatternRecognizer
from ethicscheck.result import AuditResult
from ethicscheck.validation import validate_file
from tests.conftest import CONFIGS

#: Recipe "A count metric": one row. Here the share of flagged rows among all rows labelled anything, the
#: same cells as the selection rate, so the test also knows the right answer.
TOY = CountMetric(
    "toy_flag_share",
    "Toy flag share",
    "share of rows flagged (a toy copy of the selection rate)",
    (FP, TP),
    (TN, FP, FN, TP),
    "no rows",
)


@pytest.fixture
def toy_metric(monkeypatch):
    """The recipe's one edit, made at run time: the row added to the table."""
    monkeypatch.setitem(vocabulary.COUNT_METRICS, TOY.key, TOY)
    return TOY


def _config(tmp_path, gates, metrics=("selection_rate", TOY.key)):
    return config_from_dict(
        {
            "name": "recipe",
            "data": {
                "path": str(CONFIGS / "data" / "precomputed_example.csv"),
                "label": {"column": "label"},
                "sensitive_features": [{"column": "nationality", "reference": "not mentioned"}],
                "intersections": "none",
            },
            "model": {"kind": "precomputed", "decision_column": "flagged"},
            "fairness": {"metrics": list(metrics), "n_boot": 0, "min_group_size": 5},
            "privacy": {"enabled": False},
            "gates": gates,
            "tracking": {"enabled": False},
            "output": {"dir": str(tmp_path / "out")},
        }
    )


def test_a_count_metric_is_one_row_and_is_measured_published_and_gated(toy_metric, tmp_path):
    gates = [
        {"metric": TOY.key, "threshold": 1.0},
        {"metric": f"{TOY.key}_ratio", "threshold": 100.0},
        {"metric": f"{TOY.key}_spread", "threshold": 1.0},
    ]
    outcome = run_audit(_config(tmp_path, gates))
    saved = json.loads(outcome.files["audit.json"].read_text(encoding="utf-8"))
    feature = saved["fairness"]["features"][0]
    for group in feature["groups"]:
        assert group["metrics"][TOY.key]["value"] == group["metrics"]["selection_rate"]["value"]
    assert feature["disparities"][f"{TOY.key}_difference"]["value"] == feature["disparities"]["selection_rate_difference"]["value"]
    judged = {o["metric"] for o in saved["verdict"]["outcomes"]}
    assert judged == {TOY.key, f"{TOY.key}_ratio", f"{TOY.key}_spread"}
    assert TOY.title in outcome.files["model_card.md"].read_text(encoding="utf-8")


def test_without_the_row_the_name_is_unknown_everywhere(tmp_path):
    with pytest.raises(ValueError, match="unknown gate metric"):
        gate_metric_kind(f"{TOY.key}_ratio")
    with pytest.raises(Exception, match="unknown rate 'toy_flag_share'"):
        _config(tmp_path, [])


class ToyCaseNumberRecognizer(GroupPatternRecognizer):
    """Recipe "A recognizer": one small class (patterns, context words, prefilter), here in the test."""

    ENTITY = "TOY_CASE_NUMBER"
    PATTERNS = ((r"(?<![A-Z0-9])(?P<value>CASE-\d{6})(?![0-9])", 0.85),)
    CONTEXT = ("case",)
    PREFILTER = re.compile("CASE-")


@pytest.fixture
def toy_recognizer(monkeypatch):
    """The recipe's registration: the class under its entity type, and the type in the vocabulary."""
    monkeypatch.setitem(RECOGNIZERS, ToyCaseNumberRecognizer.ENTITY, (ToyCaseNumberRecognizer,))
    monkeypatch.setitem(vocabulary.ENTITY_TYPES, "TOY_CASE_NUMBER", EntityType("TOY_CASE_NUMBER", "toy case numbers", default=False))
    return ToyCaseNumberRecognizer


def test_a_recognizer_is_found_by_an_audit_scan(toy_recognizer, tmp_path):
    rows = pd.DataFrame(
        {
            "text": ["see CASE-123456 for details", "nothing here", "CASE-99 is too short", "ref CASE-654321."] * 10,
            "group": ["a", "b"] * 20,
            "label": [1, 0, 0, 1] * 10,
            "flagged": [1, 0, 1, 0] * 10,
        }
    )
    rows.to_csv(tmp_path / "rows.csv", index=False)
    config = config_from_dict(
        {
            "name": "recognizer-recipe",
            "data": {
                "path": str(tmp_path / "rows.csv"),
                "label": {"column": "label"},
                "text_column": "text",
                "sensitive_features": [{"column": "group"}],
            },
            "model": {"kind": "precomputed", "decision_column": "flagged"},
            "fairness": {"n_boot": 0, "min_group_size": 1},
            "privacy": {"entities": ["TOY_CASE_NUMBER", "EMAIL_ADDRESS"], "scan_artifacts": False},
            "tracking": {"enabled": False},
        }
    )
    outcome = run_audit(config, out_dir=tmp_path / "out")
    saved = json.loads(outcome.files["audit.json"].read_text(encoding="utf-8"))
    (column,) = saved["privacy"]["columns"]
    found = {e["entity_type"]: e for e in column["entities"]}
    assert found["TOY_CASE_NUMBER"]["rows_affected"] == 20  # two of every four texts; 'CASE-99' is a near miss
    assert "CASE-123456" not in outcome.files["audit.json"].read_text(encoding="utf-8")


# --- Recipe "A model kind": a config class naming its loader, and the loader. ---------------------------


class ToyKeywordModelConfig(ScoringModelConfig):
    """The recipe's config class: ``kind`` as a literal, the kind's own settings, and its loader's name."""

    kind: Literal["toy_keyword"]
    keyword: str
    ADAPTER = "tests.test_recipes:load_toy_keyword"
    AUTO_SERIES = True  # one text column goes in as a 1-D array


class ToyKeywordDetector(BatchDetector):
    """Scores 0.9 when a text contains the keyword, else 0.1."""

    def __init__(self, keyword: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.keyword = keyword

    def _score(self, batch: pd.DataFrame) -> Predictions:
        texts = pd.Series(self.inputs.take(batch)).astype(str)
        return self._read(np.where(texts.str.contains(self.keyword, regex=False), 0.9, 0.1), len(batch), mode="score")


def load_toy_keyword(config: ToyKeywordModelConfig, *, inputs: InputSpec, positive_class: Any, context: LoadContext) -> ToyKeywordDetector:
    """The recipe's adapter: build the detector from the config section."""
    info = ModelInfo(kind="toy_keyword", source=f"keyword {config.keyword!r}")
    return ToyKeywordDetector(
        config.keyword, inputs=inputs, positive_class=positive_class, threshold=config.threshold, batch_size=config.batch_size, info=info
    )


@pytest.fixture
def toy_model_kind():
    register_model_kind(ToyKeywordModelConfig)
    yield ToyKeywordModelConfig
    unregister_model_kind("toy_keyword")


def _keyword_audit(tmp_path):
    rows = pd.DataFrame(
        {
            "text": ["urgent hiring tonight", "quiet flat to let", "urgent cash work", "cafe job"] * 10,
            "group": ["a"] * 20 + ["b"] * 20,
            "label": [1, 0, 0, 0] * 10,
        }
    )
    rows.to_csv(tmp_path / "rows.csv", index=False)
    raw = {
        "name": "model-kind-recipe",
        "data": {"path": "rows.csv", "label": {"column": "label"}, "text_column": "text", "sensitive_features": [{"column": "group"}]},
        "model": {"kind": "toy_keyword", "keyword": "urgent"},
        "fairness": {"n_boot": 0, "min_group_size": 1},
        "privacy": {"enabled": False},
        "tracking": {"enabled": False},
        "output": {"dir": "out"},
    }
    path = tmp_path / "audit.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


def test_a_model_kind_is_a_config_class_and_a_loader_and_runs_in_an_audit(toy_model_kind, tmp_path):
    path = _keyword_audit(tmp_path)
    report = validate_file(path, load_model=True)
    assert report.valid, report.problems
    assert "toy_keyword model" in report.summary
    assert "toy_keyword" in json.dumps(config_schema())
    outcome = run_audit(load_config(path))
    saved = json.loads(outcome.files["audit.json"].read_text(encoding="utf-8"))
    assert saved["model"]["kind"] == "toy_keyword"
    assert saved["run"]["config"]["model"]["keyword"] == "urgent"
    assert saved["model"]["n_flagged"] == 20  # 'urgent' in half of the texts
    (feature,) = saved["fairness"]["features"]
    fpr = {g["group"]: g["metrics"]["fpr"]["value"] for g in feature["groups"]}
    assert fpr == {"a": 1 / 3, "b": 1 / 3}  # one of three negatives per group says 'urgent'
    assert "keyword" in outcome.files["model_card.md"].read_text(encoding="utf-8")


def test_a_model_kind_is_checked_like_the_built_in_ones(toy_model_kind, tmp_path):
    path = _keyword_audit(tmp_path)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    del raw["model"]["keyword"]
    with pytest.raises(ConfigError, match="model -> toy_keyword -> keyword"):
        config_from_dict(raw)
    with pytest.raises(ValueError, match="already"):
        register_model_kind(type("Other", (ToyKeywordModelConfig,), {"__annotations__": {}}))


def test_without_registration_the_kind_is_unknown(tmp_path):
    raw = yaml.safe_load(_keyword_audit(tmp_path).read_text(encoding="utf-8"))
    with pytest.raises(ConfigError, match="toy_keyword"):
        config_from_dict(raw)
    assert "toy_keyword" not in json.dumps(config_schema())


# --- Recipe "A score metric": a vocabulary row and its per-group function. -------------------------------

TOY_SCORE = ScoreMetric("toy_mean_score", "Toy mean score", "average score the model gives (a toy metric)")


def toy_mean_score(group: GroupScoreSums, settings: AssessSettings, rng: np.random.Generator) -> Estimate:
    """The recipe's function: the group's mean score, from the calibration table's score sums."""
    n = group.counts.sum()
    if n == 0:
        return Estimate(None, status="undefined", reason="no rows")
    return Estimate(float(group.calibration_score_sums.sum() / n), method="mean of the scores")


@pytest.fixture
def toy_score_metric(monkeypatch):
    """The recipe's two edits, made at run time: the row in the vocabulary, the function beside the others."""
    monkeypatch.setitem(vocabulary.SCORE_METRICS, TOY_SCORE.key, TOY_SCORE)
    monkeypatch.setitem(SCORE_FUNCTIONS, TOY_SCORE.key, toy_mean_score)
    return TOY_SCORE


def test_a_score_metric_is_a_row_and_a_function_and_is_measured_published_and_gated(toy_score_metric, tmp_path):
    rows = pd.read_csv(CONFIGS / "data" / "precomputed_example.csv")
    config = config_from_dict(
        {
            "name": "score-recipe",
            "data": {
                "path": str(CONFIGS / "data" / "precomputed_example.csv"),
                "label": {"column": "label"},
                "sensitive_features": [{"column": "region"}],
                "intersections": "none",
            },
            "model": {"kind": "precomputed", "score_column": "score"},
            "fairness": {"n_boot": 0, "min_group_size": 5},
            "privacy": {"enabled": False},
            "gates": [{"metric": TOY_SCORE.key, "comparator": "<=", "threshold": 0.01, "insufficient": "warn"}],
            "tracking": {"enabled": False},
            "output": {"dir": str(tmp_path / "out")},
        }
    )
    outcome = run_audit(config)
    saved = json.loads(outcome.files["audit.json"].read_text(encoding="utf-8"))
    means = rows.groupby("region")["score"].mean()
    (feature,) = saved["fairness"]["features"]
    for group in feature["groups"]:
        assert group["score_metrics"][TOY_SCORE.key]["value"] == pytest.approx(means[group["group"]], abs=1e-12)
    assert saved["fairness"]["overall"]["score_metrics"][TOY_SCORE.key]["value"] == pytest.approx(rows["score"].mean(), abs=1e-12)
    failed = [o for o in saved["verdict"]["outcomes"] if o["metric"] == TOY_SCORE.key and o["status"] == "fail"]
    assert failed  # every group's mean score is above 0.01
    assert TOY_SCORE.title.lower() in outcome.files["model_card.md"].read_text(encoding="utf-8").lower()


def test_every_score_metric_in_the_vocabulary_has_its_function():
    assert list(SCORE_FUNCTIONS) == list(vocabulary.SCORE_METRICS)


# --- Recipe "A card format": a template and its row in CARD_FORMATS. -------------------------------------


@pytest.fixture
def toy_card_format(monkeypatch, tmp_path):
    """The recipe's two edits: the template (here in the test's folder, not the package's) and its row."""
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "model_card.txt.j2").write_text(
        "MODEL CARD {{ title }}\nVERDICT {{ verdict.label }}\n{% for f in features %}FEATURE {{ f.name }}\n{% endfor %}", encoding="utf-8"
    )
    monkeypatch.setitem(CARD_FORMATS, "txt", CardFormat("model_card.txt.j2", folder=folder))
    return "txt"


def test_a_card_format_is_a_template_and_a_row_and_an_audit_writes_it(toy_card_format, tmp_path):
    outcome = run_audit(_config(tmp_path, [{"metric": "selection_rate", "threshold": 1.0}], metrics=("selection_rate",)))
    text = outcome.files["model_card.txt"].read_text(encoding="utf-8")
    saved = json.loads(outcome.files["audit.json"].read_text(encoding="utf-8"))
    assert text.startswith("MODEL CARD ")
    assert f"VERDICT {saved['verdict']['label']}" in text
    assert "FEATURE nationality" in text
    rerendered = write_cards(AuditResult.read_json(outcome.files["audit.json"]), CardConfig(), tmp_path, formats=(toy_card_format,))
    assert [p.name for p in rerendered if p.suffix == ".txt"] == ["model_card.txt"]
    assert (tmp_path / "model_card.txt").read_text(encoding="utf-8") == text
