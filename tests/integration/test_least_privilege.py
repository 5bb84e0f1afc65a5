"""Least privilege on PostgreSQL: the server's own role adds evidence and reads it, and can do nothing else to it."""
from __future__ import annotations

import random
from itertools import count

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from bordergate.adapters.sql.privileges import grant_statements
from bordergate.bootstrap import bootstrap
from bordergate.config import Settings
from bordergate.domain import commands
from bordergate.entrypoints.cli import main, seed_crossing_points
from tests.builders import a_gateway, a_trip, a_world
from tests.conftest import CHEAP_PASSWORDS, fresh_postgres
from tests.integration.evidence_helpers import verify

pytestmark = pytest.mark.postgres
_roles = count()

ATTACKS = [
    "TRUNCATE {table}",
    "UPDATE {table} SET seq = seq",
    "DELETE FROM {table}",
    "ALTER TABLE {table} DISABLE TRIGGER USER",
    "ALTER TABLE {table} DISABLE TRIGGER {table}_append_only",
    "DROP TRIGGER {table}_append_only ON {table}",
    "DROP TRIGGER {table}_no_truncate ON {table}",
    "ALTER TABLE {table} ADD COLUMN note2 text",
]


@pytest.fixture
def app_role(postgres_server, monkeypatch, clock):
    """A fresh database migrated by the owner, then `bordergate db grant-app-role` for a new LOGIN role; the
    server's URL as that role."""
    owner_url = fresh_postgres(postgres_server)
    role = f"bordergate_app_{next(_roles)}_{random.randrange(10**6)}"
    owner = create_engine(owner_url, isolation_level="AUTOCOMMIT")
    with owner.connect() as connection:
        connection.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD 'app-password'"))
    monkeypatch.setenv("BORDERGATE_DATABASE_URL", owner_url)
    granted = CliRunner().invoke(main, ["db", "grant-app-role", role])
    assert granted.exit_code == 0, granted.output
    owner.dispose()
    yield owner_url.replace("://postgres:@", f"://{role}:app-password@"), role


def test_the_owner_is_refused_as_the_servers_role(postgres_server, monkeypatch):
    monkeypatch.setenv("BORDERGATE_DATABASE_URL", fresh_postgres(postgres_server))
    refused = CliRunner().invoke(main, ["db", "grant-app-role", "postgres"])
    assert refused.exit_code != 0 and "owns the tables" in refused.output


def test_the_grants_give_the_evidence_tables_only_select_and_insert():
    statements = grant_statements("app", ["alembic_version", "audit_log", "declarations", "plate_reads"])
    assert "GRANT SELECT, INSERT ON audit_log, plate_reads TO app" in statements
    assert "GRANT SELECT, INSERT, UPDATE, DELETE ON declarations TO app" in statements
    assert "GRANT SELECT ON alembic_version TO app" in statements
    with pytest.raises(ValueError):
        grant_statements("app; DROP TABLE audit_log", [])


@pytest.mark.parametrize("table", ["audit_log", "plate_reads"])
@pytest.mark.parametrize("attack", ATTACKS)
def test_the_servers_role_can_neither_rewrite_nor_erase_nor_unguard_the_evidence(app_role, table, attack):
    url, _ = app_role
    engine = create_engine(url)
    try:
        with pytest.raises(DBAPIError, match="permission denied|must be owner|append-only"):
            with engine.begin() as connection:
                connection.execute(text(attack.format(table=table)))
    finally:
        engine.dispose()


def test_even_the_owner_cannot_truncate_the_evidence_without_dropping_a_trigger(postgres_server):
    engine = create_engine(fresh_postgres(postgres_server))
    try:
        for table in ("audit_log", "plate_reads"):
            with pytest.raises(DBAPIError, match="TRUNCATE is refused"):
                with engine.begin() as connection:
                    connection.execute(text(f"TRUNCATE {table} CASCADE"))
    finally:
        engine.dispose()


def test_the_gate_works_as_the_servers_role(app_role, clock):
    url, _ = app_role
    gate = bootstrap(Settings(database_url=url, secret_key="test-secret-of-at-least-32-characters",
                              db_pool_size=2), clock=clock, rng=random.Random(7), passwords=CHEAP_PASSWORDS)
    try:
        seed_crossing_points(gate)
        world = a_world(gate)
        reference = gate.bus.handle(commands.SubmitDeclaration(world.lan, world.farm, a_trip(gate)))
        gateway = a_gateway(gate, world.operator)
        answer = gate.bus.handle(commands.RecordCameraRead(gateway.keys["waiting_area_entry"],
                                                           captured_at=clock.now(), plate="12C12345",
                                                           confidence=0.95))
        assert answer.read.reference == reference
        gate.bus.handle(commands.CancelDeclaration(world.lan, reference, "order postponed"))
        assert verify(gate, "audit").holds and verify(gate, "plate_reads").holds
    finally:
        gate.engine.dispose()
