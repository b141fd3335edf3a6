"""A comparison in MLflow: a parent run for the comparison, one child run per candidate and seed."""

from __future__ import annotations

from pathlib import Path

from ethicscheck.compare._result import CandidateRun, ComparisonResult
from ethicscheck.membership import ATTACK_FIGURES
from ethicscheck.result import TrackingInfo
from ethicscheck.tracking import (
    artifact_location,
    fairness_metric_items,
    log_metric_items,
    mlflow_errors,
    public_uri,
    quiet_mlflow,
    unique_slugs,
)

__all__ = ["log_comparison", "run_metric_items"]


def run_metric_items(run: CandidateRun) -> list[tuple[str, float]]:
    """A child run's metrics: the audit's names (``fpr/overall``, ``fpr_difference/<feature>``, ...) plus
    ``mia_<figure>/<attack>``, ``mia_group_excess_auc/<attack>`` (the most exposed group's excess, not its name) and
    ``fit_seconds``."""
    items = fairness_metric_items(run.fairness)
    for attack in run.attacks:
        for name in ATTACK_FIGURES:
            estimate = attack.figure(name)
            for suffix, value in (("", estimate.value), ("_ci_low", estimate.ci_low), ("_ci_high", estimate.ci_high)):
                if value is not None:  # a TPR the non-member count cannot resolve is not logged as a number
                    items.append((f"mia_{name}{suffix}/{attack.attack}", float(value)))
    for risk in run.membership_by_group:
        worst = risk.worst
        if worst is None:
            continue
        excess = worst.excess_auc
        for suffix, value in (("", excess.value), ("_ci_low", excess.ci_low), ("_ci_high", excess.ci_high)):
            if value is not None:
                items.append((f"mia_group_excess_auc{suffix}/{risk.attack}", float(value)))
    items.append(("fit_seconds", run.fit_seconds))
    return items


def log_comparison(result: ComparisonResult, *, tracking_uri: str, experiment: str, artifacts: list[Path]) -> TrackingInfo:
    """Log the parent run (summary metrics per candidate, report files) and the child runs."""
    from mlflow.entities import Param
    from mlflow.utils.mlflow_tags import MLFLOW_PARENT_RUN_ID

    with quiet_mlflow(), mlflow_errors(tracking_uri):
        import mlflow

        client = mlflow.MlflowClient(tracking_uri=tracking_uri)
        found = client.get_experiment_by_name(experiment)
        experiment_id = (
            found.experiment_id if found else client.create_experiment(experiment, artifact_location=artifact_location(tracking_uri))
        )
        parent = client.create_run(
            experiment_id, run_name=result.name, tags={"ethicscheck.kind": "comparison", "ethicscheck.feature": result.feature}
        ).info.run_id
        client.log_batch(
            parent,
            params=[
                Param("seeds", ",".join(map(str, result.seeds))),
                Param("candidates", str(len(result.summaries))),
                Param("data_sha256", result.data["sha256"]),
            ],
        )
        slugs = unique_slugs([s.candidate for s in result.summaries])
        log_metric_items(
            client,
            parent,
            [(f"{key}/{slugs[s.candidate]}", value) for s in result.summaries for key, value in s.pooled.items() if value is not None]
            + [
                (f"{figure}_vs_baseline{suffix}/{slugs[c.candidate]}", value)
                for c in result.comparisons
                for figure, difference in c.differences.items()
                for suffix, value in (
                    ("", difference.pooled.value),
                    ("_ci_low", difference.pooled.ci_low),
                    ("_ci_high", difference.pooled.ci_high),
                )
                if value is not None
            ],
        )
        for path in artifacts:
            client.log_artifact(parent, str(path))
        for run in result.runs:
            tags = {
                MLFLOW_PARENT_RUN_ID: parent,
                "ethicscheck.kind": "comparison-candidate",
                "ethicscheck.candidate": run.candidate,
                "ethicscheck.seed": str(run.seed),
            }
            child = client.create_run(experiment_id, run_name=f"{run.candidate} · seed {run.seed}", tags=tags).info.run_id
            params = [
                Param("method", run.method),
                Param("family", run.family),
                Param("seed", str(run.seed)),
                Param("epsilon", "none" if run.epsilon is None else f"{run.epsilon:g}"),
            ]
            client.log_batch(child, params=params)
            log_metric_items(client, child, run_metric_items(run))
            client.set_terminated(child, status="FINISHED")
        client.set_terminated(parent, status="FINISHED")
    return TrackingInfo(logged=True, tracking_uri=public_uri(tracking_uri), experiment_id=experiment_id, run_id=parent)
