"""Every screen, opened by the role it is for, runs under the Content-Security-Policy without one violation, one
console message or one script error, and every form it shows (also after a live update) carries its csrf_token."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from bordergate.domain import commands
from tests.browser.test_operator_board import a_morning_at_huu_nghi
from tests.builders import PASSWORD, a_trip

WATCH = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.bordergateViolation(location.pathname + ": " + event.violatedDirective + " blocked " +
                             (event.blockedURI || "inline") + " at line " + event.lineNumber);
});
"""


@dataclass
class Watched:
    """What the browser reported while the screens were open: policy violations, console messages, script errors."""

    page: Page
    violations: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def heard(self, message: ConsoleMessage) -> None:
        # A 403 or 404 page is what the test asked for; Chromium logs the document's own status, nothing else.
        own_status = message.text.startswith("Failed to load resource: the server responded with a status of 4") \
            and message.location.get("url", "").split("?")[0] == self.page.url.split("?")[0]
        if not own_status:
            where = message.location.get("url")
            self.console.append(f"{urlsplit(self.page.url).path}: {message.type}: {message.text} ({where})")


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    seen = Watched(page)
    page.expose_function("bordergateViolation", lambda text: seen.violations.append(text))
    context.add_init_script(WATCH)
    page.on("console", seen.heard)
    page.on("pageerror", lambda error: seen.errors.append(f"{urlsplit(page.url).path}: {error}"))
    yield seen
    context.close()


def forms_carry_their_token(page: Page) -> None:
    """Every form that posts has a non-empty csrf_token, the same in all of them (one per session)."""
    tokens = page.eval_on_selector_all(
        'form[method="post"]', "forms => forms.map(f => (f.querySelector('input[name=csrf_token]') || {}).value || '')")
    assert "" not in tokens, f"{page.url}: a form without its csrf_token"
    assert len(set(tokens)) <= 1


def opened(page: Page, url: str, path: str) -> None:
    page.goto(f"{url}{path}")
    forms_carry_their_token(page)
    if page.locator("[data-live]").count():
        # The first live update arrives at once: the forms swapped in must carry the token too.
        expect(page.locator("[data-live]").first).to_have_attribute("data-updated", re.compile(r"\d+"))
        forms_carry_their_token(page)


def signed_in(page: Page, url: str, username: str, then: str) -> None:
    page.goto(f"{url}/signin?lang=en&next={quote(then)}")
    forms_carry_their_token(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(re.escape(then.split("?")[0]) + r"(\?|$)"))


def signed_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_every_screen_runs_under_the_policy_without_a_violation_or_a_console_message(served, watched):
    gate, url = served
    desk = a_morning_at_huu_nghi(gate)
    truck = desk.declare(goods="durian")
    # A re-export pays Lang Son's fee: the portal's pay button and the sandbox payment page are screens too.
    gate.bus.handle(commands.SetCapacityPlan(desk.world.operator, "HUU_NGHI", "inbound", (4,) * 24))
    reexport = gate.bus.handle(commands.SubmitDeclaration(desk.world.lan, desk.world.farm,
                                                          a_trip(gate, flow="temporary_import_reexport")))
    page = watched.page

    for path in ("/?lang=en", urlsplit(gate.tracking_url(truck.reference)).path, "/signin", "/citizen/",
                 "/citizen/report"):
        opened(page, url, path)

    signed_in(page, url, "lan", "/portal")
    for path in ("/portal", "/portal/declare", f"/portal/{truck.reference}", "/portal/BG000000-NOPE"):
        opened(page, url, path)
    page.goto(f"{url}/portal/{reexport}")
    page.locator("[data-section=fee] form button").click()
    expect(page).to_have_url(re.compile(r"/sandbox-pay/"))
    forms_carry_their_token(page)
    page.locator("main form button").first.click()
    expect(page).to_have_url(re.compile(r"done=paid"))
    signed_out(page)

    signed_in(page, url, "operator", "/board")
    for path in ("/board", "/board?point=HUU_NGHI&direction=outbound", "/admin"):
        opened(page, url, path)
    page.get_by_role("button", name="Issue a new key").first.click()  # the key page, with its copy button
    expect(page.locator("[data-camera-key]")).to_be_visible()
    page.locator("[data-camera-key]").focus()
    page.get_by_role("button", name="Copy").click()
    signed_out(page)

    signed_in(page, url, "customs", "/agency")
    opened(page, url, "/agency?point=HUU_NGHI")
    signed_out(page)

    signed_in(page, url, "admin", "/admin")
    opened(page, url, "/admin")
    # A form whose token went stale (another tab signed out and in) is refused with a page saying what to do.
    page.eval_on_selector_all("input[name=csrf_token]", "fields => fields.forEach(f => { f.value = 'stale'; })")
    page.locator('form[action="/admin/agents/revoke"] button[type=submit]').first.click()
    expect(page.locator("[data-refused-form]")).to_contain_text("reload the page")
    page.get_by_role("link", name="Back to the page").click()
    expect(page).to_have_url(f"{url}/admin")
    signed_out(page)

    assert watched.violations == []
    assert watched.errors == []
    assert watched.console == []
