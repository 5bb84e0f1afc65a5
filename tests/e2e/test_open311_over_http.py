"""Open311 GeoReport v2 over HTTP as its clients call it: XML and JSON, form-encoded posts, api_keys and tokens,
the spec's errors, the 90-day window, and tips never seen. On SQLite and PostgreSQL."""
from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import text

from bordergate.bootstrap import bootstrap
from bordergate.config import Settings
from bordergate.domain import commands, report_commands as rc
from bordergate.domain.accounts import Principal, Role
from bordergate.domain.open311_commands import RegisterOpen311Client
from bordergate.entrypoints.api.app import create_app
from bordergate.entrypoints.cli import main
from bordergate.services.authentication import SYSTEM
from bordergate.services.open311 import key_digest
from tests.conftest import CHEAP_PASSWORDS, database_url  # noqa: F401 (both databases)

V2 = "/open311/v2"
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
# A request's fields in the order of the spec's GET requests example (zipcode and media_url we leave out).
SPEC_ORDER = ("service_request_id", "status", "status_notes", "service_name", "service_code", "description",
              "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
              "address", "address_id", "zipcode", "lat", "long", "media_url")


def units(gate) -> dict[str, str]:
    orgs = {}
    for code in ("TT_PVHCC", "STNMT", "UBND_DONG_DANG"):
        orgs[code] = gate.bus.handle(commands.RegisterOrganisation(SYSTEM, f"Unit {code}", "unit"))
        gate.bus.handle(rc.RegisterUnit(SYSTEM, code, orgs[code], code == "TT_PVHCC"))
    return orgs


def a_key(gate, trust: str = "trusted") -> str:
    return gate.bus.handle(RegisterOpen311Client(SYSTEM, f"A {trust} app", trust))[1]


# A real client's request: form-encoded, attribute[code]=v and attribute[code][]=v for a multivaluelist.
def a_form(key: str, **more: str) -> list[tuple[str, str]]:
    return [("api_key", key), ("jurisdiction_id", "langson.gov.vn"), ("service_code", "environment"),
            ("description", "Smoke and burnt rubber from the yard behind the market"), ("lat", "21.853712"),
            ("long", "106.761234"), ("address_string", "Chợ Đồng Đăng"), ("address_id", "DONG_DANG"),
            ("attribute[kind][]", "smoke"), ("attribute[kind][]", "smell"), ("email", "lan@example.vn"),
            ("first_name", "Lan"), ("last_name", "Nguyễn Thị"), ("device_id", "phone-7"),
            ("media_url", "https://photos.example.vn/a.jpg"), *more.items()]


def post(client, fmt: str, form: list[tuple[str, str]], headers: dict[str, str] | None = None):
    """POST as an Open311 client does: application/x-www-form-urlencoded, repeated names kept."""
    return client.post(f"{V2}/requests.{fmt}", content=urlencode(form),
                       headers={"content-type": "application/x-www-form-urlencoded", **(headers or {})})


def xml_of(answer) -> ET.Element:
    assert answer.headers["content-type"] == "text/xml; charset=utf-8", answer.headers
    assert answer.text.startswith(XML_DECLARATION)
    return ET.fromstring(answer.text.encode())  # well-formed, or this raises


def xml_data(node: ET.Element):
    """The XML read back into the JSON's shape (the spec's JSON is its XML mapped)."""
    if len(node) == 0:
        return node.text
    tags = [child.tag for child in node]
    if len(set(tags)) == 1 and node.tag in ("services", "attributes", "values", "service_requests", "errors",
                                            "endpoints", "formats"):
        return [xml_data(child) for child in node]
    return {child.tag: xml_data(child) for child in node}


def same(json_value, xml_value) -> bool:
    """Equal once the JSON's numbers and booleans are written as XML text."""
    if isinstance(json_value, dict):
        return all(same(v, (xml_value or {}).get(k)) for k, v in json_value.items())
    if isinstance(json_value, list):
        return len(json_value) == len(xml_value or []) and all(map(same, json_value, xml_value))
    if json_value is None:
        return xml_value is None
    if isinstance(json_value, bool):
        return xml_value == ("true" if json_value else "false")
    return str(json_value) == xml_value


@pytest.fixture(scope="module")
def reader(sqlite_template, tmp_path_factory):
    """Services are the categories in force (civic data): one app over a copy of the migrated template."""
    path = tmp_path_factory.mktemp("open311") / "bordergate.db"
    shutil.copy(sqlite_template, path)
    settings = Settings(database_url=f"sqlite:///{path}", secret_key="test-secret-of-at-least-32-characters",
                        public_url="http://gate.test", sweep_seconds=0)
    with TestClient(create_app(bootstrap(settings, passwords=CHEAP_PASSWORDS))) as http:
        yield http


def test_open311_services_xml_and_json_match(reader):
    client = reader
    for path in ("discovery", "services", "services/road_damage"):
        as_xml, as_json = client.get(f"{V2}/{path}.xml"), client.get(f"{V2}/{path}.json?locale=vi")
        assert as_xml.status_code == as_json.status_code == 200
        assert as_json.headers["content-type"] == "application/json; charset=utf-8"
        root = xml_of(as_xml)
        assert root.tag == {"discovery": "discovery", "services": "services"}.get(path, "service_definition")
        assert same(as_json.json(), xml_data(root)), (as_json.text, as_xml.text)
    services = client.get(f"{V2}/services.json").json()
    assert isinstance(services, list) and services[0]["type"] == "realtime"
    assert {"service_code": "road_damage", "service_name": "Hư hỏng đường", "description": "Hư hỏng đường",
            "metadata": True, "type": "realtime", "keywords": "roads", "group": "roads"} in services
    assert client.get(f"{V2}/services.json", headers={"accept-language": "zh"}).json()[0]["service_name"] == "货车排队"
    hazard, = client.get(f"{V2}/services/road_damage.json").json()["attributes"]
    assert (hazard["code"], hazard["datatype"], hazard["order"], hazard["values"][0]) == (
        "hazard", "singlevaluelist", 1, {"key": "pothole", "name": "pothole"})
    discovery = client.get(f"{V2}/discovery.json").json()
    assert discovery["endpoints"][0]["url"] == "http://gate.test/open311/v2"
    assert discovery["endpoints"][0]["formats"] == ["text/xml", "application/json"]


def test_post_request_form_encoded_answers_service_request_id(client, gate):
    units(gate)
    key = a_key(gate)
    posted = post(client, "json", a_form(key))
    assert posted.status_code == 200, posted.text
    (answer,) = posted.json()
    code = answer["service_request_id"]
    assert code.startswith("PA-") and set(answer) == {"service_request_id", "service_notice", "account_id"}
    as_json = client.get(f"{V2}/requests/{code}.json").json()
    as_xml = xml_of(client.get(f"{V2}/requests/{code}.xml"))
    assert as_xml.tag == "service_requests" and as_xml[0].tag == "request" and same(as_json, xml_data(as_xml))
    request, = as_json
    assert [child.tag for child in as_xml[0]] == [tag for tag in SPEC_ORDER if tag in request] == list(request)
    assert (request["status"], request["service_code"], request["agency_responsible"]) == ("open", "environment",
                                                                                          "STNMT")
    assert (request["lat"], request["long"]) == (21.8537, 106.7612)  # about 11 m: the street, not the door
    assert request["requested_datetime"].endswith("+07:00") and "Lạng Sơn" in request["address"]
    assert "media_url" not in request and "zipcode" not in request  # a client's link is kept, never served
    with gate.engine.connect() as connection:
        trail = " ".join(connection.execute(text("SELECT CAST(payload AS TEXT) FROM audit_log")).scalars())
        report = dict(connection.execute(text("SELECT attributes, source FROM reports")).mappings().one())
        kept = connection.execute(text("SELECT media_url, device_id FROM open311_tokens")).one()
    assert "lan@example.vn" not in trail and "Nguyễn" not in trail  # email never kept, names sealed
    assert tuple(kept) == ("https://photos.example.vn/a.jpg", "phone-7")
    assert "smell" in str(report["attributes"]) and report["source"].startswith("open311:")


def test_screened_client_gets_a_token_then_the_id(client, gate):
    orgs = units(gate)
    posted = post(client, "xml", a_form(a_key(gate, "screened")))
    root = xml_of(posted)
    token = root.find("request/token").text
    assert root.find("request/service_request_id") is None
    waiting = client.get(f"{V2}/tokens/{token}.json")
    assert waiting.status_code == 404 and waiting.json()[0]["code"] == 404
    assert client.get(f"{V2}/requests.json").json() == []  # held: not public yet
    with gate.engine.connect() as connection:
        code = connection.execute(text("SELECT tracking_code FROM open311_tokens")).scalar_one()
    officer = Principal("officer-1", "officer", Role.UNIT_OFFICER, orgs["STNMT"])
    gate.bus.handle(rc.AcceptReport(officer, code))
    assert client.get(f"{V2}/tokens/{token}.json").json() == [{"service_request_id": code, "token": token}]
    assert [r["service_request_id"] for r in client.get(f"{V2}/requests.json").json()] == [code]


def test_bad_api_key_is_403_in_the_spec_error_format(client, gate):
    units(gate)
    for fmt in ("xml", "json"):
        refused = post(client, fmt, a_form("o311_wrong"))
        assert refused.status_code == 403
        error = (refused.json()[0] if fmt == "json" else xml_data(xml_of(refused))[0])
        assert error == {"code": 403 if fmt == "json" else "403",
                         "description": "Invalid api_key received -- can't proceed with create_request."}
    with gate.engine.connect() as connection:  # counted in the bounded security log, never the key itself
        logged = connection.execute(text("SELECT kind, detail FROM security_log")).all()
    assert [tuple(row) for row in logged] == [("open311_key", "unknown or revoked api_key")] * 2
    key = a_key(gate)
    bad = post(client, "json", [*a_form(key)[:8], ("attribute[kind][]", "volcano")])
    assert bad.status_code == 400 and bad.json()[0]["description"].startswith("attribute[kind]: choose any of")
    lost = client.get(f"{V2}/services.json?jurisdiction_id=hanoi.gov.vn")
    assert lost.status_code == 404 and lost.json()[0]["description"] == "jurisdiction_id provided was not found"
    assert client.get(f"{V2}/nothing-here.json").json()[0]["code"] == 404
    nul = post(client, "json", a_form(key, description="A NUL\x00 character in the text of it"))
    assert nul.status_code == 400 and nul.json()[0]["description"].startswith("description: contains a NUL")
    assert client.get(f"{V2}/services.yaml").headers["content-type"] == "text/xml; charset=utf-8"


def test_get_requests_defaults_to_90_days_and_span_over_90_days_is_400(client, gate, clock):
    units(gate)
    key = a_key(gate)
    clock.advance(days=-100)  # filed a hundred days ago (the 2026 calendar is the one published)
    old = post(client, "json", a_form(key)).json()[0]["service_request_id"]
    clock.advance(days=100)
    new = post(client, "json", a_form(key)).json()[0]["service_request_id"]
    assert [r["service_request_id"] for r in client.get(f"{V2}/requests.json").json()] == [new]
    start = (clock.now() - timedelta(days=101)).isoformat()
    end = (clock.now() - timedelta(days=20)).isoformat()
    asked = client.get(f"{V2}/requests.json", params={"start_date": start, "end_date": end})
    assert [r["service_request_id"] for r in asked.json()] == [old]
    both = client.get(f"{V2}/requests.json", params={"service_request_id": f"{new},{old}", "status": "closed"})
    assert [r["service_request_id"] for r in both.json()] == [new, old]  # ids override every other filter
    assert client.get(f"{V2}/requests.json", params={"status": "closed"}).json() == []
    too_long = client.get(f"{V2}/requests.json", params={"start_date": start, "end_date": clock.now().isoformat()})
    assert too_long.status_code == 400 and "90 days" in too_long.json()[0]["description"]


def test_tips_are_invisible_to_open311(client, gate):
    orgs = units(gate)
    gate.bus.handle(commands.RegisterOrganisation(SYSTEM, "Police", "unit"))
    tip = gate.bus.handle(rc.FileReport(None, category="security_tip", description="Men unloading at night here",
                                        commune_code="DONG_DANG")).tracking_code
    public = post(client, "json", a_form(a_key(gate))).json()[0]["service_request_id"]
    officer = Principal("officer-1", "officer", Role.UNIT_OFFICER, orgs["STNMT"])
    gate.bus.handle(rc.HideReport(officer, public, "It names a neighbour's shop by name"))
    assert client.get(f"{V2}/requests.json").json() == []
    for code in (tip, public):
        assert client.get(f"{V2}/requests/{code}.json").status_code == 404
        assert client.get(f"{V2}/requests.json", params={"service_request_id": code}).json() == []
    assert "security_tip" not in client.get(f"{V2}/services.xml").text
    assert client.get(f"{V2}/services/smuggling_tip.json").status_code == 404


@SQLITE_ONLY  # the mechanism is the house's, proved on both databases elsewhere
def test_an_idempotency_key_makes_a_clients_retry_safe(client, gate):
    units(gate)
    form, key = a_form(a_key(gate)), {"Idempotency-Key": "req-0001"}
    first = post(client, "xml", form, key)
    again = post(client, "xml", form, key)
    assert first.status_code == again.status_code == 200 and again.text == first.text
    assert again.headers["Idempotent-Replayed"] == "true" and again.headers["content-type"].startswith("text/xml")
    with gate.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM reports")).scalar_one() == 1


@SQLITE_ONLY  # the command line over the same bus; the tables are proved on both databases above
def test_an_administrator_registers_a_client_from_the_command_line_and_its_key_is_shown_once(gate, monkeypatch):
    monkeypatch.setenv("BORDERGATE_DATABASE_URL", gate.settings.database_url)
    added = CliRunner().invoke(main, ["open311-client", "add", "--name", "Cổng 1022", "--trust", "screened"])
    assert added.exit_code == 0, added.output
    client_id, key = (line.split()[-1] for line in added.output.splitlines()[-2:])
    listed = CliRunner().invoke(main, ["open311-client", "list"]).output
    assert client_id in listed and "screened" in listed and key not in listed
    with gate.engine.connect() as connection:
        digest = connection.execute(text("SELECT key_digest FROM open311_clients")).scalar_one()
    assert digest == key_digest(key)
    assert CliRunner().invoke(main, ["open311-client", "revoke", client_id]).exit_code == 0
    assert "revoked" in CliRunner().invoke(main, ["open311-client", "list"]).output
