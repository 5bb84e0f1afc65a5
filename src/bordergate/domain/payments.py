"""Payments of the fee: online through a provider or cash at the counter, receipts, and the refund rule."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bordergate.domain.labels import Labelled


class PaymentMethod(Labelled):
    """How the fee was paid."""

    ONLINE = ("online", "Thanh toán trực tuyến", "Online", "在线支付", "blue")
    CASH = ("cash", "Tiền mặt tại quầy", "Cash at the counter", "柜台现金", "teal")


class PaymentStatus(Labelled):
    """Where a payment stands; a paid payment has a receipt."""

    PENDING = ("pending", "Chờ thanh toán", "Waiting for the payer", "待支付", "amber")
    PAID = ("paid", "Đã thanh toán", "Paid", "已支付", "green")
    FAILED = ("failed", "Không thành công", "Failed", "支付失败", "red")
    REFUNDED = ("refunded", "Đã hoàn trả", "Refunded", "已退款", "grey")


@dataclass
class Payment:
    """One payment towards a trip's fee: the amount asked of the provider or counted at the counter."""

    id: str
    reference: str
    amount_vnd: int
    method: PaymentMethod
    status: PaymentStatus
    created_at: datetime
    created_by: str
    provider: str | None = None
    order_id: str | None = None
    transaction_id: str | None = None
    paid_at: datetime | None = None
    receipt_number: str | None = None


def outstanding(assessed_vnd: int, payments: list[Payment]) -> int:
    """What is still to pay: the assessment less what was paid (never below zero; overpayment is reported)."""
    return max(assessed_vnd - paid(payments), 0)


def paid(payments: list[Payment]) -> int:
    return sum(p.amount_vnd for p in payments if p.status is PaymentStatus.PAID)


def refund_due(*, cancelled: bool, used_the_gate: bool, paid_vnd: int) -> int:
    """The refund rule: a cancelled trip that never reached the gate (no plate read at any checkpoint) gets back
    everything paid; once the truck used the infrastructure, nothing is refunded."""
    return paid_vnd if cancelled and not used_the_gate else 0


def receipt_number(year: int, sequence: int) -> str:
    """Receipts are numbered in one unbroken sequence a year, as invoices must be: BL2026-000042."""
    return f"BL{year}-{sequence:06d}"
