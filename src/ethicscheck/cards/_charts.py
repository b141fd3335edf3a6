"""Inline SVG charts for the HTML card: no external files, every label escaped."""

from __future__ import annotations

from html import escape

from ethicscheck.fairness import FeatureResult

__all__ = ["rate_chart_svg"]

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
_BLUE, _VERMILLION, _GREY, _INK = "#0072B2", "#D55E00", "#7a7a7a", "#1a1a1a"
_ROW, _LABEL_W, _PANEL_W, _GAP, _TOP = 22, 230, 300, 40, 46
_MAX_ROWS = 60


def rate_chart_svg(feature: FeatureResult, *, noun: str, chart_id: str) -> str:
    """Horizontal bars of FPR (left) and FNR (right) per group with CI whiskers.

    The dashed line in each panel is the reference group's rate. Groups with too little data are drawn
    hollow and marked in the label.
    """
    groups = list(feature.groups)[:_MAX_ROWS]
    height = _TOP + _ROW * len(groups) + 30
    width = _LABEL_W + 2 * _PANEL_W + _GAP + 20
    scale = {key: _axis_max(feature, key) for key in ("fpr", "fnr")}
    title = f"False-positive and false-negative rate by {feature.name}"
    desc = (
        f"Left: share of {noun} not trafficking-related that were wrongly flagged. Right: share of "
        f"trafficking-related {noun} that were missed. Whiskers show confidence intervals; the dashed "
        f"line is the reference group “{feature.reference}”."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="t-{chart_id} d-{chart_id}" font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="t-{chart_id}">{escape(title)}</title><desc id="d-{chart_id}">{escape(desc)}</desc>',
    ]
    for panel, (key, colour, heading) in enumerate((("fpr", _VERMILLION, "Wrongly flagged (FPR)"), ("fnr", _BLUE, "Missed (FNR)"))):
        x0 = _LABEL_W + panel * (_PANEL_W + _GAP)
        parts.append(f'<text x="{x0}" y="16" font-weight="bold" fill="{_INK}">{escape(heading)}</text>')
        parts += _axis(x0, scale[key], height)
        ref_value = feature.group(feature.reference).metrics[key].value
        if ref_value is not None:
            x = x0 + _PANEL_W * ref_value / scale[key]
            parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{_TOP - 8}" y2="{height - 26}" stroke="{_INK}" stroke-dasharray="4 3"/>')
        for row, group in enumerate(groups):
            parts += _bar(x0, _TOP + row * _ROW, group.metrics[key], scale[key], colour)
    for row, group in enumerate(groups):
        label = group.group + (" (reference)" if group.is_reference else "") + ("" if group.metrics["fpr"].status == "ok" else " (too few)")
        shown = label if len(label) <= 34 else label[:33] + "…"
        parts.append(f'<text x="{_LABEL_W - 8}" y="{_TOP + row * _ROW + 14}" text-anchor="end" fill="{_INK}">{escape(shown)}<title>{escape(label)}</title></text>')
    if len(feature.groups) > _MAX_ROWS:
        parts.append(f'<text x="8" y="{height - 6}" fill="{_GREY}">{len(feature.groups) - _MAX_ROWS} more groups in the table.</text>')
    parts.append("</svg>")
    return "".join(parts)


def _bar(x0: float, y: float, estimate, scale: float, colour: str) -> list[str]:  # type: ignore[no-untyped-def]
    if estimate.value is None:
        return [f'<text x="{x0 + 4}" y="{y + 14}" fill="{_GREY}">undefined</text>']
    width = _PANEL_W * estimate.value / scale
    solid = estimate.status == "ok"
    fill = colour if solid else "none"
    out = [f'<rect x="{x0}" y="{y + 4}" width="{max(width, 1):.1f}" height="{_ROW - 8}" fill="{fill}" stroke="{colour}" fill-opacity="0.85"/>']
    if estimate.ci_low is not None and estimate.ci_high is not None:
        lo, hi = x0 + _PANEL_W * estimate.ci_low / scale, x0 + _PANEL_W * estimate.ci_high / scale
        mid = y + _ROW / 2
        out.append(f'<path d="M{lo:.1f} {mid:.1f}H{hi:.1f}M{lo:.1f} {mid - 5:.1f}V{mid + 5:.1f}M{hi:.1f} {mid - 5:.1f}V{mid + 5:.1f}" stroke="{_INK}" fill="none"/>')
    return out


def _axis(x0: float, scale: float, height: float) -> list[str]:
    out = [f'<line x1="{x0}" x2="{x0 + _PANEL_W}" y1="{height - 24}" y2="{height - 24}" stroke="{_GREY}"/>']
    for i in range(5):
        value = scale * i / 4
        x = x0 + _PANEL_W * i / 4
        out.append(f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle" fill="{_GREY}">{100 * value:.3g}%</text>')
    return out


def _axis_max(feature: FeatureResult, key: str) -> float:
    highs = [g.metrics[key].ci_high or g.metrics[key].value or 0.0 for g in feature.groups]
    top = max(highs, default=0.0)
    for step in (0.05, 0.1, 0.2, 0.25, 0.5, 0.75, 1.0):
        if top <= step:
            return step
    return 1.0
