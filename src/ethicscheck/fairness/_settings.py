"""Options of one fairness assessment, passed between the stage's modules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["AssessSettings", "RateCI", "BootstrapMode"]

RateCI = Literal["wilson", "bootstrap"]
BootstrapMode = Literal["stratified", "pooled"]


@dataclass(frozen=True)
class AssessSettings:
    """How rates, comparisons and their uncertainty are computed.

    Attributes
    ----------
    metrics : tuple of str
        Count-based rates to report.
    confidence_level : float
        Level of every interval.
    n_boot : int
        Bootstrap replicates (0: closed-form intervals only).
    min_group_size : int
        Denominator below which a rate is ``insufficient_data``.
    rate_ci : {"wilson", "bootstrap"}
        Interval of a single group's rate.
    bootstrap : {"stratified", "pooled"}
        ``stratified`` keeps each group's size fixed; ``pooled`` resamples all rows, so group sizes vary.
    alpha : float
        Significance level used to flag tests after Holm's correction.
    """

    metrics: tuple[str, ...]
    confidence_level: float = 0.95
    n_boot: int = 1000
    min_group_size: int = 30
    rate_ci: RateCI = "wilson"
    bootstrap: BootstrapMode = "stratified"
    alpha: float = 0.05
