"""Assess a face-matching system: per-group FMR and FNMR at NIST-style thresholds, with subject-level uncertainty.

comparisons -> thresholds (order statistics of impostor scores) -> one counting pass -> per-group rates,
cross-group matrix, DET curves -> clustered bootstrap over subjects -> summaries with intervals.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from ethicscheck._vocabulary import VERIFICATION_JOINT_SUMMARIES, VERIFICATION_RATE_SUMMARIES, VERIFICATION_RATES, verification_point_key
from ethicscheck.fairness import Estimate
from ethicscheck.verification import _summaries
from ethicscheck.verification._bootstrap import dyadic_scale, percentile_interval, subject_weights
from ethicscheck.verification._comparisons import Comparisons
from ethicscheck.verification._counts import (
    CountedComparisons,
    FeatureCounts,
    Levels,
    ThresholdGrid,
    count_feature,
    count_overall,
    levels,
    matched_from_levels,
)
from ethicscheck.verification._intervals import (
    EffectiveCounts,
    clopper_pearson,
    design_effect,
    effective_counts,
    gamma_poisson_interval,
    overdispersion,
    pooled_overdispersion,
    rate_ratio_interval,
)
from ethicscheck.verification._result import (
    CrossGroupFmr,
    DetCurve,
    GroupRates,
    OperatingPoint,
    PointKind,
    PointResult,
    VerificationFeature,
    VerificationResult,
    VerificationSettings,
)
from ethicscheck.verification._thresholds import fmr_thresholds

__all__ = [
    "DEFAULT_TARGETS",
    "INSUFFICIENT_FACTOR",
    "assess_counted",
    "assess_verification",
    "count_comparisons",
    "decision_grid",
    "grid_targets",
    "threshold_grid",
    "verification_settings",
]

#: Overall false-match rates whose thresholds are audited unless the caller says otherwise.
DEFAULT_TARGETS: tuple[float, ...] = (1e-3, 1e-4, 1e-5)
#: A group needs at least this many / FMR impostor comparisons for its FMR to be estimated (3 expected false matches).
INSUFFICIENT_FACTOR = 3.0
#: Extra thresholds that draw the DET curves: overall FMRs from 1 in a million (or 1 / impostors) to 1 in 100 (or the
#: largest target).
_DET_POINTS = 30
#: ``ci_method`` of a group's rate: Clopper-Pearson on Korn-Graubard effective counts, the design effect from the subject
#: bootstrap, growing with the rate above the estimate as the gamma-Poisson variance does
#: (:mod:`ethicscheck.verification._intervals`).
RATE_METHOD = "subject_gamma_poisson_clopper_pearson"
#: ``ci_method`` of a ratio to the reference group: conditional Clopper-Pearson on both groups' effective counts.
RATIO_METHOD = "subject_effective_conditional"
#: ``ci_method`` of max/min, max/geometric mean and FDR: their range over every group's simultaneous interval.
SUMMARY_BOUNDS_METHOD = "simultaneous_gamma_poisson_clopper_pearson"
#: Largest subjects x (groups x statistics) design matrix multiplied dense rather than sparse.
_DENSE_DESIGN = 1 << 24


def assess_verification(
    comparisons: Comparisons,
    *,
    targets: Sequence[float] = DEFAULT_TARGETS,
    thresholds: Sequence[float] = (),
    n_boot: int = 1000,
    confidence_level: float = 0.95,
    alpha: float = 0.5,
    min_genuine_pairs: int = 30,
    references: Mapping[str, str] | None = None,
    seed: int = 0,
) -> VerificationResult:
    """Per-group false-match and false non-match rates at thresholds fixed by overall FMR targets.

    Parameters
    ----------
    comparisons : Comparisons
        The checked comparisons (:meth:`Comparisons.from_frame`).
    targets : sequence of float
        Overall FMRs; each fixes a threshold as an order statistic of the impostor scores. Ignored with decisions only.
    thresholds : sequence of float
        Fixed operational thresholds on the score's own scale.
    n_boot : int
        Replicates of the bootstrap over subjects (0: Clopper-Pearson intervals only, which ignore subject dependence).
    confidence_level : float
        Of every interval.
    alpha : float
        Weight of FMR against FNMR in FDR and GARBE.
    min_genuine_pairs : int
        Below this many genuine comparisons a group's FNMR is "insufficient data".
    references : mapping of str to str, optional
        Reference group per attribute (display name -> group) for the per-group ratios; default: the group with the
        most impostor comparisons among its members.
    seed : int
        Seed of the bootstrap.

    Returns
    -------
    VerificationResult

    Examples
    --------
    >>> from ethicscheck.synth import generate_comparisons
    >>> table = generate_comparisons(seed=1)
    >>> comparisons = Comparisons.from_frame(
    ...     table, genuine_column="same_person", subject_columns=("subject_a", "subject_b"), score_column="similarity",
    ...     features=[SideFeature("sex", "sex_a", "sex_b")],
    ... )
    >>> result = assess_verification(comparisons, targets=[1e-2], n_boot=50)
    >>> [p.key for p in result.points]
    ['fmr@1e-02']
    """
    settings = verification_settings(
        has_score=comparisons.similarity is not None,
        higher_is_more_similar=comparisons.higher_is_more_similar,
        targets=targets,
        thresholds=thresholds,
        n_boot=n_boot,
        confidence_level=confidence_level,
        alpha=alpha,
        min_genuine_pairs=min_genuine_pairs,
        seed=seed,
    )
    return assess_counted(count_comparisons(comparisons, settings), settings, references=references)


def verification_settings(
    *,
    has_score: bool,
    higher_is_more_similar: bool,
    targets: Sequence[float] = DEFAULT_TARGETS,
    thresholds: Sequence[float] = (),
    n_boot: int = 1000,
    confidence_level: float = 0.95,
    alpha: float = 0.5,
    min_genuine_pairs: int = 30,
    seed: int = 0,
) -> VerificationSettings:
    """The settings of an assessment (see :func:`assess_verification`); targets and thresholds only apply to scores."""
    if not 0.5 < confidence_level < 1:
        raise ValueError("confidence_level must be in (0.5, 1)")
    if not 0 <= alpha <= 1:
        raise ValueError("alpha must be in [0, 1]")
    return VerificationSettings(
        targets=tuple(float(t) for t in targets) if has_score else (),
        thresholds=tuple(float(t) for t in thresholds) if has_score else (),
        n_boot=n_boot,
        confidence_level=confidence_level,
        alpha=alpha,
        min_genuine_pairs=min_genuine_pairs,
        seed=seed,
        higher_is_more_similar=higher_is_more_similar,
    )


def count_comparisons(comparisons: Comparisons, settings: VerificationSettings) -> CountedComparisons:
    """The thresholds and every count the assessment reads, from comparisons held in memory."""
    if comparisons.similarity is None:
        assert comparisons.matched is not None
        grid = decision_grid()
        level = comparisons.matched.astype(np.uint8)
    else:
        impostor = comparisons.similarity[~comparisons.genuine]
        found = fmr_thresholds(impostor, grid_targets(len(impostor), settings), overwrite=True)
        del impostor
        grid = threshold_grid(found, settings)
        level = levels(comparisons.similarity, grid.values)
    grid_levels = grid.levels(level)
    overall_impostor, overall_genuine = count_overall(comparisons, grid_levels)
    return CountedComparisons(
        n_comparisons=comparisons.n_comparisons,
        n_subjects=comparisons.n_subjects,
        features=comparisons.features,
        grid=grid,
        overall_impostor=overall_impostor,
        overall_genuine=overall_genuine,
        counts=tuple(count_feature(comparisons, feature, grid_levels) for feature in comparisons.features),
    )


def assess_counted(
    counted: CountedComparisons, settings: VerificationSettings, *, references: Mapping[str, str] | None = None
) -> VerificationResult:
    """:func:`assess_verification` from the counts, whichever reader produced them (in memory or streamed)."""
    grid = counted.grid.levels()
    overall_imp, overall_gen = counted.overall_impostor, counted.overall_genuine
    points = tuple(
        OperatingPoint(
            key=verification_point_key(target_fmr=target, threshold=threshold) if kind != "decision" else verification_point_key(),
            kind=kind,
            target_fmr=target,
            threshold=threshold,
            impostor_pairs=int(overall_imp.sum()),
            false_matches=int(matched_from_levels(overall_imp)[index]),
            genuine_pairs=int(overall_gen.sum()),
            false_non_matches=int(overall_gen.sum() - matched_from_levels(overall_gen)[index]),
        )
        for kind, target, threshold, index in zip(counted.grid.kinds, counted.grid.targets, counted.grid.thresholds, grid.point_grid)
    )
    all_counts = list(counted.counts)
    replicates = _bootstrap(counted, all_counts, grid, settings)
    features = tuple(
        _feature(
            feature.name,
            feature.labels,
            np.bincount(feature.codes, minlength=feature.n_groups),
            counts,
            reps,
            grid,
            points,
            settings,
            (references or {}).get(feature.name),
        )
        for feature, counts, reps in zip(counted.features, all_counts, replicates)
    )
    return VerificationResult(
        n_comparisons=counted.n_comparisons,
        n_genuine=int(overall_gen.sum()),
        n_impostor=int(overall_imp.sum()),
        n_subjects=counted.n_subjects,
        points=points,
        features=features,
        settings=settings,
    )


# --------------------------------------------------------------------------- thresholds


def grid_targets(n_impostor: int, settings: VerificationSettings) -> list[float]:
    """The overall FMRs whose thresholds the audit needs: the targets, then the DET curves' points."""
    det_targets = list(np.geomspace(max(1.0 / n_impostor, 1e-6), max([1e-2, *settings.targets]), _DET_POINTS))
    return [*settings.targets, *det_targets]


def decision_grid() -> ThresholdGrid:
    """With decisions only, one operating point: the system's own decisions (level 1: matched)."""
    return ThresholdGrid(np.array([0.5]), np.array([0]), ("decision",), (None,), (None,))


def threshold_grid(found: np.ndarray, settings: VerificationSettings) -> ThresholdGrid:
    """The grid from the similarity thresholds of :func:`grid_targets` (``found``) and the fixed thresholds."""
    sign = 1.0 if settings.higher_is_more_similar else -1.0
    fixed = [_at_or_above(sign * t, found.dtype) for t in settings.thresholds]
    on_similarity = np.array([*found[: len(settings.targets)], *fixed], dtype=found.dtype)
    grid = np.unique(np.concatenate([on_similarity, found[len(settings.targets) :]]))
    user_scale = [float(sign * t) for t in on_similarity[: len(settings.targets)]] + list(settings.thresholds)
    target_kind: PointKind = "target_fmr"
    fixed_kind: PointKind = "fixed"
    return ThresholdGrid(
        values=grid,
        point_grid=np.searchsorted(grid, on_similarity),
        kinds=(target_kind,) * len(settings.targets) + (fixed_kind,) * len(settings.thresholds),
        targets=(*settings.targets, *([None] * len(settings.thresholds))),
        thresholds=tuple(user_scale),
    )


def _at_or_above(value: float, dtype: np.dtype[Any]) -> float:
    """The smallest number of ``dtype`` that is >= ``value``, so 'similarity >= threshold' is decided exactly."""
    cast = np.asarray(value, dtype=dtype)
    return float(np.nextafter(cast, np.inf, dtype=dtype) if cast < value else cast)


# --------------------------------------------------------------------------- bootstrap


@dataclass(frozen=True)
class SubjectReplicates:
    """One feature's subject-bootstrap replicates, and the people's comparison counts the rates' intervals need.

    Attributes
    ----------
    fmr, fnmr : ndarray (replicates, groups, points)
        Replicated same-group FMR and FNMR.
    fmr_exposure, fnmr_exposure : ndarray (groups,)
        Per group, the sum over its people of the square of how many same-group impostor (genuine) comparisons each
        takes part in (``S`` of the gamma-Poisson design effect, :mod:`ethicscheck.verification._intervals`).
    """

    fmr: np.ndarray
    fnmr: np.ndarray
    fmr_exposure: np.ndarray
    fnmr_exposure: np.ndarray


def _bootstrap(
    comparisons: CountedComparisons, all_counts: list[FeatureCounts], grid: Levels, settings: VerificationSettings
) -> list[SubjectReplicates | None]:
    """Replicate FMR and FNMR, shape (replicates, groups, points) per feature, from one shared draw of subjects."""
    if settings.n_boot == 0:
        return [None] * len(all_counts)
    _, order = grid.point_levels()
    n_points = grid.n_points
    designs = [_design(feature.codes, counts, feature.n_groups, n_points) for feature, counts in zip(comparisons.features, all_counts)]
    sums: list[list[np.ndarray]] = [[] for _ in all_counts]
    for weights in subject_weights(comparisons.n_subjects, settings.n_boot, seed=settings.seed):
        for i, design in enumerate(designs):
            sums[i].append(np.asarray(weights @ design) if isinstance(design, np.ndarray) else np.asarray((design.T @ weights.T).T))
    out: list[SubjectReplicates | None] = []
    for counts, feature, parts in zip(all_counts, comparisons.features, sums):
        n_groups = feature.n_groups
        block = np.concatenate(parts).reshape(settings.n_boot, n_groups, 2 * n_points + 2)
        pairs, matched = block[:, :, 0], block[:, :, 1 : n_points + 1]
        genuine, missed = block[:, :, n_points + 1], block[:, :, n_points + 2 :]
        within = np.diagonal(counts.cross_impostor).T  # (groups, point levels)
        total_pairs = within.sum(axis=1)
        total_matched = matched_from_levels(within)  # (groups, points by threshold)
        fmr = np.empty((settings.n_boot, n_groups, n_points))
        for g in range(n_groups):
            members = feature.codes == g
            for j in range(n_points):
                x, n = float(total_matched[g, j]), float(total_pairs[g])
                scale = dyadic_scale(_subject_matched(counts, members)[:, j], counts.subject_impostor[members].sum(axis=1), x, n)
                with np.errstate(divide="ignore", invalid="ignore"):
                    raw = (matched[:, g, j] - x) / (pairs[:, g] - n)
                rate = x / n if n else np.nan
                fmr[:, g, j] = np.clip(rate + scale * (raw - rate), 0.0, 1.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            fnmr = missed / genuine[:, :, None]
        back = np.argsort(order)  # from threshold order to the points' order
        impostors = counts.subject_impostor.sum(axis=1).astype(np.float64)
        genuines = counts.subject_genuine.sum(axis=1).astype(np.float64)
        exposure = [np.bincount(feature.codes, weights=m * m, minlength=n_groups) for m in (impostors, genuines)]
        out.append(SubjectReplicates(fmr[:, :, back], fnmr[:, :, back], *exposure))
    return out


def _subject_matched(counts: FeatureCounts, members: np.ndarray) -> np.ndarray:
    return matched_from_levels(counts.subject_impostor[members])


def _design(groups: np.ndarray, counts: FeatureCounts, n_groups: int, n_points: int) -> Any:
    """Subjects x (group, statistic): impostor pairs, false matches per point, genuine pairs, misses per point.

    A subject's row is filled only in its own group's block, so weights @ design sums each group's subjects.
    """
    from scipy import sparse  # at first use: `ethicscheck --help` and classification audits never load scipy.sparse

    per_subject = np.column_stack(
        [
            counts.subject_impostor.sum(axis=1),
            matched_from_levels(counts.subject_impostor),
            counts.subject_genuine.sum(axis=1),
            counts.subject_genuine.sum(axis=1)[:, None] - matched_from_levels(counts.subject_genuine),
        ]
    ).astype(np.float64)
    width = 2 * n_points + 2
    if len(groups) * n_groups * width <= _DENSE_DESIGN:  # a dense matrix product is several times faster (BLAS)
        dense = np.zeros((len(groups), n_groups, width))
        dense[np.arange(len(groups)), groups] = per_subject
        return dense.reshape(len(groups), n_groups * width)
    rows = np.repeat(np.arange(len(groups)), width)
    cols = (groups[:, None] * width + np.arange(width)[None, :]).ravel()
    return sparse.csr_matrix((per_subject.ravel(), (rows, cols)), shape=(len(groups), n_groups * width))


# --------------------------------------------------------------------------- rates and summaries


def _feature(
    name: str,
    labels: tuple[str, ...],
    subjects_per_group: np.ndarray,
    counts: FeatureCounts,
    replicates: SubjectReplicates | None,
    grid: Levels,
    points: tuple[OperatingPoint, ...],
    settings: VerificationSettings,
    configured_reference: str | None = None,
) -> VerificationFeature:
    same_matched = matched_from_levels(counts.same_impostor)  # (groups, grid)
    same_pairs = counts.same_impostor.sum(axis=1)
    gen_pairs = counts.genuine.sum(axis=1)
    gen_missed = gen_pairs[:, None] - matched_from_levels(counts.genuine)
    _, order = grid.point_levels()
    by_threshold = np.argsort(order)
    cross_matched = matched_from_levels(counts.cross_impostor)  # (G, G, points by threshold)
    cross_pairs = counts.cross_impostor.sum(axis=2)
    # The reference group: the configured one, else the group with the most impostor comparisons among its members.
    reference = labels.index(configured_reference) if configured_reference in labels else int(np.argmax(same_pairs))
    results = []
    for j, point in enumerate(points):
        column = grid.point_grid[j]
        needed = _needed_impostors(point)
        reps_j = None if replicates is None else (replicates.fmr[:, :, j], replicates.fnmr[:, :, j])
        dependence = (
            None
            if replicates is None or reps_j is None
            else {
                "fmr": _dependence(
                    same_matched[:, column], same_pairs, reps_j[0], replicates.fmr_exposure, subjects_per_group, same_pairs >= needed
                ),
                "fnmr": _dependence(
                    gen_missed[:, column],
                    gen_pairs,
                    reps_j[1],
                    replicates.fnmr_exposure,
                    subjects_per_group,
                    gen_pairs >= settings.min_genuine_pairs,
                ),
            }
        )
        groups = tuple(
            GroupRates(
                group=label,
                n_subjects=int(subjects_per_group[g]),
                fmr=_rate_estimate(
                    int(same_matched[g, column]),
                    int(same_pairs[g]),
                    None if dependence is None else dependence["fmr"][g],
                    settings,
                    bootstrapped=replicates is not None,
                    minimum=needed,
                    what="impostor comparisons between two members of the group",
                    purpose=_fmr_purpose(point),
                ),
                fnmr=_rate_estimate(
                    int(gen_missed[g, column]),
                    int(gen_pairs[g]),
                    None if dependence is None else dependence["fnmr"][g],
                    settings,
                    bootstrapped=replicates is not None,
                    minimum=settings.min_genuine_pairs,
                    what="genuine comparisons of the group's members",
                    purpose="",
                ),
            )
            for g, label in enumerate(labels)
        )
        effective = None if reps_j is None else _effective_counts(groups, reps_j, settings)
        groups = _with_ratios(groups, reference, effective, settings)
        k = by_threshold[j]
        upper = np.triu(cross_matched[:, :, k])
        matched = upper + np.triu(upper, 1).T
        pairs_upper = np.triu(cross_pairs)
        pairs = pairs_upper + np.triu(pairs_upper, 1).T
        cross = CrossGroupFmr(tuple(map(tuple, pairs.astype(int).tolist())), tuple(map(tuple, matched.astype(int).tolist())))
        summaries = _summaries_at(groups, reps_j, dependence, settings)
        results.append(PointResult(point=point.key, groups=groups, cross=cross, summaries=summaries, reference=labels[reference]))
    det = (
        tuple(
            DetCurve(
                group=label,
                fmr=tuple(float(m) / same_pairs[g] if same_pairs[g] else None for m in same_matched[g]),
                fnmr=tuple(float(m) / gen_pairs[g] if gen_pairs[g] else None for m in gen_missed[g]),
            )
            for g, label in enumerate(labels)
        )
        if points and points[0].kind != "decision"
        else ()
    )
    return VerificationFeature(name=name, groups=labels, points=tuple(results), det=det)


@dataclass(frozen=True)
class _Dependence:
    """How a group's rate depends on its people: measured design effect, gamma-Poisson overdispersion (the larger of the
    group's and the attribute's pooled one), ``S`` and the number of people (:mod:`ethicscheck.verification._intervals`)."""

    deff: float
    phi: float
    exposure_squares: float
    people: int


def _dependence(
    errors: np.ndarray, trials: np.ndarray, replicates: np.ndarray, exposure: np.ndarray, people: np.ndarray, enough: np.ndarray
) -> list[_Dependence | None]:
    """Per group of one rate at one point; ``None`` where no design effect can be measured (no errors, or all errors).

    The overdispersion is pooled over the groups with enough data to be compared.
    """
    deffs = [design_effect(float(errors[g]), float(trials[g]), replicates[:, g]) for g in range(len(errors))]
    pooled = pooled_overdispersion(
        [(float(errors[g]), float(trials[g]), deff, float(exposure[g])) for g, deff in enumerate(deffs) if deff is not None and enough[g]]
    )
    return [
        None
        if deff is None
        else _Dependence(
            deff,
            max(overdispersion(float(errors[g]), float(trials[g]), deff, float(exposure[g])), pooled),
            float(exposure[g]),
            int(people[g]),
        )
        for g, deff in enumerate(deffs)
    ]


def _rate_interval(errors: int, trials: int, dependence: _Dependence | None, confidence_level: float) -> tuple[float, float]:
    """Clopper-Pearson on the counts as they are (no design effect measured), else the gamma-Poisson interval."""
    if dependence is None:
        return clopper_pearson(errors, trials, confidence_level)
    return gamma_poisson_interval(
        errors,
        trials,
        deff=dependence.deff,
        phi=dependence.phi,
        exposure_squares=dependence.exposure_squares,
        people=dependence.people,
        confidence_level=confidence_level,
    )


def _effective_counts(
    groups: tuple[GroupRates, ...], replicates: tuple[np.ndarray, np.ndarray], settings: VerificationSettings
) -> dict[str, list[EffectiveCounts]]:
    """Per rate, each group's Korn-Graubard effective counts (design effect from its subject-bootstrap replicates)."""
    return {
        rate: [
            effective_counts(
                getattr(group, rate).numerator or 0,
                getattr(group, rate).denominator or 0,
                replicates[r][:, g],
                group.n_subjects,
                settings.confidence_level,
            )
            for g, group in enumerate(groups)
        ]
        for r, rate in enumerate(VERIFICATION_RATES)
    }


def _with_ratios(
    groups: tuple[GroupRates, ...], reference: int, effective: dict[str, list[EffectiveCounts]] | None, settings: VerificationSettings
) -> tuple[GroupRates, ...]:
    """Each group's FMR and FNMR divided by the reference group's, with the conditional interval on effective counts."""
    out = []
    for g, group in enumerate(groups):
        ratios = {}
        for rate in VERIFICATION_RATES:
            mine, theirs = getattr(group, rate), getattr(groups[reference], rate)
            counts = None if effective is None else (effective[rate][g], effective[rate][reference])
            ratios[rate] = _ratio(mine, theirs, counts, settings, itself=g == reference)
        out.append(replace(group, fmr_ratio=ratios["fmr"], fnmr_ratio=ratios["fnmr"]))
    return tuple(out)


def _ratio(
    mine: Estimate,
    theirs: Estimate,
    counts: tuple[EffectiveCounts, EffectiveCounts] | None,
    settings: VerificationSettings,
    *,
    itself: bool,
) -> Estimate:
    if mine.value is None or theirs.value is None:
        return Estimate(None, status="undefined", reason="the group's or the reference group's rate is undefined")
    if theirs.value == 0:
        return Estimate(None, status="undefined", reason="the reference group has no errors of this kind, so the ratio is unbounded")
    value = mine.value / theirs.value
    status, reason = (
        ("ok", None) if mine.usable and theirs.usable else ("insufficient_data", "the group or the reference group has too little data")
    )
    if counts is None:
        return Estimate(value, status=status, reason=reason)  # type: ignore[arg-type]
    low, high = (1.0, 1.0) if itself else rate_ratio_interval(*counts, settings.confidence_level)
    return Estimate(value, low, None if math.isinf(high) else high, status=status, reason=reason, method=RATIO_METHOD)  # type: ignore[arg-type]


def _needed_impostors(point: OperatingPoint) -> int:
    """3 / FMR impostor comparisons: the target's, else the overall rate reached (a rate never reached needs them all)."""
    rate = point.target_fmr if point.target_fmr is not None else point.fmr
    if not rate:
        return point.impostor_pairs + 1
    return math.ceil(INSUFFICIENT_FACTOR / rate - 1e-9)


def _fmr_purpose(point: OperatingPoint) -> str:
    rate = point.target_fmr if point.target_fmr is not None else point.fmr
    return f" to estimate a false-match rate near {rate:.0e}" if rate else " at a threshold no impostor comparison reaches overall"


def _rate_estimate(
    numerator: int,
    denominator: int,
    dependence: _Dependence | None,
    settings: VerificationSettings,
    *,
    bootstrapped: bool,
    minimum: int,
    what: str,
    purpose: str,
) -> Estimate:
    if denominator == 0:
        return Estimate(None, status="undefined", reason=f"no {what}", numerator=0, denominator=0)
    value = numerator / denominator
    if numerator == 0 or not bootstrapped:
        low, high = clopper_pearson(numerator, denominator, settings.confidence_level)
        method = "clopper_pearson"
    else:
        low, high = _rate_interval(numerator, denominator, dependence, settings.confidence_level)
        method = RATE_METHOD
    status, reason = "ok", None
    if denominator < minimum:
        status = "insufficient_data"
        reason = f"{denominator:,} {what}; at least {minimum:,} are needed{purpose}"
    return Estimate(value, low, high, status=status, reason=reason, numerator=numerator, denominator=denominator, method=method)  # type: ignore[arg-type]


_RATE_FUNCTIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "max_over_min": _summaries.max_over_min,
    "max_over_geomean": _summaries.max_over_geomean,
    "gini": _summaries.gini,
}


#: Summaries whose interval is their range over simultaneous (Bonferroni) per-group intervals: it always holds the
#: estimate, and at parity it excludes parity no more often than the confidence level allows.
_BOUNDED: dict[str, Callable[..., tuple[float, float]]] = {
    "max_over_min": _summaries.max_over_min_bounds,
    "max_over_geomean": _summaries.max_over_geomean_bounds,
}


def _summaries_at(
    groups: tuple[GroupRates, ...],
    replicates: tuple[np.ndarray, np.ndarray] | None,
    dependence: dict[str, list[_Dependence | None]] | None,
    settings: VerificationSettings,
) -> dict[str, Estimate]:
    """Every summary over the groups with enough data; intervals from simultaneous per-group intervals (ratios, FDR) or
    the percentiles of the same replicates (Gini, GARBE)."""
    usable = {rate: np.array([getattr(g, rate).usable for g in groups], dtype=bool) for rate in VERIFICATION_RATES}
    values = {rate: np.array([getattr(g, rate).value or 0.0 for g in groups]) for rate in VERIFICATION_RATES}
    reps = dict(zip(VERIFICATION_RATES, replicates)) if replicates is not None else {}
    out: dict[str, Estimate] = {}
    for rate in VERIFICATION_RATES:
        # the groups' simultaneous intervals, shared by every summary bounded by them (max/min, max/geomean)
        simultaneous = None
        if dependence is not None and _enough(usable, (rate,)) and any(key in _BOUNDED for key in VERIFICATION_RATE_SUMMARIES):
            simultaneous = _simultaneous(groups, dependence, usable, (rate,), settings)
        for key in VERIFICATION_RATE_SUMMARIES:
            bounds = None
            if simultaneous is not None and key in _BOUNDED:
                low, high = simultaneous
                bounds = _BOUNDED[key](low[rate], high[rate])
            out[f"{rate}_{key}"] = _summary(
                _of_rate(_RATE_FUNCTIONS[key], rate), usable, values, reps, (rate,), settings, ratio=key != "gini", bounds=bounds
            )
    joint = {
        "fairness_discrepancy_rate": lambda v: _summaries.fdr(v["fmr"], v["fnmr"], alpha=settings.alpha),
        "garbe": lambda v: _summaries.garbe(v["fmr"], v["fnmr"], alpha=settings.alpha),
    }
    for key in VERIFICATION_JOINT_SUMMARIES:
        bounds = None
        if dependence is not None and key == "fairness_discrepancy_rate" and _enough(usable, tuple(VERIFICATION_RATES)):
            low, high = _simultaneous(groups, dependence, usable, tuple(VERIFICATION_RATES), settings)
            bounds = _summaries.fdr_bounds(low["fmr"], high["fmr"], low["fnmr"], high["fnmr"], alpha=settings.alpha)
        out[key] = _summary(joint[key], usable, values, reps, tuple(VERIFICATION_RATES), settings, ratio=False, bounds=bounds)
    return out


def _enough(usable: dict[str, np.ndarray], rates: tuple[str, ...]) -> bool:
    """Whether every rate has the two usable groups a summary over groups needs (else the summary is undefined)."""
    return all(int(usable[r].sum()) >= 2 for r in rates)


def _simultaneous(
    groups: tuple[GroupRates, ...],
    dependence: dict[str, list[_Dependence | None]],
    usable: dict[str, np.ndarray],
    rates: tuple[str, ...],
    settings: VerificationSettings,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Every usable group's rate interval (as its own), Bonferroni-adjusted so that they hold together."""
    tests = sum(int(usable[r].sum()) for r in rates)
    level = 1.0 - (1.0 - settings.confidence_level) / max(tests, 1)
    low: dict[str, np.ndarray] = {}
    high: dict[str, np.ndarray] = {}
    for rate in rates:
        limits = np.array(
            [
                _rate_interval(getattr(group, rate).numerator or 0, getattr(group, rate).denominator or 0, dep, level)
                for group, dep, ok in zip(groups, dependence[rate], usable[rate])
                if ok
            ]
        ).reshape(-1, 2)
        low[rate], high[rate] = limits[:, 0], limits[:, 1]
    return low, high


def _of_rate(function: Callable[[np.ndarray], np.ndarray], rate: str) -> Callable[[dict[str, np.ndarray]], np.ndarray]:
    return lambda values: function(values[rate])


def _summary(
    function: Callable[[dict[str, np.ndarray]], np.ndarray],
    usable: dict[str, np.ndarray],
    values: dict[str, np.ndarray],
    replicates: dict[str, np.ndarray],
    rates: tuple[str, ...],
    settings: VerificationSettings,
    *,
    ratio: bool,
    bounds: tuple[float, float] | None = None,
) -> Estimate:
    if not _enough(usable, rates):
        short = [r for r in rates if usable[r].sum() < 2]
        return Estimate(None, status="undefined", reason=f"fewer than two groups have enough data for their {' and '.join(short).upper()}")
    value = float(function({r: values[r][usable[r]] for r in rates}))
    if math.isnan(value):
        return Estimate(
            None, status="undefined", reason="a group's rate is 0, so the ratio is unbounded" if ratio else "every group's rate is 0"
        )
    if not replicates:
        return Estimate(value)
    if bounds is not None:
        low, high = bounds
        method = SUMMARY_BOUNDS_METHOD
    else:
        low, high = percentile_interval(
            function({r: replicates[r][:, usable[r]] for r in rates}), settings.confidence_level, nan_is_unbounded=ratio
        )
        method = "subject_bootstrap"
    return Estimate(value, low, None if math.isinf(high) else high, method=method)
