"""Synthetic data with planted bias: the recruitment-ad corpus (bias and personal data) and face-matching comparisons
(demographic differentials), for the demos, tests and benchmarks."""

from ethicscheck.synth._comparisons import ComparisonArrays, ComparisonSpec, comparison_arrays, generate_comparisons
from ethicscheck.synth._corpus import CorpusSpec, PiiSpan, generate_ads
from ethicscheck.synth._demo import (
    DEMO_TRUSTED_TYPES,
    DemoInputs,
    build_demo_inputs,
    train_demo_model,
)
from ethicscheck.synth._precomputed import precomputed_example

__all__ = [
    "ComparisonArrays",
    "ComparisonSpec",
    "comparison_arrays",
    "generate_comparisons",
    "DEMO_TRUSTED_TYPES",
    "CorpusSpec",
    "DemoInputs",
    "PiiSpan",
    "build_demo_inputs",
    "generate_ads",
    "precomputed_example",
    "train_demo_model",
]
