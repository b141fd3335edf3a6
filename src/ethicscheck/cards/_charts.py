"""The card's charts, written as SVG: error rates, disparities, thresholds, personal data.

Every function returns a :class:`Chart` (a standalone SVG plus the words a screen reader says), or
``None`` when there is nothing to draw. Colours are Okabe-Ito; every group name is written as plain,
escaped text (:mod:`ethicscheck._svg`), one ``<text>`` element each.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeGuard

from ethicscheck._plotting import GREY, INK, OKABE_ITO, inline_svg
from ethicscheck._svg import TITLE_SIZE, Canvas, Scale, linear_ticks, text_width
from ethicscheck.config import OutcomeWords
from ethicscheck.fairness import Estimate, FeatureResult, GroupResult
from ethicscheck.privacy import PrivacyResult

__all__ = ["Chart", "rate_chart", "forest_chart", "threshold_chart", "pii_chart", "interval_chart", "MAX_ROWS"]

MAX_ROWS = 40  # groups drawn per chart; every group stays in the table
_MAX_CURVES = 8  # one Okabe-Ito colour each
_FPR_COLOUR, _FNR_COLOUR = OKABE_ITO[0], OKABE_ITO[1]
_WIDE, _NARROW = 648.0, 504.0  # 9 and 7 inches, in points
_ROW = 20.0  # points per group row
_TOP = 26.0  # room for an axes title above the plotting area
_LEGEND_SIZE = 8.0
_BAND = "#e8e8e8"


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


def _shown_groups(feature: FeatureResult) -> list[GroupResult]:
    return list(feature.groups)[:MAX_ROWS]


def _percent(value: float) -> str:
    return f"{100 * value:.3g}%"


def _more_note(canvas: Canvas, feature: FeatureResult) -> None:
    hidden = len(feature.groups) - MAX_ROWS
    if hidden > 0:
        canvas.text(4, canvas.height - 5, f"{hidden} more groups in the table", colour=GREY)


def _rows(count: int, top: float) -> tuple[Callable[[int], float], float]:
    """Where row ``i`` of ``count`` sits (first row at the top) and the plotting area's height."""
    return (lambda i: top + _ROW * (i + 0.7)), _ROW * (count + 0.4)


def _row_labels(canvas: Canvas, labels: Sequence[str], row_y: Callable[[int], float], *, x: float) -> None:
    for i, text in enumerate(labels):
        canvas.line(x - 3.5, row_y(i), x, row_y(i), width=0.8)
        canvas.text(x - 6, row_y(i), text, anchor="end", middle=True)


def _row_ticks(canvas: Canvas, count: int, row_y: Callable[[int], float], *, x: float) -> None:
    for i in range(count):
        canvas.line(x - 3.5, row_y(i), x, row_y(i), width=0.8)


def _spine(canvas: Canvas, x: float, top: float, bottom: float) -> None:
    canvas.line(x, top, x, bottom, colour=GREY, width=0.8)


def _legend(canvas: Canvas, entries: Sequence[tuple[Callable[[float, float], None], str]], *, y: float, centre: float) -> None:
    """One row of legend entries (a key drawn by its function at ``(x, y)``, then its words), centred on ``centre``."""
    widths = [22 + text_width(words, _LEGEND_SIZE) for _, words in entries]
    x = centre - (sum(widths) + 16 * (len(entries) - 1)) / 2
    for (key, words), width in zip(entries, widths):
        key(x, y)
        canvas.text(x + 22, y, words, size=_LEGEND_SIZE, middle=True)
        x += width + 16


def _upper(estimates: Sequence[Estimate | None], *extra: float | None) -> float:
    """The right end of a rate axis starting at 0: the largest value or bound drawn, plus 5%."""
    values = [v for e in estimates if e is not None and e.value is not None for v in (e.value, e.ci_high) if v is not None]
    values += [v for v in extra if v is not None]
    top = max([v for v in values if math.isfinite(v)], default=0.0)
    return 1.05 * top if top > 0 else 1.0


def rate_chart(feature: FeatureResult, *, noun: str, confidence: str, words: OutcomeWords | None = None) -> Chart:
    """FPR (left) and FNR (right) per group, with CI whiskers and the reference group's rate dashed.

    Groups whose denominator is below the minimum size are hollow markers, undefined rates are left out.
    """
    words = words or OutcomeWords()
    groups = _shown_groups(feature)
    reference = feature.group(feature.reference)
    labels = [_label(g.group + (" (ref.)" if g.is_reference else "")) for g in groups]
    left = 12 + max(text_width(t) for t in labels)
    gap, right = 24.0, 12.0
    width = (_WIDE - left - gap - right) / 2
    row_y, plot_height = _rows(len(groups), _TOP)
    bottom = _TOP + plot_height
    hidden = len(feature.groups) > MAX_ROWS
    canvas = Canvas(_WIDE, bottom + 44 + (12 if hidden else 0))
    for panel, (key, colour, heading) in enumerate(
        (
            ("fpr", _FPR_COLOUR, f"Wrongly {words.flagged} (FPR)"),
            ("fnr", _FNR_COLOUR, f"{words.missed.capitalize()} (FNR)"),
        )
    ):
        x0 = left + panel * (width + gap)
        estimates = [g.metrics[key] for g in groups]
        ref = reference.metrics[key].value
        scale = Scale(0.0, _upper(estimates, ref), x0, x0 + width)
        canvas.text(x0, _TOP - 10, heading, size=TITLE_SIZE, bold=True)
        canvas.x_axis(scale, linear_ticks(0.0, scale.high), _percent, y=bottom, top=_TOP)
        _spine(canvas, x0, _TOP, bottom)
        if panel == 0:
            _row_labels(canvas, labels, row_y, x=x0)
        else:
            _row_ticks(canvas, len(groups), row_y, x=x0)
        canvas.clip(x0, _TOP, width, plot_height)
        if ref is not None:
            canvas.line(scale(ref), _TOP, scale(ref), bottom, dash="4,3")
        _dot_whiskers(canvas, scale, row_y, estimates, colour)
        canvas.unclip()
        if ref is not None:
            _legend(
                canvas,
                [(lambda x, y: canvas.line(x, y, x + 16, y, dash="4,3"), f"reference: {_label(feature.reference, 24)}")],
                y=bottom + 30,
                centre=x0 + width / 2,
            )
    _more_note(canvas, feature)
    described = _describe_rates(feature, groups)
    return Chart(
        key="rates",
        title=f"Wrongly {words.flagged} and {words.missed} {noun} by {feature.name}",
        description=(
            f"Dots are rates, whiskers {confidence} confidence intervals, hollow dots groups with too few {noun}; "
            f"the dashed line is the reference group “{feature.reference}”. {described}"
        ),
        svg=canvas.render(),
    )


def _dot_whiskers(
    canvas: Canvas,
    scale: Scale,
    row_y: Callable[[int], float],
    estimates: Sequence[Estimate | None],
    colour: str,
    *,
    offset: float = 0.0,
    square: bool = False,
) -> None:
    for row, estimate in enumerate(estimates):
        if estimate is None or estimate.value is None:
            continue
        solid = estimate.status == "ok"
        y = row_y(row) + offset
        if estimate.ci_low is not None and estimate.ci_high is not None:
            canvas.line(scale(estimate.ci_low), y, scale(estimate.ci_high), y, colour=colour, width=1.6, opacity=1.0 if solid else 0.5)
        canvas.marker(scale(estimate.value), y, colour=colour, hollow=not solid, square=square)


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
    labels = [_label(g.group) for g in groups]
    left = 12 + max(text_width(t) for t in labels)
    top, right = 10.0, 16.0
    row_y, plot_height = _rows(len(groups), top)
    bottom = top + plot_height
    hidden = len(feature.groups) > MAX_ROWS
    canvas = Canvas(_WIDE, bottom + 60 + (12 if hidden else 0))
    scale = Scale(low, high, left, _WIDE - right, log=True)
    ticks = _apart([t for t in (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 0.8, 1, 1.25, 2, 5, 10, 20, 50, 100) if low <= t <= high], scale, _times)
    canvas.rect(scale(band[0]), top, scale(band[1]) - scale(band[0]), plot_height, fill=_BAND)
    canvas.x_axis(scale, ticks, _times, y=bottom, top=top)
    _spine(canvas, left, top, bottom)
    _row_labels(canvas, labels, row_y, x=left)
    canvas.line(scale(1.0), top, scale(1.0), bottom)
    canvas.clip(left, top, scale.end - left, plot_height)
    for key, colour, offset in (("fpr", _FPR_COLOUR, -0.15 * _ROW), ("fnr", _FNR_COLOUR, 0.15 * _ROW)):
        estimates = [_clipped(g.ratio.get(key), low, high) for g in groups]
        _dot_whiskers(canvas, scale, row_y, estimates, colour, offset=offset, square=key == "fnr")
    canvas.unclip()
    centre = (left + scale.end) / 2
    canvas.text(
        centre, bottom + 28, f"rate ÷ reference group's rate (log scale; 1 = same as “{_label(feature.reference, 24)}”)", anchor="middle"
    )
    _legend(
        canvas,
        [
            (lambda x, y: canvas.rect(x, y - 4, 16, 8, fill=_BAND), f"parity band {band[0]:g}–{band[1]:g}"),
            (lambda x, y: canvas.marker(x + 8, y, colour=_FPR_COLOUR), f"FPR ratio (wrongly {words.flagged})"),
            (lambda x, y: canvas.marker(x + 8, y, colour=_FNR_COLOUR, square=True), f"FNR ratio ({words.missed})"),
        ],
        y=bottom + 46,
        centre=centre,
    )
    _more_note(canvas, feature)
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
        svg=canvas.render(),
    )


def _times(value: float) -> str:
    return f"{value:g}×"


def _apart(ticks: list[float], scale: Scale, label: Callable[[float], str]) -> list[float]:
    """The ticks whose labels do not overlap, kept outwards from 1 (always kept when shown)."""
    centre = min(range(len(ticks)), key=lambda i: abs(math.log(ticks[i]))) if ticks else 0
    kept = ticks[centre : centre + 1]
    for side in (ticks[centre + 1 :], ticks[:centre][::-1]):
        last = kept[0] if kept else None
        for tick in side:
            room = (text_width(label(tick)) + text_width(label(last))) / 2 + 6 if last is not None else 0.0
            if last is None or abs(scale(tick) - scale(last)) >= room:
                kept.append(tick)
                last = tick
    return sorted(kept)


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
    grid = [float(v) for v in analysis.grid]
    target = f"{100 * analysis.target_fpr:g}%"
    comparison = analysis.operating_threshold  # named so in audit.json; it is the target-FPR point, not the threshold in use
    names = [_label(c.group, 24) for c in curves]
    columns = min(len(curves), 8 if max(len(n) for n in names) <= 12 else 4)
    legend_rows = math.ceil(len(curves) / columns)
    left, gap, right, plot_height = 40.0, 52.0, 12.0, 200.0
    width = (_WIDE - left - gap - right) / 2
    bottom = _TOP + plot_height
    canvas = Canvas(_WIDE, bottom + 50 + 13 * legend_rows)
    marked = [v for v in (decision_threshold, comparison) if v is not None and math.isfinite(v)]
    x_low, x_high = min([*grid, *marked]), max([*grid, *marked])
    margin = 0.05 * (x_high - x_low or 1.0)
    x_low, x_high = x_low - margin, x_high + margin
    x_ticks = [t for t in linear_ticks(x_low, x_high) if x_low <= t <= x_high]
    decimals = next((d for d in range(7) if all(abs(round(t, d) - t) < 1e-9 for t in x_ticks)), 6)
    # the lower of the two thresholds is labelled on its left, the other on its right, so labels never cover a line
    operating_left = decision_threshold is not None and decision_threshold <= comparison
    for panel, heading in enumerate((f"Wrongly {words.flagged} (FPR)", f"{words.missed.capitalize()} (FNR)")):
        x0 = left + panel * (width + gap)
        x = Scale(x_low, x_high, x0, x0 + width)
        y = Scale(-0.02, 1.2, bottom, _TOP)  # headroom for the threshold labels
        canvas.text(x0, _TOP - 10, heading, size=TITLE_SIZE, bold=True)
        canvas.y_axis(y, [0, 0.2, 0.4, 0.6, 0.8, 1.0], lambda v: f"{100 * v:.0f}%", x=x0, right=x0 + width)
        canvas.x_axis(x, x_ticks, lambda v: f"{v:.{decimals}f}", y=bottom, top=_TOP)
        canvas.text(x0 + width / 2, bottom + 28, f"decision threshold (score at or above it is {words.flagged})", anchor="middle")
        canvas.clip(x0, _TOP, width, plot_height)
        for colour, curve in zip(OKABE_ITO, curves):
            rates = curve.fpr if panel == 0 else [None if v is None else 1.0 - v for v in curve.tpr]
            canvas.polyline(
                [(x(t), math.nan if v is None or not math.isfinite(v) else y(v)) for t, v in zip(grid, rates)], colour=colour, width=1.4
            )
        if decision_threshold is not None:
            canvas.line(x(decision_threshold), _TOP, x(decision_threshold), bottom, width=1.6)
        canvas.line(x(comparison), _TOP, x(comparison), bottom, colour=GREY, width=1.2, dash="1.5,2.5")
        canvas.unclip()
        if decision_threshold is not None:
            lines = ("operating threshold", f"{decision_threshold:g} (in use)")
            _threshold_label(canvas, x(decision_threshold), lines, INK, left=operating_left)
        _threshold_label(
            canvas, x(comparison), (f"{target} overall FPR at", f"{comparison:.2f} (not in use)"), GREY, left=not operating_left
        )
    _curve_legend(canvas, names, columns, top=bottom + 44)
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
        svg=canvas.render(),
    )


def _threshold_label(canvas: Canvas, x: float, lines: tuple[str, str], colour: str, *, left: bool) -> None:
    """A two-line label at the top of a vertical threshold line, on its left or right side."""
    for i, text in enumerate(lines):
        canvas.text(x - 4 if left else x + 4, _TOP + 9 + 9 * i, text, size=7.5, colour=colour, anchor="end" if left else "start")


def _curve_legend(canvas: Canvas, names: Sequence[str], columns: int, *, top: float) -> None:
    """The groups' colours in rows of ``columns``, centred under the panels."""
    column = 22 + max(text_width(n, 7.5) for n in names) + 12
    x0 = (canvas.width - column * columns) / 2
    for i, (colour, name) in enumerate(zip(OKABE_ITO, names)):
        x, y = x0 + column * (i % columns), top + 13 * (i // columns)
        canvas.line(x, y, x + 16, y, colour=colour, width=1.4)
        canvas.text(x + 22, y, name, size=7.5, middle=True)


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
    shown = bars[::-1]  # the most common on top
    labels = [_label(name) for name, _ in shown]
    left, right = 12 + max(text_width(t) for t in labels), 12.0
    row_y, plot_height = _rows(len(bars), _TOP)
    bottom = _TOP + plot_height
    canvas = Canvas(_NARROW, bottom + 38)
    largest = max(rate for _, rate in bars)
    scale = Scale(0.0, 1.2 * largest if largest > 0 else 1.0, left, _NARROW - right)  # room for the numbers beside the bars
    canvas.text(left, _TOP - 10, "Personal data found in the evaluation data", size=TITLE_SIZE, bold=True)
    canvas.x_axis(scale, linear_ticks(0.0, scale.high), _percent, y=bottom, top=_TOP, grid=False)
    _spine(canvas, left, _TOP, bottom)
    _row_labels(canvas, labels, row_y, x=left)
    for i, (_, rate) in enumerate(shown):
        canvas.rect(left, row_y(i) - 0.4 * _ROW, scale(rate) - left, 0.8 * _ROW, fill=OKABE_ITO[2])
        canvas.text(scale(rate) + 3, row_y(i), f"{100 * rate:.1f}%", size=_LEGEND_SIZE, middle=True)
    canvas.text((left + scale.end) / 2, bottom + 28, f"share of scanned {noun} containing it", anchor="middle")
    top = bars[-1]
    return Chart(
        key="pii",
        title="Personal data found in the evaluation data, by type",
        description=f"Bars show the share of scanned {noun} containing each type of personal data; the most common is {top[0]} "
        f"({100 * top[1]:.1f}%).",
        svg=canvas.render(),
    )


def interval_chart(
    labels: Sequence[str],
    estimates: Sequence[Estimate],
    *,
    title: str,
    colour: str,
    crosses: Sequence[float | None] = (),
    legend: tuple[str, str] | None = None,
) -> str:
    """Rates with their interval whiskers, one row per label, on a percent axis from 0 (7 inches wide), as SVG.

    ``crosses`` puts a grey cross on a row at a second rate (None: none on that row); ``legend`` names the dots and
    the crosses under the axis.
    """
    left, right = 12 + max(text_width(t) for t in labels), 12.0
    row_y, plot_height = _rows(len(labels), _TOP)
    bottom = _TOP + plot_height
    canvas = Canvas(_NARROW, bottom + (44 if legend else 24))
    marked = [v for v in crosses if v is not None]
    scale = Scale(0.0, _upper(estimates, *marked), left, _NARROW - right)
    canvas.text(left, _TOP - 10, title, size=TITLE_SIZE, bold=True)
    canvas.x_axis(scale, linear_ticks(0.0, scale.high), _percent, y=bottom, top=_TOP)
    _spine(canvas, left, _TOP, bottom)
    _row_labels(canvas, labels, row_y, x=left)
    canvas.clip(left, _TOP, scale.end - left, plot_height)
    _dot_whiskers(canvas, scale, row_y, estimates, colour)
    for row, value in enumerate(crosses):
        if value is not None:
            canvas.cross(scale(value), row_y(row), colour=GREY)
    canvas.unclip()
    if legend:
        _legend(
            canvas,
            [
                (lambda x, y: canvas.marker(x + 8, y, colour=colour), legend[0]),
                (lambda x, y: canvas.cross(x + 8, y, colour=GREY), legend[1]),
            ],
            y=bottom + 30,
            centre=(left + scale.end) / 2,
        )
    return canvas.render()
