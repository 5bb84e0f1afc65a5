"""When PostgreSQL drops its connections (a restart, a failover), one request learns it and the next ones work."""
from __future__ import annotations

import random

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, make_url, text

from bordergate.bootstrap import bootstrap
from bordergate.config import Settings
from bordergate.entrypoints.api.app import create_app
from bordergate.entrypoints.cli import seed_crossing_points
from tests.builders import PASSWORD, a_trip, a_world
from tests.conftest import CHEAP_PASSWORDS, fresh_postgres


@pytest.mark.postgres
def test_lost_database_connections_answer_503_once_then_the_gate_carries_on(postgres_server, clock):
    url = fresh_postgres(postgres_server)
    gate = bootstrap(Settings(database_url=url, secret_key="s" * 32), clock=clock, rng=random.Random(1),
                     passwords=CHEAP_PASSWORDS)
    seed_crossing_points(gate)
    a_world(gate)
    client = TestClient(create_app(gate), raise_server_exceptions=False)
    token = client.post("/api/v1/auth/token", data={"username": "lan", "password": PASSWORD}).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    assert client.get("/api/v1/declarations", headers=headers).status_code == 200

    database = make_url(url).database
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        ended = connection.execute(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = :db"),
            {"db": database}).scalar()
    admin.dispose()
    assert ended >= 1

    lost = client.get("/api/v1/declarations", headers=headers)
    assert lost.status_code == 503 and lost.headers["retry-after"] == "2"
    assert "nothing was saved" in lost.json()["detail"]
    declared = client.post("/api/v1/declarations", json=a_trip(gate), headers=headers)
    assert declared.status_code == 201, declared.text
    gate.engine.dispose()
