"""A phone at the roadside: the public chart readable at 360 px in the reader's language, its history coming with
the page, and a live page that says it is offline, with the figures' time, once the server is gone."""
from __future__ import annotations

import random
import re

from playwright.sync_api import expect

from bordergate.adapters.sql.database import upgrade
from bordergate.bootstrap import bootstrap
from bordergate.config import Settings
from bordergate.entrypoints.cli import seed_crossing_points
from tests.browser.conftest import _free_port, serving
from tests.conftest import CHEAP_PASSWORDS
from tests.integration.queue_helpers import a_queue_desk


def test_the_public_chart_is_a_readable_size_on_a_phone_with_a_line_per_direction_named_in_chinese(served, phone):
    gate, url = served
    desk = a_queue_desk(gate, per_hour=2)
    desk.run()  # publishes the lane's figures
    asked = []
    phone.on("request", lambda request: asked.append(request.url))
    phone.goto(f"{url}/?lang=zh")
    chart = phone.locator("#history")
    expect(chart).to_have_attribute("data-points", re.compile(r"[1-9]\d*"), timeout=10_000)
    for figure in ("waiting", "expected_wait_minutes"):
        box = chart.locator(f'svg[data-figure="{figure}"]').bounding_box()
        assert box["width"] >= 280 and box["height"] >= 120, f"the {figure} plot is {box} on a 360-px phone"
    # The desk runs an export lane only: one line, named for its direction in the reader's language.
    expect(chart.locator(".legend li")).to_have_text([re.compile(r"^\s*出境$")])
    expect(chart.locator('svg[data-figure="waiting"] polyline[data-direction="outbound"]')).to_have_count(1)
    phone.wait_for_timeout(1000)  # live pushes arrive every 0.2 s meanwhile: none asks for the history
    assert not [u for u in asked if "/history" in u], "the first crossing point's history comes with the page"
    assert not [u for u in asked if "chart-4" in u]
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the public page is {width} px wide on a 360-px phone"


def test_a_live_page_says_offline_with_the_time_of_its_figures_once_the_server_is_gone_and_live_when_back(
        tmp_path, clock, phone):
    database = f"sqlite:///{tmp_path / 'screens.db'}"
    upgrade(database)
    port = _free_port()
    settings = Settings(database_url=database, secret_key="test-secret-of-at-least-32-characters",
                        public_url=f"http://127.0.0.1:{port}", live_seconds=0.2, sweep_seconds=0)
    gate = bootstrap(settings, clock=clock, rng=random.Random(2026), passwords=CHEAP_PASSWORDS)
    seed_crossing_points(gate)
    freshness = phone.locator("[data-freshness]")
    with serving(gate, port):
        phone.goto(f"http://127.0.0.1:{port}/?lang=en")
        expect(freshness).to_have_text("Live, updated 08:00")  # the gate's clock, at the border (UTC+7)
        expect(phone.locator("#queues")).to_have_attribute("data-updated", re.compile(r"\d+"))
    expect(freshness).to_have_text("Offline — figures from 08:00", timeout=15_000)
    expect(freshness).to_have_attribute("data-state", "offline")
    clock.advance(minutes=7)
    with serving(gate, port):  # the page's EventSource tries again by itself every few seconds
        expect(freshness).to_have_text("Live, updated 08:07", timeout=30_000)
    gate.engine.dispose()
