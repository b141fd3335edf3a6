"""What the public card may show: small groups suppressed, and optionally differentially private counts.

``audit.json`` keeps every group and exact count (the audit team needs them for gates and regressions);
the model card, its charts and the registry summary are built from :func:`publishable`'s view instead.

* **Small-group suppression.** A group with fewer than ``card.min_published_group`` rows is left out
  of the card. When only one group of a feature would be left out, the next-smallest is left out too,
  or the first could be worked out as total minus the rest. A feature whose reference group is small
  is left out whole, since every comparison in it would reveal the reference's rates. Gate messages
  that name a left-out group no longer name it.
* **Differential privacy** (``card.dp_epsilon``). Each published table's cell counts get Laplace noise
  from diffprivlib: one row changes one cell of a table by one (L1 sensitivity 1), or, in a personal-data
  inventory, ``rows_scanned``, ``rows_with_pii`` and each entity's ``rows_affected`` (sensitivity
  2 + entity types). The budget is split evenly over the tables (sequential composition). Rates,
  intervals, ratios, tests and findings are recomputed from the noisy counts, which is post-processing
  and costs no budget. What cannot be noised this way is withheld: score metrics and threshold curves,
  text examples, per-group personal-data shares, model-output findings and the measured values in gate
  messages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ethicscheck._serialize import Serializable, json_options
from ethicscheck.config import CardConfig
from ethicscheck.errors import require_extra
from ethicscheck.fairness import MISSING, FeatureResult, recount
from ethicscheck.gates import GateOutcome, Verdict
from ethicscheck.privacy import ColumnScan, PrivacyResult
from ethicscheck.result import AuditResult

__all__ = ["Publication", "publishable"]

_CELLS = ("tn", "fp", "fn", "tp")


@dataclass(frozen=True)
class DifferentialPrivacy(Serializable):
    """How the card's counts were noised: the mechanism and its privacy budget, in total and per table."""

    epsilon: float
    epsilon_per_table: float | None
    tables: int
    mechanism: str = "Laplace (diffprivlib)"

    JSON_ORDER = ("mechanism", "epsilon", "epsilon_per_table", "tables")


@dataclass(frozen=True)
class Publication(Serializable):
    """The audit result as the public card shows it, and what was withheld to get there.

    Attributes
    ----------
    result : AuditResult
        The view every card format, chart and finding is built from.
    min_group : int
        Groups smaller than this were left out.
    suppressed : dict of str to int
        Feature name -> number of groups left out (features left out whole are in ``features_withheld``).
    features_withheld : tuple of str
        Features whose reference group was too small to publish.
    epsilon : float or None
        Total differential-privacy budget of the published counts; None when counts are exact.
    epsilon_per_table : float or None
    tables : int
        Number of noised tables the budget was split over.
    """

    result: AuditResult = field(metadata=json_options(written=False))
    min_group: int = field(metadata=json_options(key="min_group_size"))
    suppressed: dict[str, int] = field(metadata=json_options(key="groups_suppressed"))
    features_withheld: tuple[str, ...] = ()
    epsilon: float | None = field(default=None, metadata=json_options(written=False))
    epsilon_per_table: float | None = field(default=None, metadata=json_options(written=False))
    tables: int = field(default=0, metadata=json_options(written=False))

    JSON_ORDER = ("min_group", "suppressed", "features_withheld", "differential_privacy")

    @property
    def differential_privacy(self) -> DifferentialPrivacy | None:
        """The noise added to the card's counts, or None when they are exact."""
        if self.epsilon is None:
            return None
        return DifferentialPrivacy(self.epsilon, self.epsilon_per_table, self.tables)

    def notes(self, noun: str) -> list[str]:
        """Plain sentences for the card saying what was left out or noised."""
        out = []
        hidden = sum(self.suppressed.values())
        if hidden:
            where = ", ".join(f"{n} in {name}" for name, n in self.suppressed.items() if n)
            out.append(
                f"{hidden} group(s) with fewer than {self.min_group} {noun} are not shown ({where}), so that nobody in a small group "
                "can be singled out; where only one group was that small, the next-smallest is left out too. "
                "Summaries across all groups (spreads, worst ratios) still include them. Suppression is per table: a left-out "
                "intersection cell may still be worked out from the single-feature tables; differentially private counts "
                "(card.dp_epsilon) close that gap."
            )
        if self.features_withheld:
            out.append(
                f"Not shown because the reference group has fewer than {self.min_group} {noun}: {', '.join(self.features_withheld)}."
            )
        if self.epsilon is not None:
            out.append(
                f"Counts in this card are differentially private: Laplace noise with a total privacy budget ε = {self.epsilon:g} "
                f"({self.tables} tables, ε = {self.epsilon_per_table:.3g} each). Rates and intervals are computed from the noisy counts, "
                "so tables may not add up exactly. Score-based metrics, threshold curves, text examples, model-output findings and the "
                "measured values behind gate results are withheld."
            )
        return out


def publishable(result: AuditResult, card: CardConfig) -> Publication:
    """The public view of ``result`` under ``card``'s suppression and privacy settings (see module docs)."""
    epsilon_per_table, tables = None, 0
    if card.dp_epsilon is not None:
        result, tables = _noised(result, card.dp_epsilon, seed=result.run.seed)
        epsilon_per_table = card.dp_epsilon / tables
    k = card.min_published_group
    features: list[FeatureResult] = []
    suppressed: dict[str, int] = {}
    withheld: list[str] = []
    hidden_names: set[str] = set()
    for feature in result.fairness.features:
        reference = feature.group(feature.reference)
        if reference.n < k:
            withheld.append(feature.name)
            hidden_names.update(g.group for g in feature.groups)
            continue
        dropped = _suppressed_groups(feature, k)
        suppressed[feature.name] = len(dropped)
        hidden_names.update(dropped)
        features.append(_without(feature, dropped))
    fairness = replace(result.fairness, features=tuple(features))
    privacy = _privacy_without_small_groups(result.privacy, k)
    verdict = _verdict_without(result.verdict, hidden_names, k, withhold_values=card.dp_epsilon is not None)
    data = replace(result.data, missing_sensitive={name: n for name, n in result.data.missing_sensitive.items() if n >= k})
    membership = None if result.membership is None else result.membership.without(hidden_names, min_rows=k)
    public = replace(result, fairness=fairness, privacy=privacy, verdict=verdict, data=data, membership=membership)
    return Publication(public, k, suppressed, tuple(withheld), card.dp_epsilon, epsilon_per_table, tables)


def _suppressed_groups(feature: FeatureResult, k: int) -> set[str]:
    """Small groups, plus the next-smallest when only one is small (complementary suppression)."""
    others = sorted((g for g in feature.groups if not g.is_reference), key=lambda g: (g.n, g.group))
    small = {g.group for g in others if g.n < k}
    if len(small) == 1 and len(others) > 1:
        small.add(next(g.group for g in others if g.group not in small))
    return small


def _without(feature: FeatureResult, dropped: set[str]) -> FeatureResult:
    if not dropped:
        return feature
    groups = tuple(g for g in feature.groups if g.group not in dropped)
    thresholds = feature.thresholds
    if thresholds is not None:
        thresholds = replace(thresholds, groups=tuple(c for c in thresholds.groups if c.group not in dropped))
    # a spread finding names its highest and lowest group: not when either is left out
    tests = {key: t for key, t in feature.spread_tests.items() if not {t.highest, t.lowest} & dropped}
    return replace(feature, groups=groups, thresholds=thresholds, spread_tests=tests)


def _privacy_without_small_groups(privacy: PrivacyResult | None, k: int) -> PrivacyResult | None:
    if privacy is None:
        return None
    columns = tuple(
        replace(
            column,
            entities=tuple(
                replace(e, by_group={f: {g: s for g, s in shares.items() if s.rows >= k} for f, shares in e.by_group.items()})
                for e in column.entities
            ),
        )
        for column in privacy.columns
    )
    return replace(privacy, columns=columns)


def _verdict_without(verdict: Verdict, hidden: set[str], k: int, *, withhold_values: bool) -> Verdict:
    """Gate outcomes that do not name left-out groups (and, under DP, do not state exact values)."""
    outcomes = []
    for outcome in verdict.outcomes:
        names = {outcome.group, *outcome.groups_over, *outcome.groups_without_data} & hidden
        if not names and not withhold_values:
            outcomes.append(outcome)
            continue
        outcomes.append(_anonymous(outcome, hidden, k, withhold_values))
    return replace(verdict, outcomes=tuple(outcomes))


def _anonymous(outcome: GateOutcome, hidden: set[str], k: int, withhold_values: bool) -> GateOutcome:
    small = f"a group of fewer than {k}"
    if withhold_values:
        message = (
            f"{outcome.feature}: {outcome.metric} {outcome.status} (measured values withheld: the card's counts are "
            f"differentially private)."
        )
    else:
        value = "" if outcome.value is None else f" {outcome.value:.3g}"
        message = (
            f"{outcome.feature}: {outcome.metric}{value} for {small} not shown in this card; {outcome.status} against "
            f"{outcome.comparator} {outcome.threshold}."
        )
    anonymous = replace(
        outcome,
        group=small if outcome.group in hidden else outcome.group,
        groups_over=tuple(small if g in hidden else g for g in outcome.groups_over),
        groups_without_data=tuple(small if g in hidden else g for g in outcome.groups_without_data),
        message=message,
    )
    if withhold_values:
        return replace(anonymous, value=None, ci_low=None, ci_high=None, baseline_value=None)
    return anonymous


def _noised(result: AuditResult, epsilon: float, *, seed: int) -> tuple[AuditResult, int]:
    """``result`` with every published count replaced by a Laplace-noised one; returns it and the table count."""
    require_extra("dp", feature="card.dp_epsilon (Laplace-noised counts)")
    from diffprivlib.mechanisms import Laplace

    privacy = result.privacy
    columns = privacy.columns if privacy is not None else ()
    tables = 1 + len(result.fairness.features) + len(columns)
    share = epsilon / tables
    state = np.random.RandomState(np.random.SeedSequence([seed, 0xCA4D]).generate_state(1)[0])

    def noisy(values: Any, sensitivity: float) -> np.ndarray:
        mechanism = Laplace(epsilon=share, sensitivity=sensitivity, random_state=state)
        flat = np.asarray(values, dtype=float).ravel()
        return np.array([max(0, round(mechanism.randomise(float(v)))) for v in flat], dtype=np.int64).reshape(np.shape(values))

    overall = noisy([result.fairness.overall.counts[c] for c in _CELLS], 1)
    per_feature = [noisy([[g.counts[c] for c in _CELLS] for g in f.groups], 1) for f in result.fairness.features]
    fairness = recount(result.fairness, overall, per_feature)
    tn, fp, fn, tp = (int(v) for v in overall)
    missing = {}
    for feature in fairness.features:
        if not feature.is_intersection and feature.name in result.data.missing_sensitive:
            missing[feature.name] = next((g.n for g in feature.groups if g.values.get(feature.columns[0]) == MISSING), 0)
    data = replace(result.data, n_rows=tn + fp + fn + tp, n_positive=fn + tp, n_negative=tn + fp, missing_sensitive=missing)
    model = replace(result.model, n_flagged=fp + tp)
    if privacy is not None:
        privacy = replace(privacy, columns=tuple(_noised_column(c, noisy) for c in columns), outputs=())
    return replace(result, fairness=fairness, data=data, model=model, privacy=privacy), tables


def _noised_column(column: ColumnScan, noisy: Callable[[Any, float], np.ndarray]) -> ColumnScan:
    sensitivity = 2 + len(column.entities)
    counts = noisy([column.rows_scanned, column.rows_with_pii, *(e.rows_affected for e in column.entities)], sensitivity)
    scanned = max(int(counts[0]), 1)
    entities = tuple(
        replace(e, findings=int(n), rows_affected=int(n), rows_scanned=scanned, by_group={}, examples=())
        for e, n in zip(column.entities, counts[2:])
    )
    return replace(column, rows_scanned=scanned, rows_with_pii=int(counts[1]), entities=entities)
