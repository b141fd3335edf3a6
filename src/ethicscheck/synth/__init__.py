"""Synthetic recruitment-ad corpus with planted bias and planted personal data (demo, tests, benchmarks)."""

from ethicscheck.synth._corpus import CorpusSpec, PiiSpan, generate_ads
from ethicscheck.synth._demo import (
    DEMO_TRUSTED_TYPES,
    DemoInputs,
    build_demo_inputs,
    train_demo_model,
)
from ethicscheck.synth._precomputed import precomputed_example

__all__ = [
    "DEMO_TRUSTED_TYPES",
    "CorpusSpec",
    "DemoInputs",
    "PiiSpan",
    "build_demo_inputs",
    "generate_ads",
    "precomputed_example",
    "train_demo_model",
]
