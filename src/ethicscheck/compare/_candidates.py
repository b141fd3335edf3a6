"""Candidate methods: how each is fitted and how it scores and decides.

Every candidate becomes a :class:`CandidateSpec` (a DP method with three epsilons is three specs).
Fitting gives a :class:`Fitted` whose ``predict(X, A)`` returns the probability of flagging and the
decision. fairlearn's mitigators are randomized classifiers: their score is the probability of
flagging (``_pmf_predict``) and their decision is fairlearn's seeded ``predict``.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ethicscheck.compare._config import (
    BaselineConfig,
    CompareConfig,
    CorrelationRemoverCandidate,
    CustomCandidate,
    DPGaussianNBCandidate,
    DPLogisticCandidate,
    ExponentiatedGradientCandidate,
    LogisticCandidate,
    ThresholdOptimizerCandidate,
)
from ethicscheck.errors import ConfigError, ModelError
from ethicscheck.models._callable import import_target

__all__ = ["CandidateSpec", "Fitted", "candidate_specs", "fit_candidate", "load_factory", "noise_seed", "CLIP_WARN_SHARE"]

Predict = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]
Fit = Callable[[np.ndarray, np.ndarray, np.ndarray, int], tuple[Predict, Any]]

#: A DP fit whose bounds clipped more than this share of training rows gets a warning: the bound is
#: too small for the data, so the model saw distorted rows (diffprivlib clips without a word).
CLIP_WARN_SHARE = 0.01


@dataclass(frozen=True)
class Fitted:
    """A fitted candidate.

    Attributes
    ----------
    predict : callable
        ``(X, A) -> (score, decision)``: probability of flagging in [0, 1] and the boolean decision.
    estimator : object or None
        A scikit-learn classifier with ``predict_proba`` taking ``X`` alone (the baseline, DP models,
        custom ones), wrapped for ART's attack; None for methods that need the sensitive feature.
    fit_seconds : float
    clipped : float or None
        DP models: share of training rows that the configured bound clipped (None for other methods).
    """

    predict: Predict
    estimator: Any
    fit_seconds: float
    clipped: float | None = None


@dataclass(frozen=True)
class CandidateSpec:
    """One method with its settings, ready to fit on ``(X, y, A)`` with a seed."""

    name: str
    method: str
    epsilon: float | None
    fit: Fit
    family: str  # "baseline", "fairlearn", "diffprivlib", "custom"
    clipped: Callable[[np.ndarray], float] | None = None  # DP methods: share of rows their bound clips


def candidate_specs(config: CompareConfig) -> list[CandidateSpec]:
    """The baseline first, then every configured candidate (DP ones once per epsilon)."""
    threshold, base = config.threshold, config.baseline
    specs = [CandidateSpec("baseline", "logistic_regression", None, _logistic(base.C, base.max_iter, threshold), "baseline")]
    for c in config.candidates:
        if isinstance(c, LogisticCandidate):
            specs.append(
                CandidateSpec(c.name or f"logistic C={c.C:g}", c.method, None, _logistic(c.C, base.max_iter, threshold), "baseline")
            )
        elif isinstance(c, ThresholdOptimizerCandidate):
            specs.append(
                CandidateSpec(c.name or f"ThresholdOptimizer ({c.constraints})", c.method, None, _threshold_optimizer(c, base), "fairlearn")
            )
        elif isinstance(c, ExponentiatedGradientCandidate):
            specs.append(
                CandidateSpec(
                    c.name or f"ExponentiatedGradient ({c.constraints})", c.method, None, _exponentiated_gradient(c, base), "fairlearn"
                )
            )
        elif isinstance(c, CorrelationRemoverCandidate):
            specs.append(
                CandidateSpec(
                    c.name or f"CorrelationRemover (alpha={c.alpha:g})",
                    c.method,
                    None,
                    _correlation_remover(c, base, threshold),
                    "fairlearn",
                )
            )
        elif isinstance(c, DPLogisticCandidate):
            for eps in c.epsilons:
                specs.append(
                    CandidateSpec(
                        f"{c.name or 'DP logistic regression'} ε={eps:g}",
                        c.method,
                        eps,
                        _dp_logistic(c, eps, base, threshold),
                        "diffprivlib",
                        _norm_clipped(c.data_norm),
                    )
                )
        elif isinstance(c, DPGaussianNBCandidate):
            for eps in c.epsilons:
                specs.append(
                    CandidateSpec(
                        f"{c.name or 'DP Gaussian NB'} ε={eps:g}",
                        c.method,
                        eps,
                        _dp_gaussian_nb(c, eps, threshold),
                        "diffprivlib",
                        _bounds_clipped(c.bounds),
                    )
                )
        elif isinstance(c, CustomCandidate):
            specs.append(CandidateSpec(c.name or c.factory, c.method, c.epsilon, _custom(c, threshold), "custom"))
    names = [s.name for s in specs]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise ConfigError(f"candidates: two candidates are both called {duplicated[0]!r}; give them distinct 'name's.")
    return specs


def fit_candidate(spec: CandidateSpec, X: np.ndarray, y: np.ndarray, A: np.ndarray, seed: int) -> Fitted:
    """Fit ``spec`` on training rows ``X``, labels ``y`` and sensitive values ``A``, timing the fit."""
    start = time.perf_counter()
    predict, estimator = spec.fit(X, y, A, seed)
    seconds = time.perf_counter() - start
    clipped = spec.clipped(X) if spec.clipped is not None else None

    def checked(X: np.ndarray, A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        score, decision = predict(X, A)
        score = np.asarray(score, dtype=float)
        if not np.isfinite(score).all():
            raise ModelError(f"candidate '{spec.name}' returned {int((~np.isfinite(score)).sum())} non-finite scores.")
        # mixtures of classifiers (fairlearn) can overshoot [0, 1] by rounding error
        return np.clip(score, 0.0, 1.0), np.asarray(decision, dtype=bool)

    return Fitted(checked, estimator, seconds, clipped)


def _probability_predict(model: Any, threshold: float) -> Predict:
    def predict(X: np.ndarray, A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        score = model.predict_proba(X)[:, 1]
        return score, score >= threshold

    return predict


def _lr(C: float, max_iter: int, seed: int) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, max_iter=max_iter, random_state=seed)


def _logistic(C: float, max_iter: int, threshold: float) -> Fit:
    def fit(X: np.ndarray, y: np.ndarray, A: np.ndarray, seed: int) -> tuple[Predict, Any]:
        model = _lr(C, max_iter, seed).fit(X, y)
        return _probability_predict(model, threshold), model

    return fit


def _threshold_optimizer(c: ThresholdOptimizerCandidate, base: BaselineConfig) -> Fit:
    def fit(X: np.ndarray, y: np.ndarray, A: np.ndarray, seed: int) -> tuple[Predict, Any]:
        from fairlearn.postprocessing import ThresholdOptimizer

        # Thresholds chosen on the estimator's own training rows would see overconfident scores; fit the
        # estimator on part of the training rows and the per-group thresholds on the rest.
        order = np.random.default_rng([seed, 0x70]).permutation(len(y))
        cut = len(y) - max(1, round(len(y) * c.holdout))
        estimator = _lr(base.C, base.max_iter, seed).fit(X[order[:cut]], y[order[:cut]])
        mitigator = ThresholdOptimizer(
            estimator=estimator, prefit=True, constraints=c.constraints, objective=c.objective, predict_method="predict_proba"
        )
        mitigator.fit(X[order[cut:]], y[order[cut:]], sensitive_features=A[order[cut:]])

        def predict(X: np.ndarray, A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            score = mitigator._pmf_predict(X, sensitive_features=A)[:, 1]
            return score, mitigator.predict(X, sensitive_features=A, random_state=seed).astype(bool)

        return predict, None

    return fit


def _exponentiated_gradient(c: ExponentiatedGradientCandidate, base: BaselineConfig) -> Fit:
    def fit(X: np.ndarray, y: np.ndarray, A: np.ndarray, seed: int) -> tuple[Predict, Any]:
        from fairlearn import reductions

        constraint = getattr(reductions, c.constraints)()
        mitigator = reductions.ExponentiatedGradient(_lr(base.C, base.max_iter, seed), constraint, eps=c.eps, max_iter=c.max_iter)
        with warnings.catch_warnings():  # fairlearn's own pandas deprecations, not the user's concern
            warnings.simplefilter("ignore", FutureWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            mitigator.fit(X, y, sensitive_features=A)

        def predict(X: np.ndarray, A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            return mitigator._pmf_predict(X)[:, 1], mitigator.predict(X, random_state=seed).astype(bool)

        return predict, None

    return fit


def _correlation_remover(c: CorrelationRemoverCandidate, base: BaselineConfig, threshold: float) -> Fit:
    def fit(X: np.ndarray, y: np.ndarray, A: np.ndarray, seed: int) -> tuple[Predict, Any]:
        from fairlearn.preprocessing import CorrelationRemover

        levels = np.unique(A)
        n = X.shape[1]

        def augmented(X: np.ndarray, A: np.ndarray) -> np.ndarray:
            return np.hstack([X, (A[:, None] == levels[None, :]).astype(float)])

        remover = CorrelationRemover(sensitive_feature_ids=list(range(n, n + len(levels))), alpha=c.alpha).fit(augmented(X, A))
        model = _lr(base.C, base.max_iter, seed).fit(remover.transform(augmented(X, A)), y)

        def predict(X: np.ndarray, A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            score = model.predict_proba(remover.transform(augmented(X, A)))[:, 1]
            return score, score >= threshold

        return predict, None

    return fit


def _dp_fit(model: Any, X: np.ndarray, y: np.ndarray, what: str) -> Any:
    """Fit a diffprivlib model, refusing any bound it would otherwise read off the data."""
    from diffprivlib.utils import PrivacyLeakWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # diffprivlib's use of scipy options
        warnings.simplefilter("error", PrivacyLeakWarning)
        try:
            return model.fit(X, y)
        except PrivacyLeakWarning as exc:  # pragma: no cover - the config always supplies the bounds
            raise ConfigError(f"candidates: {what} would read its bounds from the data ({exc}); set them in the config.") from None


def noise_seed(seed: int, epsilon: float) -> int:
    """The random state of a DP fit: its own stream per (seed, ε), so two budgets never share noise draws."""
    return int(np.random.SeedSequence([seed, 0xD1FF, round(epsilon * 1e6)]).generate_state(1)[0])


def _norm_clipped(data_norm: float) -> Callable[[np.ndarray], float]:
    def share(X: np.ndarray) -> float:  # diffprivlib's LogisticRegression scales such rows down to data_norm
        return float((np.linalg.norm(X, axis=1) > data_norm * (1 + 1e-9)).mean()) if len(X) else 0.0

    return share


def _bounds_clipped(bounds: tuple[float, float]) -> Callable[[np.ndarray], float]:
    def share(X: np.ndarray) -> float:  # diffprivlib's GaussianNB clips such values to the bounds
        return float(((X < bounds[0]) | (X > bounds[1])).any(axis=1).mean()) if len(X) else 0.0

    return share


def _dp_logistic(c: DPLogisticCandidate, epsilon: float, base: BaselineConfig, threshold: float) -> Fit:
    def fit(X: np.ndarray, y: np.ndarray, A: np.ndarray, seed: int) -> tuple[Predict, Any]:
        from diffprivlib.models import LogisticRegression

        model = _dp_fit(
            LogisticRegression(
                epsilon=epsilon, data_norm=c.data_norm, C=c.C, max_iter=base.max_iter, random_state=noise_seed(seed, epsilon)
            ),
            X,
            y,
            "dp_logistic_regression",
        )
        return _probability_predict(model, threshold), model

    return fit


def _dp_gaussian_nb(c: DPGaussianNBCandidate, epsilon: float, threshold: float) -> Fit:
    def fit(X: np.ndarray, y: np.ndarray, A: np.ndarray, seed: int) -> tuple[Predict, Any]:
        from diffprivlib.models import GaussianNB

        bounds = (np.full(X.shape[1], c.bounds[0]), np.full(X.shape[1], c.bounds[1]))
        model = _dp_fit(GaussianNB(epsilon=epsilon, bounds=bounds, random_state=noise_seed(seed, epsilon)), X, y, "dp_gaussian_nb")
        return _probability_predict(model, threshold), model

    return fit


def load_factory(reference: str) -> Callable[..., Any]:
    """``package.module:function`` or ``path/to/file.py:function`` -> the function (as a callable model target)."""
    return import_target(reference, field="candidates -> factory")


def _custom(c: CustomCandidate, threshold: float) -> Fit:
    factory = load_factory(c.factory)

    def fit(X: np.ndarray, y: np.ndarray, A: np.ndarray, seed: int) -> tuple[Predict, Any]:
        model = factory(**{**c.params, **({"random_state": seed} if "random_state" in _parameters(factory) else {})})
        extra = {"sensitive_features": A} if c.needs_sensitive_features else {}
        if not hasattr(model, "fit"):
            raise ModelError(f"candidate '{c.factory}' returned {type(model).__name__}, which has no fit(X, y).")
        model.fit(X, y, **extra)

        def predict(X: np.ndarray, A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            extra = {"sensitive_features": A} if c.needs_sensitive_features else {}
            if hasattr(model, "predict_proba"):
                score = np.asarray(model.predict_proba(X, **extra))[:, 1]
                return score, score >= threshold
            decision = np.asarray(model.predict(X, **extra)).astype(bool)
            return decision.astype(float), decision

        usable = hasattr(model, "predict_proba") and not c.needs_sensitive_features
        return predict, model if usable else None

    return fit


def _parameters(function: Callable[..., Any]) -> set[str]:
    import inspect

    try:
        return set(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        return set()
