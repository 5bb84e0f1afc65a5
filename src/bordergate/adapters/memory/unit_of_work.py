"""The in-memory unit of work: the repositories' twins over shared Tables, committed or rolled back by snapshot."""
from __future__ import annotations

from typing import Any

from bordergate.adapters.memory.accounts import InMemoryAccounts
from bordergate.adapters.memory.agencies import InMemoryAgencyMessages, InMemoryClearances
from bordergate.adapters.memory.alerts import InMemoryAlerts, InMemoryReviews
from bordergate.adapters.memory.audit import InMemoryAudit
from bordergate.adapters.memory.capacity import (InMemoryCapacity, InMemoryPublishedWaits, InMemoryQueueSnapshots,
                                                 InMemoryRegulation, InMemorySlots)
from bordergate.adapters.memory.declarations import InMemoryDeclarations, InMemoryFleet, InMemoryTripLinks
from bordergate.adapters.memory.fees import InMemoryFees
from bordergate.adapters.memory.gate import InMemoryCameras, InMemoryCheckpoints, InMemoryHolds, InMemoryPlateReads
from bordergate.adapters.memory.lane_days import InMemoryLaneDays
from bordergate.adapters.memory.queue import InMemoryBookings, InMemoryNotices
from bordergate.adapters.memory.reference import InMemoryCrossingPoints
from bordergate.adapters.memory.reports import InMemoryReports, InMemoryUnits
from bordergate.adapters.memory.retention import InMemoryPersonalData
from bordergate.adapters.memory.sessions import (InMemoryIdempotencyKeys, InMemorySecurityLog, InMemorySessions,
                                                 InMemoryThrottles)
from bordergate.adapters.memory.tables import Tables
from bordergate.services.gate_repositories import (AlertRepository, CameraRepository, CheckpointRepository,
                                                   HoldRepository, PlateReadRepository, ReviewRepository)
from bordergate.services.queue_repositories import (BookingRepository, CapacityRepository, LaneDayRepository,
                                                    NoticeRepository, PublishedWaitRepository,
                                                    QueueSnapshotRepository, RegulationRepository, SlotRepository)
from bordergate.services.report_repositories import ReportRepository, UnitRepository
from bordergate.services.repositories import (AccountRepository, AgencyMessageRepository, AuditRepository,
                                              ClearanceRepository, CrossingPointRepository, DeclarationRepository,
                                              FeeRepository, FleetRepository, IdempotencyKeyRepository,
                                              PersonalDataRepository, SecurityLogRepository, SessionRepository,
                                              ThrottleRepository, TripLinkRepository)
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
        self.declarations: DeclarationRepository = InMemoryDeclarations(t)
        self.accounts: AccountRepository = InMemoryAccounts(t)
        self.crossing_points: CrossingPointRepository = InMemoryCrossingPoints(t)
        self.fleet: FleetRepository = InMemoryFleet(t)
        self.trip_links: TripLinkRepository = InMemoryTripLinks(t)
        self.audit: AuditRepository = InMemoryAudit(t)
        self.checkpoints: CheckpointRepository = InMemoryCheckpoints(t)
        self.cameras: CameraRepository = InMemoryCameras(t)
        self.holds: HoldRepository = InMemoryHolds(t)
        self.reads: PlateReadRepository = InMemoryPlateReads(t)
        self.clearances: ClearanceRepository = InMemoryClearances(t)
        self.fees: FeeRepository = InMemoryFees(t)
        self.bookings: BookingRepository = InMemoryBookings(t)
        self.notices: NoticeRepository = InMemoryNotices(t)
        self.reviews: ReviewRepository = InMemoryReviews(t)
        self.alerts: AlertRepository = InMemoryAlerts(t)
        self.capacity: CapacityRepository = InMemoryCapacity(t)
        self.slots: SlotRepository = InMemorySlots(t)
        self.regulation: RegulationRepository = InMemoryRegulation(t)
        self.snapshots: QueueSnapshotRepository = InMemoryQueueSnapshots(t)
        self.lane_days: LaneDayRepository = InMemoryLaneDays(t)
        self.published_waits: PublishedWaitRepository = InMemoryPublishedWaits(t)
        self.agency_messages: AgencyMessageRepository = InMemoryAgencyMessages(t)
        self.security: SecurityLogRepository = InMemorySecurityLog(t)
        self.personal: PersonalDataRepository = InMemoryPersonalData(t)
        self.sessions: SessionRepository = InMemorySessions(t)
        self.throttles: ThrottleRepository = InMemoryThrottles(t)
        self.idempotency_keys: IdempotencyKeyRepository = InMemoryIdempotencyKeys(t)
        self.reports: ReportRepository = InMemoryReports(t)
        self.units: UnitRepository = InMemoryUnits(t)
        return self

    def _commit(self) -> None:
        if self.read_only:
            raise RuntimeError("a read-only unit of work cannot commit; use the message bus for changes")
        self._snapshot = self.tables.snapshot()
        self.committed = True

    def rollback(self) -> None:
        if self._snapshot is not None:
            self.tables.restore(self._snapshot)
