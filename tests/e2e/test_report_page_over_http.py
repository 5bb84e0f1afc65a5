"""The report page over HTTP: what the public, the reporter (account or secret link), a follower and a stranger
each read and may do; the secret link swapped for a cookie; hidden reports and tips not found; the API twins."""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from bordergate.domain import commands, report_commands as rc
from bordergate.domain.accounts import Principal, Role
from bordergate.entrypoints.api.app import create_app
from bordergate.services.authentication import SYSTEM
from tests.builders import PASSWORD
from tests.support.forms import post_form
from tests.conftest import database_url  # noqa: F401 (both databases: see tests/e2e/conftest.py)

ANSWER = "We filled the pothole this morning; thank you for telling us."
WHERE = {"lat": 21.8531, "lon": 106.7612, "commune_code": "X"}


@dataclass
class Desk:
    """A coordinating unit with an officer, two citizens, and reports: one anonymous, one a citizen's, one tip."""

    gate: object
    officer: Principal
    citizen: Principal
    anonymous: str
    secret: str
    mine: str
    tip: str
    tip_secret: str

    def answer(self, code: str) -> None:
        self.gate.bus.handle(rc.AcceptReport(self.officer, code))
        self.gate.bus.handle(rc.AnswerReport(self.officer, code, ANSWER, "fixed"))

    def audited(self, action: str) -> int:
        with self.gate.engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM audit_log WHERE action = :a"),
                                      {"a": action}).scalar_one()


@pytest.fixture
def desk(gate) -> Desk:
    handle = gate.bus.handle
    unit = handle(commands.RegisterOrganisation(SYSTEM, "Trung tâm Phục vụ hành chính công", "unit"))
    handle(rc.RegisterUnit(SYSTEM, "TT_PVHCC", unit, coordinating=True))
    people = {name: handle(commands.CreateUser(SYSTEM, name, PASSWORD, name.title(), role.value, org))
              for name, role, org in (("officer", Role.UNIT_OFFICER, unit), ("hoa", Role.CITIZEN, None),
                                      ("binh", Role.CITIZEN, None))}
    officer = Principal(people["officer"], "officer", Role.UNIT_OFFICER, unit)
    citizen = Principal(people["hoa"], "hoa", Role.CITIZEN, None)
    anonymous = handle(rc.FileReport(None, category="road_damage", description="A deep pothole mid-road", **WHERE))
    mine = handle(rc.FileReport(citizen, category="road_damage", description="Another pothole by the school",
                                **WHERE))
    tip = handle(rc.FileReport(None, category="smuggling_tip", description="Trucks unload at night by the stream",
                               **WHERE))
    return Desk(gate, officer, citizen, anonymous.tracking_code, anonymous.secret, mine.tracking_code,
                tip.tracking_code, tip.secret)


# The screens' SQL is the repositories' (held to one contract on both databases): these run on SQLite alone, but
# the reporter's journey and the questionnaire (the outbox, a conditional UPDATE) run on PostgreSQL too.
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def screen_sign_in(client, username: str) -> None:
    signed = post_form(client, "/signin", "/signin", {"username": username, "password": PASSWORD},
                       follow_redirects=False)
    assert signed.status_code == 303, signed.text


@SQLITE_ONLY
def test_the_public_reads_every_public_step_and_the_secret_link_becomes_a_cookie_for_this_report(client, desk):
    code = desk.anonymous
    public = client.get(f"/r/{code}")
    assert public.status_code == 200
    assert 'data-report-state="received"' in public.text and "data-step=\"ReportFiled\"" in public.text
    assert 'data-action="add_information"' not in public.text and "21.8531" in public.text  # rounded to 4

    opened = client.get(f"/r/{code}?k={desk.secret}", follow_redirects=False)
    assert opened.status_code == 303 and opened.headers["location"] == f"/r/{code}"
    cookie = opened.headers["set-cookie"]
    assert f"Path=/r/{code}" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict",
                                                                                                          "strict")
    as_reporter = client.get(f"/r/{code}")
    assert 'data-reader="reporter"' in as_reporter.text
    assert [f'data-action="{a}"' in as_reporter.text for a in ("add_information", "withdraw", "rate")] == \
        [True, True, False]
    assert client.get(f"/r/{desk.mine}").text.count('data-action=') == 0  # the cookie opens this report only


@SQLITE_ONLY
def test_a_wrong_secret_is_told_nothing_and_kept_in_the_security_log_not_the_audit_trail(gate, desk):
    with TestClient(create_app(gate)) as stranger:
        before = desk.audited("ReportFiled")
        tried = stranger.get(f"/r/{desk.anonymous}?k=NOT-THE-SECRET", follow_redirects=False)
        assert tried.status_code == 303 and tried.headers["location"] == f"/r/{desk.anonymous}"
        assert "set-cookie" not in tried.headers or "bordergate_report_key" not in tried.headers["set-cookie"]
        # The page offers a stranger no form; a token from another page of the site gets the post past the guard.
        posted = post_form(stranger, "/signin", f"/r/{desk.anonymous}/withdraw", {})
        assert posted.status_code == 404 and "data-missing" in posted.text
    with gate.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM security_log WHERE kind = 'report_secret'")
                                  ).scalar_one() == 1
    assert desk.audited("ReportFiled") == before and desk.audited("ReportWithdrawn") == 0


def test_the_reporter_adds_information_sees_the_answer_rates_it_and_reopens_within_the_window(client, desk):
    code = desk.anonymous
    client.get(f"/r/{code}?k={desk.secret}")
    added = post_form(client, f"/r/{code}", f"/r/{code}/information", {"text": "It is 2 m wide now."},
                      follow_redirects=False)
    assert added.status_code == 303 and added.headers["location"] == f"/r/{code}?done=information"
    short = post_form(client, f"/r/{code}", f"/r/{code}/information", {"text": ""})
    assert short.status_code == 422 and "data-refusal" in short.text
    desk.answer(code)
    answered = client.get(f"/r/{code}?lang=en")
    assert "data-answer" in answered.text and ANSWER in answered.text
    assert 'data-action="rate"' in answered.text and 'data-reopen-left="168"' in answered.text
    assert post_form(client, f"/r/{code}", f"/r/{code}/rating", {"stars": "4", "comment": "Quick"},
                     follow_redirects=False).status_code == 303
    assert 'data-action="rate"' not in client.get(f"/r/{code}").text  # once per answer
    reopened = post_form(client, f"/r/{code}", f"/r/{code}/reopen", {"reason": "The hole opened again overnight"})
    assert reopened.status_code == 200 and 'data-report-state="in_progress"' in reopened.text
    assert (desk.audited("ReportInformationAdded"), desk.audited("ReportRated"), desk.audited("ReportReopened")) \
        == (1, 1, 1)


@SQLITE_ONLY
def test_hidden_reports_and_tips_are_not_found_by_the_public_yet_their_reporter_reads_them(client, gate, desk):
    with TestClient(create_app(gate)) as public:
        assert public.get(f"/r/{desk.tip}").status_code == 404
        assert public.get(f"/citizen/api/reports/{desk.tip}").status_code == 404
        gate.bus.handle(rc.HideReport(desk.officer, desk.anonymous, "It names a person in full"))
        assert public.get(f"/r/{desk.anonymous}").status_code == 404
    client.get(f"/r/{desk.tip}?k={desk.tip_secret}")
    assert client.get(f"/r/{desk.tip}").status_code == 200
    nearby = client.get("/citizen/reports/nearby", params={"category": "road_damage", **WHERE}).json()
    assert [r["code"] for r in nearby] == [desk.mine]  # the hidden one is not offered


@SQLITE_ONLY
def test_a_signed_in_citizen_follows_from_the_page_and_finds_it_under_my_reports(client, desk):
    screen_sign_in(client, "binh")
    page = client.get(f"/r/{desk.anonymous}")
    assert 'data-action="follow"' in page.text and 'data-followers="0"' in page.text
    followed = post_form(client, f"/r/{desk.anonymous}", f"/r/{desk.anonymous}/follow", {},
                         follow_redirects=False)
    assert followed.status_code == 303
    page = client.get(f"/r/{desk.anonymous}")
    assert 'data-reader="follower"' in page.text and 'data-followers="1"' in page.text
    assert 'data-action="unfollow"' in page.text and 'data-action="add_information"' not in page.text
    mine = client.get("/citizen/reports")
    assert mine.status_code == 200 and f'data-report="{desk.anonymous}"' in mine.text
    screen_sign_in(client, "hoa")
    listed = client.get("/citizen/reports").text
    assert f'data-report="{desk.mine}"' in listed.split('data-list="followed"')[0]
    assert 'data-reader="reporter"' in client.get(f"/r/{desk.mine}").text


@SQLITE_ONLY
def test_the_api_twins_take_the_secret_header_once_per_idempotency_key_and_a_bearer_for_following(
        client, desk, sign_in):
    code, secret = desk.anonymous, {"X-Report-Secret": desk.secret}
    path = f"/citizen/api/reports/{code}/information"
    first = client.post(path, json={"text": "Two motorbikes fell here"}, headers={**secret, "Idempotency-Key": "k1"})
    again = client.post(path, json={"text": "Two motorbikes fell here"}, headers={**secret, "Idempotency-Key": "k1"})
    assert (first.status_code, again.status_code, again.headers.get("Idempotent-Replayed")) == (201, 201, "true")
    assert desk.audited("ReportInformationAdded") == 1
    wrong = client.post(path, json={"text": "x"}, headers={"X-Report-Secret": "guess"})
    assert wrong.status_code == 404 and wrong.headers["content-type"].startswith("application/problem+json")
    assert client.get(f"/citizen/api/reports/{code}", headers=secret).json()["reader"] == "reporter"
    binh = sign_in("binh")
    assert client.post(f"/citizen/api/reports/{code}/follow", headers=binh).status_code == 201
    assert client.get(f"/citizen/api/reports/{code}", headers=binh).json()["actions"] == ["unfollow"]
    # Asked with cookies alone, the twins are guarded like a screen's form: another site cannot send one.
    assert client.post(f"/citizen/api/reports/{code}/withdraw", headers={"Origin": "https://evil.test"}
                       ).status_code == 403
    withdrawn = client.post(f"/citizen/api/reports/{code}/withdraw", headers=secret)
    assert withdrawn.status_code == 200 and withdrawn.json()["state"]["code"] == "closed"


def test_the_questionnaires_sms_link_opens_its_form_which_is_answered_once(client, gate, desk, clock):
    filed = gate.bus.handle(rc.FileReport(None, category="road_damage", description="Broken street light on QL1A",
                                          contact_phone="0912345678", **WHERE))
    desk.answer(filed.tracking_code)
    clock.advance(days=28)
    assert gate.bus.handle(rc.SendQuestionnaires(SYSTEM)) == 1
    with gate.engine.connect() as connection:
        sms = connection.execute(text("SELECT text FROM notices WHERE kind = 'questionnaire'")).scalar_one()
    link = sms.rsplit(" ", 1)[-1].replace("http://gate.test", "")
    code = filed.tracking_code
    assert link.startswith(f"/r/{code}/questionnaire?t=")
    form = client.get(link)
    assert form.status_code == 200 and 'name="fixed"' in form.text
    token = link.split("?t=")[1]
    sent = post_form(client, link, f"/r/{code}/questionnaire", {"t": token, "fixed": "no", "comment": "Still dark"})
    assert sent.status_code == 200 and "data-answered" in sent.text
    assert "data-answered" in client.get(link).text and 'name="fixed"' not in client.get(link).text
    assert client.get(f"/r/{code}/questionnaire?t=a-guess").status_code == 404
    assert desk.audited("QuestionnaireAnswered") == 1
