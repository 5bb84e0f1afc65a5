"""Administration screens: users and roles, crossing points and checkpoints, cameras, tariffs."""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from bordergate.domain import commands
from bordergate.domain.access import ADMINISTER, RUN_THE_GATE, allows, require
from bordergate.domain.accounts import OrganisationKind, Principal, Role
from bordergate.domain.capacity import local_day
from bordergate.domain.checkpoints import CheckpointKind, Direction
from bordergate.domain.errors import FieldProblem, Forbidden, Invalid, InvalidValue
from bordergate.entrypoints.api.deps import GateDep
from bordergate.entrypoints.web import pages
from bordergate.entrypoints.web.acting import Screen, detail_of, status_for
from bordergate.entrypoints.web.session import HOME, ScreenPrincipal
from bordergate.services import admin_views, control_views
from bordergate.services.civic_data import calendar_missing

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form()]
# Where the page scrolls after each kind of change, so the person sees what it did.
SECTION = {"organisation": "accounts", "user": "accounts", "agent": "accounts", "agent_revoked": "accounts",
           "crossing_point": "crossing-points", "checkpoint": "checkpoints", "camera_revoked": "checkpoints",
           "tariff": "tariffs"}


@dataclass
class Failure:
    """A refused form: which one, what was typed, and why, field by field (or as a whole)."""

    form: str
    values: dict[str, str]
    status: int
    errors: dict[str, list[str]] = field(default_factory=dict)
    detail: str | None = None

    @classmethod
    def of(cls, form: str, values: dict[str, str], exc: Exception) -> Failure:
        status = status_for(exc)
        if isinstance(exc, Invalid):
            errors: dict[str, list[str]] = {}
            for problem in exc.problems:
                errors.setdefault(problem.field, []).append(problem.message)
            return cls(form, values, status, errors)
        return cls(form, values, status, detail=detail_of(exc))


# A role that may not is refused the screen, with the way to its own home; a value that does not fit is a refusal.
ADMIN = Screen("admin_refused.html",
               lambda exc, principal: {"detail": detail_of(exc), "home": HOME.get(principal.role, "/")},
               also=(InvalidValue,))


def _admin_page(request: Request, gate, principal: Principal, locale: str, *, failed: Failure | None = None,
                status_code: int = 200) -> Any:
    """The whole screen; the parts shown are those the services let this person use."""
    try:
        require(principal, RUN_THE_GATE)
    except Forbidden as exc:
        return ADMIN.refused(request, locale, principal, exc)
    accounts = allows(principal, ADMINISTER)
    tariffs = admin_views.tariffs(gate.reader(), local_day(gate.clock.now()))
    latest = {k: v for k, v in tariffs[0].items() if k not in ("in_force", "upcoming")} if tariffs else {}
    done = request.query_params.get("done")
    return ADMIN.page(
        request, "admin.html", locale, principal, status_code=status_code, accounts=accounts,
        organisations=admin_views.organisations(gate.reader(), principal, locale) if accounts else [],
        points=admin_views.crossing_points(gate.reader(), principal, locale), tariffs=tariffs,
        draft=json.dumps(latest, ensure_ascii=False, indent=2), failed=failed, done=done if done in SECTION else None,
        roles=[(r.value, r.label(locale)) for r in Role], kinds=[(k.value, k.label(locale)) for k in OrganisationKind],
        checkpoint_kinds=[(k.value, k.label(locale)) for k in CheckpointKind],
        directions=[(d.value, d.label(locale)) for d in Direction], time=pages.local_time,
        calendar_missing=calendar_missing(gate.reader(), gate.clock.now()))


def _submit(request: Request, gate, principal: Principal, locale: str, form: str, values: dict[str, str],
            command: Callable[[], Any], answer: Callable[[Any], Any] | None = None) -> Any:
    """Hand the command to the bus like the API does: on success see the change (303), on a refusal the page again
    with the reasons next to the fields and the status the API would answer; a role that may not is told so (403)."""
    def again(exc: Exception, status: int):
        return _admin_page(request, gate, principal, locale, failed=Failure.of(form, values, exc), status_code=status)

    def done(result: Any):
        if answer:
            return answer(result)
        kind = form.split(":")[0]
        return RedirectResponse(f"/admin?done={kind}#{SECTION[kind]}", status_code=303)
    return ADMIN.act(request, locale, principal, lambda: gate.bus.handle(command()), done=done, again=again)


def _whole_number(name: str, text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise Invalid([FieldProblem(name, "must be a whole number")]) from None


def _document(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise Invalid([FieldProblem("document", f"is not valid JSON: {exc.msg} (line {exc.lineno}, "
                                                f"column {exc.colno})")]) from None


def _key_page(request: Request, gate, principal: Principal, locale: str, camera_id: str, key: str,
              status_code: int) -> Any:
    """The camera's key, this once: it is kept only as a digest, so the page must not be cached either."""
    camera = control_views.camera(gate.reader(), principal, camera_id, locale)
    response = ADMIN.page(request, "admin_key.html", locale, principal, status_code=status_code, camera=camera,
                          key=key)
    response.headers["cache-control"] = "no-store"
    return response


@router.get("/admin", response_class=HTMLResponse)
def admin(request: Request, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale) -> Any:
    """Organisations and users, crossing points, checkpoints and cameras, tariffs."""
    return _admin_page(request, gate, principal, locale)


@router.get("/admin/{anywhere:path}")
def back_to_admin(request: Request) -> RedirectResponse:
    # A refused form is shown at its POST address; the language switch there asks for the screen again.
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(f"/admin{query}", status_code=303)


@router.post("/admin/organisations", response_class=HTMLResponse)
def register_organisation(request: Request, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale,
                          name: Text = "", kind: Text = "", tax_code: Text = "") -> Any:
    values = {"name": name, "kind": kind, "tax_code": tax_code}
    return _submit(request, gate, principal, locale, "organisation", values, lambda: commands.RegisterOrganisation(
        principal, name, kind, tax_code.strip() or None))


@router.post("/admin/users", response_class=HTMLResponse)
def create_user(request: Request, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale,
                username: Text = "", full_name: Text = "", password: Text = "", role: Text = "",
                organisation_id: Text = "") -> Any:
    # The password is not sent back to the page: the person types it again.
    values = {"username": username, "full_name": full_name, "role": role, "organisation_id": organisation_id}
    return _submit(request, gate, principal, locale, "user", values, lambda: commands.CreateUser(
        principal, username, password, full_name, role, organisation_id or None))


@router.post("/admin/agents", response_class=HTMLResponse)
def authorise_agent(request: Request, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale,
                    enterprise_id: Text = "", agency_id: Text = "") -> Any:
    values = {"enterprise_id": enterprise_id, "agency_id": agency_id}
    return _submit(request, gate, principal, locale, "agent", values,
                   lambda: commands.AuthoriseAgent(principal, enterprise_id, agency_id))


@router.post("/admin/agents/revoke", response_class=HTMLResponse)
def revoke_agent(request: Request, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale,
                 enterprise_id: Text = "", agency_id: Text = "") -> Any:
    values = {"enterprise_id": enterprise_id, "agency_id": agency_id}
    return _submit(request, gate, principal, locale, f"agent_revoked:{agency_id}", values,
                   lambda: commands.RevokeAgent(principal, enterprise_id, agency_id))


@router.post("/admin/crossing-points", response_class=HTMLResponse)
def add_crossing_point(request: Request, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale,
                       code: Text = "", name: Text = "", province: Text = "", border_markers: Text = "",
                       counterpart: Text = "") -> Any:
    values = {"code": code, "name": name, "province": province, "border_markers": border_markers,
              "counterpart": counterpart}
    return _submit(request, gate, principal, locale, "crossing_point", values, lambda: commands.AddCrossingPoint(
        principal, code, name, province, border_markers, counterpart))


@router.post("/admin/checkpoints", response_class=HTMLResponse)
def add_checkpoint(request: Request, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale,
                   crossing_point: Text = "", kind: Text = "", direction: Text = "", name: Text = "",
                   lanes: Text = "1") -> Any:
    values = {"crossing_point": crossing_point, "kind": kind, "direction": direction, "name": name, "lanes": lanes}
    return _submit(request, gate, principal, locale, f"checkpoint:{crossing_point}", values,
                   lambda: commands.AddCheckpoint(principal, crossing_point, kind, direction, name,
                                                  _whole_number("lanes", lanes)))


@router.post("/admin/checkpoints/{checkpoint_id}/cameras", response_class=HTMLResponse)
def register_camera(checkpoint_id: str, request: Request, gate: GateDep, principal: ScreenPrincipal,
                    locale: pages.ScreenLocale, name: Text = "", lane: Text = "1") -> Any:
    return _submit(request, gate, principal, locale, f"camera:{checkpoint_id}", {"name": name, "lane": lane},
                   lambda: commands.RegisterCamera(principal, checkpoint_id, name, _whole_number("lane", lane)),
                   lambda made: _key_page(request, gate, principal, locale, made[0], made[1], 201))


@router.post("/admin/cameras/{camera_id}/key", response_class=HTMLResponse)
def issue_camera_key(camera_id: str, request: Request, gate: GateDep, principal: ScreenPrincipal,
                     locale: pages.ScreenLocale) -> Any:
    return _submit(request, gate, principal, locale, f"key:{camera_id}", {},
                   lambda: commands.IssueCameraKey(principal, camera_id),
                   lambda key: _key_page(request, gate, principal, locale, camera_id, key, 200))


@router.post("/admin/cameras/{camera_id}/revoke", response_class=HTMLResponse)
def revoke_camera(camera_id: str, request: Request, gate: GateDep, principal: ScreenPrincipal,
                  locale: pages.ScreenLocale, reason: Text = "") -> Any:
    return _submit(request, gate, principal, locale, f"camera_revoked:{camera_id}", {"reason": reason},
                   lambda: commands.RevokeCamera(principal, camera_id, reason.strip() or None))


@router.post("/admin/tariffs", response_class=HTMLResponse)
def publish_tariff(request: Request, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale,
                   document: Text = "") -> Any:
    return _submit(request, gate, principal, locale, "tariff", {"document": document},
                   lambda: commands.PublishTariff(principal, _document(document)))
