"""The SQL unit of work: one SQLAlchemy session per command."""
from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from bordergate.adapters.sql.accounts import SqlAccounts
from bordergate.adapters.sql.audit import SqlAudit
from bordergate.adapters.sql.declarations import SqlDeclarations
from bordergate.adapters.sql.reference_data import SqlCrossingPoints, SqlFleet
from bordergate.services.unit_of_work import UnitOfWork


class SqlUnitOfWork(UnitOfWork):
    """Opens a session on enter, closes it on exit; uncommitted work is rolled back."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        super().__init__()
        self.session_factory = session_factory
        self.session: Session | None = None

    def __enter__(self) -> SqlUnitOfWork:
        super().__enter__()
        self.session = self.session_factory()
        self.declarations = SqlDeclarations(self.session)
        self.accounts = SqlAccounts(self.session)
        self.crossing_points = SqlCrossingPoints(self.session)
        self.fleet = SqlFleet(self.session)
        self.audit = SqlAudit(self.session)
        return self

    def __exit__(self, *exc: object) -> None:
        super().__exit__(*exc)
        self.session.close()

    def _commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
