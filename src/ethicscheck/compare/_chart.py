"""The Pareto chart of a comparison: pooled FPR gap against pooled accuracy, with labels that do not collide."""

from __future__ import annotations

import re
from typing import Any

from ethicscheck._plotting import GREY, INK, OKABE_ITO, chart_style, figure_svg
from ethicscheck.compare._result import CandidateSummary, ComparisonResult

__all__ = ["pareto_svg", "pareto_figure_labels", "short_label", "LABEL_KEY", "CHART_KEY"]

_FAMILY_COLOUR = {"baseline": INK, "fairlearn": OKABE_ITO[0], "diffprivlib": OKABE_ITO[1], "custom": OKABE_ITO[2]}
_METHOD_MARKER = {
    "logistic_regression": "o",
    "threshold_optimizer": "s",
    "exponentiated_gradient": "D",
    "correlation_remover": "P",
    "dp_logistic_regression": "^",
    "dp_gaussian_nb": "v",
    "custom": "*",
}

LABEL_KEY = (
    "Labels: TO = ThresholdOptimizer, EG = ExponentiatedGradient, CR = CorrelationRemover, DP-LR / DP-NB = diffprivlib "
    "logistic regression / Gaussian naive Bayes; ·FPR = false-positive-rate parity, ·EO = equalized odds."
)
CHART_KEY = (
    "Each marker is a candidate at its mean over seeds (shape: method; colour: family). Filled markers are on the "
    "Pareto front: no other candidate beats them with evidence (a paired 95% interval in its favour on FPR gap or "
    "accuracy, and no worse on the other). Hollow markers are beaten with evidence. Whiskers run from the lowest "
    "lower end to the highest upper end of the seeds' own 95% intervals (an envelope, not an average). Candidates "
    "that failed on a seed or flag (almost) everyone or no one are not drawn."
)
_ABBREVIATIONS = {
    "threshold_optimizer": "TO",
    "exponentiated_gradient": "EG",
    "correlation_remover": "CR",
    "dp_logistic_regression": "DP-LR",
    "dp_gaussian_nb": "DP-NB",
}
# Where a label may sit relative to its marker (points), tried in order: right, left, above, below, diagonals, further out.
_OFFSETS = [
    (7, 3),
    (-7, 3),
    (0, 9),
    (0, -13),
    (7, -11),
    (-7, -11),
    (7, 13),
    (-7, 13),
    (16, 22),
    (-16, 22),
    (16, -26),
    (-16, -26),
    (28, 0),
    (-28, 0),
]


def short_label(summary: CandidateSummary) -> str:
    """A chart label short enough not to cover its neighbours: 'EG·EO', 'TO·FPR', 'DP-LR ε=1'."""
    if summary.epsilon is not None:
        return f"{_ABBREVIATIONS.get(summary.method, '')} ε={summary.epsilon:g}".strip()
    base = _ABBREVIATIONS.get(summary.method)
    if base is None:
        return summary.candidate if len(summary.candidate) <= 18 else summary.candidate[:17] + "…"
    inside = summary.candidate.partition("(")[2].rstrip(")")
    words = [w for w in inside.replace("_", " ").split() if w.isalpha()]
    if len(words) == 1:  # CamelCase constraint names: FalsePositiveRateParity -> FPR
        words = re.findall(r"[A-Z][a-z]*", inside)
    code = "".join(w[0].upper() for w in words if w.lower() != "parity")
    return f"{base}·{code}" if code and base in ("TO", "EG") else base


def _drawn(result: ComparisonResult) -> list[CandidateSummary]:
    return [
        s
        for s in result.summaries
        if not s.failed_seeds and not s.degenerate and s.pooled["fpr_gap"] is not None and s.pooled["accuracy"] is not None
    ]


def pareto_svg(result: ComparisonResult) -> str:
    """FPR gap (x) against accuracy (y), as described by :data:`CHART_KEY`."""
    with chart_style() as plt:
        figure = _figure(plt, result)
        return figure_svg(figure)


def pareto_figure_labels(result: ComparisonResult) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Each label's text and its box in display coordinates (x0, y0, x1, y1): what a collision test needs."""
    with chart_style() as plt:
        figure = _figure(plt, result)
        renderer = figure.canvas.get_renderer()
        return [(t.get_text(), _text_box(t, renderer)) for t in figure.axes[0].texts]


def _figure(plt: Any, result: ComparisonResult) -> Any:
    front = set(result.front)
    figure, ax = plt.subplots(figsize=(9.5, 5.4))
    shown = _drawn(result)
    points = []
    for s in shown:
        colour, marker = _FAMILY_COLOUR.get(s.family, GREY), _METHOD_MARKER.get(s.method, "o")
        x, y = 100 * float(s.pooled["fpr_gap"] or 0), 100 * float(s.pooled["accuracy"] or 0)
        (gap_low, gap_high), (acc_low, acc_high) = s.envelope["fpr_gap"], s.envelope["accuracy"]
        xerr = None if gap_low is None or gap_high is None else [[max(0.0, x - 100 * gap_low)], [max(0.0, 100 * gap_high - x)]]
        yerr = None if acc_low is None or acc_high is None else [[max(0.0, y - 100 * acc_low)], [max(0.0, 100 * acc_high - y)]]
        ax.errorbar(
            x,
            y,
            xerr=xerr,
            yerr=yerr,
            fmt=marker,
            color=colour,
            markersize=8,
            markerfacecolor=colour if s.candidate in front else "white",
            capsize=2,
            linewidth=1,
        )
        points.append((x, y, short_label(s)))
    ordered = sorted((100 * float(s.pooled["fpr_gap"] or 0), 100 * float(s.pooled["accuracy"] or 0)) for s in shown if s.candidate in front)
    if len(ordered) > 1:
        ax.plot(*zip(*ordered), color=GREY, linestyle="--", linewidth=1, zorder=0)
    for method, marker in _METHOD_MARKER.items():
        mine = [s for s in shown if s.method == method]
        if mine:
            ax.plot([], [], marker, color=_FAMILY_COLOUR.get(mine[0].family, GREY), label=method.replace("_", " "))
    ax.set_xlabel(f"FPR gap by {result.feature}: largest minus smallest group, points (lower is fairer)")
    ax.set_ylabel("accuracy, % (higher is better)")
    ax.set_title(f"Fairness and accuracy of each candidate (mean over {len(result.seeds)} seed(s))", loc="left")
    # The legend sits outside the axes, so it can never cover a marker.
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    ax.grid(color="#eeeeee")
    ax.margins(x=0.12, y=0.12)
    figure.tight_layout()
    _place_labels(figure, ax, points)
    return figure


def _place_labels(figure: Any, ax: Any, points: list[tuple[float, float, str]]) -> None:
    """Greedy placement: each label takes the first offset whose box overlaps no marker and no label placed before."""
    renderer = figure.canvas.get_renderer()
    markers = [ax.transData.transform((x, y)) for x, y, _ in points]
    taken = [(mx - 6, my - 6, mx + 6, my + 6) for mx, my in markers]
    inside = ax.get_window_extent(renderer).extents
    # The most crowded points first: they have the fewest free places.
    order = sorted(range(len(points)), key=lambda i: -sum(abs(markers[i][0] - m[0]) + abs(markers[i][1] - m[1]) < 80 for m in markers))
    for i in order:
        x, y, text = points[i]
        for n, (dx, dy) in enumerate(_OFFSETS):
            align = "left" if dx > 0 else "right" if dx < 0 else "center"
            far = n >= 8  # far placements get a thin leader line back to the marker
            label = ax.annotate(
                text,
                (x, y),
                xytext=(dx, dy),
                textcoords="offset points",
                fontsize=7,
                color=INK,
                ha=align,
                va="center",
                arrowprops={"arrowstyle": "-", "color": GREY, "linewidth": 0.5} if far else None,
            )
            box = _text_box(label, renderer)
            fits = box[0] >= inside[0] and box[2] <= inside[2] and box[1] >= inside[1] and box[3] <= inside[3]
            if (fits and not any(_overlap(box, other) for other in taken)) or n == len(_OFFSETS) - 1:
                taken.append(box)
                break
            label.remove()


def _text_box(label: Any, renderer: Any) -> tuple[float, float, float, float]:
    """The text's own box (an annotation's extent would include its leader line)."""
    from matplotlib.text import Text

    label.update_positions(renderer)  # resolve the offset in points into display coordinates
    x0, y0, x1, y1 = Text.get_window_extent(label, renderer).extents
    return float(x0), float(y0), float(x1), float(y1)


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
