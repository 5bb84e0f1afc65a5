"""Routes of signing in and out of the screens."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from bordergate.domain.errors import TooManyRequests, Unavailable
from bordergate.domain.session_commands import SignOut
from bordergate.entrypoints.api.deps import ClientAddress, GateDep
from bordergate.entrypoints.web import pages
from bordergate.entrypoints.web.places import same_site_path
from bordergate.entrypoints.web.session import HOME, SESSION_COOKIE, SignInRequired, opened, screen_principal
from bordergate.services.authentication import NotAuthenticated

router = APIRouter(include_in_schema=False)


def _safe(next_page: str | None) -> str | None:
    # Only paths of this site: a link must not bounce a person signing in to somebody else's page.
    return same_site_path(next_page)


@router.get("/signin", response_class=HTMLResponse)
def sign_in_page(request: Request, locale: pages.ScreenLocale, next: str | None = None) -> Any:
    return pages.page(request, "signin.html", locale, next=_safe(next) or "", error=None, username="")


@router.post("/signin", response_class=HTMLResponse)
def sign_in_form(request: Request, gate: GateDep, locale: pages.ScreenLocale, address: ClientAddress,
                 username: Annotated[str, Form()], password: Annotated[str, Form()],
                 next: Annotated[str, Form()] = "") -> Any:
    again = {"next": _safe(next) or "", "username": username}
    try:
        user, session = gate.sessions.sign_in(username, password, address)
    except NotAuthenticated:
        return pages.page(request, "signin.html", locale, error="Wrong username or password.", status_code=401,
                          **again)
    except (TooManyRequests, Unavailable) as refused:
        # The same refusal as the API's, in words for a person, with the wait for a browser or a script.
        error = ("Too many failed sign-ins for this username or from this address. Try again later."
                 if isinstance(refused, TooManyRequests) else "Sign-in is busy right now. Try again in a moment.")
        response = pages.page(request, "signin.html", locale, error=error,
                              status_code=429 if isinstance(refused, TooManyRequests) else 503, **again)
        response.headers["Retry-After"] = str(refused.retry_after or 1)
        return response
    return opened(RedirectResponse(_safe(next) or HOME.get(user.role, "/"), status_code=303), gate, session)


@router.post("/signout")
def sign_out(request: Request, gate: GateDep) -> RedirectResponse:
    """End the session of the cookie (not only forget the cookie): its token opens nothing any more."""
    try:
        gate.bus.handle(SignOut(screen_principal(request)))
    except SignInRequired:
        pass  # nothing open to end; the cookie is dropped all the same
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
