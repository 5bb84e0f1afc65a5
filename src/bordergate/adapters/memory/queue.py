"""In-memory twins of the queue's bookings and the notices waiting to be sent."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bordergate.adapters.memory.tables import Tables, copied
from bordergate.domain.booking import Booking, BookingKind
from bordergate.domain.checkpoints import Direction
from bordergate.domain.errors import ChangedMeanwhile, Conflict
from bordergate.domain.citizens import CODE_SENT_TEXT
from bordergate.domain.notices import DECLARANT_KINDS, Notice, NoticeKind


def _kept(booking: Booking) -> Booking:
    kept: Booking = copied(booking)
    kept.events.clear()
    return kept


class InMemoryBookings:
    """Bookings by id; a truck holds one active booking at a time; a save checks the version."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables
        self.seen: list[Booking] = []

    def add(self, booking: Booking) -> None:
        if any(b.tractor_plate == booking.tractor_plate and b.status.is_active
               for b in self.tables.bookings.values()):
            raise Conflict(f"truck {booking.tractor_plate} already has an active booking; a truck holds one place "
                           "at a time (cancel the other booking first)")
        self.tables.bookings[booking.id] = _kept(booking)
        self.seen.append(booking)

    def get(self, booking_id: str) -> Booking | None:
        kept = self.tables.bookings.get(booking_id)
        return self._seen(kept) if kept else None

    def active_for(self, reference: str) -> Booking | None:
        for booking in self.seen:
            if booking.reference == reference and booking.status.is_active:
                return booking
        kept = next((b for b in self.tables.bookings.values() if b.reference == reference and b.status.is_active),
                    None)
        return self._seen(kept) if kept else None

    def latest_for(self, reference: str) -> Booking | None:
        mine = [b for b in self.tables.bookings.values() if b.reference == reference]
        mine.sort(key=lambda b: (b.status.is_active, b.booked_at), reverse=True)
        return copied(mine[0]) if mine else None

    def active_at(self, crossing_point: str, direction: Direction) -> list[Booking]:
        return [self._seen(b) for b in self.tables.bookings.values()
                if b.crossing_point == crossing_point and b.direction is direction and b.status.is_active]

    def in_slot(self, crossing_point: str, direction: Direction, starts_at: datetime) -> list[Booking]:
        found = [b for b in self.tables.bookings.values()
                 if b.crossing_point == crossing_point and b.direction is direction and b.slot_start == starts_at
                 and b.kind is BookingKind.SLOT and b.status.is_active]
        return [self._seen(b) for b in sorted(found, key=lambda b: b.booked_at)]

    def save(self, booking: Booking, loaded_version: int) -> None:
        kept = self.tables.bookings.get(booking.id)
        if kept is None or kept.version != loaded_version:
            raise ChangedMeanwhile(f"booking {booking.id} was changed meanwhile; try again")
        self.tables.bookings[booking.id] = _kept(booking)

    def strikes(self, enterprise_id: str, since: datetime) -> int:
        return sum(1 for b in self.tables.bookings.values() if b.enterprise_id == enterprise_id and b.strike
                   and b.ended_at is not None and b.ended_at >= since)

    def last_strike(self, enterprise_id: str) -> datetime | None:
        return max((b.ended_at for b in self.tables.bookings.values()
                    if b.enterprise_id == enterprise_id and b.strike and b.ended_at is not None), default=None)

    def attempt(self, attempt_id: str, user_id: str, at: datetime) -> None:
        self.tables.booking_attempts.append((attempt_id, user_id, at))

    def attempts_by(self, user_id: str, since: datetime) -> int:
        return sum(1 for _, by, at in self.tables.booking_attempts if by == user_id and at >= since)

    def forget_attempts(self, before: datetime) -> None:
        self.tables.booking_attempts = [a for a in self.tables.booking_attempts if a[2] >= before]

    def called_since(self, crossing_point: str, direction: Direction, since: datetime) -> int:
        lane = [b for b in self.tables.bookings.values() if b.crossing_point == crossing_point
                and b.direction is direction]
        return (sum(1 for b in lane if b.called_at is not None and b.called_at >= since)
                + sum(1 for b in lane if b.missed_call_at is not None and b.missed_call_at >= since))

    def set_expected(self, expected: dict[str, datetime | None], told: dict[str, datetime | None]) -> None:
        for booking_id, at in expected.items():
            before = self.tables.expected.get(booking_id, (None, None))[1]
            self.tables.expected[booking_id] = (at, told.get(booking_id, before))

    def published(self, booking_ids: list[str]) -> dict[str, tuple[datetime | None, datetime | None]]:
        return {i: self.tables.expected.get(i, (None, None)) for i in booking_ids if i in self.tables.bookings}

    def _seen(self, kept: Booking) -> Booking:
        booking: Booking = copied(kept)
        self.seen.append(booking)
        return booking


class InMemoryNotices:
    """Notices by id, one per key; claimed, then marked sent or retried, as in SQL."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def enqueue(self, notice_id: str, notice: Notice, at: datetime) -> bool:
        if any(n["key"] == notice.key for n in self.tables.notices):
            return False
        self.tables.notices.append({
            "id": notice_id, "key": notice.key, "kind": notice.kind.value, "reference": notice.reference,
            "phone": notice.phone, "locale": notice.locale, "text": notice.text, "created_at": at,
            "status": "pending", "attempts": 0, "next_attempt_at": at, "sent_at": None, "provider_id": None,
            "last_error": None})
        return True

    def readdress(self, reference: str, phone: str) -> list[str]:
        declarants = {kind.value for kind in DECLARANT_KINDS}
        waiting = sorted((n for n in self.tables.notices if n["reference"] == reference
                          and n["status"] in ("pending", "sending") and n["phone"] != phone
                          and n["kind"] not in declarants), key=lambda n: (n["created_at"], n["key"]))
        ids = [n["id"] for n in waiting]
        self._change(ids, phone=phone)
        return ids

    def claim(self, now: datetime, limit: int, lease: timedelta) -> list[dict[str, Any]]:
        due = sorted((n for n in self.tables.notices if n["status"] in ("pending", "sending")
                      and n["next_attempt_at"] <= now), key=lambda n: n["next_attempt_at"])[:limit]
        claimed = [copied(n) for n in due]
        for notice in due:
            self._change([notice["id"]], status="sending", attempts=notice["attempts"] + 1,
                         next_attempt_at=now + lease)
        return claimed

    def sent(self, notice_id: str, at: datetime, provider_id: str, phone: str) -> None:
        self._change([notice_id], status="sent", sent_at=at, provider_id=provider_id[:100], last_error=None,
                     phone=phone)
        self._forget_code(notice_id)

    def failed(self, notice_id: str, retry_at: datetime | None, error: str) -> None:
        change: dict[str, Any] = {"status": "pending" if retry_at else "failed", "last_error": error[:500]}
        if retry_at:
            change["next_attempt_at"] = retry_at
        self._change([notice_id], **change)
        if not retry_at:
            self._forget_code(notice_id)

    def _forget_code(self, notice_id: str) -> None:
        if any(n["id"] == notice_id and n["kind"] == NoticeKind.SIGN_IN_CODE.value for n in self.tables.notices):
            self._change([notice_id], text=CODE_SENT_TEXT)

    def forget_unsent(self, kind: NoticeKind, before: datetime) -> int:
        old = [n for n in self.tables.notices
               if n["kind"] == kind.value and n["created_at"] < before and n["status"] != "sent"]
        self.tables.notices = [n for n in self.tables.notices if n not in old]
        return len(old)

    def _change(self, notice_ids: list[str], **values: Any) -> None:
        """A changed notice is a new dict in its place: a snapshot holds the old one (tables.py)."""
        self.tables.notices = [{**n, **values} if n["id"] in notice_ids else n for n in self.tables.notices]

    def for_reference(self, reference: str) -> list[dict[str, Any]]:
        return sorted((copied(n) for n in self.tables.notices if n["reference"] == reference),
                      key=lambda n: (n["created_at"], n["key"]))
