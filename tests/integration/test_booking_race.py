"""Many declarants race for the last places of one hour on PostgreSQL: no place is ever sold twice."""
from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import select

from bordergate.adapters.sql.tables import bookings, slots
from bordergate.bootstrap import Gate, bootstrap
from bordergate.config import Settings
from bordergate.domain.errors import Conflict
from bordergate.entrypoints.cli import seed_crossing_points
from tests.conftest import CHEAP_PASSWORDS, fresh_postgres
from tests.integration.queue_helpers import QueueDesk, a_queue_desk, iso, local

pytestmark = pytest.mark.postgres
RACERS = 64


@pytest.fixture
def racing_gate(postgres_server, clock) -> Iterator[Gate]:
    """A gate on a fresh PostgreSQL with a connection for every racer, so all of them really run at once."""
    settings = Settings(database_url=fresh_postgres(postgres_server), public_url="http://gate.test",
                        secret_key="test-secret-of-at-least-32-characters", db_pool_size=RACERS // 2,
                        bookings_per_minute=10 * RACERS)  # one declarant books for all 64 trucks here
    gate = bootstrap(settings, clock=clock, rng=random.Random(2026), passwords=CHEAP_PASSWORDS)
    seed_crossing_points(gate)
    yield gate
    gate.engine.dispose()


def race(attempts: list[Callable[[], object]]) -> list[object]:
    """Run every attempt in its own thread, all released at once; each answer, or the exception it raised."""
    start, outcomes = threading.Barrier(len(attempts)), [None] * len(attempts)

    def run(i: int) -> None:
        start.wait()
        try:
            outcomes[i] = attempts[i]()
        except Exception as exc:  # noqa: BLE001 - every outcome is examined by the test
            outcomes[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(attempts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a racer never finished"
    return outcomes


def the_hour(desk: QueueDesk) -> tuple[int, int]:
    """The 10:00 row of the slots table: (capacity, booked)."""
    with desk.gate.engine.connect() as connection:
        return connection.execute(select(slots.c.capacity, slots.c.booked)
                                  .where(slots.c.starts_at == local(10))).one()


def active_in_the_hour(desk: QueueDesk) -> Counter:
    """Active bookings of the 10:00 hour, per declaration."""
    b = bookings.c
    with desk.gate.engine.connect() as connection:
        rows = connection.execute(select(b.reference).where(
            b.slot_start == local(10), b.status.in_(("booked", "waiting", "called")))).scalars()
        return Counter(rows)


def outcome_kinds(outcomes: list[object]) -> Counter:
    return Counter("booked" if isinstance(o, dict) else type(o).__name__ for o in outcomes)


def test_sixty_four_declarants_racing_for_the_last_five_places_get_exactly_five(racing_gate):
    desk = a_queue_desk(racing_gate, per_hour=8)
    for _ in range(3):
        desk.book(desk.declare(by=desk.world.minh, enterprise=desk.world.fruit), local(10))
    # Booked hours around it: a refusal names free hours nearby, and reading them must not lock them (on
    # PostgreSQL that made refused racers wait on each other in a cycle: deadlocks, answered 500).
    for hour in (8, 9, 11):
        desk.book(desk.declare(by=desk.world.minh, enterprise=desk.world.fruit), local(hour))
    racers = [desk.declare() for _ in range(RACERS)]
    outcomes = race([lambda truck=truck: desk.book(truck, local(10)) for truck in racers])
    assert outcome_kinds(outcomes) == {"booked": 5, "Conflict": RACERS - 5}
    assert all("10:00 27/11 at HUU_NGHI is full" in o.detail for o in outcomes if isinstance(o, Conflict))
    assert the_hour(desk) == (8, 8), "0 oversold"
    assert sum(active_in_the_hour(desk).values()) == 8
    assert desk.hour(local(10)) == {"starts_at": iso(local(10)), "capacity": 8, "booked": 8, "free": 0}


def test_two_clicks_booking_the_same_declaration_at_once_make_one_booking(racing_gate):
    desk = a_queue_desk(racing_gate, per_hour=20)
    trucks = [desk.declare() for _ in range(8)]
    outcomes = race([lambda truck=truck: desk.book(truck, local(10)) for truck in trucks for _ in range(2)])
    assert outcome_kinds(outcomes) == {"booked": 8, "Conflict": 8}
    assert active_in_the_hour(desk) == Counter({truck.reference: 1 for truck in trucks})
    assert the_hour(desk) == (20, 8), "the refused click gives back the place it took"
