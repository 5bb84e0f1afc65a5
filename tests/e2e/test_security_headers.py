"""Every response carries the security headers; the screens' policy allows no inline script; HSTS only over https."""
from __future__ import annotations

import dataclasses

import pytest
from fastapi.testclient import TestClient

from bordergate.domain import commands
from bordergate.entrypoints.api.app import create_app

SCREENS_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
                  "font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self' http://gate.test; "
                  "object-src 'none'")
ANSWERS = [("GET", "/"), ("GET", "/signin"), ("GET", "/portal"), ("GET", "/static/bordergate.css"),
           ("GET", "/static/vendor/chart-4.6.1.umd.min.js"), ("GET", "/api/v1/crossing-points"),
           ("GET", "/api/v1/me"), ("GET", "/api/v1/no-such-thing"), ("GET", "/openapi.json"),
           ("POST", "/portal/BG1/cancel"), ("POST", "/api/v1/declarations"), ("GET", "/live/status")]


@pytest.mark.parametrize("method, path", ANSWERS)
def test_every_answer_carries_the_security_headers(client, method, path):
    if path.startswith("/live/"):
        with client.stream(method, path) as answer:
            headers = answer.headers
    else:
        headers = client.request(method, path, follow_redirects=False).headers
    assert headers["content-security-policy"] == SCREENS_POLICY
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "strict-transport-security" not in headers  # the test gate's public URL is http://gate.test


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/docs/oauth2-redirect"])
def test_the_developers_api_pages_have_their_own_policy_and_still_no_framing(client, path):
    answer = client.get(path)
    policy = answer.headers["content-security-policy"]
    assert "https://cdn.jsdelivr.net" in policy and "frame-ancestors 'none'" in policy
    assert answer.headers["x-frame-options"] == "DENY"


def test_browsers_are_told_to_insist_on_https_only_when_the_gate_is_reached_over_https(gate):
    secure = dataclasses.replace(gate, settings=gate.settings.model_copy(update={"public_url": "https://gate.example"}))
    with TestClient(create_app(secure), base_url="https://gate.example") as client:
        assert client.get("/").headers["strict-transport-security"] == "max-age=31536000"
        assert client.get("/api/v1/crossing-points").headers["strict-transport-security"] == "max-age=31536000"
        cookie = client.get("/signin").headers["set-cookie"]
        assert "bordergate_csrf=" in cookie and "Secure" in cookie and "HttpOnly" in cookie


def test_forms_may_lead_only_to_the_gate_itself_and_its_payment_provider(gate):
    # form-action also governs the redirect after a form: "Pay online" goes on to the provider's page.
    settings = gate.settings.model_copy(update={"payment_url": "https://api.pay.example.vn/v1/orders"})
    with TestClient(create_app(dataclasses.replace(gate, settings=settings))) as client:
        policy = client.get("/").headers["content-security-policy"]
    assert "form-action 'self' http://gate.test https://api.pay.example.vn;" in policy


def test_a_provider_page_the_policy_does_not_name_is_offered_as_a_link_not_a_blocked_redirect(gate, world, sign_in):
    from tests.builders import a_trip
    from tests.e2e.test_cross_site_requests import signed_in
    from tests.support.forms import post_form

    # The sandbox sends the browser to http://gate.test; this gate is reached, and its forms may go, elsewhere only.
    moved = dataclasses.replace(gate, settings=gate.settings.model_copy(update={"public_url": "https://moved.test"}))
    gate.bus.handle(commands.SetCapacityPlan(world.operator, "HUU_NGHI", "inbound", (4,) * 24))
    with TestClient(create_app(moved), base_url="https://moved.test") as client:
        answer = client.post("/api/v1/declarations", json=a_trip(gate, flow="temporary_import_reexport"),
                             headers=sign_in("lan"))
        reference = answer.json()["reference"]
        signed_in(client, "lan")
        paying = post_form(client, f"/portal/{reference}", f"/portal/{reference}/pay", {}, follow_redirects=False)
    assert paying.status_code == 200
    assert "data-to-provider" in paying.text and 'href="http://gate.test/sandbox-pay/' in paying.text
