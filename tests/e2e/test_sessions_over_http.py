"""Sessions that end: signing out, an idle or a full shift, a password change, an administrator's revocation."""
from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from bordergate.domain.sessions import SessionLifetimes
from bordergate.entrypoints.web.session import SESSION_COOKIE
from tests.builders import PASSWORD
from tests.support.forms import post_form
from tests.support.asgi import outside_any_loop

NEW_PASSWORD = "another-long-password"


def token_of(headers: dict[str, str]) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


def actions_on_user(gate, user_id: str) -> list[str]:
    with gate.reader() as uow:
        return [row["action"] for row in uow.audit.history("user", user_id)]


def test_after_signing_out_the_same_token_is_refused(client, gate, world, sign_in):
    lan = sign_in("lan")
    assert client.get("/api/v1/me", headers=lan).status_code == 200

    signed_out = client.post("/api/v1/sign-out", headers=lan)

    assert signed_out.status_code == 200
    refused = client.get("/api/v1/me", headers=lan)
    assert refused.status_code == 401
    assert "signed out" in refused.json()["detail"]
    assert refused.headers["www-authenticate"] == "Bearer"
    assert actions_on_user(gate, world.lan.user_id)[-1] == "SignedOut"


def test_signing_out_of_the_screens_ends_the_session_so_the_old_cookie_no_longer_opens_the_portal(gate, world):
    browser = TestClient(client_app(gate), follow_redirects=False)
    signed_in = post_form(browser, "/signin", "/signin", {"username": "lan", "password": PASSWORD})
    assert signed_in.status_code == 303
    cookie = signed_in.cookies[SESSION_COOKIE]
    assert browser.get("/portal").status_code == 200

    assert post_form(browser, "/portal", "/signout", {}).status_code == 303

    thief = TestClient(client_app(gate), follow_redirects=False, cookies={SESSION_COOKIE: cookie})
    reopened = thief.get("/portal")
    assert reopened.status_code == 303 and reopened.headers["location"].startswith("/signin")
    # The cookie's token is the API's token: it no longer opens the API either.
    assert thief.get("/api/v1/me", headers={"Authorization": f"Bearer {cookie}"}).status_code == 401


def client_app(gate):
    from bordergate.entrypoints.api.app import create_app
    return create_app(gate)


def test_a_sign_in_left_unused_for_the_idle_time_ends_and_one_in_use_lasts(client, gate, clock, world, sign_in):
    gate.sessions.lifetimes = SessionLifetimes(idle=timedelta(minutes=60), absolute=timedelta(hours=8))
    busy, idle = sign_in("lan"), sign_in("minh")
    for _ in range(3):
        clock.advance(minutes=50)
        assert client.get("/api/v1/me", headers=busy).status_code == 200

    assert client.get("/api/v1/me", headers=idle).status_code == 401
    assert "without use" in client.get("/api/v1/me", headers=idle).json()["detail"]


def test_a_sign_in_ends_after_its_shift_however_busy(client, gate, clock, world, sign_in):
    gate.sessions.lifetimes = SessionLifetimes(idle=timedelta(minutes=60), absolute=timedelta(hours=8))
    lan = sign_in("lan")
    for _ in range(15):
        clock.advance(minutes=30)
        assert client.get("/api/v1/me", headers=lan).status_code == 200

    clock.advance(minutes=30)  # 8 hours since signing in

    assert client.get("/api/v1/me", headers=lan).status_code == 401


def test_changing_the_password_ends_every_session_of_the_account_and_answers_a_new_token(client, gate, world,
                                                                                          sign_in):
    phone, desk = sign_in("lan"), sign_in("lan")

    changed = client.post("/api/v1/me/password", headers=desk,
                          json={"current_password": PASSWORD, "new_password": NEW_PASSWORD})

    assert changed.status_code == 200, changed.text
    fresh = {"Authorization": f"Bearer {changed.json()['access_token']}"}
    assert client.get("/api/v1/me", headers=fresh).status_code == 200
    assert client.get("/api/v1/me", headers=phone).status_code == 401
    assert client.get("/api/v1/me", headers=desk).status_code == 401
    assert client.post("/api/v1/auth/token", data={"username": "lan", "password": PASSWORD}).status_code == 401
    assert sign_in("lan", NEW_PASSWORD)
    assert actions_on_user(gate, world.lan.user_id)[-2:] == ["PasswordChanged", "SessionsRevoked"]


@pytest.mark.parametrize("current, new, field, says", [
    (PASSWORD, "short", "new_password", "10 to 256 characters"),
    (PASSWORD, "lan", "new_password", "10 to 256 characters"),
    (PASSWORD, PASSWORD, "new_password", "is the current password"),
    ("not-my-password", NEW_PASSWORD, "current_password", "is not your current password"),
])
def test_a_new_password_that_breaks_the_rules_is_refused_stating_them(client, world, sign_in, current, new, field,
                                                                        says):
    lan = sign_in("lan")

    refused = client.post("/api/v1/me/password", headers=lan, json={"current_password": current, "new_password": new})

    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == field and says in refused.json()["errors"][0]["message"]
    assert client.get("/api/v1/me", headers=lan).status_code == 200


def test_an_administrator_ends_every_session_of_one_person(client, gate, world, sign_in):
    admin, lan, minh = sign_in("admin"), sign_in("lan"), sign_in("minh")

    revoked = client.post(f"/api/v1/users/{world.lan.user_id}/sessions/revoke", headers=admin)

    assert revoked.status_code == 200 and revoked.json() == {"sessions_ended": 1}
    assert client.get("/api/v1/me", headers=lan).status_code == 401
    assert client.get("/api/v1/me", headers=minh).status_code == 200
    assert actions_on_user(gate, world.lan.user_id)[-1] == "SessionsRevoked"


def test_an_administrator_ends_everybodys_sessions_but_their_own(client, gate, world, sign_in):
    admin, lan, customs = sign_in("admin"), sign_in("lan"), sign_in("customs")

    revoked = client.post("/api/v1/sessions/revoke-all", headers=admin)

    assert revoked.status_code == 200 and revoked.json() == {"sessions_ended": 2}
    assert [client.get("/api/v1/me", headers=h).status_code for h in (admin, lan, customs)] == [200, 401, 401]
    with gate.reader() as uow:
        assert uow.audit.history("sessions", "all")[-1]["action"] == "SessionsRevoked"


def test_only_an_administrator_revokes_sessions(client, world, sign_in):
    lan = sign_in("lan")
    assert client.post("/api/v1/sessions/revoke-all", headers=lan).status_code == 403
    assert client.post(f"/api/v1/users/{world.minh.user_id}/sessions/revoke", headers=lan).status_code == 403
    assert client.post(f"/api/v1/users/{world.minh.user_id}/deactivate", headers=lan).status_code == 403


def test_deactivating_a_person_ends_their_sessions_and_their_sign_in(client, gate, world, sign_in):
    admin, lan = sign_in("admin"), sign_in("lan")

    deactivated = client.post(f"/api/v1/users/{world.lan.user_id}/deactivate", headers=admin)

    assert deactivated.status_code == 200 and deactivated.json() == {"sessions_ended": 1}
    assert client.get("/api/v1/me", headers=lan).status_code == 401
    assert client.post("/api/v1/auth/token", data={"username": "lan", "password": PASSWORD}).status_code == 401
    assert actions_on_user(gate, world.lan.user_id)[-2:] == ["UserDeactivated", "SessionsRevoked"]


def test_a_token_naming_no_session_is_refused(client, gate, world):
    import jwt

    forged_shape = jwt.encode({"sub": world.lan.user_id, "exp": gate.clock.now() + timedelta(hours=1),
                               "iss": "bordergate"}, "test-secret-of-at-least-32-characters", algorithm="HS256")

    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {forged_shape}"}).status_code == 401


def test_a_live_screen_stops_pushing_once_its_session_is_revoked(gate, world):
    import asyncio
    from itertools import count
    from types import SimpleNamespace

    from bordergate.domain.session_commands import RevokeSessions
    from bordergate.entrypoints.web import pages

    _, session = gate.sessions.sign_in("lan", PASSWORD, "198.51.100.7")
    admin = gate.sessions.principal(*_admin_session(gate))
    ticks = count()

    async def is_disconnected() -> bool:
        return False

    screen = SimpleNamespace(cookies={SESSION_COOKIE: gate.tokens.issue(session)}, is_disconnected=is_disconnected,
                             app=SimpleNamespace(state=SimpleNamespace(gate=gate)), state=SimpleNamespace())

    async def pushed() -> int:
        stream = pages.live(screen, lambda: f"<p>{next(ticks)}</p>", 0.01, signed_in=True).body_iterator
        updates = 0
        async for _ in stream:
            updates += 1
            if updates == 2:
                gate.bus.handle(RevokeSessions(admin, world.lan.user_id))
            if updates == 10:
                break
        return updates

    assert outside_any_loop(asyncio.run, pushed()) == 2


def test_a_live_screen_stops_pushing_once_the_person_may_no_longer_see_what_it_shows(gate, world):
    """An agent's stream of a trip opened while the enterprise authorised the agency; the enterprise withdraws it."""
    import asyncio
    from itertools import count
    from types import SimpleNamespace

    from bordergate.domain import commands
    from bordergate.entrypoints.web import pages

    _, session = gate.sessions.sign_in("agent", PASSWORD, "198.51.100.9")
    cookie = gate.tokens.issue(session)
    ticks = count()

    async def is_disconnected() -> bool:
        return False

    opened = gate.sessions.principal(world.agent.user_id, session.id, use=False)
    screen = SimpleNamespace(cookies={SESSION_COOKIE: cookie}, is_disconnected=is_disconnected,
                             app=SimpleNamespace(state=SimpleNamespace(gate=gate)),
                             state=SimpleNamespace(principal=opened))

    async def pushed() -> int:
        stream = pages.live(screen, lambda: f"<p>{next(ticks)}</p>", 0.01, signed_in=True).body_iterator
        updates = 0
        async for _ in stream:
            updates += 1
            if updates == 2:
                gate.bus.handle(commands.RevokeAgent(world.minh, world.fruit, world.agency))
            if updates == 10:
                break
        return updates

    assert world.fruit in opened.enterprises
    assert outside_any_loop(asyncio.run, pushed()) == 2


def _admin_session(gate) -> tuple[str, str]:
    user, session = gate.sessions.sign_in("admin", PASSWORD, "198.51.100.8")
    return user.id, session.id
