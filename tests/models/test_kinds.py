"""Every model kind's config class names a loader that exists (a typo would only show when a user loads one)."""

from __future__ import annotations

import inspect

import pytest

from ethicscheck.config import MODEL_KINDS, ScoringModelConfig, model_kind_name
from ethicscheck.models._load import loader_of


@pytest.mark.parametrize("kind", [k for k, c in MODEL_KINDS.items() if issubclass(c, ScoringModelConfig)])
def test_each_scoring_kind_names_a_loader_taking_the_loader_arguments(kind):
    config_class = MODEL_KINDS[kind]
    assert model_kind_name(config_class) == kind
    loader = loader_of(config_class.model_construct(kind=kind))
    assert {"config", "inputs", "positive_class", "context"} <= set(inspect.signature(loader).parameters)
