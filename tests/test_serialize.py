"""The one serialization mechanism: rules of ``_serialize`` on toy types, and round trips of the real results."""

from __future__ import annotations

import enum
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ethicscheck._serialize import Serializable, dump, json_options, load
from ethicscheck.compare._result import ComparisonResult
from ethicscheck.fairness import Estimate
from ethicscheck.result import AuditResult
from tests.golden.documents import MARK
from tests.golden.documents import load as load_golden


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@dataclass(frozen=True)
class Leaf(Serializable):
    value: float | None
    low: float | None = None
    note: str | None = field(default=None, metadata=json_options(omit="falsy"))
    count: int | None = field(default=None, metadata=json_options(key="n", omit="none"))


@dataclass(frozen=True)
class Inner(Serializable):
    kind: str
    source: str


@dataclass(frozen=True)
class Tree(Serializable):
    name: str
    leaves: tuple[Leaf, ...]
    by_key: dict[str, Leaf]
    pair: tuple[str, str] | None
    colour: Colour
    inner: Inner = field(metadata=json_options(flatten=True))
    counts: dict[str, int] = field(default_factory=dict, metadata=json_options(sort=True))
    hidden: int = field(default=0, metadata=json_options(written=False))
    status: str = field(default="ok", metadata=json_options(read=lambda v: "ok" if v == "old_ok" else v))

    JSON_ORDER = ("name", "inner", "size", "leaves", "by_key", "pair", "colour", "counts", "status")

    @property
    def size(self) -> int:
        return len(self.leaves)


def test_fields_are_written_in_the_declared_order_with_their_options():
    tree = Tree(
        "t",
        (Leaf(0.5, 0.25, note="why", count=3), Leaf(float("nan"))),
        {"a": Leaf(1.0, note="")},
        ("x", "y"),
        Colour.RED,
        Inner("sklearn", "m.skops"),
        counts={"b": 2, "a": 1},
        hidden=7,
    )
    assert json.dumps(tree.to_dict()) == json.dumps(
        {
            "name": "t",
            "kind": "sklearn",
            "source": "m.skops",
            "size": 2,
            "leaves": [{"value": 0.5, "low": 0.25, "note": "why", "n": 3}, {"value": None, "low": None}],
            "by_key": {"a": {"value": 1.0, "low": None}},
            "pair": ["x", "y"],
            "colour": "red",
            "counts": {"a": 1, "b": 2},
            "status": "ok",
        }
    )


def test_reading_converts_to_the_declared_types_and_fills_defaults():
    data = {
        "name": "t",
        "kind": "onnx",
        "source": "m.onnx",
        "size": 1,
        "leaves": [{"value": 1, "n": 2}],
        "by_key": {},
        "pair": ["x", "y"],
        "colour": "blue",
        "status": "old_ok",
    }
    tree = Tree.from_dict(data)
    assert tree == Tree("t", (Leaf(1.0, count=2),), {}, ("x", "y"), Colour.BLUE, Inner("onnx", "m.onnx"))
    assert isinstance(tree.leaves[0].value, float) and isinstance(tree.pair, tuple)


def test_a_missing_key_without_a_default_names_the_key():
    with pytest.raises(KeyError, match="kind"):
        Tree.from_dict({"name": "t", "leaves": [], "by_key": {}, "pair": None, "colour": "red", "source": "s"})


def test_numpy_scalars_paths_and_nan_become_plain_json():
    @dataclass(frozen=True)
    class Mixed(Serializable):
        n: object
        x: object
        flag: object
        path: Path

    written = Mixed(np.int64(3), np.float64("nan"), np.bool_(True), Path("a") / "b.csv").to_dict()
    assert written == {"n": 3, "x": None, "flag": True, "path": str(Path("a") / "b.csv")}
    assert [type(v) for v in written.values()] == [int, type(None), bool, str]


def test_a_field_left_out_of_the_order_is_a_programming_error():
    @dataclass(frozen=True)
    class Forgotten(Serializable):
        a: int
        b: int
        JSON_ORDER = ("a",)

    with pytest.raises(TypeError, match="leaves out the field"):
        Forgotten(1, 2).to_dict()


def test_plain_dataclasses_are_written_and_read_too():
    @dataclass(frozen=True)
    class Plain:
        a: int
        b: tuple[float, ...]

    assert dump(Plain(1, (0.5,))) == {"a": 1, "b": [0.5]}
    assert load(Plain, {"a": 1, "b": [0.5]}) == Plain(1, (0.5,))


finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
optional_float = st.none() | finite
text = st.text(max_size=8)
leaves = st.builds(Leaf, optional_float, optional_float, st.none() | text.filter(bool), st.none() | st.integers(0, 10**9))
trees = st.builds(
    Tree,
    text,
    st.lists(leaves, max_size=3).map(tuple),
    st.dictionaries(text, leaves, max_size=3),
    st.none() | st.tuples(text, text),
    st.sampled_from(Colour),
    st.builds(Inner, text, text),
    counts=st.dictionaries(text, st.integers(-5, 5), max_size=3),
)


@settings(max_examples=60, deadline=None)
@given(trees)
def test_toy_round_trip_through_json(tree):
    written = json.loads(json.dumps(tree.to_dict(), allow_nan=False))
    assert Tree.from_dict(written) == tree
    assert Tree.from_dict(written).to_dict() == written


def test_nan_reads_back_as_none():
    assert Leaf.from_dict(Leaf(math.nan).to_dict()).value is None


# --- the real results: the committed golden documents read back and are written identically ---------------

#: Golden values the normaliser replaced, put back with the type the result declares.
_DENORMALISED = {"packages": {}, "timings": {}, "seconds": 0.0, "fit_seconds": 0.0}


def _denormalised(document):
    if isinstance(document, dict):
        return {k: _DENORMALISED.get(k, v) if v == MARK else _denormalised(v) for k, v in document.items()}
    if isinstance(document, list):
        return [_denormalised(v) for v in document]
    return document


def test_the_demo_audit_json_reads_back_and_is_written_byte_for_byte():
    document = _denormalised(load_golden("audit.json"))
    again = AuditResult.from_dict(document).to_dict()
    assert json.dumps(again, indent=2, ensure_ascii=False) == json.dumps(document, indent=2, ensure_ascii=False)


def test_the_comparison_reads_back_and_is_written_byte_for_byte():
    document = _denormalised(load_golden("comparison.json"))
    again = ComparisonResult.from_dict(document).to_dict()
    assert json.dumps(again, indent=2, ensure_ascii=False) == json.dumps(document, indent=2, ensure_ascii=False)


estimates = st.builds(
    Estimate,
    st.none() | finite,
    st.none() | finite,
    st.none() | finite,
    st.sampled_from(["ok", "insufficient_data", "undefined"]),
    st.none() | text.filter(bool),
    st.none() | st.integers(0, 10**6),
    st.none() | st.integers(0, 10**6),
    st.none() | st.sampled_from(["wilson", "bootstrap", "newcombe"]),
).filter(lambda e: (e.numerator is None) == (e.denominator is None))


@settings(max_examples=100, deadline=None)
@given(estimates)
def test_estimates_round_trip_through_json(estimate):
    written = json.loads(json.dumps(estimate.to_dict(), allow_nan=False))
    assert Estimate.from_dict(written) == estimate


@dataclass(frozen=True)
class Own:
    x: int

    def to_dict(self):
        return {"written": self.x}

    @classmethod
    def from_dict(cls, data):
        return cls(data["written"])


@dataclass(frozen=True)
class Holder(Serializable):
    own: Own


def test_a_nested_type_with_its_own_to_dict_and_from_dict_keeps_them():
    assert Holder(Own(3)).to_dict() == {"own": {"written": 3}}
    assert Holder.from_dict({"own": {"written": 3}}) == Holder(Own(3))
