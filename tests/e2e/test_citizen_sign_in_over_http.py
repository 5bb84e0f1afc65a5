"""Citizens sign in over HTTP: the app's JSON twin and the screens, by a code the sandbox SMS brings, and by VNeID's
sandbox; the code is kept nowhere once sent (outbox, trail, logs) on SQLite and PostgreSQL alike."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from bordergate.adapters.sms import SandboxSms
from bordergate.entrypoints.api.app import create_app
from tests.support.citizens import with_citizen_sandboxes
from tests.e2e.conftest import PROBLEM_JSON
from tests.support.forms import form_token, post_form
from tests.conftest import database_url  # noqa: F401 (both databases: see tests/e2e/conftest.py)

PHONE = "+84912345678"
CODES = "/citizen/api/sign-in-codes"
SESSIONS = "/citizen/api/sessions"


@pytest.fixture
def citizen_app(gate):
    with_citizen_sandboxes(gate)
    with TestClient(create_app(gate), base_url="http://gate.test") as http:
        yield http


def the_code(gate, phone: str = PHONE) -> str:
    """The code in the last SMS the sandbox kept for ``phone``."""
    assert isinstance(gate.sms, SandboxSms)
    return re.search(r"(?<!\d)(\d{6})(?!\d)", gate.sms.to(phone)[-1]).group(1)


def as_the_page(client: TestClient) -> dict[str, str]:
    """What the citizen app's page sends with its JSON: the site's origin and the form token of this browser."""
    opened = client.get("/citizen/sign-in")
    return {"Origin": "http://gate.test", "X-CSRF-Token": form_token(opened.text)}


def test_sign_in_code_expires_is_throttled_and_never_logged(gate, citizen_app, clock, capfd):
    page = as_the_page(citizen_app)
    asked = citizen_app.post(CODES, json={"phone": "0912 345 678", "locale": "en"}, headers=page)
    assert asked.status_code == 202, asked.text
    assert asked.json() == {"phone": PHONE, "expires_in": 300, "attempts": 5}
    code = the_code(gate)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    refused = citizen_app.post(SESSIONS, json={"phone": PHONE, "code": wrong}, headers=page)
    assert refused.status_code == 401 and refused.headers["content-type"].startswith(PROBLEM_JSON)
    assert "4 tries left" in refused.json()["detail"]
    signed = citizen_app.post(SESSIONS, json={"phone": PHONE, "code": code}, headers=page)
    assert signed.status_code == 200, signed.text
    assert signed.json()["role"] == "citizen" and "bordergate_session" in signed.cookies
    assert PHONE in citizen_app.get("/citizen/sign-in").text  # "signed in as"

    page = as_the_page(citizen_app)  # signed in, this browser's form token is bound to its new session
    citizen_app.post(CODES, json={"phone": PHONE}, headers=page)
    clock.advance(seconds=300)
    expired = citizen_app.post(SESSIONS, json={"phone": PHONE, "code": the_code(gate)}, headers=page)
    assert expired.status_code == 401 and "expired" in expired.json()["detail"]
    assert citizen_app.post(CODES, json={"phone": PHONE}, headers=page).status_code == 202
    throttled = citizen_app.post(CODES, json={"phone": PHONE}, headers=page)
    assert throttled.status_code == 429 and throttled.headers["content-type"].startswith(PROBLEM_JSON)
    assert int(throttled.headers["Retry-After"]) > 0 and "try again in" in throttled.json()["detail"]

    codes = {m for text_ in gate.sms.to(PHONE) for m in re.findall(r"(?<!\d)\d{6}(?!\d)", text_)} | {wrong}
    with gate.engine.connect() as connection:
        kept = repr([connection.execute(text(f"SELECT * FROM {table}")).all()
                     for table in ("notices", "audit_log", "sign_in_codes", "security_log")])
        assert {row[0] for row in connection.execute(text("SELECT text FROM notices"))} == {"(sign-in code sent)"}
        trail = connection.execute(text("SELECT action, payload FROM audit_log")).all()
        sent = connection.execute(text("SELECT DISTINCT subject_type FROM audit_log WHERE action = 'NoticeSent'"))
        assert sent.scalars().all() == ["notice"]  # a code's SMS is no declaration's
        assert [a for a, _ in trail if a.startswith("Citizen")] == ["CitizenRegistered"] and PHONE not in repr(trail)
    captured = capfd.readouterr()
    logged = re.sub(r"\d{4}-\d\d-\d\dT[\d:.]+Z", "", captured.out + captured.err)  # a time's digits are no code
    assert len(codes) == 4 and not [c for c in codes if c in kept or c in logged]

    out = citizen_app.post("/signout", data={"csrf_token": form_token(citizen_app.get("/citizen/sign-in").text)},
                           headers={"Origin": "http://gate.test"}, follow_redirects=False)
    assert out.status_code == 303 and PHONE not in citizen_app.get("/citizen/sign-in").text


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_screens_say_each_refusal_in_the_readers_language_and_go_on_only_to_this_site(gate, citizen_app):
    start = "/citizen/sign-in?next=https://evil.example/&lang=zh"
    wrong_phone = post_form(citizen_app, start, "/citizen/sign-in/code", {"phone": "12ab", "next": ""})
    assert wrong_phone.status_code == 422 and "这不是手机号" in wrong_phone.text
    asked = post_form(citizen_app, "/citizen/sign-in?lang=vi", "/citizen/sign-in/code",
                      {"phone": "0912345678", "next": "/citizen/sign-in?from=sms"})
    assert asked.status_code == 200 and "Chúng tôi đã gửi mã 6 chữ số" in asked.text
    token = form_token(asked.text)
    code = the_code(gate)
    origin = {"Origin": "http://gate.test"}
    wrong = citizen_app.post("/citizen/sign-in", data={"csrf_token": token, "phone": PHONE, "next": "",
                                                       "code": f"{(int(code) + 1) % 1_000_000:06d}"}, headers=origin)
    assert wrong.status_code == 401 and "còn 4 lần thử" in wrong.text
    done = citizen_app.post("/citizen/sign-in", data={"csrf_token": token, "phone": PHONE, "code": code,
                                                      "next": "https://evil.example/"},
                            headers=origin, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/citizen/"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # its SQL is the contract test's, on both
def test_vneid_signs_in_the_citizen_of_the_phone_it_verified_and_refuses_a_foreign_answer(gate, citizen_app):
    page = as_the_page(citizen_app)
    assert "/citizen/vneid" in citizen_app.get("/citizen/sign-in").text  # the button, as VNeID is set up
    citizen_app.post(CODES, json={"phone": "+84912000001"}, headers=page)
    by_code = citizen_app.post(SESSIONS, json={"phone": "+84912000001", "code": the_code(gate, "+84912000001")},
                               headers=page).json()
    citizen_app.cookies.delete("bordergate_session")
    assert by_code["username"] == "+84912000001"
    begun = citizen_app.get("/citizen/vneid?next=/citizen/sign-in", follow_redirects=False)
    assert begun.status_code == 303 and "code_challenge_method=S256" in begun.headers["location"]
    chosen = citizen_app.get(begun.headers["location"] + "&as=VN-DEMO-001", follow_redirects=False)
    back = urlsplit(chosen.headers["location"])
    assert back.path == "/citizen/vneid/callback"
    done = citizen_app.get(f"{back.path}?{back.query}")
    assert done.status_code == 200 and 'content="0; url=/citizen/sign-in"' in done.text
    assert "+84912000001" in citizen_app.get("/citizen/sign-in").text
    with gate.engine.connect() as connection:
        linked = connection.execute(text("SELECT user_id FROM citizen_profiles WHERE vneid_subject = 'VN-DEMO-001'"))
        assert linked.scalar_one() == by_code["user_id"]
    replayed = citizen_app.get(f"{back.path}?{back.query}")
    assert replayed.status_code == 400 and "VNeID" in replayed.text


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_no_password_opens_a_citizens_account(gate, citizen_app):
    page = as_the_page(citizen_app)
    citizen_app.post(CODES, json={"phone": PHONE}, headers=page)
    assert citizen_app.post(SESSIONS, json={"phone": PHONE, "code": the_code(gate)}, headers=page).status_code == 200
    for password in ("!", "a-long-password"):
        tried = citizen_app.post("/api/v1/auth/token", data={"username": PHONE, "password": password})
        assert tried.status_code == 401, tried.text
