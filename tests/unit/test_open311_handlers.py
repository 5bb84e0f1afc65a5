"""Open311 clients and their requests driven through the bus in memory: keys, trust, holding, limits, names."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest

from bordergate.domain import report_commands as rc
from bordergate.domain.errors import Forbidden, Invalid, NotFound, TooManyRequests
from bordergate.domain.open311 import Open311Settings, window
from bordergate.domain.open311_commands import PostServiceRequest, RegisterOpen311Client, RevokeOpen311Client
from bordergate.domain.personal_data import personal_paths
from bordergate.domain.report_events import ReportShown
from bordergate.entrypoints.open311 import formats
from bordergate.services import open311_views
from bordergate.services.open311 import KEY_REFUSED, Posted, key_digest
from bordergate.adapters.memory.unit_of_work import InMemoryUnitOfWork
from bordergate.adapters.memory.tables import Tables
from tests.unit.test_report_handlers import ADMIN, MONDAY, a_desk

POTHOLE = {"service_code": "road_damage", "description": "A deep pothole in the middle of the road",
           "lat": 21.8537, "lon": 106.7612, "address_id": "X", "attributes": {"hazard": "pothole"}}


@pytest.fixture
def tables() -> Tables:
    return Tables()


@pytest.fixture
def desk(tables):
    return a_desk(tables)


def a_client(desk, trust: str = "trusted", **limits: int) -> str:
    _, key = desk.handle(RegisterOpen311Client(ADMIN, "Cổng 1022 Lạng Sơn", trust, **limits))
    return key


def post(desk, key: str, **fields: object) -> Posted:
    posted = desk.handle(PostServiceRequest(None, api_key=key, **{**POTHOLE, **fields}))
    assert isinstance(posted, Posted)
    return posted


def test_a_clients_key_is_shown_once_and_only_its_digest_is_kept(desk, tables):
    key = a_client(desk)
    (client, digest), = tables.open311_clients.values()
    assert key.startswith("o311_") and len(key) > 40 and digest == key_digest(key) and key not in digest
    assert [type(e).__name__ for e in tables.events][-1] == "Open311ClientRegistered"
    assert key not in repr(tables.events[-1])


def test_a_trusted_clients_request_is_public_at_once(desk, tables):
    posted = post(desk, a_client(desk), first_name="Lan", last_name="Nguyễn")
    report = desk.report(posted.code)
    assert not posted.held and report.public and report.source.startswith("open311:")
    assert report.attributes == {"hazard": "pothole"} and report.unit_code == "UBND_X"
    assert desk.audited(posted.code) == ["ReportFiled", "ReportRouted", "Open311RequestReceived"]
    received = tables.events[-1]
    assert personal_paths("Open311RequestReceived", "report", {"first_name": received.first_name,
                                                               "last_name": received.last_name}) == [
        ("first_name",), ("last_name",)]


def test_a_screened_clients_request_is_held_until_its_unit_accepts_it(desk, tables):
    posted = post(desk, a_client(desk, "screened"), phone="+84912345678")
    report = desk.report(posted.code)
    assert posted.held and not report.public and report.contact_phone is None  # SMS only for trusted clients
    with pytest.raises(NotFound):
        open311_views.by_token(InMemoryUnitOfWork(tables), posted.token)
    with pytest.raises(NotFound):
        open311_views.one_request(InMemoryUnitOfWork(tables), posted.code, "en")
    desk.handle(rc.AcceptReport(desk.officer("UBND_X"), posted.code))
    assert desk.report(posted.code).public
    assert open311_views.by_token(InMemoryUnitOfWork(tables), posted.token) == [
        {"service_request_id": posted.code, "token": posted.token}]
    assert desk.audited(posted.code)[-3:] == ["ReportAccepted", "ReportShown", "Open311RequestReleased"]
    assert isinstance(tables.events[-2], ReportShown)


def test_a_missing_wrong_or_revoked_key_is_refused_in_the_specs_words(desk):
    key = a_client(desk)
    for wrong in ("", "o311_not-a-key"):
        with pytest.raises(Forbidden, match="Invalid api_key received"):
            post(desk, wrong)
    (client_id,) = desk.tables.open311_clients
    desk.handle(RevokeOpen311Client(ADMIN, client_id))
    with pytest.raises(Forbidden) as refused:
        post(desk, key)
    assert refused.value.detail == KEY_REFUSED


def test_a_bad_attribute_is_named_by_its_code_as_open311_names_it(desk):
    key = a_client(desk)
    with pytest.raises(Invalid) as refused:
        post(desk, key, attributes={"hazard": "volcano", "colour": "red"})
    assert {p.field for p in refused.value.problems} == {"attribute[hazard]", "attribute[colour]"}
    with pytest.raises(Invalid) as nowhere:
        post(desk, key, lat=None, lon=None, address_id=None)
    assert [p.field for p in nowhere.value.problems] == ["lat/long, address_string or address_id"]


def test_tips_cannot_be_posted_nor_are_they_listed(desk):
    with pytest.raises(Invalid) as refused:
        post(desk, a_client(desk), service_code="smuggling_tip", attributes={})
    assert "not a service here" in refused.value.problems[0].message
    assert not {"security_tip", "smuggling_tip"} & {s["service_code"] for s in open311_views.services(desk.gate.reader(), MONDAY, "vi")}
    with pytest.raises(NotFound):
        open311_views.service_definition(desk.gate.reader(), MONDAY, "security_tip")


def test_a_client_may_post_its_limit_a_minute_then_is_told_to_wait(desk):
    key = a_client(desk, per_minute=2, per_day=10)
    post(desk, key)
    post(desk, key)
    with pytest.raises(TooManyRequests) as slowed:
        post(desk, key)
    assert slowed.value.retry_after == 60
    desk.clock.advance(minutes=1, seconds=1)
    post(desk, key)


def test_one_device_may_post_its_daily_share(tables):
    desk = a_desk(tables, open311_per_device_per_day=1)
    key = a_client(desk)
    post(desk, key, device_id="phone-1")
    post(desk, key, device_id="phone-2")
    with pytest.raises(TooManyRequests, match="one device"):
        post(desk, key, device_id="phone-1")


def test_registering_a_client_is_for_administrators_and_checks_its_name(desk):
    with pytest.raises(Forbidden):
        desk.handle(RegisterOpen311Client(desk.officer("UBND_X"), "An app", "trusted"))
    with pytest.raises(Invalid) as refused:
        desk.handle(RegisterOpen311Client(ADMIN, "A", "sometimes", per_minute=0))
    assert {p.field for p in refused.value.problems} == {"name", "per_minute"}


def test_a_query_names_at_most_90_days_and_reads_the_last_90_by_default():
    now = MONDAY
    assert window(None, None, now, 90).start == now - timedelta(days=90)
    assert window(now - timedelta(days=120), None, now, 90).end == now - timedelta(days=30)
    assert window(None, now, now, 30).start == now - timedelta(days=30)
    with pytest.raises(Invalid, match="end_date"):
        window(now - timedelta(days=91), now, now, 90)
    with pytest.raises(Invalid, match="end_date"):
        window(now, now - timedelta(days=1), now, 90)


def test_get_requests_answers_at_most_max_requests_newest_first(desk, tables):
    key = a_client(desk)
    codes = []
    for _ in range(3):
        codes.append(post(desk, key).code)
        desk.clock.advance(minutes=5)
    newest = open311_views.requests(InMemoryUnitOfWork(tables), Open311Settings(max_requests=2), desk.clock.now(),
                                    "en")
    assert [r["service_request_id"] for r in newest] == codes[:0:-1]
    second_page = open311_views.requests(InMemoryUnitOfWork(tables), Open311Settings(), desk.clock.now(), "en",
                                         page=2, page_size=2)
    assert [r["service_request_id"] for r in second_page] == codes[:1]
    assert newest[0]["service_notice"].startswith("Answer due by") and newest[0]["status"] == "open"


def test_xml_answers_stay_well_formed_whatever_a_reporter_typed():
    text = "Khói\x0b đen\x00 <b>&</b> 🚚"
    answer = formats.answer("service_requests", [{"description": text, "lat": 21.85, "metadata": True}], "xml")
    root = ET.fromstring(answer.body)
    assert root.find("request/description").text == "Khói đen <b>&</b> 🚚"
    assert (root.find("request/lat").text, root.find("request/metadata").text) == ("21.85", "true")


def test_a_commune_code_or_address_too_long_for_the_table_is_refused_by_name(desk):
    with pytest.raises(Invalid) as refused:
        post(desk, a_client(desk), address_id="X" * 21, address_string="y" * 301)
    assert {p.field for p in refused.value.problems} == {"address_id", "address_string"}
