"""Which groups an intersection's section shows: those with enough data to compare, the rest counted.

An intersection multiplies groups (6 nationalities x 5 regions = 30) and most end up with too few rows
on one side of the label to state both error rates. Drawing and tabulating them all filled the demo
card with empty chart rows and table cells saying "insufficient data". The section instead shows the
groups with enough data for both the false-positive and the false-negative rate, the reference group,
and any group a finding names (a finding's "see the table" must find its row); one line counts the
rest. ``audit.json`` keeps every group. Single features are shown whole: their groups are few, and a
small group there is itself worth seeing.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace

from ethicscheck.fairness import FeatureResult, GroupResult

__all__ = ["SectionView", "section_view"]

#: The error rates a group needs enough data for to be compared in an intersection's section.
_COMPARED = ("fpr", "fnr")


@dataclass(frozen=True)
class SectionView:
    """A feature as its card section shows it, and how many groups were left out for lack of data."""

    feature: FeatureResult
    left_out: int

    def note(self, noun: str, min_group_size: int) -> str:
        """'23 more intersections have too little data to compare …', or '' when none was left out."""
        if not self.left_out:
            return ""
        groups = "intersection has" if self.left_out == 1 else "intersections have"
        return (
            f"{self.left_out} more {groups} too little data to compare (fewer than {min_group_size} {noun} on one side of "
            "the label, so one of the two error rates cannot be stated); they are left out of this section's charts and "
            "table, and kept in audit.json."
        )


def section_view(feature: FeatureResult, *, named: Collection[str] = ()) -> SectionView:
    """``feature`` with, for an intersection, only the groups that have enough data to compare (see module docs).

    Parameters
    ----------
    feature : FeatureResult
        The public view of one feature or intersection.
    named : collection of str
        Groups a finding names; they stay whatever their data.
    """
    if not feature.is_intersection:
        return SectionView(feature, 0)
    kept = tuple(g for g in feature.groups if g.is_reference or g.group in named or _comparable(g))
    if len(kept) == len(feature.groups):
        return SectionView(feature, 0)
    names = {g.group for g in kept}
    thresholds = feature.thresholds
    if thresholds is not None:
        thresholds = replace(thresholds, groups=tuple(c for c in thresholds.groups if c.group in names))
    return SectionView(replace(feature, groups=kept, thresholds=thresholds), len(feature.groups) - len(kept))


def _comparable(group: GroupResult) -> bool:
    return all(key in group.metrics and group.metrics[key].usable for key in _COMPARED)
