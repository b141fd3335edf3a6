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

from ethicscheck._values import equals_value
from ethicscheck.errors import DataError
from ethicscheck.fairness import encode_feature

__all__ = ["ComparisonColumns", "Comparisons", "SideFeature", "SubjectGroups"]

#: Joins the values of an intersectional group, as the classification audit does ("female & south").
_JOIN = " & "


@dataclass(frozen=True)
class SideFeature:
    """A demographic attribute read from two columns, one per side of the comparison."""

    name: str
    column_a: str
    column_b: str


@dataclass(frozen=True)
class ComparisonColumns:
    """How the columns of a comparisons table map onto comparisons: the keywords of :meth:`Comparisons.from_frame`.

    Every reader of comparisons (in memory, in batches) takes this, so they read the same columns the same way.
    """

    genuine_column: str
    subject_columns: tuple[str, str]
    features: tuple[SideFeature, ...]
    genuine_value: Any = 1
    score_column: str | None = None
    decision_column: str | None = None
    match_value: Any = 1
    higher_is_more_similar: bool = True
    intersections: Literal["all", "none"] | Sequence[Sequence[str]] = "all"
    source: str = "the comparisons file"

    def keywords(self) -> dict[str, Any]:
        """The keyword arguments of :meth:`Comparisons.from_frame`."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    @property
    def needed(self) -> list[str]:
        """Every column read, each once, in the order the missing ones are reported."""
        needed = [self.genuine_column, *self.subject_columns, *(c for f in self.features for c in (f.column_a, f.column_b))]
        needed += [c for c in (self.score_column, self.decision_column) if c is not None]
        return list(dict.fromkeys(needed))

    @property
    def grouping(self) -> tuple[str, ...]:
        """The columns read as categories (text): subject ids and every side's attributes."""
        return tuple(dict.fromkeys([*self.subject_columns, *(c for f in self.features for c in (f.column_a, f.column_b))]))

    def require(self, available: Sequence[str]) -> None:
        """Stop when a needed column is not among ``available``.

        Raises
        ------
        DataError
            Naming the missing columns and the first 20 available ones.
        """
        missing = [c for c in self.needed if c not in available]
        if missing:
            raise DataError(
                f"{self.source} has no column {', '.join(map(repr, missing))} (needed by the verification settings). "
                f"Available: {', '.join(map(str, available[:20]))}{', ...' if len(available) > 20 else ''}."
            )

    def genuine(self, frame: pd.DataFrame) -> np.ndarray:
        """True where a row's genuine column holds ``genuine_value`` (``1`` equals ``1.0`` and ``"1"``, as for labels)."""
        return np.asarray(equals_value(frame[self.genuine_column].to_numpy(), self.genuine_value), dtype=bool)

    def matched(self, frame: pd.DataFrame) -> np.ndarray:
        """True where the decision column holds ``match_value``."""
        assert self.decision_column is not None
        return np.asarray(equals_value(frame[self.decision_column].to_numpy(), self.match_value), dtype=bool)

    def scores(self, frame: pd.DataFrame) -> np.ndarray:
        """The score column as float64 (what is not a number becomes NaN: :func:`not_numeric_scores` reports it)."""
        assert self.score_column is not None
        return pd.to_numeric(frame[self.score_column], errors="coerce").to_numpy(dtype=float)

    def empty_genuine(self, n_empty: int) -> DataError:
        return DataError(
            f"Column '{self.genuine_column}' in {self.source} has {n_empty:,} empty value(s); "
            "every comparison must say whether it is genuine (same person) or impostor."
        )

    def empty_subjects(self, column: str, n_empty: int) -> DataError:
        return DataError(
            f"Column '{column}' in {self.source} has {n_empty:,} empty subject id(s); every side of a comparison needs its subject."
        )

    def not_numeric_scores(self, n_bad: int, row: int, value: Any) -> DataError:
        """``row``: the first bad row's position (0-based, after data.filter); ``value``: what it holds."""
        shown = value.item() if isinstance(value, np.generic) else value
        return DataError(
            f"Column '{self.score_column}' in {self.source} has {n_bad:,} value(s) that are not finite numbers "
            f"(first at row {row + 1}: {shown!r}). Every comparison needs a numeric score."
        )


def conflicting_groups(feature: SideFeature, n_conflicted: int, source: str) -> DataError:
    """The error for subjects whose attribute differs between rows or sides."""
    return DataError(
        f"{n_conflicted:,} subject(s) in {source} have more than one value of '{feature.name}' (columns '{feature.column_a}' and "
        f"'{feature.column_b}' disagree across rows or sides). A person's attributes must be the same wherever they appear: "
        "fix the attribute columns or the subject ids."
    )


def disagreeing_rows(row: int, genuine: bool, n_rows: int) -> DataError:
    """The error for rows whose genuine flag contradicts their subjects (``row``: the first, 0-based)."""
    which = "genuine (same person) but compares two different subjects" if genuine else "impostor but compares a subject with itself"
    return DataError(
        f"Comparison row {row + 1} is marked {which}; {n_rows:,} row(s) disagree like this. "
        "Check the genuine/impostor column and the two subject columns."
    )


def no_impostors() -> DataError:
    return DataError(
        "The comparisons contain no impostor pairs (two different people), so no false-match rate or threshold exists. "
        "Add comparisons of different subjects."
    )


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
            raise disagreeing_rows(row, bool(genuine[row]), int((same != genuine).sum()))
        if genuine.all():
            raise no_impostors()
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
        columns = ComparisonColumns(
            genuine_column=genuine_column,
            subject_columns=subject_columns,
            features=tuple(features),
            genuine_value=genuine_value,
            score_column=score_column,
            decision_column=decision_column,
            match_value=match_value,
            higher_is_more_similar=higher_is_more_similar,
            intersections=intersections,
            source=source,
        )
        columns.require([str(c) for c in frame.columns])
        if frame[genuine_column].isna().any():
            raise columns.empty_genuine(int(frame[genuine_column].isna().sum()))
        for column in subject_columns:
            if frame[column].isna().any():
                raise columns.empty_subjects(column, int(frame[column].isna().sum()))
        n = len(frame)
        ids = pd.concat([frame[subject_columns[0]], frame[subject_columns[1]]], ignore_index=True).astype("string")
        subject_codes, subject_ids = pd.factorize(ids)
        subject_codes = subject_codes.astype(np.int64)
        n_subjects = len(subject_ids)
        single = [_subject_groups(frame, f, subject_codes, n_subjects, source) for f in features]
        crossed = crossed_groups(single, features, intersections)
        score = None
        if score_column is not None:
            score = columns.scores(frame)
            bad = ~np.isfinite(score)
            if bad.any():
                row = int(np.flatnonzero(bad)[0])
                raise columns.not_numeric_scores(int(bad.sum()), row, frame[score_column].iloc[row])
        return cls.from_arrays(
            genuine=columns.genuine(frame),
            subject_a=subject_codes[:n],
            subject_b=subject_codes[n:],
            features=[*single, *crossed],
            score=score,
            matched=columns.matched(frame) if decision_column is not None else None,
            higher_is_more_similar=higher_is_more_similar,
        )


def crossed_groups(
    single: Sequence[SubjectGroups], features: Sequence[SideFeature], intersections: Literal["all", "none"] | Sequence[Sequence[str]]
) -> list[SubjectGroups]:
    """The intersections of the attributes (``single``: one per feature, in order) that ``intersections`` asks for."""
    names = [f.name for f in features]
    return [_intersect([single[names.index(name)] for name in combo]) for combo in intersection_combos(features, intersections)]


def _subject_groups(frame: pd.DataFrame, feature: SideFeature, subjects: np.ndarray, n_subjects: int, source: str) -> SubjectGroups:
    """One group per subject; a subject whose attribute differs between rows or sides is an error."""
    values = pd.concat([frame[feature.column_a], frame[feature.column_b]], ignore_index=True)
    encoded = encode_feature(values.rename(feature.name), name=feature.name)
    codes = encoded.codes.astype(np.int64)
    pairs = np.unique(subjects * encoded.n_groups + codes)
    per_subject = np.bincount(pairs // encoded.n_groups, minlength=n_subjects)
    if (per_subject > 1).any():
        raise conflicting_groups(feature, int((per_subject > 1).sum()), source)
    groups = np.empty(n_subjects, dtype=np.int64)
    groups[pairs // encoded.n_groups] = pairs % encoded.n_groups
    return SubjectGroups(name=feature.name, labels=encoded.labels, codes=groups)


def intersection_combos(
    features: Sequence[SideFeature], intersections: Literal["all", "none"] | Sequence[Sequence[str]]
) -> list[list[str]]:
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
