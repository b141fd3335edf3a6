"""Gates: turn the audit result into a verdict and an exit code."""

from ethicscheck.gates._evaluate import GateOutcome, Verdict, evaluate_gates

__all__ = ["GateOutcome", "Verdict", "evaluate_gates"]
