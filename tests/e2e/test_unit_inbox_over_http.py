"""Use case: a handling unit's officers work their inbox over HTTP (the JSON twin under /unit/api/ and the
screens), each unit only its own reports, every refusal said as problem+json."""
from __future__ import annotations

from datetime import timedelta

import pytest

from bordergate.domain import report_commands as rc
from bordergate.services.authentication import SYSTEM
from tests.builders import PASSWORD
from tests.e2e.conftest import PROBLEM_JSON
from tests.support.forms import form_token, post_form
from tests.support.unit_desk import a_unit_desk
from tests.conftest import database_url  # noqa: F401 (both databases: see tests/e2e/conftest.py)


@pytest.fixture
def desk(gate):
    return a_unit_desk(gate)


def signed_in(client, username: str) -> dict[str, str]:
    """Sign in on the screens (the cookie), and the headers a page's own script sends with a POST."""
    client.cookies.clear()
    answer = post_form(client, "/signin", "/signin", {"username": username, "password": PASSWORD},
                       follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/unit/", answer.text
    page = client.get("/unit/")
    assert page.status_code == 200, page.text
    return {"X-CSRF-Token": form_token(page.text), "Origin": str(client.base_url).rstrip("/")}


def test_an_officer_accepts_asks_and_answers_over_the_api_and_sees_the_exact_place_and_phone(client, desk, gate):
    filed = desk.file()
    headers = signed_in(client, "xofficer")
    new = client.get("/unit/api/reports", params={"tab": "new"}).json()
    assert [r["code"] for r in new["reports"]] == [filed.tracking_code] and new["counts"]["new"] == 1
    assert new["tabs"] == ["new", "in_progress", "waiting", "near", "overdue", "answered"]  # no escalated tab
    detail = client.get(f"/unit/api/reports/{filed.tracking_code}").json()
    assert (detail["lat"], detail["phone"], detail["address"]) == (21.853, "+84913000222", "Km 12, QL1A")
    act = lambda action, **body: client.post(f"/unit/api/reports/{filed.tracking_code}/{action}",  # noqa: E731
                                             json=body, headers=headers)
    assert act("accept").json()["state"]["code"] == "in_progress"
    assert act("ask", question="Which lane of the road is the pothole in?").json()["state"]["code"] == \
        "awaiting_reporter"
    early = act("answer", answer="We filled the pothole this morning, thank you.", resolution="fixed")
    assert early.status_code == 409 and early.headers["content-type"] == PROBLEM_JSON
    assert "waits for the reporter's reply" in early.json()["detail"]
    gate.bus.handle(rc.AddInformation(None, filed.secret, code=filed.tracking_code, text="The left lane."))
    answered = act("answer", answer="We filled the pothole this morning, thank you.", resolution="fixed")
    assert answered.status_code == 200 and answered.json()["state"]["code"] == "answered"
    tab = client.get("/unit/api/reports", params={"tab": "answered"}).json()
    assert [r["code"] for r in tab["reports"]] == [filed.tracking_code]
    assert [s["action"] for s in answered.json()["steps"]][-1] == "ReportAnswered"


def test_another_units_officer_cannot_open_or_act_on_a_report_and_refusals_say_what_to_do(client, desk):
    filed = desk.file()
    headers = signed_in(client, "envofficer")
    assert client.get("/unit/api/reports", params={"tab": "new"}).json()["reports"] == []
    for answer in (client.get(f"/unit/api/reports/{filed.tracking_code}"),
                   client.post(f"/unit/api/reports/{filed.tracking_code}/accept", json={}, headers=headers)):
        assert answer.status_code == 403 and answer.headers["content-type"] == PROBLEM_JSON, answer.text
    page = client.get(f"/unit/reports/{filed.tracking_code}")
    assert page.status_code == 403 and "+84913000222" not in page.text and "Km 12" not in page.text
    headers = signed_in(client, "xofficer")
    unknown = client.post(f"/unit/api/reports/{filed.tracking_code}/approve", json={}, headers=headers)
    assert unknown.status_code == 404 and "accept, transfer, ask" in unknown.json()["detail"]
    short = client.post(f"/unit/api/reports/{filed.tracking_code}/transfer", json={"to_unit": "STNMT",
                                                                                   "reason": "no"}, headers=headers)
    assert short.status_code == 422 and short.json()["errors"][0]["field"] == "reason"
    missing = client.get("/unit/api/reports/PA-26-ZZZZZZZ")
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM_JSON
    unsigned = client.post(f"/unit/api/reports/{filed.tracking_code}/accept", json={})  # no token, no origin
    assert unsigned.status_code == 403


def test_on_screen_an_officer_accepts_from_the_detail_and_a_supervisor_finds_the_overdue_one_escalated(
        client, desk, gate):
    filed = desk.file()
    signed_in(client, "xofficer")
    inbox = client.get("/unit/")
    assert filed.tracking_code in inbox.text and "Km 12" not in inbox.text
    page = f"/unit/reports/{filed.tracking_code}"
    accepted = post_form(client, page, f"{page}/accept", {}, follow_redirects=False)
    assert accepted.status_code == 303, accepted.text
    assert 'data-state="in_progress"' in client.get(page).text
    late = desk.file(description="Another deep pothole by the school")
    gate.clock.advance(days=5)  # past its accept deadline, a working week on
    gate.bus.handle(rc.SweepReportDeadlines(SYSTEM))
    signed_in(client, "xchief")
    escalated = client.get("/unit/", params={"tab": "escalated"})
    assert late.tracking_code in escalated.text and 'data-tab="escalated"' in escalated.text
    overdue = client.get("/unit/api/reports", params={"tab": "overdue"}).json()
    assert late.tracking_code in [r["code"] for r in overdue["reports"]]
    signed_in(client, "centrechief")  # the coordinating unit's supervisor: sent up a working day later
    sent_up = client.get("/unit/api/reports", params={"tab": "escalated"}).json()["reports"]
    assert late.tracking_code in [r["code"] for r in sent_up]
    detail = client.get(f"/unit/api/reports/{late.tracking_code}").json()
    assert detail["phone"] == "•••" and detail["assigned"] is False



def test_the_gate_officer_links_a_queue_report_to_its_trip_and_the_operators_board_lists_it(
        client, desk, gate, world):
    from bordergate.domain import commands
    from tests.builders import a_trip
    reference = gate.bus.handle(commands.SubmitDeclaration(world.lan, world.farm, a_trip(gate)))
    queue = desk.file("truck_queue", description="Trucks queue 3 km onto the highway at Km 18",
                      attributes={"crossing_point": "HUU_NGHI"})
    elsewhere = desk.file("truck_queue", description="Trucks queue 2 km before Tân Thanh",
                          attributes={"crossing_point": "TAN_THANH"})
    unnamed = desk.file("border_gate", description="The gate's toilets are locked all day")
    headers = signed_in(client, "gateofficer")
    linked = client.post(f"/unit/api/reports/{queue.tracking_code}/trip",
                         json={"declaration_reference": reference}, headers=headers)
    assert linked.status_code == 200 and linked.json()["trip"] == reference, linked.text
    # A report naming no crossing point is shown where the trip it was linked to crosses.
    client.post(f"/unit/api/reports/{unnamed.tracking_code}/trip", json={"declaration_reference": reference},
                headers=headers).raise_for_status()
    client.cookies.clear()
    post_form(client, "/signin", "/signin", {"username": "operator", "password": PASSWORD}, follow_redirects=False)
    board = client.get("/board", params={"point": "HUU_NGHI", "lang": "en"})
    panel = board.text.split('id="citizen-reports"', 1)[1].split("</section>", 1)[0]
    assert queue.tracking_code in panel and reference in panel and elsewhere.tracking_code not in panel
    assert unnamed.tracking_code in panel
    assert "+84913000222" not in panel
