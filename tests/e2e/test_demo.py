"""`bordergate demo`, a newcomer's first minute: the screens answer at once, the replayed day is prepared behind
them, and what is printed (addresses, accounts, camera keys) works as printed."""
from __future__ import annotations

import re
import subprocess
import time
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from bordergate.bootstrap import bootstrap
from bordergate.config import Settings
from bordergate.entrypoints.api.app import create_app
from bordergate.entrypoints.cli import main
from tests.conftest import CHEAP_PASSWORDS
from tests.e2e.test_cli_and_server import DEMO_HANG_GUARD
from tests.support.serving import BORDERGATE, CHEAP_ARGON2, environment, free_port, stop

SECRET = "e2e-secret-" + "k" * 32


def printed(log: Path, line: str, demo: subprocess.Popen) -> str:
    """Wait until the demo prints ``line`` (a guard against a hang, not an expectation of speed); the log so far."""
    deadline = time.monotonic() + DEMO_HANG_GUARD
    while time.monotonic() < deadline:
        text = log.read_text()
        if line in text:
            return text
        assert demo.poll() is None, f"the demo stopped early:\n{text}"
        time.sleep(0.1)
    pytest.fail(f"the demo did not print {line!r} in {DEMO_HANG_GUARD} s:\n{log.read_text()}")


def test_the_demo_serves_at_once_says_the_day_is_being_prepared_then_replays_it_on_the_gates_own_clock(tmp_path):
    port = free_port()
    log = tmp_path / "demo.log"
    with log.open("w") as out:
        demo = subprocess.Popen([BORDERGATE, "demo", "--port", str(port), "--speed", "120", "--database",
                                 str(tmp_path / "demo.db")], env=environment("sqlite:///unused.db"), stdout=out,
                                stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        printed(log, f"serving at {base}/", demo)
        public = httpx.get(f"{base}/", params={"lang": "en"})
        assert public.status_code == 200
        if "The day is still being prepared" in public.text:  # unless this machine prepared the day meanwhile
            assert httpx.get(f"{base}/api/v1/public/queues").status_code == 503
        text = printed(log, "the day is ready: ", demo)
        assert "the day is ready: the gate's clock reads 04:00" in text
        assert "cameras of the export journey" in printed(log, "fees: receipt", demo)
        first = httpx.get(f"{base}/healthz").json()["now"]
        waiting = []
        deadline = time.monotonic() + DEMO_HANG_GUARD
        while time.monotonic() < deadline and len(set(waiting)) < 2:
            time.sleep(1)
            queues = httpx.get(f"{base}/api/v1/public/queues", params={"lang": "en"}).json()
            waiting.append(sum(q["waiting"] for q in queues))
        later = httpx.get(f"{base}/healthz").json()["now"]
        # Two real seconds are four simulated minutes: the gate's clock runs at 120x, and trucks come and go.
        assert (datetime.fromisoformat(later) - datetime.fromisoformat(first)).total_seconds() > 120 * 2
        assert len(set(waiting)) >= 2, waiting
        assert "The day is still being prepared" not in httpx.get(f"{base}/", params={"lang": "en"}).text
        assert "replay failed" not in log.read_text()
    finally:
        stop(demo)


def test_the_demo_prints_a_working_key_for_each_camera_of_the_export_journey_and_the_account_each_address_needs(
        tmp_path, monkeypatch):
    for name, value in {**CHEAP_ARGON2, "BORDERGATE_SECRET_KEY": SECRET}.items():
        monkeypatch.setenv(name, value)
    database = tmp_path / "demo.db"
    result = CliRunner().invoke(main, ["demo", "--no-serve", "--database", str(database), "--port", "8123"])
    assert result.exit_code == 0, result.output
    out = result.output
    base = "http://127.0.0.1:8123"
    for line in (f"public page (no account): {base}/", f"{base}/board as dieuhanh", f"{base}/portal as lan",
                 f"{base}/agency as haiquan", f"{base}/admin as admin", ".pdf as dailyhq", "/clearance as lan",
                 "verify (no account): ", "driver page (no account"):
        assert line in out, line
    keys = dict(re.findall(r"^ {4}Hữu Nghị, (.+): (\S+\.\S+)$", out, re.MULTILINE))
    assert list(keys) == ["Waiting area gate", "Export yard gate", "Border line, exit lane"]
    accounts = dict(re.findall(r"sign in as (\w+) +\(\w+\) password: (\S+)", out))
    assert {"admin", "lan", "dailyhq", "dieuhanh", "haiquan", "kiemdich"} <= set(accounts)
    # The citizen service: an officer and a supervisor per unit, and reports in their different states.
    people = dict(re.findall(r"sign in as ([\w.]+) +\((unit_\w+)\)", out))
    assert people["bqlck.canbo"] == "unit_officer" and people["ubnddongdang.lanhdao"] == "unit_supervisor"
    shown = dict(re.findall(r"(\w+) (PA-\d\d-\w{7})", out))
    assert {"received", "accepted", "waiting", "answered", "closed", "urgent", "tip"} <= set(shown)

    gate = bootstrap(Settings(database_url=f"sqlite:///{database}", secret_key=SECRET), passwords=CHEAP_PASSWORDS)
    with TestClient(create_app(gate)) as http:
        for checkpoint, key in keys.items():
            read = http.post("/api/v1/plate-reads", headers={"X-Camera-Key": key},
                             json={"captured_at": gate.clock.now().isoformat(), "plate": "29C-999.99",
                                   "confidence": 0.96})
            assert read.status_code == 201, (checkpoint, read.text)
        for username in ("dieuhanh", "lan", "dailyhq"):
            token = http.post("/api/v1/auth/token", data={"username": username, "password": accounts[username]})
            assert token.status_code == 200, (username, token.text)
