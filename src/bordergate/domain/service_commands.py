"""What administrators and officers ask of the public services, in the imperative: publish, record a use."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bordergate.domain.commands import Command


@dataclass(frozen=True)
class PublishProcedures(Command):
    """Publish a version of the procedures catalogue (a document: version, note, synonyms, procedures)."""

    document: dict[str, Any]


@dataclass(frozen=True)
class PublishAllowanceRule(Command):
    """Publish a version of the border-resident allowance (a document: value a day, times a month, law, confirmed)."""

    document: dict[str, Any]


@dataclass(frozen=True)
class RecordAllowanceUse(Command):
    """Record goods a resident brought across duty-free today; ``resident`` is their account's username (for now the
    resident is the citizen account), ``value_vnd`` what the goods are worth."""

    resident: str
    crossing_point: str
    value_vnd: int
    source: str = "border_guard"
