"""The SQL unit of work: one database connection and transaction per command."""
from __future__ import annotations

from sqlalchemy import Connection, Engine

from bordergate.adapters.sql.accounts import SqlAccounts
from bordergate.adapters.sql.alerts import SqlAlerts
from bordergate.adapters.sql.audit import SqlAudit
from bordergate.adapters.sql.citizens import SqlCitizens, SqlSignInCodes
from bordergate.adapters.sql.clearances import SqlAgencyMessages, SqlClearances
from bordergate.adapters.sql.board_queries import SqlLaneDay
from bordergate.adapters.sql.checkpoints import SqlCameras, SqlCheckpoints, SqlHolds
from bordergate.adapters.sql.database import READ_ONLY, sqlite_writer_lock
from bordergate.adapters.sql.declarations import SqlDeclarations
from bordergate.adapters.sql.fees import SqlFees
from bordergate.adapters.sql.idempotency import SqlIdempotencyKeys
from bordergate.adapters.sql.notices import SqlNotices
from bordergate.adapters.sql.published_waits import SqlPublishedWaits
from bordergate.adapters.sql.plate_reads import SqlPlateReads, SqlReviews
from bordergate.adapters.sql.sessions import SqlSessions, SqlThrottles
from bordergate.adapters.sql.queue import SqlBookings, SqlCapacity, SqlQueueSnapshots, SqlRegulation, SqlSlots
from bordergate.adapters.sql.reference_data import SqlCrossingPoints, SqlFleet
from bordergate.adapters.sql.reports import SqlReports, SqlUnits
from bordergate.adapters.sql.open311 import SqlOpen311
from bordergate.adapters.sql.services import SqlAllowance, SqlProcedures
from bordergate.adapters.sql.civic import SqlCivicDocuments
from bordergate.adapters.sql.questionnaires import SqlQuestionnaires
from bordergate.adapters.sql.public_reports import SqlPublicReports
from bordergate.adapters.sql.retention import SqlPersonalData
from bordergate.adapters.sql.security_log import SqlSecurityLog
from bordergate.adapters.sql.trip_links import SqlTripLinks
from bordergate.adapters.sql.filing import SqlFilingRecords, SqlReportPhotos
from bordergate.services.unit_of_work import UnitOfWork


WRITER_WAIT_SECONDS = 30


class SqlUnitOfWork(UnitOfWork):
    """Takes a pooled connection on enter and gives it back on exit; uncommitted work is rolled back.

    Core statements on a plain Connection: the ORM Session's identity map would be pure overhead here, since
    repositories map rows to domain objects themselves.
    """

    def __init__(self, engine: Engine, read_only: bool = False) -> None:
        super().__init__()
        self.engine = engine
        self.read_only = read_only
        self.connection: Connection | None = None

    def __enter__(self) -> SqlUnitOfWork:
        super().__enter__()
        self._lock = None if self.read_only else sqlite_writer_lock(self.engine)
        if self._lock and not self._lock.acquire(timeout=WRITER_WAIT_SECONDS):
            raise TimeoutError(f"waited {WRITER_WAIT_SECONDS} s for the SQLite write lock; "
                               "use PostgreSQL for this load")
        try:
            self.connection = self.engine.connect()
        except BaseException:
            # A database that cannot be reached must not leave the next writers waiting on our lock.
            if self._lock:
                self._lock.release()
            raise
        # Read by the SQLite begin hook: readers need no write lock, so they never queue behind writers.
        self.connection.info[READ_ONLY] = self.read_only
        if self.read_only and self.engine.dialect.name == "postgresql":
            # Views read without BEGIN/ROLLBACK around them: two round trips fewer for each screen or answer.
            self.connection = self.connection.execution_options(isolation_level="AUTOCOMMIT")
        self.declarations = SqlDeclarations(self.connection)
        self.accounts = SqlAccounts(self.connection)
        self.crossing_points = SqlCrossingPoints(self.connection)
        self.fleet = SqlFleet(self.connection)
        self.audit = SqlAudit(self.connection)
        self.checkpoints = SqlCheckpoints(self.connection)
        self.cameras = SqlCameras(self.connection)
        self.holds = SqlHolds(self.connection)
        self.reads = SqlPlateReads(self.connection)
        self.reviews = SqlReviews(self.connection)
        self.alerts = SqlAlerts(self.connection)
        self.capacity = SqlCapacity(self.connection)
        self.slots = SqlSlots(self.connection)
        self.bookings = SqlBookings(self.connection)
        self.regulation = SqlRegulation(self.connection)
        self.notices = SqlNotices(self.connection)
        self.snapshots = SqlQueueSnapshots(self.connection)
        self.clearances = SqlClearances(self.connection)
        self.agency_messages = SqlAgencyMessages(self.connection)
        self.fees = SqlFees(self.connection)
        self.lane_days = SqlLaneDay(self.connection)
        self.security = SqlSecurityLog(self.connection)
        self.personal = SqlPersonalData(self.connection)
        self.trip_links = SqlTripLinks(self.connection)
        self.sessions = SqlSessions(self.connection)
        self.throttles = SqlThrottles(self.connection)
        self.idempotency_keys = SqlIdempotencyKeys(self.connection)
        self.published_waits = SqlPublishedWaits(self.connection)
        self.reports = SqlReports(self.connection)
        self.units = SqlUnits(self.connection)
        self.open311 = SqlOpen311(self.connection)
        self.citizens = SqlCitizens(self.connection)
        self.sign_in_codes = SqlSignInCodes(self.connection)
        self.procedures = SqlProcedures(self.connection)
        self.allowance = SqlAllowance(self.connection)
        self.civic = SqlCivicDocuments(self.connection)
        self.questionnaires = SqlQuestionnaires(self.connection)
        self.filing = SqlFilingRecords(self.connection)
        self.report_photos = SqlReportPhotos(self.connection)
        self.public_reports = SqlPublicReports(self.connection)
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            super().__exit__(*exc)
            self.connection.close()
        finally:
            if self._lock:
                self._lock.release()

    def _commit(self) -> None:
        if self.read_only:
            raise RuntimeError("a read-only unit of work cannot commit; use the message bus for changes")
        self.connection.commit()

    def rollback(self) -> None:
        self.connection.rollback()
