"""One settings object for the fairness stage, built from the config in one place."""

from __future__ import annotations

import warnings
from dataclasses import fields

import numpy as np
import pandas as pd
import pytest

from ethicscheck._adapters import assess_configured
from ethicscheck.config import DataConfig, FairnessConfig
from ethicscheck.errors import EthicsCheckDeprecationWarning
from ethicscheck.fairness import AssessSettings, assess, assess_with


def test_every_fairness_config_field_reaches_the_settings():
    """A knob added to FairnessConfig but not to AssessSettings would be silently ignored."""
    assert set(FairnessConfig.model_fields) <= {f.name for f in fields(AssessSettings)}


def test_from_config_copies_each_knob_and_the_seed():
    config = FairnessConfig(metrics=["precision"], confidence_level=0.9, n_boot=7, min_group_size=3, target_fpr=0.05, calibration_bins=5)
    settings = AssessSettings.from_config(config, seed=42)
    assert settings.metrics == ("fpr", "fnr", "precision")
    assert (settings.confidence_level, settings.n_boot, settings.min_group_size, settings.seed) == (0.9, 7, 3, 42)
    assert (settings.target_fpr, settings.calibration_bins, settings.max_groups) == (0.05, 5, config.max_groups)


@pytest.mark.parametrize(
    ("metrics", "expected"), [((), ("fpr", "fnr")), (("fnr", "tpr"), ("fpr", "fnr", "tpr")), (("fpr",), ("fpr", "fnr"))]
)
def test_fpr_and_fnr_always_come_first(metrics, expected):
    assert AssessSettings(metrics=metrics).metrics == expected


def test_unknown_metric_is_refused():
    with pytest.raises(ValueError, match="unknown metrics"):
        AssessSettings(metrics=("fpr", "roc_auc"))


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(5)
    y, pred, score = rng.random(800) < 0.3, rng.random(800) < 0.4, rng.random(800)
    return y, pred, score, pd.DataFrame({"g": rng.choice(["a", "b", "c"], 800)})


def test_old_setting_keywords_still_work_with_a_warning_naming_the_settings_object(data):
    """Code written against the keyword form (n_boot=..., seed=...) gives the same result, and is told what to write."""
    y, pred, score, groups = data
    settings = AssessSettings(metrics=("tpr",), n_boot=30, min_group_size=5, seed=3)
    expected = assess(y, pred, sensitive_features=groups, settings=settings, y_score=score).to_dict()
    with pytest.warns(
        EthicsCheckDeprecationWarning, match=r"pass settings=AssessSettings\(metrics=\('tpr',\), n_boot=30, min_group_size=5, seed=3\)"
    ):
        by_keywords = assess(y, pred, y_score=score, sensitive_features=groups, metrics=["tpr"], n_boot=30, min_group_size=5, seed=3)
    assert by_keywords.to_dict() == expected


def test_the_settings_object_call_does_not_warn(data):
    y, pred, _, groups = data
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assess(y, pred, sensitive_features=groups, settings=AssessSettings(n_boot=0))
        assess(y, pred, sensitive_features=groups)


@pytest.mark.parametrize(
    ("keywords", "message"),
    [
        ({"settings": AssessSettings(), "n_boot": 0}, r"settings=AssessSettings\(\.\.\.\), not also as keywords \(n_boot=0\)"),
        ({"n_bot": 0}, r"unexpected keyword arguments \['n_bot'\]; its settings are fields of AssessSettings: metrics, "),
    ],
)
def test_settings_given_twice_or_misspelled_are_refused(data, keywords, message):
    y, pred, _, groups = data
    with pytest.raises(TypeError, match=message):
        assess(y, pred, sensitive_features=groups, **keywords)


def test_assess_with_is_the_old_spelling_of_assess_with_settings(data):
    y, pred, _, groups = data
    settings = AssessSettings(n_boot=10, seed=4)
    with pytest.warns(EthicsCheckDeprecationWarning, match=r"call assess\(y_true, y_pred, settings=settings"):
        old = assess_with(y, pred, settings, sensitive_features=groups, reference={"g": "b"})
    assert old.to_dict() == assess(y, pred, sensitive_features=groups, settings=settings, reference={"g": "b"}).to_dict()


@pytest.mark.parametrize("module", ["ethicscheck.fairness._assess", "ethicscheck.fairness._result"])
def test_the_documented_examples_run(module):
    """The docstring examples show the settings-object form; they must keep running."""
    import doctest
    import importlib

    failed, tried = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert tried > 0 and failed == 0


def test_the_config_adapter_uses_the_config_settings():
    rng = np.random.default_rng(6)
    frame = pd.DataFrame({"g": rng.choice(["a", "b"], 500)})
    y, pred = rng.random(500) < 0.3, rng.random(500) < 0.3
    data = DataConfig(path="x.csv", label={"column": "y"}, sensitive_features=[{"column": "g", "name": "group"}])
    result = assess_configured(data, FairnessConfig(n_boot=0, min_group_size=400, confidence_level=0.8), frame, y, pred, None, seed=1)
    assert (result.min_group_size, result.confidence_level, result.n_boot, result.seed) == (400, 0.8, 0, 1)
    assert result.feature("group").group("a").metrics["fpr"].status == "insufficient_data"
