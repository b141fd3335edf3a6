"""Options of one fairness assessment: one typed object, built from a config in one place."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Literal

from ethicscheck._vocabulary import ALWAYS_RATE_METRICS, COUNT_METRICS, DEFAULT_RATE_METRICS
from ethicscheck.config import FairnessConfig

__all__ = ["AssessSettings", "RateCI", "BootstrapMode"]

RateCI = Literal["wilson", "bootstrap"]
BootstrapMode = Literal["stratified", "pooled"]


@dataclass(frozen=True, kw_only=True)
class AssessSettings:
    """How rates, comparisons and their uncertainty are computed.

    A field with the same name as a field of :class:`~ethicscheck.config.FairnessConfig` is filled from
    it by :meth:`from_config`, so a new fairness knob is a config field, a field here, and its use.

    Attributes
    ----------
    metrics : tuple of str
        Count-based rates to report; FPR and FNR are always included (first).
    confidence_level : float
        Level of every interval.
    n_boot : int
        Bootstrap replicates (0: closed-form intervals only).
    min_group_size : int
        Denominator below which a rate is ``insufficient_data``.
    max_groups : int
        Most groups one feature or intersection may have.
    rate_ci : {"wilson", "bootstrap"}
        Interval of a single group's rate.
    bootstrap : {"stratified", "pooled"}
        ``stratified`` keeps each group's size fixed; ``pooled`` resamples all rows, so group sizes vary.
    target_fpr : float
        Overall false-positive rate that fixes the operating point of the threshold analysis.
    calibration_bins : int
        Equal-width score bins of the reliability table and the ECE.
    alpha : float
        Significance level used to flag tests after Holm's correction.
    power : float
        Power at which the smallest detectable disparity of each group is stated.
    planning_ratio : float
        Disparity (ratio to the reference) for which a group too small to compare is told how many rows it needs.
    seed : int
        Seed of every resampling; the same seed gives the same intervals.
    """

    metrics: tuple[str, ...] = DEFAULT_RATE_METRICS
    confidence_level: float = 0.95
    n_boot: int = 1000
    min_group_size: int = 30
    max_groups: int = 1000
    rate_ci: RateCI = "wilson"
    bootstrap: BootstrapMode = "stratified"
    target_fpr: float = 0.01
    calibration_bins: int = 10
    alpha: float = 0.05
    power: float = 0.8
    planning_ratio: float = 1.25
    seed: int = 0

    def __post_init__(self) -> None:
        unknown = [m for m in self.metrics if m not in COUNT_METRICS]
        if unknown:
            raise ValueError(f"unknown metrics {unknown}; known: {sorted(COUNT_METRICS)}")
        object.__setattr__(self, "metrics", tuple(dict.fromkeys([*ALWAYS_RATE_METRICS, *self.metrics])))

    @classmethod
    def from_config(cls, config: FairnessConfig, *, seed: int) -> AssessSettings:
        """The settings a config's ``fairness:`` section asks for (every field of the same name), with ``seed``."""
        shared = {f.name: getattr(config, f.name) for f in fields(cls) if f.name in type(config).model_fields}
        return cls(**{**shared, "metrics": tuple(config.metrics), "seed": seed})
