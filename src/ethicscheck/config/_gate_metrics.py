"""The metrics a gate can check, by kind: names from the vocabulary, parsed in one place for config validation and gates."""

from __future__ import annotations

from ethicscheck._vocabulary import (
    COUNT_METRICS,
    DETECTABLE_GATE_METRICS,
    FEATURE_SUMMARIES,
    GROUP_COMPARISONS,
    PRIVACY_METRIC_TABLE,
    PRIVACY_METRICS,
    PROBE_METRICS,
    SCORE_METRICS,
    GateMetricKind,
    feature_summaries,
    verification_gate_metrics,
)

__all__ = [
    "GateMetricKind",
    "gate_metric_kind",
    "gate_metric_rate",
    "verification_gate_target",
    "known_gate_metrics",
    "RATES",
    "FEATURE_SUMMARIES",
    "PRIVACY_METRICS",
]

#: Per-group rates a gate can name (``fpr``) and score metrics (``roc_auc``), from the vocabulary.
RATES: tuple[str, ...] = tuple(COUNT_METRICS)


def gate_metric_kind(name: str) -> GateMetricKind:
    """What a gate metric name refers to.

    ``fpr`` (a group's rate; also score metrics such as ``roc_auc``), ``fpr_ratio`` / ``fpr_difference``
    (a group compared with its reference), feature summaries (``equalized_odds_difference``,
    ``fpr_spread`` = max - min, ``fpr_min_over_max``, ``fpr_max_over_min``,
    ``fpr_max_ratio_to_reference``), privacy figures (``pii.inputs.row_rate``), term-swap probe figures
    (``swap.flip_rate``, ``swap.score_delta``, ``bpsn_auc``) and the smallest disparity the audit could have
    detected per group (``mdd.fpr_ratio``).

    Raises
    ------
    ValueError
        For an unknown name, listing the known ones.
    """
    # Read from the vocabulary on every call, so a count metric added to its table is gateable at once.
    if name in COUNT_METRICS or name in SCORE_METRICS:
        return "group_rate"
    if name.endswith("_ratio") and name.removesuffix("_ratio") in COUNT_METRICS:
        return "group_ratio"
    if name.endswith("_difference") and name.removesuffix("_difference") in COUNT_METRICS:
        return "group_difference"
    if name in feature_summaries():
        return "feature_summary"
    if name in PRIVACY_METRIC_TABLE:
        return "privacy"
    if name in PROBE_METRICS:
        return "probe"
    if verification_gate_target(name) is not None or name in verification_gate_metrics():
        return "verification"
    if name in DETECTABLE_GATE_METRICS:
        return "detectable"
    raise ValueError(f"unknown gate metric '{name}'; known: {', '.join(known_gate_metrics()[:12])}, ... (see the README's gate table)")


def gate_metric_rate(name: str) -> str | None:
    """The per-group rate a gate metric is computed from (None for privacy figures and for the
    equalized-odds and demographic-parity summaries, which are always computed).

    Examples
    --------
    >>> gate_metric_rate("fpr_ratio"), gate_metric_rate("tnr_spread"), gate_metric_rate("roc_auc")
    ('fpr', 'tnr', 'roc_auc')
    """
    kind = gate_metric_kind(name)
    if kind == "verification":
        return None
    if kind == "group_rate":
        return name
    if kind in ("group_ratio", "group_difference"):
        return name.rsplit("_", 1)[0]
    if kind == "detectable":
        return DETECTABLE_GATE_METRICS[name]
    if kind == "feature_summary":
        return next((r for r in COUNT_METRICS if feature_summaries()[name].startswith(f"{r}_")), None)
    return None


def known_gate_metrics() -> list[str]:
    return [
        *COUNT_METRICS,
        *SCORE_METRICS,
        *(f"{r}_{c}" for c in GROUP_COMPARISONS for r in COUNT_METRICS),
        *feature_summaries(),
        *PRIVACY_METRIC_TABLE,
        *PROBE_METRICS,
        *verification_gate_metrics(),
        *DETECTABLE_GATE_METRICS,
    ]


def verification_gate_target(name: str) -> float | None:
    """The target FMR of a verification gate written ``<metric>@<target>`` (``fmr@1e-04`` -> 1e-4), else None."""
    metric, at, target = name.partition("@")
    if not at or metric not in verification_gate_metrics():
        return None
    try:
        value = float(target)
    except ValueError:
        return None
    return value if 0 < value < 1 else None
