"""Assertion helpers for Python test suites: fairness checks without writing a config file."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from ethicscheck.config import GateConfig
from ethicscheck.data import binary_labels
from ethicscheck.errors import EthicsCheckDeprecationWarning
from ethicscheck.fairness import AssessSettings, FairnessResult, assess
from ethicscheck.gates import Verdict, evaluate_gates
from ethicscheck.models import to_predictions

__all__ = ["assert_fpr_parity", "assert_parity", "parity_verdict", "verdict_failure"]


def assert_fpr_parity(
    model: Any, data: pd.DataFrame, *, sensitive: str | Sequence[str], max_ratio: float = 1.25, **options: Any
) -> FairnessResult:
    """Assert that no group is wrongly flagged more than ``max_ratio`` times as often as its reference.

    Parameters
    ----------
    model : estimator or callable
        Anything with ``predict_proba``/``predict`` (scikit-learn style), or a function of the input
        frame returning decisions, scores or probabilities.
    data : DataFrame
        Labeled evaluation rows.
    sensitive : str or sequence of str
        Sensitive-feature columns (each alone and their intersection are checked).
    max_ratio : float
        Largest allowed FPR ratio to the reference group.
    **options
        Passed to :func:`assert_parity`: ``label``, ``positive``, ``features``, ``threshold``, ``mode``,
        ``reference``, ``min_group_size``, ``n_boot``, ``seed``.

    Returns
    -------
    FairnessResult
        The measured result, for further assertions.

    Raises
    ------
    AssertionError
        Naming every failing group with its ratio and interval, or saying that there is not enough
        evidence to judge (no group with enough data, or a model that flagged nobody or everybody):
        no evidence is never a pass.

    Examples
    --------
    >>> from ethicscheck.testing import assert_fpr_parity
    >>> assert_fpr_parity(model, ads, sensitive="nationality", features="text", max_ratio=1.25)  # doctest: +SKIP
    """
    return assert_parity(model, data, sensitive=sensitive, metric="fpr_ratio", limit=max_ratio, **options)


def assert_parity(
    model: Any,
    data: pd.DataFrame,
    *,
    sensitive: str | Sequence[str],
    metric: str = "fpr_ratio",
    limit: float = 1.25,
    comparator: Literal["<=", "<", ">=", ">"] = "<=",
    label: str = "label",
    positive: Any = 1,
    features: str | Sequence[str] | None = None,
    threshold: float = 0.5,
    mode: Literal["point", "confident", "precautionary"] = "point",
    reference: dict[str, str] | None = None,
    min_group_size: int = 30,
    n_boot: int = 1000,
    seed: int = 0,
    min_n: int | None = None,
) -> FairnessResult:
    """Assert any gate metric (``fpr_ratio``, ``fnr_ratio``, ``equalized_odds_difference``, ...) for a model.

    Passes only when the verdict is a pass: a failed gate and insufficient evidence both raise.
    ``min_n`` is the old name of ``min_group_size``; it still works, with a warning.
    """
    if min_n is not None:
        warnings.warn("assert_parity(min_n=...) is deprecated; pass min_group_size=...", EthicsCheckDeprecationWarning, stacklevel=2)
        min_group_size = min_n
    result, verdict = _judge(model, data, **_options(locals()))
    if not verdict.passed:
        raise AssertionError(verdict_failure(verdict, f"{metric} {comparator} {limit:g} ({mode})"))
    return result


def parity_verdict(
    model: Any,
    data: pd.DataFrame,
    *,
    sensitive: str | Sequence[str],
    metric: str = "fpr_ratio",
    limit: float = 1.25,
    comparator: Literal["<=", "<", ">=", ">"] = "<=",
    label: str = "label",
    positive: Any = 1,
    features: str | Sequence[str] | None = None,
    threshold: float = 0.5,
    mode: Literal["point", "confident", "precautionary"] = "point",
    reference: dict[str, str] | None = None,
    min_group_size: int = 30,
    n_boot: int = 1000,
    seed: int = 0,
) -> Verdict:
    """The verdict :func:`assert_parity` would act on (pass, fail or insufficient evidence), without raising.

    The same :func:`~ethicscheck.gates.evaluate_gates` decides it as in ``ethicscheck audit``, the pytest
    plugin and the MLflow evaluator.
    """
    return _judge(model, data, **_options(locals()))[1]


def _options(scope: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in scope.items() if k not in ("model", "data", "min_n")}


def _judge(
    model: Any,
    data: pd.DataFrame,
    *,
    sensitive: str | Sequence[str],
    metric: str,
    limit: float,
    comparator: Literal["<=", "<", ">=", ">"],
    label: str,
    positive: Any,
    features: str | Sequence[str] | None,
    threshold: float,
    mode: Literal["point", "confident", "precautionary"],
    reference: dict[str, str] | None,
    min_group_size: int,
    n_boot: int,
    seed: int,
) -> tuple[FairnessResult, Verdict]:
    columns = [sensitive] if isinstance(sensitive, str) else list(sensitive)
    y_true = binary_labels(data[label], positive, where=f"column '{label}'")  # no positive row is an error, never "all negative"
    decision, score = _decide(model, data, features, [label, *columns], positive, threshold)
    result = assess(
        y_true,
        decision,
        sensitive_features=data[columns],
        settings=AssessSettings(min_group_size=min_group_size, n_boot=n_boot, seed=seed),
        y_score=score,
        reference=reference,
    )
    return result, evaluate_gates(result, [GateConfig(metric=metric, comparator=comparator, threshold=limit, mode=mode)])


def verdict_failure(verdict: Verdict, what: str) -> str:
    """The assertion message for a verdict that is not a pass: fail, or insufficient evidence."""
    shown = [f"- {o.status}: {o.message}" for o in verdict.outcomes if o.status in ("fail", "insufficient")]
    held = "does not hold" if verdict.status == "fail" else "cannot be shown (insufficient evidence)"
    return f"{what} {held}:\n" + "\n".join(shown)


def _decide(
    model: Any, data: pd.DataFrame, features: Any, roles: list[str], positive: Any, threshold: float
) -> tuple[np.ndarray, np.ndarray | None]:
    if features is None:
        features = [c for c in data.columns if c not in roles]
    inputs = data[features].to_numpy() if isinstance(features, str) else data[list(features)]
    source = type(model).__name__
    if hasattr(model, "predict_proba") and hasattr(model, "classes_"):
        prediction = to_predictions(
            model.predict_proba(inputs),
            mode="proba",
            positive_class=positive,
            threshold=threshold,
            n_rows=len(data),
            source=source,
            classes=list(model.classes_),
        )
    elif hasattr(model, "predict"):
        prediction = to_predictions(
            model.predict(inputs), mode="auto", positive_class=positive, threshold=threshold, n_rows=len(data), source=source
        )
    else:
        prediction = to_predictions(
            model(inputs), mode="auto", positive_class=positive, threshold=threshold, n_rows=len(data), source=source
        )
    return prediction.decision, prediction.score
