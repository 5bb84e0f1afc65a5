"""What one declaration costs the database: no reads of rows the submit itself is creating, a tariff parsed once
per process (and never mistaken for another document under the same version), the customs history by index."""
from __future__ import annotations

import random
import shutil

from sqlalchemy import event, text

from bordergate.adapters.sql import fees as sql_fees
from bordergate.bootstrap import bootstrap
from bordergate.config import Settings
from bordergate.domain import commands
from bordergate.domain.fees import LANG_SON_09_2025
from bordergate.domain.tariff_form import tariff_to_plain
from bordergate.entrypoints.cli import seed_crossing_points
from bordergate.services import fee_views
from tests.builders import a_trip, a_world
from tests.conftest import CHEAP_PASSWORDS, NOW

REEXPORT = "temporary_import_reexport"  # fresh fruit in a 40-ft container, re-exported: line 2 of the tariff


def statements_of(gate, action) -> list[str]:
    seen: list[str] = []

    def note(conn, cursor, statement, *_):
        seen.append(statement)

    event.listen(gate.engine, "before_cursor_execute", note)
    try:
        action()
    finally:
        event.remove(gate.engine, "before_cursor_execute", note)
    return seen


def test_declaring_a_trip_writes_its_first_fee_without_reading_earlier_ones_it_cannot_have(gate):
    world = a_world(gate)
    done: list[str] = []
    seen = statements_of(gate, lambda: done.append(gate.bus.handle(
        commands.SubmitDeclaration(world.lan, world.farm, a_trip(gate, flow=REEXPORT)))))
    touching_fees = [s.split()[0] for s in seen if "fee_assessments" in s]
    assert touching_fees == ["INSERT"]
    fee = fee_views.fee(gate.reader(), world.lan, done[0], "en")
    assert (fee["tariff_version"], fee["total_vnd"], len(fee["revisions"])) == ("LS-09/2025", 4_000_000, 1)


def test_a_published_tariff_is_parsed_once_per_process_not_on_every_declaration(gate, monkeypatch):
    world = a_world(gate)
    document = tariff_to_plain(LANG_SON_09_2025)
    document.update(version="LS-parsed-once", in_force_from="2026-11-20")
    gate.bus.handle(commands.PublishTariff(world.operator, document))
    parsed: list[str] = []
    reading = sql_fees.read_tariff
    monkeypatch.setattr(sql_fees, "read_tariff", lambda raw: parsed.append(raw["version"]) or reading(raw))
    for plate in ("12C-111.11", "12C-222.22", "12C-333.33"):
        gate.bus.handle(commands.SubmitDeclaration(world.lan, world.farm, a_trip(gate, plate=plate)))
    assert parsed.count("LS-parsed-once") <= 1


def test_a_gate_on_another_database_with_the_same_tariff_version_at_other_rates_assesses_by_its_own(
        gate, sqlite_template, tmp_path, clock):
    """The per-process cache is keyed by the stored document: the same version name elsewhere is no match."""
    path = tmp_path / "other.db"
    shutil.copy(sqlite_template, path)
    other = bootstrap(Settings(database_url=f"sqlite:///{path}", secret_key="test-secret-of-at-least-32-characters",
                               public_url="http://gate.test"), clock=clock, rng=random.Random(7),
                      passwords=CHEAP_PASSWORDS)
    try:
        seed_crossing_points(other)
        answers = []
        for wired, amount in ((gate, 4_500_000), (other, 4_700_000)):
            world = a_world(wired)
            document = tariff_to_plain(LANG_SON_09_2025)
            document.update(version="LS-same-name", in_force_from=NOW.date().isoformat())
            document["lines"][1]["amount_vnd"] = amount
            wired.bus.handle(commands.PublishTariff(world.operator, document))
            reference = wired.bus.handle(commands.SubmitDeclaration(world.lan, world.farm,
                                                                    a_trip(wired, flow=REEXPORT)))
            fee = fee_views.fee(wired.reader(), world.lan, reference, "en")
            answers.append((fee["tariff_version"], fee["total_vnd"]))
        assert answers == [("LS-same-name", 4_500_000), ("LS-same-name", 4_700_000)]
    finally:
        other.engine.dispose()


def test_the_customs_channel_counts_an_enterprises_crossed_trips_and_refused_checks_by_index_at_once(gate):
    world = a_world(gate)
    counted: list[tuple[str, dict]] = []

    def note(conn, cursor, statement, parameters, *_):
        if "count(*)" in statement:
            counted.append((statement, parameters))

    event.listen(gate.engine, "before_cursor_execute", note)
    try:
        with gate.uow() as uow:
            assert uow.clearances.history(world.farm, NOW) == (0, 0)
    finally:
        event.remove(gate.engine, "before_cursor_execute", note)
    assert len(counted) == 1  # both counts in one statement: one round trip a submit
    sqlite = gate.engine.dialect.name == "sqlite"
    with gate.engine.connect() as connection:
        if not sqlite:
            # PostgreSQL's planner picks by table statistics, and an empty table is read whole; forbidding the
            # sequential scan asks whether an index can answer the count at all.
            connection.exec_driver_sql("SET enable_seqscan = off")
        explain = "EXPLAIN QUERY PLAN" if sqlite else "EXPLAIN"
        plans = [" ".join(str(row[-1]) for row in connection.exec_driver_sql(f"{explain} {statement}", parameters))
                 for statement, parameters in counted]
    assert "ix_declarations_enterprise_status_submitted" in plans[0]
    assert "ix_agency_checks_status_decided" in plans[0]


def test_a_trip_declared_with_its_empty_return_reads_the_open_crossing_points_once(gate):
    world = a_world(gate)
    back = {"planned_arrival": NOW.replace(hour=23).isoformat()}
    seen = statements_of(gate, lambda: gate.bus.handle(commands.SubmitDeclaration(
        world.lan, world.farm, a_trip(gate, hours_ahead=2), return_empty=back)))
    assert len([s for s in seen if "FROM crossing_points" in s]) == 1
