"""A trip's agency checks: how the agencies work at this gate, opening the checks, following a correction."""
from __future__ import annotations

import hashlib
import hmac
import random
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bordergate.domain.clearance import TripClearance
from bordergate.domain.declaration import Declaration
from bordergate.domain.events import DeclarationAmended, DeclarationSubmitted
from bordergate.domain.inspection import (LANG_SON_2025, Agency, History, RuleTable, SelectivityRules, assign_channel,
                                          table_in_force)
from bordergate.services.following import declaration_in
from bordergate.services.unit_of_work import UnitOfWork

# Customs selectivity looks at the enterprise's last twelve months (VNACCS's compliance history).
HISTORY = timedelta(days=365)


@dataclass(frozen=True)
class AgencySetup:
    """How the agencies work at this gate: the rule tables, whether health checks are in force, the selectivity
    rules and the key of their random draws, and the agencies whose own systems are connected (with their
    shared secrets)."""

    tables: tuple[RuleTable, ...] = (LANG_SON_2025,)
    health_checks: bool = False
    selectivity: SelectivityRules = field(default_factory=SelectivityRules)
    draw_key: bytes = b""
    systems: Mapping[Agency, str] = field(default_factory=dict)

    def table_on(self, moment: datetime) -> RuleTable:
        table = table_in_force(self.tables, moment.date())
        if self.health_checks and not table.health_checks_in_force:
            return replace(table, health_checks_in_force=True)
        return table

    def draws_for(self, reference: str) -> random.Random:
        """The trip's own random source: keyed, so it is reproducible for an audit but unpredictable without the
        key, and independent of the order trips are declared in."""
        digest = hmac.new(self.draw_key, reference.encode(), hashlib.sha256).digest()
        return random.Random(int.from_bytes(digest[:8], "big"))

    def connected(self, agency: Agency) -> bool:
        return agency in self.systems


def open_checks(uow: UnitOfWork, declaration: Declaration, setup: AgencySetup, *, actor: str,
                now: datetime) -> TripClearance:
    """The agencies' checks for a newly declared trip, and its customs channel unless customs' system sends it."""
    channel = None
    if not setup.connected(Agency.CUSTOMS):
        trips, violations = uow.clearances.history(declaration.enterprise_id, now - HISTORY)
        channel = assign_channel(declaration.trip, History(trips, violations), setup.selectivity,
                                 setup.draws_for(declaration.reference))
    clearance = TripClearance.open(reference=declaration.reference, enterprise_id=declaration.enterprise_id,
                                   trip=declaration.trip, table=setup.table_on(now), channel=channel, actor=actor,
                                   now=now)
    uow.clearances.add(clearance)
    return clearance


def follow_correction(uow: UnitOfWork, declaration: Declaration, setup: AgencySetup, *, actor: str,
                      now: datetime) -> None:
    """A corrected trip may need other agencies (new goods, another flow): its checks are derived again."""
    clearance = uow.clearances.get(declaration.reference)
    if clearance is None:
        return
    loaded, moved = clearance.version, clearance.crossing_point != declaration.trip.crossing_point
    clearance.rederive(declaration.trip, setup.table_on(now), by=actor, now=now)
    if clearance.events or moved:
        uow.clearances.save(clearance, loaded)


def open_for_declared(event: DeclarationSubmitted, uow: UnitOfWork, agencies: AgencySetup) -> None:
    """Follows DeclarationSubmitted: the trip's checks open with it, so no declared trip is without them."""
    open_checks(uow, declaration_in(uow, event.reference), agencies, actor=event.actor, now=event.at)


def follow_amendment(event: DeclarationAmended, uow: UnitOfWork, agencies: AgencySetup) -> None:
    """Follows DeclarationAmended: the checks are derived again from the corrected trip."""
    follow_correction(uow, declaration_in(uow, event.reference), agencies, actor=event.actor, now=event.at)
