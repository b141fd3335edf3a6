"""What a Spark partition sends to the driver: ethicscheck's statistics as JSON, never pickle.

A partition's result (role tallies, exact partial sums, score statistics, a scan's counts and redacted
examples) crosses from a Python worker to the driver. Unpickling it on the driver would run whatever
the bytes say; decoding this JSON builds only plain values, NumPy arrays of plain dtypes and
ethicscheck's own dataclasses, by name, through their constructors. Every type is kept: a label value
read as ``numpy.int64`` comes back as ``numpy.int64``, a tuple as a tuple, a set as a set, a float
bit for bit (so the driver's sums equal the in-memory audit's to the last digit).

Examples
--------
>>> import numpy as np
import pandas as pd
>>> decode(encode({np.int64(1): {"a", "b"}, "x": (1.5, float("inf"))})) == {np.int64(1): {"a", "b"}, "x": (1.5, float("inf"))}
True
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import decimal
import importlib
import json
import math
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["decode", "encode"]

#: The module prefix of the dataclasses a partition may send (looked up by module and name, built by their constructor).
_OWN = "ethicscheck."


def encode(value: Any) -> str:
    """``value`` as JSON text (see the module docstring for the types kept).

    Raises
    ------
    TypeError
        A value of a type the driver would not rebuild (a class outside ethicscheck, an object array).
    """
    return json.dumps(_tagged(value), separators=(",", ":"), allow_nan=False)


def decode(text: str | bytes) -> Any:
    """The value :func:`encode` wrote."""
    return _untagged(json.loads(text))


def _tagged(value: Any) -> Any:
    """Plain JSON for None, bool, int, finite float, str and list; a ``{"$": tag, "v": ...}`` object for the rest."""
    if value is None or isinstance(value, (bool, str)) or type(value) is int:
        return value
    if type(value) is float:
        return value if math.isfinite(value) else {"$": "float", "v": repr(value)}
    if isinstance(value, list):
        return [_tagged(v) for v in value]
    if isinstance(value, (np.ndarray, np.generic)):
        if value.dtype.hasobject:
            raise TypeError(f"NumPy values of Python objects cannot travel from a partition ({value.dtype})")
        data = np.ascontiguousarray(value) if isinstance(value, np.ndarray) else np.asarray(value)
        tag = "array" if isinstance(value, np.ndarray) else "scalar"
        return {"$": tag, "dtype": data.dtype.str, "shape": list(data.shape), "v": _b64(data.tobytes())}
    if isinstance(value, tuple):
        return {"$": "tuple", "v": [_tagged(v) for v in value]}
    if isinstance(value, (set, frozenset)):
        return {"$": "frozenset" if isinstance(value, frozenset) else "set", "v": [_tagged(v) for v in value]}
    if isinstance(value, dict):
        return {"$": "dict", "v": [[_tagged(k), _tagged(v)] for k, v in value.items()]}
    if isinstance(value, decimal.Decimal):  # label values as Spark reads decimal, timestamp and date columns
        return {"$": "Decimal", "v": str(value)}
    if isinstance(value, pd.Timestamp):
        return {"$": "Timestamp", "v": value.isoformat()}
    if isinstance(value, datetime.datetime):
        return {"$": "datetime", "v": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"$": "date", "v": value.isoformat()}
    if isinstance(value, bytes):
        return {"$": "bytes", "v": _b64(value)}
    cls = type(value)
    if dataclasses.is_dataclass(value) and cls.__module__.startswith(_OWN):
        fields = {f.name: _tagged(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return {"$": "dataclass", "name": f"{cls.__module__}:{cls.__qualname__}", "v": fields}
    raise TypeError(f"a {cls.__module__}.{cls.__qualname__} cannot travel from a partition as JSON")


#: Types rebuilt from their text.
_TEXT_TYPES: dict[str, Any] = {
    "Decimal": decimal.Decimal,
    "date": datetime.date.fromisoformat,
    "datetime": datetime.datetime.fromisoformat,
    "Timestamp": pd.Timestamp,
    "float": float,
}


def _untagged(value: Any) -> Any:
    if isinstance(value, list):
        return [_untagged(v) for v in value]
    if not isinstance(value, dict):
        return value
    tag, content = value["$"], value["v"]
    if tag in _TEXT_TYPES:
        return _TEXT_TYPES[tag](content)
    if tag in ("array", "scalar"):
        array = np.frombuffer(base64.b64decode(content), dtype=np.dtype(value["dtype"])).reshape(value["shape"]).copy()
        return array if tag == "array" else array[()]
    if tag == "bytes":
        return base64.b64decode(content)
    if tag == "tuple":
        return tuple(_untagged(v) for v in content)
    if tag == "set":
        return {_untagged(v) for v in content}
    if tag == "frozenset":
        return frozenset(_untagged(v) for v in content)
    if tag == "dict":
        return {_untagged(k): _untagged(v) for k, v in content}
    if tag == "dataclass":
        return _dataclass(value["name"])(**{name: _untagged(v) for name, v in content.items()})
    raise ValueError(f"a partition's result holds an unknown tag {tag!r}")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _dataclass(name: str) -> type:
    """One of ethicscheck's dataclasses, by ``module:qualname`` (nothing outside ethicscheck is imported)."""
    module_name, _, qualname = name.partition(":")
    if not module_name.startswith(_OWN):
        raise ValueError(f"a partition's result names a class outside ethicscheck: {name!r}")
    found: Any = importlib.import_module(module_name)
    for part in qualname.split("."):
        found = getattr(found, part)
    if not (isinstance(found, type) and dataclasses.is_dataclass(found)):
        raise ValueError(f"a partition's result names {name!r}, which is not one of ethicscheck's dataclasses")
    return found
