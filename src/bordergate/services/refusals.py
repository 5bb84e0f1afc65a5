"""Requests refused before anyone was authenticated: counted and kept in the bounded security log, not as evidence."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bordergate.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class SecurityLogLimits:
    """How much the security log keeps: ``rows`` in all (the oldest dropped first), ``per_source_per_minute`` from
    one address."""

    rows: int = 10_000
    per_source_per_minute: int = 60


def refuse_stranger(uow: UnitOfWork, limits: SecurityLogLimits, *, kind: str, source: str, why: str,
                    now: datetime) -> None:
    """A forged or stale signature: whoever sent it proved nothing, so it must not write into the audit trail (a
    thousand forgeries would be a thousand rows of 'evidence'); the security log and the counter take it."""
    with uow:
        uow.security.add(kind=kind, source=source or "unknown", detail=why, at=now, rows=limits.rows,
                         per_source_per_minute=limits.per_source_per_minute)
        uow.commit()
