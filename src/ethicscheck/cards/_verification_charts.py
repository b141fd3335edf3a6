"""Charts of a face-matching audit: the cross-group false-match matrix and each group's DET curve (log axes)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ethicscheck._plotting import GREY, INK, OKABE_ITO, chart_style, figure_svg
from ethicscheck.cards._charts import Chart
from ethicscheck.verification import DetCurve, PointResult

__all__ = ["cross_group_chart", "det_chart"]


def cross_group_chart(point: PointResult, groups: list[str], *, feature: str, key: str, where: str) -> Chart:
    """Heatmap of FMR between members of two groups (rows: one side, columns: the other), on a log colour scale."""
    index = [i for i, g in enumerate(point.cross.impostor_pairs) if _label(point, i) in groups]
    rates = point.cross.fmr
    matrix = np.array([[np.nan if rates[i][j] is None else rates[i][j] for j in index] for i in index], dtype=float)
    positive = matrix[np.isfinite(matrix) & (matrix > 0)]
    low = float(positive.min()) if positive.size else 1e-6
    high = float(positive.max()) if positive.size else 1e-3
    with chart_style() as plt:
        from matplotlib.colors import LogNorm

        size = 1.2 + 0.55 * len(index)
        figure, axes = plt.subplots(figsize=(size + 1.6, size))
        shown = np.where(matrix > 0, matrix, np.nan)
        image = axes.imshow(shown, cmap="magma_r", norm=LogNorm(vmin=low, vmax=max(high, low * 1.0001)))
        labels = [_label(point, i) for i in index]
        axes.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
        axes.set_yticks(range(len(labels)), labels)
        for r in range(len(labels)):
            for c in range(len(labels)):
                value = matrix[r, c]
                text = "n/a" if math.isnan(value) else ("0" if value == 0 else f"{value:.1e}")
                dark = value > 0 and image.norm(value) > 0.55  # light text on the dark end of the colour scale
                axes.text(c, r, text, ha="center", va="center", fontsize=7, color="white" if dark else (INK if value > 0 else GREY))
        axes.set_title(f"False matches between groups: {feature}")
        bar = figure.colorbar(image, ax=axes, label="false-match rate (log scale)")
        _plain_log_ticks(bar.ax.yaxis)
        svg = figure_svg(figure)
    return Chart(
        key=key,
        title=f"False-match rate between groups of {feature}",
        description=f"Share of comparisons of two different people wrongly declared a match, for each pair of {feature} groups, {where}.",
        svg=svg,
    )


def det_chart(curves: tuple[DetCurve, ...], groups: list[str], *, feature: str, key: str, targets: list[float]) -> Chart:
    """Each group's FNMR against its FMR over many thresholds, both axes logarithmic (a DET curve)."""
    with chart_style() as plt:
        figure, axes = plt.subplots(figsize=(6.0, 4.2))
        drawn = [c for c in curves if c.group in groups][: len(OKABE_ITO)]
        for colour, curve in zip(OKABE_ITO, drawn):
            points = [(x, y) for x, y in zip(curve.fmr, curve.fnmr) if x is not None and y is not None and x > 0 and y > 0]
            if points:
                xs, ys = zip(*points)
                axes.plot(xs, ys, color=colour, linewidth=1.6, label=curve.group)
        for target in targets:
            axes.axvline(target, color=GREY, linestyle=":", linewidth=0.9)
        axes.set_xscale("log")
        axes.set_yscale("log")
        _plain_log_ticks(axes.xaxis)
        _plain_log_ticks(axes.yaxis)
        axes.set_xlabel("false-match rate within the group (log scale)")
        axes.set_ylabel("false non-match rate (log scale)")
        axes.set_title(f"Error trade-off by group: {feature}")
        axes.legend(frameon=False, fontsize=8)
        svg = figure_svg(figure)
    return Chart(
        key=key,
        title=f"DET curves by {feature}",
        description=f"For each {feature} group, how often two photos of one person are missed (up) against how often two different "
        "people are wrongly matched (right), over many thresholds; dotted lines mark the audited overall false-match rates.",
        svg=svg,
    )


def _plain_log_ticks(axis: Any) -> None:
    """Tick labels as plain text ('1e-04'): the charts keep TeX parsing off, so matplotlib's $10^{-4}$ would show raw."""
    from matplotlib.ticker import FuncFormatter, NullFormatter

    axis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.0e}" if value > 0 else "0"))
    axis.set_minor_formatter(NullFormatter())


def _label(point: PointResult, index: int) -> str:
    return point.groups[index].group
