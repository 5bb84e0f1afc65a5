"""Every screen read by axe-core in Vietnamese on a 360-px phone and a desk screen, and the driver's page at 360 px."""
from __future__ import annotations

import json
import os
from urllib.parse import quote

from playwright.sync_api import Browser, Page, expect

from bordergate.domain import commands
from tests.builders import PASSWORD
from tests.integration.queue_helpers import a_queue_desk
from tests.support.accessibility import axe_findings, blocking, count_by_impact, described, phone_measures

PHONE = {"width": 360, "height": 740}
DESK = {"width": 1280, "height": 800}


def a_person_at(browser: Browser, url: str, username: str | None, first: str) -> Page:
    """A page in Vietnamese for ``username`` signed in (nobody when None); the CSP is bypassed only to load axe."""
    context = browser.new_context(viewport=PHONE, bypass_csp=True, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{url}/signin?lang=vi&next={quote(first, safe='')}")
    if username:
        page.locator('input[name="username"]').fill(username)
        page.locator('input[name="password"]').fill(PASSWORD)
        page.locator('form.sign-in button[type="submit"]').click()
        expect(page.locator("nav.who")).to_be_visible()
    return page


def test_no_screen_has_a_serious_or_critical_accessibility_finding_on_a_phone_or_a_desk(served, browser):
    """axe-core's serious and critical findings, listed by rule and element; the phone's screens measured too."""
    gate, url = served
    desk = a_queue_desk(gate, per_hour=2)
    called, waiting = desk.declare(), desk.declare(goods="durian")
    for truck in (called, waiting):
        desk.book(truck)
        desk.arrive_at_waiting_area(truck)
    desk.run()  # the first truck is called forward; its driver's page counts down
    gate.bus.handle(commands.RecordAgencyDecision(desk.world.customs, waiting.reference, "customs", "hold",
                                                  "Invoice unreadable"))
    driver = gate.tracking_url(called.reference).replace(gate.settings.public_url, url)
    # Screens opened on a phone are also measured: nothing wider than 360 px, references, plates and pills on one
    # line, 44-px targets, 16-px input text. The portal's lists and the desk screens may scroll inside a card.
    held_in_a_hand = {"/", "/signin", driver, "/portal/declare", "/citizen/", "/citizen/report"}
    screens = {None: ["/signin", "/", driver, "/citizen/", "/citizen/report"],
               "lan": ["/portal", "/portal/declare", f"/portal/{called.reference}", f"/portal/{waiting.reference}"],
               "operator": ["/board?point=HUU_NGHI"],
               "customs": ["/agency?point=HUU_NGHI"],
               "admin": ["/admin"]}

    failures, counts = [], {}
    for username, paths in screens.items():
        page = a_person_at(browser, url, username, paths[0])
        for path in paths:
            page.goto(path if path.startswith("http") else url + path)
            for width, viewport in (("360", PHONE), ("desk", DESK)):
                page.set_viewport_size(viewport)
                findings = axe_findings(page)
                where = f"{path.replace(url, '')[:40]} @ {width}"
                counts[where] = count_by_impact(findings)
                if blocking(findings):
                    failures.append(described(where, blocking(findings)))
                if width == "360" and path in held_in_a_hand:
                    unfit = {what: found for what, found in phone_measures(page).items()
                             if isinstance(found, list) and found}
                    if unfit:
                        failures.append(f"{where} does not fit a phone: {unfit}")
            page.set_viewport_size(PHONE)
        page.context.close()
    if os.environ.get("BORDERGATE_AXE_REPORT"):
        print(json.dumps(counts, indent=1, ensure_ascii=False))
    assert not failures, "\n".join(failures)
