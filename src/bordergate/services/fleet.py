"""An enterprise's saved vehicles and drivers, reused in its next declarations: saved, and kept after corrections."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from bordergate.domain.events import DeclarationAmended, FleetEntrySaved
from bordergate.domain.trip_form import driver_to_plain
from bordergate.services.following import declaration_in
from bordergate.services.ports import Identifiers
from bordergate.services.unit_of_work import UnitOfWork


class Fleet:
    """Saves fleet entries for one enterprise, auditing only those that actually changed."""

    def __init__(self, uow: UnitOfWork, ids: Identifiers, actor: str, enterprise_id: str, now: datetime) -> None:
        self.uow, self.ids, self.actor, self.enterprise_id, self.now = uow, ids, actor, enterprise_id, now

    def save(self, kind: str, key: str, details: dict[str, Any]) -> str:
        save = self.uow.fleet.save_vehicle if kind == "vehicle" else self.uow.fleet.save_driver
        entry_id, changed = save(self.enterprise_id, key, details, self.ids.new_id(), self.now)
        if changed:
            self.uow.record(FleetEntrySaved(actor=self.actor, at=self.now, enterprise_id=self.enterprise_id,
                                            kind=kind, key=key, details=details))
        return entry_id


def keep_corrected_driver(event: DeclarationAmended, uow: UnitOfWork, ids: Identifiers) -> None:
    """Follows DeclarationAmended: the enterprise's saved driver is what it declares next time ("Declare again
    like this"), so a corrected driver is saved over it."""
    if not event.driver_corrected:
        return
    declaration = declaration_in(uow, event.reference)
    driver = declaration.trip.driver
    Fleet(uow, ids, event.actor, declaration.enterprise_id, event.at).save(
        "driver", driver.document_number, driver_to_plain(driver))
