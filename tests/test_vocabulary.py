"""One vocabulary: every list of metric names, gate metrics, entity types and phone regions derives from
``ethicscheck._vocabulary``. These tests fail when a name is added in one place only."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pandas as pd
import phonenumbers
import pytest

from ethicscheck import _vocabulary as vocabulary
from ethicscheck.config import FairnessConfig, GateConfig, PrivacyConfig, gate_metric_kind, gate_metric_rate, known_gate_metrics
from ethicscheck.fairness import METRICS, AssessSettings, assess
from ethicscheck.privacy import ARTIFACT_ENTITIES, DEFAULT_ENTITIES, NER_ONLY_ENTITIES, ScanOptions, undetectable_entities

SRC = Path(__file__).resolve().parents[1] / "src" / "ethicscheck"

VOCABULARY_SETS = {
    "count metric": set(vocabulary.COUNT_METRICS),
    "score metric": set(vocabulary.SCORE_METRICS),
    "feature summary": set(vocabulary.FEATURE_SUMMARIES),
    "privacy metric": set(vocabulary.PRIVACY_METRICS),
    "entity type": set(vocabulary.ENTITY_TYPES),
    "phone region": set(vocabulary.DEFAULT_PHONE_REGIONS),
}


@pytest.fixture(scope="module")
def everything():
    """An assessment with every count metric and a score, on three groups."""
    rng = np.random.default_rng(3)
    n = 3000
    y = rng.random(n) < 0.3
    score = np.clip(0.35 * y + rng.random(n) * 0.65, 0, 1)
    groups = rng.choice(["a", "b", "c"], n)
    return assess(
        y,
        score >= 0.5,
        sensitive_features=pd.DataFrame({"g": groups}),
        settings=AssessSettings(metrics=tuple(vocabulary.COUNT_METRICS), n_boot=20),
        y_score=score,
    )


def test_the_fairness_engine_computes_exactly_the_vocabulary(everything):
    group = everything.features[0].groups[0]
    assert set(group.metrics) == set(vocabulary.COUNT_METRICS)
    assert set(group.score_metrics) == set(vocabulary.SCORE_METRICS)
    assert METRICS is vocabulary.COUNT_METRICS


def test_every_feature_summary_a_gate_can_name_is_a_disparity_the_engine_reports(everything):
    assert set(everything.features[0].disparities) == set(vocabulary.FEATURE_SUMMARIES.values())


def test_config_accepts_every_count_metric_and_nothing_else():
    assert FairnessConfig(metrics=list(vocabulary.COUNT_METRICS)).metrics[:2] == list(vocabulary.ALWAYS_RATE_METRICS)
    with pytest.raises(ValueError):
        FairnessConfig(metrics=["roc_auc"])  # a score metric is computed whenever there is a score, not chosen


def test_config_defaults_come_from_the_vocabulary():
    assert FairnessConfig().metrics == list(vocabulary.DEFAULT_RATE_METRICS)
    assert tuple(PrivacyConfig().entities) == vocabulary.DEFAULT_ENTITIES == DEFAULT_ENTITIES
    assert tuple(PrivacyConfig().phone_regions) == vocabulary.DEFAULT_PHONE_REGIONS == ScanOptions(entities=()).phone_regions


@pytest.mark.parametrize("name", known_gate_metrics())
def test_every_gate_metric_name_parses_and_validates(name):
    kind = gate_metric_kind(name)
    rate = gate_metric_rate(name)
    assert GateConfig(metric=name, threshold=1.0).metric == name
    if kind == "privacy":
        assert name in vocabulary.PRIVACY_METRICS and rate is None
    elif rate is not None:
        assert rate in vocabulary.COUNT_METRICS or rate in vocabulary.SCORE_METRICS


@pytest.mark.parametrize("name", ["fpr_ratios", "roc_auc_ratio", "fpr_spreads", "pii.inputs", "FPR", "equalized_odds"])
def test_near_miss_gate_names_are_refused(name):
    with pytest.raises(ValueError, match="unknown gate metric"):
        gate_metric_kind(name)


def test_entity_lists_are_views_of_one_table():
    table = vocabulary.ENTITY_TYPES
    assert ARTIFACT_ENTITIES == tuple(k for k, e in table.items() if e.in_artifacts)
    assert NER_ONLY_ENTITIES == tuple(k for k, e in table.items() if e.needs_ner)
    assert undetectable_entities(list(table)) == list(NER_ONLY_ENTITIES)
    assert all(e.plain for e in table.values())


def test_the_offline_engine_has_a_recognizer_for_every_entity_it_claims():
    from ethicscheck.privacy import offline_analyzer

    engine = offline_analyzer(entities=tuple(vocabulary.ENTITY_TYPES))
    supported = {entity for recognizer in engine.registry.recognizers for entity in recognizer.supported_entities}
    assert set(vocabulary.ENTITY_TYPES) - set(NER_ONLY_ENTITIES) <= supported


def test_phone_regions_are_regions_phonenumbers_knows():
    assert set(vocabulary.DEFAULT_PHONE_REGIONS) <= phonenumbers.SUPPORTED_REGIONS


def test_count_metric_cells_are_well_formed():
    for metric in vocabulary.COUNT_METRICS.values():
        assert set(metric.numerator) <= set(metric.denominator) <= {vocabulary.TN, vocabulary.FP, vocabulary.FN, vocabulary.TP}
        assert metric.kind == "count" and vocabulary.metric_kind(metric.key) == "count"
    assert all(vocabulary.metric_kind(k) == "score" for k in vocabulary.SCORE_METRICS)


def _copied_lists(tree: ast.AST) -> list[tuple[int, str, list[str]]]:
    """Literal tuples/lists/sets (and keys of name -> text dicts) holding three or more names of one vocabulary set."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            items = node.elts
        elif isinstance(node, ast.Dict) and all(isinstance(v, ast.Constant) and isinstance(v.value, str) for v in node.values):
            items = [k for k in node.keys if k is not None]  # a renaming table; a registry (name -> code) is no copy
        else:
            continue
        strings = [i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)]
        for what, names in VOCABULARY_SETS.items():
            hits = [s for s in strings if s in names]
            if len(hits) >= 3:
                found.append((node.lineno, what, hits))
    return found


def test_no_module_lists_vocabulary_names_itself():
    """A list of three or more metric names, entity types or regions outside the vocabulary is a copy
    that will drift; derive it from ``ethicscheck._vocabulary`` instead."""
    copies = []
    for path in sorted(SRC.rglob("*.py")):
        if path.name == "_vocabulary.py":
            continue
        for line, what, hits in _copied_lists(ast.parse(path.read_text(encoding="utf-8"))):
            copies.append(f"{path.relative_to(SRC)}:{line}: {what} names {hits}")
    assert copies == []


def test_the_copy_detector_finds_a_copy():
    assert _copied_lists(ast.parse('X = ("fpr", "fnr", "tpr")\nY = ("fpr", "fnr")')) == [(1, "count metric", ["fpr", "fnr", "tpr"])]


def test_every_recognizer_finds_an_entity_type_of_the_vocabulary():
    from ethicscheck.privacy.recognizers import RECOGNIZERS

    assert set(RECOGNIZERS) <= set(vocabulary.ENTITY_TYPES)


def test_overlap_priority_ranks_known_entity_types_once():
    assert len(set(vocabulary.OVERLAP_PRIORITY)) == len(vocabulary.OVERLAP_PRIORITY)
    assert set(vocabulary.OVERLAP_PRIORITY) <= set(vocabulary.ENTITY_TYPES)
