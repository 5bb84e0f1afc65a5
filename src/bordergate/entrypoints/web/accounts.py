"""Routes of signing in and out of the screens."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from bordergate.entrypoints.api.deps import GateDep
from bordergate.entrypoints.web import pages
from bordergate.entrypoints.web.session import HOME, SESSION_COOKIE, start
from bordergate.services.authentication import NotAuthenticated, sign_in

router = APIRouter(include_in_schema=False)


def _safe(next_page: str | None) -> str | None:
    # Only paths of this site: a link must not bounce a person signing in to somebody else's page.
    return next_page if next_page and next_page.startswith("/") and not next_page.startswith("//") else None


@router.get("/signin", response_class=HTMLResponse)
def sign_in_page(request: Request, locale: pages.ScreenLocale, next: str | None = None) -> Any:
    return pages.page(request, "signin.html", locale, next=_safe(next) or "", error=None, username="")


@router.post("/signin", response_class=HTMLResponse)
def sign_in_form(request: Request, gate: GateDep, locale: pages.ScreenLocale, username: Annotated[str, Form()],
                 password: Annotated[str, Form()], next: Annotated[str, Form()] = "") -> Any:
    try:
        user = sign_in(gate.reader(), gate.passwords, username, password)
    except NotAuthenticated:
        return pages.page(request, "signin.html", locale, next=_safe(next) or "", username=username,
                          error="Wrong username or password.", status_code=401)
    token = gate.tokens.issue(user.id, gate.clock.now())
    target = _safe(next) or HOME.get(user.role, "/")
    return start(RedirectResponse(target, status_code=303), token, int(gate.tokens.ttl.total_seconds()),
                 secure=gate.settings.public_url.startswith("https://"))


@router.post("/signout")
def sign_out() -> RedirectResponse:
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
