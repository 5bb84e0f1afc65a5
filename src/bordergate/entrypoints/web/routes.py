"""Routes of the screens: the public status page, the driver's page, and their live updates."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from bordergate.domain.errors import NotFound
from bordergate.entrypoints.api.deps import GateDep
from bordergate.entrypoints.web import pages
from bordergate.services import fee_views, queue_views, views

router = APIRouter(include_in_schema=False)
# The public chart draws the last figure of every 5 minutes: 288 points a line, plenty for a phone's 300 px, a fifth
# of a day's published figures to carry over 3G.
CHART_STEP_MINUTES = 5


@router.get("/", response_class=HTMLResponse)
def status_page(request: Request, gate: GateDep, locale: pages.ScreenLocale) -> Any:
    """Each crossing point's queue and expected wait per direction, live, with the last 24 hours (no sign-in)."""
    queues = queue_views.public_queues(gate.reader(), locale, gate.clock.now(), gate.rules.perishable_urgent,
                                     gate.yesterday_errors)
    context = pages.status_context(queues)
    points = [(p["code"], p["name"]) for p in context["queues"]]
    now = gate.clock.now()
    # The first point's history comes with the page (a JSON block, not a script): one round trip fewer on 3G.
    history = queue_views.public_history(gate.reader(), points[0][0], now, locale, CHART_STEP_MINUTES) \
        if points else None
    return pages.page(request, "status.html", locale, points=points, now=now.isoformat(timespec="seconds"),
                      history=history, chart_step=CHART_STEP_MINUTES, **context)


@router.get("/live/status")
def status_live(request: Request, gate: GateDep, locale: pages.ScreenLocale) -> Any:
    shared = request.app.state.__dict__.setdefault("public_status", pages.Shared(gate.settings.live_seconds))

    def fragment() -> str:
        return shared.get(locale, lambda: pages.render(
            "status_body.html", locale, **pages.status_context(queue_views.public_queues(
                gate.reader(), locale, gate.clock.now(), gate.rules.perishable_urgent, gate.yesterday_errors))))
    return pages.live(request, fragment, gate.settings.live_seconds)


def tracking_page(request: Request, gate, reference: str, key: str, locale: str) -> Any:
    """The driver's page for a tracking link (the declaration's QR code or the SMS link)."""
    trip = views.tracking(gate.reader(), reference, locale)
    return pages.page(request, "track.html", locale, live_url=f"/track/{reference}/{key}/live?lang={locale}",
                      **pages.trip_context(trip, gate.clock.now()))


def receipt_page(request: Request, gate, number: str, locale: str) -> Any:
    """A receipt's QR code opened on a phone: whether the gate issued it, and what it was for."""
    found = fee_views.receipt_check(gate.reader(), number, locale)
    return pages.page(request, "receipt_check.html", locale, receipt=found, paid_at=pages.local_time(found["paid_at"]),
                      vnd=pages.vnd_for(locale))


@router.get("/track/{reference}/{key}/live")
def track_live(reference: str, key: str, request: Request, gate: GateDep, locale: pages.ScreenLocale) -> Any:
    if not gate.tracking.verify(reference, key):
        raise NotFound("this tracking link is not valid; scan the QR code on the declaration again")

    def fragment() -> str:
        trip = views.tracking(gate.reader(), reference, locale)
        return pages.render("track_body.html", locale, **pages.trip_context(trip, gate.clock.now()))
    return pages.live(request, fragment, gate.settings.live_seconds)
