"""How much labeled data an audit needs: per group, the rows its test needs to detect a target disparity.

No model is needed: the labels give each group's rows that are negative (the false-positive rate's
denominator) and positive (the false-negative rate's), and the reference group's rates are what the
user expects the model to have. Groups, intersections and reference groups are formed exactly as
:func:`~ethicscheck.fairness.assess` forms them, so the plan is about the groups the audit will report.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from ethicscheck._serialize import Serializable, json_options
from ethicscheck._vocabulary import FN, TN
from ethicscheck.errors import DataError
from ethicscheck.fairness._assess import _combos, _reference_index
from ethicscheck.fairness._groups import encode_feature
from ethicscheck.fairness._metrics import cell_counts
from ethicscheck.fairness._power import DEFAULT_POWER, DEFAULT_TARGET_RATIO, needed_denominator
from ethicscheck.fairness._result import SampleSize
from ethicscheck.fairness._tables import group_tables, joint_index

__all__ = ["AuditPlan", "GroupPlan", "plan_audit", "plan_groups"]


@dataclass(frozen=True, kw_only=True)
class GroupPlan(Serializable):
    """One group's labeled rows now and the rows the audit needs to detect the plan's ratio.

    Attributes
    ----------
    feature, group : str
        The feature (or intersection ``a & b``) and the group.
    is_reference : bool
        The feature's reference group (the others are compared with it; it gets no plan of its own).
    n_negative, n_positive : int
        Labeled rows now: the false-positive rate's denominator and the false-negative rate's.
    fpr, fnr : SampleSize or None
        Rows of that label the group needs (None for the reference).
    labeled_needed : int or None
        Labeled rows of the group needed for both rates at its current mix of labels; for the reference,
        what the other groups' plans need of it. None when a rate cannot be planned (a rate of 0, or the
        group has no rows of one label).
    """

    feature: str
    group: str
    is_reference: bool
    n_negative: int
    n_positive: int
    fpr: SampleSize | None = field(metadata=json_options(key="needed_for_fpr"))
    fnr: SampleSize | None = field(metadata=json_options(key="needed_for_fnr"))
    labeled_needed: int | None
    JSON_ORDER = ("feature", "group", "is_reference", "n", "n_negative", "n_positive", "fpr", "fnr", "labeled_needed", "still_to_label")

    @property
    def n(self) -> int:
        return self.n_negative + self.n_positive

    @property
    def still_to_label(self) -> int | None:
        """Labeled rows to add to this group (0 when it has enough)."""
        return None if self.labeled_needed is None else max(0, self.labeled_needed - self.n)


@dataclass(frozen=True, kw_only=True)
class AuditPlan(Serializable):
    """The rows an audit needs per group to detect ``ratio`` with ``power``, given the expected reference rates."""

    ratio: float
    power: float
    alpha: float
    reference_fpr: float
    reference_fnr: float
    min_group_size: int
    groups: tuple[GroupPlan, ...]


def plan_audit(
    y_true: Sequence[bool] | np.ndarray,
    *,
    sensitive_features: pd.DataFrame | Mapping[str, Sequence[object]],
    reference_fpr: float,
    reference_fnr: float,
    ratio: float = DEFAULT_TARGET_RATIO,
    power: float = DEFAULT_POWER,
    alpha: float = 0.05,
    bins: Mapping[str, Sequence[float]] | None = None,
    intersections: Literal["all", "none"] | Sequence[Sequence[str]] = "all",
    reference: Mapping[str, str] | None = None,
    min_group_size: int = 30,
    max_groups: int = 1000,
) -> AuditPlan:
    """Per group of every feature and intersection, the labeled rows needed to detect ``ratio``.

    Parameters
    ----------
    y_true : array-like of bool
        The labels (True: trafficking-related).
    sensitive_features, bins, intersections, reference, min_group_size, max_groups :
        As in :func:`~ethicscheck.fairness.assess` (``reference: lowest`` needs decisions, so it falls
        back to the largest group here).
    reference_fpr, reference_fnr : float
        The rates the model is expected to have on the reference group.
    ratio : float
        The disparity to detect, as a ratio to the reference's rate.
    power, alpha : float
        The test's power and family-wise level (Holm over the feature's groups).

    Returns
    -------
    AuditPlan
    """
    y = np.asarray(y_true, dtype=bool)
    frame = pd.DataFrame(sensitive_features) if not isinstance(sensitive_features, pd.DataFrame) else sensitive_features
    if len(frame) != len(y):
        raise DataError(f"y_true ({len(y)}) and sensitive_features ({len(frame)}) must have the same length.")
    singles = [encode_feature(frame[c], name=str(c), bins=(bins or {}).get(str(c)), max_groups=max_groups) for c in frame.columns]
    joint = joint_index(singles)
    counts = cell_counts(joint.cells, y, np.zeros(len(y), dtype=bool), joint.size)  # labels only: tn = negatives, fn = positives
    tables = group_tables(joint, _combos(singles, intersections), counts, max_groups=max_groups)
    wanted = {k: v for k, v in (reference or {}).items() if v != "lowest"}
    groups: list[GroupPlan] = []
    for table in tables:
        ref, _ = _reference_index(table, wanted, min_group_size)
        negatives, positives = table.counts[:, TN], table.counts[:, FN]
        sizes = [(int(negatives[g]), int(positives[g])) for g in range(len(table.labels))]
        groups += plan_groups(
            table.name,
            list(zip(table.labels, sizes)),
            ref,
            reference_fpr=reference_fpr,
            reference_fnr=reference_fnr,
            ratio=ratio,
            power=power,
            alpha=alpha,
            min_group_size=min_group_size,
        )
    return AuditPlan(
        ratio=ratio,
        power=power,
        alpha=alpha,
        reference_fpr=reference_fpr,
        reference_fnr=reference_fnr,
        min_group_size=min_group_size,
        groups=tuple(groups),
    )


def plan_groups(
    feature: str,
    sizes: Sequence[tuple[str, tuple[int, int]]],
    reference: int,
    *,
    reference_fpr: float,
    reference_fnr: float,
    ratio: float = DEFAULT_TARGET_RATIO,
    power: float = DEFAULT_POWER,
    alpha: float = 0.05,
    min_group_size: int = 30,
) -> list[GroupPlan]:
    """The plan of one feature's groups, from their ``(label, (negatives, positives))`` and the reference's index.

    Every group other than the reference is planned in a Holm family of all of them (once each group has
    the rows it needs, each is tested). The reference's row needs what the largest of those plans asks
    of the reference (its own rows when they are enough).
    """
    tests = max(len(sizes) - 1, 1)
    ref_negative, ref_positive = sizes[reference][1]
    plans = []
    for index, (label, (negative, positive)) in enumerate(sizes):
        if index == reference:
            continue
        fpr, fnr = (
            needed_denominator(n_ref, rate, metric=key, ratio=ratio, tests=tests, alpha=alpha, power=power, min_group_size=min_group_size)
            for key, n_ref, rate in (("fpr", ref_negative, reference_fpr), ("fnr", ref_positive, reference_fnr))
        )
        plans.append(
            GroupPlan(
                feature=feature,
                group=label,
                is_reference=False,
                n_negative=negative,
                n_positive=positive,
                fpr=fpr,
                fnr=fnr,
                labeled_needed=_labeled(negative, positive, fpr.n, fnr.n),
            )
        )
    label, (negative, positive) = sizes[reference]
    own = [
        max((p.fpr.reference_needed or 0 for p in plans if p.fpr), default=negative),
        max((p.fnr.reference_needed or 0 for p in plans if p.fnr), default=positive),
    ]
    head = GroupPlan(
        feature=feature,
        group=label,
        is_reference=True,
        n_negative=negative,
        n_positive=positive,
        fpr=None,
        fnr=None,
        labeled_needed=_labeled(negative, positive, *own),
    )
    return [*plans[:reference], head, *plans[reference:]]


def _labeled(negative: int, positive: int, need_negative: int | None, need_positive: int | None) -> int | None:
    """Labeled rows that give both denominators at the group's current share of each label."""
    total = negative + positive
    if need_negative is None or need_positive is None or negative == 0 or positive == 0:
        return None
    return max(math.ceil(need_negative * total / negative), math.ceil(need_positive * total / positive))
