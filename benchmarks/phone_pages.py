"""Benchmark: what the public page, a driver's page and the board weigh and how long they take on a phone on slow 3G.

The demo's world (seed_demo: accounts, four trucks, the queue, the cameras) on a temporary SQLite file, with a full
day of published queue figures (one a minute per lane for 24 hours, as the call-forward loop publishes them), served
by uvicorn in a thread. Debian's chromium, driven by Playwright, opens each page as a 360x740 phone (scale 2) over
Chrome DevTools' network emulation: slow 3G as the issue states it, 400 kbit/s down and up, 400 ms latency.

For each page: a first visit (the browser's cache emptied first) and a second (the same phone opening it again).
"Bytes" are the bytes transferred (Network.loadingFinished's encodedDataLength: headers and the body as sent, after
compression), "requests" every request the page made (the live stream included; its bytes are left out, as it never
finishes). "Load" runs from the navigation to the page being usable: its load event, and for the public page its
24-hour chart drawn (#history[data-points]). The board is opened signed in as the operator (signing in is not
counted).

--label names the run in benchmarks/results/phone_pages.json, so the same script run against another source tree
(PYTHONPATH=/work/main/src python benchmarks/phone_pages.py --label main) sits beside it.

    python benchmarks/phone_pages.py
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from bordergate.adapters.sql.database import upgrade
from bordergate.bootstrap import bootstrap
from bordergate.config import Settings
from bordergate.entrypoints.api.app import create_app
from bordergate.entrypoints.cli import seed_crossing_points
from bordergate.entrypoints.demo import PASSWORD, seed_demo

RESULTS = Path(__file__).resolve().parent / "results"
CHROMIUM = os.environ.get("BORDERGATE_CHROMIUM", "/usr/bin/chromium")
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}
# What says each page is usable; the public page is not, until its chart is drawn.
READY = {"public": "#history[data-points]", "track": "#trip [data-status]", "board": "#lane"}


def a_full_day(gate) -> None:
    """A published figure a minute for every lane over the last 24 hours, as a running gate has."""
    now = gate.clock.now().replace(second=0, microsecond=0)
    with gate.uow() as uow:
        lanes = uow.capacity.lanes()
        for minute in range(24 * 60):
            at = now - timedelta(minutes=minute + 1)
            for point, direction in lanes:
                waiting = 20 + (minute * 7 + len(point)) % 40
                uow.snapshots.add({"crossing_point": point, "direction": direction.value, "at": at,
                                   "waiting": waiting, "called": minute % 5, "booked_ahead": minute % 9,
                                   "capacity_this_hour": 30, "expected_wait_minutes": waiting * 3})
        uow.commit()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def measure(page, cdp, url: str, ready: str) -> dict[str, float]:
    """One visit: bytes, requests and load time of ``url``."""
    seen: dict[str, float] = {"bytes": 0, "requests": 0}
    finished = lambda event: seen.__setitem__("bytes", seen["bytes"] + event["encodedDataLength"])  # noqa: E731
    sent = lambda event: seen.__setitem__("requests", seen["requests"] + 1)  # noqa: E731
    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.requestWillBeSent", sent)
    started = time.monotonic()
    page.goto(url, wait_until="load", timeout=120_000)
    page.wait_for_selector(ready, state="attached", timeout=120_000)
    seen["load_s"] = round(time.monotonic() - started, 2)
    page.wait_for_timeout(500)  # the last answers' bytes are counted once they have finished
    cdp.remove_listener("Network.loadingFinished", finished)
    cdp.remove_listener("Network.requestWillBeSent", sent)
    page.goto("about:blank")
    return {"kb": round(seen["bytes"] / 1000, 1), "requests": seen["requests"], "load_s": seen["load_s"]}


def run() -> dict[str, dict[str, dict[str, float]]]:
    folder = Path(tempfile.mkdtemp(prefix="bordergate-phone-"))
    database = f"sqlite:///{folder / 'gate.db'}"
    upgrade(database)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gate = bootstrap(Settings(database_url=database, public_url=base, secret_key="benchmark-" + "k" * 32,
                              sandbox_payments=True, sweep_seconds=0))
    seed_crossing_points(gate)
    world = seed_demo(gate)
    a_full_day(gate)
    server = uvicorn.Server(uvicorn.Config(create_app(gate), host="127.0.0.1", port=port, log_level="warning",
                                           timeout_graceful_shutdown=1))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    pages = {"public": f"{base}/?lang=vi", "track": gate.tracking_url(world.cleared).replace(
        gate.settings.public_url, base) + "?lang=vi", "board": f"{base}/board?lang=vi"}
    results: dict[str, dict[str, dict[str, float]]] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
            context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2,
                                          is_mobile=True)
            page = context.new_page()
            page.goto(f"{base}/signin?lang=en")
            page.get_by_label("Username").fill("dieuhanh")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url("**/board**")
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", SLOW_3G)
            for name, url in pages.items():
                cdp.send("Network.clearBrowserCache")
                first = measure(page, cdp, url, READY[name])
                again = measure(page, cdp, url, READY[name])
                results[name] = {"first": first, "again": again}
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", default="this branch", help="the run's name in results/phone_pages.json")
    label = parser.parse_args().label
    results = run()
    print(f"{label}: slow 3G (400 kbit/s, 400 ms), 360x740 phone")
    print(f"{'page':<8} {'visit':<6} {'KB transferred':>15} {'requests':>9} {'load s':>7}")
    for name, visits in results.items():
        for visit, figures in visits.items():
            print(f"{name:<8} {visit:<6} {figures['kb']:>15} {figures['requests']:>9} {figures['load_s']:>7}")
    RESULTS.mkdir(exist_ok=True)
    stored = RESULTS / "phone_pages.json"
    kept = json.loads(stored.read_text()) if stored.exists() else {}
    kept[label] = {"measured_at": datetime.now(UTC).isoformat(timespec="seconds"), "machine": platform.machine(),
                   "cpus": os.cpu_count(), "python": sys.version.split()[0], "network": SLOW_3G, "pages": results}
    stored.write_text(json.dumps(kept, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
