"""An operator stops the server (systemd's SIGTERM, or Ctrl-C) while phones watch the live public page: it stops."""
from __future__ import annotations

import signal
import subprocess

import httpx
import pytest

from tests.support.serving import bordergate, environment, free_port, served

# A ceiling against a hang, not an expectation of speed: the wait ends as soon as the process has exited. Without
# the fix uvicorn waits for the open stream for ever and the ceiling is reached.
EXIT_CEILING = 60


def test_the_server_stops_on_sigterm_while_a_live_page_is_open(tmp_path):
    # SIGINT (Ctrl-C) goes through the same handler (web/closing.py); one signal keeps the suite's time.
    stopping = signal.SIGTERM
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = environment(f"sqlite:///{tmp_path / 'gate.db'}", BORDERGATE_PUBLIC_URL=base, BORDERGATE_LIVE_SECONDS="0.5")
    upgraded = bordergate(env, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    log = tmp_path / "server.log"
    with served(env, port, log) as server:
        with httpx.stream("GET", f"{base}/live/status", timeout=30) as stream:
            lines = stream.iter_lines()
            assert next(lines) == "event: update"  # the stream is open and has pushed once
            server.send_signal(stopping)
            try:
                server.wait(timeout=EXIT_CEILING)
            except subprocess.TimeoutExpired:
                pytest.fail(f"the server still runs {EXIT_CEILING} s after {stopping.name} with a live page open:\n"
                            f"{log.read_text()}")
            assert "timeout graceful shutdown exceeded" not in log.read_text()
