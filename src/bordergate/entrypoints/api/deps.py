"""Request dependencies: the wired gate, the signed-in principal, the reader's language."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import OAuth2PasswordBearer

from bordergate.bootstrap import Gate
from bordergate.domain.accounts import Principal
from bordergate.services.authentication import NotAuthenticated, principal_for

LOCALES = ("vi", "en", "zh")
_bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


async def gate(request: Request) -> Gate:
    # async: no I/O here, so FastAPI need not hop to a worker thread for it.
    return request.app.state.gate


def principal(request: Request, token: Annotated[str | None, Depends(_bearer)]) -> Principal:
    """The signed-in person; 401 with a reason when the token is missing, forged or expired."""
    if not token:
        raise NotAuthenticated("sign in first: POST /api/v1/auth/token, then send 'Authorization: Bearer <token>'")
    g: Gate = request.app.state.gate
    user_id = g.tokens.user_id(token, g.clock.now())
    if user_id is None:
        raise NotAuthenticated("your sign-in token is invalid or has expired; sign in again")
    return principal_for(g.reader(), user_id)


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
PrincipalDep = Annotated[Principal, Depends(principal)]
LocaleDep = Annotated[str, Depends(locale)]


def client_address(request: Request) -> str:
    """Where a request came from, as the server saw it (behind a proxy, uvicorn's --forwarded-allow-ips decides
    whether X-Forwarded-For is believed)."""
    return request.client.host if request.client else "unknown"
