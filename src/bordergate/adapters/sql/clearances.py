"""Trip clearances and agency checks in SQL, the agencies' inbox and dwell queries, agency systems' messages."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from bordergate.adapters.sql.tables import (agency_checks, agency_messages, clearances, declarations, plate_reads)
from bordergate.domain.clearance import AgencyCheck, CheckStatus, Source, TripClearance
from bordergate.domain.declaration import DeclarationStatus
from bordergate.domain.errors import ChangedMeanwhile, Conflict
from bordergate.domain.inspection import Agency, Channel

c, k = clearances.c, agency_checks.c
_CHECKS = select(agency_checks).where(k.reference == bindparam("reference")).order_by(k.position)
# An enterprise's history for the customs channel, counted on every submit: built once, not per call.
_CROSSED_SINCE = select(func.count()).select_from(declarations).where(
    declarations.c.enterprise_id == bindparam("enterprise_id"),
    declarations.c.status == DeclarationStatus.CROSSED.value, declarations.c.submitted_at >= bindparam("since"))
_REFUSED_SINCE = select(func.count()).select_from(agency_checks.join(clearances, c.reference == k.reference)).where(
    c.enterprise_id == bindparam("enterprise_id"), k.status == CheckStatus.REFUSED.value,
    k.decided_at >= bindparam("since"))
# Both in one statement (one round trip a submit fewer), each count as it was.
_HISTORY = select(_CROSSED_SINCE.scalar_subquery(), _REFUSED_SINCE.scalar_subquery())

_OUTSTANDING = (select(agency_checks)
                .where(k.reference == bindparam("reference"),
                       k.status.not_in([CheckStatus.RELEASED.value, CheckStatus.WITHDRAWN.value]))
                .order_by(k.position))
_WAITING_ON_AGENCY = [s.value for s in CheckStatus if s.waits_on_agency]


def _check(row) -> AgencyCheck:
    return AgencyCheck(Agency(row["agency"]), row["why"], CheckStatus(row["status"]), row["opened_at"],
                       row["first_action_at"], row["decided_at"], row["decided_by"],
                       Source(row["source"]) if row["source"] else None, row["hold_reason"], tuple(row["needs"]),
                       row["answer"])


def _check_row(clearance: TripClearance, position: int, check: AgencyCheck) -> dict[str, Any]:
    return {"reference": clearance.reference, "agency": check.agency.value,
            "crossing_point": clearance.crossing_point, "position": position, "why": check.why,
            "status": check.status.value, "opened_at": check.opened_at, "first_action_at": check.first_action_at,
            "decided_at": check.decided_at, "decided_by": check.decided_by,
            "source": check.source.value if check.source else None, "hold_reason": check.hold_reason,
            "needs": list(check.needs), "answer": check.answer}


class SqlClearances:
    """TripClearance aggregates; a save checks the version so two officers never overwrite each other."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.seen: list[TripClearance] = []

    def add(self, clearance: TripClearance) -> None:
        self.connection.execute(insert(clearances), self._row(clearance))
        self._write_checks(clearance)
        self.seen.append(clearance)

    def get(self, reference: str) -> TripClearance | None:
        """The trip's clearance; one already loaded in this unit of work is handed back, not read again."""
        for clearance in self.seen:
            if clearance.reference == reference:
                return clearance
        row = self.connection.execute(select(clearances).where(c.reference == reference)).mappings().first()
        if row is None:
            return None
        checks = [_check(r) for r in self.connection.execute(_CHECKS, {"reference": reference}).mappings()]
        clearance = TripClearance(
            row["reference"], row["crossing_point"], row["enterprise_id"], row["rule_version"],
            {check.agency: check for check in checks}, Channel(row["channel"]) if row["channel"] else None,
            tuple(row["channel_reasons"]), Source(row["channel_source"]) if row["channel_source"] else None,
            row["version"])
        self.seen.append(clearance)
        return clearance

    def save(self, clearance: TripClearance, loaded_version: int) -> None:
        values = self._row(clearance) | {"version": loaded_version + 1}
        del values["reference"]
        result = self.connection.execute(update(clearances).where(c.reference == clearance.reference,
                                                                  c.version == loaded_version).values(**values))
        if result.rowcount != 1:
            raise ChangedMeanwhile(f"the agency checks of {clearance.reference} were changed meanwhile; look again "
                                   "and retry")
        clearance.version = loaded_version + 1
        self.connection.execute(delete(agency_checks).where(k.reference == clearance.reference))
        self._write_checks(clearance)

    def outstanding(self, reference: str) -> tuple[AgencyCheck, ...] | None:
        """Checks still keeping the truck, or None for a trip declared before agency checks were kept."""
        rows = self.connection.execute(_OUTSTANDING, {"reference": reference}).mappings().all()
        if rows:
            return tuple(_check(row) for row in rows)
        known = self.connection.execute(select(c.reference).where(c.reference == reference)).first()
        return () if known else None

    def history(self, enterprise_id: str, since: datetime) -> tuple[int, int]:
        """Trips the enterprise crossed since, and checks an agency refused since (its violations)."""
        asked = {"enterprise_id": enterprise_id, "since": since}
        crossed, refused = self.connection.execute(_HISTORY, asked).one()
        return int(crossed), int(refused)

    def inbox(self, agencies: tuple[Agency, ...], crossing_point: str, limit: int) -> list[dict[str, Any]]:
        """Open trips at the crossing point with a check waiting on one of the agencies (or on the declarant),
        with when the truck was first read at the gate."""
        d = declarations.c
        arrived = (select(func.min(plate_reads.c.captured_at)).where(plate_reads.c.reference == k.reference)
                   .scalar_subquery())
        rows = self.connection.execute(
            select(agency_checks, c.channel, c.channel_reasons, c.channel_source, d.trip, d.enterprise_id,
                   d.tractor_plate, arrived.label("arrived_at"))
            .join(clearances, c.reference == k.reference).join(declarations, d.reference == k.reference)
            .where(k.agency.in_([a.value for a in agencies]), k.crossing_point == crossing_point,
                   k.status.in_([*_WAITING_ON_AGENCY, CheckStatus.HELD.value]),
                   d.status == DeclarationStatus.SUBMITTED.value)
            # Trucks already at the gate first, in the order they came: an officer's next job is the truck in
            # front of them; ordered before the limit, so a full inbox never leaves them out.
            .order_by(arrived.is_(None), func.coalesce(arrived, k.opened_at), k.reference).limit(limit)).mappings()
        return [dict(row) for row in rows]

    def worked(self, crossing_point: str, since: datetime, until: datetime) -> list[dict[str, Any]]:
        """Checks decided in the period, with the truck's first read at the gate: the dwell times' raw data."""
        arrived = (select(func.min(plate_reads.c.captured_at)).where(plate_reads.c.reference == k.reference)
                   .scalar_subquery())
        rows = self.connection.execute(
            select(k.agency, k.status, k.source, k.opened_at, k.first_action_at, k.decided_at,
                   arrived.label("arrived_at"))
            .where(k.crossing_point == crossing_point, k.decided_at >= since, k.decided_at < until,
                   k.status.in_([CheckStatus.RELEASED.value, CheckStatus.REFUSED.value]))).mappings()
        return [dict(row) for row in rows]

    def _write_checks(self, clearance: TripClearance) -> None:
        self.connection.execute(insert(agency_checks), [_check_row(clearance, i, check)
                                                        for i, check in enumerate(clearance.checks.values())])

    @staticmethod
    def _row(clearance: TripClearance) -> dict[str, Any]:
        return {"reference": clearance.reference, "crossing_point": clearance.crossing_point,
                "enterprise_id": clearance.enterprise_id, "rule_version": clearance.rule_version,
                "channel": clearance.channel.value if clearance.channel else None,
                "channel_reasons": list(clearance.channel_reasons),
                "channel_source": clearance.channel_source.value if clearance.channel_source else None,
                "version": clearance.version}


class SqlAgencyMessages:
    """Messages agencies' systems sent, by their id: a retry finds the first answer here."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get(self, agency: str, message_id: str) -> dict[str, Any] | None:
        row = self.connection.execute(select(agency_messages).where(and_(
            agency_messages.c.agency == agency, agency_messages.c.message_id == message_id))).mappings().first()
        return dict(row) if row else None

    def add(self, agency: str, message_id: str, digest: str, at: datetime, outcome: dict[str, Any]) -> None:
        try:
            with self.connection.begin_nested():
                self.connection.execute(insert(agency_messages).values(
                    agency=agency, message_id=message_id, digest=digest, received_at=at, outcome=outcome))
        except IntegrityError:
            # The same message raced in twice: the other copy is applied; this one must not be.
            raise Conflict(f"message {message_id} is being applied by another request; send it again to get "
                           "its answer") from None
