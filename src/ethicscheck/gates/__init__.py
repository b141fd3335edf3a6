"""Gates: turn the audit result into a verdict (pass, fail, insufficient evidence), an exit code, JUnit XML and a CI summary."""

from ethicscheck.gates._baseline import BaselineView, find_model_audit, load_baseline
from ethicscheck.gates._evaluate import (
    EXIT_CODES,
    VERDICT_LABELS,
    GateOutcome,
    Outcome,
    Verdict,
    VerdictStatus,
    constant_decisions,
    evaluate_gates,
    gate_scopes,
    worst_ratio,
)
from ethicscheck.gates._judge import decisive_value, regressed, violates
from ethicscheck.gates._report import publish_summary, summary_markdown, write_junit
from ethicscheck.gates._verification import evaluate_verification_gates, load_verification_baseline

__all__ = [
    "evaluate_verification_gates",
    "EXIT_CODES",
    "VERDICT_LABELS",
    "BaselineView",
    "GateOutcome",
    "Outcome",
    "Verdict",
    "VerdictStatus",
    "constant_decisions",
    "decisive_value",
    "evaluate_gates",
    "find_model_audit",
    "gate_scopes",
    "load_baseline",
    "load_verification_baseline",
    "publish_summary",
    "regressed",
    "summary_markdown",
    "violates",
    "worst_ratio",
    "write_junit",
]
