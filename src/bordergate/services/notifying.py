"""Notices to drivers and declarants: queued in the outbox with the change that causes them, then sent, each once."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import structlog

from bordergate.domain import commands
from bordergate.domain.accounts import Role
from bordergate.domain.clearance import Action
from bordergate.domain.clearance_events import AgencyActed
from bordergate.domain.events import DeclarationAmended, HoldPlaced, NoticeSent, NoticesReaddressed
from bordergate.domain.inspection import Agency
from bordergate.domain.notices import Notice, NoticeKind, render
from bordergate.services.following import declaration_in
from bordergate.services.ports import Clock, Identifiers, SmsGateway, SmsRefused
from bordergate.services.unit_of_work import UnitOfWork

log = structlog.get_logger(__name__)
BATCH = 50
LEASE = timedelta(minutes=2)
GIVE_UP_AFTER = 10
_LOCALES = {"VN": "vi", "CN": "zh"}


def tell_driver(uow: UnitOfWork, ids: Identifiers, at: datetime, reference: str, kind: NoticeKind, key: str,
                **values: object) -> bool:
    """Queue a notice to the trip's driver, in their language; False when that notice was already queued."""
    declaration = uow.declarations.get(reference)
    if declaration is None:
        return False
    driver = declaration.trip.driver
    locale = _LOCALES.get(driver.nationality, "en")
    values.setdefault("plate", declaration.trip.vehicle.tractor_plate.display)
    values.setdefault("reference", reference)
    notice = Notice(f"{reference}:{key}", kind, reference, driver.phone, locale, render(kind, locale, **values))
    return uow.notices.enqueue(ids.new_id(), notice, at)


def tell_declarant(uow: UnitOfWork, ids: Identifiers, at: datetime, reference: str, kind: NoticeKind, key: str,
                   **values: object) -> bool:
    """Queue a notice to the enterprise that declared the trip, on the contact phone it gave; False when it gave
    none (the portal shows the same thing) or that notice was already queued."""
    declaration = uow.declarations.get(reference)
    phone = uow.accounts.contact_phone(declaration.enterprise_id) if declaration else None
    if declaration is None or phone is None:
        return False
    # Enterprises at a Vietnamese gate declare in Vietnamese; the portal shows the same in the reader's language.
    values.setdefault("plate", declaration.trip.vehicle.tractor_plate.display)
    values.setdefault("reference", reference)
    notice = Notice(f"{reference}:{key}", kind, reference, phone, "vi", render(kind, "vi", **values)[:500])
    return uow.notices.enqueue(ids.new_id(), notice, at)


def tell_of_hold(uow: UnitOfWork, ids: Identifiers, at: datetime, reference: str, agency: dict[str, str],
                 reason: str | None, key: str) -> bool:
    """An agency held the trip: the declarant is told who and why, since answering is theirs to do."""
    why = " ".join((reason or "").split()) or "-"
    return tell_declarant(uow, ids, at, reference, NoticeKind.HELD, key, agency=agency,
                          reason=why if len(why) <= 200 else why[:199] + "…")


def tell_of_agency_hold(event: AgencyActed, uow: UnitOfWork, ids: Identifiers) -> None:
    """Follows AgencyActed: an agency's hold on the trip is told to the declarant (queued with the hold)."""
    if event.decision == Action.HOLD.value:
        tell_of_hold(uow, ids, event.at, event.reference, Agency(event.agency).labels,
                     event.reason or "; ".join(event.needs), f"held:{event.agency}:{event.at.isoformat()}")


def tell_of_gate_hold(event: HoldPlaced, uow: UnitOfWork, ids: Identifiers) -> None:
    """Follows HoldPlaced: an officer's hold at the exit barrier is told to the declarant (queued with it)."""
    tell_of_hold(uow, ids, event.at, event.reference, Role(event.agency).labels, event.reason,
                 f"hold:{event.hold_id}")


def readdress_notices(event: DeclarationAmended, uow: UnitOfWork) -> None:
    """Follows DeclarationAmended: a queued SMS must reach the phone the driver carries now, not the one first
    typed."""
    if not event.driver_corrected:
        return
    phone = declaration_in(uow, event.reference).trip.driver.phone
    readdressed = uow.notices.readdress(event.reference, phone)
    if readdressed:
        uow.record(NoticesReaddressed(actor=event.actor, at=event.at, reference=event.reference,
                                      notice_ids=tuple(readdressed), phone=phone))


def deliver_notices(cmd: commands.DeliverNotices, uow: UnitOfWork, clock: Clock, sms: SmsGateway) -> dict[str, int]:
    """Claim due notices, send each, record the outcome; a failure is retried later with a growing pause."""
    with uow:
        claimed = uow.notices.claim(clock.now(), BATCH, LEASE)
        uow.commit()
    counts = {"sent": 0, "retrying": 0, "failed": 0}
    for notice in claimed:
        try:
            provider_id = sms.send(notice["id"], notice["phone"], notice["text"])
        except SmsRefused as refused:
            outcome = _failed(uow, clock, notice, refused)
        else:
            outcome = _sent(uow, clock, notice, provider_id)
        counts[outcome] += 1
    return counts


def _sent(uow: UnitOfWork, clock: Clock, notice: dict[str, Any], provider_id: str) -> str:
    now = clock.now()
    with uow:
        uow.notices.sent(notice["id"], now, provider_id, notice["phone"])
        uow.record(NoticeSent(actor="system", at=now, notice_id=notice["id"], reference=notice["reference"],
                              kind=notice["kind"], phone=notice["phone"], provider_id=provider_id))
        uow.commit()
    return "sent"


def _failed(uow: UnitOfWork, clock: Clock, notice: dict[str, Any], refused: SmsRefused) -> str:
    now = clock.now()
    attempts = notice["attempts"] + 1
    retry_at = now + min(timedelta(minutes=2 ** attempts), timedelta(hours=1)) \
        if refused.retry and attempts < GIVE_UP_AFTER else None
    log.warning("notice not sent", notice=notice["id"], attempts=attempts, error=str(refused), retry_at=retry_at)
    with uow:
        uow.notices.failed(notice["id"], retry_at, str(refused))
        uow.commit()
    return "retrying" if retry_at else "failed"
