"""What an engine hands to the audit: the statistics stages' results and the summaries of data and model."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ethicscheck.data import Dataset
from ethicscheck.fairness import FairnessResult
from ethicscheck.privacy import PrivacyResult
from ethicscheck.probes import ProbeResult
from ethicscheck.result import DataSummary, ModelSummary

__all__ = ["EngineName", "Measured"]

#: How rows are read and turned into statistics.
EngineName = Literal["pandas", "stream", "spark"]


@dataclass(frozen=True)
class Measured:
    """Everything measured on the rows; the audit judges, writes and logs it the same way whatever the engine.

    Attributes
    ----------
    engine : dict
        Provenance of the engine (name, batch size, batches or partitions, master, rows read), for
        ``run.engine`` in audit.json, the card and MLflow.
    found_values : set of str
        Raw values the scan found in inputs, in memory only, so the audit can check its own files for them.
    pseudonyms : dict
        Group names holding contact data and their published pseudonyms (kept outside the report).
    dataset : Dataset, optional
        The rows, when they are in memory (MLflow records the dataset's schema and digest from it).
    probes : ProbeResult, optional
        The counterfactual probes (in-memory engine only: they score edited copies of the texts).
    """

    data: DataSummary
    model: ModelSummary
    fairness: FairnessResult
    privacy: PrivacyResult | None
    engine: dict[str, Any]
    found_values: set[str] = field(default_factory=set)
    pseudonyms: dict[str, str] = field(default_factory=dict)
    dataset: Dataset | None = None
    probes: ProbeResult | None = None
