"""Every page that names a report's category reads the published civic data, on the in-memory twin: a category an
admin publishes is named on the public list, the statistics, the unit inbox, the filing form and Open311, and a
report keeps the name of the version it was filed under."""
from __future__ import annotations

import copy
from datetime import date

from bordergate.adapters.memory.tables import Tables
from bordergate.domain.civic_documents import routing_document
from bordergate.domain.civic_events import PublishCivicDocument
from bordergate.domain.working_days import CALENDARS
from bordergate.services import filing_views, open311_views, public_reports, report_stats, unit_inbox_views
from bordergate.services.civic_data import documents_in_force, routing_in_force
from bordergate.services.public_report_repositories import PublicFilter
from tests.unit.test_report_handlers import ADMIN, MONDAY, a_desk


def test_a_category_published_later_is_named_everywhere_and_an_old_report_keeps_its_first_name():
    desk = a_desk(Tables())
    desk.orgs["CA_TINH"] = desk.unit("CA_TINH")  # the shipped routing names the police for tips
    pothole = desk.file().tracking_code  # road_damage under version 1: "Road damage"
    with desk.gate.reader() as uow:
        categories = copy.deepcopy(documents_in_force(uow, "categories", date(2026, 12, 7))[0].document)
        routing = routing_document(routing_in_force(uow, date(2026, 12, 7)))
    for kind in categories["categories"]:
        if kind["code"] == "road_damage":
            kind.update(name_vi="Đường hư hỏng", name_en="Broken road", name_zh="道路破损")
    categories["categories"].append({**categories["categories"][0], "code": "stray_animals", "group": "urban",
                                     "name_vi": "Gia súc thả rông", "name_en": "Stray animals",
                                     "name_zh": "散养牲畜", "urgent": False, "never_public": False,
                                     "attributes": []})
    routing["rules"].insert(0, {"category": "stray_animals", "communes": "*", "unit": "STNMT"})
    assert desk.handle(PublishCivicDocument(ADMIN, "categories", categories, None)) == 2
    assert desk.handle(PublishCivicDocument(ADMIN, "routing", routing, None)) == 2
    cattle = desk.file(category="stray_animals").tracking_code
    assert (desk.report(cattle).unit_code, desk.report(cattle).category_version) == ("STNMT", 2)
    reader = desk.gate.reader

    listed = public_reports.public_list(reader(), PublicFilter(), None, "en")
    assert {r["code"]: r["category"]["name"] for r in listed["reports"]} == {
        cattle: "Stray animals", pothole: "Road damage"}
    only = public_reports.public_list(reader(), public_reports.read_filter(None, "stray_animals", None), None, "en")
    assert [r["code"] for r in only["reports"]] == [cattle]
    assert ("stray_animals", "Stray animals") in public_reports.filter_choices(reader(), "en")["categories"]

    figures = report_stats.period_statistics(reader(), MONDAY, 30, CALENDARS)
    assert {u.unit_code: u.received for u in figures.units} == {"STNMT": 1, "UBND_X": 1}

    inbox = unit_inbox_views.inbox(reader(), desk.officer("STNMT"), MONDAY, locale="en")
    assert [(r["code"], r["category"]["name"]) for r in inbox["reports"]] == [(cattle, "Stray animals")]
    assert {"code": "stray_animals", "name": "Stray animals"} in inbox["categories"]
    commune = unit_inbox_views.inbox(reader(), desk.officer("UBND_X"), MONDAY, locale="en")
    assert [r["category"]["name"] for r in commune["reports"]] == ["Road damage"]

    form = {k["code"]: k["name"] for k in filing_views.categories(reader(), MONDAY, "en")}
    assert (form["stray_animals"], form["road_damage"]) == ("Stray animals", "Broken road")

    services = {s["service_code"]: s["service_name"] for s in open311_views.services(reader(), MONDAY, "en")}
    assert (services["stray_animals"], services["road_damage"]) == ("Stray animals", "Broken road")
    assert open311_views.one_request(reader(), pothole, "en")[0]["service_name"] == "Road damage"
    assert open311_views.one_request(reader(), cattle, "en")[0]["service_name"] == "Stray animals"
