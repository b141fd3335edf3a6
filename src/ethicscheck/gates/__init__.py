"""Gates: turn the audit result into a verdict, an exit code, JUnit XML and a CI summary."""

from ethicscheck.gates._baseline import BaselineView, find_model_audit, load_baseline
from ethicscheck.gates._evaluate import GateOutcome, Verdict, evaluate_gates
from ethicscheck.gates._judge import decisive_value, regressed, violates
from ethicscheck.gates._report import publish_summary, summary_markdown, write_junit

__all__ = [
    "BaselineView",
    "GateOutcome",
    "Verdict",
    "decisive_value",
    "evaluate_gates",
    "find_model_audit",
    "load_baseline",
    "publish_summary",
    "regressed",
    "summary_markdown",
    "violates",
    "write_junit",
]
