"""Retention of personal data: finished trips' drivers pseudonymised after the period, recorded on the trail."""
from __future__ import annotations

from typing import Any

from bordergate.domain import commands
from bordergate.domain.access import ADMINISTER, require
from bordergate.domain.evidence_events import PersonalDataErased
from bordergate.domain.personal_data import Retention
from bordergate.services.ports import Clock
from bordergate.services.unit_of_work import UnitOfWork


def erase_personal_data(cmd: commands.ErasePersonalData, uow: UnitOfWork, clock: Clock,
                        retention: Retention) -> dict[str, Any]:
    """Erase, in one transaction, up to ``batch`` trips due and every unused saved driver; nothing when the
    retention period is unset."""
    require(cmd.actor, ADMINISTER)
    now = clock.now()
    cutoff = retention.cutoff(now)
    if cutoff is None:
        return {"retention_days": 0, "trips": 0, "saved_drivers": 0}
    with uow:
        references = uow.personal.trips_due(cutoff, cmd.batch)
        for reference in references:
            uow.personal.erase_trip(reference, now)
        drivers = uow.personal.drivers_unused(cutoff)
        for entry in drivers:
            uow.personal.erase_driver(entry)
        if references or drivers:
            uow.record(PersonalDataErased(actor=cmd.actor.user_id, at=now, before=cutoff.isoformat(),
                                          references=tuple(references), saved_drivers=len(drivers)))
        uow.commit()
    return {"retention_days": retention.days, "before": cutoff.isoformat(), "trips": len(references),
            "saved_drivers": len(drivers)}
