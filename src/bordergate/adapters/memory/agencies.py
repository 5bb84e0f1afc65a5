"""In-memory twin of the agencies' checks on each trip (TripClearance aggregates)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from bordergate.adapters.memory.tables import Tables, copied
from bordergate.domain.clearance import AgencyCheck, CheckStatus, TripClearance
from bordergate.domain.declaration import DeclarationStatus
from bordergate.domain.errors import ChangedMeanwhile, Conflict
from bordergate.domain.inspection import Agency

_DONE = (CheckStatus.RELEASED, CheckStatus.WITHDRAWN)


def _kept(clearance: TripClearance) -> TripClearance:
    kept: TripClearance = copied(clearance)
    kept.events.clear()
    return kept


class InMemoryClearances:
    """Clearances by reference; one already loaded in the unit of work is handed back, as SQL's does."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables
        self.seen: list[TripClearance] = []

    def add(self, clearance: TripClearance) -> None:
        if clearance.reference in self.tables.clearances:
            raise Conflict(f"the checks of {clearance.reference} exist already")
        self.tables.clearances[clearance.reference] = _kept(clearance)
        self.seen.append(clearance)

    def get(self, reference: str) -> TripClearance | None:
        for loaded in self.seen:
            if loaded.reference == reference:
                return loaded
        kept = self.tables.clearances.get(reference)
        if kept is None:
            return None
        clearance: TripClearance = copied(kept)
        self.seen.append(clearance)
        return clearance

    def save(self, clearance: TripClearance, loaded_version: int) -> None:
        kept = self.tables.clearances.get(clearance.reference)
        if kept is None or kept.version != loaded_version:
            raise ChangedMeanwhile(f"the agency checks of {clearance.reference} were changed meanwhile; look again "
                                   "and retry")
        clearance.version = loaded_version + 1
        self.tables.clearances[clearance.reference] = _kept(clearance)

    def outstanding(self, reference: str) -> tuple[AgencyCheck, ...] | None:
        kept = self.tables.clearances.get(reference)
        if kept is None:
            return None
        return tuple(copied(c) for c in kept.checks.values() if c.status not in _DONE)

    def history(self, enterprise_id: str, since: datetime) -> tuple[int, int]:
        crossed = sum(1 for d in self.tables.declarations.values() if d.enterprise_id == enterprise_id
                      and d.status is DeclarationStatus.CROSSED and d.submitted_at >= since)
        refused = sum(1 for c in self.tables.clearances.values() if c.enterprise_id == enterprise_id
                      for check in c.checks.values() if check.status is CheckStatus.REFUSED
                      and check.decided_at is not None and check.decided_at >= since)
        return crossed, refused

    def inbox(self, agencies: tuple[Agency, ...], crossing_point: str, limit: int) -> list[dict[str, Any]]:
        raise NotImplementedError("the agencies' inbox is a view over reads and declarations: test it on SQL")

    def worked(self, crossing_point: str, since: datetime, until: datetime) -> list[dict[str, Any]]:
        raise NotImplementedError("the agencies' worked checks are a view over reads: test them on SQL")


class InMemoryAgencyMessages:
    """Messages agencies' systems sent, by (agency, message id): a second copy of one is refused as SQL's key is."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def get(self, agency: str, message_id: str) -> dict[str, Any] | None:
        found = self.tables.agency_messages.get((agency, message_id))
        return copied(found) if found else None

    def add(self, agency: str, message_id: str, digest: str, at: datetime, outcome: dict[str, Any]) -> None:
        if (agency, message_id) in self.tables.agency_messages:
            raise Conflict(f"message {message_id} is being applied by another request; send it again to get "
                           "its answer")
        self.tables.agency_messages[(agency, message_id)] = {
            "agency": agency, "message_id": message_id, "digest": digest, "received_at": at,
            "outcome": copied(outcome)}
