"""Events of the fee: tariffs published, trips assessed, payments and refunds (a public contract)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bordergate.domain.events import Event


@dataclass(frozen=True)
class _TripFeeEvent(Event):
    reference: str

    @property
    def subject(self) -> tuple[str, str]:
        return ("declaration", self.reference)


@dataclass(frozen=True)
class TariffPublished(Event):
    """The management center published a tariff version, in force from a date."""

    version: str
    jurisdiction: str
    in_force_from: str
    lines: int

    @property
    def subject(self) -> tuple[str, str]:
        return ("tariff", self.version)


@dataclass(frozen=True)
class FeeAssessed(_TripFeeEvent):
    """A trip's fee was assessed (again): the total, the lines that produced it, and the difference from the last
    assessment; ``missing`` says why no fee could be assessed."""

    revision: int
    tariff_version: str
    total_vnd: int
    previous_vnd: int | None
    difference_vnd: int
    lines: tuple[tuple[Any, ...], ...]
    missing: str | None
    why: str


@dataclass(frozen=True)
class FeeNotAssessed(_TripFeeEvent):
    """No fee could be assessed for the trip, so none is due and the truck waits for none. ``reason`` is a code:
    ``no_fee_line`` (no line of the tariff in force applies) or ``empty_vehicle_not_published`` (the trip is an
    empty vehicle and the tariff has no line for one); ``detail`` says it in a sentence, with what to do."""

    revision: int
    tariff_version: str
    reason: str
    detail: str
    why: str


@dataclass(frozen=True)
class PaymentStarted(_TripFeeEvent):
    """The declarant opened an order with the payment provider for what is due."""

    payment_id: str
    amount_vnd: int
    provider: str
    order_id: str


@dataclass(frozen=True)
class PaymentReceived(_TripFeeEvent):
    """The fee (or part of it) was paid, online or at the counter; the receipt's number."""

    payment_id: str
    amount_vnd: int
    method: str
    transaction_id: str | None
    receipt_number: str


@dataclass(frozen=True)
class PaymentRefused(Event):
    """A provider's callback was not applied (unknown order, wrong amount, conflicting replay); logged."""

    provider: str
    order_id: str | None
    transaction_id: str | None
    why: str

    @property
    def subject(self) -> tuple[str, str]:
        return ("payment_provider", self.provider)


@dataclass(frozen=True)
class RefundDue(_TripFeeEvent):
    """A cancelled trip that never reached the gate is refunded: sent to the provider, or due at the counter."""

    refund_id: str
    payment_id: str
    amount_vnd: int
    status: str
