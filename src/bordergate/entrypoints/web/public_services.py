"""Screens of the public services: the procedures search and page, an application's status, the allowance."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from bordergate.domain.access import RECORD_ALLOWANCE_USES, SEE_OWN_ALLOWANCE, require
from bordergate.domain.applications import ApplicationStatus
from bordergate.domain.crossing_points import LANG_SON
from bordergate.domain.errors import Conflict, DomainError, Invalid, NotFound, Unavailable
from bordergate.domain.service_commands import RecordAllowanceUse
from bordergate.entrypoints.api.deps import GateDep
from bordergate.entrypoints.web import pages
from bordergate.entrypoints.web.session import ScreenPrincipal
from bordergate.services import public_services
from bordergate.services.one_stop import application_status

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form()]
# What the status page says for each refusal, in the reader's language (the catalog public_services.po).
STATUS_REFUSALS = {
    404: "No application has this receipt code. Check the code on your receipt, or ask the desk where you applied.",
    422: "A receipt code is 6 to 40 letters, digits, dots and dashes, as printed on your receipt.",
    503: "The province's one-stop system is not answering just now. Nothing is lost: try again in a few minutes.",
}
OVER_ALLOWANCE = "Over the allowance: goods beyond it are declared and taxed as imports."
LEVELS = {"full_online": "Fully online", "partly_online": "Partly online", "in_person": "In person at the desk"}


def _helpers(locale: str) -> dict[str, Any]:
    return {"vnd": pages.vnd_for(locale), "level_named": LEVELS.get,
            "when": lambda moment: pages.local_time(moment.isoformat()) if moment else ""}


@router.get("/services", response_class=HTMLResponse)
def services_page(request: Request, gate: GateDep, locale: pages.ScreenLocale, q: str = "") -> Any:
    """Search the procedures catalogue, typed with or without diacritics (no sign-in)."""
    found = public_services.search_procedures(gate.reader(), q[:200]) if q.strip() else None
    return pages.page(request, "services.html", locale, q=q, found=found, **_helpers(locale))


@router.get("/services/status", response_class=HTMLResponse)
def status_page(request: Request, gate: GateDep, locale: pages.ScreenLocale, receipt: str = "") -> Any:
    """An application's status by the receipt code the desk printed, asked of the province's one-stop system."""
    status, refusal, code = None, None, 200
    if receipt.strip():
        try:
            status = application_status(gate.one_stop, receipt[:60])
        except (NotFound, Invalid, Unavailable) as exc:
            code = 404 if isinstance(exc, NotFound) else 422 if isinstance(exc, Invalid) else 503
            refusal = STATUS_REFUSALS[code]
    return pages.page(request, "services_status.html", locale, status_code=code, receipt=receipt, status=status,
                      refusal=refusal, overdue=status.overdue(gate.clock.now()) if status else False,
                      sandbox=not gate.settings.one_stop_url,
                      state=_state(status, locale), **_helpers(locale))


def _state(status: ApplicationStatus | None, locale: str) -> dict[str, str] | None:
    if status is None:
        return None
    return {"code": status.state.value, "label": status.state.label(locale), "colour": status.state.colour}


@router.get("/services/{code}", response_class=HTMLResponse)
def procedure_page(request: Request, gate: GateDep, locale: pages.ScreenLocale, code: str) -> Any:
    """One procedure: what to bring, the fee, the time limit, where to apply."""
    try:
        found = public_services.procedure(gate.reader(), code)
    except NotFound:
        return pages.page(request, "services.html", locale, status_code=404, q="", found=None,
                          missing=code, **_helpers(locale))
    with gate.reader() as uow:
        current = uow.procedures.current()
    return pages.page(request, "services_procedure.html", locale, procedure=found,
                      note=current.note if current else "", **_helpers(locale))


@router.get("/citizen/allowance", response_class=HTMLResponse)
def allowance_page(request: Request, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale) -> Any:
    """A signed-in resident's border-resident allowance: used today and this month, what is left."""
    require(principal, SEE_OWN_ALLOWANCE)
    try:
        mine = public_services.resident_allowance(gate.reader(), principal, gate.clock)
    except NotFound:
        mine = None
    return pages.page(request, "allowance.html", locale, principal=principal, mine=mine, **_helpers(locale))


@router.get("/allowance/uses", response_class=HTMLResponse)
def record_form(request: Request, principal: ScreenPrincipal, locale: pages.ScreenLocale) -> Any:
    """The resident lane's form: an officer records what a resident brings across duty-free today."""
    require(principal, RECORD_ALLOWANCE_USES)
    return _record_page(request, principal, locale, {}, None, None)


@router.post("/allowance/uses", response_class=HTMLResponse)
def record_use(request: Request, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale,
               resident: Text, crossing_point: Text, value_vnd: Text) -> Any:
    values = {"resident": resident, "crossing_point": crossing_point, "value_vnd": value_vnd}
    try:
        amount = int(value_vnd.replace(".", "").replace(",", "").strip() or "0")
        done = gate.bus.handle(RecordAllowanceUse(principal, resident.strip(), crossing_point, amount,
                                                  source=principal.role.value))
    except ValueError:
        return _record_page(request, principal, locale, values, "Write the value in whole dong, e.g. 1500000.", None,
                            422)
    except DomainError as exc:
        status = 409 if isinstance(exc, Conflict) else 404 if isinstance(exc, NotFound) else 422
        said = OVER_ALLOWANCE if status == 409 else exc.detail
        return _record_page(request, principal, locale, values, said, None, status, exc.detail)
    return _record_page(request, principal, locale, {"crossing_point": crossing_point}, None, done)


def _record_page(request: Request, principal: Any, locale: str, values: dict[str, str], refusal: str | None,
                 done: dict[str, Any] | None, status_code: int = 200, detail: str | None = None) -> Any:
    points = [(p.code, p.name) for p in LANG_SON]
    return pages.page(request, "allowance_record.html", locale, status_code=status_code, principal=principal,
                      values=values, refusal=refusal, detail=detail if detail != refusal else None,
                      done=done, points=points, **_helpers(locale))
