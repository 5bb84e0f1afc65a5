"""The unit inbox's JSON twin under /unit/api/: the list by tab and each officer's action, errors as problem+json.

Signed in like the inbox screen (its session cookie; a POST carries the page's X-CSRF-Token and the site's
Origin), so the inbox page and a unit's own tools call the same routes.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from bordergate.domain import report_commands as rc
from bordergate.domain.accounts import Principal
from bordergate.domain.commands import Command
from bordergate.domain.errors import NotFound
from bordergate.entrypoints.api.deps import GateDep
from bordergate.entrypoints.web import pages
from bordergate.entrypoints.web.session import ScreenPrincipal
from bordergate.services import unit_inbox_views

router = APIRouter(include_in_schema=False)

Fields = dict[str, str]
# Each action of the report's detail: the command it hands to the bus, from the fields a form or JSON body gave.
ACTIONS: dict[str, Callable[[Principal, str, Fields], Command]] = {
    "accept": lambda p, code, f: rc.AcceptReport(p, code),
    "transfer": lambda p, code, f: rc.TransferReport(p, code, f.get("to_unit", "").strip(), f.get("reason", "")),
    "ask": lambda p, code, f: rc.AskReporter(p, code, f.get("question", "")),
    "answer": lambda p, code, f: rc.AnswerReport(p, code, f.get("answer", ""), f.get("resolution", "")),
    "close": lambda p, code, f: rc.CloseReport(p, code),
    "duplicate": lambda p, code, f: rc.LinkDuplicate(p, code, f.get("original", "").strip().upper()),
    "hide": lambda p, code, f: rc.HideReport(p, code, f.get("reason", "")),
    "show": lambda p, code, f: rc.ShowReport(p, code, f.get("reason", "")),
    "spam": lambda p, code, f: rc.MarkSpam(p, code, f.get("reason", "")),
    "trip": lambda p, code, f: rc.LinkReportToTrip(p, code, f.get("declaration_reference", "")),
}


def command_for(action: str, principal: Principal, code: str, fields: Fields) -> Command:
    """The action's command, or a 404 naming the actions there are."""
    build = ACTIONS.get(action)
    if build is None:
        raise NotFound(f"there is no action {action!r} on a report; one of {', '.join(ACTIONS)}")
    return build(principal, code, fields)


class ActionBody(BaseModel):
    """What an action needs (each takes only its own: a transfer to_unit and reason, an answer its text and
    resolution, a duplicate the original's code, a trip the declaration's reference)."""

    reason: str = Field("", max_length=4000)
    to_unit: str = Field("", max_length=40)
    question: str = Field("", max_length=4000)
    answer: str = Field("", max_length=4000)
    resolution: str = Field("", max_length=20)
    original: str = Field("", max_length=24)
    declaration_reference: str = Field("", max_length=24)


class PhoneBody(BaseModel):
    phone: str = Field("", max_length=40)


@router.get("/unit/api/reports")
def inbox(gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale, tab: str = "new",
          commune: str | None = None, category: str | None = None) -> dict[str, Any]:
    """The unit's reports in one tab (new, in_progress, waiting, near, overdue, answered; escalated for a
    supervisor), soonest due first, with every tab's count."""
    return unit_inbox_views.inbox(gate.reader(), principal, gate.clock.now(), tab=tab, commune=commune,
                                  category_code=category, locale=locale)


@router.get("/unit/api/reports/{code}")
def report(code: str, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale) -> dict[str, Any]:
    """One report as its unit reads it (the exact place and the reporter's phone for the assigned unit only)."""
    return unit_inbox_views.detail(gate.reader(), principal, code, gate.clock.now(), locale)


@router.post("/unit/api/reports/{code}/{action}")
def act(code: str, action: str, body: ActionBody, gate: GateDep, principal: ScreenPrincipal,
        locale: pages.ScreenLocale) -> dict[str, Any]:
    """Accept, transfer, ask, answer, close, duplicate, hide, show, spam or trip; answers the report as it is now."""
    gate.bus.handle(command_for(action, principal, code, body.model_dump()))
    return unit_inbox_views.detail(gate.reader(), principal, code, gate.clock.now(), locale)


@router.post("/unit/api/phone")
def phone(body: PhoneBody, gate: GateDep, principal: ScreenPrincipal) -> dict[str, Any]:
    """The phone the officer or supervisor is told on (overdue and urgent reports); empty takes it away."""
    return {"phone": gate.bus.handle(rc.SetUnitPhone(principal, body.phone))}
