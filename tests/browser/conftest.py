"""Browser fixtures: bordergate served on a real socket, and Debian's chromium driven by Playwright."""
from __future__ import annotations

from contextlib import contextmanager

import os
import random
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from bordergate.adapters.sql.database import upgrade
from bordergate.bootstrap import Gate, bootstrap
from bordergate.config import Settings
from bordergate.entrypoints.api.app import create_app
from bordergate.entrypoints.cli import seed_crossing_points
from tests.conftest import CHEAP_PASSWORDS

CHROMIUM = os.environ.get("BORDERGATE_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(gate: Gate, port: int) -> Iterator[None]:
    """The gate's app served by uvicorn in a thread on ``port`` until the block ends."""
    server = uvicorn.Server(uvicorn.Config(create_app(gate), host="127.0.0.1", port=port, log_level="warning",
                                           timeout_graceful_shutdown=1))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120  # a ceiling against a hang: the loop ends as soon as uvicorn has started
    while not server.started and time.monotonic() < deadline:
        assert thread.is_alive(), "the server thread stopped before it started"
        time.sleep(0.05)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=5)


@pytest.fixture
def served(tmp_path, clock) -> Iterator[tuple[Gate, str]]:
    """A gate on a SQLite file served by uvicorn in a thread; live screens look for changes every 0.2 s."""
    url = f"sqlite:///{tmp_path / 'screens.db'}"
    upgrade(url)
    port = _free_port()
    settings = Settings(database_url=url, secret_key="test-secret-of-at-least-32-characters",
                        public_url=f"http://127.0.0.1:{port}", live_seconds=0.2, sweep_seconds=0,
                        sandbox_payments=True)
    gate = bootstrap(settings, clock=clock, rng=random.Random(2026), passwords=CHEAP_PASSWORDS)
    seed_crossing_points(gate)
    with serving(gate, port):
        yield gate, f"http://127.0.0.1:{port}"
    gate.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        # .ci/run installs Debian's chromium; a developer's machine without it skips only the browser tests.
        pytest.skip(f"no chromium at {CHROMIUM}: apt-get install chromium (or set BORDERGATE_CHROMIUM)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A 360-px phone, as a driver holds at the roadside."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def screen(browser: Browser) -> Iterator[Page]:
    """A control-room or office screen."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


def keep_screenshot(page: Page, name: str) -> None:
    """Refresh docs/screenshots/<name>.png when BORDERGATE_SCREENSHOTS is set (they are committed for the README)."""
    if os.environ.get("BORDERGATE_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
