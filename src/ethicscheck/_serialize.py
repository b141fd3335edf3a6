"""One way results become JSON and come back: frozen dataclasses read by one generic converter.

A result type subclasses :class:`Serializable` and gets ``to_dict()`` and ``from_dict()``. By default every
field is written under its own name, in field order: nested results as objects, tuples as lists,
``None`` as ``null``, NaN as ``null`` (undefined is never a number), numpy scalars as Python numbers, enums
as their values and paths as text. ``from_dict`` reads the same shape back, converting each value to the
field's declared type, and falls back to a field's default when an older file lacks it.

Where a document differs from the fields, the type says so declaratively, never in a hand-written
``to_dict``:

* ``field(metadata=json_options(...))`` on a field: another key, left out when None or empty, spliced
  into its parent (``flatten``), written with sorted keys, not written at all, or converted on reading
  (``read``, e.g. a value spelt differently by older files);
* ``JSON_ORDER``, a class variable: the written keys in order, which may name properties (and methods
  without arguments) whose values are derived from the fields, such as a rate written beside its counts.

Examples
--------
>>> from dataclasses import dataclass, field
>>> @dataclass(frozen=True)
... class Share(Serializable):
...     rows: int
...     hits: int
...     note: str | None = field(default=None, metadata=json_options(omit="none"))
...     JSON_ORDER = ("rows", "hits", "rate", "note")
...
...     @property
...     def rate(self) -> float | None:
...         return self.hits / self.rows if self.rows else None
>>> Share(4, 1).to_dict()
{'rows': 4, 'hits': 1, 'rate': 0.25}
>>> Share.from_dict({"rows": 4, "hits": 1, "rate": 0.25})
Share(rows=4, hits=1, note=None)
"""

from __future__ import annotations

import dataclasses
import enum
import math
import types
import typing
from collections.abc import Callable, Mapping
from pathlib import PurePath
from typing import Any, ClassVar, Literal, TypeVar

__all__ = ["Serializable", "dump", "json_options", "load"]

T = TypeVar("T")
_S = TypeVar("_S", bound="Serializable")

_KEY = "ethicscheck.json"
Omit = Literal["none", "falsy"]


@dataclasses.dataclass(frozen=True)
class _Options:
    key: str | None = None
    omit: Omit | None = None
    flatten: bool = False
    sort: bool = False
    written: bool = True
    read: Callable[[Any], Any] | None = None


def json_options(
    *,
    key: str | None = None,
    omit: Omit | None = None,
    flatten: bool = False,
    sort: bool = False,
    written: bool = True,
    read: Callable[[Any], Any] | None = None,
) -> dict[str, Any]:
    """Metadata for ``dataclasses.field`` saying how one field is written and read.

    Parameters
    ----------
    key : str, optional
        The JSON key (default: the field's name).
    omit : {"none", "falsy"}, optional
        Leave the key out when the value is None (``"none"``) or empty, zero or None (``"falsy"``).
    flatten : bool
        The field is a nested result whose keys are written into this object instead of under a key.
    sort : bool
        A mapping written with its keys sorted.
    written : bool
        False: :func:`dump` leaves the field out of the document (:func:`load` still reads it when a
        caller puts it in, else it needs a default).
    read : callable, optional
        Applied to the JSON value before it is converted to the field's type (for example to accept a
        value older files spelt differently).
    """
    return {_KEY: _Options(key=key, omit=omit, flatten=flatten, sort=sort, written=written, read=read)}


class Serializable:
    """Mixin for frozen dataclass results: ``to_dict()`` and ``from_dict()`` through :func:`dump` and :func:`load`."""

    #: The written keys in order: field names and names of derived properties. None: the fields, in order.
    JSON_ORDER: ClassVar[tuple[str, ...] | None] = None

    def to_dict(self) -> dict[str, Any]:
        """This result as a JSON-ready dict (see the module docs for the rules)."""
        return dump(self)

    @classmethod
    def from_dict(cls: type[_S], data: Mapping[str, Any]) -> _S:
        """Rebuild the result from what :meth:`to_dict` wrote (older documents: missing keys take defaults)."""
        return load(cls, data)


# --- writing -------------------------------------------------------------------------------------------


# One written key: (attribute, key, computed, omit, how) with omit 0 never / 1 when None / 2 when falsy,
# and how 0 as a value / 1 spliced into the parent / 2 a mapping with sorted keys. Plain tuples: this
# loop runs for every number of every result.
_Entry = tuple[str, str, bool, int, int]
_OMIT = {None: 0, "none": 1, "falsy": 2}

_PLANS: dict[type, tuple[_Entry, ...]] = {}


def _plan(cls: type) -> tuple[_Entry, ...]:
    """What ``cls`` writes, in order (computed once per type)."""
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = _make_plan(cls)
    return plan


def _make_plan(cls: type) -> tuple[_Entry, ...]:
    fields = {f.name: f for f in dataclasses.fields(cls)}
    options = {name: f.metadata.get(_KEY, _Options()) for name, f in fields.items()}
    order: tuple[str, ...] | None = getattr(cls, "JSON_ORDER", None)
    if order is None:
        order = tuple(name for name in fields if options[name].written)
    unplaced = [name for name in fields if options[name].written and name not in order]
    if unplaced:
        raise TypeError(f"{cls.__name__}.JSON_ORDER leaves out the field(s) {', '.join(unplaced)}; list them or mark them written=False.")
    entries: list[_Entry] = []
    for name in order:
        if name in fields:
            o = options[name]
            entries.append((name, o.key or name, False, _OMIT[o.omit], 1 if o.flatten else 2 if o.sort else 0))
        elif hasattr(cls, name):
            entries.append((name, name, True, 0, 0))
        else:
            raise TypeError(f"{cls.__name__}.JSON_ORDER names '{name}', which is neither a field nor a property.")
    return tuple(entries)


def dump(result: object) -> dict[str, Any]:
    """The JSON-ready dict of a dataclass result (``to_dict()`` of a :class:`Serializable`)."""
    out: dict[str, Any] = {}
    for name, key, computed, omit, how in _plan(type(result)):
        value = getattr(result, name)
        if computed and callable(value):
            value = value()
        if omit and (value is None if omit == 1 else not value):
            continue
        if how == 0:
            out[key] = _value(value)
        elif how == 1:
            out.update(_value(value))
        else:
            out[key] = {str(k): _value(v) for k, v in sorted(value.items())}
    return out


_AS_IS = frozenset({str, int, bool, type(None)})


def _value(value: Any) -> Any:
    kind = type(value)
    if kind in _AS_IS:
        return value
    if kind is float:
        return None if value != value else value  # NaN is the only float unequal to itself
    if isinstance(value, Serializable):
        return value.to_dict()
    if isinstance(value, (tuple, list)):
        return [_value(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _value(v) for k, v in value.items()}
    if isinstance(value, enum.Enum):
        return _value(value.value)
    if isinstance(value, float):  # numpy.float64 and other float subclasses
        return None if math.isnan(value) else float(value)
    if isinstance(value, (str, int)):  # subclasses (bool is handled above)
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        own = getattr(value, "to_dict", None)  # a type's own writer, when it has one
        return own() if callable(own) else dump(value)
    if isinstance(value, PurePath):
        return str(value)
    item = getattr(value, "item", None)  # numpy scalars, without importing numpy here
    if callable(item) and getattr(value, "shape", None) == ():
        return _value(item())
    return value


# --- reading -------------------------------------------------------------------------------------------

Reader = Callable[[Any], Any]


@dataclasses.dataclass(frozen=True)
class _Slot:
    name: str
    key: str
    required: bool
    flatten: bool
    read: Reader | None
    convert: Reader


_SLOTS: dict[type, tuple[_Slot, ...]] = {}


def load(cls: type[T], data: Mapping[str, Any]) -> T:
    """Build a ``cls`` from the dict :func:`dump` wrote; missing keys take the fields' defaults.

    Raises
    ------
    KeyError
        A key without a default is missing (the key's name is the message).
    TypeError
        ``data`` is not a mapping.
    """
    if not isinstance(data, Mapping):
        raise TypeError(f"{cls.__name__} is read from an object, got {type(data).__name__}")
    slots = _SLOTS.get(cls)
    if slots is None:
        slots = _SLOTS[cls] = _make_slots(cls)
    values: dict[str, Any] = {}
    for slot in slots:
        if slot.flatten:
            values[slot.name] = slot.convert(data)
            continue
        if slot.key not in data:
            if slot.required:
                raise KeyError(slot.key)
            continue
        raw = data[slot.key]
        if slot.read is not None:
            raw = slot.read(raw)
        values[slot.name] = None if raw is None else slot.convert(raw)
    return cls(**values)


def _make_slots(cls: type) -> tuple[_Slot, ...]:
    hints = typing.get_type_hints(cls)
    slots = []
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        options: _Options = f.metadata.get(_KEY, _Options())
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        slots.append(_Slot(f.name, options.key or f.name, required, options.flatten, options.read, _reader(hints[f.name])))
    return tuple(slots)


def _same(raw: Any) -> Any:
    return raw


def _reader(hint: Any) -> Reader:
    """A function turning a JSON value into the type ``hint`` declares (None stays None)."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is Any or origin is Literal:
        return _same
    if origin in (typing.Union, types.UnionType):
        members = [a for a in args if a is not type(None)]
        if len(members) != 1:
            return _same
        inner = _reader(members[0])
        return lambda raw: None if raw is None else inner(raw)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = _reader(args[0])
            return lambda raw: tuple(item(v) for v in raw)
        if args:
            items = [_reader(a) for a in args]
            return lambda raw: tuple(read(v) for read, v in zip(items, raw))
        return tuple
    if origin in (dict, Mapping):
        value = _reader(args[1]) if args else _same
        if value is _same:
            return dict
        return lambda raw: {k: value(v) for k, v in raw.items()}
    if origin is list:
        item = _reader(args[0]) if args else _same
        return lambda raw: [item(v) for v in raw]
    if isinstance(hint, type):
        own: Reader | None = getattr(hint, "from_dict", None)  # a Serializable's, or a type's own reader
        if callable(own):
            return own
        if dataclasses.is_dataclass(hint):
            return lambda raw: load(hint, raw)
        if issubclass(hint, enum.Enum) or issubclass(hint, PurePath):
            return hint
        if hint is float:
            return lambda raw: float(raw) if type(raw) is int else raw
    return _same
