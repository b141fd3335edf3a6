"""Run a comparison: per seed one split and one feature encoding, then every candidate fitted and evaluated."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ethicscheck.audit import assess_configured, package_versions
from ethicscheck.compare._candidates import CandidateSpec, candidate_specs, fit_candidate
from ethicscheck.compare._config import CompareConfig
from ethicscheck.compare._features import fit_features
from ethicscheck.compare._mia import AttackResult, ShadowData, loss_attack, shadow_attack
from ethicscheck.compare._result import CandidateRun, ComparisonResult, summarize
from ethicscheck.config import DataConfig, FairnessConfig
from ethicscheck.data import dataset_from_frame, frame_digest, load_dataset
from ethicscheck.errors import DataError, ModelError
from ethicscheck.fairness import MISSING

__all__ = ["run_comparison", "Progress", "comparison_data"]

Progress = Callable[[str], None]  # called once per finished (candidate, seed) with its label


@dataclass(frozen=True)
class _Split:
    """One seed's rows: training (members), held-out test (evaluation, non-members) and shadow rows."""

    seed: int
    X: dict[str, np.ndarray]
    y: dict[str, np.ndarray]
    A: dict[str, np.ndarray]
    frames: dict[str, pd.DataFrame]


def comparison_data(config: CompareConfig) -> tuple[pd.DataFrame, DataConfig, dict[str, Any]]:
    """The labeled rows, their column roles and a description (file name and digest, never rows)."""
    if config.synth is not None:
        from ethicscheck.synth import CorpusSpec, generate_ads

        frame = generate_ads(config.synth.ads, seed=config.synth.seed, spec=CorpusSpec(label_noise=config.synth.label_noise))
        data = DataConfig(
            path=Path("synthetic-ads.parquet"),
            label={"column": "label", "positive": True},
            text_column="text",
            sensitive_features=[
                {"column": "nationality", "name": "nationality mentioned", "reference": "not mentioned"},
                {"column": "region"},
            ],
            intersections="none",
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
    """Fit and evaluate the baseline and every candidate on each seed's split.

    Raises
    ------
    ConfigError, DataError
        Bad config, data that does not fit it, a group the mitigations cannot handle, or a factory that
        cannot be imported.
    """
    started, clock = _now(), time.perf_counter()
    frame, data, described = comparison_data(config)
    dataset = dataset_from_frame(frame, data, path=Path(described["source"]), sha256=described["sha256"])
    mitigate = config.mitigate_for or data.sensitive_features[0].column
    feature_name = next(f.display_name for f in data.sensitive_features if f.column == mitigate)
    specs = candidate_specs(config)
    fairness = config.fairness.model_copy(update={"metrics": list(dict.fromkeys([*config.fairness.metrics, "accuracy", "selection_rate"]))})
    runs: list[CandidateRun] = []
    failures: list[dict[str, Any]] = []
    for seed in config.seeds:
        split = _split(config, dataset.frame, dataset.y_true, data, mitigate, seed)
        for spec in specs:
            try:
                runs.append(_evaluate(spec, split, config, data, fairness, feature_name))
            except _FIT_ERRORS as exc:  # one method failing on this split must not lose the others
                if spec.family == "baseline":
                    raise DataError(f"the baseline cannot be fitted on seed {seed}'s split: {_reason(exc)}") from None
                failures.append({"candidate": spec.name, "seed": seed, "reason": _reason(exc)})
            if progress:
                progress(f"{spec.name} (seed {seed})")
    return ComparisonResult(
        name=config.name,
        feature=feature_name,
        seeds=tuple(config.seeds),
        runs=tuple(runs),
        data=described,
        config=config.model_dump(mode="json"),
        packages=package_versions(("diffprivlib", "adversarial-robustness-toolbox")),
        started_at=started,
        finished_at=_now(),
        seconds=time.perf_counter() - clock,
        summaries=summarize(runs),
        failures=tuple(failures),
    )


def _split(config: CompareConfig, frame: pd.DataFrame, y: np.ndarray, data: DataConfig, mitigate: str, seed: int) -> _Split:
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
    space = fit_features(config.features, train, text_column=data.text_column, sensitive=sensitive)
    frames = {name: frame.iloc[rows] for name, rows in index.items()}
    return _Split(
        seed=seed,
        X={name: space(part) for name, part in frames.items()},
        y={name: y[rows] for name, rows in index.items()},
        A={
            name: part[mitigate].astype(object).where(part[mitigate].notna(), MISSING).astype(str).to_numpy()
            for name, part in frames.items()
        },
        frames=frames,
    )


def _evaluate(
    spec: CandidateSpec, split: _Split, config: CompareConfig, data: DataConfig, fairness: FairnessConfig, feature: str
) -> CandidateRun:
    seed = split.seed
    fitted = fit_candidate(spec, split.X["train"], split.y["train"], split.A["train"], seed)
    score, decision = fitted.predict(split.X["test"], split.A["test"])
    result = assess_configured(data, fairness, split.frames["test"], split.y["test"], decision, score, seed=seed)
    attacks = _attacks(spec, fitted, split, config) if config.privacy_risk.enabled else ()
    return CandidateRun(
        candidate=spec.name,
        method=spec.method,
        family=spec.family,
        epsilon=spec.epsilon,
        seed=seed,
        feature=feature,
        fairness=result,
        attacks=attacks,
        fit_seconds=fitted.fit_seconds,
        n_train=len(split.y["train"]),
        n_test=len(split.y["test"]),
    )


def _attacks(spec: CandidateSpec, fitted: Any, split: _Split, config: CompareConfig) -> tuple[AttackResult, ...]:
    """Loss and shadow-model attacks on equal seeded samples of members and non-members."""
    rng = np.random.default_rng([split.seed, 0xA77AC])
    n = min(config.privacy_risk.max_rows, len(split.y["train"]), len(split.y["test"]))
    members, nonmembers = (np.sort(rng.choice(len(split.y[part]), n, replace=False)) for part in ("train", "test"))
    score_in, _ = fitted.predict(split.X["train"][members], split.A["train"][members])
    score_out, _ = fitted.predict(split.X["test"][nonmembers], split.A["test"][nonmembers])
    y_in, y_out = split.y["train"][members], split.y["test"][nonmembers]
    attacks = [loss_attack(score_in, y_in, score_out, y_out)]
    shadow = _shadow_data(spec, split, config.privacy_risk.shadow_models)
    if shadow is not None:
        attacks.append(
            shadow_attack(
                shadow, score_in, y_in, score_out, y_out, estimator=fitted.estimator, n_features=split.X["train"].shape[1], seed=split.seed
            )
        )
    return tuple(attacks)


def _shadow_data(spec: CandidateSpec, split: _Split, count: int) -> ShadowData | None:
    """Train ``count`` shadow copies on disjoint halves of the shadow rows; collect their outputs."""
    X, y, A = split.X["shadow"], split.y["shadow"], split.A["shadow"]
    if count == 0 or len(y) < 40 * count:
        return None
    rng = np.random.default_rng([split.seed, 0x5AD0])
    chunks = np.array_split(rng.permutation(len(y)), count)
    collected: dict[str, list[np.ndarray]] = {"member_score": [], "member_y": [], "nonmember_score": [], "nonmember_y": []}
    for number, chunk in enumerate(chunks):
        inside, outside = chunk[: len(chunk) // 2], chunk[len(chunk) // 2 :]
        try:
            shadow = fit_candidate(spec, X[inside], y[inside], A[inside], split.seed * 100 + number + 1)
            member, nonmember = shadow.predict(X[inside], A[inside])[0], shadow.predict(X[outside], A[outside])[0]
        except _FIT_ERRORS:  # a small shadow set can lack a class in some group; the other shadows still count
            continue
        collected["member_score"].append(member)
        collected["member_y"].append(y[inside])
        collected["nonmember_score"].append(nonmember)
        collected["nonmember_y"].append(y[outside])
    if not collected["member_score"]:
        return None
    return ShadowData(**{key: np.concatenate(values) for key, values in collected.items()})


# What fitting a method on some split can raise: fairlearn and scikit-learn refuse degenerate data
# (a group with one class) with ValueError; ethicscheck's own checks raise ModelError.
_FIT_ERRORS = (ValueError, ModelError, np.linalg.LinAlgError)


def _reason(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
