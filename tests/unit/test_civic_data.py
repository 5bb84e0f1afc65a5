"""Civic data published as versions, through the bus on the in-memory twin: checked on publishing, in force from
its day, kept by the reports filed under it; the 2027 calendar; the year-end warning."""
from __future__ import annotations

import copy
from datetime import date, datetime, timedelta

import pytest

from bordergate.adapters.memory.tables import Tables
from bordergate.adapters.memory.unit_of_work import InMemoryUnitOfWork
from bordergate.domain import report_commands as rc
from bordergate.domain.civic_documents import CivicDocument, calendar_document, read_calendar, routing_document
from bordergate.domain.civic_events import PublishCivicDocument
from bordergate.domain.errors import Forbidden, Invalid
from bordergate.domain.personal_data import personal_paths
from bordergate.domain.report_rules import ROUTING
from bordergate.domain.working_days import CALENDAR_2027, CALENDARS, VIETNAM, NoCalendar
from bordergate.services.civic_data import commune_choices, communes_in_force, documents_in_force
from bordergate.services.report_views import report_page
from tests.unit.test_report_handlers import ADMIN, CITIZEN, Desk, a_desk

THURSDAY_BEFORE_TET = datetime(2027, 2, 4, 10, 0, tzinfo=VIETNAM)  # the last working day before Tết 2027


@pytest.fixture
def desk() -> Desk:
    desk = a_desk(Tables())
    desk.orgs["CA_TINH"] = desk.unit("CA_TINH")  # the shipped routing names the police for tips
    return desk


def published(desk: Desk, kind: str, document: dict, in_force_from: date | None = None) -> int:
    version = desk.handle(PublishCivicDocument(ADMIN, kind, document, in_force_from))
    assert isinstance(version, int)
    return version


def routing_with(unit_for_road_damage: str) -> dict:
    document = routing_document(ROUTING)
    for rule in document["rules"]:
        if rule["category"] == "road_damage":
            rule["unit"] = unit_for_road_damage
    return document


def test_publishing_checks_the_document_as_the_shipped_data_is_and_gives_the_next_version(desk):
    no_catch_all = routing_with("STNMT")
    no_catch_all["rules"].pop()
    with pytest.raises(Invalid) as refused:
        published(desk, "routing", no_catch_all)
    assert refused.value.problems[0].field == "rules" and "last rule" in refused.value.problems[0].message
    with pytest.raises(Invalid) as refused:
        published(desk, "routing", routing_with("NOPE"))  # a unit nobody registered
    assert [p.field for p in refused.value.problems] == ["rules[5].unit"]
    elsewhere = routing_with("STNMT")
    elsewhere["rules"].insert(0, {"category": "traffic", "communes": ["DONG_DANG", "ATLANTIS"], "unit": "STNMT"})
    with pytest.raises(Invalid) as refused:
        published(desk, "routing", elsewhere)
    assert [(p.field, p.message.split(":")[0]) for p in refused.value.problems] == [("rules[0].communes", "ATLANTIS")]
    with pytest.raises(Invalid) as refused:
        published(desk, "routing", routing_with("STNMT"), in_force_from=date(2026, 12, 1))
    assert refused.value.problems[0].field == "in_force_from"
    with pytest.raises(Forbidden):
        desk.handle(PublishCivicDocument(CITIZEN, "routing", routing_with("STNMT")))
    assert published(desk, "routing", routing_with("STNMT")) == 2
    assert published(desk, "routing", routing_with("BQL_CK")) == 3
    events = [e for e in desk.tables.events if type(e).__name__ == "RoutingPublished"]
    assert [e.subject for e in events] == [("civic_data", "routing:2"), ("civic_data", "routing:3")]


def test_a_filing_uses_the_routing_in_force_that_day_and_the_report_keeps_its_versions(desk):
    tomorrow = desk.clock.now().astimezone(VIETNAM).date() + timedelta(days=1)
    published(desk, "routing", routing_with("STNMT"), in_force_from=tomorrow)
    today = desk.report(desk.file().tracking_code)
    assert (today.unit_code, today.routing_version, today.category_version) == ("UBND_X", 1, 1)
    desk.clock.advance(days=1)
    later = desk.report(desk.file().tracking_code)
    assert (later.unit_code, later.routing_version, later.category_version) == ("STNMT", 2, 1)
    routed = [e for e in desk.tables.events if type(e).__name__ == "ReportRouted"][-1]
    assert routed.routing_version == 2


def test_a_category_published_can_be_filed_and_one_withdrawn_cannot(desk):
    with desk.gate.reader() as uow:
        document = copy.deepcopy(documents_in_force(uow, "categories", date(2026, 12, 7))[0].document)
    document["categories"] = [c for c in document["categories"] if c["code"] != "urban_order"]
    document["categories"].append({**document["categories"][0], "code": "stray_animals", "group": "urban",
                                   "name_vi": "Gia súc thả rông", "name_en": "Stray animals",
                                   "name_zh": "散养牲畜",
                                   "attributes": []})
    assert published(desk, "categories", document) == 2
    report = desk.report(desk.file(category="stray_animals").tracking_code)
    assert (report.unit_code, report.category_version) == ("TT_PVHCC", 2)  # no rule names it: the catch-all
    desk.handle(rc.TransferReport(desk.officer("TT_PVHCC"), report.tracking_code, "UBND_X", "the commune's roads"))
    with desk.gate.reader() as uow:
        assert report_page(uow, report.tracking_code, locale="en")["category"]["name"] == "Stray animals"
    with pytest.raises(Exception, match="no report category 'urban_order'"):
        desk.file(category="urban_order")


def test_an_anonymous_tip_of_a_category_published_since_is_sealed_where_it_came_from(desk):
    with desk.gate.reader() as uow:
        document = copy.deepcopy(documents_in_force(uow, "categories", date(2026, 12, 7))[0].document)
    document["categories"].append({"code": "drug_tip", "group": "tips", "name_vi": "Tin báo ma túy",
                                   "name_en": "Drugs tip", "name_zh": "毒品线索", "never_public": True})
    published(desk, "categories", document)
    filed = desk.file(None, category="drug_tip", lat=21.85, lon=106.76)
    event = next(e for e in desk.tables.events if type(e).__name__ == "ReportFiled"
                 and e.code == filed.tracking_code)
    payload = {"anonymous": event.anonymous, "category": event.category, "tip": event.tip, "lat": 1.0, "lon": 2.0}
    assert personal_paths("ReportFiled", "report", payload) == [("lat",), ("lon",)]


def test_2027_due_dates_skip_tet_and_the_calendar_says_it_is_not_yet_confirmed():
    assert CALENDAR_2027.confirmed is False and "Article 112" in CALENDAR_2027.source
    # Thursday 4 February, 3 working days: Friday 5 to Thursday 11 are Tết and the days given back.
    assert CALENDARS.due_after(THURSDAY_BEFORE_TET, 3) == datetime(2027, 2, 16, 17, tzinfo=VIETNAM)
    assert not any(CALENDARS.is_working_day(date(2027, 2, d)) for d in range(5, 12))
    assert read_calendar(calendar_document(CALENDAR_2027)) == CALENDAR_2027  # the shipped data is a document


def test_a_year_published_counts_at_once_and_a_bad_one_is_refused_in_words(desk):
    with pytest.raises(NoCalendar):
        CALENDARS.due_after(datetime(2028, 1, 3, 9, tzinfo=VIETNAM), 1)
    document = calendar_document(CALENDAR_2027)
    bad = {**document, "year": 2028, "source": " "}
    with pytest.raises(Invalid) as refused:
        published(desk, "calendar", bad)
    assert {p.field for p in refused.value.problems} == {"source"}
    with pytest.raises(Invalid) as refused:
        published(desk, "calendar", {**document, "year": 2028})
    assert "another year" in refused.value.problems[0].message
    published(desk, "calendar", {"year": 2028, "source": "Quyết định (test)", "confirmed": True,
                                 "holidays": [{"day": "2028-01-03", "vi": "Nghỉ", "en": "Off", "zh": "休"}]})
    desk.clock.at = datetime(2027, 12, 31, 18, tzinfo=VIETNAM)
    report = desk.report(desk.file().tracking_code)
    # Counted from the next working day, Tuesday 4 January (Monday 3 is the published holiday), one day on.
    assert report.assignment.accept_due == datetime(2028, 1, 5, 17, tzinfo=VIETNAM)


def test_the_year_end_warning_fires_once_thirty_days_before_a_year_with_no_calendar(desk):
    desk.clock.at = datetime(2027, 11, 30, 9, tzinfo=VIETNAM)  # 32 days left: not yet
    desk.handle(rc.SweepReportDeadlines(ADMIN))
    desk.clock.at = datetime(2027, 12, 2, 9, tzinfo=VIETNAM)
    for _ in range(3):
        desk.handle(rc.SweepReportDeadlines(ADMIN))
        desk.clock.advance(days=1)
    warned = [e for e in desk.tables.events if type(e).__name__ == "WorkingCalendarMissing"]
    assert [(e.year, e.days_left, e.subject) for e in warned] == [(2028, 30, ("civic_data", "calendar_year:2028"))]


def test_the_communes_in_force_are_the_published_list_on_that_day(desk):
    with desk.gate.reader() as uow:
        shipped = communes_in_force(uow, date(2026, 12, 8))
    assert "Xã Đồng Đăng" in [c.name for c in shipped] and all(c.valid_from == date(2025, 7, 1) for c in shipped)
    assert {"code": "DONG_DANG", "name": "Xã Đồng Đăng", "kind": "xa"} in commune_choices(desk.gate.reader(),
                                                                                         desk.clock.now())
    published(desk, "communes", {"communes": [
        {"code": "OLD", "name": "Xã Cũ", "kind": "xa", "valid_from": "2020-01-01", "valid_to": "2025-06-30"},
        {"code": "NEW", "name": "Xã Mới", "kind": "xa", "valid_from": "2025-07-01"}]},
        in_force_from=date(2020, 1, 1))
    with desk.gate.reader() as uow:
        assert [c.code for c in communes_in_force(uow, date(2026, 12, 8))] == ["NEW"]
        assert [c.code for c in communes_in_force(uow, date(2025, 6, 30))] == ["OLD"]


def test_a_year_corrected_by_another_process_counts_here_from_the_next_sweep(desk):
    thursday = datetime(2027, 3, 4, 10, tzinfo=VIETNAM)  # one working day on is Friday 5 March
    desk.clock.at = thursday
    first = desk.report(desk.file().tracking_code)
    assert first.assignment.accept_due == datetime(2027, 3, 5, 17, tzinfo=VIETNAM)
    corrected = calendar_document(CALENDAR_2027)
    corrected["holidays"].append({"day": "2027-03-05", "vi": "Nghỉ", "en": "Day off", "zh": "休息日"})
    with InMemoryUnitOfWork(desk.tables) as uow:  # the command line's process, writing beside this one
        uow.civic.add(CivicDocument("calendar", 2, date(2027, 3, 4), corrected, thursday, "admin-1"))
        uow.commit()
    assert desk.report(desk.file().tracking_code).assignment.accept_due.day == 5  # not yet read here
    desk.handle(rc.SweepReportDeadlines(ADMIN))
    assert desk.report(desk.file().tracking_code).assignment.accept_due == datetime(2027, 3, 8, 17, tzinfo=VIETNAM)
