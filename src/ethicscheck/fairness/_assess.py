"""Per-group error rates with confidence intervals, compared with a reference group."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import fields, replace
from functools import partial
from typing import Any, Literal

import numpy as np
import pandas as pd

from ethicscheck._vocabulary import DEFAULT_RATE_METRICS
from ethicscheck.errors import DataError, EthicsCheckDeprecationWarning
from ethicscheck.fairness._compare import compare_to_reference, replicated_to_reference, significance_tests
from ethicscheck.fairness._disparities import disparities
from ethicscheck.fairness._groups import GroupEncoding, encode_feature
from ethicscheck.fairness._metrics import numerator_denominator, rate
from ethicscheck.fairness._power import detectable_by_group
from ethicscheck.fairness._rates import rate_estimates
from ethicscheck.fairness._result import (
    DetectableDisparity,
    Estimate,
    FairnessResult,
    FeatureResult,
    GroupResult,
    ReferenceRule,
    SampleSize,
    Significance,
    SpreadTest,
    ThresholdAnalysis,
)
from ethicscheck.fairness._scores import GroupScores, score_metrics
from ethicscheck.fairness._settings import AssessSettings
from ethicscheck.fairness._significance import smallest_holm_p
from ethicscheck.fairness._sufficient import (
    CountStats,
    Reduce,
    ScorePlan,
    ScoreStats,
    array_passes,
    count_chunk,
    cut_chunk,
    local_reduce,
    score_chunk,
)
from ethicscheck.fairness._tables import GroupTable, JointIndex, group_tables, joint_index
from ethicscheck.fairness._thresholds import threshold_analysis
from ethicscheck.fairness._uncertainty import bootstrap_counts

__all__ = ["assess", "assess_with", "assess_passes", "DEFAULT_METRICS"]

DEFAULT_METRICS: tuple[str, ...] = DEFAULT_RATE_METRICS
_METHODS = {
    "rate_ci": "Wilson score interval",
    "difference_ci": "stratified percentile bootstrap of per-group cell counts (multinomial per group); "
    "Newcombe (difference) and Katz log (ratio) intervals where a group has no events or the bootstrap is unstable",
    "spread_ci": "simultaneous intervals of every pair of groups (Wilson-based Newcombe intervals, on the log scale for ratios), "
    "Bonferroni-adjusted over the pairs that could be the largest; the spread lies between the largest lower and the largest upper bound",
    "reference": "configured (a group, or `lowest`: the lowest false-positive rate), else the largest group; per feature in reference_rule",
    "detectable_disparity": "the smallest ratio to the reference that the audit's own test (Fisher's exact test below 5 expected, "
    "else the pooled z-test) detects with the stated power at alpha / m, Holm's first step over the m groups tested; "
    "exact sum over binomial outcomes at the reference's observed rate, normal approximation where every expected count is "
    "at least 100",
}


def assess(
    y_true: Sequence[bool] | np.ndarray,
    y_pred: Sequence[bool] | np.ndarray,
    *,
    sensitive_features: pd.DataFrame | Mapping[str, Sequence[object]],
    settings: AssessSettings | None = None,
    y_score: Sequence[float] | np.ndarray | None = None,
    bins: Mapping[str, Sequence[float]] | None = None,
    intersections: Literal["all", "none"] | Sequence[Sequence[str]] = "all",
    reference: Mapping[str, str] | None = None,
    score_is_probability: bool = True,
    higher_is_riskier: bool = True,
    **old_settings: Any,
) -> FairnessResult:
    """Measure error rates per group, with uncertainty, and compare each group with a reference.

    Every metric is a ratio of cell counts of (label, decision) within a group, so the whole
    computation, including the bootstrap, works on a ``(groups, 4)`` count table. How it is computed
    (metrics, confidence level, bootstrap, minimum group size, seed, ...) is one :class:`AssessSettings`,
    the object an audit builds from its config's ``fairness:`` section (:meth:`AssessSettings.from_config`).

    Parameters
    ----------
    y_true : array-like of bool
        True where the row is labelled trafficking-related.
    y_pred : array-like of bool
        True where the model flagged the row.
    sensitive_features : DataFrame or mapping of name to array-like
        One column per sensitive feature. Missing values form the group ``(missing)``.
    settings : AssessSettings, optional
        Metrics, intervals, bootstrap, minimum group size, seed; ``AssessSettings()`` (its defaults) if omitted.
    y_score : array-like of float, optional
        The model's score in [0, 1]; adds ROC AUC, average precision, Brier score, calibration (ECE
        and a reliability table) per group, and threshold curves.
    bins : mapping, optional
        Bin edges for numeric features, by feature name.
    intersections : "all", "none" or list of lists of feature names
        Which intersections to add; ``all`` intersects every feature (when there are two or more).
    reference : mapping, optional
        Reference group per feature name; ``"lowest"`` picks the group with the lowest false-positive
        rate among the groups with enough data. The largest group otherwise.
    score_is_probability : bool
        False for scores on another scale (a 1-10 risk score): ROC AUC, average precision and
        threshold curves (on the score's own scale) are still reported; the Brier score, the ECE
        and the reliability table are ``undefined``, with the reason.
    higher_is_riskier : bool
        False when a lower score means more likely flagged (then the score is not a probability).
    **old_settings
        Deprecated: the fields of :class:`AssessSettings` given one by one (``n_boot=0, seed=3``), as
        earlier versions took them. Still read, with an :class:`~ethicscheck.errors.EthicsCheckDeprecationWarning`
        naming the ``settings=AssessSettings(...)`` to write instead; not together with ``settings``.

    Returns
    -------
    FairnessResult

    Raises
    ------
    DataError
        Lengths differ, a configured reference group does not exist, or a feature has too many groups.
    TypeError
        A keyword that is neither an argument nor a field of :class:`AssessSettings`, or ``settings``
        together with old-style setting keywords.

    Examples
    --------
    >>> from ethicscheck.fairness import AssessSettings
    >>> result = assess([0, 0, 1, 1], [1, 0, 1, 0], sensitive_features={"g": ["a", "a", "b", "b"]},
    ...                 settings=AssessSettings(min_group_size=1, n_boot=0))
    >>> result.feature("g").group("a").metrics["fpr"].value
    0.5
    """
    if old_settings:
        settings = _settings_from_keywords(settings, old_settings)
    y_true = np.asarray(y_true, dtype=bool)
    y_pred = np.asarray(y_pred, dtype=bool)
    frame = pd.DataFrame(sensitive_features) if not isinstance(sensitive_features, pd.DataFrame) else sensitive_features
    if not (len(y_true) == len(y_pred) == len(frame)):
        raise DataError(f"y_true ({len(y_true)}), y_pred ({len(y_pred)}) and sensitive_features ({len(frame)}) must have the same length.")
    score = None if y_score is None else np.asarray(y_score, dtype=float)
    if score is not None and len(score) != len(y_true):
        raise DataError(f"y_score has {len(score)} values for {len(y_true)} rows.")
    if settings is None:
        settings = AssessSettings()
    singles = [encode_feature(frame[c], name=str(c), bins=(bins or {}).get(str(c)), max_groups=settings.max_groups) for c in frame.columns]
    joint = joint_index(singles)
    return assess_passes(
        joint,
        local_reduce(array_passes(joint.cells, y_true, y_pred, score)),
        settings,
        has_score=score is not None,
        intersections=intersections,
        reference=reference,
        score_is_probability=score_is_probability,
        higher_is_riskier=higher_is_riskier,
    )


def assess_with(
    y_true: Sequence[bool] | np.ndarray,
    y_pred: Sequence[bool] | np.ndarray,
    settings: AssessSettings,
    *,
    sensitive_features: pd.DataFrame | Mapping[str, Sequence[object]],
    **options: Any,
) -> FairnessResult:
    """Deprecated spelling of ``assess(y_true, y_pred, settings=settings, ...)``: warns and forwards."""
    warnings.warn(
        "assess_with(y_true, y_pred, settings, ...) is deprecated; call assess(y_true, y_pred, settings=settings, ...)",
        EthicsCheckDeprecationWarning,
        stacklevel=2,
    )
    return assess(y_true, y_pred, sensitive_features=sensitive_features, settings=settings, **options)


_SETTING_NAMES = tuple(f.name for f in fields(AssessSettings))


def _settings_from_keywords(settings: AssessSettings | None, old: dict[str, Any]) -> AssessSettings:
    """The :class:`AssessSettings` that ``assess``'s old one-by-one setting keywords ask for (with the warning)."""
    unknown = sorted(set(old) - set(_SETTING_NAMES))
    if unknown:
        raise TypeError(
            f"assess() got unexpected keyword arguments {unknown}; its settings are fields of AssessSettings: {', '.join(_SETTING_NAMES)}"
        )
    if "metrics" in old:
        old = {**old, "metrics": tuple(old["metrics"])}
    spelled = ", ".join(f"{name}={old[name]!r}" for name in _SETTING_NAMES if name in old)
    if settings is not None:
        raise TypeError(f"assess() takes its settings in settings=AssessSettings(...), not also as keywords ({spelled}); move them there")
    warnings.warn(
        f"assess(..., {spelled}) is deprecated; pass settings=AssessSettings({spelled})", EthicsCheckDeprecationWarning, stacklevel=3
    )
    return AssessSettings(**old)


def assess_passes(
    joint: JointIndex,
    reduce: Reduce,
    settings: AssessSettings,
    *,
    has_score: bool,
    intersections: Literal["all", "none"] | Sequence[Sequence[str]] = "all",
    reference: Mapping[str, str] | None = None,
    score_is_probability: bool = True,
    higher_is_riskier: bool = True,
) -> FairnessResult:
    """The fairness stage from passes over rows whose joint cells are already known (any engine).

    ``joint`` gives the groups of every feature (its per-row ``cells`` are not read); ``reduce`` applies a
    per-chunk statistic to every chunk of the rows and adds the results (once without scores, three times
    with them). Every statistic is an exact sum over chunks, so any split of the same rows gives the same result.
    """
    metrics, n_boot, seed = settings.metrics, settings.n_boot, settings.seed
    if has_score and score_is_probability and not higher_is_riskier:
        raise ValueError("a score where lower means riskier is not a probability; pass score_is_probability=False")
    counted: CountStats | None = reduce(partial(count_chunk, size=joint.size))
    if counted is None:
        raise DataError("There are no rows to audit.")
    tables = group_tables(joint, _combos(list(joint.features), intersections), counted.counts, max_groups=settings.max_groups)
    reference = dict(reference or {})

    overall_counts = tables[0].counts.sum(axis=0, keepdims=True)
    overall_replicates = bootstrap_counts(overall_counts, n_boot=n_boot, rng=np.random.default_rng([seed, 10_000])) if n_boot else None
    overall = _group_result("all rows", {}, overall_counts[0], rate_estimates(overall_counts, settings, overall_replicates)[0])
    scores: list[list[GroupScores]] | None = None
    curves: list[ThresholdAnalysis] | None = None
    scale = None
    if has_score:
        scale = counted.scale(score_is_probability=score_is_probability, higher_is_riskier=higher_is_riskier)
        plan = ScorePlan.after(counted, joint.size, target_fpr=settings.target_fpr, scale=scale, higher_is_riskier=higher_is_riskier)
        scored: ScoreStats | None = reduce(partial(score_chunk, plan=plan))
        assert scored is not None
        cut, operating = scored.operating_point(plan, counted.n_negative, settings.target_fpr)
        at_cut: np.ndarray | None = reduce(partial(cut_chunk, plan=plan, cut=cut))
        assert at_cut is not None
        everything = GroupTable("all rows", (), ("all rows",), ((),), overall_counts, np.zeros(joint.size, dtype=np.int64))
        histogram = scored.histogram()
        all_scores = score_metrics([everything, *tables], scored.rows, histogram, settings)
        curves = threshold_analysis(tables, histogram, cut=cut, at_cut=at_cut, target_fpr=settings.target_fpr)
        if scale is not None:
            all_scores = [[scale.without_probability_metrics(s) for s in table_scores] for table_scores in all_scores]
            curves = [scale.curves_on_own_scale(c, operating=operating) for c in curves]
        overall = replace(overall, score_metrics=all_scores[0][0].metrics, reliability=all_scores[0][0].reliability)
        scores = all_scores[1:]
    features = []
    for index, table in enumerate(tables):
        ref_index, rule = _reference_index(table, reference, settings.min_group_size)
        rng = np.random.default_rng([seed, index])
        replicates = bootstrap_counts(table.counts, n_boot=n_boot, rng=rng, mode=settings.bootstrap) if n_boot else None
        feature = _feature_result(table, ref_index, replicates, settings, rule)
        if scores is not None and curves is not None:
            groups = tuple(replace(g, score_metrics=s.metrics, reliability=s.reliability) for g, s in zip(feature.groups, scores[index]))
            feature = replace(feature, groups=groups, thresholds=curves[index])
        features.append(feature)
    return FairnessResult(
        overall=overall,
        features=tuple(features),
        metrics=metrics,
        confidence_level=settings.confidence_level,
        n_boot=n_boot,
        min_group_size=settings.min_group_size,
        seed=seed,
        has_scores=has_score,
        methods={
            **_METHODS,
            "rate_ci": _METHODS["rate_ci"] if settings.rate_ci == "wilson" else "percentile bootstrap",
            "bootstrap": settings.bootstrap,
            **({"score": scale.description} if scale is not None else {}),
        },
    )


def _combos(singles: list[GroupEncoding], intersections: Literal["all", "none"] | Sequence[Sequence[str]]) -> list[list[int]]:
    """Intersections as lists of feature positions."""
    names = [e.name for e in singles]
    if intersections == "all":
        return [list(range(len(singles)))] if len(singles) > 1 else []
    if intersections == "none":
        return []
    return [[names.index(n) for n in combo] for combo in intersections]


#: ``reference: lowest`` picks the group with the lowest false-positive rate instead of a named group.
LOWEST = "lowest"


def _reference_index(encoding: GroupTable, reference: Mapping[str, str], min_group_size: int) -> tuple[int, ReferenceRule]:
    wanted = reference.get(encoding.name)
    if wanted is None and encoding.columns and all(c in reference for c in encoding.columns) and len(encoding.columns) > 1:
        parts = [reference[c] for c in encoding.columns]
        wanted = LOWEST if all(p == LOWEST for p in parts) else " & ".join(parts)
        if wanted != LOWEST and wanted not in encoding.labels:
            wanted = None
    if wanted == LOWEST:
        if LOWEST in encoding.labels:
            raise DataError(
                f"'{encoding.name}' has a group named 'lowest', so `reference: lowest` is ambiguous. "
                "Rename that group in the data, or name the reference group in the config."
            )
        fpr, negatives = rate(encoding.counts, "fpr"), numerator_denominator(encoding.counts, "fpr")[1]
        usable = negatives >= min_group_size
        if usable.any():  # the lowest FPR among groups with enough data; ties go to the largest group
            candidates = np.flatnonzero(usable & (fpr == fpr[usable].min()))
            return int(candidates[np.argmax(encoding.counts.sum(axis=1)[candidates])]), "lowest_fpr"
        wanted = None
    if wanted is None:
        return int(np.argmax(encoding.counts.sum(axis=1))), "largest"  # first of the largest
    if wanted not in encoding.labels:
        shown = ", ".join(encoding.labels[:20]) + (" ..." if encoding.n_groups > 20 else "")
        raise DataError(f"Reference group '{wanted}' of '{encoding.name}' does not occur in the data. Groups: {shown}.")
    return encoding.labels.index(wanted), "configured"


def _feature_result(
    encoding: GroupTable, ref: int, replicates: np.ndarray | None, settings: AssessSettings, rule: ReferenceRule = "largest"
) -> FeatureResult:
    counts = encoding.counts
    estimates = rate_estimates(counts, settings, replicates)
    point = {key: rate(counts, key) for key in (*settings.metrics, "tpr", "selection_rate")}
    # intervals to the reference from replicated rates of the reported metrics
    bootstrapped = {}
    if replicates is not None:
        bootstrapped = replicated_to_reference(replicates, settings.metrics, ref, confidence_level=settings.confidence_level)
    differences, ratios = compare_to_reference(estimates, point, bootstrapped, ref, settings)
    tests = significance_tests(estimates, ref, settings)
    detectable, needed = detectable_by_group(estimates, ref, settings)
    groups = tuple(
        _group_result(
            encoding.labels[g],
            dict(zip(encoding.columns, encoding.values[g])),
            counts[g],
            estimates[g],
            differences[g],
            ratios[g],
            tests[g],
            g == ref,
            detectable=detectable[g],
            needed=needed[g],
        )
        for g in range(encoding.n_groups)
    )
    summary = disparities(estimates, counts, ref, settings, ratios)
    spread_tests = {key: test for key in ("fpr", "fnr") if (test := _spread_test(encoding.labels, estimates, key, settings)) is not None}
    return FeatureResult(
        encoding.name, encoding.columns, encoding.labels[ref], groups, summary, spread_tests=spread_tests, reference_rule=rule
    )


def _spread_test(labels: tuple[str, ...], estimates: list[dict[str, Estimate]], key: str, settings: AssessSettings) -> SpreadTest | None:
    """Every pair of groups with enough data tested for a difference in ``key`` (Holm); None with fewer than two."""
    usable = [g for g, e in enumerate(estimates) if e[key].usable]
    if len(usable) < 2:
        return None
    x = np.array([estimates[g][key].numerator for g in usable], dtype=float)
    n = np.array([estimates[g][key].denominator for g in usable], dtype=float)
    p_adjusted, pairs, method = smallest_holm_p(x, n)
    values = x / n
    # ties: the larger group is named, so the sentence rests on the most data
    highest = max(range(len(usable)), key=lambda i: (values[i], n[i]))
    lowest = min(range(len(usable)), key=lambda i: (values[i], -n[i]))
    return SpreadTest(labels[usable[highest]], labels[usable[lowest]], p_adjusted, pairs, method, bool(p_adjusted < settings.alpha))


def _group_result(
    label: str,
    values: dict[str, str],
    counts: np.ndarray,
    metrics: dict[str, Estimate],
    difference: dict[str, Estimate] | None = None,
    ratio: dict[str, Estimate] | None = None,
    tests: dict[str, Significance] | None = None,
    is_reference: bool = False,
    *,
    detectable: dict[str, DetectableDisparity] | None = None,
    needed: dict[str, SampleSize] | None = None,
) -> GroupResult:
    tn, fp, fn, tp = (int(c) for c in counts)
    return GroupResult(
        group=label,
        values=values,
        n=tn + fp + fn + tp,
        n_positive=fn + tp,
        n_negative=tn + fp,
        n_flagged=fp + tp,
        counts={"tn": tn, "fp": fp, "fn": fn, "tp": tp},
        metrics=metrics,
        difference=difference or {},
        ratio=ratio or {},
        tests=tests or {},
        is_reference=is_reference,
        detectable={} if detectable is None else detectable,
        needed={} if needed is None else needed,
    )
