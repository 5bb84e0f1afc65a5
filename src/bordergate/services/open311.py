"""Open311 clients and the requests they post: register and revoke a client, file a request, release a held one."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from bordergate.domain import access
from bordergate.domain.errors import FieldProblem, Forbidden, Invalid, NotFound, TooManyRequests
from bordergate.domain.open311 import Open311Client, Open311Settings, Trust, check_client
from bordergate.domain.open311_commands import PostServiceRequest, RegisterOpen311Client, RevokeOpen311Client
from bordergate.domain.open311_events import (Open311ClientRegistered, Open311ClientRevoked,
                                              Open311RequestReceived, Open311RequestReleased)
from bordergate.domain.report_commands import FileReport
from bordergate.domain.report_states import Party
from bordergate.domain.reports import Report, ReportRules
from bordergate.domain.working_days import VIETNAM, Calendars
from bordergate.services import reporting
from bordergate.services.civic_data import categories_in_force
from bordergate.services.open311_repositories import PostedRequest
from bordergate.services.ports import Clock, Identifiers
from bordergate.services.unit_of_work import UnitOfWork

# The spec's own example wording for a missing or wrong key.
KEY_REFUSED = "Invalid api_key received -- can't proceed with create_request."
KEY_PREFIX = "o311_"
COMMUNE_CODE = re.compile(r"[A-Za-z0-9_]{1,20}")
RELEASED_REASON = "accepted by its unit after screening (a request from an Open311 client)"
# FileReport's field paths as an Open311 client names them.
_OPEN311_NAMES = {"place": "lat/long, address_string or address_id", "place.lat": "lat", "place.lon": "long",
                  "contact_phone": "phone", "category": "service_code"}


@dataclass(frozen=True)
class Posted:
    """What a client is answered: the report's code (its service_request_id) and, held or not, a token."""

    code: str
    token: str
    held: bool


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def register_client(cmd: RegisterOpen311Client, uow: UnitOfWork, clock: Clock,
                    ids: Identifiers) -> tuple[str, str]:
    """Register a client; the answer is its id and its api_key, shown this once (only the digest is kept)."""
    access.require(cmd.actor, access.ADMINISTER)
    name = check_client(cmd.name, cmd.per_minute, cmd.per_day)
    try:
        trust = Trust(cmd.trust)
    except ValueError:
        raise Invalid([FieldProblem("trust", "is trusted (the province's own portals: live at once) or screened "
                                             "(other apps: held until the unit accepts)")]) from None
    now = clock.now()
    client = Open311Client(ids.new_id(), name, trust, cmd.per_minute, cmd.per_day, now)
    key = KEY_PREFIX + ids.new_secret()
    with uow:
        uow.open311.add_client(client, key_digest(key))
        uow.record(Open311ClientRegistered(cmd.actor.user_id, now, client.id, name, trust.value, cmd.per_minute,
                                           cmd.per_day))
        uow.commit()
    return client.id, key


def revoke_client(cmd: RevokeOpen311Client, uow: UnitOfWork, clock: Clock) -> None:
    access.require(cmd.actor, access.ADMINISTER)
    with uow:
        client = uow.open311.client(cmd.client_id)
        if client is None:
            raise NotFound(f"there is no Open311 client {cmd.client_id}")
        if client.revoked_at is None:
            uow.open311.revoke(client.id, clock.now())
            uow.record(Open311ClientRevoked(cmd.actor.user_id, clock.now(), client.id, client.name))
        uow.commit()


def authenticate(uow: UnitOfWork, api_key: str | None) -> Open311Client:
    """The client a key belongs to; Forbidden (the spec's 403) for a missing, unknown or revoked key."""
    client = uow.open311.client_by_key(key_digest(api_key)) if api_key else None
    if client is None or client.revoked_at is not None:
        raise Forbidden(KEY_REFUSED)
    return client


def post_service_request(cmd: PostServiceRequest, uow: UnitOfWork, clock: Clock, ids: Identifiers,
                         calendars: Calendars, report_rules: ReportRules, open311: Open311Settings) -> Posted:
    """File a client's request as an anonymous report, through FileReport's own checks, with its token; a
    screened client's report is held from the public until its unit accepts it."""
    now = clock.now()
    with uow:
        client = authenticate(uow, cmd.api_key)
        _within_limits(uow, client, cmd.device_id, open311, now)
        kind = categories_in_force(uow, now.astimezone(VIETNAM).date())[1].get(cmd.service_code)
        if kind is None or kind.never_public:  # tips come through the gate's own app only
            raise Invalid([FieldProblem("service_code", f"{cmd.service_code!r} is not a service here; GET "
                                                        "services lists them")])
        _check_extras(cmd)
        held = client.trust is Trust.SCREENED
        filing = FileReport(
            actor=None, category=kind.code, description=cmd.description, lat=cmd.lat, lon=cmd.lon,
            address_text=cmd.address_string, commune_code=cmd.address_id,
            place_source="gps" if cmd.lat is not None else "typed", attributes=dict(cmd.attributes),
            contact_phone=None if held else cmd.phone,  # an SMS to a number only a trusted client vouches for
            source=client.source, held=held)
        try:
            filed = reporting.file_in(uow, filing, clock, ids, calendars, report_rules)
        except Invalid as exc:
            raise Invalid([FieldProblem(_open311_name(p.field), p.message) for p in exc.problems]) from None
        token = ids.new_id()
        uow.open311.add_request(PostedRequest(token, filed.tracking_code, client.id, cmd.device_id, cmd.media_url,
                                              now, None if held else now))
        uow.record(Open311RequestReceived(client.source, now, filed.tracking_code, client.id, token, held, cmd.device_id,
                                          cmd.first_name or None, cmd.last_name or None, cmd.media_url))
        uow.commit()
    return Posted(filed.tracking_code, token, held)


def release_if_held(uow: UnitOfWork, report: Report, actor: str, now: datetime) -> None:
    """The unit accepted a report a screened client posted: the public sees it from now on (called by the accept,
    inside its unit of work)."""
    held = uow.open311.held(report.tracking_code)
    if held is None:
        return
    uow.open311.release(report.tracking_code, now)
    if report.hidden:
        report.show(RELEASED_REASON, by=Party.OFFICER, actor=actor, at=now)
    uow.record(Open311RequestReleased(actor, now, report.tracking_code, held.client_id))


def _within_limits(uow: UnitOfWork, client: Open311Client, device_id: str | None, limits: Open311Settings,
                   now: datetime) -> None:
    if uow.open311.posted_since(client.id, now - timedelta(minutes=1)) >= client.per_minute:
        raise TooManyRequests(f"this client may post {client.per_minute} requests a minute; wait a minute", 60)
    if uow.open311.posted_since(client.id, now - timedelta(days=1)) >= client.per_day:
        raise TooManyRequests(f"this client may post {client.per_day} requests a day; try again later", 3600)
    if device_id and uow.open311.posted_since(client.id, now - timedelta(days=1),
                                              device_id) >= limits.per_device_per_day:
        raise TooManyRequests(f"one device may post {limits.per_device_per_day} requests a day; try again "
                              "tomorrow", 3600)


def _check_extras(cmd: PostServiceRequest) -> None:
    problems = []
    if cmd.media_url and (len(cmd.media_url) > 500 or not cmd.media_url.startswith(("https://", "http://"))):
        problems.append(FieldProblem("media_url", "give an http(s) link of at most 500 characters"))
    if cmd.address_string and len(cmd.address_string) > 300:
        problems.append(FieldProblem("address_string", "is at most 300 characters"))
    if cmd.address_id and not COMMUNE_CODE.fullmatch(cmd.address_id):
        problems.append(FieldProblem("address_id", "is a commune's code: 1 to 20 letters, digits or _"))
    if cmd.device_id and len(cmd.device_id) > 100:
        problems.append(FieldProblem("device_id", "is at most 100 characters"))
    for name, value in (("first_name", cmd.first_name), ("last_name", cmd.last_name)):
        if value and len(value) > 100:
            problems.append(FieldProblem(name, "is at most 100 characters"))
    if problems:
        raise Invalid(problems)


def _open311_name(field: str) -> str:
    if field.startswith("attributes."):
        return f"attribute[{field.removeprefix('attributes.')}]"
    return _OPEN311_NAMES.get(field, field)
