"""Citizen profiles and sign-in codes in SQL; a try is counted by one guarded UPDATE, so none is lost to a race."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from bordergate.adapters.sql.citizen_tables import citizen_profiles, sign_in_codes
from bordergate.domain.citizens import SignInCode
from bordergate.services.citizen_repositories import CitizenProfile

p, c = citizen_profiles.c, sign_in_codes.c


def _profile(row: Any) -> CitizenProfile | None:
    if row is None:
        return None
    return CitizenProfile(user_id=row.user_id, phone=row.phone, locale=row.locale, vneid_subject=row.vneid_subject,
                          created_at=row.created_at)


class SqlCitizens:
    """Profiles by account, phone (unique) or VNeID subject (unique)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, profile: CitizenProfile) -> None:
        self.connection.execute(insert(citizen_profiles).values(**profile))

    def by_phone(self, phone: str) -> CitizenProfile | None:
        return _profile(self.connection.execute(select(citizen_profiles).where(p.phone == phone)).first())

    def by_vneid_subject(self, subject: str) -> CitizenProfile | None:
        return _profile(self.connection.execute(
            select(citizen_profiles).where(p.vneid_subject == subject)).first())

    def link_vneid(self, user_id: str, subject: str) -> None:
        self.connection.execute(update(citizen_profiles).where(p.user_id == user_id).values(vneid_subject=subject))


def _code(row: Any) -> SignInCode:
    return SignInCode(row.id, row.phone, row.code_digest, row.address, row.created_at, row.expires_at,
                      row.attempts, row.used_at, row.voided_at)


_OPEN = c.used_at.is_(None) & c.voided_at.is_(None)


class SqlSignInCodes:
    """Codes by id; the newest open one per phone."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, code: SignInCode) -> None:
        self.connection.execute(insert(sign_in_codes).values(
            id=code.id, phone=code.phone, code_digest=code.digest, address=code.address[:130],
            created_at=code.created_at, expires_at=code.expires_at, attempts=code.attempts, used_at=code.used_at,
            voided_at=code.voided_at))

    def open_for(self, phone: str) -> SignInCode | None:
        row = self.connection.execute(select(sign_in_codes).where(c.phone == phone, _OPEN)
                                      .order_by(c.created_at.desc()).limit(1)).first()
        return _code(row) if row else None

    def void_open(self, phone: str, at: datetime) -> int:
        return self.connection.execute(update(sign_in_codes).where(c.phone == phone, _OPEN)
                                       .values(voided_at=at)).rowcount

    def count_try(self, code_id: str, max_attempts: int) -> bool:
        return self.connection.execute(update(sign_in_codes).where(c.id == code_id, _OPEN, c.attempts < max_attempts)
                                       .values(attempts=c.attempts + 1)).rowcount == 1

    def use(self, code_id: str, at: datetime) -> bool:
        return self.connection.execute(update(sign_in_codes).where(c.id == code_id, _OPEN)
                                       .values(used_at=at)).rowcount == 1

    def sent_since(self, since: datetime, *, phone: str | None = None, address: str | None = None) -> list[datetime]:
        query = select(c.created_at).where(c.created_at > since).order_by(c.created_at)
        if phone is not None:
            query = query.where(c.phone == phone)
        if address is not None:
            query = query.where(c.address == address[:130])
        return list(self.connection.execute(query).scalars())

    def forget(self, before: datetime) -> int:
        return self.connection.execute(delete(sign_in_codes).where(c.created_at < before)).rowcount
