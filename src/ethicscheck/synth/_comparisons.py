"""Synthetic face-matching comparisons with planted demographic differentials (no images: subjects, groups, scores).

Every subject belongs to one group and has a *subject effect* ``u`` (some faces resemble many others).
An impostor comparison of subjects ``a`` and ``b`` scores ``mu + u_a + u_b + e``, a genuine comparison of
subject ``s`` scores ``mu_genuine + v_s + e``; every score is standard normal around its mean, so the
subject effects correlate the comparisons that share a person without changing any rate.

The planted differentials are exact at the *reference operating point*: with ``z`` the score a baseline
impostor exceeds with probability ``base_fmr``, a group's same-group impostors exceed ``z`` with
probability ``fmr_factor x base_fmr`` and its genuine comparisons fall below ``z`` with probability
``fnmr_factor x base_fnmr``. :meth:`ComparisonSpec.true_fmr` and :meth:`ComparisonSpec.true_fnmr` give a
group's true rates at any threshold, the truth a simulation study compares the audit with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri  # the normal distribution's functions, without importing scipy.stats (~1 s)

__all__ = ["ComparisonArrays", "ComparisonSpec", "comparison_arrays", "generate_comparisons"]


@dataclass(frozen=True)
class ComparisonSpec:
    """What to generate.

    Attributes
    ----------
    fmr_factor : mapping of str to float
        Groups of the attribute ``attribute`` and their same-group FMR relative to the baseline (1.0: none planted).
    fnmr_factor : mapping of str to float
        Their FNMR relative to the baseline; groups not listed get 1.0.
    subjects_per_group : int
        Subjects drawn per group.
    impostors_per_group : int
        Impostor comparisons between two members of each group.
    cross_impostors : int
        Impostor comparisons between members of different groups (they score lower: ``cross_shift``).
    genuine_per_subject : int
        Genuine comparisons per subject.
    base_fmr, base_fnmr : float
        The baseline rates at the reference operating point.
    subject_sd : float
        Standard deviation of the subject effect (0: comparisons independent).
    attribute : str
        Name of the planted attribute; a second, unplanted attribute ``region`` (two values) is added.
    """

    fmr_factor: Mapping[str, float] = field(default_factory=lambda: {"female": 3.0, "male": 1.0})
    fnmr_factor: Mapping[str, float] = field(default_factory=dict)
    subjects_per_group: int = 500
    impostors_per_group: int = 100_000
    cross_impostors: int = 100_000
    genuine_per_subject: int = 2
    base_fmr: float = 1e-3
    base_fnmr: float = 0.02
    subject_sd: float = 0.3
    cross_shift: float = -0.5
    attribute: str = "sex"

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple(self.fmr_factor)

    @property
    def reference_score(self) -> float:
        """The score a baseline impostor comparison exceeds with probability ``base_fmr``."""
        return float(-ndtri(self.base_fmr))  # scipy.stats.norm.isf

    def impostor_mean(self, group: str) -> float:
        return self.reference_score - float(-ndtri(self.base_fmr * self.fmr_factor[group]))

    def genuine_mean(self, group: str) -> float:
        return self.reference_score + float(-ndtri(self.base_fnmr * self.fnmr_factor.get(group, 1.0)))

    def true_fmr(self, group: str, threshold: float) -> float:
        """Probability that a same-group impostor comparison scores at or above ``threshold``."""
        return float(ndtr(-(threshold - self.impostor_mean(group))))  # scipy.stats.norm.sf

    def true_fnmr(self, group: str, threshold: float) -> float:
        """Probability that a genuine comparison of the group scores below ``threshold``."""
        return float(ndtr(threshold - self.genuine_mean(group)))  # scipy.stats.norm.cdf


@dataclass(frozen=True)
class ComparisonArrays:
    """Generated comparisons as arrays (for large simulations); :func:`generate_comparisons` makes a table of them."""

    subject_a: np.ndarray
    subject_b: np.ndarray
    genuine: np.ndarray
    similarity: np.ndarray
    subject_group: np.ndarray
    subject_region: np.ndarray
    groups: tuple[str, ...]
    regions: tuple[str, ...]


def comparison_arrays(spec: ComparisonSpec, *, seed: int = 0, dtype: type[np.floating] = np.float64) -> ComparisonArrays:
    """Draw subjects, their effects and every comparison of ``spec`` (impostors grouped first, then genuine)."""
    rng = np.random.default_rng(seed)
    groups = spec.groups
    n_per = spec.subjects_per_group
    n_subjects = n_per * len(groups)
    subject_group = np.repeat(np.arange(len(groups)), n_per)
    subject_region = rng.integers(0, 2, n_subjects)
    effect = rng.normal(0.0, spec.subject_sd, n_subjects)
    # Every score has unit variance: the pair noise fills what the subject effects leave.
    impostor_noise = float(np.sqrt(max(1.0 - 2 * spec.subject_sd**2, 1e-6)))
    genuine_noise = float(np.sqrt(max(1.0 - spec.subject_sd**2, 1e-6)))
    n_within = spec.impostors_per_group * len(groups)
    n_genuine = spec.genuine_per_subject * n_subjects
    total = n_within + spec.cross_impostors + n_genuine
    subject_a = np.empty(total, dtype=np.int32)
    subject_b = np.empty(total, dtype=np.int32)
    mean = np.empty(total, dtype=dtype)
    for g, name in enumerate(groups):
        part = slice(g * spec.impostors_per_group, (g + 1) * spec.impostors_per_group)
        first = rng.integers(0, n_per, spec.impostors_per_group, dtype=np.int32)
        other = (first + rng.integers(1, n_per, spec.impostors_per_group, dtype=np.int32)) % n_per  # never the same subject
        subject_a[part], subject_b[part] = first + g * n_per, other + g * n_per
        mean[part] = spec.impostor_mean(name)
    cross = slice(n_within, n_within + spec.cross_impostors)
    if spec.cross_impostors:
        ga = rng.integers(0, len(groups), spec.cross_impostors)
        gb = (ga + rng.integers(1, max(len(groups), 2), spec.cross_impostors)) % len(groups)
        subject_a[cross] = ga * n_per + rng.integers(0, n_per, spec.cross_impostors)
        subject_b[cross] = gb * n_per + rng.integers(0, n_per, spec.cross_impostors)
        mean[cross] = spec.cross_shift
    genuine_part = slice(n_within + spec.cross_impostors, total)
    owners = np.repeat(np.arange(n_subjects, dtype=np.int32), spec.genuine_per_subject)
    subject_a[genuine_part] = subject_b[genuine_part] = owners
    mean[genuine_part] = np.array([spec.genuine_mean(name) for name in groups], dtype=dtype)[subject_group[owners]]
    genuine = np.zeros(total, dtype=bool)
    genuine[genuine_part] = True
    similarity = rng.standard_normal(total, dtype=dtype)
    similarity[~genuine] *= impostor_noise
    similarity[genuine] *= genuine_noise
    similarity += mean
    similarity += effect.astype(dtype)[subject_a]
    similarity[~genuine] += effect.astype(dtype)[subject_b[~genuine]]
    return ComparisonArrays(subject_a, subject_b, genuine, similarity, subject_group, subject_region, groups, ("north", "south"))


def generate_comparisons(spec: ComparisonSpec | None = None, *, seed: int = 0) -> pd.DataFrame:
    """A comparisons table as a face-matching system's evaluation would produce it.

    Returns
    -------
    DataFrame
        Columns ``subject_a, subject_b, <attribute>_a, <attribute>_b, region_a, region_b, similarity, same_person``
        (1 for genuine comparisons, 0 for impostor ones); subject ids are ``S00001``-style codes.
    """
    spec = spec or ComparisonSpec()
    arrays = comparison_arrays(spec, seed=seed)
    width = len(str(len(arrays.subject_group)))
    ids = np.array([f"S{i:0{width}d}" for i in range(len(arrays.subject_group))], dtype=object)
    groups = np.array(arrays.groups, dtype=object)[arrays.subject_group]
    regions = np.array(arrays.regions, dtype=object)[arrays.subject_region]
    return pd.DataFrame(
        {
            "subject_a": ids[arrays.subject_a],
            "subject_b": ids[arrays.subject_b],
            f"{spec.attribute}_a": groups[arrays.subject_a],
            f"{spec.attribute}_b": groups[arrays.subject_b],
            "region_a": regions[arrays.subject_a],
            "region_b": regions[arrays.subject_b],
            "similarity": np.round(arrays.similarity, 6),
            "same_person": arrays.genuine.astype(int),
        }
    )
