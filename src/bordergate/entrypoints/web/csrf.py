"""Cross-site request forgery: a screen's form is accepted only from bordergate's own pages (origin and token)."""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

import structlog
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from bordergate.entrypoints.api.problems import problem
from bordergate.entrypoints.web import pages
from bordergate.entrypoints.web.session import SESSION_COOKIE

FIELD = "csrf_token"
HEADER = "x-csrf-token"
# Before signing in there is no session to bind the token to, yet the sign-in form must be protected too (login
# CSRF: signing a victim in as the attacker); this cookie is what the sign-in form's token is bound to.
PRE_SESSION_COOKIE = "bordergate_csrf"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# The REST API is not exposed to CSRF: it reads only `Authorization: Bearer`, which a browser never adds on its own
# to a request another site makes, and never the session cookie (tests/e2e/test_cross_site_requests.py proves it).
API = "/api/"
# Open311 clients post with their api_key in the form, never a cookie: no browser session to ride on either.
OPEN311 = "/open311/"
# The citizen app's API (issue 17) is exempt only when it is asked with a credential no other site's form can send
# (a Bearer token, a report's secret in X-Report-Secret); asked with cookies alone it is checked like a screen.
CITIZEN_API = "/citizen/api/"
HEADER_CREDENTIALS = (b"authorization", b"x-report-secret")
# The phone's filing API (web/citizen_filing.py) is sent by the page's script with the screens' cookie, so the
# origin is checked as for any screen; the form token is not asked for: a draft kept offline for days is sent with
# the token of a page long gone, and a SameSite=Strict cookie plus the origin already keep other sites out.
ORIGIN_ONLY = ("/citizen/api/",)
log = structlog.get_logger(__name__)


class FormTokens:
    """The token a page puts in its forms: an HMAC of the browser's session cookie (or pre-session cookie), so another
    site can neither read it (same-origin policy) nor compute it (the key), and it dies with the session."""

    def __init__(self, secret: str, secure: bool) -> None:
        self.key = hmac.new(secret.encode(), b"csrf-form-token", hashlib.sha256).digest()
        self.secure = secure

    def of(self, cookie: str) -> str:
        digest = hmac.new(self.key, cookie.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def valid(self, token: str | None, cookie: str | None) -> bool:
        return bool(token and cookie) and hmac.compare_digest(token.encode(), self.of(cookie).encode())

    def for_page(self, request: Request) -> str:
        """The token for the forms of the page being rendered; a signed-out browser is given a pre-session cookie
        (set on the response by ``keep``) the first time a page with a form is rendered for it."""
        cookie = bound_cookie(request.cookies) or getattr(request.state, "pre_session", None)
        if cookie is None:
            # A secret, not a reproducible identifier: from the OS's generator, never from the gate's seeded ids.
            cookie = request.state.pre_session = secrets.token_urlsafe(32)
        return self.of(cookie)

    def keep(self, request: Request, response: Response) -> None:
        minted = getattr(request.state, "pre_session", None)
        if minted:
            response.set_cookie(PRE_SESSION_COOKIE, minted, httponly=True, samesite="strict", secure=self.secure)


def bound_cookie(cookies: MutableMapping[str, str] | dict[str, str]) -> str | None:
    """What a browser's token is bound to: its session cookie, else (signed out) its pre-session cookie."""
    return cookies.get(SESSION_COOKIE) or cookies.get(PRE_SESSION_COOKIE) or None


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class CrossSiteGuard:
    """Refuses a state-changing request to a screen (POST, PUT, PATCH, DELETE outside /api/) unless (1) its Origin,
    or without one its Referer, is the site's own origin and (2) it carries the token of the browser's session, as
    the form field csrf_token or the X-CSRF-Token header. SameSite=Strict alone does not stop a sibling subdomain,
    and older browsers ignore it."""

    def __init__(self, app: ASGIApp, tokens: FormTokens, public_url: str) -> None:
        self.app, self.tokens, self.public_origin = app, tokens, origin_of(public_url)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["method"] not in UNSAFE or scope["path"].startswith(OPEN311)
                or _exempt(scope)):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        refusal = self.foreign(scope, headers)
        body = b""
        if refusal is None and scope["path"].startswith(ORIGIN_ONLY):
            await self.app(scope, receive, send)
            return
        if refusal is None:
            body = await _body(receive)
            token = headers.get(HEADER) or await _form_field(scope, body)
            if not self.tokens.valid(token, bound_cookie(Request(scope).cookies)):
                refusal = "token"
        if refusal is not None:
            log.warning("cross-site request refused", path=scope["path"], reason=refusal,
                        origin=headers.get("origin"), referer=headers.get("referer") and origin_of(headers["referer"]))
            await refused(Request(scope), refusal)(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)

    def foreign(self, scope: Scope, headers: Headers) -> str | None:
        """Why the request is not from this site's own pages, or None when it is."""
        own = {self.public_origin, f"{scope['scheme']}://{headers.get('host', '')}".lower()}
        origin = headers.get("origin")
        if origin is not None:
            # "null" (a sandboxed frame, a file, a privacy redirect) is nobody's origin, so never ours.
            return None if origin.lower() in own else "origin"
        referer = headers.get("referer")
        if referer is None:
            return "no-origin"
        return None if origin_of(referer) in own else "referer"


def _exempt(scope: Scope) -> bool:
    path = scope["path"]
    if path.startswith(API):
        return True
    return path.startswith(CITIZEN_API) and any(name in HEADER_CREDENTIALS for name, _ in scope["headers"])


async def _body(receive: Receive) -> bytes:
    chunks, more = [], True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


async def _form_field(scope: Scope, body: bytes) -> str | None:
    content_type = Headers(scope=scope).get("content-type", "")
    if not content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return None
    form = await Request(scope, _replay(body, _nothing)).form()
    try:
        value = form.get(FIELD)
        return value if isinstance(value, str) else None
    finally:
        await form.close()


async def _nothing() -> dict[str, Any]:
    return {"type": "http.disconnect"}


def _replay(body: bytes, receive: Receive) -> Callable[[], Awaitable[MutableMapping[str, Any]]]:
    """The body read here, handed to the application as if it came from the socket; then the socket again."""
    sent = False

    async def again() -> MutableMapping[str, Any]:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}
    return again


REASONS = {
    "origin": "This form was sent from another website, not from bordergate's own pages.",
    "referer": "This form was sent from another website, not from bordergate's own pages.",
    "no-origin": "The browser did not say which website this form came from.",
    "token": "This page was opened before your last sign-in or sign-out, or the form is not from bordergate.",
}
WHAT_TO_DO = "Nothing was changed. Reload the page and try again."


def refused(request: Request, reason: str) -> Response:
    """403 saying what happened and what to do: a page for a browser, a problem for a program."""
    if pages.wants_html(request):
        locale = pages.screen_locale(request)
        referer = request.headers.get("referer") or ""
        # Back to the page the form was on (a path of this site only), which a reload gives a fresh token.
        back = (urlsplit(referer).path or "/") if origin_of(referer) == origin_of(str(request.base_url)) else "/"
        return pages.page(request, "refused_form.html", locale, status_code=403, reason=REASONS[reason], back=back)
    return problem(403, "Cross-site request refused", f"{REASONS[reason]} {WHAT_TO_DO}", request)
