"""Signing in to the screens: a session cookie holding the same signed token the API uses, and who it belongs to."""
from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse

from bordergate.domain.accounts import Principal, Role
from bordergate.entrypoints.web import pages
from bordergate.services.authentication import NotAuthenticated, principal_for

SESSION_COOKIE = "bordergate_session"

# Where each role starts after signing in.
HOME = {Role.DECLARANT: "/portal", Role.AGENT: "/portal", Role.OPERATOR: "/board", Role.ADMIN: "/board",
        Role.TRAFFIC_POLICE: "/board", Role.CUSTOMS: "/agency", Role.BORDER_GUARD: "/agency",
        Role.QUARANTINE: "/agency", Role.HEALTH: "/agency", Role.DRIVER: "/"}


class SignInRequired(Exception):
    """A screen needs a signed-in person; the browser is sent to the sign-in page and back."""

    def __init__(self, back_to: str) -> None:
        super().__init__(back_to)
        self.back_to = back_to


def screen_principal(request: Request) -> Principal:
    """The signed-in person of a screen, from the session cookie; otherwise off to the sign-in page."""
    gate = request.app.state.gate
    token = request.cookies.get(SESSION_COOKIE)
    user_id = gate.tokens.user_id(token, gate.clock.now()) if token else None
    if user_id is None:
        raise SignInRequired(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    try:
        return principal_for(gate.reader(), user_id)
    except NotAuthenticated:
        raise SignInRequired(request.url.path) from None


def to_sign_in(request: Request, exc: SignInRequired) -> RedirectResponse:
    return RedirectResponse(f"/signin?next={quote(exc.back_to)}", status_code=303)


def refused_screen(request: Request, exc: Exception):
    """A screen the signed-in person's role may not use (entrypoints/access.py): 403, and the way to their own."""
    return pages.page(request, "refused.html", pages.screen_locale(request), status_code=403,
                      detail=getattr(exc, "detail", str(exc)), home=getattr(exc, "home", "/"))


def start(response: RedirectResponse, token: str, max_age: int, secure: bool) -> RedirectResponse:
    """The cookie a browser keeps for the shift: not readable by scripts, never sent by other sites."""
    response.set_cookie(SESSION_COOKIE, token, max_age=max_age, httponly=True, samesite="strict", secure=secure)
    return response


ScreenPrincipal = Annotated[Principal, Depends(screen_principal)]
