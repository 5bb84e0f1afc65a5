"""The operators' board for the control room: lanes, alerts, plate reviews, manual reads, capacity, orders."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse

from bordergate.domain import commands
from bordergate.domain.access import SEE_EVERY_TRIP, allows
from bordergate.domain.accounts import Principal
from bordergate.domain.checkpoints import Direction
from bordergate.domain.dates import moment_in_range
from bordergate.domain.errors import DomainError, FieldProblem, Invalid, NotFound, parsed
from bordergate.entrypoints.api.deps import GateDep
from bordergate.entrypoints.api.problems import status_of
from bordergate.entrypoints.web import pages
from bordergate.entrypoints.web.acting import Screen
from bordergate.entrypoints.web.session import ScreenPrincipal
from bordergate.services import board_views, control_views
from bordergate.services import gate_report_views

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form()]
# The fields each form of the page shows, so a problem is said next to its field and the rest under the form.
FIELDS = {"manual": ("checkpoint", "plate", "note"), "order": ("direction", "staging_area", "message"),
          "change": ("direction", "starts_at", "ends_at", "per_hour", "reason"),
          "plan": tuple(f"hourly[{h}]" for h in range(24)), "review": ("reference", "plate", "note"),
          "alert": ("note",)}


@dataclass(frozen=True)
class Lane:
    """A crossing point and direction: what the board shows, and where every form comes back to."""

    point: str
    direction: str

    def url(self, path: str = "/board", **shown: Any) -> str:
        return f"{path}?" + urlencode({"point": self.point, "direction": self.direction, **shown})


@dataclass
class Problem:
    """A refused form: which one, the message under each of its fields, what else was said, and what was typed."""

    form: str
    fields: dict[str, str] = field(default_factory=dict)
    rest: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    placed: bool = True

    @classmethod
    def of(cls, form: str, exc: DomainError, values: dict[str, Any]) -> Problem:
        known = FIELDS.get(form.split(":")[0], ())
        problems = exc.problems if isinstance(exc, Invalid) else []
        return cls(form, {p.field: p.message for p in problems if p.field in known},
                   [p.message for p in problems if p.field not in known] or ([] if problems else [exc.detail]),
                   values)


def _clock(moment: str | None, with_day: bool = False) -> str:
    """An ISO moment on the gate's wall clock: 08:20, or 08:20 27/11."""
    if not moment:
        return "–"
    return datetime.fromisoformat(moment).astimezone(pages.BORDER_TIME).strftime(
        "%H:%M %d/%m" if with_day else "%H:%M")


def _view(gate, principal: Principal, lane: Lane, locale: str) -> dict[str, Any]:
    return board_views.board(gate.reader(), principal, lane.point, lane.direction, gate.clock.now(),
                             gate.rules.perishable_urgent, locale)


def _lane(lanes: list[dict[str, Any]], point: str | None, direction: str | None) -> Lane:
    """The lane asked for, else the first that runs a queue; an unknown one is said plainly."""
    if point is None:
        first = next((x for x in lanes if x["runs_a_queue"]), lanes[0] if lanes else None)
        if first is None:
            raise NotFound("no crossing point is set up yet; an administrator adds them first")
        return Lane(first["crossing_point"], first["direction"]["code"])
    lane = Lane(point, direction or Direction.OUTBOUND.value)
    if not any((x["crossing_point"], x["direction"]["code"]) == (lane.point, lane.direction) for x in lanes):
        raise NotFound(f"there is no lane {lane.point} {lane.direction}; pick one from the board's lanes")
    return lane


# A refusal is said on the board's own page, in place of the board.
BOARD = Screen("board.html", lambda exc, principal: {"refused": {"title": exc.title, "detail": exc.detail}})


def _board(request: Request, gate, principal: Principal, locale: str, point: str | None, direction: str | None, *,
           problem: Problem | None = None, status_code: int = 200, review: str | None = None,
           alert: str | None = None, read: str | None = None, moved: int | None = None):
    """The whole board, with a settling panel opened, a manual read's answer, or a refused form's problems."""
    try:
        lanes = board_views.lanes(gate.reader(), principal, locale)
        lane = _lane(lanes, point, direction)
        view = _view(gate, principal, lane, locale)
        # Checkpoints and cameras are smart control's; the traffic police's board is the road's part.
        checkpoints = (control_views.checkpoints(gate.reader(), principal, lane.point, locale)
                       if allows(principal, SEE_EVERY_TRIP) else [])
        answer = board_views.read(gate.reader(), principal, read, locale) if read else None
        citizen = gate_report_views.open_at(gate.reader(), principal, lane.point, gate.clock.now(), locale)
    except DomainError as exc:
        return BOARD.refused(request, locale, principal, exc)
    opened_review = next((r for r in view["reviews"] if r["read_id"] == review), None)
    opened_alert = next((a for a in view["alerts"] if a["id"] == alert), None) if view["operates"] else None
    if problem is not None:
        kind = problem.form.split(":")[0]
        problem.placed = (kind in ("manual", "order", "change", "plan") or (kind == "review" and bool(opened_review))
                          or (kind == "alert" and bool(opened_alert)))
    return BOARD.page(request, "board.html", locale, principal, status_code=status_code, lanes=lanes, lane=lane,
                      board=view, checkpoints=checkpoints, problem=problem, review=opened_review,
                      alert=opened_alert, answer=answer, moved=moved, clock=_clock, now=gate.clock.now().isoformat(),
                      live_url=lane.url("/board/live", lang=locale), citizen_reports=citizen)


@router.get("/board", response_class=HTMLResponse)
def board_page(request: Request, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale,
               point: str | None = None, direction: str | None = None, review: str | None = None,
               alert: str | None = None, read: str | None = None, moved: int | None = None) -> Any:
    """One lane of one crossing point, live: trucks by where they stand, the day's chart, what needs a person."""
    return _board(request, gate, principal, locale, point, direction, review=review, alert=alert, read=read,
                  moved=moved)


@router.get("/board/live")
def board_live(request: Request, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale,
               point: str | None = None, direction: str | None = None) -> Any:
    try:
        lane = _lane(board_views.lanes(gate.reader(), principal, locale), point, direction)
    except DomainError as exc:
        return PlainTextResponse(exc.detail, status_code=status_of(exc))

    def fragment() -> str:
        return pages.render("board_live.html", locale, board=_view(gate, principal, lane, locale), clock=_clock,
                            csrf_token=pages.form_token(request))
    return pages.live(request, fragment, gate.settings.live_seconds, signed_in=True)


def _act(request: Request, gate, principal: Principal, locale: str, point: str | None, direction: str | None,
         form: str, values: dict[str, Any], act: Callable[[], Any], *, reopen: dict[str, str] | None = None,
         then: Callable[[Any], dict[str, Any]] | None = None):
    """Do what the form asks through the bus; back to the board (303), or the board again with what was refused."""
    def again(exc: Exception, status: int):
        return _board(request, gate, principal, locale, point, direction, problem=Problem.of(form, exc, values),
                      status_code=status, **(reopen or {}))

    def done(result: Any):
        lane = Lane(point, direction or Direction.OUTBOUND.value) if point else None
        shown = then(result) if then else {}
        return RedirectResponse(lane.url(**shown) if lane else "/board", status_code=303)
    return BOARD.act(request, locale, principal, act, done=done, again=again)


def _given(text: str) -> str | None:
    return text.strip() or None


def _moment(text: str, name: str) -> datetime:
    """A time typed on the gate's wall clock (a datetime-local field), with the gate's time zone."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise Invalid([FieldProblem(name, "give a date and time, e.g. 2026-11-27 14:00")]) from None
    return parsed(name, moment_in_range, moment if moment.tzinfo else moment.replace(tzinfo=pages.BORDER_TIME))


def _number(text: str, name: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise Invalid([FieldProblem(name, "give a whole number of trucks")]) from None


@router.post("/board/reviews/{read_id}", response_class=HTMLResponse)
def settle_review(read_id: str, request: Request, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale,
                  point: str | None = None, direction: str | None = None, reference: Text = "", plate: Text = "",
                  dismiss: Text = "", note: Text = "") -> Any:
    """Confirm the declaration a read is, correct the plate it says, or dismiss it."""
    return _act(request, gate, principal, locale, point, direction, f"review:{read_id}",
                {"reference": reference, "plate": plate, "note": note},
                lambda: gate.bus.handle(commands.ResolveReview(principal, read_id, _given(reference), _given(plate),
                                                               _given(dismiss), _given(note))),
                reopen={"review": read_id})


@router.post("/board/alerts/{alert_id}/resolve", response_class=HTMLResponse)
def resolve_alert(alert_id: str, request: Request, gate: GateDep, principal: ScreenPrincipal,
                  locale: pages.ScreenLocale, point: str | None = None, direction: str | None = None,
                  note: Text = "") -> Any:
    """Close an alert, saying what was done."""
    return _act(request, gate, principal, locale, point, direction, f"alert:{alert_id}", {"note": note},
                lambda: gate.bus.handle(commands.ResolveAlert(principal, alert_id, note)), reopen={"alert": alert_id})


@router.post("/board/manual-read", response_class=HTMLResponse)
def manual_read(request: Request, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale,
                point: str | None = None, direction: str | None = None, checkpoint: Text = "", plate: Text = "",
                note: Text = "") -> Any:
    """A checkpoint's camera is down: the plate typed by hand is read and decided like a camera's."""
    def enter() -> Any:
        if not checkpoint:
            raise Invalid([FieldProblem("checkpoint", "choose the checkpoint where the truck stands")])
        return gate.bus.handle(commands.EnterPlate(principal, checkpoint, plate, None, _given(note)))
    return _act(request, gate, principal, locale, point, direction, "manual",
                {"checkpoint": checkpoint, "plate": plate, "note": note}, enter,
                then=lambda answer: {"read": answer.read.id})


@router.post("/board/orders", response_class=HTMLResponse)
def issue_order(request: Request, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale,
                point: str | None = None, direction: str | None = None, crossing_point: Text = "",
                order_direction: Text = "", staging_area: Text = "", message: Text = "") -> Any:
    """Hold trucks at a staging area: calls stop and booked drivers are told."""
    return _act(request, gate, principal, locale, point, direction, "order",
                {"direction": order_direction, "staging_area": staging_area, "message": message},
                lambda: gate.bus.handle(commands.IssueRegulationOrder(
                    principal, crossing_point or point or "", staging_area, message, _given(order_direction))))


@router.post("/board/orders/{order_id}/lift", response_class=HTMLResponse)
def lift_order(order_id: str, request: Request, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale,
               point: str | None = None, direction: str | None = None) -> Any:
    """End a hold: calls resume and drivers are told."""
    return _act(request, gate, principal, locale, point, direction, f"lift:{order_id}", {},
                lambda: gate.bus.handle(commands.LiftRegulationOrder(principal, order_id)))


@router.post("/board/capacity/changes", response_class=HTMLResponse)
def change_capacity(request: Request, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale,
                    point: str | None = None, direction: str | None = None, change_direction: Text = "",
                    starts_at: Text = "", ends_at: Text = "", per_hour: Text = "", reason: Text = "") -> Any:
    """Close, slow or widen the crossing point for a stretch of time; bookings that no longer fit are moved."""
    values = {"direction": change_direction, "starts_at": starts_at, "ends_at": ends_at, "per_hour": per_hour,
              "reason": reason}

    def change() -> int:
        parsed, problems = {}, []
        for name, parse in (("starts_at", _moment), ("ends_at", _moment), ("per_hour", _number)):
            try:
                parsed[name] = parse(values[name], name)
            except Invalid as exc:
                problems += exc.problems
        if problems:
            raise Invalid(problems)
        return gate.bus.handle(commands.ChangeCapacity(principal, point or "", _given(change_direction),
                                                       parsed["starts_at"], parsed["ends_at"], parsed["per_hour"],
                                                       reason))
    return _act(request, gate, principal, locale, point, direction, "change", values, change,
                then=lambda moved: {"moved": moved})


@router.post("/board/capacity/plan", response_class=HTMLResponse)
def set_plan(request: Request, gate: GateDep, principal: ScreenPrincipal, locale: pages.ScreenLocale,
             point: str | None = None, direction: str | None = None,
             hourly: Annotated[list[str], Form()] = ()) -> Any:
    """The usual trucks per hour for each local hour of this lane; bookings that no longer fit are moved."""
    values = {f"hourly[{h}]": text for h, text in enumerate(hourly)}

    def plan() -> int:
        problems, numbers = [], []
        for name, text in values.items():
            try:
                numbers.append(_number(text, name))
            except Invalid as exc:
                problems += exc.problems
        if problems:
            raise Invalid(problems)
        return gate.bus.handle(commands.SetCapacityPlan(principal, point or "", direction or "", tuple(numbers)))
    return _act(request, gate, principal, locale, point, direction, "plan", values, plan,
                then=lambda moved: {"moved": moved})
