"""Tariffs, assessments, payments, receipts and refunds in SQL, and the rows of the reconciliation report."""
from __future__ import annotations

import json
from datetime import datetime
import typing
from typing import Any

from sqlalchemy import Connection, Text, and_, cast, exists, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from bordergate.adapters.sql.tables import (declarations, fee_assessments, fee_tariffs, payments, receipt_counters,
                                            receipts, refunds)
from bordergate.domain.errors import Conflict
from bordergate.domain.fees import Assessment, Tariff
from bordergate.domain.payments import Payment, PaymentMethod, PaymentStatus
from bordergate.domain.tariff_form import read_tariff, tariff_to_plain
from bordergate.services.repositories import AssessmentRecord

a, p = fee_assessments.c, payments.c

# Parsed tariffs by their stored text, for this process: each unit of work still reads the table (another process
# may have published since), but a document it has seen is not parsed again. Keyed by the text, not the version,
# so a different document under a known version (another database in the same process) is never taken for it.
_PARSED: dict[str, Tariff] = {}
_PARSED_MOST = 64


def _payment(row) -> Payment:
    return Payment(row["id"], row["reference"], row["amount_vnd"], PaymentMethod(row["method"]),
                   PaymentStatus(row["status"]), row["created_at"], row["created_by"], row["provider"],
                   row["order_id"], row["transaction_id"], row["paid_at"], row["receipt_number"])


def _parsed(text: str) -> Tariff:
    tariff = _PARSED.get(text)
    if tariff is None:
        if len(_PARSED) >= _PARSED_MOST:
            _PARSED.clear()
        tariff = _PARSED[text] = read_tariff(json.loads(text))
    return tariff


class SqlFees:
    """The fee's records; a payment changes state only from pending, so a replayed callback changes nothing."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._tariffs: list[Tariff] | None = None

    # -- tariffs ---------------------------------------------------------------------------------------------------

    def tariffs(self) -> list[Tariff]:
        """Every published version, read once per unit of work (publishing a tariff reassesses many trips)."""
        if self._tariffs is None:
            t = fee_tariffs.c
            texts = self.connection.execute(select(cast(t.document, Text)).order_by(t.in_force_from)).scalars()
            self._tariffs = [_parsed(text) for text in texts]
        return self._tariffs

    def publish(self, tariff: Tariff, by: str, at: datetime) -> None:
        try:
            with self.connection.begin_nested():
                self.connection.execute(insert(fee_tariffs).values(
                    version=tariff.version, jurisdiction=tariff.jurisdiction, in_force_from=tariff.in_force_from,
                    document=tariff_to_plain(tariff), published_by=by, published_at=at))
            self._tariffs = None
        except IntegrityError:
            raise Conflict(f"tariff version {tariff.version} is already published; a change of the schedule is a "
                           "new version with its own date in force") from None

    # -- assessments -----------------------------------------------------------------------------------------------

    def current(self, reference: str) -> AssessmentRecord | None:
        row = self.connection.execute(select(fee_assessments).where(a.reference == reference, a.current)
                                      ).mappings().first()
        return typing.cast(AssessmentRecord, dict(row)) if row else None

    def assessments(self, reference: str) -> list[AssessmentRecord]:
        rows = self.connection.execute(select(fee_assessments).where(a.reference == reference)
                                       .order_by(a.revision)).mappings()
        return [typing.cast(AssessmentRecord, dict(row)) for row in rows]

    def add_assessment(self, reference: str, crossing_point: str, assessment: Assessment, why: str,
                       at: datetime, *, first: bool = False) -> int:
        """Keep a new revision as the current one; the old ones stay on record. `first`: a trip declared in this
        transaction, which has none yet (its primary key would refuse a second revision 1)."""
        last = None
        if not first:
            last = self.connection.execute(select(func.max(a.revision)).where(a.reference == reference)).scalar()
            self.connection.execute(update(fee_assessments).where(a.reference == reference, a.current)
                                    .values(current=False))
        revision = (last or 0) + 1
        self.connection.execute(insert(fee_assessments).values(
            reference=reference, revision=revision, current=True, crossing_point=crossing_point,
            tariff_version=assessment.tariff_version, fee_class=assessment.fee_class,
            total_vnd=assessment.total_vnd, lines=[[line.rule, line.amount_vnd] for line in assessment.lines],
            missing=assessment.missing, assessed_at=at, why=why[:200]))
        return revision

    def outstanding(self, reference: str) -> int | None:
        """The current fee less what was paid; None when the trip has no assessed fee (nothing to wait for)."""
        current = self.current(reference)
        if current is None or current["missing"]:
            return None
        paid = self.connection.execute(select(func.coalesce(func.sum(p.amount_vnd), 0)).where(
            p.reference == reference, p.status == PaymentStatus.PAID.value)).scalar_one()
        return max(current["total_vnd"] - paid, 0)

    # -- payments and receipts ---------------------------------------------------------------------------------------

    def payments_of(self, reference: str) -> list[Payment]:
        rows = self.connection.execute(select(payments).where(p.reference == reference).order_by(p.created_at))
        return [_payment(row) for row in rows.mappings()]

    def add_payment(self, payment: Payment) -> None:
        self.connection.execute(insert(payments).values(
            id=payment.id, reference=payment.reference, amount_vnd=payment.amount_vnd, method=payment.method.value,
            status=payment.status.value, created_at=payment.created_at, created_by=payment.created_by,
            provider=payment.provider, order_id=payment.order_id, transaction_id=payment.transaction_id,
            paid_at=payment.paid_at, receipt_number=payment.receipt_number))

    def by_order(self, provider: str, order_id: str) -> Payment | None:
        row = self.connection.execute(select(payments).where(p.provider == provider, p.order_id == order_id)
                                      ).mappings().first()
        return _payment(row) if row else None

    def settle(self, payment_id: str, status: PaymentStatus, *, transaction_id: str | None = None,
               paid_at: datetime | None = None, receipt_number: str | None = None) -> bool:
        """Move a pending (or failed) payment to paid or failed; False if it was settled meanwhile."""
        open_ = [PaymentStatus.PENDING.value, PaymentStatus.FAILED.value]
        try:
            with self.connection.begin_nested():
                result = self.connection.execute(
                    update(payments).where(p.id == payment_id, p.status.in_(open_))
                    .values(status=status.value, transaction_id=transaction_id, paid_at=paid_at,
                            receipt_number=receipt_number))
        except IntegrityError:
            raise Conflict(f"transaction {transaction_id} already paid another order") from None
        return result.rowcount == 1

    def mark_refunded(self, payment_id: str) -> None:
        self.connection.execute(update(payments).where(p.id == payment_id, p.status == PaymentStatus.PAID.value)
                                .values(status=PaymentStatus.REFUNDED.value))

    def next_receipt_number(self, year: int) -> int:
        """The year's next number: one atomic UPDATE (the row lock serialises racing payments)."""
        taken = self.connection.execute(update(receipt_counters).where(receipt_counters.c.year == year)
                                        .values(last=receipt_counters.c.last + 1))
        if taken.rowcount == 0:
            try:
                with self.connection.begin_nested():
                    self.connection.execute(insert(receipt_counters).values(year=year, last=1))
                return 1
            except IntegrityError:  # another payment opened the year first
                self.connection.execute(update(receipt_counters).where(receipt_counters.c.year == year)
                                        .values(last=receipt_counters.c.last + 1))
        return self.connection.execute(select(receipt_counters.c.last).where(receipt_counters.c.year == year)
                                       ).scalar_one()

    def add_receipt(self, number: str, payment: Payment, at: datetime) -> None:
        self.connection.execute(insert(receipts).values(number=number, payment_id=payment.id,
                                                        reference=payment.reference, amount_vnd=payment.amount_vnd,
                                                        issued_at=at))

    def receipt(self, number: str) -> dict[str, Any] | None:
        d = declarations.c
        row = self.connection.execute(
            select(receipts, p.method, p.provider, p.transaction_id, p.status.label("payment_status"), p.paid_at,
                   d.enterprise_id, d.crossing_point, d.tractor_plate)
            .join(payments, p.id == receipts.c.payment_id).join(declarations, d.reference == receipts.c.reference)
            .where(receipts.c.number == number)).mappings().first()
        return dict(row) if row else None

    def add_refund(self, refund: dict[str, Any]) -> None:
        self.connection.execute(insert(refunds).values(**refund))

    def refunds_of(self, reference: str) -> list[dict[str, Any]]:
        rows = self.connection.execute(select(refunds).where(refunds.c.reference == reference)
                                       .order_by(refunds.c.created_at)).mappings()
        return [dict(row) for row in rows]

    # -- reconciliation --------------------------------------------------------------------------------------------

    def reconciliation(self, since: datetime, until: datetime, crossing_point: str | None) -> list[dict[str, Any]]:
        """Each trip planned in the period or whose money moved in it, with its current assessment: what was paid
        (online, cash; by the moment it was paid) and refunded (by the moment of the refund) in the period, and
        all it has been paid and refunded so far."""
        d = declarations.c
        taken = p.status.in_([PaymentStatus.PAID.value, PaymentStatus.REFUNDED.value])
        in_period = lambda moment: and_(moment >= since, moment < until)  # noqa: E731
        paid = lambda *when: (select(func.coalesce(func.sum(p.amount_vnd), 0))  # noqa: E731
                              .where(p.reference == a.reference, taken, *when).scalar_subquery())
        refunded = lambda *when: (select(func.coalesce(func.sum(refunds.c.amount_vnd), 0))  # noqa: E731
                                  .where(refunds.c.reference == a.reference, *when).scalar_subquery())
        money_moved = or_(
            exists().where(p.reference == a.reference, taken, in_period(p.paid_at)),
            exists().where(refunds.c.reference == a.reference, in_period(refunds.c.created_at)))
        query = (select(a.reference, a.crossing_point, a.fee_class, a.tariff_version, a.total_vnd, a.missing,
                        d.status, d.planned_arrival, d.tractor_plate,
                        paid(p.method == PaymentMethod.ONLINE.value, in_period(p.paid_at)).label("paid_online_vnd"),
                        paid(p.method == PaymentMethod.CASH.value, in_period(p.paid_at)).label("paid_cash_vnd"),
                        refunded(in_period(refunds.c.created_at)).label("refunded_vnd"),
                        paid().label("paid_so_far_vnd"), refunded().label("refunded_so_far_vnd"))
                 .join(declarations, d.reference == a.reference)
                 .where(a.current, or_(in_period(d.planned_arrival), money_moved))
                 .order_by(a.crossing_point, a.fee_class, a.reference))
        if crossing_point:
            query = query.where(a.crossing_point == crossing_point)
        return [dict(row) for row in self.connection.execute(query).mappings()]
