"""Reading an operator's JSON field by field, collecting every problem with the dotted path of its field."""
from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import Any, TypeVar

from bordergate.domain.crossing_points import parse_crossing_point_code
from bordergate.domain.errors import FieldProblem, InvalidValue

T = TypeVar("T")
E = TypeVar("E", bound=Enum)
REQUIRED, MISSING = object(), object()


class Fields:
    """One JSON object being read; the problems are shared with the readers of the objects inside it."""

    def __init__(self, data: Any, path: str, problems: list[FieldProblem] | None = None) -> None:
        self.problems = [] if problems is None else problems
        self.path = path
        self.seen: set[str] = set()
        self.data = data if isinstance(data, dict) else {}
        if not isinstance(data, dict):
            self.problems.append(FieldProblem(path or "scenario", "must be a JSON object ({...})"))

    def problem(self, name: str, message: str) -> None:
        self.problems.append(FieldProblem(self._name(name), message))

    def _name(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def _get(self, name: str, default: Any) -> Any:
        """The value given, or the default; MISSING (and a problem) when a required field is not given."""
        self.seen.add(name)
        if name in self.data:
            return self.data[name]
        if default is REQUIRED:
            self.problem(name, "is required")
            return MISSING
        return default

    def text(self, name: str, default: Any = REQUIRED) -> str | None:
        value = self._get(name, default)
        if value is MISSING or value is default:
            return None if value is MISSING else value
        if not (isinstance(value, str) and value.strip()):
            self.problem(name, "must be a non-empty text")
            return None
        return value

    def flag(self, name: str, default: Any = REQUIRED) -> bool | None:
        value = self._get(name, default)
        if value is MISSING or value is default:
            return None if value is MISSING else value
        if not isinstance(value, bool):
            self.problem(name, "must be true or false")
            return None
        return value

    def number(self, name: str, low: float, high: float, default: Any = REQUIRED, *, integer: bool = False):
        value = self._get(name, default)
        if value is MISSING or value is default:
            return None if value is MISSING else value
        return self._check_number(name, value, low, high, integer)

    def _check_number(self, name: str, value: Any, low: float, high: float, integer: bool):
        kind = int if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kind) or not math.isfinite(value):
            self.problem(name, f"must be {'a whole number' if integer else 'a number'} from {low} to {high}")
            return None
        if not low <= value <= high:
            self.problem(name, f"must be from {low} to {high}; got {value}")
            return None
        return value

    def integer(self, name: str, low: int, high: int, default: Any = REQUIRED) -> int | None:
        return self.number(name, low, high, default, integer=True)

    def share(self, name: str, default: Any = REQUIRED) -> float | None:
        return self.number(name, 0, 1, default)

    def span(self, name: str, low: float, high: float) -> tuple[float, float] | None:
        """A range written [least, most]."""
        value = self._get(name, REQUIRED)
        if not (isinstance(value, list) and len(value) == 2):
            if value is not MISSING:
                self.problem(name, "must be [least, most], two numbers")
            return None
        pair = [self._check_number(f"{name}[{i}]", v, low, high, False) for i, v in enumerate(value)]
        if None in pair:
            return None
        if pair[0] > pair[1]:
            self.problem(name, "the least must not be more than the most")
            return None
        return float(pair[0]), float(pair[1])

    def numbers(self, name: str, count: int, low: float, high: float, *, integer: bool = False,
                positive_sum: bool = False) -> tuple | None:
        value = self._get(name, REQUIRED)
        if not isinstance(value, list) or len(value) != count:
            if value is not MISSING:
                got = len(value) if isinstance(value, list) else type(value).__name__
                self.problem(name, f"give {count} numbers, one per hour from 00:00; got {got}")
            return None
        checked = [self._check_number(f"{name}[{i}]", v, low, high, integer) for i, v in enumerate(value)]
        if None in checked:
            return None
        if positive_sum and not sum(checked) > 0:
            self.problem(name, "at least one hour must have a weight above 0")
            return None
        return tuple(checked)

    def day(self, name: str) -> date | None:
        value = self._get(name, REQUIRED)
        try:
            return date.fromisoformat(value) if value is not MISSING else None
        except (TypeError, ValueError):
            self.problem(name, f"must be a local date like 2025-06-02; got {value!r}")
            return None

    def choice(self, name: str, kind: type[E], default: Any = REQUIRED) -> E | None:
        value = self._get(name, default)
        if value is MISSING or value is default:
            return None if value is MISSING else value
        try:
            return kind(value)
        except ValueError:
            self.problem(name, f"must be one of: {', '.join(m.value for m in kind)}; got {value!r}")
            return None

    def code(self, name: str) -> str | None:
        value = self._get(name, REQUIRED)
        if value is MISSING:
            return None
        try:
            return parse_crossing_point_code(value) if isinstance(value, str) else _not_text(value)
        except InvalidValue as exc:
            self.problem(name, str(exc))
            return None

    def texts(self, name: str) -> list[str]:
        value = self._get(name, [])
        if not (isinstance(value, list) and all(isinstance(v, str) and v for v in value)):
            self.problem(name, "must be a list of texts")
            return []
        return value

    def codes(self, name: str) -> list[str]:
        return [parse_crossing_point_code(t) for t in self.texts(name) if not self._bad_code(name, t)]

    def _bad_code(self, name: str, text: str) -> bool:
        try:
            parse_crossing_point_code(text)
            return False
        except InvalidValue as exc:
            self.problem(name, str(exc))
            return True

    def child(self, name: str, default: Any = REQUIRED) -> Fields:
        value = self._get(name, default)
        return Fields({} if value is MISSING else value, self._name(name), self.problems)

    def each(self, name: str, read: Callable[[Fields], T], default: Any = REQUIRED, at_least: int = 0) -> list[T]:
        value = self._get(name, default)
        if not isinstance(value, list):
            if value is not MISSING:
                self.problem(name, "must be a list")
            return []
        if len(value) < at_least:
            self.problem(name, f"give at least {at_least}")
        return [read(Fields(item, f"{self._name(name)}[{i}]", self.problems)) for i, item in enumerate(value)]

    def no_others(self) -> None:
        """Unknown fields are refused: a misspelt field would otherwise be silently ignored. A name starting with
        ``_`` is an operator's comment, anywhere."""
        for name in sorted(n for n in set(self.data) - self.seen if not str(n).startswith("_")):
            self.problem(name, f"is not a field here; known: {', '.join(sorted(self.seen))} (a name starting with _ "
                               "is a comment)")


def _not_text(value: Any) -> None:
    raise InvalidValue(f"{value!r} is not a crossing point code; use letters, digits and _ like HUU_NGHI")
