"""BORDERGATE_REQUEST_THREADS: how many requests one server process works on at once (docs/configuration.md)."""
from __future__ import annotations

import anyio.to_thread
from fastapi.testclient import TestClient

from bordergate.entrypoints.api.app import create_app


def test_a_server_process_runs_as_many_handlers_at_once_as_the_setting_says(gate):
    gate.settings = gate.settings.model_copy(update={"request_threads": 3})
    with TestClient(create_app(gate)) as http:
        running = http.portal.call(lambda: anyio.to_thread.current_default_thread_limiter().total_tokens)
        assert http.get("/healthz").status_code == 200
    assert running == 3
