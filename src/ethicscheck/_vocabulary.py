"""The names ethicscheck's parts agree on: metrics, gate metrics, entity types, phone regions.

Every list of these names elsewhere (config validation, the fairness engine, gates, the scanner, the
card) is derived from the tables here, so adding a name is one row in one place. This module imports
nothing from ethicscheck and nothing heavy: it sits at the bottom of the layer order.

A count metric's row also says how to compute it: ``numerator`` and ``denominator`` are sets of cells
of the per-group table ``[tn, fp, fn, tp]`` (index ``2 * label + decision``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "TN",
    "FP",
    "FN",
    "TP",
    "CountMetric",
    "ScoreMetric",
    "EntityType",
    "MetricKind",
    "GateMetricKind",
    "COUNT_METRICS",
    "SCORE_METRICS",
    "DEFAULT_RATE_METRICS",
    "ALWAYS_RATE_METRICS",
    "RATE_SUMMARIES",
    "PAIR_SUMMARIES",
    "FAIRLEARN_SUMMARIES",
    "ENOUGH_DATA_SUFFIX",
    "GROUP_COMPARISONS",
    "FEATURE_SUMMARIES",
    "feature_summaries",
    "PRIVACY_METRICS",
    "PRIVACY_METRIC_TABLE",
    "DETECTABLE_GATE_METRICS",
    "PrivacyMetric",
    "PROBE_METRICS",
    "PROBE_METRIC_TABLE",
    "ProbeMetric",
    "ENTITY_TYPES",
    "DEFAULT_ENTITIES",
    "NER_ONLY_ENTITIES",
    "ARTIFACT_ENTITIES",
    "URL_SHADOWING_ENTITIES",
    "OVERLAP_PRIORITY",
    "DEFAULT_PHONE_REGIONS",
    "metric_kind",
    "VerificationRate",
    "VERIFICATION_RATES",
    "VERIFICATION_RATE_SUMMARIES",
    "VERIFICATION_JOINT_SUMMARIES",
    "verification_point_key",
    "verification_gate_metrics",
    "mlflow_metric_key",
    "verification_metric_name",
]

#: Cell indices of the per-group count table.
TN, FP, FN, TP = 0, 1, 2, 3

MetricKind = Literal["count", "score"]
GateMetricKind = Literal[
    "group_rate", "group_ratio", "group_difference", "feature_summary", "privacy", "probe", "verification", "detectable"
]


@dataclass(frozen=True)
class CountMetric:
    """A per-group rate: numerator cells over denominator cells, with the words the card prints.

    Attributes
    ----------
    key : str
        The name in configs, gates, audit.json and MLflow (``fpr``).
    title : str
        Heading ("False-positive rate").
    plain : str
        What it means in plain words, with the outcome words as fields ("share of rows that are
        {negative} that were {flagged}"); :meth:`worded` fills them in (``card.outcome``).
    numerator, denominator : tuple of int
        Cells of ``[tn, fp, fn, tp]`` summed above and below the line.
    undefined_when : str
        Why the rate has no value when the denominator is 0.
    """

    key: str
    title: str
    plain: str
    numerator: tuple[int, ...]
    denominator: tuple[int, ...]
    undefined_when: str

    @property
    def kind(self) -> MetricKind:
        return "count"

    def worded(self, **words: str) -> str:
        """``plain`` in the given outcome words (``positive``, ``negative``, ``flagged``, ``missed``)."""
        return self.plain.format(**words)


@dataclass(frozen=True)
class ScoreMetric:
    """A per-group metric of the model's scores (needs a score, not only a decision)."""

    key: str
    title: str
    plain: str

    @property
    def kind(self) -> MetricKind:
        return "score"

    def worded(self, **words: str) -> str:
        """``plain`` in the given outcome words (see :meth:`CountMetric.worded`)."""
        return self.plain.format(**words)


@dataclass(frozen=True)
class EntityType:
    """A kind of personal data the scanner looks for.

    Attributes
    ----------
    key : str
        Presidio's entity name (``PHONE_NUMBER``).
    plain : str
        Plain words for a card ("phone numbers").
    default : bool
        Scanned unless the config lists entities itself.
    needs_ner : bool
        Only a named-entity model can find it (the offline pattern engine cannot).
    in_artifacts : bool
        Looked for in the audit's own report files before they are published (contact and account data;
        names are left out because a card names its owners on purpose).
    shadows_url : bool
        Preferred over the URL pattern where both match (part of) the same text: 'anna.work22' is a handle,
        although '.work' is a real top-level domain.
    """

    key: str
    plain: str
    default: bool = True
    needs_ner: bool = False
    in_artifacts: bool = False
    shadows_url: bool = False


def _by_key(*rows: CountMetric) -> dict[str, CountMetric]:
    return {row.key: row for row in rows}


# Reasons land in audit.json, which has no outcome words: they name the label side neutrally.
_NO_NEGATIVES = "no rows with a negative label"
_NO_POSITIVES = "no rows with a positive label"

COUNT_METRICS: dict[str, CountMetric] = _by_key(
    CountMetric("fpr", "False-positive rate", "share of rows that are {negative} that were {flagged}", (FP,), (FP, TN), _NO_NEGATIVES),
    CountMetric("fnr", "False-negative rate", "share of {positive} rows that were {missed}", (FN,), (FN, TP), _NO_POSITIVES),
    CountMetric("tpr", "True-positive rate (recall)", "share of {positive} rows that were {flagged}", (TP,), (FN, TP), _NO_POSITIVES),
    CountMetric("tnr", "True-negative rate", "share of rows that are {negative} that were not {flagged}", (TN,), (FP, TN), _NO_NEGATIVES),
    CountMetric("selection_rate", "Selection rate", "share of rows {flagged}", (FP, TP), (TN, FP, FN, TP), "no rows"),
    CountMetric("precision", "Precision", "share of {flagged} rows that are {positive}", (TP,), (FP, TP), "no rows flagged"),
    CountMetric("fdr", "False discovery rate", "share of {flagged} rows that are {negative}", (FP,), (FP, TP), "no rows flagged"),
    CountMetric("for", "False omission rate", "share of rows not {flagged} that are {positive}", (FN,), (TN, FN), "no rows left unflagged"),
    CountMetric(
        "npv", "Negative predictive value", "share of rows not {flagged} that are {negative}", (TN,), (TN, FN), "no rows left unflagged"
    ),
    CountMetric("accuracy", "Accuracy", "share of rows decided correctly", (TN, TP), (TN, FP, FN, TP), "no rows"),
    CountMetric("base_rate", "Base rate", "share of rows that are {positive}", (FN, TP), (TN, FP, FN, TP), "no rows"),
)

SCORE_METRICS: dict[str, ScoreMetric] = {
    m.key: m
    for m in (
        ScoreMetric("roc_auc", "ROC AUC", "chance that a {positive} row scores higher than a row that is {negative}"),
        ScoreMetric("average_precision", "Average precision", "precision averaged over every threshold, weighted by recall gained"),
        ScoreMetric("brier", "Brier score", "mean squared gap between score and label (0 is perfect)"),
        ScoreMetric("ece", "Expected calibration error", "how far scores are from the share of {positive} rows at that score"),
    )
}

#: Rates an audit reports when the config does not say, and those it always reports.
DEFAULT_RATE_METRICS: tuple[str, ...] = ("fpr", "fnr", "selection_rate", "precision")
ALWAYS_RATE_METRICS: tuple[str, ...] = ("fpr", "fnr")

#: Between-group summaries of one rate: gate suffix -> suffix of the key in a feature's ``disparities``
#: (``fpr_spread`` gates ``disparities["fpr_difference"]``, max - min as fairlearn defines it).
RATE_SUMMARIES: dict[str, str] = {
    "spread": "difference",
    "min_over_max": "ratio",
    "max_over_min": "max_over_min",
    "max_ratio_to_reference": "max_ratio_to_reference",
}

#: Summaries under fairlearn's names and definitions, over every group (gate name = disparity key).
FAIRLEARN_SUMMARIES: tuple[str, ...] = (
    "equalized_odds_difference",
    "equalized_odds_ratio",
    "demographic_parity_difference",
    "demographic_parity_ratio",
)
#: Suffix of the variants of those that leave out groups below ``min_group_size``.
ENOUGH_DATA_SUFFIX = "_enough_data"
PAIR_SUMMARIES: tuple[str, ...] = tuple(f"{name}{suffix}" for name in FAIRLEARN_SUMMARIES for suffix in ("", ENOUGH_DATA_SUFFIX))

#: A group compared with its feature's reference group: gate ``fpr_ratio`` / ``fpr_difference``.
GROUP_COMPARISONS: tuple[str, ...] = ("ratio", "difference")


def feature_summaries() -> dict[str, str]:
    """Gate name -> key in a feature's ``disparities``, for the count metrics in the table now."""
    return {
        **{name: name for name in PAIR_SUMMARIES},
        **{f"{rate}_{gate}": f"{rate}_{key}" for gate, key in RATE_SUMMARIES.items() for rate in COUNT_METRICS},
    }


#: Gate name -> key in a feature's ``disparities`` (the built-in count metrics; see :func:`feature_summaries`).
FEATURE_SUMMARIES: dict[str, str] = feature_summaries()


#: The smallest disparity the audit's own test could have detected, per group, as a ratio to the reference
#: (``mdd.fpr_ratio``, "minimum detectable disparity"): gate name (also the MLflow metric's) -> the rate.
#: The audit tests exactly the rates it always reports, so these are the rates it states it for.
DETECTABLE_GATE_METRICS: dict[str, str] = {f"mdd.{rate}_ratio": rate for rate in ALWAYS_RATE_METRICS}


@dataclass(frozen=True)
class PrivacyMetric:
    """A privacy figure a gate can bound: a share of rows or a count of findings."""

    key: str
    plain: str
    unit: Literal["share", "count"]


#: Privacy figures a gate can bound: the share of input rows with personal data, the count of novel
#: findings in model outputs (possible memorization), and findings in the audit's own files.
PRIVACY_METRIC_TABLE: dict[str, PrivacyMetric] = {
    m.key: m
    for m in (
        PrivacyMetric("pii.inputs.row_rate", "the share of input rows with personal data", "share"),
        PrivacyMetric("pii.outputs.novel", "the number of personal-data findings in model outputs that are not in the input", "count"),
        PrivacyMetric("pii.artifacts", "the number of personal-data findings in the audit's own files", "count"),
    )
}
PRIVACY_METRICS: tuple[str, ...] = tuple(PRIVACY_METRIC_TABLE)


@dataclass(frozen=True)
class ProbeMetric:
    """A figure of the counterfactual term-swap probes a gate can bound, one value per term of a lexicon.

    ``source`` names the figure in a term's results: ``swap.*`` read the target term pooled over source
    terms on texts labelled negative (where a flip to flagged is a new false positive); ``bpsn_auc`` reads
    the term's identity-mention AUCs.
    """

    key: str
    plain: str
    source: Literal["flip_rate_beyond_control", "score_delta_beyond_control", "bpsn_auc"]


#: Term-swap figures a gate can bound (``probes:`` in the config); the gate judges the worst term.
PROBE_METRIC_TABLE: dict[str, ProbeMetric] = {
    m.key: m
    for m in (
        ProbeMetric(
            "swap.flip_rate",
            "the share of {negative} {noun} newly {flagged} when the term is swapped in, beyond the share a neutral control word "
            "newly {flagged}",
            "flip_rate_beyond_control",
        ),
        ProbeMetric(
            "swap.score_delta",
            "the mean change in score when the term is swapped in, beyond the change a neutral control word makes",
            "score_delta_beyond_control",
        ),
        ProbeMetric(
            "bpsn_auc",
            "how well scores tell {positive} {noun} that do not mention the term from {negative} ones that do (0.5 is chance)",
            "bpsn_auc",
        ),
    )
}
PROBE_METRICS: tuple[str, ...] = tuple(PROBE_METRIC_TABLE)

ENTITY_TYPES: dict[str, EntityType] = {
    e.key: e
    for e in (
        EntityType("PHONE_NUMBER", "phone numbers", in_artifacts=True),
        EntityType("EMAIL_ADDRESS", "e-mail addresses", in_artifacts=True, shadows_url=True),
        EntityType("SOCIAL_HANDLE", "social-media handles", in_artifacts=True, shadows_url=True),
        EntityType("MESSENGER_LINK", "messenger links", in_artifacts=True, shadows_url=True),
        EntityType("PERSON", "names of people"),
        EntityType("URL", "web addresses"),
        EntityType("IP_ADDRESS", "IP addresses"),
        EntityType("CREDIT_CARD", "payment card numbers", in_artifacts=True),
        EntityType("IBAN_CODE", "bank account numbers (IBAN)", in_artifacts=True),
        EntityType("CRYPTO", "cryptocurrency wallet addresses", in_artifacts=True),
        EntityType("US_SSN", "US social security numbers", in_artifacts=True),
        EntityType("LOCATION", "places", default=False, needs_ner=True),
        EntityType("NRP", "nationalities, religious or political groups", default=False, needs_ner=True),
        EntityType("ORGANIZATION", "organizations", default=False, needs_ner=True),
    )
}

DEFAULT_ENTITIES: tuple[str, ...] = tuple(e.key for e in ENTITY_TYPES.values() if e.default)
NER_ONLY_ENTITIES: tuple[str, ...] = tuple(e.key for e in ENTITY_TYPES.values() if e.needs_ner)
ARTIFACT_ENTITIES: tuple[str, ...] = tuple(e.key for e in ENTITY_TYPES.values() if e.in_artifacts)
URL_SHADOWING_ENTITIES: tuple[str, ...] = tuple(e.key for e in ENTITY_TYPES.values() if e.shadows_url)

#: Which finding keeps a stretch of text when two overlap: the more specific explanation wins, once, here.
#: A phone number inside a messenger link is the link; digits that are a card, an SSN or an IP address are
#: not also a phone; an e-mail address is not also a handle or a URL.
OVERLAP_PRIORITY: tuple[str, ...] = (
    "MESSENGER_LINK",
    "EMAIL_ADDRESS",
    "CRYPTO",
    "IBAN_CODE",
    "CREDIT_CARD",
    "US_SSN",
    "IP_ADDRESS",
    "SOCIAL_HANDLE",
    "PHONE_NUMBER",
    "URL",
    "PERSON",
)

#: ISO country codes whose phone-number formats the scanner accepts unless the config lists its own.
DEFAULT_PHONE_REGIONS: tuple[str, ...] = ("US", "GB", "DE", "FR", "IN", "PH", "NG", "RO", "MX", "ES", "BR", "RU", "TH")


@dataclass(frozen=True)
class VerificationRate:
    """A per-group error rate of a face-matching (verification) system at one operating point."""

    key: str
    title: str
    plain: str
    pairs: Literal["impostor", "genuine"]


#: Verification rates: FMR over impostor comparisons (two different people) where both sides are in the group,
#: FNMR over genuine comparisons (the same person twice) of the group's subjects.
VERIFICATION_RATES: dict[str, VerificationRate] = {
    r.key: r
    for r in (
        VerificationRate("fmr", "False match rate", "share of comparisons of two different people wrongly declared a match", "impostor"),
        VerificationRate("fnmr", "False non-match rate", "share of comparisons of the same person wrongly declared no match", "genuine"),
    )
}

#: Between-group summaries of one verification rate: gate name ``<rate>_<key>`` -> plain words.
VERIFICATION_RATE_SUMMARIES: dict[str, str] = {
    "max_over_min": "the highest group's rate divided by the lowest group's",
    "max_over_geomean": "the highest group's rate divided by the geometric mean of all groups' rates (NIST's preferred summary)",
    "gini": "the Gini coefficient of the groups' rates (0: all equal; near 1: one group carries all errors)",
}

#: Summaries that weigh FMR and FNMR together (gate name = key), with their published definitions.
VERIFICATION_JOINT_SUMMARIES: dict[str, str] = {
    "fairness_discrepancy_rate": "Fairness Discrepancy Rate (FDR; de Freitas Pereira & Marcel, 2021): "
    "1 - (a x largest FMR gap + (1 - a) x largest FNMR gap); 1 is fair",
    "garbe": "Gini Aggregation Rate for Biometric Equitability (GARBE; Howard et al., 2022): a x Gini(FMR) + (1 - a) x Gini(FNMR), "
    "each Gini with the sample correction n / (n - 1); "
    "0 is fair",
}


def verification_gate_metrics() -> list[str]:
    """What a verification gate can name (each also as ``<name>@<target FMR>``, e.g. ``fmr@1e-04``): a group's rate, its
    ratio to the reference group, a summary of one rate over the groups, or a summary of both."""
    return [
        *VERIFICATION_RATES,
        *(f"{rate}_ratio" for rate in VERIFICATION_RATES),
        *(f"{rate}_{summary}" for rate in VERIFICATION_RATES for summary in VERIFICATION_RATE_SUMMARIES),
        *VERIFICATION_JOINT_SUMMARIES,
    ]


def verification_metric_name(metric: str, point_key: str) -> str:
    """A verification metric at one operating point: ``fmr@1e-04``, ``fnmr@1e-04``, ``garbe@threshold=0.62``, ``fmr@decision``."""
    return f"{metric}@{point_key.removeprefix('fmr@')}"


def mlflow_metric_key(key: str) -> str:
    """A metric name as MLflow accepts it: MLflow refuses '@' and '=', so ``fmr@1e-04/sex/female`` is logged as
    ``fmr_at_1e-04/sex/female`` and ``fmr@threshold=0.6/...`` as ``fmr_at_threshold_0.6/...``."""
    return key.replace("@", "_at_").replace("=", "_")


def verification_point_key(*, target_fmr: float | None = None, threshold: float | None = None) -> str:
    """The name of an operating point in gate metrics, audit.json and MLflow.

    ``fmr@1e-04`` for the threshold where one impostor comparison in 10,000 matches overall, ``threshold=0.62``
    for a fixed threshold, ``decision`` for the system's own match decisions.
    """
    if target_fmr is not None:
        mantissa, exponent = f"{target_fmr:.6e}".split("e")
        return f"fmr@{mantissa.rstrip('0').rstrip('.')}e{exponent}"
    if threshold is not None:
        return f"threshold={threshold:g}"
    return "decision"


def metric_kind(key: str) -> MetricKind:
    """Whether ``key`` is a count metric (from cell counts) or a score metric.

    Raises
    ------
    KeyError
        For a name that is neither.
    """
    if key in COUNT_METRICS:
        return "count"
    if key in SCORE_METRICS:
        return "score"
    raise KeyError(key)
