"""Request dependencies: the wired gate, the signed-in principal, the client's address, the reader's language."""
from __future__ import annotations

import ipaddress
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import OAuth2PasswordBearer
from starlette.concurrency import run_in_threadpool

from bordergate.bootstrap import Gate
from bordergate.domain.accounts import Principal
from bordergate.services.authentication import NotAuthenticated

LOCALES = ("vi", "en", "zh")
_bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


async def gate(request: Request) -> Gate:
    # async: no I/O here, so FastAPI need not hop to a worker thread for it.
    return request.app.state.gate


def principal(request: Request, token: Annotated[str | None, Depends(_bearer)]) -> Principal:
    """The signed-in person; 401 with a reason when the token is missing, forged or expired, or its session ended
    (signed out, revoked, idle too long, past its shift)."""
    known = getattr(request.state, "principal", None)
    if known is not None:  # the access guard (entrypoints/access.py) already asked for this request
        return known
    if not token:
        raise NotAuthenticated("sign in first: POST /api/v1/auth/token, then send 'Authorization: Bearer <token>'")
    request.state.principal = principal_of_token(request.app.state.gate, token)
    return request.state.principal


async def signed_in(request: Request, token: Annotated[str | None, Depends(_bearer)]) -> Principal:
    """``principal`` for handlers. async: the access guard has nearly always read the session already, and
    handing that answer over needs no worker thread (a hop costs CPU and, under load, a wait for the GIL)."""
    known = getattr(request.state, "principal", None)
    if known is not None:
        return known
    return await run_in_threadpool(principal, request, token)


def principal_of_token(g: Gate, token: str, use: bool = True) -> Principal:
    """Who a sign-in token (a Bearer token, a screen's cookie) belongs to, if its session is still open."""
    claims = g.tokens.claims(token, g.clock.now())
    if claims is None:
        raise NotAuthenticated("your sign-in token is invalid or has expired; sign in again")
    return g.sessions.principal(claims.user_id, claims.session_id, use=use)


async def client_address(request: Request) -> str:
    # async: no I/O here, so FastAPI need not hop to a worker thread for it.
    return address_of(request)


def address_of(request: Request) -> str:
    """The address the request came from: the connection's peer, or, when that peer is one of
    BORDERGATE_TRUSTED_PROXIES, the nearest address in X-Forwarded-For that is not a trusted proxy."""
    proxies = request.app.state.gate.settings.trusted_proxy_networks()
    peer = request.client.host if request.client else "unknown"
    if not proxies or not _among(peer, proxies):
        return peer
    # Read from the right: each trusted proxy appended the address it was talking to; the left is the client's say.
    hops = [hop.strip() for hop in request.headers.get("x-forwarded-for", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _among(hop, proxies):
            return hop
    return hops[0] if hops else peer


def _among(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    # A dual-stack listener sees an IPv4 proxy as ::ffff:10.0.0.1: it is still that proxy.
    ip = getattr(ip, "ipv4_mapped", None) or ip
    return any(ip in network for network in networks)


async def locale(request: Request, lang: Annotated[str | None, Query(description="vi, en or zh")] = None) -> str:
    """The reader's language: ?lang= first, then Accept-Language, then Vietnamese."""
    if lang in LOCALES:
        return lang
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LOCALES:
            return code
    return "vi"


GateDep = Annotated[Gate, Depends(gate)]
PrincipalDep = Annotated[Principal, Depends(signed_in)]
ClientAddress = Annotated[str, Depends(client_address)]
LocaleDep = Annotated[str, Depends(locale)]
