"""Server-rendered screens: templates in the reader's language, and live parts pushed over Server-Sent Events."""
from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.responses import StreamingResponse

from bordergate.entrypoints.web.closing import Closing
from bordergate.entrypoints.web.i18n import LOCALES, gettext_for
from bordergate.entrypoints.web.places import language_links
from bordergate.entrypoints.web.stored_words import said_for
from bordergate.entrypoints.web.session import still_signed_in
from bordergate.entrypoints.web.static_files import static_url

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
# Templates name static files through static('live.js'): fingerprinted URLs the phone caches for a year.
templates.env.globals["static"] = static_url
# Lang Son keeps Indochina time all year (no daylight saving), so a fixed offset is exact.
BORDER_TIME = timezone(timedelta(hours=7), "UTC+7")
LANG_COOKIE = "bordergate_lang"
# Comments keep idle connections open through proxies that close silent ones.
KEEP_ALIVE_SECONDS = 15


def wants_html(request: Request) -> bool:
    """Browsers (a phone that scanned the QR code) get a page; programs get JSON."""
    return "text/html" in request.headers.get("accept", "")


def local_time(moment: str) -> str:
    """An ISO moment as the gate's wall clock shows it: 13:36 28/11/2026 (UTC+7)."""
    return datetime.fromisoformat(moment).astimezone(BORDER_TIME).strftime("%H:%M %d/%m/%Y (UTC+7)")


def clock_time(moment: str) -> str:
    """An ISO moment as the gate's wall clock's hours and minutes: 13:36 (UTC+7)."""
    return datetime.fromisoformat(moment).astimezone(BORDER_TIME).strftime("%H:%M")


templates.env.globals["clock_time"] = clock_time


def vnd_for(locale: str) -> Callable[[int | None], str]:
    """Whole VND as the reader writes numbers: 4.000.000 VND in Vietnamese, 4,000,000 VND otherwise."""
    separator = "." if locale == "vi" else ","
    return lambda amount: "" if amount is None else f"{amount:,}".replace(",", separator) + " VND"


def render(name: str, locale: str, **context: Any) -> str:
    """A template (or a live fragment) in the reader's language."""
    return templates.get_template(name).render(_=gettext_for(locale), in_words=said_for(locale), locale=locale,
                                               **context)


def screen_locale(request: Request) -> str:
    """A screen's language: the switch (?lang=, remembered in a cookie), else Vietnamese, the gate's own, whatever
    the phone's settings say."""
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    return chosen if chosen in LOCALES else "vi"


# A screen's language as a route parameter: the switch, else Vietnamese.
ScreenLocale = Annotated[str, Depends(screen_locale)]


def form_token(request: Request) -> Callable[[], str]:
    """What a template calls for the csrf_token of its forms (web/csrf.py); only a page with a form asks for one."""
    return lambda: request.app.state.forms.for_page(request)


def page(request: Request, name: str, locale: str, status_code: int = 200, **context: Any):
    response = templates.TemplateResponse(
        request, name, {"_": gettext_for(locale), "locale": locale, "csrf_token": form_token(request),
                        "language_links": language_links(request), "in_words": said_for(locale), **context},
        status_code=status_code)
    request.app.state.forms.keep(request, response)
    if request.query_params.get("lang") in LOCALES:
        response.set_cookie(LANG_COOKIE, locale, max_age=365 * 24 * 3600, samesite="lax")
    return response


def refused_screen(request: Request, exc: Exception):
    """A screen the signed-in person's role may not use (entrypoints/access.py): 403, and the way to their own."""
    return page(request, "refused.html", screen_locale(request), status_code=403,
                detail=getattr(exc, "detail", str(exc)), home=getattr(exc, "home", "/"),
                principal=getattr(exc, "principal", None))  # so they may sign out and in as someone else


def trip_context(trip: dict[str, Any], now: datetime) -> dict[str, Any]:
    """What the driver's page shows, with times on the gate's clock."""
    queue = trip.get("queue") or {}
    times = {key: local_time(queue[key]) for key in ("call_deadline", "expected_call_at") if queue.get(key)}
    return {"trip": trip, "times": times, "arrival": local_time(trip["planned_arrival"]), "now": now.isoformat()}


def status_context(queues: list[dict[str, Any]]) -> dict[str, Any]:
    """The public figures grouped by crossing point, lanes under each."""
    points: dict[str, dict[str, Any]] = {}
    for lane in queues:
        point = points.setdefault(lane["crossing_point"], {"code": lane["crossing_point"], "lanes": [], "orders": [],
                                                           "name": lane["crossing_point_name"]
                                                           or lane["crossing_point"]})
        point["lanes"].append(lane)
        point["orders"] += [o for o in lane["regulation_orders"] if o not in point["orders"]]
    return {"queues": list(points.values())}


class Shared:
    """One rendering of a fragment every ``every`` seconds for all its viewers: a public page watched by hundreds of
    phones asks the database once per period, not once per phone."""

    def __init__(self, every: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.every, self.clock = every, clock
        self.lock = threading.Lock()
        self.kept: dict[str, tuple[float, str]] = {}

    def get(self, key: str, render_: Callable[[], str]) -> str:
        with self.lock:
            at, html = self.kept.get(key, (float("-inf"), ""))
            if self.clock() - at >= self.every:
                html = render_()
                self.kept[key] = (self.clock(), html)
            return html


def live(request: Request, fragment: Callable[[], str], every: float, signed_in: bool = False) -> StreamingResponse:
    """Push ``fragment()`` whenever it changes: the page swaps it in, so it is always what the server would render.
    Every push carries the gate's time as its id, and a quiet stream says it is alive with the time, so the page
    can say how old its figures are. A ``signed_in`` screen's stream ends as soon as its session does (signed out,
    revoked, idle, past its shift); every stream ends when the server starts to stop (web/closing.py)."""
    # An app put together without create_app has no Closing: its streams end when their readers go.
    gate, closing = request.app.state.gate, getattr(request.app.state, "closing", None) or Closing()

    async def events() -> AsyncIterator[str]:
        last, quiet = None, 0.0
        while not await request.is_disconnected():
            if signed_in and not await run_in_threadpool(still_signed_in, request):
                return
            html = await run_in_threadpool(fragment)
            at = gate.clock.now().isoformat(timespec="seconds")
            if html != last:
                last, quiet = html, 0.0
                yield f"event: update\nid: {at}\n" + "".join(f"data: {line}\n" for line in html.splitlines()) + "\n"
            elif quiet >= KEEP_ALIVE_SECONDS:
                quiet = 0.0
                yield f"event: alive\nid: {at}\ndata: {at}\n\n"
            if await closing.wait(every):
                return
            quiet += every
    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"cache-control": "no-cache", "x-accel-buffering": "no"})
