"""Citizens' reports and handling units in SQL: a report is one row, saved only over the version it was read at."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from bordergate.adapters.sql.report_assignment_tables import report_assignments, report_trip_links, unit_phones
from bordergate.adapters.sql.report_tables import report_followers, reports, units
from bordergate.adapters.sql.tables import users
from bordergate.domain.accounts import Role
from bordergate.domain.report_assignments import AssignmentRecord, records_after
from bordergate.domain.errors import ChangedMeanwhile, Conflict, NotFound
from bordergate.domain.report_states import ReportState, Resolution
from bordergate.domain.reports import Assignment, Place, Report
from bordergate.domain.units import UnitProfile

r = reports.c
_OPEN = (ReportState.RECEIVED.value, ReportState.IN_PROGRESS.value, ReportState.AWAITING_REPORTER.value)


def _row(report: Report) -> dict[str, Any]:
    a, p = report.assignment, report.place
    return {
        "id": report.id, "tracking_code": report.tracking_code, "category_code": report.category_code,
        "urgent": report.urgent, "never_public": report.never_public, "state": report.state.value,
        "resolution": report.resolution.value if report.resolution else None, "unit_code": a.unit_code,
        "reporter_user_id": report.reporter_user_id, "secret_digest": report.secret_digest,
        "contact_phone": report.contact_phone, "source": report.source, "lat": p.lat, "lon": p.lon,
        "accuracy_m": p.accuracy_m, "address_text": p.address_text, "commune_code": p.commune_code,
        "place_source": p.source, "description": report.description, "attributes": report.attributes,
        "answer_text": report.answer_text, "filed_at": report.filed_at, "answered_at": report.answered_at,
        "closed_at": report.closed_at, "answers": report.answers, "rated_answer": report.rated_answer,
        "reopen_count": report.reopen_count, "transfer_count": report.transfer_count,
        "duplicate_of": report.duplicate_of, "hidden": report.hidden,
        "assigned_at": a.assigned_at, "accept_due": a.accept_due, "answer_due": a.answer_due,
        "assignment_urgent": a.urgent, "accepted_at": a.accepted_at, "paused_since": a.paused_since,
        "reply_due": a.reply_due, "near_flagged_stage": a.near_flagged_stage, "overdue_stage": a.overdue_stage,
        "version": report.version, "escalated_stage": a.escalated_stage,
        "category_version": report.category_version, "routing_version": report.routing_version,
    }


def _report(row: RowMapping) -> Report:
    return Report(
        id=row["id"], tracking_code=row["tracking_code"], category_code=row["category_code"],
        urgent=row["urgent"], never_public=row["never_public"],
        place=Place(row["lat"], row["lon"], row["accuracy_m"], row["address_text"], row["commune_code"],
                    row["place_source"]),
        description=row["description"], attributes=dict(row["attributes"]),
        reporter_user_id=row["reporter_user_id"], secret_digest=row["secret_digest"],
        contact_phone=row["contact_phone"], source=row["source"], filed_at=row["filed_at"],
        assignment=Assignment(row["unit_code"], row["assigned_at"], row["accept_due"], row["answer_due"],
                              row["assignment_urgent"], row["accepted_at"], row["paused_since"], row["reply_due"],
                              row["near_flagged_stage"], row["overdue_stage"], row["escalated_stage"]),
        state=ReportState(row["state"]), resolution=Resolution(row["resolution"]) if row["resolution"] else None,
        answer_text=row["answer_text"], answered_at=row["answered_at"], closed_at=row["closed_at"],
        answers=row["answers"], rated_answer=row["rated_answer"], reopen_count=row["reopen_count"],
        transfer_count=row["transfer_count"], duplicate_of=row["duplicate_of"],
        hidden=row["hidden"], version=row["version"],
        category_version=row["category_version"], routing_version=row["routing_version"])


class SqlReports:
    """Reports by tracking code; a save checks the version it was read at."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.seen: list[Report] = []

    def add(self, report: Report) -> None:
        try:
            with self.connection.begin_nested():
                self.connection.execute(insert(reports), _row(report))
        except IntegrityError:
            raise Conflict(f"tracking code {report.tracking_code} is taken; try again") from None
        self._write_assignments(report)
        self.seen.append(report)

    def get(self, tracking_code: str) -> Report | None:
        row = self.connection.execute(select(reports).where(r.tracking_code == tracking_code)).mappings().first()
        if row is None:
            return None
        report = _report(row)
        self.seen.append(report)
        return report

    def save(self, report: Report, loaded_version: int) -> None:
        result = self.connection.execute(update(reports).where(
            r.tracking_code == report.tracking_code, r.version == loaded_version).values(**_row(report)))
        if result.rowcount != 1:
            raise ChangedMeanwhile(f"report {report.tracking_code} was changed meanwhile; try again")
        self._write_assignments(report)

    def _write_assignments(self, report: Report) -> None:
        ra = report_assignments.c
        row = self.connection.execute(select(report_assignments).where(ra.tracking_code == report.tracking_code)
                                      .order_by(ra.seq.desc()).limit(1)).mappings().first()
        latest = AssignmentRecord(**row) if row is not None else None
        for record in records_after(latest, report):
            values = vars(record)
            if latest is not None and record.seq == latest.seq:
                self.connection.execute(update(report_assignments).where(
                    ra.tracking_code == record.tracking_code, ra.seq == record.seq).values(**values))
            else:
                self.connection.execute(insert(report_assignments).values(**values))

    def assignments_between(self, since: datetime, until: datetime) -> list[AssignmentRecord]:
        ra = report_assignments.c
        rows = self.connection.execute(select(report_assignments).where(
            ra.assigned_at >= since, ra.assigned_at < until).order_by(ra.assigned_at, ra.tracking_code, ra.seq))
        return [AssignmentRecord(**row) for row in rows.mappings()]

    def escalated(self, limit: int) -> list[Report]:
        rows = self.connection.execute(select(reports).where(
            r.state.in_((ReportState.RECEIVED.value, ReportState.IN_PROGRESS.value)), r.escalated_stage.is_not(None))
            .order_by(r.answer_due, r.tracking_code).limit(limit)).mappings()
        return [_report(row) for row in rows]

    def open_of_categories(self, categories: tuple[str, ...]) -> list[Report]:
        rows = self.connection.execute(select(reports).where(
            r.category_code.in_(categories), r.state.in_(_OPEN)).order_by(r.filed_at, r.tracking_code)).mappings()
        return [_report(row) for row in rows]

    def link_trip(self, tracking_code: str, crossing_point: str, reference: str, by: str, at: datetime) -> None:
        t = report_trip_links.c
        self.connection.execute(delete(report_trip_links).where(t.tracking_code == tracking_code))
        self.connection.execute(insert(report_trip_links).values(
            tracking_code=tracking_code, crossing_point=crossing_point, declaration_reference=reference,
            linked_by=by, linked_at=at))

    def trip_links(self, tracking_codes: list[str]) -> dict[str, str]:
        t = report_trip_links.c
        rows = self.connection.execute(select(t.tracking_code, t.declaration_reference)
                                       .where(t.tracking_code.in_(tracking_codes)))
        return {code: reference for code, reference in rows}

    def of_unit(self, unit_code: str, states: tuple[str, ...]) -> list[Report]:
        rows = self.connection.execute(select(reports).where(r.unit_code == unit_code, r.state.in_(states))
                                       .order_by(r.answer_due, r.tracking_code)).mappings()
        return [_report(row) for row in rows]

    def by_reporter(self, user_id: str) -> list[Report]:
        rows = self.connection.execute(select(reports).where(r.reporter_user_id == user_id)
                                       .order_by(r.filed_at.desc(), r.tracking_code)).mappings()
        return [_report(row) for row in rows]

    def answered_before(self, before: datetime) -> list[Report]:
        rows = self.connection.execute(select(reports).where(
            r.state == ReportState.ANSWERED.value, r.answered_at < before).order_by(r.answered_at, r.tracking_code)
        ).mappings()
        found = [_report(row) for row in rows]
        self.seen.extend(found)  # loaded to be closed: their events are collected with the unit of work's
        return found


    def open_at_units(self, limit: int) -> list[Report]:
        rows = self.connection.execute(select(reports).where(
            r.state.in_((ReportState.RECEIVED.value, ReportState.IN_PROGRESS.value)))
            .order_by(r.answer_due, r.tracking_code).limit(limit)).mappings()
        found = [_report(row) for row in rows]
        self.seen.extend(found)  # loaded for the timer to flag: their events are collected with the unit of work's
        return found


    def near(self, category_code: str, box: tuple[float, float, float, float], since: datetime) -> list[Report]:
        south, north, west, east = box
        rows = self.connection.execute(select(reports).where(
            r.category_code == category_code, r.filed_at >= since, r.lat.between(south, north),
            r.lon.between(west, east)).order_by(r.tracking_code)).mappings()
        return [_report(row) for row in rows]

    def follow(self, tracking_code: str, user_id: str, at: datetime) -> bool:
        try:
            with self.connection.begin_nested():
                self.connection.execute(insert(report_followers).values(tracking_code=tracking_code,
                                                                        user_id=user_id, since=at))
        except IntegrityError:
            return False
        return True

    def unfollow(self, tracking_code: str, user_id: str) -> bool:
        f = report_followers.c
        result = self.connection.execute(delete(report_followers).where(f.tracking_code == tracking_code,
                                                                        f.user_id == user_id))
        return result.rowcount == 1

    def followers(self, tracking_code: str) -> list[str]:
        f = report_followers.c
        return list(self.connection.execute(select(f.user_id).where(f.tracking_code == tracking_code)
                                            .order_by(f.since, f.user_id)).scalars())

    def followed_by(self, user_id: str) -> list[str]:
        f = report_followers.c
        return list(self.connection.execute(select(f.tracking_code).where(f.user_id == user_id)
                                            .order_by(f.since.desc(), f.tracking_code)).scalars())


class SqlUnits:
    """Handling units by code."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, unit_code: str, organisation_id: str, coordinating: bool) -> None:
        try:
            with self.connection.begin_nested():
                self.connection.execute(insert(units).values(code=unit_code, organisation_id=organisation_id,
                                                             coordinating=coordinating))
        except IntegrityError:
            raise Conflict(f"unit {unit_code} exists already") from None

    def organisation_of(self, unit_code: str) -> str | None:
        found: str | None = self.connection.execute(
            select(units.c.organisation_id).where(units.c.code == unit_code)).scalar()
        return found

    def coordinating(self) -> str | None:
        found: str | None = self.connection.execute(
            select(units.c.code).where(units.c.coordinating.is_(True)).order_by(units.c.code).limit(1)).scalar()
        return found

    def set_phone(self, user_id: str, phone: str | None, at: datetime) -> None:
        self.connection.execute(delete(unit_phones).where(unit_phones.c.user_id == user_id))
        if phone is not None:
            self.connection.execute(insert(unit_phones).values(user_id=user_id, phone=phone, since=at))

    def phone_of(self, user_id: str) -> str | None:
        found: str | None = self.connection.execute(
            select(unit_phones.c.phone).where(unit_phones.c.user_id == user_id)).scalar()
        return found

    def supervisors(self, unit_code: str) -> list[tuple[str, str]]:
        u = users.c
        rows = self.connection.execute(
            select(u.id, unit_phones.c.phone).join(users, u.id == unit_phones.c.user_id)
            .join(units, units.c.organisation_id == u.organisation_id)
            .where(units.c.code == unit_code, u.role == Role.UNIT_SUPERVISOR.value, u.active.is_(True))
            .order_by(u.username))
        return [(user_id, phone) for user_id, phone in rows]

    def codes_of(self, organisation_id: str) -> list[str]:
        return list(self.connection.execute(select(units.c.code).where(units.c.organisation_id == organisation_id)
                                            .order_by(units.c.code)).scalars())

    def codes(self) -> list[str]:
        return list(self.connection.execute(select(units.c.code).order_by(units.c.code)).scalars())

    def describe(self, unit_code: str, profile: UnitProfile) -> None:
        done = self.connection.execute(update(units).where(units.c.code == unit_code).values(
            kind=profile.kind, name_vi=profile.name_vi, name_en=profile.name_en, name_zh=profile.name_zh,
            commune_code=profile.commune_code))
        if done.rowcount != 1:
            raise NotFound(f"there is no unit {unit_code}")

    def profiles(self) -> dict[str, UnitProfile]:
        rows = self.connection.execute(select(units).where(units.c.kind.is_not(None)).order_by(units.c.code))
        return {r.code: UnitProfile(r.kind, r.name_vi, r.name_en, r.name_zh, r.commune_code) for r in rows}
