"""Use cases of the fee: publish a tariff, assess a trip (again on each correction), pay online or in cash,
receipts, and refunds of cancelled trips."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import structlog

from bordergate.domain import commands
from bordergate.domain.access import COLLECT_FEES, require, require_may_declare_for
from bordergate.domain.capacity import local_day
from bordergate.domain.declaration import Declaration
from bordergate.domain.events import DeclarationAmended, DeclarationCancelled, DeclarationSubmitted
from bordergate.domain.errors import Conflict, FieldProblem, Invalid, NotFound, Unavailable
from bordergate.domain.fee_events import (FeeAssessed, FeeNotAssessed, PaymentRefused, PaymentReceived,
                                          PaymentStarted, RefundDue, TariffPublished)
from bordergate.domain.fees import Assessment, FeeLine, assess, tariff_in_force
from bordergate.domain.payments import (Payment, PaymentMethod, PaymentStatus, outstanding, receipt_number,
                                        refund_due)
from bordergate.domain.payments import paid as total_paid  # "paid" names the payments here
from bordergate.domain.tariff_form import read_tariff
from bordergate.services.following import declaration_in
from bordergate.services.ports import Clock, Identifiers, PaymentProvider, ProviderRefused
from bordergate.services.unit_of_work import UnitOfWork
from bordergate.services.views import visible_declaration

log = structlog.get_logger(__name__)
NO_ONLINE_PAYMENT = ("this gate takes no online payments (no payment provider is configured): pay the fee in cash "
                     "at the Border Gate Management Center's desk, or ask the management center to configure a "
                     "payment provider (BORDERGATE_PAYMENT_URL)")


class NoOnlinePayment(Conflict):
    """Paying online where no payment provider is configured: the fee is paid in cash at the desk."""

    title = "No online payment here"


def assess_trip(uow: UnitOfWork, declaration: Declaration, jurisdiction: str, *, why: str, actor: str,
                now: datetime, first: bool = False) -> None:
    """Assess the trip under the tariff in force on its date; a new revision only when the fee or its lines
    change, with the difference on the record. `first`: the trip was declared in this unit of work, so it has no
    assessment yet and none is read."""
    trip = declaration.trip
    tariff = tariff_in_force(uow.fees.tariffs(), jurisdiction, local_day(trip.planned_arrival))
    if tariff is None:
        assessment = Assessment("", "none", 0, (), missing=f"no {jurisdiction} tariff is in force on "
                                                           f"{local_day(trip.planned_arrival).isoformat()}")
    else:
        assessment = assess(trip, tariff)
    before = None if first else uow.fees.current(declaration.reference)
    lines = [[line.rule, line.amount_vnd] for line in assessment.lines]
    if before and (before["total_vnd"], before["lines"], before["missing"], before["tariff_version"]) == (
            assessment.total_vnd, lines, assessment.missing, assessment.tariff_version):
        return
    revision = uow.fees.add_assessment(declaration.reference, trip.crossing_point, assessment, why, now,
                                       first=first)
    reason = assessment.not_assessed
    if reason is not None and assessment.missing is not None:
        # Not "assessed 0 VND": nothing is due because nothing could be assessed, and the reader is told why.
        uow.record(FeeNotAssessed(actor=actor, at=now, reference=declaration.reference, revision=revision,
                                  tariff_version=assessment.tariff_version, reason=reason.value,
                                  detail=assessment.missing, why=why))
        return
    # The last fee that was due: an unassessed one was no fee at all.
    previous = before["total_vnd"] if before and not before["missing"] else None
    uow.record(FeeAssessed(actor=actor, at=now, reference=declaration.reference, revision=revision,
                           tariff_version=assessment.tariff_version, total_vnd=assessment.total_vnd,
                           previous_vnd=previous, difference_vnd=assessment.total_vnd - (previous or 0),
                           lines=tuple(tuple(line) for line in lines), missing=assessment.missing, why=why))


def assess_declared(event: DeclarationSubmitted, uow: UnitOfWork, jurisdiction: str) -> None:
    """Follows DeclarationSubmitted: the fee is assessed with the declaration (its first assessment)."""
    assess_trip(uow, declaration_in(uow, event.reference), jurisdiction, why="declared", actor=event.actor,
                now=event.at, first=True)


def reassess_amended(event: DeclarationAmended, uow: UnitOfWork, jurisdiction: str) -> None:
    """Follows DeclarationAmended: the corrected trip is assessed again (a new revision only if the fee moved)."""
    assess_trip(uow, declaration_in(uow, event.reference), jurisdiction, why="corrected", actor=event.actor,
                now=event.at)


def refund_cancelled(event: DeclarationCancelled, uow: UnitOfWork, ids: Identifiers,
                     payments: PaymentProvider | None) -> None:
    """Follows DeclarationCancelled: what was paid for a trip that never used the gate is refunded."""
    refund_if_unused(uow, event.reference, event.actor, event.at, ids, payments)


def publish_tariff(cmd: commands.PublishTariff, uow: UnitOfWork, clock: Clock, ids: Identifiers,
                   jurisdiction: str) -> dict[str, Any]:
    """The management center publishes a tariff version; open trips dated from then on are assessed again."""
    require(cmd.actor, COLLECT_FEES)
    tariff = read_tariff(cmd.document)
    now = clock.now()
    reassessed = 0
    with uow:
        uow.fees.publish(tariff, cmd.actor.user_id, now)
        uow.record(TariffPublished(actor=cmd.actor.user_id, at=now, version=tariff.version,
                                   jurisdiction=tariff.jurisdiction, in_force_from=tariff.in_force_from.isoformat(),
                                   lines=len(tariff.lines)))
        if tariff.jurisdiction == jurisdiction:
            for reference in uow.declarations.open_references(since=tariff.in_force_from):
                declaration = uow.declarations.get(reference)
                if declaration is None:
                    continue  # listed a moment ago in this transaction: cannot happen, but nothing to assess
                assess_trip(uow, declaration, jurisdiction, why=f"tariff {tariff.version} published",
                            actor=cmd.actor.user_id, now=now)
                reassessed += 1
        uow.commit()
    return {"version": tariff.version, "reassessed": reassessed}


def start_payment(cmd: commands.StartPayment, uow: UnitOfWork, clock: Clock, ids: Identifiers,
                  payments: PaymentProvider | None) -> dict[str, Any]:
    """An order with the provider for what is still to pay; the declarant pays at its page or by QR."""
    now = clock.now()
    with uow:
        declaration = visible_declaration(uow, cmd.actor, cmd.reference)
        require_may_declare_for(cmd.actor, declaration.enterprise_id)
        due = _due(uow, declaration)
        if payments is None:
            raise NoOnlinePayment(NO_ONLINE_PAYMENT)
        payment_id = ids.new_id()
        try:
            order = payments.create_order(payment_id, due, order_description(cmd.reference), cmd.return_url or "")
        except ProviderRefused as refused:
            raise Unavailable(f"the payment provider did not take the order ({refused}); nothing was charged, "
                              "try again in a minute or pay at the counter") from None
        payment = Payment(payment_id, cmd.reference, due, PaymentMethod.ONLINE, PaymentStatus.PENDING, now,
                          cmd.actor.user_id, payments.name, order.order_id)
        uow.fees.add_payment(payment)
        uow.record(PaymentStarted(actor=cmd.actor.user_id, at=now, reference=cmd.reference, payment_id=payment_id,
                                  amount_vnd=due, provider=payments.name, order_id=order.order_id))
        uow.commit()
    return {"payment_id": payment_id, "amount_vnd": due, "provider": payments.name, "order_id": order.order_id,
            "redirect_url": order.redirect_url, "qr_text": order.qr_text, "status": PaymentStatus.PENDING.value}


def order_description(reference: str) -> str:
    """What the payer's bank statement says an order is for."""
    return f"Phí hạ tầng cửa khẩu / border-gate fee {reference}"


def confirm_payment(cmd: commands.ConfirmPayment, uow: UnitOfWork, clock: Clock) -> dict[str, Any]:
    """The provider's signed callback: the order is paid (once, for exactly its amount) and a receipt issued."""
    now = clock.now()
    actor = f"provider:{cmd.provider}"
    with uow:
        payment = uow.fees.by_order(cmd.provider, cmd.order_id)
        if payment is None:
            _refused(uow, cmd, f"no order {cmd.order_id}", now)
            raise NotFound(f"no order {cmd.order_id} from {cmd.provider}")
        if payment.transaction_id == cmd.transaction_id and payment.status is not PaymentStatus.PENDING:
            return _paid_answer(payment, replayed=True)
        # A payer may fail and then pay on the same order: a failed order still takes a payment.
        if payment.status not in (PaymentStatus.PENDING, PaymentStatus.FAILED):
            _refused(uow, cmd, f"order already {payment.status.value} by transaction {payment.transaction_id}", now)
            raise Conflict(f"order {cmd.order_id} is already {payment.status.value}; nothing changes")
        if cmd.amount_vnd != payment.amount_vnd:
            _refused(uow, cmd, f"amount {cmd.amount_vnd} VND is not the order's {payment.amount_vnd} VND", now)
            raise Conflict(f"the callback says {cmd.amount_vnd:,} VND but the order is for "
                           f"{payment.amount_vnd:,} VND; nothing changes")
        if cmd.status == "failed":
            uow.fees.settle(payment.id, PaymentStatus.FAILED, transaction_id=cmd.transaction_id)
            payment.status = PaymentStatus.FAILED
        else:
            _issue_receipt(uow, payment, actor, now, transaction_id=cmd.transaction_id, paid_at=cmd.paid_at or now)
        uow.commit()
    return _paid_answer(payment, replayed=False)


def record_cash(cmd: commands.RecordCashPayment, uow: UnitOfWork, clock: Clock, ids: Identifiers) -> dict[str, Any]:
    """An operator takes cash at the counter for what is still to pay; a receipt is issued at once."""
    require(cmd.actor, COLLECT_FEES)
    now = clock.now()
    with uow:
        declaration = uow.declarations.get(cmd.reference)
        if declaration is None:
            raise NotFound(f"no declaration {cmd.reference}")
        due = _due(uow, declaration)
        if cmd.amount_vnd != due:
            raise Invalid([FieldProblem("amount_vnd", f"take exactly what is due: {due:,} VND")])
        payment = Payment(ids.new_id(), cmd.reference, due, PaymentMethod.CASH, PaymentStatus.PENDING, now,
                          cmd.actor.user_id)
        uow.fees.add_payment(payment)
        _issue_receipt(uow, payment, cmd.actor.user_id, now, transaction_id=None, paid_at=now)
        uow.commit()
    return _paid_answer(payment, replayed=False)


def refund_if_unused(uow: UnitOfWork, reference: str, actor: str, now: datetime, ids: Identifiers,
                     payments: PaymentProvider | None) -> None:
    """A cancelled trip that never reached the gate gets back what it paid (the refund rule, domain/payments.py)."""
    paid = [p for p in uow.fees.payments_of(reference) if p.status is PaymentStatus.PAID]
    used = bool(uow.reads.passes(reference))
    if not refund_due(cancelled=True, used_the_gate=used, paid_vnd=total_paid(paid)):
        return
    for payment in paid:
        refund_id = ids.new_id()
        status = "due"  # cash comes back at the counter
        # Paid online through a provider no longer configured: the refund stays due, paid back at the counter.
        if payment.method is PaymentMethod.ONLINE and payments is not None and payment.transaction_id:
            try:
                payments.refund(refund_id, payment.transaction_id, payment.amount_vnd)
                status = "sent"
            except ProviderRefused:
                # The cancellation stands; the refund stays due and shows in the reconciliation for the counter.
                log.warning("refund not taken by the provider", reference=reference, refund_id=refund_id)
        uow.fees.add_refund({"id": refund_id, "reference": reference, "payment_id": payment.id,
                             "amount_vnd": payment.amount_vnd, "status": status, "created_at": now,
                             "reason": "cancelled before the truck reached the gate"})
        uow.fees.mark_refunded(payment.id)
        uow.record(RefundDue(actor=actor, at=now, reference=reference, refund_id=refund_id, payment_id=payment.id,
                             amount_vnd=payment.amount_vnd, status=status))


def charge_parking(uow: UnitOfWork, reference: str, entered: datetime, left: datetime, *, actor: str,
                   now: datetime) -> None:
    """When the truck leaves, its time in the yard is charged by the parking rate of the trip's tariff (if the
    schedule has one): a new revision with the parking line, payable like the rest."""
    current = uow.fees.current(reference)
    if current is None or current["missing"]:
        return
    tariff = next((t for t in uow.fees.tariffs() if t.version == current["tariff_version"]), None)
    minutes = int((left - entered).total_seconds() // 60)
    charge = tariff.parking.charge(minutes) if tariff and tariff.parking else 0
    if tariff is None or charge == 0:
        return
    total = current["total_vnd"] + charge
    parking = FeeLine(f"yard parking: {minutes // 60} h {minutes % 60} min", total)
    lines = (*(FeeLine(rule, amount) for rule, amount in current["lines"]), parking)
    assessment = Assessment(tariff.version, current["fee_class"], total, lines)
    revision = uow.fees.add_assessment(reference, current["crossing_point"], assessment, "yard parking", now)
    uow.record(FeeAssessed(actor=actor, at=now, reference=reference, revision=revision,
                           tariff_version=assessment.tariff_version, total_vnd=total,
                           previous_vnd=current["total_vnd"], difference_vnd=charge,
                           lines=tuple((line.rule, line.amount_vnd) for line in lines), missing=None,
                           why="yard parking"))


def _issue_receipt(uow: UnitOfWork, payment: Payment, actor: str, now: datetime, *, transaction_id: str | None,
                   paid_at: datetime) -> None:
    number = receipt_number(local_day(now).year, uow.fees.next_receipt_number(local_day(now).year))
    if not uow.fees.settle(payment.id, PaymentStatus.PAID, transaction_id=transaction_id, paid_at=paid_at,
                           receipt_number=number):
        raise Conflict(f"payment {payment.id} was settled meanwhile")
    payment.status, payment.transaction_id, payment.paid_at, payment.receipt_number = (
        PaymentStatus.PAID, transaction_id, paid_at, number)
    uow.fees.add_receipt(number, payment, now)
    uow.record(PaymentReceived(actor=actor, at=now, reference=payment.reference, payment_id=payment.id,
                               amount_vnd=payment.amount_vnd, method=payment.method.value,
                               transaction_id=transaction_id, receipt_number=number))


def _due(uow: UnitOfWork, declaration: Declaration) -> int:
    if not declaration.status.is_open:
        raise Conflict(f"declaration {declaration.reference} is {declaration.status.label('en').lower()}; "
                       "there is no fee to pay now")
    current = uow.fees.current(declaration.reference)
    if current is None or current["missing"]:
        raise Conflict(f"the fee of {declaration.reference} is not assessed yet: "
                       f"{current['missing'] if current else 'no assessment'}")
    due = outstanding(current["total_vnd"], uow.fees.payments_of(declaration.reference))
    if due == 0:
        raise Conflict(f"the fee of {declaration.reference} is paid; nothing is due")
    return due


def _refused(uow: UnitOfWork, cmd: commands.ConfirmPayment, why: str, now: datetime) -> None:
    """Keep a refused callback on the audit trail: the refusal outlives the error it is answered with."""
    uow.keep_only(PaymentRefused(actor=f"provider:{cmd.provider}", at=now, provider=cmd.provider,
                                 order_id=cmd.order_id, transaction_id=cmd.transaction_id, why=why))


def _paid_answer(payment: Payment, *, replayed: bool) -> dict[str, Any]:
    return {"payment_id": payment.id, "reference": payment.reference, "status": payment.status.value,
            "amount_vnd": payment.amount_vnd, "receipt_number": payment.receipt_number, "replayed": replayed}
