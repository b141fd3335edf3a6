"""How a privacy gate reads its figure from the privacy stage's result: one function per figure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ethicscheck.fairness import Estimate, wilson_interval
from ethicscheck.privacy import PrivacyResult

__all__ = ["PRIVACY_FIGURES", "PrivacyReading", "NoReading"]


@dataclass(frozen=True)
class PrivacyReading:
    """The value a privacy gate judges and where it was measured ("column text", "the audit's files")."""

    where: str
    estimate: Estimate


@dataclass(frozen=True)
class NoReading:
    """Why the figure is unknown for this audit (the gate then has insufficient evidence)."""

    reason: str


def _input_row_rate(privacy: PrivacyResult) -> PrivacyReading | NoReading:
    """The share of rows with personal data in the input column that has the most, with its Wilson interval."""
    if not privacy.columns:
        return NoReading("no input text was scanned, so pii.inputs.row_rate is unknown")
    column = max(privacy.columns, key=lambda c: c.rows_with_pii / max(c.rows_scanned, 1))
    low, high = wilson_interval(column.rows_with_pii, column.rows_scanned, confidence_level=0.95)
    share = column.rows_with_pii / max(column.rows_scanned, 1)
    estimate = Estimate(share, float(low), float(high), numerator=column.rows_with_pii, denominator=column.rows_scanned)
    return PrivacyReading(f"column {column.column}", estimate)


def _novel_output_findings(privacy: PrivacyResult) -> PrivacyReading | NoReading:
    """Findings in the output column with the most that are not in the input (possible memorization)."""
    if not privacy.outputs:
        return NoReading("no output columns were scanned (privacy.output_columns)")
    worst = max(privacy.outputs, key=lambda o: o.novel_total)
    return PrivacyReading(f"column {worst.column}", Estimate(float(worst.novel_total)))


def _artifact_findings(privacy: PrivacyResult) -> PrivacyReading | NoReading:
    """Findings in the audit's own files."""
    if privacy.artifacts is None:
        return NoReading("the audit's files were not scanned (privacy.scan_artifacts)")
    return PrivacyReading("the audit's files", Estimate(float(privacy.artifacts.findings)))


#: Privacy figure (a key of :data:`~ethicscheck._vocabulary.PRIVACY_METRIC_TABLE`) -> how it is read from the
#: privacy stage's result, in the table's order.
PRIVACY_FIGURES: dict[str, Callable[[PrivacyResult], PrivacyReading | NoReading]] = {
    "pii.inputs.row_rate": _input_row_rate,
    "pii.outputs.novel": _novel_output_findings,
    "pii.artifacts": _artifact_findings,
}
