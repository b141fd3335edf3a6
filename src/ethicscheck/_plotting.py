"""Matplotlib set-up shared by every chart ethicscheck draws: headless, deterministic, safe for user text.

* The Agg backend, so no display is needed.
* ``text.parse_math`` off: a group called ``$5 & up`` is drawn as written, not parsed as TeX.
* SVG text stays text (``svg.fonttype: none``): the browser's fonts draw any script, readers can search
  and copy it, and matplotlib escapes ``<``, ``>`` and ``&`` in it.
* A fixed ``svg.hashsalt`` and no date in the metadata: the same chart gives the same bytes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

__all__ = ["OKABE_ITO", "INK", "GREY", "chart_style", "figure_svg", "inline_svg", "save_figure"]

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
OKABE_ITO = ("#D55E00", "#0072B2", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
INK, GREY = "#1a1a1a", "#7a7a7a"

_RC: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "ethicscheck",
    "text.parse_math": False,
    "font.family": "sans-serif",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.edgecolor": GREY,
    "xtick.color": INK,
    "ytick.color": INK,
}


@contextmanager
def chart_style() -> Iterator[Any]:
    """``pyplot`` with ethicscheck's chart settings; figures made inside are closed on exit."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context(_RC):
        try:
            yield plt
        finally:
            plt.close("all")


def figure_svg(figure: Any) -> str:
    """The figure as a standalone SVG document (deterministic bytes)."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return buffer.getvalue()


def save_figure(figure: Any, path: Path) -> Path:
    """Save as SVG (deterministic) or, by the suffix, any format matplotlib writes."""
    if path.suffix.lower() == ".svg":
        path.write_text(figure_svg(figure), encoding="utf-8")
    else:
        figure.savefig(path, bbox_inches="tight", metadata={"Software": None} if path.suffix.lower() == ".png" else None)
    return path


_ID = re.compile(r'\bid="([^"]+)"')


def inline_svg(svg: str, *, prefix: str, title: str, description: str) -> str:
    """A standalone SVG made fit to sit inside an HTML page next to other charts.

    Drops the XML prologue, DOCTYPE and metadata; prefixes every ``id`` (and its references) so two
    charts never share one; scales to the page width; labels it for screen readers with ``title``
    and ``description``, both escaped here.
    """
    from html import escape

    body = svg[svg.index("<svg") :]
    body = re.sub(r"<metadata>.*?</metadata>", "", body, flags=re.S)
    for ident in sorted(set(_ID.findall(body)), key=len, reverse=True):
        body = (
            body.replace(f'id="{ident}"', f'id="{prefix}-{ident}"')
            .replace(f"#{ident})", f"#{prefix}-{ident})")
            .replace(f'href="#{ident}"', f'href="#{prefix}-{ident}"')
        )
    body = re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"', r'<svg \1width="100%"', body, count=1)
    label = f'<svg role="img" aria-labelledby="{prefix}-title {prefix}-desc" style="max-width:100%;height:auto"'
    head = f'<title id="{prefix}-title">{escape(title)}</title><desc id="{prefix}-desc">{escape(description)}</desc>'
    body = body.replace("<svg", label, 1)
    close = body.index(">", body.index("<svg")) + 1
    return body[:close] + head + body[close:]
