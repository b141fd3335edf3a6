"""The model card as data (``model_card.json``): the Model Card Toolkit's fields plus ethicscheck's.

Top-level fields follow the Model Card Toolkit (``schema_version``, ``model_details``,
``model_parameters``, ``quantitative_analysis``, ``considerations``); the ``ethicscheck`` section
carries the fairness summary, the privacy scan, the gate verdict and provenance. Narrative fields come
from the config's ``card`` section; what is missing stays missing (null or empty), never invented.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ethicscheck._vocabulary import DETECTABLE_GATE_METRICS, PROBE_METRIC_TABLE
from ethicscheck.cards._publish import Publication, publishable
from ethicscheck.config import CardConfig
from ethicscheck.fairness import Estimate
from ethicscheck.probes import ProbeResult
from ethicscheck.result import AuditResult

__all__ = ["ModelCard", "build_model_card", "model_card_schema", "CARD_SCHEMA_VERSION"]

CARD_SCHEMA_VERSION = "0.0.2"


class _Card(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Owner(_Card):
    name: str
    contact: str | None = None


class Version(_Card):
    name: str | None = None
    date: str | None = None


class ModelDetails(_Card):
    name: str
    overview: str | None = None
    version: Version = Field(default_factory=Version)
    owners: list[Owner] = Field(default_factory=list)


class Dataset(_Card):
    name: str
    description: str | None = None
    sha256: str | None = None
    rows: int | None = None


class ModelParameters(_Card):
    model_architecture: str | None = None
    input_format: str | None = None
    output_format: str | None = None
    data: dict[str, Dataset] = Field(default_factory=dict, description="'train' and 'eval' datasets.")


class ConfidenceInterval(_Card):
    lower_bound: float | None = None
    upper_bound: float | None = None


class PerformanceMetric(_Card):
    type: str = Field(
        description="Metric key, e.g. fpr, fnr, fpr_ratio_to_reference, mdd.fpr_ratio (the smallest ratio this audit could detect)."
    )
    value: float | None = Field(description="null when undefined (empty denominator) or suppressed.")
    slice: str = Field(description="'overall', '<feature>=<group>', or 'probes:<lexicon>=<term>' for term-swap probe figures.")
    confidence_interval: ConfidenceInterval | None = None
    status: str = Field(default="ok", description="ok | insufficient_data | undefined")


class QuantitativeAnalysis(_Card):
    performance_metrics: list[PerformanceMetric] = Field(default_factory=list)


class Risk(_Card):
    name: str
    mitigation_strategy: str | None = None


class Considerations(_Card):
    users: list[str] = Field(default_factory=list)
    use_cases: list[str] = Field(default_factory=list)
    limitations: list[str] = Field(default_factory=list)
    tradeoffs: list[str] = Field(default_factory=list)
    ethical_considerations: list[Risk] = Field(default_factory=list)


class ModelCard(_Card):
    """The card's data; ``model_card.json`` is this, serialized."""

    schema_version: str = CARD_SCHEMA_VERSION
    model_details: ModelDetails
    model_parameters: ModelParameters
    quantitative_analysis: QuantitativeAnalysis
    considerations: Considerations
    ethicscheck: dict[str, Any] = Field(description="Fairness summary, privacy scan, verdict and provenance (see docs/audit_json.md).")


def build_model_card(result: AuditResult, card: CardConfig, *, publication: Publication | None = None) -> ModelCard:
    """Assemble the card's data from the public view of an audit result.

    Parameters
    ----------
    result : AuditResult
    card : CardConfig
    publication : Publication, optional
        The public view, when the caller already has it; else made with :func:`publishable`.
    """
    publication = publication or publishable(result, card)
    result = publication.result
    performance = [_metric(key, "overall", estimate) for key, estimate in result.fairness.overall.metrics.items()]
    for feature in result.fairness.features:
        for group in feature.groups:
            where = f"{feature.name}={group.group}"
            performance += [_metric(key, where, estimate) for key, estimate in group.metrics.items()]
            performance += [_metric(f"{key}_ratio_to_reference", where, estimate) for key, estimate in group.ratio.items()]
            performance += [
                PerformanceMetric(type=name, value=found.ratio, slice=where, status=found.status)
                for name, rate in DETECTABLE_GATE_METRICS.items()
                if (found := group.detectable.get(rate)) is not None
            ]
    if result.probes is not None:
        performance += _probe_metrics(result.probes, min_shown=card.min_published_group)
    return ModelCard(
        model_details=ModelDetails(
            name=card.model_name or result.model.info.source,
            overview=card.description,
            version=Version(name=card.model_version, date=result.run.finished_at),
            owners=[Owner(name=owner) for owner in card.owners],
        ),
        model_parameters=ModelParameters(
            model_architecture=f"{result.model.info.kind}" + (f" ({result.model.info.flavor})" if result.model.info.flavor else ""),
            output_format=_output_format(result),
            data={
                "eval": Dataset(
                    name=result.data.file, description=card.evaluation_data, sha256=result.data.sha256, rows=result.data.n_rows
                ),
                **({"train": Dataset(name="training data", description=card.training_data)} if card.training_data else {}),
            },
        ),
        quantitative_analysis=QuantitativeAnalysis(performance_metrics=performance),
        considerations=Considerations(
            use_cases=[card.intended_use] if card.intended_use else [],
            limitations=list(card.limitations),
            ethical_considerations=[
                Risk(
                    name="Wrongly flagging people or ads by nationality, language or region (false positives).",
                    mitigation_strategy="Gate releases on the FPR ratio to the reference group; review the groups named in the findings.",
                )
            ],
            users=[],
            tradeoffs=["Lowering false positives by moving the threshold raises missed cases (false negatives); see the threshold curves."],
        ),
        ethicscheck={
            "verdict": result.verdict.to_dict(),
            "disparities": {f.name: {k: v.to_dict() for k, v in f.disparities.items()} for f in result.fairness.features},
            "privacy": result.privacy.to_dict() if result.privacy else None,
            **({"probes": _probe_findings(result.probes)} if result.probes is not None else {}),
            "provenance": {
                "model": result.model.to_dict(),
                "data_sha256": result.data.sha256,
                "data_rows_read": result.data.n_rows_read,
                "engine": dict(result.run.engine),
                "data_filter": [step.to_dict() for step in result.data.filter],
                "config": result.run.config,
                "config_digest": result.run.config_digest,
                "packages": result.run.packages,
                "ethicscheck_version": result.run.ethicscheck_version,
                "seed": result.run.seed,
                "started_at": result.run.started_at,
                "finished_at": result.run.finished_at,
            },
            "out_of_scope_uses": list(card.out_of_scope_uses),
            "publication": publication.to_dict(),
        },
    )


def model_card_schema() -> dict[str, Any]:
    """The published JSON Schema of ``model_card.json``."""
    schema = ModelCard.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "ethicscheck model card"
    return schema


def _metric(key: str, where: str, estimate: Estimate) -> PerformanceMetric:
    interval = None
    if estimate.ci_low is not None or estimate.ci_high is not None:
        interval = ConfidenceInterval(lower_bound=estimate.ci_low, upper_bound=estimate.ci_high)
    return PerformanceMetric(type=key, value=estimate.value, slice=where, confidence_interval=interval, status=estimate.status)


def _probe_metrics(probes: ProbeResult, *, min_shown: int) -> list[PerformanceMetric]:
    """Per probed term (slice ``probes:<lexicon>=<term>``): the gate figures on texts labelled negative, pooled over the
    terms it replaced (``swap.flip_rate``, ``swap.score_delta``, beyond the control), and the identity-mention AUCs.
    Terms behind fewer than ``min_shown`` texts stay out, as in the card's tables (audit.json keeps them)."""
    metrics: list[PerformanceMetric] = []
    for lexicon in probes.lexicons:
        for target in lexicon.targets:
            stats = target.negative
            if stats is None or stats.n_texts < min_shown:
                continue
            where = f"probes:{lexicon.name}={target.label}"
            for key, metric in PROBE_METRIC_TABLE.items():
                estimate = getattr(stats, metric.source, None)
                if isinstance(estimate, Estimate):
                    metrics.append(_metric(key, where, estimate))
        for aucs in lexicon.identity_aucs:
            if aucs.n_mentioning < min_shown:
                continue
            where = f"probes:{lexicon.name}={aucs.label}"
            metrics += [_metric(key, where, getattr(aucs, key)) for key in ("subgroup_auc", "bpsn_auc", "bnsp_auc")]
    return metrics


def _probe_findings(probes: ProbeResult) -> dict[str, Any]:
    """What the probes found, per lexicon: texts probed, copies scored and the target terms with a finding on texts
    labelled negative (decisions: McNemar; scores: sign test; both against the control, Holm-corrected)."""
    return {
        "n_model_calls": probes.n_model_calls,
        "lexicons": [
            {
                "name": lexicon.name,
                "n_probed": lexicon.n_probed,
                "n_copies": lexicon.n_copies,
                "decision_findings": {t.label: t.negative.finding for t in lexicon.targets if t.negative and t.negative.finding},
                "score_findings": {t.label: t.negative.score_finding for t in lexicon.targets if t.negative and t.negative.score_finding},
            }
            for lexicon in probes.lexicons
        ],
    }


def _output_format(result: AuditResult) -> str:
    model = result.model
    if not model.has_score:
        return "decision (flagged or not)"
    if model.score_is_probability:
        return "score in [0, 1], flagged at or above the threshold"
    return f"score on its own scale, flagged at or {'above' if model.higher_is_riskier else 'below'} the threshold"
