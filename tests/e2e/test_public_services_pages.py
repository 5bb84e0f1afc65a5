"""The public services over HTTP, as a phone's browser and a program see them: search and procedure pages with their
JSON twin, an application's status with each refusal in words, and the allowance recorded and read."""
from __future__ import annotations

import re
import shutil

import pytest

from bordergate.adapters.one_stop import SandboxOneStop
from bordergate.domain import commands
from bordergate.seeding import seed_public_services
from bordergate.services.authentication import SYSTEM
from tests.builders import PASSWORD
from tests.support.forms import post_form

PROBLEM_JSON = "application/problem+json"
PROCEDURES = re.compile(r'<li data-procedure="([^"]+)"')


@pytest.fixture
def database_url(sqlite_template, tmp_path) -> str:
    """SQLite only: what differs between the engines here (the full-text search, the allowance's queries) is proven
    on both in tests/integration/test_procedure_search.py; these tests are about the pages and their words."""
    path = tmp_path / "bordergate.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


def test_a_citizen_searches_without_diacritics_and_reads_the_procedure_page_and_its_json_twin(client, gate):
    seed_public_services(gate)
    page = client.get("/services", params={"q": "lam ho chieu"})
    assert page.status_code == 200 and PROCEDURES.findall(page.text)[0] == "XC-01"
    twin = client.get("/api/public/services", params={"q": "lam ho chieu"}).json()
    assert [p["code"] for p in twin["procedures"]] == PROCEDURES.findall(page.text)
    assert twin["catalogue"] == "lang-son-2026-sample-1" and "sample to be replaced" in twin["note"]
    passport = client.get("/services/XC-01")
    assert passport.status_code == 200 and "200.000 VND" in passport.text and "Giấy tờ cần mang" in passport.text
    assert "data-sample-note" in passport.text
    assert "Documents to bring" in client.get("/services/XC-01", params={"lang": "en"}).text
    missing = client.get("/services/NO-SUCH", params={"lang": "zh"})
    assert missing.status_code == 404 and "现行目录中没有此编号的手续" in missing.text
    refused = client.get("/api/public/services/NO-SUCH")
    assert refused.status_code == 404 and refused.headers["content-type"] == PROBLEM_JSON


def test_an_application_is_followed_by_its_receipt_code_and_each_refusal_is_said_in_words(client, gate):
    ready = client.get("/services/status", params={"receipt": "000.00.25.H35-261201-0001"})
    assert ready.status_code == 200 and 'data-state="ready"' in ready.text and "Đã có kết quả, mời nhận" in ready.text
    assert "data-sandbox" in ready.text  # no one-stop system configured: the page says its answers are made up
    unknown = client.get("/services/status", params={"receipt": "000.00.25.H35-999999-0009"})
    assert unknown.status_code == 404 and "Không có hồ sơ nào mang mã biên nhận này" in unknown.text
    malformed = client.get("/services/status", params={"receipt": "<b>", "lang": "en"})
    assert malformed.status_code == 422 and "6 to 40 letters" in malformed.text
    assert client.get("/api/public/applications/000.00.25.H35-261202-0002").json()["state"] == "in_progress"
    sandbox = SandboxOneStop("a-key-for-the-down-sandbox", gate.clock.now, down=True)
    gate.one_stop = sandbox.client()
    down = client.get("/services/status", params={"receipt": "000.00.25.H35-261201-0001", "lang": "zh"})
    assert down.status_code == 503 and "全省一站式系统暂时无响应" in down.text
    api = client.get("/api/public/applications/000.00.25.H35-261201-0001")
    assert api.status_code == 503 and api.headers["retry-after"] == "60" and "try again" in api.json()["detail"]


def test_a_guard_records_a_use_at_the_resident_lane_and_the_resident_reads_what_is_left(client, gate):
    seed_public_services(gate)
    org = gate.bus.handle(commands.RegisterOrganisation(SYSTEM, "Đồn Biên phòng Hữu Nghị", "authority"))
    gate.bus.handle(commands.CreateUser(SYSTEM, "guard", PASSWORD, "Guard", "border_guard", org))
    gate.bus.handle(commands.CreateUser(SYSTEM, "resident", PASSWORD, "Resident", "citizen", None))
    signed_in(client, "guard")
    form = {"resident": "resident", "crossing_point": "TAN_THANH", "value_vnd": "1.500.000"}
    recorded = post_form(client, "/allowance/uses", "/allowance/uses", form)
    assert recorded.status_code == 200 and "data-recorded" in recorded.text
    over = post_form(client, "/allowance/uses", "/allowance/uses", {**form, "value_vnd": "600000"})
    assert over.status_code == 409 and "Vượt định mức" in over.text
    client.cookies.clear()
    signed_in(client, "resident")
    mine = client.get("/citizen/allowance")
    assert mine.status_code == 200 and 'data-used-today="1500000"' in mine.text and 'data-times-used="1"' in mine.text
    assert 'data-left-today="500000"' in mine.text and "cần được cơ quan hải quan xác nhận" in mine.text
    assert client.get("/allowance/uses").status_code == 403  # a resident records nothing


def signed_in(client, username: str) -> None:
    answer = post_form(client, "/signin", "/signin", {"username": username, "password": PASSWORD, "next": "/"},
                       follow_redirects=False)
    assert answer.status_code == 303, answer.text
