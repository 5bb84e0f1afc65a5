"""Use cases of the agencies: officers' decisions, declarants' answers to holds, messages from agency systems."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from bordergate.domain import commands
from bordergate.domain.accounts import Principal
from bordergate.domain.alerts import AlertKind
from bordergate.domain.access import ROUTE_CHANNELS, require, require_may_declare_for, require_own_agency
from bordergate.domain.clearance import Action, Source, TripClearance
from bordergate.domain.clearance_events import AgencySystemMessageRefused
from bordergate.domain.errors import Conflict, FieldProblem, Invalid, NotFound, parsed
from bordergate.domain.inspection import Agency, Channel
from bordergate.domain.labels import parse_choice
from bordergate.services import alerting
from bordergate.services.agency_checks import AgencySetup
from bordergate.services.correcting import correct
from bordergate.services.ports import Clock, Identifiers
from bordergate.services.unit_of_work import UnitOfWork
from bordergate.services.views import visible_declaration


def record_decision(cmd: commands.RecordAgencyDecision, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    """An officer's release, hold, inspection or refusal, for an agency they act for; a hold is told to the
    declarant (follows AgencyActed)."""
    agency = _officers_agency(cmd.actor, cmd.agency)
    action = parsed("action", lambda v: parse_choice(Action, v), cmd.action)
    needs = tuple(n for n in (" ".join(str(n).split())[:200] for n in cmd.needs) if n)
    now = clock.now()
    with uow:
        clearance, loaded = _open_clearance(uow, cmd.reference)
        clearance.act(agency, action, source=Source.OFFICER, by=cmd.actor.user_id, now=now, reason=cmd.reason,
                      needs=needs)
        uow.clearances.save(clearance, loaded)
        uow.commit()
    return _standing(clearance, agency)


def reroute_channel(cmd: commands.RerouteChannel, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    """A customs officer changes the channel, giving the reason; the customs system's channel is not changed here."""
    require(cmd.actor, ROUTE_CHANNELS)
    channel = parsed("channel", lambda v: parse_choice(Channel, v), cmd.channel)
    now = clock.now()
    with uow:
        clearance, loaded = _open_clearance(uow, cmd.reference)
        clearance.reroute(channel, source=Source.OFFICER, by=cmd.actor.user_id, now=now, reason=cmd.reason)
        uow.clearances.save(clearance, loaded)
        uow.commit()
    return _standing(clearance, Agency.CUSTOMS)


def answer_hold(cmd: commands.AnswerAgencyHold, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    """The declarant gives what a hold asked for: a note and corrected fields, in one change, never starting over."""
    agency = parsed("agency", lambda v: parse_choice(Agency, v), cmd.agency)
    now = clock.now()
    with uow:
        declaration = visible_declaration(uow, cmd.actor, cmd.reference)
        require_may_declare_for(cmd.actor, declaration.enterprise_id)
        changed: tuple[str, ...] = ()
        if cmd.changes:
            made = correct(uow, declaration, cmd.actor, cmd.changes, now=now,
                           reason=f"answer to {agency.label('en')}")
            changed = tuple(c.field for c in made)
        clearance, loaded = _open_clearance(uow, cmd.reference)
        clearance.answer(agency, note=cmd.note, changed=changed, by=cmd.actor.user_id, now=now)
        uow.clearances.save(clearance, loaded)
        uow.commit()
    return _standing(clearance, agency)


def apply_system_message(cmd: commands.ApplySystemMessage, uow: UnitOfWork, clock: Clock,
                         ids: Identifiers) -> dict[str, Any]:
    """A signed message from an agency's own system: applied once; a retry gets the first answer."""
    agency = Agency(cmd.agency)
    now = clock.now()
    with uow:
        earlier = uow.agency_messages.get(agency.value, cmd.message_id)
        if earlier is not None:
            if earlier["digest"] != cmd.digest:
                uow.keep_only(_refusal(agency, cmd.message_id,
                                       "the message id was used before for a different message", now))
                raise Conflict(f"message {cmd.message_id} was already received with a different body; "
                               "a new message needs a new message_id")
            return {**earlier["outcome"], "replayed": True}
        outcome = _apply(uow, ids, agency, cmd, now)
        uow.agency_messages.add(agency.value, cmd.message_id, cmd.digest, now, outcome)
        uow.commit()
    return {**outcome, "replayed": False}


def refuse_system_message(uow: UnitOfWork, agency: str, message_id: str | None, why: str, now: datetime) -> None:
    """Keep on the audit trail a signed message that was not applied (malformed): the agency's system said it.
    A forged or stale one proves no sender and goes to the security log instead (services/refusals.py)."""
    with uow:
        uow.keep_only(_refusal(agency, message_id, why, now))


def _apply(uow: UnitOfWork, ids: Identifiers, agency: Agency, cmd: commands.ApplySystemMessage,
           now: datetime) -> dict[str, Any]:
    actor = f"system:{agency.value}"
    clearance, loaded = _open_clearance(uow, cmd.reference, allow_closed=cmd.kind == "vehicle_exited")
    if cmd.kind == "channel_assigned":
        if agency is not Agency.CUSTOMS:
            raise Invalid([FieldProblem("type", "only the customs system assigns channels")])
        channel = parsed("channel", lambda v: parse_choice(Channel, v), cmd.channel)
        clearance.reroute(channel, source=Source.SYSTEM, by=actor, now=now, reason=cmd.reason)
    elif cmd.kind in ("released", "vehicle_exited"):
        check = clearance.checks.get(agency)
        if check is not None and not check.status.is_done:
            clearance.act(agency, Action.RELEASE, source=Source.SYSTEM, by=actor, now=now,
                          reason=cmd.reason or f"{cmd.kind.replace('_', ' ')} in the {agency.label('en')} system")
    else:
        raise Invalid([FieldProblem("type", "must be channel_assigned, released or vehicle_exited")])
    if clearance.events:
        uow.clearances.save(clearance, loaded)
    if cmd.kind == "vehicle_exited":
        _record_exit(uow, cmd.reference, actor, cmd.sent_at, now)
        missing = ", ".join(c.agency.label("en") for c in clearance.outstanding())
        if missing:
            # The border guard's record that the vehicle left stands; what bordergate can do is say it left
            # before these agencies released it.
            alerting.raise_alert(uow, ids, AlertKind.EXIT_WITHOUT_CLEARANCE, f"exit:{cmd.reference}:{actor}",
                                 f"{cmd.reference} left (reported by the {agency.label('en')} system) without the "
                                 f"release of: {missing}", now, crossing_point=clearance.crossing_point,
                                 reference=cmd.reference)
    check = clearance.checks.get(agency)
    return {"message_id": cmd.message_id, "reference": cmd.reference, "applied": True,
            "status": check.status.value if check else None,
            "channel": clearance.channel.value if clearance.channel else None}


def _record_exit(uow: UnitOfWork, reference: str, actor: str, exited_at: datetime, now: datetime) -> None:
    """The border guard's system saw the vehicle leave: the trip has crossed, as if its last barrier read it."""
    declaration = uow.declarations.get(reference)
    if declaration is not None and declaration.status.is_open:
        loaded = declaration.version
        declaration.record_crossing(actor=actor, now=now, checkpoint_id=actor, crossed_at=exited_at)
        uow.declarations.save(declaration, loaded)


def _refusal(agency: Agency | str, message_id: str | None, why: str, now: datetime) -> AgencySystemMessageRefused:
    agency = agency.value if isinstance(agency, Agency) else agency
    return AgencySystemMessageRefused(actor=f"system:{agency}", at=now, agency=agency, message_id=message_id,
                                      why=why)


def _officers_agency(actor: Principal, agency_code: str) -> Agency:
    agency = parsed("agency", lambda v: parse_choice(Agency, v), agency_code)
    require_own_agency(actor, agency)
    return agency


def _open_clearance(uow: UnitOfWork, reference: str, allow_closed: bool = False) -> tuple[TripClearance, int]:
    clearance = uow.clearances.get(reference)
    if clearance is None:
        raise NotFound(f"no declaration {reference} with agency checks; check the reference")
    essentials = uow.declarations.essentials(reference)
    if not allow_closed and (essentials is None or not essentials[0].is_open):
        raise Conflict(f"declaration {reference} is no longer open; its checks cannot change")
    return clearance, clearance.version


def _standing(clearance: TripClearance, agency: Agency) -> dict[str, Any]:
    check = clearance.checks[agency]
    return {"reference": clearance.reference, "agency": agency.value, "status": check.status.value,
            "channel": clearance.channel.value if clearance.channel else None,
            "outstanding": [c.agency.value for c in clearance.outstanding()]}
