"""The CONTRIBUTING.md recipes, followed in this test's own namespace and seen in a real audit: a toy count
metric (one row in the vocabulary's table) with gates on it, a toy score metric, a toy recognizer (one file), a
toy model kind, a toy card format, a toy between-group summary and a toy privacy figure (each a row and its
computation) — each validated, computed, gated and on the card."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pytest
import yaml

from ethicscheck import _vocabulary as vocabulary
from ethicscheck._vocabulary import FN, FP, TN, TP, CountMetric, EntityType, PrivacyMetric, ScoreMetric
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
from ethicscheck.fairness._disparities import SUMMARY_FUNCTIONS, RateGroups
from ethicscheck.fairness._scores import SCORE_FUNCTIONS, GroupScoreSums
from ethicscheck.fairness._settings import AssessSettings
from ethicscheck.gates._privacy import PRIVACY_FIGURES, NoReading, PrivacyReading
from ethicscheck.models import ModelInfo, Predictions
from ethicscheck.models._batch import BatchDetector
from ethicscheck.models._inputs import InputSpec, LoadContext
from ethicscheck.privacy import PrivacyResult, recognizers
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


#: Recipe "A recognizer": one file in ``ethicscheck/privacy/recognizers/``, its class named in ``RECOGNIZER``.
TOY_RECOGNIZER_FILE = """
import re

from ethicscheck.privacy.recognizers._regex import GroupPatternRecognizer


class ToyCaseNumberRecognizer(GroupPatternRecognizer):
    ENTITY = "{entity}"
    PATTERNS = ((r"(?<![A-Z0-9])(?P<value>CASE-\\d{{6}})(?![0-9])", 0.85),)
    CONTEXT = ("case",)
    PREFILTER = re.compile("CASE-")


RECOGNIZER = ToyCaseNumberRecognizer
"""


def _fresh_scanners():
    """Scanners are built once per process and kept (per entity list); a test that changes the recognizers
    must not see, or leave behind, one built with the other set."""
    from ethicscheck.privacy import _artifacts, _engine, _scan

    _engine._build.cache_clear()
    _artifacts._scanner.cache_clear()
    _scan._WORKER.clear()


def _add_recognizer_file(monkeypatch, tmp_path, entity):
    """The recipe's one file, written to a folder the recognizers package reads as its own (its ``__path__``),
    so the package's source tree is left alone."""
    _fresh_scanners()
    folder = tmp_path / "recognizers"
    folder.mkdir()
    (folder / "toy_case_number.py").write_text(TOY_RECOGNIZER_FILE.format(entity=entity), encoding="utf-8")
    monkeypatch.setattr(recognizers, "__path__", [*recognizers.__path__, str(folder)])
    monkeypatch.delitem(sys.modules, f"{recognizers.__name__}.toy_case_number", raising=False)
    importlib.invalidate_caches()


@pytest.fixture
def toy_recognizer(monkeypatch, tmp_path):
    """A recognizer of a new entity type: the file, and the type's row in the vocabulary."""
    _add_recognizer_file(monkeypatch, tmp_path, "TOY_CASE_NUMBER")
    monkeypatch.setitem(vocabulary.ENTITY_TYPES, "TOY_CASE_NUMBER", EntityType("TOY_CASE_NUMBER", "toy case numbers", default=False))
    yield "TOY_CASE_NUMBER"
    sys.modules.pop(f"{recognizers.__name__}.toy_case_number", None)
    _fresh_scanners()


@pytest.fixture
def toy_crypto_recognizer(monkeypatch, tmp_path):
    """A recognizer of an entity type the vocabulary knows: the file and nothing else."""
    _add_recognizer_file(monkeypatch, tmp_path, "CRYPTO")
    yield "CRYPTO"
    sys.modules.pop(f"{recognizers.__name__}.toy_case_number", None)
    _fresh_scanners()


def _scan_audit(tmp_path, entity):
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
            "privacy": {"entities": [entity, "EMAIL_ADDRESS"], "scan_artifacts": False},
            "tracking": {"enabled": False},
        }
    )
    outcome = run_audit(config, out_dir=tmp_path / "out")
    (column,) = json.loads(outcome.files["audit.json"].read_text(encoding="utf-8"))["privacy"]["columns"]
    return {e["entity_type"]: e["rows_affected"] for e in column["entities"]}, outcome.files["audit.json"].read_text(encoding="utf-8")


def test_a_recognizer_of_a_new_entity_type_is_found_by_an_audit_scan(toy_recognizer, tmp_path):
    found, published = _scan_audit(tmp_path, toy_recognizer)
    assert found[toy_recognizer] == 20  # two of every four texts; 'CASE-99' is a near miss
    assert "CASE-123456" not in published


def test_a_recognizer_of_a_known_entity_type_is_one_file(toy_crypto_recognizer, tmp_path):
    found, published = _scan_audit(tmp_path, toy_crypto_recognizer)
    assert found.get("CRYPTO") == 20
    assert "CASE-123456" not in published
    assert recognizers.RECOGNIZERS["CRYPTO"][-1].__name__ == "ToyCaseNumberRecognizer"


def test_without_the_file_no_case_number_is_a_crypto_finding():
    """The control: the built-in crypto recognizers see nothing in the toy's texts."""
    for recognizer in recognizers.RECOGNIZERS["CRYPTO"]:
        assert recognizer.for_scan(phone_regions=()).analyze("see CASE-123456 for details, ref CASE-654321.", ["CRYPTO"]) == []


def test_a_module_in_the_recognizers_folder_must_name_its_recognizer(monkeypatch, tmp_path):
    folder = tmp_path / "recognizers"
    folder.mkdir()
    (folder / "forgot_registration.py").write_text("class Something:\n    ENTITY = 'CRYPTO'\n", encoding="utf-8")
    monkeypatch.setattr(recognizers, "__path__", [*recognizers.__path__, str(folder)])
    importlib.invalidate_caches()
    try:
        with pytest.raises(ImportError, match="forgot_registration .*RECOGNIZER = <its class>"):
            recognizers.recognizers_by_entity()
    finally:
        sys.modules.pop(f"{recognizers.__name__}.forgot_registration", None)


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


class ToyFileModelConfig(ScoringModelConfig):
    """A kind saved as one local file names the field that holds its path: validation checks the file before
    anything loads (and Spark ships its bytes to executors)."""

    kind: Literal["toy_file"]
    weights: Path
    ADAPTER = "tests.test_recipes:load_toy_keyword"
    MODEL_FILE = "weights"


def test_a_model_kind_saved_as_one_file_has_its_file_checked_before_loading(tmp_path):
    raw = yaml.safe_load(_keyword_audit(tmp_path).read_text(encoding="utf-8"))
    raw["model"] = {"kind": "toy_file", "weights": str(tmp_path / "missing.bin")}
    (tmp_path / "audit.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    register_model_kind(ToyFileModelConfig)
    try:
        report = validate_file(tmp_path / "audit.yaml")
        (tmp_path / "missing.bin").write_bytes(b"weights")
        found = validate_file(tmp_path / "audit.yaml")
    finally:
        unregister_model_kind("toy_file")
    assert [p for p in report.problems if "model -> weights" in p] == [
        f"{tmp_path / 'audit.yaml'}: model -> weights: {tmp_path / 'missing.bin'} does not exist"
    ]
    assert not [p for p in found.problems if "model -> weights" in p]


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


# --- Recipe "A gate metric": a between-group summary of every rate, and a privacy figure. ----------------


def toy_gap(groups: RateGroups) -> Estimate:
    """The recipe's computation: the highest rate minus the lowest (the point value of ``<rate>_difference``)."""
    return Estimate(float(groups.rates.max() - groups.rates.min()), method="toy gap")


@pytest.fixture
def toy_summary(monkeypatch):
    """The recipe's two edits: the row in ``RATE_SUMMARIES`` (gate suffix -> key suffix) and its computation."""
    monkeypatch.setitem(vocabulary.RATE_SUMMARIES, "toy_gap", "toy_gap")
    monkeypatch.setitem(SUMMARY_FUNCTIONS, "toy_gap", toy_gap)
    return "toy_gap"


def test_a_summary_of_every_rate_is_a_row_and_a_function_and_is_computed_gated_and_on_the_card(toy_summary, tmp_path):
    gate = {"metric": f"selection_rate_{toy_summary}", "threshold": 0.0}
    outcome = run_audit(_config(tmp_path, [gate], metrics=("selection_rate",)))
    saved = json.loads(outcome.files["audit.json"].read_text(encoding="utf-8"))
    (feature,) = saved["fairness"]["features"]
    rates = [g["metrics"]["selection_rate"]["value"] for g in feature["groups"] if g["metrics"]["selection_rate"]["status"] == "ok"]
    assert feature["disparities"]["selection_rate_toy_gap"]["value"] == pytest.approx(max(rates) - min(rates), abs=1e-12)
    assert {"fpr_toy_gap", "fnr_toy_gap"} <= set(feature["disparities"])  # every rate gets it
    (judged,) = [o for o in saved["verdict"]["outcomes"] if o["metric"] == gate["metric"]]
    assert judged["status"] == "fail" and judged["value"] == feature["disparities"]["selection_rate_toy_gap"]["value"]
    assert "selection rate toy gap" in outcome.files["model_card.md"].read_text(encoding="utf-8").lower()


def test_without_the_summary_row_its_gate_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="unknown gate metric 'selection_rate_toy_gap'"):
        _config(tmp_path, [{"metric": "selection_rate_toy_gap", "threshold": 0.0}], metrics=("selection_rate",))


TOY_FIGURE = PrivacyMetric("pii.toy.columns", "the number of text columns scanned (a toy figure)", "count")


def toy_columns(privacy: PrivacyResult) -> PrivacyReading | NoReading:
    """The recipe's reading: how many text columns the scan read (none: the figure is unknown)."""
    if not privacy.columns:
        return NoReading("no text column was scanned")
    return PrivacyReading("the scan", Estimate(float(len(privacy.columns))))


@pytest.fixture
def toy_privacy_figure(monkeypatch):
    """The recipe's two edits: the figure's row in the vocabulary, and its reading beside the others."""
    monkeypatch.setitem(vocabulary.PRIVACY_METRIC_TABLE, TOY_FIGURE.key, TOY_FIGURE)
    monkeypatch.setitem(PRIVACY_FIGURES, TOY_FIGURE.key, toy_columns)
    return TOY_FIGURE


def _privacy_config(tmp_path, gates):
    rows = pd.DataFrame({"text": ["mail me at ana@example.org", "nothing here"] * 10, "group": ["a", "b"] * 10, "label": [1, 0] * 10})
    rows["flagged"] = rows["label"]
    rows.to_csv(tmp_path / "rows.csv", index=False)
    data = {
        "path": str(tmp_path / "rows.csv"),
        "label": {"column": "label"},
        "text_column": "text",
        "sensitive_features": [{"column": "group"}],
    }
    return config_from_dict(
        {
            "name": "privacy-figure-recipe",
            "data": data,
            "model": {"kind": "precomputed", "decision_column": "flagged"},
            "fairness": {"n_boot": 0, "min_group_size": 1},
            "privacy": {"entities": ["EMAIL_ADDRESS"], "scan_artifacts": False},
            "gates": gates,
            "tracking": {"enabled": False},
            "output": {"dir": str(tmp_path / "out")},
        }
    )


def test_a_privacy_figure_is_a_row_and_a_reading_and_is_computed_gated_and_on_the_card(toy_privacy_figure, tmp_path):
    outcome = run_audit(_privacy_config(tmp_path, [{"metric": TOY_FIGURE.key, "comparator": "<", "threshold": 1}]))
    saved = json.loads(outcome.files["audit.json"].read_text(encoding="utf-8"))
    (judged,) = [o for o in saved["verdict"]["outcomes"] if o["metric"] == TOY_FIGURE.key]
    assert (judged["status"], judged["value"]) == ("fail", len(saved["privacy"]["columns"])) == ("fail", 1)
    card = outcome.files["model_card.md"].read_text(encoding="utf-8")
    assert TOY_FIGURE.plain in card


def test_without_the_privacy_row_its_gate_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="unknown gate metric 'pii.toy.columns'"):
        _privacy_config(tmp_path, [{"metric": TOY_FIGURE.key, "threshold": 1}])


def test_every_summary_and_privacy_figure_in_the_vocabulary_has_its_computation():
    assert list(SUMMARY_FUNCTIONS) == list(dict.fromkeys(vocabulary.RATE_SUMMARIES.values()))
    assert list(PRIVACY_FIGURES) == list(vocabulary.PRIVACY_METRIC_TABLE)
