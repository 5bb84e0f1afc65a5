"""Citizens sign in on their phone: the number, then the code the SMS brings; the same sentences as the API's refusals,
in the reader's language."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from bordergate.domain.citizen_events import ConfirmSignInCode, RequestSignInCode
from bordergate.domain.citizens import CodeRefused, SignInCodesThrottled
from bordergate.domain.commands import DeliverNotices
from bordergate.domain.errors import DomainError, Invalid, Unavailable
from bordergate.entrypoints.api.deps import ClientAddress, GateDep
from bordergate.entrypoints.web import pages
from bordergate.entrypoints.web.places import same_site_path
from bordergate.entrypoints.web.session import SignInRequired, opened, screen_principal
from bordergate.services.authentication import SYSTEM, NotAuthenticated

router = APIRouter(include_in_schema=False)
PAGE = "citizen_sign_in.html"
# Where a citizen lands when no page asked them to sign in: their phone's home (the report screens).
CITIZEN_HOME = "/citizen/"

# Each refusal's sentence for a person (English msgids; vi and zh in citizen_sign_in.po) and what it fills in.
SAYS = {
    "phone": "That is not a phone number. Type it as you would dial it, like 0912 345 678.",
    "wrong": "That code is not right. Check the SMS and type it again: %(left)s tries left.",
    "expired": "That code has expired. Ask for a new one.",
    "exhausted": "Too many wrong codes. Ask for a new one.",
    "none": "No code is waiting for this phone. Ask for a code first.",
    "throttled": "Too many codes were asked for. Try again in %(minutes)s minutes.",
    "closed": "This phone cannot sign in here. Ask the border gate's office.",
    "busy": "Sign-in is busy right now. Try again in a moment.",
}


def what_went_wrong(refused: DomainError) -> tuple[str, dict[str, object], int]:
    """The sentence (its key in SAYS), what it fills in, and the status, of a refusal of signing in by code."""
    if isinstance(refused, CodeRefused):
        return refused.reason, {"left": refused.left}, 401
    if isinstance(refused, SignInCodesThrottled):
        return "throttled", {"minutes": refused.minutes}, 429
    if isinstance(refused, Invalid):
        return "phone", {}, 422
    if isinstance(refused, NotAuthenticated):
        return "closed", {}, 401
    return "busy", {}, 503


def send_now(gate) -> None:
    """Send what the outbox holds now, after the answer went out: a code should not wait for the timer's turn."""
    gate.bus.handle(DeliverNotices(SYSTEM))


def _page(request: Request, locale: str, step: str, next_page: str, status_code: int = 200, **context: Any):
    return pages.page(request, PAGE, locale, status_code=status_code, step=step, next=next_page,
                      vneid=request.app.state.gate.identity is not None, says=SAYS, **context)


@router.get("/citizen/sign-in", response_class=HTMLResponse)
def sign_in_page(request: Request, locale: pages.ScreenLocale, next: str | None = None) -> Any:
    """Step one: the phone number (or VNeID when it is set up); a citizen already signed in is told so."""
    try:
        principal = screen_principal(request)
    except SignInRequired:  # signed out, or a session that ended: the form
        principal = None
    return _page(request, locale, "phone", same_site_path(next) or "", principal=principal, phone="")


@router.post("/citizen/sign-in/code", response_class=HTMLResponse)
def ask_for_code(request: Request, gate: GateDep, locale: pages.ScreenLocale, address: ClientAddress,
                 background: BackgroundTasks, phone: Annotated[str, Form()],
                 next: Annotated[str, Form()] = "") -> Any:
    """Step two: a code is on its way by SMS; the page asks for it."""
    onward = same_site_path(next) or ""
    try:
        sent = gate.bus.handle(RequestSignInCode(phone, address, locale))
    except (Invalid, SignInCodesThrottled, Unavailable) as refused:
        said, values, status = what_went_wrong(refused)
        response = _page(request, locale, "phone", onward, status, phone=phone, error=said, values=values)
        if isinstance(refused, SignInCodesThrottled):
            response.headers["Retry-After"] = str(refused.retry_after)
        return response
    background.add_task(send_now, gate)
    return _page(request, locale, "code", onward, phone=sent["phone"], minutes=sent["expires_in"] // 60)


@router.post("/citizen/sign-in", response_class=HTMLResponse)
def confirm_code(request: Request, gate: GateDep, locale: pages.ScreenLocale, address: ClientAddress,
                 phone: Annotated[str, Form()], code: Annotated[str, Form()],
                 next: Annotated[str, Form()] = "") -> Any:
    """The code typed: signed in (the session cookie, as a password sign-in gives) and on to the page asked for."""
    onward = same_site_path(next) or ""
    try:
        _, session = gate.bus.handle(ConfirmSignInCode(phone, code, address))
    except (CodeRefused, Invalid, NotAuthenticated, Unavailable) as refused:
        said, values, status = what_went_wrong(refused)
        # Wrong: type it again. Expired, used up, none: the way back is a new code, for the same phone.
        step = "code" if said == "wrong" else "phone"
        return _page(request, locale, step, onward, status, phone=phone, error=said, values=values)
    return opened(RedirectResponse(onward or CITIZEN_HOME, status_code=303), gate, session)
