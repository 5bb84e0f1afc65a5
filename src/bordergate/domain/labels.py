"""Labelled enums: every status and category carries its vi/en/zh label and colour in one place."""
from __future__ import annotations

from enum import StrEnum
from typing import Self, TypeVar

from bordergate.domain.errors import InvalidValue

E = TypeVar("E", bound=StrEnum)


class Labelled(StrEnum):
    """A StrEnum whose members know how to present themselves in each language."""

    # Set on each member by __new__ (bare annotations make no enum members).
    labels: dict[str, str]
    colour: str

    def __new__(cls, value: str, vi: str, en: str, zh: str, colour: str = "grey") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.labels = {"vi": vi, "en": en, "zh": zh}
        member.colour = colour
        return member

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
