"""``model_card.json`` of a face-matching (verification) audit: the same Model Card Toolkit layout as a classification card.

Performance metrics are named as in gates and MLflow (``fmr@1e-04``, ``fnmr_ratio@threshold=0.62``,
``garbe@1e-04``), sliced ``overall``, ``<attribute>=<group>`` or ``<attribute>`` (summaries). Groups with fewer
people than ``card.min_published_group`` are left out, as in the Markdown and HTML cards; audit.json keeps them.
"""

from __future__ import annotations

from ethicscheck._vocabulary import VERIFICATION_RATES, verification_metric_name
from ethicscheck.cards._model_card import (
    ConfidenceInterval,
    Considerations,
    Dataset,
    ModelCard,
    ModelDetails,
    ModelParameters,
    Owner,
    PerformanceMetric,
    QuantitativeAnalysis,
    Risk,
    Version,
)
from ethicscheck.cards._publish import _verdict_without
from ethicscheck.config import CardConfig
from ethicscheck.fairness import Estimate
from ethicscheck.result import VerificationAuditResult

__all__ = ["build_verification_model_card", "published_groups"]


def published_groups(group_sizes: dict[str, int], card: CardConfig) -> tuple[list[str], list[str]]:
    """The groups a verification card shows and the ones it leaves out (fewer people than ``card.min_published_group``)."""
    shown = [g for g, n in group_sizes.items() if n >= card.min_published_group]
    return shown, [g for g in group_sizes if g not in shown]


def build_verification_model_card(result: VerificationAuditResult, card: CardConfig) -> ModelCard:
    """Assemble the card's data from a verification audit (small groups left out)."""
    verification = result.verification
    performance: list[PerformanceMetric] = []
    for point in verification.points:
        for rate in VERIFICATION_RATES:
            performance.append(
                PerformanceMetric(type=verification_metric_name(rate, point.key), value=getattr(point, rate), slice="overall")
            )
    hidden_by_feature: dict[str, list[str]] = {}
    for feature in verification.features:
        sizes = {g.group: g.n_subjects for g in feature.points[0].groups} if feature.points else {}
        shown, hidden_by_feature[feature.name] = published_groups(sizes, card)
        for at in feature.points:
            for group in at.groups:
                if group.group not in shown:
                    continue
                where = f"{feature.name}={group.group}"
                for key in (*VERIFICATION_RATES, *(f"{r}_ratio" for r in VERIFICATION_RATES)):
                    estimate = getattr(group, key)
                    if estimate is not None:
                        performance.append(_metric(verification_metric_name(key, at.point), where, estimate))
            performance += [_metric(verification_metric_name(key, at.point), feature.name, e) for key, e in at.summaries.items()]
    return ModelCard(
        model_details=ModelDetails(
            name=card.model_name or "face-matching system",
            overview=card.description,
            version=Version(name=card.model_version, date=result.run.finished_at),
            owners=[Owner(name=owner) for owner in card.owners],
        ),
        model_parameters=ModelParameters(
            model_architecture="1:1 face verification (comparisons of two images)",
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
                    name="Wrongly declaring two different people a match more often for some demographic groups (false matches).",
                    mitigation_strategy="Gate releases on per-group FMR and its ratio to the reference group at the operating "
                    "thresholds; review the groups named in the findings.",
                )
            ],
            tradeoffs=["Raising the threshold lowers false matches and raises false non-matches; see the DET curves."],
        ),
        ethicscheck={
            "task": "verification",
            "verdict": _verdict_without(
                result.verdict,
                {g for groups in hidden_by_feature.values() for g in groups},
                card.min_published_group,
                withhold_values=False,
            ).to_dict(),
            "operating_points": [p.to_dict() for p in verification.points],
            "provenance": {
                "data_sha256": result.data.sha256,
                "data_rows": result.data.n_rows,
                "config": result.run.config,
                "config_digest": result.run.config_digest,
                "packages": result.run.packages,
                "ethicscheck_version": result.run.ethicscheck_version,
                "seed": result.run.seed,
                "started_at": result.run.started_at,
                "finished_at": result.run.finished_at,
            },
            "out_of_scope_uses": list(card.out_of_scope_uses),
            "publication": {"min_group_size": card.min_published_group, "suppressed_groups": hidden_by_feature},
        },
    )


def _metric(key: str, where: str, estimate: Estimate) -> PerformanceMetric:
    interval = None
    if estimate.ci_low is not None or estimate.ci_high is not None:
        interval = ConfidenceInterval(lower_bound=estimate.ci_low, upper_bound=estimate.ci_high)
    return PerformanceMetric(type=key, value=estimate.value, slice=where, confidence_interval=interval, status=estimate.status)


def _output_format(result: VerificationAuditResult) -> str:
    if result.data.score_column is None:
        return "match decision per comparison"
    return f"similarity score per comparison, a match at or {'above' if result.data.higher_is_more_similar else 'below'} the threshold"
