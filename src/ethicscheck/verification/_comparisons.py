"""A table of 1:1 comparisons, checked and encoded once: similarities, genuine or impostor, subjects, groups.

One row compares two images. Each side has a subject (the person) and that person's demographic
attributes; a subject's attributes are the same on every row and side it appears on, so groups are
stored once per subject and looked up for each side. A genuine comparison shows one person twice, an
impostor comparison two different people.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from ethicscheck.errors import DataError
from ethicscheck.fairness import encode_feature

__all__ = ["Comparisons", "SideFeature", "SubjectGroups"]

#: Joins the values of an intersectional group, as the classification audit does ("female & south").
_JOIN = " & "


@dataclass(frozen=True)
class SideFeature:
    """A demographic attribute read from two columns, one per side of the comparison."""

    name: str
    column_a: str
    column_b: str


@dataclass(frozen=True)
class SubjectGroups:
    """Every subject's group for one attribute or intersection of attributes.

    Attributes
    ----------
    name : str
        Display name (``sex``, ``sex & region``).
    labels : tuple of str
        Group label of each code.
    codes : ndarray of int
        The group code of every subject.
    """

    name: str
    labels: tuple[str, ...]
    codes: np.ndarray

    @property
    def n_groups(self) -> int:
        return len(self.labels)


@dataclass(frozen=True)
class Comparisons:
    """Checked comparisons, ready for :func:`~ethicscheck.verification.assess_verification`.

    Attributes
    ----------
    genuine : ndarray of bool
        True where both sides show the same person.
    subject_a, subject_b : ndarray of int
        Subject code of each side, in ``range(n_subjects)``.
    n_subjects : int
        Number of distinct subjects.
    features : tuple of SubjectGroups
        Groups of every subject, per attribute and intersection.
    similarity : ndarray of float or None
        Score on a higher-is-more-alike scale (distances arrive negated); None with decisions only.
    matched : ndarray of bool or None
        The system's own match decisions, when there is no score.
    higher_is_more_similar : bool
        The direction of the user's score; thresholds are reported back on that scale.
    """

    genuine: np.ndarray
    subject_a: np.ndarray
    subject_b: np.ndarray
    n_subjects: int
    features: tuple[SubjectGroups, ...]
    similarity: np.ndarray | None = None
    matched: np.ndarray | None = None
    higher_is_more_similar: bool = True

    @property
    def n_comparisons(self) -> int:
        return len(self.genuine)

    @classmethod
    def from_arrays(
        cls,
        *,
        genuine: np.ndarray,
        subject_a: np.ndarray,
        subject_b: np.ndarray,
        features: Sequence[SubjectGroups],
        score: np.ndarray | None = None,
        matched: np.ndarray | None = None,
        higher_is_more_similar: bool = True,
    ) -> Comparisons:
        """Wrap arrays that are already encoded (subject codes ``0..S-1``, groups per subject), checking them.

        Raises
        ------
        DataError
            No impostor comparison, a genuine comparison of two subjects or an impostor one of one subject,
            or neither (or both) of ``score`` and ``matched``.
        """
        if (score is None) == (matched is None):
            raise DataError("Give the comparisons either a score column or a decision column (exactly one).")
        genuine = np.asarray(genuine, dtype=bool)
        same = subject_a == subject_b
        if (same != genuine).any():
            row = int(np.flatnonzero(same != genuine)[0])
            which = (
                "genuine (same person) but compares two different subjects"
                if genuine[row]
                else "impostor but compares a subject with itself"
            )
            raise DataError(
                f"Comparison row {row + 1} is marked {which}; {int((same != genuine).sum()):,} row(s) disagree like this. "
                "Check the genuine/impostor column and the two subject columns."
            )
        if genuine.all():
            raise DataError(
                "The comparisons contain no impostor pairs (two different people), so no false-match rate or threshold exists. "
                "Add comparisons of different subjects."
            )
        n_subjects = int(max(subject_a.max(), subject_b.max())) + 1
        similarity = None
        if score is not None:
            similarity = score if higher_is_more_similar else -score
            if not np.isfinite(similarity).all():
                raise DataError("The score column has missing or infinite values; every comparison needs a finite score.")
        return cls(
            genuine=genuine,
            subject_a=subject_a,
            subject_b=subject_b,
            n_subjects=n_subjects,
            features=tuple(features),
            similarity=similarity,
            matched=None if matched is None else np.asarray(matched, dtype=bool),
            higher_is_more_similar=higher_is_more_similar,
        )

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        *,
        genuine_column: str,
        subject_columns: tuple[str, str],
        features: Sequence[SideFeature],
        genuine_value: Any = 1,
        score_column: str | None = None,
        decision_column: str | None = None,
        match_value: Any = 1,
        higher_is_more_similar: bool = True,
        intersections: Literal["all", "none"] | Sequence[Sequence[str]] = "all",
        source: str = "the comparisons file",
    ) -> Comparisons:
        """Read a comparisons table: one row per comparison, columns mapped by name.

        Parameters
        ----------
        frame : DataFrame
            The comparisons.
        genuine_column : str
            Column whose value ``genuine_value`` marks a genuine comparison (same person); any other value is an impostor one.
        subject_columns : (str, str)
            Subject id of side A and side B.
        features : sequence of SideFeature
            Demographic attributes, each read from one column per side.
        score_column, decision_column : str, optional
            A similarity score, or the system's match decisions (``match_value`` means matched). Exactly one.
        higher_is_more_similar : bool
            False for distances (a comparison matches at or below the threshold).
        intersections : 'all', 'none' or list of lists of feature names
            Which attributes are also crossed ("sex & region").
        source : str
            How error messages name the table.

        Raises
        ------
        DataError
            Missing columns, scores that are not numbers, missing subject ids, a subject whose attributes differ between
            rows or sides, or no impostor comparison.
        """
        needed = [genuine_column, *subject_columns, *(c for f in features for c in (f.column_a, f.column_b))]
        needed += [c for c in (score_column, decision_column) if c is not None]
        missing = [c for c in dict.fromkeys(needed) if c not in frame.columns]
        if missing:
            raise DataError(
                f"{source} has no column {', '.join(map(repr, missing))} (needed by the verification settings). "
                f"Available: {', '.join(map(str, frame.columns[:20]))}{', ...' if len(frame.columns) > 20 else ''}."
            )
        if frame[genuine_column].isna().any():
            raise DataError(
                f"Column '{genuine_column}' in {source} has {int(frame[genuine_column].isna().sum()):,} empty value(s); "
                "every comparison must say whether it is genuine (same person) or impostor."
            )
        for column in subject_columns:
            if frame[column].isna().any():
                raise DataError(
                    f"Column '{column}' in {source} has {int(frame[column].isna().sum()):,} empty subject id(s); "
                    "every side of a comparison needs its subject."
                )
        n = len(frame)
        ids = pd.concat([frame[subject_columns[0]], frame[subject_columns[1]]], ignore_index=True).astype("string")
        subject_codes, subject_ids = pd.factorize(ids)
        subject_codes = subject_codes.astype(np.int64)
        n_subjects = len(subject_ids)
        single = [_subject_groups(frame, f, subject_codes, n_subjects, source) for f in features]
        crossed = [
            _intersect([single[[f.name for f in features].index(name)] for name in combo]) for combo in _combos(features, intersections)
        ]
        score = None
        if score_column is not None:
            score = pd.to_numeric(frame[score_column], errors="coerce").to_numpy(dtype=float)
            bad = ~np.isfinite(score)
            if bad.any():
                row = int(np.flatnonzero(bad)[0])
                raise DataError(
                    f"Column '{score_column}' in {source} has {int(bad.sum()):,} value(s) that are not finite numbers "
                    f"(first at row {row + 1}: {frame[score_column].iloc[row]!r}). Every comparison needs a numeric score."
                )
        matched = None
        if decision_column is not None:
            matched = (frame[decision_column] == match_value).to_numpy(dtype=bool)
        return cls.from_arrays(
            genuine=(frame[genuine_column] == genuine_value).to_numpy(dtype=bool),
            subject_a=subject_codes[:n],
            subject_b=subject_codes[n:],
            features=[*single, *crossed],
            score=score,
            matched=matched,
            higher_is_more_similar=higher_is_more_similar,
        )


def _subject_groups(frame: pd.DataFrame, feature: SideFeature, subjects: np.ndarray, n_subjects: int, source: str) -> SubjectGroups:
    """One group per subject; a subject whose attribute differs between rows or sides is an error."""
    values = pd.concat([frame[feature.column_a], frame[feature.column_b]], ignore_index=True)
    encoded = encode_feature(values.rename(feature.name), name=feature.name)
    codes = encoded.codes.astype(np.int64)
    pairs = np.unique(subjects * encoded.n_groups + codes)
    per_subject = np.bincount(pairs // encoded.n_groups, minlength=n_subjects)
    if (per_subject > 1).any():
        conflicted = int((per_subject > 1).sum())
        raise DataError(
            f"{conflicted:,} subject(s) in {source} have more than one value of '{feature.name}' (columns '{feature.column_a}' and "
            f"'{feature.column_b}' disagree across rows or sides). A person's attributes must be the same wherever they appear: "
            "fix the attribute columns or the subject ids."
        )
    groups = np.empty(n_subjects, dtype=np.int64)
    groups[pairs // encoded.n_groups] = pairs % encoded.n_groups
    return SubjectGroups(name=feature.name, labels=encoded.labels, codes=groups)


def _combos(features: Sequence[SideFeature], intersections: Literal["all", "none"] | Sequence[Sequence[str]]) -> list[list[str]]:
    names = [f.name for f in features]
    if intersections == "none":
        return []
    if intersections == "all":
        return [names] if len(names) >= 2 else []
    unknown = [n for combo in intersections for n in combo if n not in names]
    if unknown:
        raise DataError(f"Intersection names unknown attribute(s) {', '.join(map(repr, unknown))}; known: {', '.join(names)}.")
    return [list(combo) for combo in intersections]


def _intersect(parts: list[SubjectGroups]) -> SubjectGroups:
    """Cross several attributes of every subject into one intersectional group."""
    keys = pd.MultiIndex.from_arrays([np.asarray(p.labels, dtype=object)[p.codes] for p in parts])
    codes, uniques = pd.factorize(keys, sort=True)
    labels = tuple(_JOIN.join(map(str, u)) for u in uniques)
    return SubjectGroups(name=_JOIN.join(p.name for p in parts), labels=labels, codes=codes.astype(np.int64))
