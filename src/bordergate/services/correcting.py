"""Correcting a submitted declaration, field by field: by its declarant, or in answer to an agency's hold."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from bordergate.domain.accounts import Principal
from bordergate.domain.corrections import FieldChange
from bordergate.domain.declaration import Declaration
from bordergate.domain.errors import Conflict
from bordergate.services.unit_of_work import UnitOfWork


def correct(uow: UnitOfWork, declaration: Declaration, actor: Principal, changes: dict[str, Any], *,
            now: datetime, reason: str | None) -> list[FieldChange]:
    """Apply corrections to a loaded declaration. What follows DeclarationAmended (the agencies that must act,
    the fee, a corrected driver kept and their notices re-addressed) is in services/handlers.py IN_TRANSACTION."""
    _require_only_driver_changes_once_booked(uow, declaration.reference, changes)
    loaded = declaration.version
    # The trip's own crossing point stays acceptable even if it was closed since, so a phone fix still works.
    points = uow.crossing_points.active_codes() | {declaration.trip.crossing_point}
    made = declaration.amend(changes, actor=actor.user_id, now=now, crossing_points=points, reason=reason)
    uow.declarations.save(declaration, loaded)
    return made


def _require_only_driver_changes_once_booked(uow: UnitOfWork, reference: str, changes: dict[str, Any]) -> None:
    """After booking only the driver may change: a place cannot be sold on by swapping the truck or the cargo."""
    if uow.bookings.active_for(reference) is None:
        return
    locked = [path for path in changes if path != "driver" and not path.startswith("driver.")]
    if locked:
        raise Conflict(f"the trip is booked: only the driver may be changed now, not {', '.join(locked)}; cancel "
                       "the booking first to change anything else")
