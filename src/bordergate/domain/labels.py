"""Labelled enums: every status and category carries its vi/en/zh label and colour in one place."""
from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Self, TypeVar

from bordergate.domain.errors import InvalidValue

E = TypeVar("E", bound=StrEnum)
L = TypeVar("L", bound="Labelled")


def _member(cls: type[L], value: str, vi: str, en: str, zh: str, colour: str = "grey") -> L:
    """A member built from its tuple in the class body: code, vi, en, zh labels and colour."""
    member = str.__new__(cls, value)
    member._value_ = value
    member.labels = {"vi": vi, "en": en, "zh": zh}
    member.colour = colour
    return member


class Labelled(StrEnum):
    """A StrEnum whose members know how to present themselves in each language."""

    # Set on each member by _member (bare annotations make no enum members).
    labels: dict[str, str]
    colour: str

    if TYPE_CHECKING:
        # Code only calls Kind(code) to look a member up; the enum machinery alone builds members with _member.
        def __new__(cls, value: str) -> Self: ...
    else:
        __new__ = _member

    def label(self, locale: str = "vi") -> str:
        """The member's name in ``locale`` (vi, en or zh), falling back to Vietnamese."""
        return self.labels.get(locale, self.labels["vi"])


def parse_choice(kind: type[E], value: object) -> E:
    """The member of ``kind`` whose code is ``value``, or InvalidValue listing the codes allowed."""
    try:
        return kind(value)  # type: ignore[arg-type]  # a lookup by value: anything, ValueError when none matches
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise InvalidValue(f"'{value}' is not one of: {allowed}") from None
