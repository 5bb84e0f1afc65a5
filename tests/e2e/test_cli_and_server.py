"""The real thing: an operator sets bordergate up from the command line, serves it, and a declarant uses it."""
from __future__ import annotations

import uuid
from types import SimpleNamespace

import httpx
import pytest
from fastapi.testclient import TestClient

from bordergate.bootstrap import bootstrap
from bordergate.config import Settings
from bordergate.entrypoints.api.app import create_app
from bordergate.services.ports import SystemClock
from tests.builders import PASSWORD, a_trip
from tests.conftest import CHEAP_PASSWORDS, database_url, fresh_postgres  # noqa: F401 (both databases)
from tests.support.serving import bordergate, environment, free_port, served

# The demo serves at once, then declares the day's trucks up to 04:00 behind its screens: ~20 s on an idle machine, a
# minute or more beside other work. Its waits (tests/e2e/test_demo.py) are guards against a hang, not expectations of
# speed: they end as soon as the line they wait for is printed.
DEMO_HANG_GUARD = 600


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database(request, tmp_path) -> str:
    """A SQLite file that does not exist yet, or a fresh PostgreSQL database (already at head: upgrade is a no-op)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'gate.db'}"
    return fresh_postgres(request.getfixturevalue("postgres_server"))


def test_an_operator_sets_up_the_gate_and_a_declarant_declares_over_a_real_socket(empty_database, tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = environment(empty_database, BORDERGATE_PUBLIC_URL=base)
    upgraded = bordergate(env, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert "schema at head" in upgraded.stdout and "crossing points added: 4" in upgraded.stdout
    farm = bordergate(env, "organisations", "add", "--name", "Nông sản Xứ Lạng", "--kind", "enterprise",
                      "--tax-code", "4900100254")
    assert farm.returncode == 0, farm.stderr
    farm_id = str(uuid.UUID(farm.stdout.strip()))
    lan = bordergate({**env, "BORDERGATE_NEW_PASSWORD": PASSWORD}, "users", "create", "--username", "lan",
                     "--full-name", "Lan", "--role", "declarant", "--organisation", farm_id)
    assert lan.returncode == 0, lan.stderr
    uuid.UUID(lan.stdout.strip())

    with served(env, port, tmp_path / "server.log"):
        with httpx.Client(base_url=base, timeout=10) as http:
            token = http.post("/api/v1/auth/token", data={"username": "lan", "password": PASSWORD})
            assert token.status_code == 200, token.text
            headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
            # The server runs on the machine's clock, so the trip is planned from the real now.
            trip = a_trip(SimpleNamespace(clock=SystemClock()))
            answer = http.post("/api/v1/declarations", json=trip, headers=headers)
            assert answer.status_code == 201, answer.text
            assert answer.json()["enterprise_id"] == farm_id
            assert http.get(answer.headers["Location"], headers=headers).json()["reference"] == \
                answer.json()["reference"]
            tracked = httpx.get(answer.json()["tracking_url"], timeout=10)
            assert tracked.status_code == 200 and tracked.json()["tractor_plate"] == "12C-123.45"
            assert http.post("/api/v1/declarations", json=trip).status_code == 401
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{base}/healthz", timeout=2)


def test_serving_a_database_that_was_never_upgraded_says_to_run_db_upgrade(tmp_path):
    env = environment(f"sqlite:///{tmp_path / 'never-upgraded.db'}")
    refused = bordergate(env, "serve", "--port", str(free_port()))
    assert refused.returncode != 0
    assert "bordergate db upgrade" in refused.stderr


def test_the_demo_seeds_a_database_and_prints_accounts_that_sign_in(tmp_path):
    database = tmp_path / "demo.db"
    demo = bordergate(environment("sqlite:///unused.db"), "demo", "--no-serve", "--database", str(database))
    assert demo.returncode == 0, demo.stderr
    for username, role in (("admin", "admin"), ("lan", "declarant"), ("dailyhq", "agent"), ("haiquan", "customs")):
        assert f"sign in as {username:<12} ({role}) password: bordergate-demo" in demo.stdout
    gate = bootstrap(Settings(database_url=f"sqlite:///{database}", secret_key="demo-check-" + "k" * 32),
                     passwords=CHEAP_PASSWORDS)
    try:
        with TestClient(create_app(gate)) as http:
            token = http.post("/api/v1/auth/token", data={"username": "lan", "password": "bordergate-demo"})
            headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
            assert len(http.get("/api/v1/declarations", headers=headers).json()) == 2
    finally:
        gate.engine.dispose()


def test_a_user_with_a_short_password_is_refused_naming_the_password_field(tmp_path):
    env = environment(f"sqlite:///{tmp_path / 'gate.db'}")
    assert bordergate(env, "db", "upgrade").returncode == 0
    refused = bordergate({**env, "BORDERGATE_NEW_PASSWORD": "short"}, "users", "create", "--username", "nam",
                         "--full-name", "Nam", "--role", "driver")
    assert refused.returncode != 0
    assert "password: must be at least 10 characters" in refused.stderr
    assert refused.stdout == ""


def test_the_smallest_argon2_memory_the_settings_allow_still_creates_users(tmp_path):
    env = environment(f"sqlite:///{tmp_path / 'gate.db'}", BORDERGATE_ARGON2_MEMORY_KIB="32")
    assert bordergate(env, "db", "upgrade").returncode == 0
    created = bordergate({**env, "BORDERGATE_NEW_PASSWORD": PASSWORD}, "users", "create", "--username", "nam",
                         "--full-name", "Nam", "--role", "driver")
    assert created.returncode == 0, created.stderr[-300:]


def test_organisations_add_prints_only_the_id_even_without_a_secret_key(tmp_path):
    env = environment(f"sqlite:///{tmp_path / 'gate.db'}")
    del env["BORDERGATE_SECRET_KEY"]
    assert bordergate(env, "db", "upgrade").returncode == 0
    added = bordergate(env, "organisations", "add", "--name", "Border Gate Center", "--kind", "authority")
    assert added.returncode == 0, added.stderr
    uuid.UUID(added.stdout.strip())
