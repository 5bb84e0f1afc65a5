"""In-memory twin of the accounts: organisations, users, agents' authorisations and enterprises' contact phones."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bordergate.adapters.memory.tables import Tables, copied
from bordergate.domain.accounts import Organisation, User
from bordergate.domain.errors import Conflict


class InMemoryAccounts:
    """Organisations and users by id; an authorisation is revoked by a date, not removed."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def add_organisation(self, org: Organisation, at: datetime) -> None:
        if org.id in self.tables.organisations:
            raise Conflict(f"organisation {org.id} exists already")
        self.tables.organisations[org.id] = (copied(org), at)

    def organisation(self, organisation_id: str) -> Organisation | None:
        found = self.tables.organisations.get(organisation_id)
        return copied(found[0]) if found else None

    def organisation_by_tax_code(self, tax_code: str) -> Organisation | None:
        return next((copied(o) for o, _ in self.tables.organisations.values() if o.tax_code == tax_code), None)

    def list_organisations(self) -> list[Organisation]:
        return sorted((copied(o) for o, _ in self.tables.organisations.values()), key=lambda o: o.name)

    def list_users(self) -> list[User]:
        return sorted((copied(u) for u in self.tables.users.values()), key=lambda u: u.username)

    def add_user(self, user: User, at: datetime) -> None:
        if user.id in self.tables.users or self.user_by_username(user.username):
            raise Conflict(f"user {user.username} exists already")
        self.tables.users[user.id] = copied(user)

    def user_by_username(self, username: str) -> User | None:
        return next((copied(u) for u in self.tables.users.values() if u.username == username), None)

    def user(self, user_id: str) -> User | None:
        found = self.tables.users.get(user_id)
        return copied(found) if found else None

    def set_password(self, user_id: str, password_hash: str) -> None:
        if user_id in self.tables.users:
            self.tables.users[user_id] = replace(self.tables.users[user_id], password_hash=password_hash)

    def deactivate(self, user_id: str) -> bool:
        found = self.tables.users.get(user_id)
        if found is None or not found.active:
            return False
        self.tables.users[user_id] = replace(found, active=False)
        return True

    def authorise(self, enterprise_id: str, agency_id: str, by: str, at: datetime) -> None:
        self.tables.agents[(enterprise_id, agency_id)] = None

    def revoke(self, enterprise_id: str, agency_id: str, at: datetime) -> bool:
        key = (enterprise_id, agency_id)
        if key not in self.tables.agents or self.tables.agents[key] is not None:
            return False
        self.tables.agents[key] = at
        return True

    def enterprises_represented_by(self, agency_id: str) -> frozenset[str]:
        return frozenset(e for (e, a), revoked in self.tables.agents.items() if a == agency_id and revoked is None)

    def contact_phone(self, enterprise_id: str) -> str | None:
        return self.tables.contacts.get(enterprise_id)

    def set_contact_phone(self, enterprise_id: str, phone: str | None, at: datetime) -> None:
        self.tables.contacts.pop(enterprise_id, None)
        if phone:
            self.tables.contacts[enterprise_id] = phone
