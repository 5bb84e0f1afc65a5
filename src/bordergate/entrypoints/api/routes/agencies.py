"""REST routes of the agencies: a trip's checks, inboxes, decisions, answers to holds, agency systems' messages."""
from __future__ import annotations

from typing import Annotated, Any

import structlog
from fastapi import APIRouter, Query, Request

from bordergate.adapters.agency_systems import SIGNATURE, TIMESTAMP, SignatureRefused, read_message, verify
from bordergate.bootstrap import Gate
from bordergate.domain import commands
from bordergate.domain.errors import DomainError, Invalid
from bordergate.domain.inspection import Agency
from bordergate.entrypoints.api.agency_schemas import AnswerIn, DecisionIn, RerouteIn
from bordergate.entrypoints.api.deps import GateDep, LocaleDep, PrincipalDep, address_of
from bordergate.entrypoints.api.idempotency import IdempotentRoute
from bordergate.entrypoints.api.inputs import Day
from bordergate.entrypoints.api.problems import status_of
from bordergate.services import agencies, agency_views
from bordergate.services.authentication import SignatureRequired
from bordergate.services.refusals import refuse_stranger

router = APIRouter(prefix="/api/v1", route_class=IdempotentRoute)
log = structlog.get_logger(__name__)


@router.get("/declarations/{reference}/clearance", tags=["agencies"])
def clearance(reference: str, gate: GateDep, principal: PrincipalDep, locale: LocaleDep) -> dict[str, Any]:
    """Which agencies must act on the trip and why, where each stands, what a hold asks for, the customs channel."""
    return agency_views.clearance(gate.reader(), principal, reference, locale)


@router.post("/declarations/{reference}/agencies/{agency}/decisions", tags=["agencies"])
def decide(reference: str, agency: str, body: DecisionIn, gate: GateDep, principal: PrincipalDep) -> dict[str, Any]:
    """An officer records their agency's release, hold (what is needed), physical inspection or refusal."""
    return gate.bus.handle(commands.RecordAgencyDecision(principal, reference, agency, body.action.value,
                                                         body.reason, tuple(body.needs)))


@router.post("/declarations/{reference}/channel", tags=["agencies"])
def reroute(reference: str, body: RerouteIn, gate: GateDep, principal: PrincipalDep) -> dict[str, Any]:
    """A customs officer moves the trip to another channel; the reason is kept on the record."""
    return gate.bus.handle(commands.RerouteChannel(principal, reference, body.channel.value, body.reason))


@router.post("/declarations/{reference}/agencies/{agency}/answer", tags=["agencies"])
def answer(reference: str, agency: str, body: AnswerIn, gate: GateDep, principal: PrincipalDep) -> dict[str, Any]:
    """The declarant answers a hold: a note and the corrected fields, in one step; the agency looks again."""
    return gate.bus.handle(commands.AnswerAgencyHold(principal, reference, agency, body.note, body.changes))


@router.get("/agencies/{agency}/inbox", tags=["agencies"])
def inbox(agency: str, gate: GateDep, principal: PrincipalDep, locale: LocaleDep,
          crossing_point: Annotated[str, Query(examples=["HUU_NGHI"])],
          limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict[str, Any]:
    """What waits for the agency at the crossing point, trucks at the gate first; and what waits on declarants."""
    return agency_views.inbox(gate.reader(), principal, agency, crossing_point, locale=locale, limit=limit)


@router.get("/crossing-points/{code}/agency-dwell/{day}", tags=["agencies"])
def dwell(code: str, day: Day, gate: GateDep, principal: PrincipalDep, locale: LocaleDep) -> dict[str, Any]:
    """Per agency on a local day: minutes trucks waited for it and minutes it took to act (median, p90, mean)."""
    return agency_views.dwell(gate.reader(), principal, code, day, locale)


@router.post("/agency-systems/{agency}/messages", tags=["agency systems"])
async def system_message(agency: Agency, request: Request, gate: GateDep) -> dict[str, Any]:
    """A signed message from an agency's own system: channel assigned, released, vehicle exited (see
    docs/agency-systems.md). Applied once; a retry gets the first answer with ``replayed: true``."""
    return receive(gate, agency, await request.body(), request.headers, source=address_of(request))


def receive(gate: Gate, agency: Agency, body: bytes, headers, source: str = "in-process") -> dict[str, Any]:
    """Verify, read and apply one message. A forged or stale one goes to the security log (nobody proved who sent
    it); a signed one that is refused is the agency's word, kept on the audit trail."""
    secret = gate.agencies.systems.get(agency)
    now = gate.clock.now()
    if secret is None:
        raise SignatureRequired(f"no system of {agency.label('en')} is connected here; set "
                                           "BORDERGATE_AGENCY_SYSTEMS with its shared secret")
    try:
        verify(secret, headers.get(TIMESTAMP), headers.get(SIGNATURE), body, now)
    except SignatureRefused as refused:
        log.warning("agency system message refused", agency=agency.value, why=str(refused), source=source)
        refuse_stranger(gate.uow(), gate.security_limits, kind=f"agency_message:{agency.value}", source=source,
                        why=str(refused), now=now)
        raise SignatureRequired(str(refused)) from None
    try:
        message = read_message(agency.value, body)
    except Invalid as malformed:
        why = "; ".join(f"{p.field}: {p.message}" for p in malformed.problems)
        log.warning("agency system message malformed", agency=agency.value, why=why)
        agencies.refuse_system_message(gate.uow(), agency.value, None, f"malformed: {why}", now)
        raise
    return gate.bus.handle(message)


def in_process(gate: Gate):
    """A transport that hands an agency system's signed message straight to ``receive``, as the HTTP route does:
    for the demo and the simulator, which drive the gate without a server."""
    def post(path: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
        agency = Agency(path.rstrip("/").split("/")[-2])
        try:
            return 200, receive(gate, agency, body, headers)
        except DomainError as refused:
            return status_of(refused), {"title": refused.title, "detail": refused.detail}
    return post
