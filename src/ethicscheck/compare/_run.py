"""Run a comparison: per seed one split and one feature encoding, then every candidate fitted and evaluated."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ethicscheck._adapters import assess_configured
from ethicscheck._provenance import now, package_versions
from ethicscheck.compare._candidates import CLIP_WARN_SHARE, CandidateSpec, Fitted, candidate_specs, fit_candidate
from ethicscheck.compare._config import CompareConfig
from ethicscheck.compare._evidence import PairedInputs, compare_with_baseline, evidence_front
from ethicscheck.compare._features import FeatureSpace, categorical_values, fit_features
from ethicscheck.compare._mia import ShadowData, shadow_scores
from ethicscheck.compare._paired import HeldOut
from ethicscheck.compare._result import CandidateRun, ComparisonResult, Failure, summarize
from ethicscheck.config import DataConfig, FairnessConfig
from ethicscheck.data import dataset_from_frame, frame_digest, load_dataset
from ethicscheck.errors import DataError, ModelError, require_extra
from ethicscheck.membership import AttackResult, GroupedRisk, attack_metrics, loss_scores, risk_by_group
from ethicscheck.synth import CorpusSpec, generate_ads

__all__ = ["run_comparison", "Progress", "comparison_data"]

Progress = Callable[[str], None]  # called once per finished (candidate, seed) with its label


@dataclass(frozen=True)
class _Part:
    """One part of a seed's rows: features, labels, mitigated-group values, the rows themselves and their positions."""

    X: np.ndarray
    y: np.ndarray
    A: np.ndarray
    frame: pd.DataFrame
    rows: np.ndarray  # positions in the whole data set (the paired bootstrap joins seeds on them)


@dataclass(frozen=True)
class _Split:
    """One seed's rows: training (members), held-out test (evaluation, non-members) and shadow rows."""

    seed: int
    train: _Part
    test: _Part
    shadow: _Part
    space: FeatureSpace


def comparison_data(config: CompareConfig) -> tuple[pd.DataFrame, DataConfig, dict[str, Any]]:
    """The labeled rows, their column roles and a description (file name and digest, never rows)."""
    if config.synth is not None:
        frame = generate_ads(config.synth.ads, seed=config.synth.seed, spec=CorpusSpec(label_noise=config.synth.label_noise))
        data = DataConfig.model_validate(
            {
                "path": Path("synthetic-ads.parquet"),
                "label": {"column": "label", "positive": True},
                "text_column": "text",
                "sensitive_features": [
                    {"column": "nationality", "name": "nationality mentioned", "reference": "not mentioned"},
                    {"column": "region"},
                ],
                "intersections": "none",
            }
        )
        described = {
            "source": f"synthetic ads (ethicscheck.synth, {config.synth.ads:,} ads, corpus seed {config.synth.seed})",
            "sha256": frame_digest(frame),
        }
        frame = frame.drop(columns=["pii"])
        return frame, data, {**described, "rows": len(frame)}
    assert config.data is not None
    dataset = load_dataset(config.data)
    return dataset.frame, config.data, {"source": Path(config.data.path).name, "sha256": dataset.sha256, "rows": len(dataset.frame)}


def run_comparison(config: CompareConfig, *, progress: Progress | None = None) -> ComparisonResult:
    """Fit and evaluate the baseline and every candidate on each seed's split, then compare each with the baseline.

    Raises
    ------
    ConfigError, DataError
        Bad config, data that does not fit it, a group the mitigations cannot handle, or a factory that
        cannot be imported.
    """
    require_extra("compare", feature="ethicscheck compare (membership-inference attacks)", modules=("art",))
    if any(c.method.startswith("dp_") for c in config.candidates):
        require_extra("compare", feature="the differentially private candidates (dp_*)", modules=("diffprivlib",))
    started, clock = now(), time.perf_counter()
    frame, data, described = comparison_data(config)
    dataset = dataset_from_frame(frame, data, path=Path(described["source"]), sha256=described["sha256"])
    mitigate = config.mitigate_for or data.sensitive_features[0].column
    feature_name = next(f.display_name for f in data.sensitive_features if f.column == mitigate)
    specs = candidate_specs(config)
    dp = any(s.family == "diffprivlib" or s.epsilon is not None for s in specs)
    fairness = config.fairness.model_copy(update={"metrics": list(dict.fromkeys([*config.fairness.metrics, "accuracy", "selection_rate"]))})
    group_names, group_codes = np.unique(categorical_values(dataset.frame[mitigate]), return_inverse=True)
    runs: list[CandidateRun] = []
    failures: list[Failure] = []
    warnings: list[str] = []
    heldout: dict[int, HeldOut] = {}
    decisions: dict[tuple[str, int], np.ndarray] = {}
    shadow_rows: int | None = None
    for seed in config.seeds:
        split = _split(config, dataset.frame, dataset.y_true, data, mitigate, seed, dp=dp)
        heldout[seed] = HeldOut(split.test.rows, group_codes[split.test.rows], split.test.y)
        warnings += [
            f"seed {seed}: {100 * share:.1f}% of training rows had {column} outside its features.bounds and were clipped"
            for column, share in (split.space.clipped or {}).items()
            if share > CLIP_WARN_SHARE
        ]
        for spec in specs:
            try:
                run, decision, shadow_failures, shadow_rows = _evaluate(spec, split, config, data, fairness, feature_name)
            except _FIT_ERRORS as exc:  # one method failing on this split must not lose the others
                if spec.family == "baseline" and spec.name == "baseline":
                    raise DataError(f"the baseline cannot be fitted on seed {seed}'s split: {_reason(exc)}") from None
                failures.append(Failure(spec.name, seed, "fit", _reason(exc)))
            else:
                runs.append(run)
                decisions[(spec.name, seed)] = decision
                failures += shadow_failures
                if run.clipped is not None and run.clipped > CLIP_WARN_SHARE:
                    warnings.append(
                        f"{spec.name}, seed {seed}: its DP bound clipped {100 * run.clipped:.1f}% of training rows "
                        f"(more than {100 * CLIP_WARN_SHARE:g}%); the bound is too small for these features"
                    )
            if progress:
                progress(f"{spec.name} (seed {seed})")
    seeds = tuple(config.seeds)
    inputs = PairedInputs(
        heldout,
        decisions,
        tuple(map(str, group_names)),
        min_negatives=config.fairness.min_group_size,
        n_boot=config.paired.n_boot,
        confidence_level=config.fairness.confidence_level,
        seed=seeds[0],
    )
    summaries = summarize(runs, [s.name for s in specs], seeds)
    pooled = {
        s.candidate: (float(gap), float(accuracy))
        for s in summaries
        if not s.failed_seeds
        and not s.degenerate
        and (gap := s.pooled["fpr_gap"]) is not None
        and (accuracy := s.pooled["accuracy"]) is not None
    }
    usable = [s for s in summaries if s.candidate in pooled]
    return ComparisonResult(
        name=config.name,
        feature=feature_name,
        seeds=seeds,
        runs=tuple(runs),
        data=described,
        config=config.model_dump(mode="json"),
        packages=package_versions(("diffprivlib", "adversarial-robustness-toolbox")),
        started_at=started,
        finished_at=now(),
        seconds=time.perf_counter() - clock,
        summaries=summaries,
        failures=tuple(failures),
        comparisons=compare_with_baseline(runs, inputs, seeds),
        front=evidence_front([s.candidate for s in usable], inputs, seeds, pooled),
        learned_features=split.space.learned,
        warnings=tuple(warnings),
        shadow_train_rows=shadow_rows,
    )


def _split(config: CompareConfig, frame: pd.DataFrame, y: np.ndarray, data: DataConfig, mitigate: str, seed: int, *, dp: bool) -> _Split:
    """Stratified by label, seeded: the same seed gives the same rows to every candidate."""
    rng = np.random.default_rng([seed, 0x5B117])
    parts: dict[str, list[np.ndarray]] = {"train": [], "test": [], "shadow": []}
    for label in (False, True):
        rows = rng.permutation(np.flatnonzero(y == label))
        n_test, n_shadow = round(len(rows) * config.split.test_size), round(len(rows) * config.split.shadow_size)
        parts["test"].append(rows[:n_test])
        parts["shadow"].append(rows[n_test : n_test + n_shadow])
        parts["train"].append(rows[n_test + n_shadow :])
    index = {name: np.sort(np.concatenate(chunks)) for name, chunks in parts.items()}
    train = frame.iloc[index["train"]]
    if len(np.unique(y[index["train"]])) < 2:
        raise DataError(f"seed {seed}: the training rows hold only one class; the data needs both labels with at least a few rows each.")
    sensitive = [f.column for f in data.sensitive_features]
    space = fit_features(config.features, train, text_column=data.text_column, sensitive=sensitive, dp=dp)
    made = {name: _part(frame.iloc[rows], y[rows], rows, space, mitigate) for name, rows in index.items()}
    return _Split(seed=seed, train=made["train"], test=made["test"], shadow=made["shadow"], space=space)


def _part(frame: pd.DataFrame, y: np.ndarray, rows: np.ndarray, space: FeatureSpace, mitigate: str) -> _Part:
    return _Part(X=space(frame), y=y, A=categorical_values(frame[mitigate]), frame=frame, rows=rows)


def _evaluate(
    spec: CandidateSpec, split: _Split, config: CompareConfig, data: DataConfig, fairness: FairnessConfig, feature: str
) -> tuple[CandidateRun, np.ndarray, list[Failure], int | None]:
    """The run, its decisions on the held-out rows, the shadow fits that failed and the shadow models' training size."""
    seed = split.seed
    fitted = fit_candidate(spec, split.train.X, split.train.y, split.train.A, seed)
    score, decision = fitted.predict(split.test.X, split.test.A)
    result = assess_configured(data, fairness, split.test.frame, split.test.y, decision, score, seed=seed)
    attacks, by_group, shadow_failures, shadow_rows = (
        _attacks(spec, fitted, split, config, feature) if config.privacy_risk.enabled else ((), (), [], None)
    )
    run = CandidateRun(
        candidate=spec.name,
        method=spec.method,
        family=spec.family,
        epsilon=spec.epsilon,
        seed=seed,
        feature=feature,
        fairness=result,
        attacks=attacks,
        membership_by_group=by_group,
        fit_seconds=fitted.fit_seconds,
        n_train=len(split.train.y),
        n_test=len(split.test.y),
        clipped=fitted.clipped,
    )
    return run, decision, shadow_failures, shadow_rows


def _attacks(
    spec: CandidateSpec, fitted: Fitted, split: _Split, config: CompareConfig, feature: str
) -> tuple[tuple[AttackResult, ...], tuple[GroupedRisk, ...], list[Failure], int | None]:
    """Loss and shadow-model attacks on every member and non-member (a seeded sample beyond ``max_rows`` each),
    overall and per group of the mitigated feature."""
    rng = np.random.default_rng([split.seed, 0xA77AC])
    risk = config.privacy_risk
    members, nonmembers = (
        np.sort(rng.choice(len(part.y), min(risk.max_rows, len(part.y)), replace=False)) for part in (split.train, split.test)
    )
    score_in, _ = fitted.predict(split.train.X[members], split.train.A[members])
    score_out, _ = fitted.predict(split.test.X[nonmembers], split.test.A[nonmembers])
    y_in, y_out = split.train.y[members], split.test.y[nonmembers]
    scores = {"loss": (loss_scores(score_in, y_in), loss_scores(score_out, y_out))}
    shadow, failures, rows = _shadow_data(spec, split, risk.shadow_models)
    if shadow is not None:
        scores["shadow"] = shadow_scores(
            shadow, score_in, y_in, score_out, y_out, estimator=fitted.estimator, n_features=split.train.X.shape[1], seed=split.seed
        )
    n_boot, confidence_level = risk.n_boot, config.fairness.confidence_level
    attacks, by_group = [], []
    for name, (member_scores, nonmember_scores) in scores.items():
        train_rows = rows if name == "shadow" else None
        attacks.append(
            attack_metrics(
                name,
                member_scores,
                nonmember_scores,
                n_boot=n_boot,
                confidence_level=confidence_level,
                seed=split.seed,
                shadow_train_rows=train_rows,
            )
        )
        by_group.append(
            risk_by_group(
                name,
                member_scores,
                nonmember_scores,
                split.train.A[members],
                split.test.A[nonmembers],
                feature=feature,
                min_rows=risk.min_group_rows,
                n_boot=n_boot,
                confidence_level=confidence_level,
                seed=split.seed,
            )
        )
    return tuple(attacks), tuple(by_group), failures, rows


def _shadow_data(spec: CandidateSpec, split: _Split, count: int) -> tuple[ShadowData | None, list[Failure], int | None]:
    """Train ``count`` shadow copies, each on its own random half of the shadow rows; collect their outputs.

    A shadow that cannot be fitted is a failure with its reason; the attack uses the shadows that could.
    """
    X, y, A = split.shadow.X, split.shadow.y, split.shadow.A
    if count == 0:
        return None, [], None
    if len(y) < 40:
        reason = f"only {len(y)} shadow rows (split.shadow_size); the shadow attack needs at least 40"
        return None, [Failure(spec.name, split.seed, "shadow models", reason)], None
    rng = np.random.default_rng([split.seed, 0x5AD0])
    collected: dict[str, list[np.ndarray]] = {"member_score": [], "member_y": [], "nonmember_score": [], "nonmember_y": []}
    failures = []
    for number in range(count):
        order = rng.permutation(len(y))
        inside, outside = np.sort(order[: len(y) // 2]), np.sort(order[len(y) // 2 :])
        try:
            shadow = fit_candidate(spec, X[inside], y[inside], A[inside], split.seed * 100 + number + 1)
            member, nonmember = shadow.predict(X[inside], A[inside])[0], shadow.predict(X[outside], A[outside])[0]
        except _FIT_ERRORS as exc:  # a shadow set can lack a class in some group; say so, and use the others
            failures.append(Failure(spec.name, split.seed, f"shadow model {number + 1} of {count}", _reason(exc)))
            continue
        collected["member_score"].append(member)
        collected["member_y"].append(y[inside])
        collected["nonmember_score"].append(nonmember)
        collected["nonmember_y"].append(y[outside])
    if not collected["member_score"]:
        return None, failures, len(y) // 2
    return ShadowData(**{key: np.concatenate(values) for key, values in collected.items()}), failures, len(y) // 2


# What fitting a method on some split can raise: fairlearn and scikit-learn refuse degenerate data
# (a group with one class) with ValueError; ethicscheck's own checks raise ModelError.
_FIT_ERRORS = (ValueError, ModelError, np.linalg.LinAlgError)


def _reason(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
