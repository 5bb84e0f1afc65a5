"""Signing in to the screens: a cookie holding the same signed token the API uses, and whose open session it is."""
from __future__ import annotations

from typing import Annotated, TypeVar
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from bordergate.domain.accounts import Principal, Role
from bordergate.entrypoints.api.deps import principal_of_token
from bordergate.services.authentication import NotAuthenticated

SESSION_COOKIE = "bordergate_session"
R = TypeVar("R", bound=Response)

# Where each role starts after signing in.
HOME = {Role.DECLARANT: "/portal", Role.AGENT: "/portal", Role.OPERATOR: "/board", Role.ADMIN: "/board",
        Role.TRAFFIC_POLICE: "/board", Role.CUSTOMS: "/agency", Role.BORDER_GUARD: "/agency",
        Role.QUARANTINE: "/agency", Role.HEALTH: "/agency", Role.DRIVER: "/"}
HOME[Role.UNIT_OFFICER] = HOME[Role.UNIT_SUPERVISOR] = "/unit/"  # issue 17: the handling unit's inbox


class SignInRequired(Exception):
    """A screen needs a signed-in person; the browser is sent to the sign-in page and back."""

    def __init__(self, back_to: str) -> None:
        super().__init__(back_to)
        self.back_to = back_to


def screen_principal(request: Request) -> Principal:
    """The signed-in person of a screen, from the session cookie, while its session is open (not signed out,
    revoked, idle too long or past its shift); otherwise off to the sign-in page and back."""
    known = getattr(request.state, "principal", None)
    if known is not None:  # the access guard (entrypoints/access.py) already asked for this request
        return known
    token = request.cookies.get(SESSION_COOKIE)
    try:
        if not token:
            raise NotAuthenticated("no session cookie")
        request.state.principal = principal_of_token(request.app.state.gate, token)
        return request.state.principal
    except NotAuthenticated:
        raise SignInRequired(request.url.path + (f"?{request.url.query}" if request.url.query else "")) from None


def still_signed_in(request: Request) -> bool:
    """Whether a live screen may push on: its cookie's session is still open (checking is not using it: idle time
    runs on), and the person may still do what they could when the stream opened. A stream renders with the
    principal of its opening, so a change of rights (an agent's enterprise withdrew its authorisation, a new role)
    ends it; the browser reconnects and the screen's own checks answer afresh."""
    token = request.cookies.get(SESSION_COOKIE)
    try:
        now = principal_of_token(request.app.state.gate, token, use=False) if token else None
    except NotAuthenticated:
        return False
    opened = getattr(request.state, "principal", None)
    return now is not None and (opened is None or now == opened)


def to_sign_in(request: Request, exc: SignInRequired) -> RedirectResponse:
    return RedirectResponse(f"/signin?next={quote(exc.back_to)}", status_code=303)


def start(response: R, token: str, max_age: int, secure: bool) -> R:
    """The cookie a browser keeps for the shift: not readable by scripts, never sent by other sites."""
    response.set_cookie(SESSION_COOKIE, token, max_age=max_age, httponly=True, samesite="strict", secure=secure)
    return response


def opened(response: R, gate, session) -> R:
    """``response`` handing the browser its new session (by password, by a code to a phone, by VNeID): the cookie
    for the session's whole life."""
    max_age = int((session.expires_at - gate.clock.now()).total_seconds())
    return start(response, gate.tokens.issue(session), max_age, secure=gate.settings.public_url.startswith("https://"))


ScreenPrincipal = Annotated[Principal, Depends(screen_principal)]
