"""In-memory twin of the fees: tariffs, assessments, payments, receipts and refunds."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from bordergate.adapters.memory.tables import Tables, copied
from bordergate.domain.errors import Conflict
from bordergate.domain.fees import Assessment, Tariff
from bordergate.domain.payments import Payment, PaymentStatus
from bordergate.services.repositories import AssessmentRecord


class InMemoryFees:
    """The fee's records; a payment changes state only from pending (or failed), as in SQL."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def tariffs(self) -> list[Tariff]:
        return sorted(self.tables.tariffs, key=lambda t: t.in_force_from)

    def publish(self, tariff: Tariff, by: str, at: datetime) -> None:
        if any(t.version == tariff.version for t in self.tables.tariffs):
            raise Conflict(f"tariff version {tariff.version} is already published; a change of the schedule is a "
                           "new version with its own date in force")
        self.tables.tariffs.append(tariff)

    def current(self, reference: str) -> AssessmentRecord | None:
        return next((copied(a) for a in self.tables.assessments if a["reference"] == reference and a["current"]),
                    None)

    def assessments(self, reference: str) -> list[AssessmentRecord]:
        return sorted((copied(a) for a in self.tables.assessments if a["reference"] == reference),
                      key=lambda a: a["revision"])

    def add_assessment(self, reference: str, crossing_point: str, assessment: Assessment, why: str, at: datetime,
                       *, first: bool = False) -> int:
        mine = [a for a in self.tables.assessments if a["reference"] == reference]
        if first and mine:
            raise Conflict(f"{reference} has an assessment already")
        self.tables.assessments = [AssessmentRecord({**a, "current": False}) if a["reference"] == reference else a
                                   for a in self.tables.assessments]
        revision = max((a["revision"] for a in mine), default=0) + 1
        self.tables.assessments.append(AssessmentRecord(
            reference=reference, revision=revision, current=True, crossing_point=crossing_point,
            tariff_version=assessment.tariff_version, fee_class=assessment.fee_class,
            total_vnd=assessment.total_vnd, lines=[[line.rule, line.amount_vnd] for line in assessment.lines],
            missing=assessment.missing, assessed_at=at, why=why[:200]))
        return revision

    def outstanding(self, reference: str) -> int | None:
        current = self.current(reference)
        if current is None or current["missing"]:
            return None
        paid = sum(p.amount_vnd for p in self.tables.payments.values()
                   if p.reference == reference and p.status is PaymentStatus.PAID)
        return max(current["total_vnd"] - paid, 0)

    def payments_of(self, reference: str) -> list[Payment]:
        return sorted((copied(p) for p in self.tables.payments.values() if p.reference == reference),
                      key=lambda p: p.created_at)

    def add_payment(self, payment: Payment) -> None:
        if payment.id in self.tables.payments:
            raise Conflict(f"payment {payment.id} exists already")
        self.tables.payments[payment.id] = copied(payment)

    def by_order(self, provider: str, order_id: str) -> Payment | None:
        return next((copied(p) for p in self.tables.payments.values()
                     if p.provider == provider and p.order_id == order_id), None)

    def settle(self, payment_id: str, status: PaymentStatus, *, transaction_id: str | None = None,
               paid_at: datetime | None = None, receipt_number: str | None = None) -> bool:
        found = self.tables.payments.get(payment_id)
        if found is None or found.status not in (PaymentStatus.PENDING, PaymentStatus.FAILED):
            return False
        if transaction_id and status is PaymentStatus.PAID and any(
                p.transaction_id == transaction_id and p.id != payment_id and p.provider == found.provider
                for p in self.tables.payments.values()):
            raise Conflict(f"transaction {transaction_id} already paid another order")
        self.tables.payments[payment_id] = replace(found, status=status, transaction_id=transaction_id,
                                                   paid_at=paid_at, receipt_number=receipt_number)
        return True

    def mark_refunded(self, payment_id: str) -> None:
        found = self.tables.payments.get(payment_id)
        if found is not None and found.status is PaymentStatus.PAID:
            self.tables.payments[payment_id] = replace(found, status=PaymentStatus.REFUNDED)

    def next_receipt_number(self, year: int) -> int:
        self.tables.receipt_counters[year] = self.tables.receipt_counters.get(year, 0) + 1
        return self.tables.receipt_counters[year]

    def add_receipt(self, number: str, payment: Payment, at: datetime) -> None:
        self.tables.receipts[number] = {"number": number, "payment_id": payment.id, "reference": payment.reference,
                                        "amount_vnd": payment.amount_vnd, "issued_at": at}

    def receipt(self, number: str) -> dict[str, Any] | None:
        found = self.tables.receipts.get(number)
        if found is None:
            return None
        payment = self.tables.payments[found["payment_id"]]
        declaration = self.tables.declarations[found["reference"]]
        return {**found, "method": payment.method.value, "provider": payment.provider,
                "transaction_id": payment.transaction_id, "payment_status": payment.status.value,
                "paid_at": payment.paid_at, "enterprise_id": declaration.enterprise_id,
                "crossing_point": declaration.trip.crossing_point,
                "tractor_plate": declaration.trip.vehicle.tractor_plate.compact}

    def add_refund(self, refund: dict[str, Any]) -> None:
        self.tables.refunds.append(copied(refund))

    def refunds_of(self, reference: str) -> list[dict[str, Any]]:
        return sorted((copied(r) for r in self.tables.refunds if r["reference"] == reference),
                      key=lambda r: r["created_at"])

    def reconciliation(self, since: datetime, until: datetime, crossing_point: str | None) -> list[dict[str, Any]]:
        raise NotImplementedError("the reconciliation report is a SQL aggregate: test it on SQLite or PostgreSQL")
