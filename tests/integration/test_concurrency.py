"""Two people correcting the same declaration at once: the second save is refused, the first correction stands."""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select

from bordergate.adapters.sql.tables import goods_lines
from bordergate.domain import commands
from bordergate.domain.errors import Conflict
from bordergate.services import history_views, views
from tests.builders import a_trip, a_world

POINTS = frozenset({"HUU_NGHI", "TAN_THANH", "COC_NAM", "CHI_MA"})


def a_declaration(gate):
    world = a_world(gate)
    return world, gate.bus.handle(commands.SubmitDeclaration(world.lan, world.farm, a_trip(gate)))


def correct(gate, declaration, changes, actor="lan"):
    declaration.amend(changes, actor=actor, now=gate.clock.now(), crossing_points=POINTS)


def goods_rows(gate, reference) -> int:
    with gate.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(goods_lines)
                                  .where(goods_lines.c.reference == reference)).scalar_one()


def test_a_correction_saved_over_a_copy_someone_else_already_corrected_is_refused(gate):
    world, reference = a_declaration(gate)
    with gate.uow() as first:
        mine = first.declarations.get(reference)
    with gate.uow() as second:
        theirs = second.declarations.get(reference)
    correct(gate, mine, {"driver.phone": "0987654321"})
    correct(gate, theirs, {"driver.phone": "0911222333", "goods[0].packages": 1}, actor="agent")
    with gate.uow() as uow:
        uow.declarations.save(mine, 1)
        uow.commit()
    with gate.uow() as uow:
        with pytest.raises(Conflict, match="changed by someone else"):
            uow.declarations.save(theirs, 1)
    stored = views.declaration(gate.uow(), world.lan, reference)
    assert (stored["version"], stored["driver"]["phone"]) == (2, "+84987654321")
    assert stored["goods"][0]["packages"] == 1200 and goods_rows(gate, reference) == 1


def test_a_save_names_the_version_it_loaded_so_a_current_copy_saves_fine(gate):
    world, reference = a_declaration(gate)
    for phone in ("0987654321", "0911222333"):
        with gate.uow() as uow:
            declaration = uow.declarations.get(reference)
            loaded = declaration.version
            correct(gate, declaration, {"driver.phone": phone})
            uow.declarations.save(declaration, loaded)
            uow.commit()
    stored = views.declaration(gate.uow(), world.lan, reference)
    assert (stored["version"], stored["driver"]["phone"]) == (3, "+84911222333")
    assert [h["action"] for h in history_views.history(gate.uow(), world.lan, reference)] == \
        ["DeclarationSubmitted", "AgencyChecksOpened", "CustomsChannelAssigned", "FeeNotAssessed", "DeclarationAmended",
         "DeclarationAmended"]


@pytest.mark.parametrize("database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_on_postgresql_two_open_transactions_amend_and_the_second_to_save_gets_a_conflict(gate):
    world, reference = a_declaration(gate)
    with gate.uow() as first, gate.uow() as second:
        mine, theirs = first.declarations.get(reference), second.declarations.get(reference)
        correct(gate, mine, {"driver.phone": "0987654321"})
        correct(gate, theirs, {"vehicle.axles": 6}, actor="agent")
        first.declarations.save(mine, 1)
        first.commit()
        with pytest.raises(Conflict):
            second.declarations.save(theirs, 1)
    stored = views.declaration(gate.uow(), world.lan, reference)
    assert (stored["version"], stored["driver"]["phone"], stored["vehicle"]["axles"]) == (2, "+84987654321", 5)
    history = history_views.history(gate.uow(), world.lan, reference)
    assert [(h["action"], h["actor"]) for h in history][-1:] == [("DeclarationAmended", "lan")]
    assert [h["action"] for h in history].count("DeclarationAmended") == 1
    assert goods_rows(gate, reference) == 1


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_on_sqlite_the_second_writer_waits_for_the_first_so_both_corrections_stand(gate):
    world, reference = a_declaration(gate)
    loaded = threading.Event()

    def first_editor():
        with gate.uow() as uow:
            declaration = uow.declarations.get(reference)
            loaded.set()
            time.sleep(0.3)
            correct(gate, declaration, {"driver.phone": "0987654321"})
            uow.declarations.save(declaration, 1)
            uow.commit()

    editor = threading.Thread(target=first_editor)
    editor.start()
    assert loaded.wait(5)
    gate.bus.handle(commands.AmendDeclaration(world.lan, reference, {"vehicle.axles": 6}))
    editor.join(5)
    stored = views.declaration(gate.uow(), world.lan, reference)
    assert (stored["version"], stored["driver"]["phone"], stored["vehicle"]["axles"]) == (3, "+84987654321", 6)


def test_the_same_truck_declared_by_many_clients_at_once_is_accepted_every_time_and_saved_once(gate):
    world = a_world(gate)
    references, failures = [], []

    def declare() -> None:
        try:
            references.append(gate.bus.handle(commands.SubmitDeclaration(world.lan, world.farm, a_trip(gate))))
        except Exception as exc:  # noqa: BLE001 - the test reports whatever went wrong
            failures.append(exc)

    clients = [threading.Thread(target=declare) for _ in range(8)]
    for client in clients:
        client.start()
    for client in clients:
        client.join(timeout=60)
    assert failures == []
    assert len(set(references)) == 8
    fleet = views.fleet(gate.reader(), world.lan, world.farm)
    assert [v["tractor_plate"] for v in fleet["vehicles"]] == ["12C-123.45"]
    assert len(fleet["drivers"]) == 1


def test_a_writer_that_cannot_reach_the_database_does_not_block_the_next_one(tmp_path, clock):
    import random

    from bordergate.adapters.sql.unit_of_work import SqlUnitOfWork
    from bordergate.bootstrap import bootstrap
    from bordergate.config import Settings
    from tests.conftest import CHEAP_PASSWORDS

    missing = tmp_path / "no-such-folder" / "gate.db"
    gate = bootstrap(Settings(database_url=f"sqlite:///{missing}", secret_key="s" * 32), clock=clock,
                     rng=random.Random(1), passwords=CHEAP_PASSWORDS)
    for _ in range(2):  # the second attempt would wait 30 s on a lock the first never gave back
        with pytest.raises(Exception, match="unable to open database file"):
            with SqlUnitOfWork(gate.engine):
                pass
