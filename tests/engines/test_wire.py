"""What a Spark partition sends to the driver travels as JSON and comes back with every type and bit kept."""

from __future__ import annotations

import dataclasses
import decimal
import json
from dataclasses import dataclass
from fractions import Fraction
from functools import partial

import numpy as np
import pandas as pd
import pytest

from ethicscheck.engines._wire import decode, encode
from ethicscheck.fairness._sufficient import RowChunk, ScorePlan, count_chunk, score_chunk


@dataclass(frozen=True)
class _Foreign:
    value: int


def _same(a: object, b: object) -> None:
    """Equal, of the same type, arrays equal in dtype and every element (NaN in the same places)."""
    assert type(a) is type(b), (a, b)
    if isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray) and a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(a, b)
    elif isinstance(a, (list, tuple)):
        assert isinstance(b, (list, tuple)) and len(a) == len(b)
        for x, y in zip(a, b):
            _same(x, y)
    elif isinstance(a, dict):
        assert isinstance(b, dict) and list(a) == list(b)
        for (ka, va), (kb, vb) in zip(a.items(), b.items()):
            _same(ka, kb)
            _same(va, vb)
    elif dataclasses.is_dataclass(a):
        for field in dataclasses.fields(a):
            _same(getattr(a, field.name), getattr(b, field.name))
    elif isinstance(a, float) and np.isnan(a):
        assert isinstance(b, float) and np.isnan(b)
    else:
        assert a == b


def test_plain_values_keep_their_types_and_bits():
    value = {
        np.int64(1): {"a", "b"},
        "label": [True, np.bool_(False), 3, np.float32(0.1), 0.1 + 0.2, float("-inf"), float("nan")],
        (1, "x"): frozenset({2}),
        decimal.Decimal("1.10"): pd.Timestamp("2024-01-01 10:00"),
        "arrays": (np.arange(6, dtype=np.int32).reshape(2, 3), np.zeros(0), np.array([True, False])),
        "bytes": b"\x00\xff",
        "none": None,
    }
    back = decode(encode(value))
    _same(value, back)
    assert back[np.int64(1)] == {"a", "b"} and type(back[(1, "x")]) is frozenset


def test_the_statistics_partitions_send_come_back_equal():
    from ethicscheck.engines._batches import RoleTally

    rng = np.random.default_rng(0)
    n = 1_000
    chunk = RowChunk(rng.integers(0, 6, n), rng.uniform(size=n) < 0.3, rng.uniform(size=n) < 0.2, rng.uniform(size=n))
    counted = count_chunk(chunk, 6)
    plan = ScorePlan.after(counted, 6, target_fpr=0.05, scale=None, higher_is_riskier=True)
    tally = RoleTally(rows_read=5, rows=4, labels={np.int64(0): 3, np.int64(1): 1}, groups=[{"a", "b"}], steps=[[5, 4]])
    tally.pseudonyms = {"jane@example.org": "group-1"}
    for statistic in (counted, score_chunk(chunk, plan), tally, partial(count_chunk, size=3).keywords):
        back = decode(encode(statistic))
        _same(statistic, back)


def test_a_scan_result_comes_back_equal():
    from ethicscheck.config import PrivacyConfig
    from ethicscheck.privacy import ScanOptions, scan_texts
    from ethicscheck.privacy._result import PrivacyResult

    frame = pd.DataFrame({"text": ["call 07700 900123 now", "write to jane.doe@example.org", "nothing here"]})
    result = scan_texts(frame, ["text"], ScanOptions.from_settings(PrivacyConfig(examples=2)), seed=1)
    assert {e.entity_type for c in result.columns for e in c.entities} >= {"PHONE_NUMBER", "EMAIL_ADDRESS"}
    back = decode(encode(result))
    assert isinstance(back, PrivacyResult) and back == result
    assert [e.example_keys for c in back.columns for e in c.entities] == [e.example_keys for c in result.columns for e in c.entities]


def test_nothing_outside_ethicscheck_travels_or_is_built():
    with pytest.raises(TypeError, match="Fraction"):
        encode(Fraction(1, 3))
    with pytest.raises(TypeError, match="_Foreign"):
        encode(_Foreign(1))
    with pytest.raises(TypeError, match="objects"):
        encode(np.array([object()]))
    forged = json.dumps({"$": "dataclass", "name": "subprocess:Popen", "v": {"args": ["true"]}})
    with pytest.raises(ValueError, match="outside ethicscheck"):
        decode(forged)
    not_dataclass = json.dumps({"$": "dataclass", "name": "ethicscheck.engines._wire:decode", "v": {}})
    with pytest.raises(ValueError, match="not one of ethicscheck's dataclasses"):
        decode(not_dataclass)
