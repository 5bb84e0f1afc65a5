"""In-memory twins of the citizen profiles and the sign-in codes."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bordergate.adapters.memory.tables import Tables, copied
from bordergate.domain.citizens import SignInCode
from bordergate.domain.errors import Conflict
from bordergate.services.citizen_repositories import CitizenProfile


class InMemoryCitizens:
    """Profiles by user id; phone and VNeID subject are unique, as in SQL."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def add(self, profile: CitizenProfile) -> None:
        if profile["user_id"] in self.tables.citizens or self.by_phone(profile["phone"]):
            raise Conflict(f"a citizen account for {profile['phone']} exists already")
        self.tables.citizens[profile["user_id"]] = copied(profile)

    def by_phone(self, phone: str) -> CitizenProfile | None:
        return next((copied(p) for p in self.tables.citizens.values() if p["phone"] == phone), None)

    def by_vneid_subject(self, subject: str) -> CitizenProfile | None:
        return next((copied(p) for p in self.tables.citizens.values() if p["vneid_subject"] == subject), None)

    def link_vneid(self, user_id: str, subject: str) -> None:
        if self.by_vneid_subject(subject):
            raise Conflict("this VNeID identity is linked to another account")
        self.tables.citizens[user_id] = {**self.tables.citizens[user_id], "vneid_subject": subject}


class InMemorySignInCodes:
    """Codes by id, in the order they were sent."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def add(self, code: SignInCode) -> None:
        self.tables.sign_in_codes[code.id] = code

    def open_for(self, phone: str) -> SignInCode | None:
        found = [c for c in self.tables.sign_in_codes.values()
                 if c.phone == phone and c.used_at is None and c.voided_at is None]
        return max(found, key=lambda c: c.created_at, default=None)

    def void_open(self, phone: str, at: datetime) -> int:
        voided = [c for c in self.tables.sign_in_codes.values()
                  if c.phone == phone and c.used_at is None and c.voided_at is None]
        for code in voided:
            self.tables.sign_in_codes[code.id] = replace(code, voided_at=at)
        return len(voided)

    def count_try(self, code_id: str, max_attempts: int) -> bool:
        code = self.tables.sign_in_codes.get(code_id)
        if code is None or code.used_at or code.voided_at or code.attempts >= max_attempts:
            return False
        self.tables.sign_in_codes[code_id] = code.tried()
        return True

    def use(self, code_id: str, at: datetime) -> bool:
        code = self.tables.sign_in_codes.get(code_id)
        if code is None or code.used_at or code.voided_at:
            return False
        self.tables.sign_in_codes[code_id] = replace(code, used_at=at)
        return True

    def sent_since(self, since: datetime, *, phone: str | None = None, address: str | None = None) -> list[datetime]:
        return sorted(c.created_at for c in self.tables.sign_in_codes.values() if c.created_at > since
                      and (phone is None or c.phone == phone) and (address is None or c.address == address))

    def forget(self, before: datetime) -> int:
        old = [i for i, c in self.tables.sign_in_codes.items() if c.created_at < before]
        for code_id in old:
            del self.tables.sign_in_codes[code_id]
        return len(old)
