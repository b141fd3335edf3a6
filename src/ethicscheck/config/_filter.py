"""``data.filter``: which rows of the file are audited, as a list of column predicates (no code).

A population filter belongs in the config, not in a rewritten copy of the data, so that it is
validated, recorded in the provenance with its row counts, and the same for everyone who reruns the
audit. It is a list of predicates that all must hold; each names one column and one operator. Nothing
is evaluated as Python.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_serializer, model_validator

__all__ = ["RowPredicate", "FILTER_OPERATORS"]

#: Operator names, in the order a predicate's description uses them.
FILTER_OPERATORS: tuple[str, ...] = (
    "equal",
    "not_equal",
    "in",
    "not_in",
    "between",
    "less_than",
    "at_most",
    "greater_than",
    "at_least",
    "missing",
)

_SYMBOLS = {"equal": "==", "not_equal": "!=", "less_than": "<", "at_most": "<=", "greater_than": ">", "at_least": ">="}


class RowPredicate(BaseModel):
    """One condition on one column; a row is kept when every predicate of ``data.filter`` holds.

    A missing value satisfies no comparison (also not ``not_equal`` or ``not_in``), as in SQL and
    dplyr; select or drop missing values explicitly with ``missing: true`` / ``missing: false``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    column: str = Field(description="Column the condition is on.")
    equal: Any = Field(default=None, description="Keep rows whose value equals this (numbers compare as numbers).")
    not_equal: Any = Field(default=None, description="Keep rows whose value differs from this.")
    in_: list[Any] | None = Field(default=None, alias="in", description="Keep rows whose value is one of these.")
    not_in: list[Any] | None = Field(default=None, description="Keep rows whose value is none of these.")
    between: tuple[float, float] | None = Field(default=None, description="Keep rows with low <= value <= high (numeric column).")
    less_than: float | None = Field(default=None, description="Keep rows with value < this (numeric column).")
    at_most: float | None = Field(default=None, description="Keep rows with value <= this (numeric column).")
    greater_than: float | None = Field(default=None, description="Keep rows with value > this (numeric column).")
    at_least: float | None = Field(default=None, description="Keep rows with value >= this (numeric column).")
    missing: bool | None = Field(default=None, description="true keeps only rows where the value is missing, false drops them.")

    @model_validator(mode="after")
    def _one_operator(self) -> RowPredicate:
        used = [name for name in FILTER_OPERATORS if self._value(name) is not None]
        if len(used) != 1:
            shown = ", ".join(used) if used else "none"
            raise ValueError(f"a filter predicate needs exactly one operator besides column ({', '.join(FILTER_OPERATORS)}); got {shown}")
        if self.between is not None and self.between[0] > self.between[1]:
            raise ValueError(f"between needs [low, high] with low <= high, got {list(self.between)}")
        if isinstance(self._value(used[0]), (dict, list)) and used[0] in ("equal", "not_equal"):
            raise ValueError(f"{used[0]} takes one value; use in / not_in for several")
        return self

    @model_serializer(mode="plain")
    def _as_written(self) -> dict[str, Any]:
        """Serialize as the user wrote it (``{column, <operator>: value}``), e.g. in the published config."""
        value = self.operand
        return {"column": self.column, self.operator: list(value) if isinstance(value, tuple) else value}

    @property
    def operator(self) -> str:
        return next(name for name in FILTER_OPERATORS if self._value(name) is not None)

    @property
    def operand(self) -> Any:
        return self._value(self.operator)

    def describe(self) -> str:
        """The predicate in one line, e.g. ``days_b_screening_arrest between -30 and 30``."""
        op, value = self.operator, self.operand
        if op == "between":
            return f"{self.column} between {value[0]:g} and {value[1]:g}"
        if op == "missing":
            return f"{self.column} is {'' if value else 'not '}missing"
        if op in ("in", "not_in"):
            return f"{self.column} {'in' if op == 'in' else 'not in'} [{', '.join(map(str, value))}]"
        shown = f"{value:g}" if isinstance(value, float) else str(value)
        return f"{self.column} {_SYMBOLS[op]} {shown}"

    def _value(self, name: str) -> Any:
        return getattr(self, "in_" if name == "in" else name)
