"""Running the installed `bordergate` command in tests: its environment, a free port, a served gate, a clean stop."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

BORDERGATE = shutil.which("bordergate", path=str(Path(sys.executable).parent)) or shutil.which("bordergate")
# Argon2 needs 8 KiB per lane and bordergate hashes with 4 lanes, so 32 KiB is the cheapest that works.
CHEAP_ARGON2 = {"BORDERGATE_ARGON2_TIME_COST": "1", "BORDERGATE_ARGON2_MEMORY_KIB": "32"}
COMMAND_TIMEOUT = 120
SERVER_START_TIMEOUT = 120  # a ceiling against a hang; the wait ends once the server answers


def environment(database_url: str, **settings: str) -> dict[str, str]:
    """This machine's environment with bordergate's settings replaced by the test's own."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("BORDERGATE_")}
    env.update({"BORDERGATE_DATABASE_URL": database_url, "BORDERGATE_SECRET_KEY": "e2e-secret-" + "k" * 32,
                "PYTHONUNBUFFERED": "1", **CHEAP_ARGON2, **settings})
    return env


def bordergate(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    assert BORDERGATE, "the bordergate command is not installed"
    return subprocess.run([BORDERGATE, *args], env=env, capture_output=True, text=True, timeout=COMMAND_TIMEOUT)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_healthy(server: subprocess.Popen[bytes], base: str, log: Path,
                       guard: float = SERVER_START_TIMEOUT) -> None:
    deadline = time.monotonic() + guard
    while time.monotonic() < deadline:
        assert server.poll() is None, f"the server stopped early:\n{log.read_text()}"
        try:
            if httpx.get(f"{base}/healthz", timeout=1).json()["status"] == "ok":
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"no healthy server at {base} after {guard} s:\n{log.read_text()}")


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


@contextmanager
def served(env: dict[str, str], port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`bordergate serve` on ``port``, answering /healthz before the block runs and stopped after it (killed if it
    will not stop); its output goes to ``log``, which a failure shows."""
    assert BORDERGATE, "the bordergate command is not installed"
    with log.open("w") as output:
        server = subprocess.Popen([BORDERGATE, "serve", "--port", str(port)], env=env, stdout=output,
                                  stderr=subprocess.STDOUT)
    try:
        wait_until_healthy(server, f"http://127.0.0.1:{port}", log)
        yield server
    finally:
        stop(server)
