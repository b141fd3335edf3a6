"""Mitigation comparison: a baseline and fairlearn / diffprivlib / custom candidates on the same splits and seeds,
each with the fairness engine's CIs and a membership-inference privacy risk."""

from ethicscheck.compare._config import CompareConfig, compare_config_from_dict, compare_config_schema, load_compare_config
from ethicscheck.compare._mia import AttackResult, attack_metrics, loss_attack
from ethicscheck.compare._orchestrate import ComparisonOutcome, report_comparison
from ethicscheck.compare._result import CandidateRun, CandidateSummary, ComparisonResult
from ethicscheck.compare._run import run_comparison

__all__ = [
    "AttackResult",
    "CandidateRun",
    "CandidateSummary",
    "CompareConfig",
    "ComparisonOutcome",
    "ComparisonResult",
    "attack_metrics",
    "compare_config_from_dict",
    "compare_config_schema",
    "load_compare_config",
    "loss_attack",
    "report_comparison",
    "run_comparison",
]
