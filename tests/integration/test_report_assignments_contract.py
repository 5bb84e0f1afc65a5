"""Each unit's turn with a report, kept by the reports' repository alike on the twin, SQLite and PostgreSQL:
written with each add and save, read back for the statistics; unit staff's phones; gate reports' trips."""
from __future__ import annotations

from datetime import datetime, timedelta

from bordergate.domain.accounts import Role, User
from bordergate.domain.report_states import Party, Resolution
from bordergate.domain.reports import ReportRules
from bordergate.domain.working_days import CALENDARS, VIETNAM
from tests.conftest import NOW
from tests.integration.test_report_repository_contract import FILED, ORG, OTHER, UNIT, a_report, reports  # noqa: F401

LATER = datetime(2027, 1, 1, tzinfo=VIETNAM)


def _saved(uow, report, change) -> None:
    loaded = report.version
    change(report)
    uow.reports.save(report, loaded)


def test_a_report_sent_on_then_answered_keeps_one_record_per_unit_with_how_each_turn_ended(reports):
    with reports() as uow:
        uow.reports.add(a_report("PA-26-AAAAAAA"))
        uow.reports.add(a_report("PA-26-BBBBBBB", at=FILED + timedelta(hours=1)))
        uow.commit()
    with reports() as uow:
        report = uow.reports.get("PA-26-AAAAAAA")
        _saved(uow, report, lambda r: r.transfer(OTHER, "It is the coordinating centre's to answer", by=Party.OFFICER,
                                                 actor="o", at=FILED + timedelta(hours=2), answer_working_days=None,
                                                 calendars=CALENDARS, rules=ReportRules()))
        _saved(uow, report, lambda r: r.accept(by=Party.OFFICER, actor="o", at=FILED + timedelta(hours=3)))
        _saved(uow, report, lambda r: r.answer("The burning was stopped and the site cleaned.", Resolution.FIXED,
                                               by=Party.OFFICER, actor="o", at=FILED + timedelta(days=30),
                                               calendars=CALENDARS))
        uow.commit()
    with reports() as uow:
        records = uow.reports.assignments_between(FILED, LATER)
        assert [(r.tracking_code, r.seq, r.unit_code, r.ended_how, r.on_time) for r in records] == [
            ("PA-26-AAAAAAA", 1, UNIT, "transferred", True), ("PA-26-BBBBBBB", 1, UNIT, None, None),
            ("PA-26-AAAAAAA", 2, OTHER, "answered", False)]
        answered = records[2]
        assert answered.accepted_at == FILED + timedelta(hours=3)
        assert answered.ended_at == FILED + timedelta(days=30) and answered.category_code == "environment"
        assert uow.reports.assignments_between(FILED + timedelta(minutes=30), FILED + timedelta(hours=2)) == [
            records[1]]


def test_a_report_withdrawn_ends_its_turn_as_withdrawn(reports):
    with reports() as uow:
        uow.reports.add(a_report("PA-26-CCCCCCC"))
        uow.commit()
    with reports() as uow:
        report = uow.reports.get("PA-26-CCCCCCC")
        _saved(uow, report, lambda r: r.withdraw(by=Party.REPORTER, actor="r", at=FILED + timedelta(hours=1)))
        uow.commit()
    with reports() as uow:
        (record,) = uow.reports.assignments_between(FILED, LATER)
        assert (record.ended_how, record.ended_at, record.on_time) == ("withdrawn", FILED + timedelta(hours=1), None)


def test_only_a_units_active_supervisors_phones_are_its_supervisors_and_units_are_listed(reports):
    with reports() as uow:
        for user_id, role, active in (("chief", Role.UNIT_SUPERVISOR, True), ("clerk", Role.UNIT_OFFICER, True),
                                      ("gone", Role.UNIT_SUPERVISOR, False)):
            uow.accounts.add_user(User(user_id, user_id, user_id.title(), role, ORG, "!", active), NOW)
            uow.units.set_phone(user_id, f"+8491200{len(user_id):04d}", NOW)
        uow.units.set_phone("chief", "+84912000111", NOW)  # a new phone replaces the old
        uow.commit()
    with reports() as uow:
        assert uow.units.supervisors(UNIT) == [("chief", "+84912000111")]
        assert uow.units.codes() == uow.units.codes_of(ORG) == [OTHER, UNIT] and uow.units.codes_of("x") == []
        assert uow.units.phone_of("clerk") == "+84912000005"
        uow.units.set_phone("chief", None, NOW)
        uow.commit()
    with reports() as uow:
        assert uow.units.supervisors(UNIT) == [] and uow.units.phone_of("chief") is None


def test_an_open_gate_report_is_found_by_category_and_its_trip_link_read_back(reports):
    with reports() as uow:
        uow.reports.add(a_report("PA-26-DDDDDDD"))
        uow.commit()
    with reports() as uow:
        assert [r.tracking_code for r in uow.reports.open_of_categories(("environment",))] == ["PA-26-DDDDDDD"]
        assert uow.reports.open_of_categories(("truck_queue",)) == []
        uow.reports.link_trip("PA-26-DDDDDDD", "HUU_NGHI", "BG261207-AAAAAA", "officer", NOW)
        uow.reports.link_trip("PA-26-DDDDDDD", "HUU_NGHI", "BG261207-BBBBBB", "officer", NOW)
        uow.commit()
    with reports() as uow:
        assert uow.reports.trip_links(["PA-26-DDDDDDD", "PA-26-ZZZZZZZ"]) == {"PA-26-DDDDDDD": "BG261207-BBBBBB"}
