"""A stand-in for the payment provider's page when the sandbox provider is wired (tests and the demo): paying there
delivers the sandbox's signed callback as the provider's server would."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from bordergate.adapters.payments import SandboxPayments
from bordergate.domain.errors import NotFound
from bordergate.entrypoints.api.deps import GateDep
from bordergate.entrypoints.api.routes.fees import receive_callback
from bordergate.entrypoints.web import pages

router = APIRouter(include_in_schema=False)


def _sandbox(gate) -> SandboxPayments:
    if not isinstance(gate.payments, SandboxPayments):
        raise NotFound("payments go through the provider's own page here; there is no sandbox")
    return gate.payments

@router.get("/sandbox-pay/{order_id}", response_class=HTMLResponse)
def sandbox_page(order_id: str, request: Request, gate: GateDep, locale: pages.ScreenLocale) -> Any:
    """Stands in for the payment provider's page when the sandbox provider is wired (tests and the demo)."""
    order = _sandbox(gate).orders.get(order_id)
    if order is None:
        raise NotFound(f"no sandbox order {order_id}")
    return pages.page(request, "portal_sandbox.html", locale, order_id=order_id, order=order,
                      vnd=pages.vnd_for(locale))


@router.post("/sandbox-pay/{order_id}")
def sandbox_pay(order_id: str, gate: GateDep) -> RedirectResponse:
    """Pay the order: the sandbox's signed callback is delivered as the provider's server would deliver it."""
    payments = _sandbox(gate)
    if order_id not in payments.orders:
        raise NotFound(f"no sandbox order {order_id}")
    body, headers = payments.callback(order_id, gate.clock.now())
    paid = receive_callback(gate, payments.name, body, headers)
    return RedirectResponse(f"/portal/{paid['reference']}?done=paid", status_code=303)
