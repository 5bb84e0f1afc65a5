"""REST routes of the fee: tariffs, a trip's fee and payments, provider callbacks, receipts, reconciliation."""
from __future__ import annotations

from typing import Annotated, Any, Literal

import structlog
from fastapi import APIRouter, Query, Request, Response

from bordergate.adapters.payments import read_callback
from bordergate.adapters.receipts import Receipt, render_receipt
from bordergate.adapters.reports import to_csv, to_xlsx
from bordergate.adapters.signing import SIGNATURE, TIMESTAMP, SignatureRefused, verify
from bordergate.bootstrap import Gate
from bordergate.domain import commands
from bordergate.domain.crossing_points import parse_crossing_point_code
from bordergate.domain.errors import FieldProblem, Invalid, NotFound, parsed
from bordergate.domain.fee_events import PaymentRefused
from bordergate.entrypoints.api.downloads import disposition
from bordergate.entrypoints.api.deps import GateDep, LocaleDep, PrincipalDep, address_of
from bordergate.entrypoints.api.idempotency import IdempotentRoute
from bordergate.entrypoints.api.inputs import Day
from bordergate.entrypoints.api.fee_schemas import CashIn, PaymentIn
from bordergate.entrypoints.web import pages
from bordergate.entrypoints.web import routes as web_routes
from bordergate.services import fee_views
from bordergate.services.board_views import shown_plate
from bordergate.services.authentication import SignatureRequired
from bordergate.services.refusals import refuse_stranger

router = APIRouter(prefix="/api/v1", route_class=IdempotentRoute)
log = structlog.get_logger(__name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/tariffs", tags=["fees"])
def tariffs(gate: GateDep) -> list[dict[str, Any]]:
    """Every published tariff version, with its lines and rules (the schedule is public)."""
    return fee_views.tariffs(gate.reader())


@router.put("/tariffs/{version}", tags=["fees"])
def publish_tariff(version: str, body: dict[str, Any], gate: GateDep, principal: PrincipalDep) -> dict[str, Any]:
    """Publish a new tariff version (the management center); open trips dated from then on are assessed again."""
    if body.get("version", version) != version:
        raise Invalid([FieldProblem("version", "must be the version named in the URL")])
    return gate.bus.handle(commands.PublishTariff(principal, {**body, "version": version}))


@router.get("/declarations/{reference}/fee", tags=["fees"])
def fee(reference: str, gate: GateDep, principal: PrincipalDep, locale: LocaleDep) -> dict[str, Any]:
    """The trip's assessed fee with the rule lines behind it, earlier assessments and their differences,
    payments, receipts, refunds and what is due."""
    return fee_views.fee(gate.reader(), principal, reference, locale)


@router.post("/declarations/{reference}/payments", tags=["fees"], status_code=201)
def pay_online(reference: str, body: PaymentIn, gate: GateDep, principal: PrincipalDep) -> dict[str, Any]:
    """Open an order with the payment provider for what is due: go to ``redirect_url`` or scan ``qr_text``."""
    return gate.bus.handle(commands.StartPayment(principal, reference, body.return_url))


@router.post("/declarations/{reference}/payments/cash", tags=["fees"], status_code=201)
def pay_cash(reference: str, body: CashIn, gate: GateDep, principal: PrincipalDep) -> dict[str, Any]:
    """An operator records cash taken at the counter; the receipt is issued at once."""
    return gate.bus.handle(commands.RecordCashPayment(principal, reference, body.amount_vnd))


@router.post("/payment-providers/{provider}/callback", tags=["fees"])
async def provider_callback(provider: str, request: Request, gate: GateDep) -> dict[str, Any]:
    """The provider's signed report of a payment (docs/payments.md). Applied once; a forged, replayed or wrong
    callback changes nothing and is logged."""
    return receive_callback(gate, provider, await request.body(), request.headers, source=address_of(request))


def receive_callback(gate: Gate, provider: str, body: bytes, headers, source: str = "in-process") -> dict[str, Any]:
    """Verify and apply one callback. A forged or stale signature goes to the security log (nobody proved who
    sent it); a signed callback that is refused is the provider's word, kept on the audit trail."""
    now = gate.clock.now()
    if gate.payments is None or provider != gate.payments.name:
        raise NotFound(f"no payment provider {provider} here")
    try:
        verify(gate.payment_secret, headers.get(TIMESTAMP), headers.get(SIGNATURE), body, now)
    except SignatureRefused as refused:
        log.warning("payment callback refused", provider=provider, why=str(refused), source=source)
        refuse_stranger(gate.uow(), gate.security_limits, kind=f"payment_callback:{provider}", source=source,
                        why=str(refused), now=now)
        raise SignatureRequired(str(refused)) from None
    try:
        return gate.bus.handle(read_callback(provider, body))
    except Invalid as refused:
        log.warning("payment callback refused", provider=provider, why=refused.detail)
        with gate.uow() as uow:
            uow.keep_only(PaymentRefused(actor=f"provider:{provider}", at=now, provider=provider, order_id=None,
                                         transaction_id=None, why=refused.detail[:500]))
        raise


@router.get("/receipts/{number}.pdf", tags=["fees"], response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})
def receipt_pdf(number: str, gate: GateDep, principal: PrincipalDep) -> Response:
    """The receipt as a PDF, with its verification QR code."""
    found = fee_views.receipt(gate.reader(), number, principal)
    pdf = render_receipt(receipt_document(gate, found))
    return Response(pdf, media_type="application/pdf", headers=disposition(f"{found['number']}.pdf", inline=True))


@router.get("/public/receipts/{number}/{key}", tags=["public"], responses={200: {"content": {"text/html": {}}}})
def verify_receipt(number: str, key: str, request: Request, gate: GateDep, locale: LocaleDep) -> Any:
    """What a receipt's QR code opens (no sign-in): the receipt as issued, so anyone can check it is genuine. A
    phone's browser gets a page in the reader's language, as the driver's tracking link does; programs get JSON."""
    if not gate.tracking.verify(f"receipt:{number}", key):
        raise NotFound("no receipt with that number and key; scan the QR code on the receipt again")
    if pages.wants_html(request):
        return web_routes.receipt_page(request, gate, number, pages.screen_locale(request))
    return fee_views.receipt_check(gate.reader(), number, locale)


@router.get("/reports/reconciliation", tags=["fees"], response_model=None)
def reconciliation(gate: GateDep, principal: PrincipalDep, day: Day,
                   crossing_point: str | None = None,
                   format: Annotated[Literal["json", "csv", "xlsx"], Query()] = "json") -> Any:
    """The day's takings by crossing point and fee class: money under the local day it was paid or refunded, with
    the trips planned that day; each trip's standing (unpaid, overpaid, refunded, not assessed). JSON, CSV or Excel."""
    code = parsed("crossing_point", parse_crossing_point_code, crossing_point) if crossing_point is not None else None
    summary, detail = fee_views.reconciliation(gate.reader(), principal, day, code)
    columns = {"summary_columns": fee_views.SUMMARY_COLUMNS, "detail_columns": fee_views.DETAIL_COLUMNS}
    name = f"reconciliation-{day.isoformat()}{'-' + code if code else ''}"
    if format == "csv":
        return Response(to_csv(summary, detail, **columns), media_type="text/csv; charset=utf-8",
                        headers=disposition(f"{name}.csv"))
    if format == "xlsx":
        return Response(to_xlsx(summary, detail, **columns), media_type=XLSX, headers=disposition(f"{name}.xlsx"))
    return {"day": day.isoformat(), "summary": summary, "detail": detail}


def receipt_document(gate: Gate, found: dict[str, Any]) -> Receipt:
    """A receipt as printed, from what the receipt view found (the API's PDF and the portal's are the same): the
    crossing point by its name and the plate as painted on the truck, as the payer knows them."""
    with gate.reader() as uow:
        point = uow.crossing_points.get(found["crossing_point"])
    return Receipt(number=found["number"], issued_at=found["issued_at"],
                   issuer="Trung tâm Quản lý cửa khẩu Lạng Sơn / Border Gate Management Center",
                   payer=found["payer"], payer_tax_code=found["payer_tax_code"], reference=found["reference"],
                   crossing_point=point.name if point else found["crossing_point"],
                   tractor_plate=shown_plate(found["tractor_plate"]),
                   amount_vnd=found["amount_vnd"], method=found["method"], tariff_version=found["tariff_version"],
                   lines=tuple(found["lines"]), verify_url=gate.receipt_url(found["number"]))
