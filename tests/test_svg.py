from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from ethicscheck._svg import Canvas, Scale, linear_ticks, text_width

SVG = "{http://www.w3.org/2000/svg}"


def test_text_is_escaped_and_always_well_formed_xml():
    canvas = Canvas(100, 50)
    hostile = ['<script>alert("x")</script>', "$5 & up", "bell\x07 and nul\x00", "Ελλάδα 中文"]
    for i, text in enumerate(hostile):
        canvas.text(10, 10 + 10 * i, text)
    svg = canvas.render()
    texts = ["".join(t.itertext()) for t in ET.fromstring(svg.encode()).iter(f"{SVG}text")]
    assert texts[:2] == hostile[:2] and texts[3] == hostile[3]
    assert texts[2] == "bell\ufffd and nul\ufffd"  # characters XML cannot hold
    assert "<script>" not in svg


def test_the_same_drawing_gives_the_same_bytes_and_coordinates_are_rounded():
    def draw() -> str:
        canvas = Canvas(648, 200)
        canvas.clip(10, 10, 100, 100)
        canvas.line(1 / 3, 2 / 3, 100.0, 0.1 + 0.2)
        canvas.marker(5, 5, colour="#000000", hollow=True)
        return canvas.render()

    assert draw() == draw()
    assert 'x1="0.33" y1="0.67"' in draw() and 'y2="0.3"' in draw()
    assert 'clip-path="url(#clip-0)"' in draw() and 'id="clip-0"' in draw()


def test_a_polyline_breaks_where_a_value_is_undefined():
    canvas = Canvas(100, 100)
    canvas.polyline([(0, 0), (1, 1), (2, math.nan), (3, 3), (4, 4), (5, math.nan), (6, 6)], colour="#000000")
    root = ET.fromstring(canvas.render().encode())
    assert [p.get("points") for p in root.iter(f"{SVG}polyline")] == ["0,0 1,1", "3,3 4,4"]  # a lone point draws nothing


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0, 1.05, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        (0, 0.048, [0, 0.01, 0.02, 0.03, 0.04]),
        (0, 0.29, [0, 0.05, 0.1, 0.15, 0.2, 0.25]),
        (-0.05, 1.05, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
    ],
)
def test_ticks_are_round_and_inside_the_range(low, high, expected):
    assert linear_ticks(low, high) == expected


def test_scales_map_ends_to_ends_linear_and_log():
    linear, log = Scale(0, 2, 10, 110), Scale(0.1, 10, 0, 100, log=True)
    assert (linear(0), linear(1), linear(2)) == (10, 60, 110)
    assert log(0.1) == pytest.approx(0) and log(1) == pytest.approx(50) and log(10) == pytest.approx(100)


def test_text_width_grows_with_the_text_and_wide_scripts():
    assert 0 < text_width("il") < text_width("mw") and text_width("中文") > text_width("ab")
    assert text_width("abc", 18) == pytest.approx(2 * text_width("abc", 9))
