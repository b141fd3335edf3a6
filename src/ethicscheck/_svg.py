"""Charts written as SVG text directly: a canvas of lines, marks and text, and axes with their ticks.

matplotlib lays out and renders every text twice to draw a chart (~0.3-0.7 s each, plus a second to
import); the card's charts are simple enough to write by hand, in a few milliseconds:

* Coordinates are points (1/72 inch), as in matplotlib's SVG; the card scales a chart to the page width.
* Text stays text: the browser's fonts draw any script, readers can search and copy it. Every text is
  escaped here (``<``, ``>``, ``&``, quotes), characters XML cannot hold become U+FFFD, and nothing is
  parsed as markup or TeX. Text widths are estimated (DejaVu Sans proportions, generous) for the margins.
* The same chart gives the same bytes: no dates, no random ids, coordinates rounded to 0.01.
* The plotting area of each axes is clipped (``clip-path="url(#clip-N)"``); :func:`~ethicscheck._plotting.inline_svg`
  prefixes those ids when charts share a page.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ethicscheck._plotting import GREY, INK

__all__ = ["Canvas", "Scale", "linear_ticks", "text_width", "FONT_SIZE", "TITLE_SIZE", "GRID"]

FONT_SIZE, TITLE_SIZE = 9.0, 10.0
GRID = "#e6e6e6"
_FONT = "DejaVu Sans, Bitstream Vera Sans, Arial, Helvetica, sans-serif"

# Advance widths in DejaVu Sans, in ems; the rest by kind of character (see text_width).
_WIDTHS = {
    **dict.fromkeys("il.,:;'|!`", 0.30),
    **dict.fromkeys("fjtI()[]{} ", 0.36),
    **dict.fromkeys('r-"', 0.42),
    **dict.fromkeys("mw%MW@", 0.98),
    **dict.fromkeys("0123456789", 0.64),
    "×": 0.84,
    "…": 1.0,
    "–": 0.5,
    "—": 1.0,
    "÷": 0.84,
}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def text_width(text: str, size: float = FONT_SIZE, *, bold: bool = False) -> float:
    """The width ``text`` takes at ``size`` points, estimated generously (browsers' fonts differ)."""
    ems = 0.0
    for char in text:
        width = _WIDTHS.get(char)
        if width is None:
            if char.isascii():
                width = 0.74 if char.isupper() else 0.62
            elif unicodedata.east_asian_width(char) in ("W", "F"):
                width = 1.0
            elif unicodedata.combining(char):
                width = 0.0
            else:
                width = 0.7
        ems += width
    return ems * size * (1.1 if bold else 1.0)


def escape(text: str) -> str:
    """Text safe inside an XML element or attribute."""
    text = _NOT_XML.sub("\ufffd", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _n(value: float) -> str:
    """A coordinate, rounded to 0.01 (deterministic, short)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass(frozen=True)
class Scale:
    """Data values to points along one axis, linear or logarithmic, from ``(low, high)`` to ``(start, end)``."""

    low: float
    high: float
    start: float
    end: float
    log: bool = False

    def __call__(self, value: float) -> float:
        if self.log:
            low, high, value = math.log(self.low), math.log(self.high), math.log(value)
        else:
            low, high = self.low, self.high
        return self.start + (value - low) / (high - low) * (self.end - self.start)


def linear_ticks(low: float, high: float, *, most: int = 7) -> list[float]:
    """Round tick values (steps of 1, 2, 2.5 or 5 times a power of ten) covering ``[low, high]``, at most ``most``."""
    if not high > low:
        return [low]
    raw = (high - low) / max(most - 1, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(s * power for s in (1, 2, 2.5, 5, 10) if s * power >= raw * (1 - 1e-9))
    first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
    return [round(i * step, 12) for i in range(first, last + 1)]


class Canvas:
    """An SVG document ``width`` x ``height`` points, written element by element."""

    def __init__(self, width: float, height: float) -> None:
        self.width, self.height = width, height
        self._parts: list[str] = []
        self._defs: list[str] = []
        self._clipped = False

    # -- marks ---------------------------------------------------------------------------------------

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        size: float = FONT_SIZE,
        anchor: str = "start",
        colour: str = INK,
        bold: bool = False,
        middle: bool = False,
    ) -> None:
        """One text element at ``(x, y)``: ``y`` is the baseline, or the middle of the text with ``middle``."""
        attributes = f'x="{_n(x)}" y="{_n(y + (0.35 * size if middle else 0))}"'
        if anchor != "start":
            attributes += f' text-anchor="{anchor}"'
        if size != FONT_SIZE:
            attributes += f' font-size="{_n(size)}"'
        if bold:
            attributes += ' font-weight="bold"'
        if colour != INK:
            attributes += f' fill="{colour}"'
        self._parts.append(f"<text {attributes}>{escape(text)}</text>")

    def line(
        self,
        x1: float,
        y1: float,
        x2: float,
        y2: float,
        *,
        colour: str = INK,
        width: float = 1.0,
        dash: str | None = None,
        opacity: float = 1.0,
    ) -> None:
        extra = (f' stroke-dasharray="{dash}"' if dash else "") + (f' stroke-opacity="{opacity:g}"' if opacity != 1.0 else "")
        self._parts.append(
            f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{colour}" stroke-width="{width:g}"{extra}/>'
        )

    def polyline(self, points: Sequence[tuple[float, float]], *, colour: str, width: float = 1.0) -> None:
        """A line through ``points``; a point with a NaN coordinate breaks it (as matplotlib leaves undefined values out)."""
        run: list[str] = []
        for x, y in [*points, (math.nan, math.nan)]:
            if math.isfinite(x) and math.isfinite(y):
                run.append(f"{_n(x)},{_n(y)}")
                continue
            if len(run) > 1:
                self._parts.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" stroke-width="{width:g}" stroke-linejoin="round"/>'
                )
            run = []

    def rect(self, x: float, y: float, width: float, height: float, *, fill: str) -> None:
        self._parts.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height)}" fill="{fill}"/>')

    def marker(self, x: float, y: float, *, colour: str, hollow: bool = False, square: bool = False, size: float = 6.0) -> None:
        """A dot (or square) ``size`` points across; hollow ones are white inside."""
        fill, half = "white" if hollow else colour, size / 2
        if square:
            self._parts.append(
                f'<rect x="{_n(x - half)}" y="{_n(y - half)}" width="{_n(size)}" height="{_n(size)}" fill="{fill}" stroke="{colour}"/>'
            )
        else:
            self._parts.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(half)}" fill="{fill}" stroke="{colour}"/>')

    def cross(self, x: float, y: float, *, colour: str, size: float = 6.0) -> None:
        """An x-shaped mark ``size`` points across."""
        half = size / 2
        self.line(x - half, y - half, x + half, y + half, colour=colour, width=1.2)
        self.line(x - half, y + half, x + half, y - half, colour=colour, width=1.2)

    # -- groups --------------------------------------------------------------------------------------

    def clip(self, x: float, y: float, width: float, height: float) -> None:
        """Clip what is drawn next, until :meth:`unclip`, to a rectangle (an axes' plotting area)."""
        self.unclip()
        ident = f"clip-{len(self._defs)}"
        self._defs.append(f'<clipPath id="{ident}"><rect x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height)}"/></clipPath>')
        self._parts.append(f'<g clip-path="url(#{ident})">')
        self._clipped = True

    def unclip(self) -> None:
        if self._clipped:
            self._parts.append("</g>")
            self._clipped = False

    # -- axes ----------------------------------------------------------------------------------------

    def x_axis(
        self, scale: Scale, ticks: Sequence[float], label: Callable[[float], str], *, y: float, top: float, grid: bool = True
    ) -> None:
        """A horizontal axis at ``y`` with tick marks, labels under them and (``grid``) grid lines up to ``top``."""
        for tick in ticks:
            x = scale(tick)
            if grid:
                self.line(x, top, x, y, colour=GRID, width=0.8)
            self.line(x, y, x, y + 3.5, colour=INK, width=0.8)
            self.text(x, y + 13, label(tick), anchor="middle")
        self.line(scale.start, y, scale.end, y, colour=GREY, width=0.8)

    def y_axis(
        self, scale: Scale, ticks: Sequence[float], label: Callable[[float], str], *, x: float, right: float, grid: bool = True
    ) -> None:
        """A vertical axis at ``x`` with tick marks, labels left of them and (``grid``) grid lines up to ``right``."""
        for tick in ticks:
            y = scale(tick)
            if grid:
                self.line(x, y, right, y, colour=GRID, width=0.8)
            self.line(x - 3.5, y, x, y, colour=INK, width=0.8)
            self.text(x - 6, y, label(tick), anchor="end", middle=True)
        self.line(x, scale.start, x, scale.end, colour=GREY, width=0.8)

    def render(self) -> str:
        """The standalone SVG document."""
        self.unclip()
        head = (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(self.width)}pt" height="{_n(self.height)}pt" '
            f'viewBox="0 0 {_n(self.width)} {_n(self.height)}" font-family="{_FONT}" font-size="{FONT_SIZE:g}" fill="{INK}">\n'
            f'<rect width="{_n(self.width)}" height="{_n(self.height)}" fill="white"/>\n'
        )
        defs = f"<defs>{''.join(self._defs)}</defs>\n" if self._defs else ""
        return head + defs + "\n".join(self._parts) + "\n</svg>\n"
