"""The audit result: the single source of truth that cards, gates and tracking read."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ethicscheck._serialize import Serializable, json_options
from ethicscheck._verdict import Verdict
from ethicscheck.data import FilterStep
from ethicscheck.errors import ConfigError
from ethicscheck.fairness import FairnessResult
from ethicscheck.membership import MembershipRisk
from ethicscheck.models import ModelInfo
from ethicscheck.privacy import PrivacyResult
from ethicscheck.probes import ProbeResult
from ethicscheck.verification import VerificationResult

__all__ = [
    "AuditResult",
    "ComparisonsSummary",
    "VerificationAuditResult",
    "DataSummary",
    "DegenerateDecisions",
    "ModelSummary",
    "RunInfo",
    "TrackingInfo",
    "SCHEMA_VERSION",
    "read_audit_json",
]

SCHEMA_VERSION = "1.0"


@dataclass(frozen=True)
class RunInfo(Serializable):
    """Who ran what, when, with which settings."""

    name: str
    ethicscheck_version: str
    seed: int
    config_digest: str
    config: dict[str, Any]
    packages: dict[str, str]
    started_at: str
    finished_at: str
    timings: dict[str, float] = field(default_factory=dict)
    #: How the rows were read and reduced: engine name, batch size and batches (stream), rows read.
    engine: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DataSummary(Serializable):
    """The evaluation data, described without its content."""

    file: str
    sha256: str
    n_rows: int
    n_positive: int
    n_negative: int
    label_column: str
    sensitive_features: tuple[str, ...]
    text_column: str | None
    missing_sensitive: dict[str, int]
    n_rows_read: int | None = None
    filter: tuple[FilterStep, ...] = ()


#: ``none_flagged`` / ``all_flagged``: every row got the same decision, so error rates say nothing about bias.
DegenerateDecisions = Literal["none_flagged", "all_flagged"]


@dataclass(frozen=True)
class ModelSummary(Serializable):
    """The audited model and what it decided overall.

    ``degenerate_decisions`` is set when the model flagged no row or every row: FPR and FNR are then
    0% or 100% in every group by construction, which is no evidence either way (gates treat it as
    insufficient evidence).
    """

    info: ModelInfo = field(metadata=json_options(flatten=True))
    threshold: float | None
    has_score: bool
    n_flagged: int
    n_rows: int | None = None
    score_is_probability: bool = True
    higher_is_riskier: bool = True
    # why the decisions are constant, from the raw outputs (Predictions.decision_note); written only when known
    decision_note: str | None = field(default=None, metadata=json_options(omit="falsy"))

    JSON_ORDER = (
        "info",
        "threshold",
        "has_score",
        "score_is_probability",
        "higher_is_riskier",
        "n_flagged",
        "n_rows",
        "degenerate_decisions",
        "decision_note",
    )

    @property
    def degenerate_decisions(self) -> DegenerateDecisions | None:
        if self.n_rows is None or self.n_rows == 0:
            return None
        if self.n_flagged == 0:
            return "none_flagged"
        if self.n_flagged == self.n_rows:
            return "all_flagged"
        return None

    def warning(self, noun: str = "rows", *, flagged: str = "flagged") -> str | None:
        """The plain-language warning for degenerate decisions, or None (``flagged``: the card's outcome word)."""
        kind = self.degenerate_decisions
        if kind is None:
            return None
        which = "none" if kind == "none_flagged" else "every one"
        return (
            f"The model {flagged} {which} of the {self.n_rows:,} {noun}, so every group's false-positive and false-negative "
            "rates are 0% or 100% by construction and say nothing about bias. Check the decision column, "
            "flagged_values and the threshold." + (f" Here {self.decision_note}." if self.decision_note else "")
        )


@dataclass(frozen=True)
class TrackingInfo(Serializable):
    """Where the audit was logged, or why it was not."""

    logged: bool
    tracking_uri: str | None = None
    experiment_id: str | None = None
    run_id: str | None = None
    message: str | None = None


@dataclass(frozen=True)
class AuditResult(Serializable):
    """Everything one audit measured and decided."""

    run: RunInfo
    data: DataSummary
    model: ModelSummary
    fairness: FairnessResult
    privacy: PrivacyResult | None
    verdict: Verdict
    tracking: TrackingInfo | None = None
    # only audits that ran probes, or measured membership_risk (the loss attack, overall and per group), carry these keys
    probes: ProbeResult | None = field(default=None, metadata=json_options(omit="none"))
    membership: MembershipRisk | None = field(default=None, metadata=json_options(omit="none"))

    JSON_ORDER = ("schema_version", "run", "data", "model", "fairness", "privacy", "verdict", "tracking", "probes", "membership")

    @property
    def schema_version(self) -> str:
        """The version of the ``audit.json`` layout (written first in the file)."""
        return SCHEMA_VERSION

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False, allow_nan=False)

    def write_json(self, path: Path) -> Path:
        """Write ``audit.json`` whole or not at all (a temporary file, then an atomic rename)."""
        return _write_whole(path, self.to_json())

    @classmethod
    def read_json(cls, path: Path) -> AuditResult:
        """Read a saved ``audit.json`` of a classification audit.

        Raises
        ------
        ConfigError
            The file is empty, truncated, not JSON, a face-matching audit, or not a complete ethicscheck result;
            the message names the file and says to re-run the audit.
        """
        result = read_audit_json(path)
        if not isinstance(result, AuditResult):
            raise ConfigError(f"{path} is the audit.json of a face-matching (task: verification) audit, not of a classification audit.")
        return result


#: The sections an audit.json of each task must have.
_SECTIONS = {"classification": ("run", "data", "model", "fairness", "verdict"), "verification": ("run", "data", "verification", "verdict")}


def read_audit_json(path: Path) -> AuditResult | VerificationAuditResult:
    """Read a saved ``audit.json`` of either task (its ``task`` key; classification when absent).

    Raises
    ------
    ConfigError
        The file is empty, truncated, not JSON, or not a complete ethicscheck result; the message names the file and
        says to re-run the audit.
    """
    again = "Re-run the audit to write it again."
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text, so not an ethicscheck audit.json. {again}") from None
    if not text.strip():
        raise ConfigError(f"{path} is empty (an interrupted write?). {again}")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}); it may be truncated. {again}") from None
    task = data.get("task", "classification") if isinstance(data, dict) else "classification"
    if task not in _SECTIONS:
        raise ConfigError(f"{path} has task '{task}'; ethicscheck audits are 'classification' or 'verification'. {again}")
    missing = [key for key in _SECTIONS[task] if not isinstance(data, dict) or key not in data]
    if missing:
        raise ConfigError(f"{path} is not an ethicscheck audit.json: it has no {', '.join(missing)} section. {again}")
    kind: type[AuditResult] | type[VerificationAuditResult] = AuditResult if task == "classification" else VerificationAuditResult
    try:
        return kind.from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        detail = f"missing field {exc}" if isinstance(exc, KeyError) else type(exc).__name__
        raise ConfigError(f"{path} is not a complete ethicscheck audit.json ({detail}). {again}") from None


@dataclass(frozen=True)
class ComparisonsSummary(Serializable):
    """The comparisons a verification audit read, described without their content (no subject ids)."""

    file: str
    sha256: str
    n_rows: int
    n_genuine: int
    n_impostor: int
    n_subjects: int
    score_column: str | None
    higher_is_more_similar: bool
    sensitive_features: tuple[str, ...]


@dataclass(frozen=True)
class VerificationAuditResult(Serializable):
    """Everything one face-matching (verification) audit measured and decided: the same run, verdict and
    tracking sections as :class:`AuditResult`, with the verification statistics where a classification audit
    has its fairness section."""

    run: RunInfo
    data: ComparisonsSummary
    verification: VerificationResult
    verdict: Verdict
    tracking: TrackingInfo | None = None

    task = "verification"

    JSON_ORDER = ("schema_version", "task", "run", "data", "verification", "verdict", "tracking")

    @property
    def schema_version(self) -> str:
        """The version of the ``audit.json`` layout (written first in the file)."""
        return SCHEMA_VERSION

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False, allow_nan=False)

    def write_json(self, path: Path) -> Path:
        """Write ``audit.json`` whole or not at all (a temporary file, then an atomic rename)."""
        return _write_whole(path, self.to_json())


def _write_whole(path: Path, text: str) -> Path:
    import os

    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text + "\n", encoding="utf-8")
    os.replace(partial, path)
    return path
