"""Shared fixtures: a real PostgreSQL the suite starts itself, a SQLite file, and a wired gate on each."""
from __future__ import annotations

import random
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import count
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bordergate.adapters.security import Argon2Passwords
from bordergate.adapters.sql.database import upgrade
from bordergate.bootstrap import Gate, bootstrap
from bordergate.config import Settings
from bordergate.entrypoints.cli import seed_crossing_points
from bordergate.services.ports import FixedClock

# A Friday morning at the gate, in UTC (08:00 in Lang Son).
NOW = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)
# Argon2 at production cost takes ~0.7 s a hash on 2 cores; tests use the cheapest valid parameters.
CHEAP_PASSWORDS = Argon2Passwords(time_cost=1, memory_cost=8, parallelism=1)
_databases = count()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A real PostgreSQL 16 from the pgserver wheel, started for this test session, with a migrated template."""
    import pgserver
    from pgserver.postgres_server import pg_ctl

    folder = tempfile.mkdtemp(prefix="bordergate-pg-")
    server = pgserver.get_server(folder, cleanup_mode="stop")
    base = server.get_uri().replace("postgresql://", "postgresql+psycopg://")
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        # A server that lives for one test session: a crash of the machine loses nothing worth an fsync (a crash of
        # the server process loses nothing either way: the operating system still holds what was written).
        for setting in ("fsync", "synchronous_commit", "full_page_writes"):
            connection.execute(text(f"ALTER SYSTEM SET {setting} = off"))
        connection.execute(text("SELECT pg_reload_conf()"))
        connection.execute(text("CREATE DATABASE bordergate_template"))
    upgrade(base.replace("/postgres?", "/bordergate_template?"))
    yield base
    admin.dispose()
    # Thrown away: stopped without the shutdown checkpoint, and its folder removed after the session has ended.
    pg_ctl(["-w", "-m", "immediate", "stop"], pgdata=server.pgdata, user=server.system_user)
    server.cleanup()
    subprocess.Popen(["rm", "-rf", folder], start_new_session=True)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


def fresh_postgres(server_uri: str) -> str:
    """A new database cloned from the migrated template: every test starts from an empty schema."""
    name = f"bordergate_test_{next(_databases)}"
    admin = create_engine(server_uri, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name} TEMPLATE bordergate_template"))
    admin.dispose()
    return server_uri.replace("/postgres?", f"/{name}?")


def sqlite_copy(tmp_path: Path, template: Path) -> str:
    """A fresh SQLite database copied from the migrated template."""
    path = tmp_path / "bordergate.db"
    shutil.copy(template, path)
    return f"sqlite:///{path}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path) -> str:
    """The same test runs on the embedded SQLite default and on a real PostgreSQL. A file whose subject is HTTP's
    (problem shapes, headers, words, ranges), not SQL's, overrides it with SQLite alone: the SQL under it runs on both
    databases in tests/integration, and the suite must stay within its 8 minutes."""
    if request.param == "sqlite":
        return sqlite_copy(tmp_path, request.getfixturevalue("sqlite_template"))
    return fresh_postgres(request.getfixturevalue("postgres_server"))


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def gate(database_url: str, clock: FixedClock) -> Iterator[Gate]:
    """A wired bordergate on a fresh database, with Lang Son's crossing points, a fixed clock and a seed."""
    # Tests move the clock on by hours within one sign-in: sessions end idle only where a test says so. No timer
    # on wall time either (sweep_seconds=0): a test sweeps when it says so, never because it ran 30 s on a busy machine.
    settings = Settings(database_url=database_url, secret_key="test-secret-of-at-least-32-characters", public_url="http://gate.test",
                        db_pool_size=5, session_idle_minutes=480, sandbox_payments=True, sweep_seconds=0)
    wired = bootstrap(settings, clock=clock, rng=random.Random(2026), passwords=CHEAP_PASSWORDS)
    seed_crossing_points(wired)
    yield wired
    wired.engine.dispose()
