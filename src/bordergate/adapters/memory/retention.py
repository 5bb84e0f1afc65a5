"""In-memory stand-in for retention's personal data: it refuses, because erasing is about what SQL stores."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from bordergate.adapters.memory.tables import Tables

# Retention rewrites stored rows (a trip's driver, its notices' phones) and drops the personal values the audit
# trail sealed (audit_personal); the twins keep neither sealed values nor saved drivers' update times, so an
# imitation would prove nothing about the erasure that matters. tests/integration cover retention on both databases.
_NOT_TWINNED = "the in-memory gate does not erase personal data; test retention against SQLite or PostgreSQL"


class InMemoryPersonalData:
    """Present so every repository of the unit of work is typed; every question is refused (see _NOT_TWINNED)."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def trips_due(self, cutoff: datetime, limit: int) -> list[str]:
        raise NotImplementedError(_NOT_TWINNED)

    def erase_trip(self, reference: str, at: datetime) -> None:
        raise NotImplementedError(_NOT_TWINNED)

    def drivers_unused(self, cutoff: datetime) -> list[dict[str, Any]]:
        raise NotImplementedError(_NOT_TWINNED)

    def erase_driver(self, entry: dict[str, Any]) -> None:
        raise NotImplementedError(_NOT_TWINNED)
