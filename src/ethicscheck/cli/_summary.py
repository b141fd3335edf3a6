"""The short summary printed after an audit."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.table import Table

from ethicscheck.cli._console import out

if TYPE_CHECKING:  # the audit stack imports pandas, scipy and more: not for `--help`
    from ethicscheck._verdict import Verdict
    from ethicscheck.audit import AuditOutcome
    from ethicscheck.config import CardConfig

__all__ = ["print_summary", "outcome_json"]

_STYLE = {"pass": "green", "fail": "bold red", "warn": "yellow", "insufficient": "bold magenta"}


def print_summary(outcome: AuditOutcome) -> None:
    """Findings, gate outcomes and where the report is."""
    from ethicscheck.cards import findings, publishable
    from ethicscheck.config import CardConfig
    from ethicscheck.result import VerificationAuditResult

    out.print()
    card = CardConfig.model_validate(outcome.result.run.config.get("card", {}))
    if isinstance(outcome.result, VerificationAuditResult):
        _print_verification(outcome, card)
        return
    # A CI log is published: findings and gates from the card's public view (small groups unnamed).
    result = replace(publishable(outcome.result, card).result, tracking=outcome.result.tracking)
    for finding in findings(result, card.item_noun, card.outcome)[:6]:
        out.print(f"• {finding.text}", markup=False)
    if result.probes is not None:
        from ethicscheck.cards import probe_confidence, probe_sentences

        confidence = probe_confidence(result.probes)
        for lexicon in result.probes.lexicons:
            if lexicon.n_probed:
                for sentence in probe_sentences(lexicon, noun=card.item_noun, words=card.outcome, confidence=confidence)[:3]:
                    out.print(f"• {sentence}", markup=False)
    _print_gates(result.verdict)
    if result.verdict.decisions:
        out.print(f"No evidence about groups: {result.verdict.decisions}; no fairness gate can pass.", markup=False)
    out.print(f"Verdict: [bold]{result.verdict.label}[/] (exit {result.verdict.exit_code}) · report: {escape(str(outcome.report_dir))}")
    if result.tracking is not None and result.tracking.logged:
        out.print(f"MLflow run {result.tracking.run_id} at {result.tracking.tracking_uri}", markup=False)


def _print_verification(outcome: AuditOutcome, card: CardConfig) -> None:
    """The plain-word findings of a face-matching audit, its gates and where the report is."""
    from ethicscheck.cards import headline_sentences
    from ethicscheck.config import VerificationConfig
    from ethicscheck.result import VerificationAuditResult

    result = outcome.result
    assert isinstance(result, VerificationAuditResult)
    settings = VerificationConfig.model_validate(result.run.config.get("verification") or {})
    points = [p for p in result.verification.points if p.target_fmr] or list(result.verification.points)
    headline = min(points, key=lambda p: abs((p.target_fmr or 1e-4) - 1e-4))
    for sentence in headline_sentences(result, card, settings, headline)[:6]:
        out.print(f"• {sentence}", markup=False)
    _print_gates(result.verdict)
    out.print(f"Verdict: [bold]{result.verdict.label}[/] (exit {result.verdict.exit_code}) · report: {escape(str(outcome.report_dir))}")
    if result.tracking is not None and result.tracking.logged:
        out.print(f"MLflow run {result.tracking.run_id} at {result.tracking.tracking_uri}", markup=False)


def _print_gates(verdict: Verdict) -> None:
    if verdict.outcomes:
        table = Table(title="Gates", show_lines=False)
        for column in ("gate", "feature", "result", "detail"):
            table.add_column(column)
        for o in verdict.outcomes:
            table.add_row(escape(o.gate), escape(o.feature), f"[{_STYLE[o.status]}]{o.status}[/]", escape(o.message))
        out.print(table)


def outcome_json(outcome: AuditOutcome) -> dict[str, object]:
    """What ``audit --json`` prints: the verdict with each gate's outcome, the report files and the MLflow run."""
    result = outcome.result
    verdict = result.verdict
    tracking = result.tracking
    return {
        "audit": result.run.name,
        "verdict": {
            "status": verdict.status,
            "label": verdict.label,
            "exit_code": verdict.exit_code,
            "decisions": verdict.decisions,
            "gates": [
                {
                    k: o.to_dict()[k]
                    for k in ("gate", "metric", "feature", "status", "severity", "value", "ci_low", "ci_high", "group", "message")
                }
                for o in verdict.outcomes
            ],
        },
        "report_dir": str(outcome.report_dir),
        "files": {name: str(path) for name, path in outcome.files.items()},
        "mlflow": tracking.to_dict() if tracking is not None else None,
    }
