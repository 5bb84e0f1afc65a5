"""The in-memory unit of work: the repositories' twins over shared Tables, committed or rolled back by snapshot."""
from __future__ import annotations

from typing import Any

from bordergate.adapters.memory.accounts import InMemoryAccounts
from bordergate.adapters.memory.agencies import InMemoryAgencyMessages, InMemoryClearances
from bordergate.adapters.memory.alerts import InMemoryAlerts, InMemoryReviews
from bordergate.adapters.memory.audit import InMemoryAudit
from bordergate.adapters.memory.citizens import InMemoryCitizens, InMemorySignInCodes
from bordergate.adapters.memory.capacity import (InMemoryCapacity, InMemoryPublishedWaits, InMemoryQueueSnapshots,
                                                 InMemoryRegulation, InMemorySlots)
from bordergate.adapters.memory.civic import InMemoryCivicDocuments
from bordergate.adapters.memory.declarations import InMemoryDeclarations, InMemoryFleet, InMemoryTripLinks
from bordergate.adapters.memory.fees import InMemoryFees
from bordergate.adapters.memory.gate import InMemoryCameras, InMemoryCheckpoints, InMemoryHolds, InMemoryPlateReads
from bordergate.adapters.memory.lane_days import InMemoryLaneDays
from bordergate.adapters.memory.queue import InMemoryBookings, InMemoryNotices
from bordergate.adapters.memory.reference import InMemoryCrossingPoints
from bordergate.adapters.memory.reports import InMemoryReports, InMemoryUnits
from bordergate.adapters.memory.open311 import InMemoryOpen311
from bordergate.adapters.memory.questionnaires import InMemoryQuestionnaires
from bordergate.adapters.memory.public_reports import InMemoryPublicReports
from bordergate.adapters.memory.retention import InMemoryPersonalData
from bordergate.adapters.memory.services import InMemoryAllowance, InMemoryProcedures
from bordergate.adapters.memory.sessions import (InMemoryIdempotencyKeys, InMemorySecurityLog, InMemorySessions,
                                                 InMemoryThrottles)
from bordergate.adapters.memory.tables import Tables
from bordergate.adapters.memory.filing import InMemoryFilingRecords, InMemoryReportPhotos
from bordergate.services.unit_of_work import UnitOfWork


class InMemoryUnitOfWork(UnitOfWork):
    """One command's view of the shared Tables: a snapshot is taken on enter and put back on rollback.

    Every repository has a twin; the few questions only SQL's indexes answer (matching a plate, retention's
    erasure) raise NotImplementedError rather than pass on a stand-in.
    """

    def __init__(self, tables: Tables | None = None, read_only: bool = False) -> None:
        super().__init__()
        self.tables = tables if tables is not None else Tables()
        self.read_only = read_only
        self._snapshot: dict[str, Any] | None = None
        self.committed = False  # whether any commit happened: a refused command leaves it False

    def __enter__(self) -> InMemoryUnitOfWork:
        super().__enter__()
        self._snapshot = self.tables.snapshot()
        t = self.tables
        self.declarations = InMemoryDeclarations(t)
        self.accounts = InMemoryAccounts(t)
        self.crossing_points = InMemoryCrossingPoints(t)
        self.fleet = InMemoryFleet(t)
        self.trip_links = InMemoryTripLinks(t)
        self.audit = InMemoryAudit(t)
        self.checkpoints = InMemoryCheckpoints(t)
        self.cameras = InMemoryCameras(t)
        self.holds = InMemoryHolds(t)
        self.reads = InMemoryPlateReads(t)
        self.clearances = InMemoryClearances(t)
        self.fees = InMemoryFees(t)
        self.bookings = InMemoryBookings(t)
        self.notices = InMemoryNotices(t)
        self.reviews = InMemoryReviews(t)
        self.alerts = InMemoryAlerts(t)
        self.capacity = InMemoryCapacity(t)
        self.slots = InMemorySlots(t)
        self.regulation = InMemoryRegulation(t)
        self.snapshots = InMemoryQueueSnapshots(t)
        self.lane_days = InMemoryLaneDays(t)
        self.published_waits = InMemoryPublishedWaits(t)
        self.agency_messages = InMemoryAgencyMessages(t)
        self.security = InMemorySecurityLog(t)
        self.personal = InMemoryPersonalData(t)
        self.sessions = InMemorySessions(t)
        self.throttles = InMemoryThrottles(t)
        self.idempotency_keys = InMemoryIdempotencyKeys(t)
        self.reports = InMemoryReports(t)
        self.units = InMemoryUnits(t)
        self.open311 = InMemoryOpen311(t)
        self.citizens = InMemoryCitizens(t)
        self.sign_in_codes = InMemorySignInCodes(t)
        self.procedures = InMemoryProcedures(t)
        self.allowance = InMemoryAllowance(t)
        self.civic = InMemoryCivicDocuments(t)
        self.questionnaires = InMemoryQuestionnaires(t)
        self.filing = InMemoryFilingRecords(t)
        self.report_photos = InMemoryReportPhotos(t)
        self.public_reports = InMemoryPublicReports(t)
        return self

    def _commit(self) -> None:
        if self.read_only:
            raise RuntimeError("a read-only unit of work cannot commit; use the message bus for changes")
        self._snapshot = self.tables.snapshot()
        self.committed = True

    def rollback(self) -> None:
        if self._snapshot is not None:
            self.tables.restore(self._snapshot)
