"""The card's charts, drawn with matplotlib as SVG: error rates, disparities, thresholds, personal data.

Every function returns a :class:`Chart` (a standalone SVG plus the words a screen reader says), or
``None`` when there is nothing to draw. Colours are Okabe-Ito; every group name is drawn as plain
text that matplotlib escapes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeGuard

import numpy as np

from ethicscheck._plotting import GREY, INK, OKABE_ITO, chart_style, figure_svg, inline_svg
from ethicscheck.config import OutcomeWords
from ethicscheck.fairness import Estimate, FeatureResult, GroupResult
from ethicscheck.privacy import PrivacyResult

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["Chart", "rate_chart", "forest_chart", "threshold_chart", "pii_chart", "MAX_ROWS"]

MAX_ROWS = 40  # groups drawn per chart; every group stays in the table
_MAX_CURVES = 8  # one Okabe-Ito colour each
_FPR_COLOUR, _FNR_COLOUR = OKABE_ITO[0], OKABE_ITO[1]


@dataclass(frozen=True)
class Chart:
    """One chart: a file-name key, a title, a plain description (alt text) and the SVG document."""

    key: str
    title: str
    description: str
    svg: str

    def inline(self, prefix: str) -> str:
        """The SVG ready to sit inside the HTML card (ids prefixed, labelled for screen readers)."""
        return inline_svg(self.svg, prefix=prefix, title=self.title, description=self.description)


def _label(text: str, width: int = 34) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _height(rows: int) -> float:
    return 1.2 + 0.28 * rows


def _shown_groups(feature: FeatureResult) -> list[GroupResult]:
    return list(feature.groups)[:MAX_ROWS]


def _more_note(ax: Axes, feature: FeatureResult) -> None:
    hidden = len(feature.groups) - MAX_ROWS
    if hidden > 0:
        ax.annotate(
            f"{hidden} more groups in the table",
            xy=(0, 0),
            xycoords="figure fraction",
            xytext=(4, 4),
            textcoords="offset points",
            color=GREY,
        )


def rate_chart(feature: FeatureResult, *, noun: str, confidence: str, words: OutcomeWords | None = None) -> Chart:
    """FPR (left) and FNR (right) per group, with CI whiskers and the reference group's rate dashed.

    Groups whose denominator is below the minimum size are hollow markers, undefined rates are left out.
    """
    words = words or OutcomeWords()
    groups = _shown_groups(feature)
    reference = feature.group(feature.reference)
    with chart_style() as plt:
        figure, axes = plt.subplots(1, 2, figsize=(9, _height(len(groups))), sharey=True)
        y = np.arange(len(groups))[::-1]
        for ax, key, colour, heading in (
            (axes[0], "fpr", _FPR_COLOUR, f"Wrongly {words.flagged} (FPR)"),
            (axes[1], "fnr", _FNR_COLOUR, f"{words.missed.capitalize()} (FNR)"),
        ):
            _dot_whiskers(ax, y, [g.metrics[key] for g in groups], colour)
            ref = reference.metrics[key].value
            if ref is not None:
                ax.axvline(ref, color=INK, linestyle="--", linewidth=1, label=f"reference: {_label(feature.reference, 24)}")
                ax.legend(loc="lower right", frameon=False, fontsize=8)
            ax.set_title(heading, loc="left")
            ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{100 * v:.3g}%"))
            ax.set_xlim(left=0)
            ax.grid(axis="x", color="#e6e6e6")
        axes[0].set_yticks(y, [_label(g.group + (" (ref.)" if g.is_reference else "")) for g in groups])
        axes[0].set_ylim(-0.7, len(groups) - 0.3)
        _more_note(axes[0], feature)
        figure.tight_layout()
        svg = figure_svg(figure)
    described = _describe_rates(feature, groups)
    return Chart(
        key="rates",
        title=f"Wrongly {words.flagged} and {words.missed} {noun} by {feature.name}",
        description=(
            f"Dots are rates, whiskers {confidence} confidence intervals, hollow dots groups with too few {noun}; "
            f"the dashed line is the reference group “{feature.reference}”. {described}"
        ),
        svg=svg,
    )


def _dot_whiskers(
    ax: Axes, y: np.ndarray, estimates: list[Estimate | None], colour: str, *, offset: float = 0.0, marker: str = "o"
) -> None:
    for row, estimate in zip(y, estimates):
        if estimate is None or estimate.value is None:
            continue
        solid = estimate.status == "ok"
        if estimate.ci_low is not None and estimate.ci_high is not None:
            ax.plot([estimate.ci_low, estimate.ci_high], [row + offset] * 2, color=colour, linewidth=1.6, alpha=1.0 if solid else 0.5)
        ax.plot(
            [estimate.value],
            [row + offset],
            marker=marker,
            markersize=6,
            color=colour,
            markerfacecolor=colour if solid else "white",
            linestyle="none",
        )


def _describe_rates(feature: FeatureResult, groups: list[GroupResult]) -> str:
    rates = [(g.group, g.metrics["fpr"].value) for g in groups if g.metrics["fpr"].status == "ok"]
    ranked = sorted(((group, rate) for group, rate in rates if rate is not None), key=lambda pair: -pair[1])
    if not ranked:
        return "No group has enough data for a false-positive rate."
    group, rate = ranked[0]
    return f"Highest false-positive rate: “{group}”, {100 * rate:.1f}%."


def forest_chart(feature: FeatureResult, *, band: tuple[float, float], confidence: str, words: OutcomeWords | None = None) -> Chart | None:
    """Ratio to the reference group per group (FPR filled, FNR hollow) with CIs, on a log scale.

    The shaded band is the parity band (``band``); a group whose whole interval lies right of it is
    wrongly flagged clearly more often than the reference.
    """
    words = words or OutcomeWords()
    others = [g for g in _shown_groups(feature) if not g.is_reference]
    # a row with no ratio a log scale can show (too little data, or a rate of 0) would be an empty row
    groups = [g for g in others if any(_drawable(g.ratio.get(key)) for key in ("fpr", "fnr"))]
    values = [e for g in groups for e in (g.ratio.get("fpr"), g.ratio.get("fnr")) if _drawable(e)]
    if not values:
        return None
    finite = [v for e in values for v in (e.value, e.ci_low, e.ci_high) if v is not None and v > 0 and math.isfinite(v)]
    low, high = min([*finite, band[0]]) / 1.3, max([*finite, band[1]]) * 1.3
    legend_inches = 0.45
    with chart_style() as plt:
        height = _height(len(groups)) + legend_inches
        figure, ax = plt.subplots(figsize=(9, height))
        y = np.arange(len(groups))[::-1]
        ax.axvspan(*band, color="#e8e8e8", zorder=0, label=f"parity band {band[0]:g}–{band[1]:g}")
        ax.axvline(1.0, color=INK, linewidth=1)
        for key, colour, offset, name in (
            ("fpr", _FPR_COLOUR, 0.15, f"FPR ratio (wrongly {words.flagged})"),
            ("fnr", _FNR_COLOUR, -0.15, f"FNR ratio ({words.missed})"),
        ):
            estimates = [_clipped(g.ratio.get(key), low, high) for g in groups]
            _dot_whiskers(ax, y, estimates, colour, offset=offset, marker="o" if key == "fpr" else "s")
            ax.plot([], [], marker="o" if key == "fpr" else "s", color=colour, linestyle="none", label=name)
        ax.set_xscale("log")
        ax.set_xlim(low, high)
        ticks = [t for t in (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 0.8, 1, 1.25, 2, 5, 10, 20, 50, 100) if low <= t <= high]
        ax.xaxis.set_major_locator(plt.FixedLocator(ticks))
        ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:g}×"))
        ax.xaxis.set_minor_locator(plt.NullLocator())
        ax.set_yticks(y, [_label(g.group) for g in groups])
        ax.set_ylim(-0.7, len(groups) - 0.3)
        ax.set_xlabel(f"rate ÷ reference group's rate (log scale; 1 = same as “{_label(feature.reference, 24)}”)")
        figure.legend(*ax.get_legend_handles_labels(), loc="lower center", ncol=3, frameon=False, fontsize=8)
        ax.grid(axis="x", color="#e6e6e6", which="both")
        figure.tight_layout(rect=(0, legend_inches / height, 1, 1))  # the legend sits right under the axis label
        svg = figure_svg(figure)
    over = [g.group for g in groups if (r := g.ratio.get("fpr")) is not None and r.ci_low is not None and r.ci_low > band[1]]
    said = (
        f"Groups clearly above the band for false positives: {', '.join(over)}."
        if over
        else "No group's false-positive ratio lies clearly above the band."
    )
    undrawn = len(others) - len(groups)
    if undrawn:
        said += f" {undrawn} group(s) have no ratio a log scale can show (too little data, or a rate of 0) and are only in the table."
    return Chart(
        key="disparity",
        title=f"How much more often each {feature.name} group is wrongly {words.flagged} or {words.missed} than “{feature.reference}”",
        description=f"Forest plot of ratios to the reference group with {confidence} confidence intervals on a log scale; the grey "
        f"band is parity ({band[0]:g}–{band[1]:g}). {said}",
        svg=svg,
    )


def _drawable(estimate: Estimate | None) -> TypeGuard[Estimate]:
    """A ratio a log scale can show: defined, positive and finite."""
    return estimate is not None and estimate.value is not None and estimate.value > 0 and math.isfinite(estimate.value)


def _clipped(estimate: Estimate | None, low: float, high: float) -> Estimate | None:
    """Infinite or zero ratio bounds drawn to the edge of the axis instead of breaking the log scale."""
    if estimate is None or not estimate.value:
        return None

    def clip(value: float | None) -> float | None:
        return None if value is None else min(max(value, low), high)

    return Estimate(clip(estimate.value), clip(estimate.ci_low), clip(estimate.ci_high), estimate.status)


def threshold_chart(
    feature: FeatureResult, *, noun: str, decision_threshold: float | None = None, words: OutcomeWords | None = None
) -> Chart | None:
    """FPR and FNR against the decision threshold for the largest groups.

    Two thresholds are marked and labelled on the chart, so neither is taken for the other: the
    operating threshold the model is audited at (``decision_threshold``, solid) and, for comparison,
    the threshold at which all rows together would have the target false-positive rate (dotted).
    """
    words = words or OutcomeWords()
    analysis = feature.thresholds
    if analysis is None or not analysis.groups:
        return None
    sizes = {g.group: g.n for g in feature.groups}
    curves = sorted(analysis.groups, key=lambda c: -sizes.get(c.group, 0))[:_MAX_CURVES]
    grid = np.asarray(analysis.grid, dtype=float)
    target = f"{100 * analysis.target_fpr:g}%"
    comparison = analysis.operating_threshold  # named so in audit.json; it is the target-FPR point, not the threshold in use
    columns = 8 if max(len(_label(c.group, 24)) for c in curves) <= 12 else 4
    legend_rows = math.ceil(len(curves) / columns)
    with chart_style() as plt:
        figure, axes = plt.subplots(1, 2, figsize=(9, 3.6 + 0.25 * legend_rows), sharex=True)
        for colour, curve in zip(OKABE_ITO, curves):
            fpr = np.array([np.nan if v is None else v for v in curve.fpr], dtype=float)
            fnr = 1.0 - np.array([np.nan if v is None else v for v in curve.tpr], dtype=float)
            axes[0].plot(grid, fpr, color=colour, linewidth=1.4, label=_label(curve.group, 24))
            axes[1].plot(grid, fnr, color=colour, linewidth=1.4)
        # the lower of the two thresholds is labelled on its left, the other on its right, so labels never cover a line
        operating_left = decision_threshold is not None and decision_threshold <= comparison
        for ax, heading in zip(axes, (f"Wrongly {words.flagged} (FPR)", f"{words.missed.capitalize()} (FNR)")):
            if decision_threshold is not None:
                ax.axvline(decision_threshold, color=INK, linewidth=1.6)
                _threshold_label(ax, decision_threshold, f"operating threshold\n{decision_threshold:g} (in use)", INK, left=operating_left)
            ax.axvline(comparison, color=GREY, linestyle=":", linewidth=1.2)
            _threshold_label(ax, comparison, f"{target} overall FPR at\n{comparison:.2f} (not in use)", GREY, left=not operating_left)
            ax.set_title(heading, loc="left")
            ax.set_xlabel(f"decision threshold (score at or above it is {words.flagged})")
            ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{100 * v:.0f}%"))
            ax.set_ylim(-0.02, 1.2)  # headroom for the threshold labels
            ax.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
            ax.grid(color="#eeeeee")
        figure.legend(loc="lower center", ncol=min(len(curves), columns), frameon=False, fontsize=7.5)
        figure.tight_layout(rect=(0, 0.03 + 0.06 * legend_rows, 1, 1))
        svg = figure_svg(figure)
    hidden = len(analysis.groups) - len(curves)
    in_use = (
        f"the solid line is the operating threshold the model is audited at ({decision_threshold:g}); "
        if decision_threshold is not None
        else ""
    )
    return Chart(
        key="thresholds",
        title=f"Error rates by decision threshold, by {feature.name}",
        description=(
            f"Lines show how each group's false-positive and false-negative rates change as the threshold moves; {in_use}"
            f"the dotted line, for comparison only, is the threshold at which all {noun} together would have a {target} "
            f"false-positive rate ({comparison:.3g})."
            + (f" The {len(curves)} largest groups are drawn; {hidden} more are in audit.json." if hidden > 0 else "")
        ),
        svg=svg,
    )


def _threshold_label(ax: Axes, x: float, text: str, colour: str, *, left: bool) -> None:
    """A label at the top of a vertical threshold line, on its left or right side."""
    ax.annotate(
        text,
        xy=(x, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(-4 if left else 4, -3),
        textcoords="offset points",
        ha="right" if left else "left",
        va="top",
        fontsize=7.5,
        color=colour,
    )


def pii_chart(privacy: PrivacyResult | None, *, noun: str) -> Chart | None:
    """Share of scanned rows containing each type of personal data, per scanned column."""
    if privacy is None:
        return None
    bars = [
        (f"{e.entity_type}" + (f" ({c.column})" if len(privacy.columns) > 1 else ""), e.row_rate)
        for c in privacy.columns
        for e in c.entities
        if e.rows_affected
    ]
    if not bars:
        return None
    bars.sort(key=lambda bar: bar[1])
    with chart_style() as plt:
        figure, ax = plt.subplots(figsize=(7, _height(len(bars))))
        y = np.arange(len(bars))
        ax.barh(y, [rate for _, rate in bars], color=OKABE_ITO[2])
        ax.set_yticks(y, [_label(name) for name, _ in bars])
        ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{100 * v:.3g}%"))
        ax.set_xlabel(f"share of scanned {noun} containing it")
        for row, (_, rate) in zip(y, bars):
            ax.annotate(f"{100 * rate:.1f}%", (rate, row), xytext=(3, -3), textcoords="offset points", fontsize=8, color=INK)
        ax.set_title("Personal data found in the evaluation data", loc="left")
        figure.tight_layout()
        svg = figure_svg(figure)
    top = bars[-1]
    return Chart(
        key="pii",
        title="Personal data found in the evaluation data, by type",
        description=f"Bars show the share of scanned {noun} containing each type of personal data; the most common is {top[0]} "
        f"({100 * top[1]:.1f}%).",
        svg=svg,
    )
