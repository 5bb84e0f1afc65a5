"""The demo's stand-in for a phone: the SMS the sandbox gateway kept, newest first, so a person trying the demo can
read their sign-in code. Included only where the demo asked for it (never by a setting: see api/app.py)."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from bordergate.adapters.sms import SandboxSms
from bordergate.domain.citizens import citizen_phone
from bordergate.domain.errors import InvalidValue
from bordergate.entrypoints.api.deps import GateDep
from bordergate.entrypoints.web import pages
from bordergate.entrypoints.web.citizen_sign_in import send_now

router = APIRouter(include_in_schema=False)
SHOWN = 50


@router.get("/sandbox/sms", response_class=HTMLResponse)
def sandbox_sms(request: Request, gate: GateDep, locale: pages.ScreenLocale, phone: str | None = None) -> Any:
    """The last SMS the sandbox kept (to ``phone`` only, when given), after sending what the outbox holds."""
    assert isinstance(gate.sms, SandboxSms), "the demo's SMS page needs the sandbox gateway"
    send_now(gate)
    try:
        only = citizen_phone(phone) if phone else None
    except InvalidValue:
        only = None
    with gate.sms.lock:
        kept = list(gate.sms.delivered.values())
    messages = [(to, text) for to, text in reversed(kept) if only is None or to == only][:SHOWN]
    return pages.page(request, "sandbox_sms.html", locale, messages=messages, phone=phone or "")
