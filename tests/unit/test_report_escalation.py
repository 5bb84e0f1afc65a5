"""Reports that need a supervisor, through the bus in memory: overdue ones escalate once to the unit's supervisors,
a working day later once to the coordinating unit's; urgent ones reach disaster command's at filing; each unit's
turn with a report is kept for the statistics; a gate report is linked to its declared trip."""
from __future__ import annotations

from datetime import datetime

import pytest

from bordergate.adapters.memory.tables import Tables
from bordergate.adapters.memory.unit_of_work import InMemoryUnitOfWork
from bordergate.domain import report_commands as rc
from bordergate.domain.accounts import Principal, Role, User
from bordergate.domain.errors import Conflict, Forbidden, Invalid, NotFound
from bordergate.domain.personal_data import personal_paths
from bordergate.domain.report_states import ReportState
from bordergate.domain.working_days import VIETNAM
from tests.unit.test_report_handlers import ADMIN, ANSWER, MONDAY, Desk, a_desk


@pytest.fixture
def desk(tables: Tables) -> Desk:
    return a_desk(tables)


@pytest.fixture
def tables() -> Tables:
    return Tables()


def a_supervisor(desk: Desk, unit: str, phone: str | None) -> Principal:
    """A supervisor of ``unit`` with an account, who gave ``phone`` to be told on."""
    chief = desk.officer(unit, Role.UNIT_SUPERVISOR)
    with InMemoryUnitOfWork(desk.tables) as uow:
        uow.accounts.add_user(User(chief.user_id, chief.username, "Chief", chief.role, chief.organisation_id, "!"),
                              MONDAY)
        uow.commit()
    if phone:
        desk.handle(rc.SetUnitPhone(chief, phone))
    return chief


def told(desk: Desk, code: str, kind: str) -> list[str]:
    return [n["phone"] for n in desk.tables.notices if n["reference"] == code and n["kind"] == kind]


def sweep_at(desk: Desk, moment: datetime) -> None:
    desk.clock.at = moment
    desk.handle(rc.SweepReportDeadlines(ADMIN))


def test_an_overdue_report_escalates_to_the_units_supervisors_once_then_to_the_coordinating_unit_once(desk):
    a_supervisor(desk, "UBND_X", "0912 000 111")
    a_supervisor(desk, "TT_PVHCC", "+84912000222")
    code = desk.file().tracking_code  # Monday 09:00 at UBND_X: accept due Tuesday 17:00
    sweep_at(desk, datetime(2026, 12, 9, 9, tzinfo=VIETNAM))  # Wednesday morning: overdue
    sweep_at(desk, datetime(2026, 12, 9, 16, tzinfo=VIETNAM))  # still within the working day's grace
    assert told(desk, code, "report_overdue") == ["+84912000111"]
    assert "ReportEscalated" not in desk.audited(code)
    sweep_at(desk, datetime(2026, 12, 9, 17, 30, tzinfo=VIETNAM))  # one working day after its due
    sweep_at(desk, datetime(2026, 12, 10, 9, tzinfo=VIETNAM))
    assert desk.audited(code).count("ReportOverdue") == desk.audited(code).count("ReportEscalated") == 1
    assert told(desk, code, "report_overdue") == ["+84912000111", "+84912000222"]
    escalated = [e for e in desk.tables.events if type(e).__name__ == "ReportEscalated"][0]
    assert (escalated.unit, escalated.stage, escalated.to_unit) == ("UBND_X", "accept", "TT_PVHCC")
    texts = [n["text"] for n in desk.tables.notices if n["kind"] == "report_overdue"]
    assert all(code in text and "UBND_X" in text and "tiếp nhận" in text for text in texts), texts


def test_a_supervisor_without_a_phone_is_not_told_and_the_sweep_still_flags(desk):
    a_supervisor(desk, "UBND_X", None)
    code = desk.file().tracking_code
    sweep_at(desk, datetime(2026, 12, 9, 9, tzinfo=VIETNAM))
    assert told(desk, code, "report_overdue") == [] and "ReportOverdue" in desk.audited(code)


def test_an_accepted_report_overdue_to_answer_escalates_its_answer_stage_afresh(desk):
    a_supervisor(desk, "UBND_X", "+84912000111")
    code = desk.file().tracking_code
    sweep_at(desk, datetime(2026, 12, 9, 9, tzinfo=VIETNAM))
    desk.handle(rc.AcceptReport(desk.officer("UBND_X"), code))  # answer due Thursday 17:00
    sweep_at(desk, datetime(2026, 12, 11, 9, tzinfo=VIETNAM))
    assert [e.stage for e in desk.tables.events if type(e).__name__ == "ReportOverdue"] == ["accept", "answer"]
    assert len(told(desk, code, "report_overdue")) == 2


def test_an_urgent_report_reaches_disaster_commands_supervisors_at_filing(desk):
    a_supervisor(desk, "BCH_PCTT", "+84912000333")
    a_supervisor(desk, "UBND_X", "+84912000111")
    urgent = desk.file(category="landslide").tracking_code
    ordinary = desk.file().tracking_code
    assert told(desk, urgent, "report_urgent") == ["+84912000333"]
    assert told(desk, ordinary, "report_urgent") == []


def test_a_unit_phone_is_kept_in_e164_sealed_and_only_unit_staff_give_one(desk):
    chief = a_supervisor(desk, "UBND_X", "0912 000 111")
    assert desk.tables.unit_phones[chief.user_id] == "+84912000111"
    assert personal_paths("UnitPhoneSet", "user", {"phone": "+84912000111"}) == [("phone",)]
    with pytest.raises(Invalid):
        desk.handle(rc.SetUnitPhone(chief, "call me"))
    with pytest.raises(Forbidden):
        desk.handle(rc.SetUnitPhone(ADMIN, "+84912000999"))
    desk.handle(rc.SetUnitPhone(chief, ""))
    assert chief.user_id not in desk.tables.unit_phones


def test_each_units_turn_is_kept_with_its_clocks_and_how_it_ended(desk):
    code = desk.file().tracking_code
    officer = desk.officer("UBND_X")
    desk.handle(rc.TransferReport(officer, code, "STNMT", "Smoke from the factory is the environment office's"))
    stnmt = desk.officer("STNMT")
    desk.handle(rc.AcceptReport(stnmt, code))
    desk.handle(rc.AnswerReport(stnmt, code, ANSWER, "fixed"))
    with InMemoryUnitOfWork(desk.tables) as uow:
        records = uow.reports.assignments_between(MONDAY, datetime(2026, 12, 31, tzinfo=VIETNAM))
    assert [(r.seq, r.unit_code, r.ended_how, r.on_time) for r in records] == [
        (1, "UBND_X", "transferred", True), (2, "STNMT", "answered", True)]
    assert records[1].accepted_at == MONDAY


def test_an_officer_of_the_gate_reports_unit_links_it_to_a_declared_trip_and_nobody_else(desk):
    code = desk.file(category="truck_queue", lat=21.96, lon=106.70, commune_code="X").tracking_code
    road = desk.file().tracking_code
    bql = desk.officer("BQL_CK")
    with pytest.raises(NotFound, match="no declaration"):
        desk.handle(rc.LinkReportToTrip(bql, code, "BG261207-NOSUCH"))
    with pytest.raises(Forbidden):
        desk.handle(rc.LinkReportToTrip(desk.officer("UBND_X"), code, "BG261207-NOSUCH"))
    with pytest.raises(Conflict, match="not about the gate"):
        desk.handle(rc.LinkReportToTrip(desk.officer("UBND_X"), road, "BG261207-NOSUCH"))
    assert desk.report(code).state is ReportState.RECEIVED
