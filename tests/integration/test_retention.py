"""Retention: a finished trip's driver is pseudonymised after the period, and the evidence chain still verifies."""
from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text

from bordergate.adapters.sql.tables import audit_log, declarations, saved_drivers
from bordergate.bootstrap import Gate, bootstrap
from bordergate.domain import commands
from bordergate.domain.personal_data import ERASED_DRIVER
from bordergate.entrypoints.cli import main
from bordergate.services.authentication import SYSTEM
from tests.conftest import CHEAP_PASSWORDS
from tests.integration.evidence_helpers import as_attacker, verify
from tests.integration.queue_helpers import a_queue_desk

DAYS = 30


@pytest.fixture
def keeper(gate, clock) -> Iterator[Gate]:
    """The same gate, configured to keep personal data of finished trips for 30 days."""
    settings = gate.settings.model_copy(update={"retention_days": DAYS})
    wired = bootstrap(settings, clock=clock, rng=random.Random(9), passwords=CHEAP_PASSWORDS)
    yield wired
    wired.engine.dispose()


@pytest.fixture
def desk(gate):
    """Two trucks booked in the live queue, told by SMS; the first one's driver phone corrected, then cancelled."""
    desk = a_queue_desk(gate)
    gone, staying = desk.declare(), desk.declare()
    for truck in (gone, staying):
        desk.book(truck)
    desk.deliver()
    gate.bus.handle(commands.AmendDeclaration(desk.world.lan, gone.reference, {"driver.phone": "0987654321"}))
    gate.bus.handle(commands.CancelDeclaration(desk.world.lan, gone.reference, "order postponed"))
    desk.gone, desk.staying = gone, staying
    return desk


def trip_of(gate: Gate, reference: str) -> dict:
    with gate.engine.connect() as connection:
        row = connection.execute(select(declarations.c.trip, declarations.c.driver_document)
                                 .where(declarations.c.reference == reference)).one()
    return {**row[0]["driver"], "column": row[1]}


def everything_about(gate: Gate, reference: str) -> str:
    """Every row that names the trip, as one text: the trail (as stored and as read back), notices, the trip."""
    with gate.engine.connect() as connection:
        stored = [dict(r) for r in connection.execute(select(audit_log)).mappings()]
        notices = [dict(r) for r in connection.execute(
            text("SELECT * FROM notices WHERE reference = :r"), {"r": reference}).mappings()]
    with gate.reader() as uow:
        history = uow.audit.history("declaration", reference)
    return json.dumps([stored, notices, history, trip_of(gate, reference)], default=str, ensure_ascii=False)


def test_nothing_is_erased_before_the_period_nor_when_no_period_is_set(gate, keeper, desk, clock):
    clock.advance(days=DAYS - 1)
    assert keeper.bus.handle(commands.ErasePersonalData(SYSTEM))["trips"] == 0
    clock.advance(days=365)
    assert gate.bus.handle(commands.ErasePersonalData(SYSTEM))["trips"] == 0
    assert trip_of(gate, desk.gone.reference)["phone"] == "+84987654321"


def test_a_cancelled_trips_driver_is_pseudonymised_everywhere_and_the_chain_still_verifies(gate, keeper, desk,
                                                                                          clock):
    before = everything_about(gate, desk.gone.reference)
    assert "+84987654321" in before and desk.gone.phone in before and "Lái xe số 1" in before
    clock.advance(days=DAYS + 1)
    done = keeper.bus.handle(commands.ErasePersonalData(SYSTEM))
    assert done["trips"] == 1
    after = everything_about(gate, desk.gone.reference)
    for personal in ("+84987654321", desk.gone.phone, "Lái xe số 1", "001088000001"):
        assert personal not in after
    assert trip_of(gate, desk.gone.reference) == {**ERASED_DRIVER, "nationality": "VN",
                                                  "column": ERASED_DRIVER["document_number"]}
    with gate.reader() as uow:
        history = uow.audit.history("declaration", desk.gone.reference)
        assert uow.declarations.get(desk.gone.reference).trip.driver.full_name == "(erased)"
    amended = next(r for r in history if r["action"] == "DeclarationAmended")
    assert amended["payload"]["changes"] == [{"field": "driver.phone", "old": "(erased)", "new": "(erased)"}]
    # The open trip keeps its driver; the purge itself is on the trail.
    assert trip_of(gate, desk.staying.reference)["phone"] == desk.staying.phone
    with gate.reader() as uow:
        [erased] = uow.audit.history("retention", (clock.now() - timedelta(days=DAYS)).isoformat()[:10])
    assert erased["payload"]["references"] == [desk.gone.reference]
    assert verify(gate, "audit").holds and verify(gate, "plate_reads").holds


def test_an_edit_after_the_purge_still_breaks_the_chain(gate, keeper, desk, clock):
    clock.advance(days=DAYS + 1)
    keeper.bus.handle(commands.ErasePersonalData(SYSTEM))
    assert verify(gate, "audit").holds
    as_attacker(gate, "UPDATE audit_log SET payload = :p WHERE action = 'DeclarationCancelled'",
                params={"p": json.dumps({"reference": desk.gone.reference, "reason": "never happened"})})
    assert [b.kind for b in verify(gate, "audit").breaks] == ["edited"]


def test_a_kept_personal_value_that_is_changed_is_caught_by_its_digest(gate, desk):
    as_attacker(gate, "UPDATE audit_personal SET value = :v", params={"v": json.dumps("+84900000000")})
    assert {b.kind for b in verify(gate, "audit").breaks} == {"edited"}


def test_saved_drivers_unused_for_the_period_are_deleted_with_their_values_on_the_trail(gate, keeper, desk, clock):
    with gate.engine.connect() as connection:
        assert connection.execute(select(saved_drivers.c.id)).all()
    clock.advance(days=DAYS + 1)
    fresh = desk.declare()  # a driver used since keeps their entry
    done = keeper.bus.handle(commands.ErasePersonalData(SYSTEM))
    with gate.engine.connect() as connection:
        kept = connection.execute(select(saved_drivers.c.document_number)).scalars().all()
        personal = connection.execute(text("SELECT owner FROM audit_personal WHERE owner LIKE 'driver:%'")
                                      ).scalars().all()
    assert done["saved_drivers"] >= 1
    assert kept == [trip_of(gate, fresh.reference)["document_number"]]
    assert all(owner.endswith(kept[0]) for owner in personal)
    assert verify(gate, "audit").holds


def test_bordergate_retention_purge_does_it_from_the_command_line(gate, desk, clock, monkeypatch):
    monkeypatch.setenv("BORDERGATE_DATABASE_URL", gate.settings.database_url)
    refused = CliRunner().invoke(main, ["retention", "purge"])
    assert refused.exit_code != 0 and "RETENTION_DAYS" in refused.output
    # The command line runs on the real clock: the trip was cancelled on the tests' clock, in 2026.
    monkeypatch.setenv("BORDERGATE_RETENTION_DAYS", "1")
    purged = CliRunner().invoke(main, ["retention", "purge"])
    assert purged.exit_code == 0, purged.output
    assert "1 trips" in purged.output
    assert trip_of(gate, desk.gone.reference)["full_name"] == "(erased)"


def test_a_crossed_trip_is_due_from_the_day_it_crossed(gate, keeper, clock):
    from tests.integration.control_helpers import a_control_room

    room = a_control_room(gate)
    reference = room.declare()
    room.clear(reference)
    room.drive_up_to_the_border()
    room.read("border_out")
    assert room.status(reference) == "crossed"
    clock.advance(days=DAYS + 1)
    assert keeper.bus.handle(commands.ErasePersonalData(SYSTEM))["trips"] == 1
    assert trip_of(gate, reference)["document_number"] == "ERASED"
    assert verify(gate, "audit").holds and verify(gate, "plate_reads").holds
