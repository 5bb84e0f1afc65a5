"""Each agency's console: its inbox at a crossing point, decision forms, the day's dwell times."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from bordergate.domain import commands
from bordergate.domain.access import READ_INBOXES, allows, own_agencies, readable_inboxes
from bordergate.domain.accounts import Principal
from bordergate.domain.capacity import local_day
from bordergate.domain.clearance import ACTION_STATUS, Action, Source
from bordergate.domain.errors import DomainError, Invalid
from bordergate.domain.inspection import Agency, Channel
from bordergate.domain.labels import Labelled
from bordergate.domain.trip import Flow
from bordergate.entrypoints.api.deps import GateDep
from bordergate.entrypoints.api.problems import status_of
from bordergate.entrypoints.web import pages
from bordergate.entrypoints.web.session import ScreenPrincipal
from bordergate.services import agency_views
from bordergate.services.board_views import shown_plate
from bordergate.services.views import labelled

router = APIRouter(include_in_schema=False)


@dataclass
class Refusal:
    """A form the gate refused: which trip and form, what was typed, and what to say next to each field."""

    reference: str
    form: str
    values: dict[str, str]
    fields: dict[str, str] = field(default_factory=dict)
    detail: str | None = None
    shown: bool = False


@router.get("/agency", response_class=HTMLResponse)
def console(request: Request, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale,
            agency: str | None = None, point: str | None = None, done: str | None = None,
            did: str | None = None) -> Any:
    """An agency's inbox at a crossing point, its decision forms and the day's dwell times."""
    return _console(request, gate, principal, locale, agency, point, notice=_notice(done, did, locale))


@router.get("/agency/live")
def console_live(request: Request, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale,
                 agency: str | None = None, point: str | None = None) -> Any:
    """The inbox part of the console, pushed again whenever it changes (a new trip, an answer, a colleague's
    decision)."""
    agency, point = _chosen(gate, principal, agency, point)
    # Asked once before streaming, so an inbox the officer may not read is refused, not streamed.
    _inbox_context(gate, principal, locale, agency, point)

    def fragment() -> str:
        return pages.render("agency_inbox.html", locale, csrf_token=pages.form_token(request),
                            **_inbox_context(gate, principal, locale, agency, point))
    return pages.live(request, fragment, gate.settings.live_seconds, signed_in=True)


@router.post("/agency/decisions", response_class=HTMLResponse)
def decide(request: Request, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale,
           reference: Annotated[str, Form()], agency: Annotated[str, Form()], action: Annotated[str, Form()],
           point: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "",
           needs: Annotated[str, Form()] = "") -> Any:
    """Release, hold (naming what is needed, a line each), inspect or refuse, for the officer's agency."""
    lines = tuple(line.strip() for line in needs.splitlines() if line.strip())
    try:
        gate.bus.handle(commands.RecordAgencyDecision(principal, reference, agency, action, reason or None, lines))
    except DomainError as refused:
        failed = _refusal(refused, reference, "decision", {"reason": reason, "needs": needs}, ("reason", "needs"))
        return _console(request, gate, principal, locale, agency, point, failed=failed,
                        status_code=status_of(refused))
    return _back(agency, point, done=reference, did=action)


@router.post("/agency/channel", response_class=HTMLResponse)
def reroute(request: Request, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale,
            reference: Annotated[str, Form()], channel: Annotated[str, Form()], point: Annotated[str, Form()] = "",
            reason: Annotated[str, Form()] = "") -> Any:
    """A customs officer moves a trip to another channel; the reason is kept on the record."""
    try:
        gate.bus.handle(commands.RerouteChannel(principal, reference, channel, reason))
    except DomainError as refused:
        failed = _refusal(refused, reference, "channel", {"reason": reason, "channel": channel},
                          ("reason", "channel"))
        return _console(request, gate, principal, locale, Agency.CUSTOMS.value, point, failed=failed,
                        status_code=status_of(refused))
    return _back(Agency.CUSTOMS.value, point, done=reference, did=channel)


def _console(request: Request, gate, principal: Principal, locale: str, agency: str | None, point: str | None, *,
             failed: Refusal | None = None, notice: dict[str, str] | None = None, status_code: int = 200) -> Any:
    """The console page; after a refused form, the same page with the refusal next to that form."""
    try:
        agency, point = _chosen(gate, principal, agency, point)
        context = _inbox_context(gate, principal, locale, agency, point, failed)
    except DomainError as refused:
        # An inbox the person may not open (another agency's, or not an officer): a page saying so, and theirs.
        return pages.page(request, "agency_console.html", locale, status_code=status_of(refused),
                          principal=principal, refused=refused.detail,
                          own=[labelled(a, locale) for a in _readable(principal, quiet=True)])
    with gate.reader() as uow:
        points = [(p.code, p.name_in(locale)) for p in uow.crossing_points.list() if p.active or p.code == point]
    query = urlencode({"agency": agency, "point": point, "lang": locale})
    return pages.page(request, "agency_console.html", locale, status_code=status_code, principal=principal,
                      refused=None, points=points, notice=notice, live_url=f"/agency/live?{query}",
                      now=gate.clock.now().isoformat(timespec="seconds"),
                      agencies=[labelled(a, locale) for a in _readable(principal)], **context)


def _chosen(gate, principal: Principal, agency: str | None, point: str | None) -> tuple[str, str]:
    """The inbox asked for, else the officer's first agency at the first crossing point."""
    agency = agency or _readable(principal)[0].value
    if not point:
        with gate.reader() as uow:
            codes = [p.code for p in uow.crossing_points.list() if p.active]
        point = codes[0] if codes else ""
    return agency, point


def _readable(principal: Principal, quiet: bool = False) -> tuple[Agency, ...]:
    """The agencies whose inboxes the person reads: their own, or all for the management center."""
    if quiet and not allows(principal, READ_INBOXES):
        return ()
    return readable_inboxes(principal)


def _inbox_context(gate, principal: Principal, locale: str, agency: str, point: str,
                   failed: Refusal | None = None) -> dict[str, Any]:
    """Everything the live part shows: the inbox in three groups, the forms' choices, the day's dwell."""
    found = agency_views.inbox(gate.reader(), principal, agency, point, locale=locale)
    day = local_day(gate.clock.now())
    dwell = agency_views.dwell(gate.reader(), principal, point, day, locale)
    waiting, held = ([_item(i, locale) for i in found[group]] for group in ("waiting", "held"))
    items = waiting + held
    with gate.reader() as uow:
        place = uow.crossing_points.get(point)
    if failed is not None:
        failed.shown = any(i["reference"] == failed.reference for i in items)
        if not failed.shown:  # the trip left the inbox meanwhile: everything is said above it
            failed.detail = "; ".join(filter(None, [failed.detail, *failed.fields.values()]))
    mine = Agency(agency) in own_agencies(principal)  # deciding stays with each agency's own officers
    return {
        "agency": found["agency"], "point": point, "point_name": place.name_in(locale) if place else point,
        "failed": failed, "may_decide": mine,
        "work": [i for i in waiting if not i["awaiting_system"]],
        "held": held,
        "system": [i for i in items if i["awaiting_system"]],
        "actions": [labelled(a, locale) for a in Action],
        "channels": [labelled(c, locale) for c in Channel],
        "dwell": _dwell(dwell, day, locale),
    }


def _item(item: dict[str, Any], locale: str) -> dict[str, Any]:
    """An inbox item as the console shows it: plates as printed, labels in the reader's language, local times."""
    channel = Channel(item["channel"]) if item["channel"] else None
    return {**item, "plate": shown_plate(item["tractor_plate"]), "flow": _label(Flow, item["flow"], locale),
            "since": _moment(item["since"]), "arrived": _moment(item["arrived_at"]),
            "channel": labelled(channel, locale) if channel else None,
            "goods": [{**g, "hs_code": _hs(g["hs_code"])} for g in item["goods"]]}


def _dwell(dwell: dict[str, Any], day: date, locale: str) -> dict[str, Any]:
    rows = [{**row, "by_source": [(_label(Source, s, locale), n) for s, n in row["by_source"].items()],
             "waiting": {k: f"{v:g}" for k, v in row["waiting_minutes"].items()},
             "acting": {k: f"{v:g}" for k, v in row["acting_minutes"].items()}} for row in dwell["agencies"]]
    return {"day": day.strftime("%d/%m/%Y"), "rows": rows}


def _refusal(refused: DomainError, reference: str, form: str, values: dict[str, str],
             fields: tuple[str, ...]) -> Refusal:
    """Field problems go next to their field; the rest, and every other refusal, next to the form."""
    failed = Refusal(reference, form, values)
    if isinstance(refused, Invalid):
        failed.fields = {p.field: p.message for p in refused.problems if p.field in fields}
        rest = [f"{p.field}: {p.message}" for p in refused.problems if p.field not in fields]
        failed.detail = "; ".join(rest) or None
    else:
        failed.detail = refused.detail
    return failed


def _notice(done: str | None, did: str | None, locale: str) -> dict[str, str] | None:
    """What the last form did, said after the redirect: the trip, and the decision or new channel."""
    if not done:
        return None
    if did in tuple(Action):
        return {"reference": done, "label": ACTION_STATUS[Action(did)].label(locale)}
    if did in tuple(Channel):
        return {"reference": done, "label": Channel(did).label(locale)}
    return None


def _back(agency: str, point: str, **done: str) -> RedirectResponse:
    return RedirectResponse("/agency?" + urlencode({"agency": agency, "point": point, **done}), status_code=303)


def _label(kind: type[Labelled], code: str, locale: str) -> str:
    try:
        return kind(code).label(locale)
    except ValueError:
        return code


def _hs(code: str) -> str:
    """HS codes as customs prints them: 0810.60."""
    return f"{code[:4]}.{code[4:]}" if len(code) > 4 and code.isdigit() else code


def _moment(moment: str | None) -> str | None:
    return datetime.fromisoformat(moment).astimezone(pages.BORDER_TIME).strftime("%H:%M %d/%m") if moment else None
