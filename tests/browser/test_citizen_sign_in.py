"""A citizen signs in on a phone-sized screen: by the code the demo's sandbox SMS page shows, then with VNeID's
sandbox, as a person trying the demo would."""
from __future__ import annotations

import random
import re
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from bordergate.bootstrap import Gate, bootstrap
from bordergate.config import Settings
from bordergate.entrypoints.cli import seed_crossing_points
from bordergate.entrypoints.demo_citizens import CITIZENS
from tests.support.citizens import with_citizen_sandboxes
from tests.browser.conftest import _free_port, serving
from tests.browser.test_content_policy import WATCH
from tests.conftest import CHEAP_PASSWORDS


@pytest.fixture
def citizens_served(tmp_path, clock, sqlite_template) -> Iterator[tuple[Gate, str]]:
    """The demo's citizens' side served: /sandbox/sms and VNeID's sandbox at /sandbox/vneid."""
    path = tmp_path / "citizens.db"
    shutil.copy(sqlite_template, path)
    port = _free_port()
    gate = bootstrap(Settings(database_url=f"sqlite:///{path}", secret_key="test-secret-of-at-least-32-characters",
                              public_url=f"http://127.0.0.1:{port}", sweep_seconds=0),
                     clock=clock, rng=random.Random(2026), passwords=CHEAP_PASSWORDS)
    seed_crossing_points(gate)
    with_citizen_sandboxes(gate)
    with serving(gate, port):
        yield gate, f"http://127.0.0.1:{port}"
    gate.engine.dispose()


def test_a_citizen_signs_in_by_the_code_the_sandbox_sms_shows_then_with_vneid(citizens_served, browser):
    _, base = citizens_served
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    troubles: list[str] = []
    context.expose_function("bordergateViolation", lambda text: troubles.append(text))
    context.add_init_script(WATCH)  # the content policy holds on every page of the journey, the sandboxes' too
    phone = context.new_page()
    phone.on("pageerror", lambda error: troubles.append(str(error)))
    phone.goto(f"{base}/citizen/sign-in?next=/citizen/sign-in&lang=en")
    phone.get_by_label("Your phone number").fill("0912 345 678")
    phone.get_by_role("button", name="Send me a code").click()
    expect(phone.get_by_text("We sent a 6-digit code by SMS to +84912345678")).to_be_visible()

    sms = context.new_page()
    sms.goto(f"{base}/sandbox/sms?phone=0912345678&lang=en")
    text = sms.locator("[data-sms]").first.inner_text()
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", text).group(1)
    phone.get_by_label("Code from the SMS").fill(f"{(int(code) + 1) % 1_000_000:06d}")
    phone.get_by_role("button", name="Sign in", exact=True).click()
    expect(phone.get_by_role("alert")).to_have_text(
        "That code is not right. Check the SMS and type it again: 4 tries left.")
    phone.get_by_label("Code from the SMS").fill(code)
    phone.get_by_role("button", name="Sign in", exact=True).click()
    expect(phone.locator("[data-signed-in]")).to_have_text("You are signed in as +84912345678.")
    phone.get_by_role("button", name="Sign out").click()
    expect(phone).to_have_url(f"{base}/")

    subject, number, name = CITIZENS[1]
    phone.goto(f"{base}/citizen/sign-in?next=/citizen/sign-in&lang=en")
    phone.get_by_role("link", name="Sign in with VNeID").click()
    phone.get_by_role("link", name=re.compile(name)).click()
    expect(phone.locator("[data-signed-in]")).to_have_text(f"You are signed in as {number}.")
    context.close()
    assert troubles == []
