"""Forms of the screens cannot be sent from another site: Origin/Referer checks and a token bound to the session."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from fastapi.testclient import TestClient

from bordergate.entrypoints.api.app import create_app
from bordergate.entrypoints.web.session import screen_principal
from tests.builders import PASSWORD, a_trip
from tests.support.forms import form_token, post_form

EVIL = "https://evil.example"
OWN = "http://testserver"
PROBLEM_JSON = "application/problem+json"


def signed_in(client, username: str) -> str:
    """``username`` signs in on the screens in this browser; the session cookie is in its jar. Their portal page."""
    answer = post_form(client, "/signin", "/signin", {"username": username, "password": PASSWORD, "next": "/portal"},
                       follow_redirects=False)
    assert answer.status_code == 303, answer.text
    assert "bordergate_session" in client.cookies
    return client.get("/portal").text


def a_declaration(client, gate, sign_in) -> str:
    answer = client.post("/api/v1/declarations", json=a_trip(gate), headers=sign_in("lan"))
    assert answer.status_code == 201, answer.text
    return answer.json()["reference"]


def status_of(client, reference: str, sign_in) -> str:
    return client.get(f"/api/v1/declarations/{reference}", headers=sign_in("lan")).json()["status"]["code"]


def cancel(client, reference: str, headers: dict[str, str], lang: str = "vi", **form: str):
    return client.post(f"/portal/{reference}/cancel?lang={lang}", data={"reason": "no longer needed", **form},
                       headers=headers, follow_redirects=False)


def test_a_form_posted_from_another_site_with_the_victims_cookie_does_not_cancel_the_declaration(
        client, gate, world, sign_in):
    reference = a_declaration(client, gate, sign_in)
    token = form_token(signed_in(client, "lan"))
    # evil.example's page auto-submits <form action="http://gate/portal/BG.../cancel" method="post">; even with the
    # token (were it ever to leak), a foreign Origin is refused.
    answer = cancel(client, reference, {"Origin": EVIL, "Referer": f"{EVIL}/cute-cats"}, csrf_token=token)
    assert answer.status_code == 403
    assert status_of(client, reference, sign_in) == "submitted"


def test_a_form_from_the_sites_own_origin_without_its_token_is_refused(client, gate, world, sign_in):
    reference = a_declaration(client, gate, sign_in)
    signed_in(client, "lan")
    # A sibling subdomain or a same-origin injection can forge the Origin's site, but cannot know the token.
    answer = cancel(client, reference, {"Origin": OWN, "Accept": "text/html"}, lang="en")
    assert answer.status_code == 403
    assert "opened before your last sign-in or sign-out" in answer.text and "reload the page" in answer.text
    assert status_of(client, reference, sign_in) == "submitted"


def test_a_token_of_another_session_does_not_open_this_one(client, gate, world, sign_in):
    reference = a_declaration(client, gate, sign_in)
    with TestClient(create_app(gate)) as mallory:
        foreign = form_token(signed_in(mallory, "minh"))
    signed_in(client, "lan")
    assert cancel(client, reference, {"Origin": OWN}, csrf_token=foreign).status_code == 403
    assert status_of(client, reference, sign_in) == "submitted"


def test_the_portals_own_form_with_its_token_cancels_the_declaration(client, gate, world, sign_in):
    reference = a_declaration(client, gate, sign_in)
    signed_in(client, "lan")
    answer = post_form(client, f"/portal/{reference}", f"/portal/{reference}/cancel", {"reason": "no longer needed"},
                       follow_redirects=False)
    assert answer.status_code == 303, answer.text
    assert status_of(client, reference, sign_in) == "cancelled"


def test_without_an_origin_the_referer_must_be_the_sites_own_and_without_either_the_form_is_refused(
        client, gate, world, sign_in):
    reference = a_declaration(client, gate, sign_in)
    token = form_token(signed_in(client, "lan"))
    assert cancel(client, reference, {"Referer": f"{EVIL}/cute-cats"}, csrf_token=token).status_code == 403
    assert cancel(client, reference, {}, csrf_token=token).status_code == 403
    assert cancel(client, reference, {"Origin": "null"}, csrf_token=token).status_code == 403
    assert status_of(client, reference, sign_in) == "submitted"
    assert cancel(client, reference, {"Referer": f"{OWN}/portal/{reference}"}, csrf_token=token).status_code == 303
    assert status_of(client, reference, sign_in) == "cancelled"


def test_the_public_url_is_the_sites_own_origin_behind_a_proxy(client, gate, world, sign_in):
    reference = a_declaration(client, gate, sign_in)
    token = form_token(signed_in(client, "lan"))
    # The conftest gate's BORDERGATE_PUBLIC_URL is http://gate.test; the proxy forwards to "testserver".
    assert cancel(client, reference, {"Origin": "http://gate.test"}, csrf_token=token).status_code == 303


def test_a_program_is_told_why_in_a_problem_and_a_browser_on_a_page(client, gate, world, sign_in):
    reference = a_declaration(client, gate, sign_in)
    signed_in(client, "lan")
    program = cancel(client, reference, {"Origin": EVIL, "Accept": "application/json"})
    assert program.status_code == 403 and program.headers["content-type"] == PROBLEM_JSON
    assert program.json()["detail"].endswith("Nothing was changed. Reload the page and try again.")
    browser = cancel(client, reference, {"Origin": EVIL, "Accept": "text/html", "Referer": f"{EVIL}/x"}, lang="en")
    assert browser.status_code == 403 and "data-refused-form" in browser.text
    assert "sent from another website" in browser.text
    assert 'href="/"' in browser.text  # back to this site, never to the site that sent the form


def test_signing_in_from_another_site_is_refused_so_nobody_is_signed_in_as_the_attacker(client, gate, world):
    # Login CSRF: evil.example signs the victim's browser in as the attacker, to read what they then type.
    page = client.get("/signin")
    token = form_token(page.text)
    answer = client.post("/signin", data={"username": "minh", "password": PASSWORD, "csrf_token": token},
                         headers={"Origin": EVIL}, follow_redirects=False)
    assert answer.status_code == 403
    assert "bordergate_session" not in client.cookies
    forged = TestClient(create_app(gate))  # a browser that never opened the sign-in page has no pre-session cookie
    answer = forged.post("/signin", data={"username": "minh", "password": PASSWORD, "csrf_token": token},
                         headers={"Origin": OWN}, follow_redirects=False)
    assert answer.status_code == 403
    assert "bordergate_session" not in forged.cookies


def test_the_sign_in_page_sets_a_pre_session_cookie_that_the_public_pages_do_not(client):
    assert "bordergate_csrf" not in client.get("/").cookies
    cookie = client.get("/signin").cookies["bordergate_csrf"]
    assert len(cookie) >= 40
    assert "bordergate_csrf" not in client.get("/signin").cookies  # kept, not replaced, while the browser has it


def test_the_api_never_reads_the_session_cookie_so_it_needs_no_token(client, gate, world, sign_in):
    reference = a_declaration(client, gate, sign_in)
    signed_in(client, "lan")
    assert client.get("/api/v1/me").status_code == 401
    forged = client.post(f"/api/v1/declarations/{reference}/cancel", json={}, headers={"Origin": EVIL})
    assert forged.status_code == 401
    assert status_of(client, reference, sign_in) == "submitted"
    client.cookies.clear()
    # A program with its Bearer token sends no Origin and no csrf_token, and is served.
    answer = client.post(f"/api/v1/declarations/{reference}/cancel", json={}, headers=sign_in("lan"))
    assert answer.status_code == 200, answer.text


def test_a_script_may_send_the_token_as_a_header(client, gate, world, sign_in):
    reference = a_declaration(client, gate, sign_in)
    token = form_token(signed_in(client, "lan"))
    assert cancel(client, reference, {"Origin": OWN, "X-CSRF-Token": token}).status_code == 303


def api_routes(routes) -> list:
    found = []
    for route in routes:
        if hasattr(route, "original_router"):  # a router included into the app
            found += api_routes(route.original_router.routes)
        elif getattr(route, "path", "").startswith("/api/") and hasattr(route, "dependant"):
            found.append(route)
    return found


def reads(dependant) -> Iterator:
    yield dependant
    for sub in dependant.dependencies:
        yield from reads(sub)


def test_no_api_route_reads_a_cookie_so_none_can_be_forged_cross_site(client):
    routes = api_routes(client.app.routes)
    assert len(routes) > 50
    cookie_readers = [route.path for route in routes
                      if any(d.cookie_params or d.call is screen_principal for d in reads(route.dependant))]
    assert cookie_readers == []
    # Nor does a handler look at the cookies itself.
    api = Path(create_app.__code__.co_filename).parent
    assert [path.name for path in api.rglob("*.py") if re.search(r"cookies|SESSION_COOKIE", path.read_text())] == []
