"""The demo's screens while its day is being prepared: a page saying so (and how far it is), the API answering 503."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from bordergate.entrypoints.api.problems import problem
from bordergate.entrypoints.web.pages import render, screen_locale
from bordergate.entrypoints.web.security_headers import SCREENS

# What works before the day is ready: the stylesheet the page itself uses, the health check (the process is up and
# its database answers), and the API's documentation, which holds no gate data.
_ALWAYS = ("/static/", "/healthz", "/docs", "/redoc", "/openapi.json")
RETRY_AFTER = 3  # seconds; the page reloads itself as often, a client is told to wait as long
_HEADERS = {"content-security-policy": SCREENS.format(forms="'self'"), "x-frame-options": "DENY",
            "x-content-type-options": "nosniff", "referrer-policy": "strict-origin-when-cross-origin",
            "cache-control": "no-store", "retry-after": str(RETRY_AFTER)}


@dataclass(frozen=True)
class Preparation:
    """How far the day's preparation is: trucks declared of those due before the replay goes live."""

    declared: int
    due: int


class WhilePreparing:
    """Stands in front of the gate's app until ``preparing()`` answers None (the day is ready): a person opening any
    screen is told the day is still being prepared, in their language, on a page that reloads itself; a program
    calling the API gets a 503 problem with Retry-After. Nothing reaches the gate meanwhile, so no one signs in, and
    no camera reads, against a clock that is still fast-forwarding."""

    def __init__(self, app: ASGIApp, preparing: Callable[[], Preparation | None]) -> None:
        self.app, self.preparing = app, preparing

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        progress = self.preparing() if scope["type"] == "http" else None
        if progress is None or scope["path"].startswith(_ALWAYS):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if scope["path"].startswith("/api/"):
            response = problem(503, "The demo's day is still being prepared",
                               f"The replayed day's trucks are being declared ({progress.declared} of "
                               f"{progress.due}); try again in {RETRY_AFTER} seconds.", request,
                               headers={"retry-after": str(RETRY_AFTER)})
        else:
            locale = screen_locale(request)
            # A page, not an error, for whoever opens a screen; a form sent meanwhile was not taken, and says so.
            status = 200 if scope["method"] in ("GET", "HEAD") else 503
            response = HTMLResponse(render("demo_preparing.html", locale, progress=progress, seconds=RETRY_AFTER),
                                    status_code=status, headers=_HEADERS)
        await response(scope, receive, send)
