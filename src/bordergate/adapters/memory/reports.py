"""In-memory twins of the citizen reports and the handling units."""
from __future__ import annotations

from datetime import datetime

from bordergate.adapters.memory.tables import Tables, copied
from bordergate.domain.accounts import Role
from bordergate.domain.report_assignments import AssignmentRecord, records_after
from bordergate.domain.errors import ChangedMeanwhile, Conflict, NotFound
from bordergate.domain.report_states import ReportState
from bordergate.domain.reports import Report
from bordergate.domain.units import UnitProfile


def _kept(report: Report) -> Report:
    kept: Report = copied(report)
    kept.events.clear()
    return kept


_OPEN = (ReportState.RECEIVED, ReportState.IN_PROGRESS, ReportState.AWAITING_REPORTER)


class InMemoryReports:
    """Reports by tracking code; a save checks the version and moves it on."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables
        self.seen: list[Report] = []

    def add(self, report: Report) -> None:
        if report.tracking_code in self.tables.reports:
            raise Conflict(f"tracking code {report.tracking_code} is taken; try again")
        self.tables.reports[report.tracking_code] = _kept(report)
        self._write_assignments(report)
        self.seen.append(report)

    def get(self, tracking_code: str) -> Report | None:
        kept = self.tables.reports.get(tracking_code)
        return self._seen(kept) if kept else None

    def save(self, report: Report, loaded_version: int) -> None:
        kept = self.tables.reports.get(report.tracking_code)
        if kept is None or kept.version != loaded_version:
            raise ChangedMeanwhile(f"report {report.tracking_code} was changed meanwhile; try again")
        self.tables.reports[report.tracking_code] = _kept(report)
        self._write_assignments(report)

    def _write_assignments(self, report: Report) -> None:
        mine = [r for (code, _), r in self.tables.report_assignments.items() if code == report.tracking_code]
        latest = max(mine, key=lambda r: r.seq, default=None)
        for record in records_after(latest, report):
            self.tables.report_assignments[(record.tracking_code, record.seq)] = record

    def assignments_between(self, since: datetime, until: datetime) -> list[AssignmentRecord]:
        found = [r for r in self.tables.report_assignments.values() if since <= r.assigned_at < until]
        return sorted(found, key=lambda r: (r.assigned_at, r.tracking_code, r.seq))

    def escalated(self, limit: int) -> list[Report]:
        found = [r for r in self.tables.reports.values() if r.assignment.escalated_stage is not None
                 and r.state in (ReportState.RECEIVED, ReportState.IN_PROGRESS)]
        found.sort(key=lambda r: (r.assignment.answer_due, r.tracking_code))
        return [copied(r) for r in found[:limit]]

    def open_of_categories(self, categories: tuple[str, ...]) -> list[Report]:
        found = [r for r in self.tables.reports.values() if r.category_code in categories and r.state in _OPEN]
        return [copied(r) for r in sorted(found, key=lambda r: (r.filed_at, r.tracking_code))]

    def link_trip(self, tracking_code: str, crossing_point: str, reference: str, by: str, at: datetime) -> None:
        self.tables.report_trip_links[tracking_code] = (crossing_point, reference)

    def trip_links(self, tracking_codes: list[str]) -> dict[str, str]:
        links = self.tables.report_trip_links
        return {code: links[code][1] for code in tracking_codes if code in links}

    def of_unit(self, unit_code: str, states: tuple[str, ...]) -> list[Report]:
        found = [r for r in self.tables.reports.values() if r.unit_code == unit_code and r.state.value in states]
        return [copied(r) for r in sorted(found, key=lambda r: (r.assignment.answer_due, r.tracking_code))]

    def by_reporter(self, user_id: str) -> list[Report]:
        found = [r for r in self.tables.reports.values() if r.reporter_user_id == user_id]
        return [copied(r) for r in sorted(found, key=lambda r: r.filed_at, reverse=True)]

    def answered_before(self, before: datetime) -> list[Report]:
        found = [r for r in self.tables.reports.values() if r.state is ReportState.ANSWERED
                 and r.answered_at is not None and r.answered_at < before]
        return [self._seen(r) for r in sorted(found, key=lambda r: (r.answered_at, r.tracking_code))]

    def open_at_units(self, limit: int) -> list[Report]:
        found = [r for r in self.tables.reports.values()
                 if r.state in (ReportState.RECEIVED, ReportState.IN_PROGRESS)]
        found.sort(key=lambda r: (r.assignment.answer_due, r.tracking_code))
        return [self._seen(r) for r in found[:limit]]

    def near(self, category_code: str, box: tuple[float, float, float, float], since: datetime) -> list[Report]:
        south, north, west, east = box
        found = [r for r in self.tables.reports.values() if r.category_code == category_code
                 and r.filed_at >= since and r.place.lat is not None and r.place.lon is not None
                 and south <= r.place.lat <= north and west <= r.place.lon <= east]
        return [copied(r) for r in sorted(found, key=lambda r: r.tracking_code)]

    def follow(self, tracking_code: str, user_id: str, at: datetime) -> bool:
        if (tracking_code, user_id) in self.tables.report_followers:
            return False
        self.tables.report_followers[(tracking_code, user_id)] = at
        return True

    def unfollow(self, tracking_code: str, user_id: str) -> bool:
        return self.tables.report_followers.pop((tracking_code, user_id), None) is not None

    def followers(self, tracking_code: str) -> list[str]:
        found = [(since, user) for (code, user), since in self.tables.report_followers.items()
                 if code == tracking_code]
        return [user for _, user in sorted(found)]

    def followed_by(self, user_id: str) -> list[str]:
        found = [(since, code) for (code, user), since in self.tables.report_followers.items() if user == user_id]
        return [code for _, code in sorted(found, reverse=True)]

    def _seen(self, kept: Report) -> Report:
        report: Report = copied(kept)
        self.seen.append(report)
        return report


class InMemoryUnits:
    """Handling units by code: (organisation id, whether it is the coordinating unit)."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def add(self, unit_code: str, organisation_id: str, coordinating: bool) -> None:
        if unit_code in self.tables.units:
            raise Conflict(f"unit {unit_code} exists already")
        self.tables.units[unit_code] = (organisation_id, coordinating)

    def organisation_of(self, unit_code: str) -> str | None:
        found = self.tables.units.get(unit_code)
        return found[0] if found else None

    def coordinating(self) -> str | None:
        return next((code for code, (_, coordinating) in self.tables.units.items() if coordinating), None)

    def set_phone(self, user_id: str, phone: str | None, at: datetime) -> None:
        if phone is None:
            self.tables.unit_phones.pop(user_id, None)
        else:
            self.tables.unit_phones[user_id] = phone

    def phone_of(self, user_id: str) -> str | None:
        return self.tables.unit_phones.get(user_id)

    def supervisors(self, unit_code: str) -> list[tuple[str, str]]:
        organisation = self.organisation_of(unit_code)
        found = sorted((u.username, u.id, self.tables.unit_phones[u.id]) for u in self.tables.users.values()
                       if u.organisation_id == organisation and u.role is Role.UNIT_SUPERVISOR and u.active
                       and u.id in self.tables.unit_phones)
        return [(user_id, phone) for _, user_id, phone in found]

    def codes_of(self, organisation_id: str) -> list[str]:
        return sorted(code for code, (organisation, _) in self.tables.units.items() if organisation == organisation_id)

    def codes(self) -> list[str]:
        return sorted(self.tables.units)

    def describe(self, unit_code: str, profile: UnitProfile) -> None:
        if unit_code not in self.tables.units:
            raise NotFound(f"there is no unit {unit_code}")
        self.tables.unit_profiles[unit_code] = profile

    def profiles(self) -> dict[str, UnitProfile]:
        return dict(sorted(self.tables.unit_profiles.items()))
