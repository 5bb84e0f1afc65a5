"""Domain errors: what went wrong, in words a declarant or officer can act on."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

T = TypeVar("T")


class DomainError(Exception):
    """Base of every rule the domain refuses; carries a message a person can act on."""

    title = "Request refused"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass(frozen=True)
class FieldProblem:
    """One bad field: its dotted path (e.g. ``goods[0].hs_code``) and why it is wrong."""

    field: str
    message: str


class InvalidValue(ValueError):
    """A single value that does not fit its grammar (plate, HS code, container number...)."""


@dataclass
class Invalid(DomainError):
    """Input that breaks one or more rules; nothing was saved."""

    problems: list[FieldProblem] = field(default_factory=list)
    title = "Invalid input"

    def __post_init__(self) -> None:
        names = ", ".join(p.field for p in self.problems)
        DomainError.__init__(self, f"{len(self.problems)} field(s) need correcting: {names}")


class NotFound(DomainError):
    """The thing asked for does not exist, or the caller may not know it exists."""

    title = "Not found"


class Forbidden(DomainError):
    """The caller is known but their role or organisation does not allow this."""

    title = "Not allowed"


class Conflict(DomainError):
    """The request clashes with the current state (e.g. amending a cancelled declaration)."""

    title = "Conflict with current state"


class ChangedMeanwhile(Conflict):
    """Someone changed the same record between reading and saving it; nothing was saved, and the same request
    again will do (two operators, or the timer and a camera, acting on one truck at once)."""

    title = "Changed meanwhile: send the same request again"


class Unavailable(DomainError):
    """A system bordergate depends on (a payment provider) did not answer, or it is too busy to take this now;
    nothing was changed, try again (after ``retry_after`` s when given)."""

    title = "Service unavailable"

    def __init__(self, detail: str, retry_after: int | None = None) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class TooManyRequests(DomainError):
    """The caller is going faster than a person would (bots booking places); try again after ``retry_after`` s."""

    title = "Too many requests"

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


def collect(problems: list[FieldProblem], path: str, parse: Callable[[Any], Any], value: Any) -> Any:
    """``parse(value)``, or None with the reason noted under ``path`` in ``problems`` (to report all at once).

    Typed Any: callers build their object from the results before raising for the problems noted."""
    try:
        return parse(value)
    except InvalidValue as exc:
        problems.append(FieldProblem(path, str(exc)))
        return None


def parsed(path: str, parse: Callable[[Any], T], value: Any) -> T:
    """``parse(value)``, or Invalid naming ``path`` and the reason."""
    problems: list[FieldProblem] = []
    result = collect(problems, path, parse, value)
    if problems:
        raise Invalid(problems)
    return cast(T, result)  # no problem noted, so parse returned it
