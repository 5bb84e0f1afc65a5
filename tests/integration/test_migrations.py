"""Schema migrations: a fresh database goes up, down and up again, and ends with exactly the schema the code reads."""
from __future__ import annotations

import random
from collections.abc import Iterator
from itertools import count

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import DateTime, create_engine, inspect, text
from sqlalchemy.exc import DBAPIError

from bordergate.adapters.sql.database import alembic_config, normalise_url, upgrade
from bordergate.adapters.sql.tables import UtcDateTime, metadata
from bordergate.bootstrap import bootstrap
from bordergate.config import Settings
from bordergate.domain import commands
from bordergate.entrypoints.cli import seed_crossing_points
from tests.builders import a_trip, a_world
from tests.conftest import CHEAP_PASSWORDS

_empty_databases = count()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database(request, tmp_path) -> Iterator[str]:
    """A database with nothing in it: a new SQLite file, or a PostgreSQL database not cloned from the template."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    server = request.getfixturevalue("postgres_server")
    name = f"bordergate_migrations_{next(_empty_databases)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    yield server.replace("/postgres?", f"/{name}?")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
    admin.dispose()


def _only_our_datetime_type(diff) -> bool:
    """UtcDateTime is DateTime(timezone=True) underneath; the migration spells it plainly."""
    if not (isinstance(diff, list) and diff and diff[0][0] == "modify_type"):
        return False
    *_, existing, wanted = diff[0]
    return isinstance(wanted, UtcDateTime) and isinstance(existing, DateTime)


# The procedures' full-text index (migration 0018) is each engine's own, not the code's schema: on SQLite an FTS5
# virtual table with shadow tables, on PostgreSQL a GIN index on an expression (to_tsvector).
ENGINE_OWNED = "procedures_fts"


def _engine_owned(diff) -> bool:
    if not isinstance(diff, tuple) or diff[0] not in ("remove_table", "remove_index"):
        return False
    return diff[1].name.startswith(ENGINE_OWNED) or diff[1].name == "ix_procedures_fts"


def schema_differences(url: str) -> list:
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return [d for d in compare_metadata(context, metadata)
                    if not _only_our_datetime_type(d) and not _engine_owned(d)]
    finally:
        engine.dispose()


def tables(url: str) -> set[str]:
    engine = create_engine(normalise_url(url))
    try:
        return {t for t in inspect(engine).get_table_names() if not t.startswith(ENGINE_OWNED)}
    finally:
        engine.dispose()


def revision(url: str) -> str | None:
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def test_a_fresh_database_goes_up_down_and_up_again(empty_database):
    head = ScriptDirectory.from_config(alembic_config(empty_database)).get_current_head()
    upgrade(empty_database)
    assert revision(empty_database) == head
    assert tables(empty_database) == set(metadata.tables) | {"alembic_version"}
    command.downgrade(alembic_config(empty_database), "base")
    assert revision(empty_database) is None
    assert tables(empty_database) == {"alembic_version"}
    upgrade(empty_database)
    assert revision(empty_database) == head
    assert tables(empty_database) == set(metadata.tables) | {"alembic_version"}


def test_the_migrated_schema_is_exactly_the_schema_the_code_reads(empty_database):
    upgrade(empty_database)
    assert schema_differences(empty_database) == []


def test_the_schema_is_still_exact_after_a_downgrade_and_a_new_upgrade(empty_database):
    upgrade(empty_database)
    command.downgrade(alembic_config(empty_database), "base")
    upgrade(empty_database)
    assert schema_differences(empty_database) == []


def test_the_audit_trail_is_append_only_again_after_a_downgrade_and_a_new_upgrade(empty_database):
    upgrade(empty_database)
    command.downgrade(alembic_config(empty_database), "base")
    upgrade(empty_database)
    engine = create_engine(normalise_url(empty_database))
    try:
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO audit_log (at, actor, action, subject_type, subject_id, payload) "
                "VALUES ('2026-11-27 01:00:00', 'system', 'Tested', 'test', '1', '{}')"))
        with pytest.raises(DBAPIError, match="append-only"):
            with engine.begin() as connection:
                connection.execute(text("DELETE FROM audit_log"))
    finally:
        engine.dispose()


def test_a_difference_between_code_and_schema_would_be_noticed(empty_database):
    upgrade(empty_database)
    engine = create_engine(normalise_url(empty_database))
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP INDEX ix_declarations_tractor_plate"))
    finally:
        engine.dispose()
    assert [d[0] for d in schema_differences(empty_database)] == ["add_index"]


def test_trips_declared_before_agency_checks_get_their_checks_on_upgrade_with_customs_waiting_for_a_channel(
        empty_database, clock):
    gate, world = a_world_at_head(empty_database, clock)
    try:
        durian = gate.bus.handle(commands.SubmitDeclaration(world.lan, world.farm, a_trip(gate)))
        cancelled = gate.bus.handle(commands.SubmitDeclaration(world.lan, world.farm, a_trip(gate, plate="12C-555.66")))
        gate.bus.handle(commands.CancelDeclaration(world.lan, cancelled))
        gate.engine.dispose()
        command.downgrade(alembic_config(empty_database), "0003")  # as if declared before 0004
        upgrade(empty_database)
        with gate.reader() as uow:
            opened, closed = uow.clearances.get(durian), uow.clearances.get(cancelled)
        assert closed is None
        assert [(c.agency.value, c.status.value) for c in opened.checks.values()] == [
            ("customs", "waiting"), ("border_guard", "waiting"), ("plant_quarantine", "waiting")]
        assert opened.channel is None and opened.rule_version == "lang-son-2025-1"
    finally:
        gate.engine.dispose()


def test_rows_written_before_the_evidence_chain_are_chained_by_its_migration_with_personal_values_sealed(
        empty_database, clock):
    from tests.integration.evidence_helpers import verify

    gate, world = a_world_at_head(empty_database, clock)
    try:
        reference = gate.bus.handle(commands.SubmitDeclaration(world.lan, world.farm, a_trip(gate)))
        gate.bus.handle(commands.AmendDeclaration(world.lan, reference, {"driver.phone": "0987654321"}))
        gate.engine.dispose()
        command.downgrade(alembic_config(empty_database), "0005")  # as if written before 0007
        engine = create_engine(normalise_url(empty_database))
        with engine.connect() as connection:
            trail = str(connection.execute(text("SELECT subject_id, payload FROM audit_log")).all())
        engine.dispose()
        assert "+84987654321" in trail and "001088012345" in trail  # the values are back in the trail
        upgrade(empty_database)
        assert verify(gate, "audit").holds
        with gate.engine.connect() as connection:
            trail = str(connection.execute(text("SELECT subject_id, payload FROM audit_log")).all())
            assert connection.execute(text("SELECT count(*) FROM audit_log WHERE seq IS NULL")).scalar() == 0
        assert "+84987654321" not in trail and "001088012345" not in trail
        with gate.reader() as uow:
            amended = uow.audit.history("declaration", reference)[-1]
        assert amended["payload"]["changes"] == [
            {"field": "driver.phone", "old": "+84912345678", "new": "+84987654321"}]
        gate.bus.handle(commands.CancelDeclaration(world.lan, reference))  # the chain goes on from there
        assert verify(gate, "audit").holds
    finally:
        gate.engine.dispose()


def a_world_at_head(url: str, clock):
    """A database migrated to head, with Lang Son's crossing points and the builders' world, through the gate."""
    upgrade(url)
    gate = bootstrap(Settings(database_url=url, secret_key="test-secret-of-at-least-32-characters"),
                     clock=clock, rng=random.Random(7), passwords=CHEAP_PASSWORDS)
    seed_crossing_points(gate)
    return gate, a_world(gate)
