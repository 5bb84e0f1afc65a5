"""The citizen app's sign-in as JSON (the screens' twin): ask for a code by SMS, then open a session with it; refusals
are RFC 9457 problems. The session travels in the same HttpOnly cookie the screens use, never in the body."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, BackgroundTasks, Response, status

from bordergate.domain.citizen_events import ConfirmSignInCode, RequestSignInCode
from bordergate.domain.citizens import CodeRefused
from bordergate.entrypoints.api.deps import ClientAddress, GateDep, LocaleDep
from bordergate.entrypoints.api.inputs import In
from bordergate.entrypoints.web.citizen_sign_in import send_now
from bordergate.entrypoints.web.session import opened
from bordergate.services.authentication import NotAuthenticated

router = APIRouter(prefix="/citizen/api", tags=["citizen sign-in"])


class SignInCodeIn(In):
    phone: str
    locale: str | None = None


class SessionIn(In):
    phone: str
    code: str


@router.post("/sign-in-codes", status_code=status.HTTP_202_ACCEPTED)
def ask_for_code(body: SignInCodeIn, gate: GateDep, address: ClientAddress, locale: LocaleDep,
                 background: BackgroundTasks) -> dict[str, Any]:
    """Send a one-time code by SMS to ``phone`` (0912 345 678 or +84...); it works for ``expires_in`` seconds and
    ``attempts`` tries, and voids any code sent before. The answer never holds the code.

    A phone gets 3 codes an hour, an address 20; past that, or past the gate's ceiling a minute, 429 with
    Retry-After."""
    sent = gate.bus.handle(RequestSignInCode(body.phone, address, body.locale or locale))
    background.add_task(send_now, gate)
    return {"phone": sent["phone"], "expires_in": sent["expires_in"], "attempts": sent["attempts"]}


@router.post("/sessions")
def sign_in(body: SessionIn, gate: GateDep, address: ClientAddress, response: Response) -> dict[str, Any]:
    """Sign in with the code the SMS brought: the account is opened on the first sign-in, and the session cookie
    set (HttpOnly, SameSite=Strict). A wrong code is 401 saying the tries left; expired or used up, 401 saying to
    ask for a new one."""
    try:
        user, session = gate.bus.handle(ConfirmSignInCode(body.phone, body.code, address))
    except CodeRefused as refused:
        raise NotAuthenticated(refused.detail) from None
    opened(response, gate, session)
    return {"user_id": user.id, "username": user.username, "role": user.role.value,
            "expires_in": int((session.expires_at - gate.clock.now()).total_seconds())}
