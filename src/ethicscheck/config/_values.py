"""Checks shared by config fields that name class values (label positive, model positive class)."""

from __future__ import annotations

from typing import Any

__all__ = ["single_class_value"]


def single_class_value(value: Any, *, hint: str = "") -> Any:
    """Return ``value`` if it is one class value; a list or mapping is refused.

    A list such as ``[Medium, High]`` used to validate and then equal no row, so a whole audit ran with
    nothing flagged. Refusing it at load time turns that silent misreading into a message.
    """
    if isinstance(value, (list, tuple, set, dict)):
        more = f"; {hint}" if hint else ""
        raise ValueError(f"one value is expected here, not a {type(value).__name__}{more}")
    return value
