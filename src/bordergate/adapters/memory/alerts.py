"""In-memory twins of the reads waiting for a person's review and of the alerts raised at the gate."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from bordergate.adapters.memory.tables import Tables, copied
from bordergate.domain.alerts import Alert, AlertStatus
from bordergate.domain.errors import Conflict
from bordergate.domain.plate_reads import PlateRead, ReviewStatus

_REVIEW_KEYS = {"status": "review_status", "opened_at": "opened_at", "resolved_at": "resolved_at",
                "resolved_by": "resolved_by", "resolution": "resolution", "resolved_read_id": "resolved_read_id",
                "note": "review_note"}


class InMemoryReviews:
    """One review item per read, oldest first; resolving one already resolved does nothing and says so."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def open(self, read: PlateRead) -> None:
        if read.id in self.tables.reviews:
            raise Conflict(f"read {read.id} is under review already")
        self.tables.reviews[read.id] = {
            "read_id": read.id, "crossing_point": read.crossing_point, "checkpoint_id": read.sighting.checkpoint_id,
            "status": ReviewStatus.OPEN.value, "opened_at": read.received_at, "resolved_at": None,
            "resolved_by": None, "resolution": None, "resolved_read_id": None, "note": None}

    def get(self, read_id: str) -> dict[str, Any] | None:
        found = self.tables.reviews.get(read_id)
        return copied(found) if found else None

    def resolve(self, read_id: str, *, by: str, at: datetime, resolution: str, resolved_read_id: str | None,
                note: str | None) -> bool:
        found = self.tables.reviews.get(read_id)
        if found is None or found["status"] != ReviewStatus.OPEN.value:
            return False
        self.tables.reviews[read_id] = {**found, "status": ReviewStatus.RESOLVED.value, "resolved_by": by,
                                        "resolved_at": at, "resolution": resolution,
                                        "resolved_read_id": resolved_read_id, "note": note}
        return True

    def listing(self, crossing_point: str | None, status: str,
                limit: int) -> list[tuple[dict[str, Any], PlateRead]]:
        reads = {read.id: read for read, _ in self.tables.reads}
        found = sorted((item for item in self.tables.reviews.values() if item["status"] == status
                        and (not crossing_point or item["crossing_point"] == crossing_point)
                        and item["read_id"] in reads), key=lambda item: item["opened_at"])[:limit]
        return [({shown: item[kept] for kept, shown in _REVIEW_KEYS.items()}, copied(reads[item["read_id"]]))
                for item in found]


class InMemoryAlerts:
    """Alerts by id; a second open alert for the same dedupe key is not raised, as SQL's partial index refuses it."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def raise_(self, alert: Alert) -> bool:
        if alert.id in self.tables.alerts:
            raise Conflict(f"alert {alert.id} exists already")
        if self.open_for(alert.dedupe_key) is not None:
            return False
        self.tables.alerts[alert.id] = replace(alert, status=AlertStatus.OPEN)
        return True

    def get(self, alert_id: str) -> Alert | None:
        return self.tables.alerts.get(alert_id)  # frozen: a copy would be the same value

    def open_for(self, dedupe_key: str) -> Alert | None:
        found = self.open_for_any([dedupe_key])
        return found[0] if found else None

    def open_for_any(self, dedupe_keys: list[str]) -> list[Alert]:
        keys = set(dedupe_keys)
        return [a for a in self.tables.alerts.values() if a.dedupe_key in keys and a.status is AlertStatus.OPEN]

    def resolve(self, alert_id: str, *, by: str, at: datetime, resolution: str) -> bool:
        found = self.tables.alerts.get(alert_id)
        if found is None or found.status is not AlertStatus.OPEN:
            return False
        self.tables.alerts[alert_id] = replace(found, status=AlertStatus.RESOLVED, resolved_by=by, resolved_at=at,
                                               resolution=resolution)
        return True

    def listing(self, *, status: str | None, crossing_point: str | None, kind: str | None,
                reference: str | None = None, limit: int = 100) -> list[Alert]:
        found = [a for a in self.tables.alerts.values()
                 if (not status or a.status.value == status)
                 and (not crossing_point or a.crossing_point == crossing_point)
                 and (not kind or a.kind.value == kind) and (not reference or a.reference == reference)]
        found.sort(key=lambda a: a.id)
        found.sort(key=lambda a: a.raised_at, reverse=True)  # newest first, ties by id as SQL orders them
        return found[:limit]
