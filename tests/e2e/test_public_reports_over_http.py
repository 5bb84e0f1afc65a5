"""The public list of reports and the figures per unit over HTTP (screens and JSON): what anyone may read, and
what nobody reads there (a phone, an exact place, a tip, a hidden report)."""
from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from bordergate.adapters.memory.tables import Tables
from bordergate.entrypoints.api.app import create_app
from tests.support.memory_gate import an_in_memory_gate
from tests.support.public_reports import EXACT, HIDDEN_TEXT, PHONE, TIP_TEXT, Province, a_province
from tests.conftest import database_url  # noqa: F401 (both databases: see tests/e2e/conftest.py)


@pytest.fixture(scope="module")
def province() -> Province:
    """One province for the tests that only read (the last one, which files, has its own)."""
    return a_province(an_in_memory_gate(Tables()))


@pytest.fixture(scope="module")
def http(province) -> Iterator[TestClient]:
    with TestClient(create_app(province.gate)) as client:
        yield client


def codes(answer) -> list[str]:
    assert answer.status_code == 200, answer.text
    return [r["code"] for r in answer.json()["reports"]]


def test_the_public_list_shows_no_phone_no_exact_place_no_tip_and_no_hidden_report(http, province):
    listed = http.get("/api/v1/public/reports")
    page = http.get("/reports?lang=en")
    c = province.codes
    assert codes(listed) == [c["jam"], c["rubbish"], c["pothole"]]
    assert {(r["lat"], r["lon"]) for r in listed.json()["reports"]} == {(21.8535, 106.7612)}
    for answer in (listed, page):
        for never in (PHONE, str(EXACT[0]), str(EXACT[1]), TIP_TEXT, HIDDEN_TEXT, c["tip"], c["hidden"]):
            assert never not in answer.text
    assert f'href="/r/{c["pothole"]}"' in page.text and "Road damage · X" in page.text
    assert http.get("/api/v1/public/reports?category=security_tip").status_code == 422  # not even a filter


def test_the_public_list_narrows_by_commune_category_and_state_and_pages_newest_first(http, province):
    c = province.codes
    assert codes(http.get("/api/v1/public/reports?commune=Y")) == [c["rubbish"]]
    assert codes(http.get("/api/v1/public/reports?commune=X&state=answered")) == [c["pothole"]]
    assert codes(http.get("/api/v1/public/reports?category=traffic")) == [c["jam"]]
    first = http.get("/api/v1/public/reports?limit=2").json()
    second = http.get(f"/api/v1/public/reports?limit=2&after={first['next']}").json()
    assert [r["code"] for r in first["reports"] + second["reports"]] == [c["jam"], c["rubbish"], c["pothole"]]
    assert second["next"] is None
    page = http.get("/reports?commune=X&lang=en&category=&state=")
    assert c["jam"] in page.text and c["rubbish"] not in page.text
    assert '<option value="X" selected>' in page.text
    older = http.get("/reports?lang=en&commune=X")
    assert "Older reports" not in older.text


def test_a_bad_filter_or_cursor_is_told_in_words(http):
    forged = base64.urlsafe_b64encode(b"0001-01-01T00:00:00+14:00|PA-26-AAAAAAA").decode()  # would overflow UTC
    for cursor in ("not-a-cursor", forged, "ủ"):
        answer = http.get("/api/v1/public/reports", params={"after": cursor})
        assert answer.status_code == 422 and answer.headers["content-type"].startswith("application/problem+json")
        assert "start again from the first page" in answer.text
    page = http.get("/reports?state=lost&lang=en")
    assert page.status_code == 422 and "state: choose one of received" in page.text


def test_the_figures_per_unit_count_tips_only_for_the_police_and_say_what_they_mean(http):
    figures = http.get("/api/v1/public/reports/stats").json()
    units = {u["unit_code"]: u for u in figures["units"]}
    assert figures["days"] == 90 and figures["received"] == 5
    assert units["CA_TINH"]["received"] == 1 and units["UBND_X"]["received"] == 2
    x = units["UBND_X"]
    assert (x["answered"], x["on_time_percent"], x["rating_average"], x["ratings"]) == (1, 100.0, 4.0, 1)
    assert x["median_working_days"] == 1.3  # Friday 08:00 to Monday 11:00: 12.5 office hours of 9.5
    assert figures["communes"] == {"X": 2, "Y": 2}  # the tip from X is not there
    page = http.get("/reports/stats?lang=en")
    assert page.status_code == 200
    assert page.text.count("<svg data-figure") == 3 and "<script>" not in page.text
    assert "What the figures mean" in page.text and "never per commune" in page.text
    assert "Số liệu theo đơn vị" in http.get("/reports/stats?lang=vi").text
    assert "各单位统计" in http.get("/reports/stats?lang=zh").text


def test_every_viewer_within_the_period_gets_the_same_rendering():
    province = a_province(an_in_memory_gate(Tables()))
    with TestClient(create_app(province.gate)) as http:
        a_period_seen_by_viewers(http, province)


def a_period_seen_by_viewers(http: TestClient, province: Province) -> None:
    before = http.get("/api/v1/public/reports")
    assert before.headers["cache-control"] == "public, max-age=5"
    province.file("late", "environment", "X", "Smoke from a kiln across the valley")
    assert codes(http.get("/api/v1/public/reports")) == codes(before)  # read once this period, for all
    cache = http.app.state.public_reports
    renewals = []
    cache.renew = renewals.append  # kept to run here, not in a thread of its own
    cache.clock = lambda: 1e12  # the period is over: this viewer still gets the last rendering...
    assert codes(http.get("/api/v1/public/reports")) == codes(before)
    assert len(renewals) == 1
    renewals.pop()()  # ...while the next is rendered, once
    assert codes(http.get("/api/v1/public/reports"))[0] == province.codes["late"]
