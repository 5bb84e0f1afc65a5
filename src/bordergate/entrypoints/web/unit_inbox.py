"""A handling unit's inbox on screen: tabs by where reports stand, a report's detail and the officers' actions."""
from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from bordergate.domain import report_commands as rc
from bordergate.domain.accounts import Principal
from bordergate.domain.errors import DomainError
from bordergate.domain.report_states import ANSWERS
from bordergate.entrypoints.api.deps import GateDep
from bordergate.entrypoints.api.problems import status_of
from bordergate.entrypoints.web import pages
from bordergate.entrypoints.web.session import ScreenPrincipal
from bordergate.entrypoints.web.unit_api import command_for
from bordergate.services import report_views, unit_inbox_views

router = APIRouter(include_in_schema=False)
ACTION_NAMES = {"accept": "Accept", "transfer": "Send on", "ask": "Ask the reporter", "answer": "Answer",
                "close": "Close", "duplicate": "Link as a duplicate", "hide": "Hide from the public",
                "show": "Show to the public", "spam": "Mark as spam", "trip": "Link to a declared trip"}
TAB_NAMES = {"new": "New", "in_progress": "In progress", "waiting": "Waiting for the reporter",
             "near": "Near deadline", "overdue": "Overdue", "answered": "Answered", "escalated": "Escalated to me"}


@router.get("/unit/", response_class=HTMLResponse)
def inbox(request: Request, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale,
          tab: str = "new", commune: str | None = None, category: str | None = None, done: str | None = None) -> Any:
    """The unit's reports in one tab, soonest due first, filtered by commune and category."""
    try:
        found = unit_inbox_views.inbox(gate.reader(), principal, gate.clock.now(), tab=tab, commune=commune,
                                       category_code=category, locale=locale)
    except DomainError as refused:
        return pages.page(request, "unit_inbox.html", locale, status_code=status_of(refused), principal=principal,
                          refused=refused.detail)
    with gate.reader() as uow:
        phone = uow.units.phone_of(principal.user_id)
    return pages.page(request, "unit_inbox.html", locale, principal=principal, refused=None, tab_names=TAB_NAMES,
                      phone=phone or "", done=done, local_time=pages.local_time, **found)


@router.get("/unit/reports/{code}", response_class=HTMLResponse)
def report(request: Request, code: str, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale,
           done: str | None = None) -> Any:
    """One report with the actions its state allows."""
    return _report(request, gate, principal, locale, code, done=done)


@router.post("/unit/reports/{code}/{action}", response_class=HTMLResponse)
def act(request: Request, code: str, action: str, gate: GateDep, principal: ScreenPrincipal,
        locale: pages.ScreenLocale, reason: Annotated[str, Form()] = "", to_unit: Annotated[str, Form()] = "",
        question: Annotated[str, Form()] = "", answer: Annotated[str, Form()] = "",
        resolution: Annotated[str, Form()] = "", original: Annotated[str, Form()] = "",
        declaration_reference: Annotated[str, Form()] = "") -> Any:
    """One action of the detail's forms; refused, the same page says why next to what was typed."""
    fields = {"reason": reason, "to_unit": to_unit, "question": question, "answer": answer,
              "resolution": resolution, "original": original, "declaration_reference": declaration_reference}
    try:
        gate.bus.handle(command_for(action, principal, code, fields))
    except DomainError as refused:
        return _report(request, gate, principal, locale, code, failed={"action": action, "detail": refused.detail,
                                                                       "values": fields},
                       status_code=status_of(refused))
    return RedirectResponse(f"/unit/reports/{code}?" + urlencode({"done": action, "lang": locale}), 303)


@router.post("/unit/phone", response_class=HTMLResponse)
def phone(request: Request, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale,
          phone: Annotated[str, Form()] = "") -> Any:
    """The phone the officer or supervisor is told on about overdue and urgent reports."""
    try:
        gate.bus.handle(rc.SetUnitPhone(principal, phone))
    except DomainError as refused:
        return pages.page(request, "unit_inbox.html", locale, status_code=status_of(refused), principal=principal,
                          refused=refused.detail)
    return RedirectResponse("/unit/?" + urlencode({"done": "phone", "lang": locale}), 303)


def _report(request: Request, gate, principal: Principal, locale: str, code: str, *, done: str | None = None,
            failed: dict[str, Any] | None = None, status_code: int = 200) -> Any:
    try:
        found = unit_inbox_views.detail(gate.reader(), principal, code, gate.clock.now(), locale)
    except DomainError as refused:
        return pages.page(request, "unit_report.html", locale, status_code=status_of(refused), principal=principal,
                          refused=refused.detail, report=None)
    nearby = []
    if found["assigned"] and found["lat"] is not None and found["state"]["code"] in ("received", "in_progress"):
        nearby = [n for n in report_views.nearby_reports(gate.reader(), found["category"]["code"], found["lat"],
                                                         found["lon"], gate.clock.now(), locale)
                  if n["code"] != code]
    return pages.page(request, "unit_report.html", locale, status_code=status_code, principal=principal,
                      refused=None, report=found, nearby=nearby, done=done if done in ACTION_NAMES else None,
                      failed=failed, action_names=ACTION_NAMES, local_time=pages.local_time,
                      resolutions=sorted((r.value, r.label(locale)) for r in ANSWERS))
