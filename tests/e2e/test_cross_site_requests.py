"""Forms of the screens cannot be posted from another site: Origin/Referer checks, a CSRF token, security headers."""
from __future__ import annotations

import pytest

from tests.builders import PASSWORD, a_trip

EVIL = "https://evil.example"


def signed_in_cookie(client, username: str) -> None:
    """The victim signs in to the screens in their browser: the session cookie is now in the client's jar."""
    page = client.get("/signin")
    answer = client.post("/signin", data={"username": username, "password": PASSWORD, "next": "/portal",
                                          **form_token(page.text)},
                         headers={"Origin": "http://testserver"}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    assert "bordergate_session" in client.cookies


def form_token(html: str) -> dict[str, str]:
    """The hidden csrf_token of the page's forms, as a browser would send it back (none before the defence)."""
    import re
    found = re.search(r'name="csrf_token" value="([^"]*)"', html)
    return {"csrf_token": found.group(1)} if found else {}


def a_declaration(client, gate, sign_in) -> str:
    answer = client.post("/api/v1/declarations", json=a_trip(gate), headers=sign_in("lan"))
    assert answer.status_code == 201, answer.text
    return answer.json()["reference"]


def status_of(client, reference: str, sign_in) -> str:
    return client.get(f"/api/v1/declarations/{reference}", headers=sign_in("lan")).json()["status"]["code"]


def test_a_form_posted_from_another_site_with_the_victims_cookie_does_not_cancel_the_declaration(
        client, gate, world, sign_in):
    reference = a_declaration(client, gate, sign_in)
    signed_in_cookie(client, "lan")
    # evil.example's page auto-submits <form action="http://gate/portal/BG.../cancel" method="post">.
    answer = client.post(f"/portal/{reference}/cancel", data={"reason": "forged"},
                         headers={"Origin": EVIL, "Referer": f"{EVIL}/cute-cats"}, follow_redirects=False)
    assert answer.status_code == 403
    assert status_of(client, reference, sign_in) == "submitted"
