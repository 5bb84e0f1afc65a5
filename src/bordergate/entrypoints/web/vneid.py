"""Signing a citizen in by VNeID: off to the provider with a sealed attempt in a cookie, and back with a code that
proves who signed in; on the sign-in page only where VNeID is set up."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from bordergate.domain.citizen_events import FinishVneidSignIn
from bordergate.domain.errors import DomainError, NotFound, Unavailable
from bordergate.entrypoints.api.deps import ClientAddress, GateDep
from bordergate.entrypoints.web import pages
from bordergate.entrypoints.web.citizen_sign_in import CITIZEN_HOME
from bordergate.entrypoints.web.places import same_site_path
from bordergate.entrypoints.web.session import opened
from bordergate.services.authentication import NotAuthenticated
from bordergate.services.identity import IdentityRefused, SignInAttempt, code_and_state

router = APIRouter(include_in_schema=False)
ATTEMPT_COOKIE = "bordergate_vneid"
ATTEMPT_PATH = "/citizen/vneid"
# Long enough to choose an identity at the provider; the provider's own code lives 60 s after that.
ATTEMPT_SECONDS = 600


def callback_url(gate) -> str:
    return f"{gate.settings.public_url.rstrip('/')}{ATTEMPT_PATH}/callback"


def _provider(gate):
    if gate.identity is None:
        raise NotFound("signing in by VNeID is not set up here; sign in with a code sent to your phone")
    return gate.identity


def _signature(gate, payload: str) -> str:
    return hmac.new(gate.tracking.secret, b"vneid-attempt:" + payload.encode(), hashlib.sha256).hexdigest()


def seal(gate, attempt: SignInAttempt, onward: str) -> str:
    """The attempt and the page to return to, signed: the browser keeps them, cannot change them, and scripts
    cannot read them (HttpOnly); the state, nonce and PKCE verifier never travel in a URL."""
    payload = base64.urlsafe_b64encode(json.dumps({**asdict(attempt), "next": onward}).encode()).decode()
    return f"{payload}.{_signature(gate, payload)}"


def unseal(gate, sealed: str | None) -> tuple[SignInAttempt, str]:
    payload, _, signature = (sealed or "").partition(".")
    if not payload or not hmac.compare_digest(signature.encode(), _signature(gate, payload).encode()):
        raise IdentityRefused("This browser did not begin this sign-in (or began it over 10 minutes ago): start "
                              "signing in again.")
    fields = json.loads(base64.urlsafe_b64decode(payload))
    onward = fields.pop("next", "")
    return SignInAttempt(**fields), onward


@router.get("/citizen/vneid")
def begin(request: Request, gate: GateDep, next: str | None = None) -> Any:
    """Off to VNeID, with this browser's attempt sealed in a cookie only the callback reads (SameSite=Lax: VNeID
    sends the citizen back by a top-level GET from its own site)."""
    try:
        attempt = _provider(gate).begin_sign_in(callback_url(gate))
    except Unavailable as refused:
        return _refused(request, pages.screen_locale(request), refused)
    response = RedirectResponse(attempt.authorization_url, status_code=303)
    response.set_cookie(ATTEMPT_COOKIE, seal(gate, attempt, same_site_path(next) or ""), max_age=ATTEMPT_SECONDS,
                        path=ATTEMPT_PATH, httponly=True, samesite="lax",
                        secure=gate.settings.public_url.startswith("https://"))
    return response


@router.get("/citizen/vneid/callback", response_class=HTMLResponse)
def finish(request: Request, gate: GateDep, locale: pages.ScreenLocale, address: ClientAddress) -> Any:
    """Back from VNeID: the code exchanged, the id_token checked, the citizen signed in (their account found by
    VNeID's subject or the phone it verified, or opened) and sent on."""
    provider = _provider(gate)
    try:
        attempt, onward = unseal(gate, request.cookies.get(ATTEMPT_COOKIE))
        code, state = code_and_state(dict(request.query_params))
        identity = provider.finish_sign_in(attempt, code, state)
        _, session = gate.bus.handle(FinishVneidSignIn(identity.issuer, identity.subject, identity.phone_number,
                                                       identity.phone_number_verified, address))
    except (IdentityRefused, NotAuthenticated, Unavailable) as refused:
        response = _refused(request, locale, refused)
        response.delete_cookie(ATTEMPT_COOKIE, path=ATTEMPT_PATH)
        return response
    # A page that moves on by itself, not a redirect: the session cookie is SameSite=Strict, and a browser does not
    # send it on a redirect chain VNeID's site began; a navigation this page starts is same-site.
    target = onward or CITIZEN_HOME
    response = pages.page(request, "citizen_vneid_done.html", locale, target=target)
    response.delete_cookie(ATTEMPT_COOKIE, path=ATTEMPT_PATH)
    return opened(response, gate, session)


def _refused(request: Request, locale: str, refused: DomainError) -> Any:
    """Nobody signed in: VNeID did not answer (503), or its answer proved nobody (400), or the account is closed
    (401); the page says so in the reader's language, with the provider's words for whoever helps them."""
    busy = isinstance(refused, Unavailable)
    status = 503 if busy else 401 if isinstance(refused, NotAuthenticated) else 400
    return pages.page(request, "citizen_vneid_refused.html", locale, status_code=status, detail=refused.detail,
                      busy=busy)
