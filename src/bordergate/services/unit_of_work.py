"""The unit of work port: one transaction per command; its events reach the audit trail in that transaction."""
from __future__ import annotations

import abc
from collections.abc import Callable, Iterator, Mapping, Sequence

from bordergate.domain.booking import Booking
from bordergate.domain.clearance import TripClearance
from bordergate.domain.declaration import Declaration
from bordergate.domain.events import Event
from bordergate.domain.reports import Report
from bordergate.services import idempotency
from bordergate.services.citizen_repositories import CitizenRepository, SignInCodeRepository
from bordergate.services.gate_repositories import (AlertRepository, CameraRepository, CheckpointRepository,
                                                   HoldRepository, PlateReadRepository, ReviewRepository)
from bordergate.services.queue_repositories import (BookingRepository, CapacityRepository, LaneDayRepository,
                                                    NoticeRepository, PublishedWaitRepository,
                                                    QueueSnapshotRepository, RegulationRepository, SlotRepository)
from bordergate.services.civic_repositories import CivicDocumentRepository
from bordergate.services.report_repositories import ReportRepository, UnitRepository
from bordergate.services.open311_repositories import Open311Repository
from bordergate.services.service_repositories import AllowanceRepository, ProcedureRepository
from bordergate.services.report_repositories import QuestionnaireRepository
from bordergate.services.filing_repositories import FilingRecordRepository, ReportPhotoRepository
from bordergate.services.public_report_repositories import PublicReportReads
from bordergate.services.repositories import (AccountRepository, AgencyMessageRepository, AuditRepository,
                                              ClearanceRepository, CrossingPointRepository, DeclarationRepository,
                                              FeeRepository, FleetRepository, IdempotencyKeyRepository,
                                              PersonalDataRepository, SecurityLogRepository, SessionRepository,
                                              ThrottleRepository, TripLinkRepository)

# A follower after bootstrap injected its dependencies: it changes what it must through the unit of work it is given.
Follower = Callable[[Event, "UnitOfWork"], None]
# How deep followers may follow followers' events: a chain longer than this is a follower causing what it follows
# (a bug, not a busy day); today's deepest is 1.
DEEPEST_FOLLOWING = 20


class UnitOfWork(abc.ABC):
    """Repositories for one command, committed together or not at all."""

    declarations: DeclarationRepository
    accounts: AccountRepository
    crossing_points: CrossingPointRepository
    fleet: FleetRepository
    audit: AuditRepository
    checkpoints: CheckpointRepository
    cameras: CameraRepository
    holds: HoldRepository
    reads: PlateReadRepository
    reviews: ReviewRepository
    alerts: AlertRepository
    capacity: CapacityRepository
    slots: SlotRepository
    bookings: BookingRepository
    regulation: RegulationRepository
    notices: NoticeRepository
    snapshots: QueueSnapshotRepository
    clearances: ClearanceRepository
    agency_messages: AgencyMessageRepository
    fees: FeeRepository
    lane_days: LaneDayRepository
    security: SecurityLogRepository
    personal: PersonalDataRepository
    sessions: SessionRepository
    throttles: ThrottleRepository
    idempotency_keys: IdempotencyKeyRepository
    trip_links: TripLinkRepository
    published_waits: PublishedWaitRepository
    # Citizens' reports (issue 17).
    reports: ReportRepository
    units: UnitRepository
    # Open311 GeoReport v2 (issue 17): clients and the requests they posted.
    open311: Open311Repository
    citizens: CitizenRepository
    sign_in_codes: SignInCodeRepository
    # Public services (issue 17): the procedures catalogue, the border-resident allowance.
    procedures: ProcedureRepository
    allowance: AllowanceRepository
    civic: CivicDocumentRepository  # civic data's published versions (issue 17)
    questionnaires: QuestionnaireRepository
    filing: FilingRecordRepository  # rate counters, standings, filings remembered
    report_photos: ReportPhotoRepository
    public_reports: PublicReportReads  # the public list and statistics (reads only)

    def __init__(self) -> None:
        # Set by the factory bootstrap builds (services/handlers.py IN_TRANSACTION, dependencies injected).
        self.followers: Mapping[type[Event], Sequence[Follower]] = {}
        self._recorded: list[Event] = []
        self._published: list[Event] = []
        self._refusing = False

    def __enter__(self) -> UnitOfWork:
        self._recorded = []
        self._refusing = False
        return self

    def __exit__(self, *exc: object) -> None:
        self.rollback()

    def record(self, event: Event) -> None:
        """Note an event that is not raised by an aggregate (accounts, reference data, fees)."""
        self._take_aggregate_events()  # what the aggregates raised so far happened before this
        self._recorded.append(event)

    def commit(self) -> None:
        """Run the followers of every pending event (services/handlers.py IN_TRANSACTION), write the events to the
        audit trail, then commit the change, what followed it and the trail at once."""
        self._take_aggregate_events()
        events, self._recorded = self._recorded, []
        if not self._refusing:
            events = self._followed(events)
            idempotency.settle(self, events)  # the request's Idempotency-Key, committed with its change
        # Last before the commit: appending takes the audit chain's head and holds it until the commit.
        self.audit.append(events)
        self._commit()
        self._published.extend(events)

    def keep_only(self, event: Event) -> None:
        """Discard what is pending and write ``event`` alone to the audit trail, committed: a refusal of an
        authenticated sender (a signed message that cannot apply, a wrong payment) must outlive the error it is
        answered with. Refusals of unauthenticated requests never come here (services/refusals.py)."""
        self.rollback()
        self._take_aggregate_events()  # taken only to be dropped with the rest
        self._recorded = [event]
        self._refusing = True  # a refusal answers an error: it must not use up the request's Idempotency-Key
        self.commit()

    def _followed(self, events: list[Event]) -> list[Event]:
        """The events, each with what its followers caused told right after it, and followed in turn: the trail
        reads in the order things happened (a declaration, its checks, its fee; then the next declaration)."""
        done: list[Event] = []
        for event in events:
            self._follow(event, done, 0)
        return done

    def _follow(self, event: Event, done: list[Event], depth: int) -> None:
        done.append(event)
        if depth > DEEPEST_FOLLOWING:
            raise RuntimeError(f"followers of {type(event).__name__} keep causing events; see IN_TRANSACTION")
        for follower in self.followers.get(type(event), ()):
            follower(event, self)
            self._take_aggregate_events()
            caused, self._recorded = self._recorded, []
            for later in caused:  # followed before the next follower runs: the trail is the order things ran in
                self._follow(later, done, depth + 1)

    def _take_aggregate_events(self) -> None:
        """Move the events the loaded aggregates raised into the pending list, keeping the order they happened in."""
        aggregates: list[Declaration | Booking | TripClearance | Report] = [
            *self.declarations.seen, *self.bookings.seen, *self.clearances.seen, *self.reports.seen]
        for aggregate in aggregates:
            self._recorded.extend(aggregate.events)
            aggregate.events.clear()

    def collect_new_events(self) -> Iterator[Event]:
        """Events of committed changes, for the message bus to pass to their handlers."""
        while self._published:
            yield self._published.pop(0)

    @abc.abstractmethod
    def _commit(self) -> None: ...

    @abc.abstractmethod
    def rollback(self) -> None: ...
