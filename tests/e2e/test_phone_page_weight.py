"""A phone at the roadside on 3G: pages compressed, static files under fingerprinted URLs cached for a year, no chart
library, and every live push stamped with the gate's time."""
from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

from bordergate.entrypoints.web.static_files import fingerprint
from tests.builders import a_trip

BROWSER = {"Accept": "text/html", "Accept-Encoding": "gzip, deflate, br"}
STATIC_URL = re.compile(r'(?:src|href)="(/static/[^"?]+)\?v=([0-9a-f]{12})"')


def test_the_public_page_and_its_script_come_gzip_compressed_to_a_phone_that_accepts_it(client):
    page = client.get("/", headers=BROWSER)
    assert page.status_code == 200 and page.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in page.headers["vary"].lower()
    script = client.get("/static/status.js", headers=BROWSER)
    assert script.headers["content-encoding"] == "gzip"


def test_a_live_stream_is_never_compressed_so_no_push_waits_in_a_buffer(client):
    with client.stream("GET", "/live/status", headers=BROWSER) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        assert "content-encoding" not in stream.headers


def test_the_screens_name_static_files_by_their_content_and_those_are_kept_for_a_year(client):
    page = client.get("/", headers=BROWSER)
    named = STATIC_URL.findall(page.text)
    assert {path for path, _ in named} >= {"/static/bordergate.css", "/static/live.js", "/static/status.js"}
    for path, version in named:
        assert version == fingerprint(path.removeprefix("/static/"))
        answer = client.get(f"{path}?v={version}", headers=BROWSER)
        assert answer.status_code == 200
        assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"


def test_a_static_file_asked_for_without_its_current_fingerprint_is_checked_again_before_reuse(client):
    for url in ("/static/live.js", "/static/live.js?v=000000000000"):
        assert client.get(url).headers["cache-control"] == "no-cache"


def test_the_public_and_driver_pages_load_no_chart_library(client, gate, world, sign_in):
    declared = client.post("/api/v1/declarations", json=a_trip(gate), headers=sign_in("lan")).json()
    for path in ("/", urlsplit(declared["tracking_url"]).path):
        page = client.get(path, headers=BROWSER)
        assert page.status_code == 200
        assert "chart-4" not in page.text and "/vendor/" not in page.text


def test_every_live_push_carries_the_gates_time_and_the_page_its_time_at_rendering(client, gate, clock):
    at = clock.now().isoformat(timespec="seconds")
    page = client.get("/?lang=en", headers=BROWSER)
    assert f'data-at="{at}"' in page.text and "Live, updated " in page.text
    with client.stream("GET", "/live/status?lang=en") as stream:
        first = []
        for line in stream.iter_lines():
            if not line:
                break
            first.append(line)
    assert first[:2] == ["event: update", f"id: {at}"]


def test_the_chart_asks_for_the_last_figure_of_every_five_minutes_not_each_of_the_days_1440(client, gate, clock):
    start = clock.now().replace(second=0, microsecond=0) - timedelta(minutes=30)
    with gate.uow() as uow:
        for minute in range(30):  # a figure a minute, as the call-forward loop publishes them
            uow.snapshots.add({"crossing_point": "HUU_NGHI", "direction": "outbound",
                               "at": start + timedelta(minutes=minute), "waiting": minute, "called": 0,
                               "booked_ahead": 0, "capacity_this_hour": 4, "expected_wait_minutes": minute * 2})
        uow.commit()
    every = client.get("/api/v1/public/queues/HUU_NGHI/history").json()["series"][0]["points"]
    thinned = client.get("/api/v1/public/queues/HUU_NGHI/history", params={"step_minutes": 5}).json()
    points = thinned["series"][0]["points"]
    assert len(every) == 30 and len(points) == 6
    assert [p["waiting"] for p in points] == [4, 9, 14, 19, 24, 29]  # the last of each step, in time order
    assert client.get("/api/v1/public/queues/HUU_NGHI/history", params={"step_minutes": 0}).status_code == 422
