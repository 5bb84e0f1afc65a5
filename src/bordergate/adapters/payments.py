"""Payment providers: the HTTP/JSON adapter, its signed callback's wire format, and a sandbox twin.

An order is created with POST {url}/orders (Idempotency-Key: the payment id), answered with the provider's order id,
the page to send the payer to and a QR text (a VietQR-style string a banking app scans). When the payer pays, the
provider POSTs to /api/v1/payment-providers/{name}/callback, signed like the agencies' systems (adapters/signing.py):
{"order_id", "transaction_id", "amount_vnd", "status": paid | failed, "paid_at"}. Refunds: POST {url}/refunds.
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bordergate.adapters.signing import SIGNATURE, TIMESTAMP, aware_moment, json_object, sign
from bordergate.domain.commands import ConfirmPayment
from bordergate.domain.errors import FieldProblem, Invalid
from bordergate.services.ports import ProviderRefused, ProviderOrder


class HttpPaymentProvider:
    """A provider reached over HTTP with a bearer token; each order's idempotency key is bordergate's payment id."""

    def __init__(self, name: str, url: str, token: str, timeout: float = 10.0) -> None:
        self.name, self.url, self.token, self.timeout = name, url.rstrip("/"), token, timeout

    def create_order(self, payment_id: str, amount_vnd: int, description: str, return_url: str) -> ProviderOrder:
        answer = self._post("/orders", payment_id, {"amount_vnd": amount_vnd, "description": description,
                                                    "return_url": return_url, "merchant_reference": payment_id})
        return ProviderOrder(answer["order_id"], answer["redirect_url"], answer.get("qr_text", ""))

    def refund(self, refund_id: str, transaction_id: str, amount_vnd: int) -> None:
        self._post("/refunds", refund_id, {"transaction_id": transaction_id, "amount_vnd": amount_vnd})

    def _post(self, path: str, key: str, body: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(self.url + path, data=json.dumps(body).encode(), method="POST", headers={
            "content-type": "application/json", "authorization": f"Bearer {self.token}", "idempotency-key": key})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                return json.loads(answer.read())
        except urllib.error.HTTPError as refused:
            raise ProviderRefused(f"the payment provider answered {refused.code}: {refused.read()[:200]!r}") from None
        except (urllib.error.URLError, TimeoutError, ValueError) as failed:
            raise ProviderRefused(f"the payment provider could not be reached: {failed}") from None


@dataclass
class SandboxPayments:
    """A provider twin for tests and the demo: keeps its orders and refunds, and pays an order by producing the
    signed callback a real provider would send."""

    secret: str
    public_url: str = "http://localhost:8000"
    name: str = "sandbox"
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: list[dict[str, Any]] = field(default_factory=list)

    def create_order(self, payment_id: str, amount_vnd: int, description: str, return_url: str) -> ProviderOrder:
        order_id = f"SBX-{payment_id[:8].upper()}"
        self.orders.setdefault(order_id, {"payment_id": payment_id, "amount_vnd": amount_vnd,
                                          "description": description, "return_url": return_url})
        return ProviderOrder(order_id, f"{self.public_url.rstrip('/')}/sandbox-pay/{order_id}",
                             f"SANDBOXQR|{order_id}|{amount_vnd}|VND")

    def refund(self, refund_id: str, transaction_id: str, amount_vnd: int) -> None:
        self.refunds.append({"refund_id": refund_id, "transaction_id": transaction_id, "amount_vnd": amount_vnd})

    def callback(self, order_id: str, now: datetime, *, status: str = "paid", amount_vnd: int | None = None,
                 transaction_id: str | None = None) -> tuple[bytes, dict[str, str]]:
        """The body and headers of the callback for a payment of the order (by default, for its exact amount)."""
        order = self.orders[order_id]
        body = json.dumps({"order_id": order_id, "transaction_id": transaction_id or f"TX-{order_id}",
                           "amount_vnd": order["amount_vnd"] if amount_vnd is None else amount_vnd,
                           "status": status, "paid_at": now.isoformat()}, separators=(",", ":")).encode()
        timestamp = int(now.timestamp())
        return body, {TIMESTAMP: str(timestamp), SIGNATURE: sign(self.secret, timestamp, body)}


def read_callback(provider: str, body: bytes) -> ConfirmPayment:
    """The command a verified callback asks for; Invalid naming each field that is wrong."""
    data = json_object(body)
    problems = []
    for name in ("order_id", "transaction_id"):
        if not isinstance(data.get(name), str) or not 0 < len(data[name]) <= 100:
            problems.append(FieldProblem(name, "must be a text of 1-100 characters"))
    amount = data.get("amount_vnd")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        problems.append(FieldProblem("amount_vnd", "must be a whole number of VND above 0 (no decimals)"))
    if data.get("status") not in ("paid", "failed"):
        problems.append(FieldProblem("status", "must be paid or failed"))
    paid_at = aware_moment(problems, "paid_at", data.get("paid_at"))
    if problems:
        raise Invalid(problems)
    return ConfirmPayment(provider, data["order_id"], data["transaction_id"], amount, data["status"], paid_at)

