"""Organisations, users and agent authorisations in SQL."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, bindparam, delete, insert, select, update
from sqlalchemy import Connection

from bordergate.adapters.sql.contact_tables import enterprise_contacts
from bordergate.adapters.sql.tables import agent_authorisations, organisations, users
from bordergate.domain.accounts import Organisation, OrganisationKind, Role, User

# Built once: every authenticated request runs this, and building a statement costs more than running it.
_USER_BY_ID = select(users).where(users.c.id == bindparam("user_id"))


class SqlAccounts:
    """Who has an account, in which organisation, and which agencies act for which enterprises."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add_organisation(self, org: Organisation, at: datetime) -> None:
        self.connection.execute(insert(organisations).values(
            id=org.id, name=org.name, kind=org.kind.value, tax_code=org.tax_code, created_at=at))

    def organisation(self, organisation_id: str) -> Organisation | None:
        row = self.connection.execute(
            select(organisations).where(organisations.c.id == organisation_id)).mappings().first()
        return _organisation(row) if row else None

    def organisation_by_tax_code(self, tax_code: str) -> Organisation | None:
        row = self.connection.execute(
            select(organisations).where(organisations.c.tax_code == tax_code)).mappings().first()
        return _organisation(row) if row else None

    def list_organisations(self) -> list[Organisation]:
        rows = self.connection.execute(select(organisations).order_by(organisations.c.name)).mappings()
        return [_organisation(row) for row in rows]

    def list_users(self) -> list[User]:
        """Everyone with a sign-in, by username (for the administrators' screen)."""
        rows = self.connection.execute(select(users).order_by(users.c.username)).mappings()
        return [user_from_row(row) for row in rows]

    def add_user(self, user: User, at: datetime) -> None:
        self.connection.execute(insert(users).values(
            id=user.id, username=user.username, full_name=user.full_name, role=user.role.value,
            organisation_id=user.organisation_id, password_hash=user.password_hash, active=user.active,
            created_at=at))

    def user_by_username(self, username: str) -> User | None:
        row = self.connection.execute(select(users).where(users.c.username == username)).mappings().first()
        return user_from_row(row) if row else None

    def user(self, user_id: str) -> User | None:
        row = self.connection.execute(_USER_BY_ID, {"user_id": user_id}).mappings().first()
        return user_from_row(row) if row else None

    def set_password(self, user_id: str, password_hash: str) -> None:
        self.connection.execute(update(users).where(users.c.id == user_id).values(password_hash=password_hash))

    def deactivate(self, user_id: str) -> bool:
        """Close a person's sign-in; False when it was closed already."""
        return self.connection.execute(update(users).where(users.c.id == user_id, users.c.active.is_(True))
                                       .values(active=False)).rowcount == 1

    def authorise(self, enterprise_id: str, agency_id: str, by: str, at: datetime) -> None:
        key = and_(agent_authorisations.c.enterprise_id == enterprise_id,
                   agent_authorisations.c.agency_id == agency_id)
        if self.connection.execute(select(agent_authorisations.c.agency_id).where(key)).first():
            self.connection.execute(update(agent_authorisations).where(key).values(
                granted_by=by, granted_at=at, revoked_at=None))
        else:
            self.connection.execute(insert(agent_authorisations).values(
                enterprise_id=enterprise_id, agency_id=agency_id, granted_by=by, granted_at=at))

    def revoke(self, enterprise_id: str, agency_id: str, at: datetime) -> bool:
        result = self.connection.execute(update(agent_authorisations).where(
            agent_authorisations.c.enterprise_id == enterprise_id,
            agent_authorisations.c.agency_id == agency_id,
            agent_authorisations.c.revoked_at.is_(None)).values(revoked_at=at))
        return result.rowcount == 1

    def enterprises_represented_by(self, agency_id: str) -> frozenset[str]:
        rows = self.connection.execute(select(agent_authorisations.c.enterprise_id).where(
            agent_authorisations.c.agency_id == agency_id, agent_authorisations.c.revoked_at.is_(None)))
        return frozenset(row[0] for row in rows)

    def contact_phone(self, enterprise_id: str) -> str | None:
        """The number the enterprise is told on when an agency holds one of its trips, if it gave one."""
        return self.connection.execute(select(enterprise_contacts.c.phone).where(
            enterprise_contacts.c.enterprise_id == enterprise_id)).scalar_one_or_none()

    def set_contact_phone(self, enterprise_id: str, phone: str | None, at: datetime) -> None:
        self.connection.execute(delete(enterprise_contacts).where(enterprise_contacts.c.enterprise_id == enterprise_id))
        if phone:
            self.connection.execute(insert(enterprise_contacts).values(enterprise_id=enterprise_id, phone=phone,
                                                                       set_at=at))


def _organisation(row) -> Organisation:
    return Organisation(row["id"], row["name"], OrganisationKind(row["kind"]), row["tax_code"])


def user_from_row(row) -> User:
    return User(row["id"], row["username"], row["full_name"], Role(row["role"]), row["organisation_id"],
                row["password_hash"], row["active"])
