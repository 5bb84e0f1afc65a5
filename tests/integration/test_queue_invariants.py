"""Whatever declarants and the management center do, in any order: no hour holds more bookings than places, the
slot counts equal the bookings, and no booking is ever lost (hypothesis stateful test, on SQLite)."""
from __future__ import annotations

import random
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import func, select

from bordergate.adapters.sql.database import upgrade
from bordergate.adapters.sql.tables import bookings, slots
from bordergate.bootstrap import bootstrap
from bordergate.config import Settings
from bordergate.domain import commands
from bordergate.domain.errors import Conflict
from bordergate.entrypoints.cli import seed_crossing_points
from bordergate.services.ports import FixedClock
from tests.conftest import CHEAP_PASSWORDS, NOW
from tests.integration.queue_helpers import POINT, WAY, a_queue_desk, local

HOURS = st.integers(min_value=10, max_value=14)
_template: Path | None = None


def a_database() -> str:
    """A fresh migrated SQLite file (the migration runs once; each example copies it)."""
    global _template
    if _template is None:
        _template = Path(tempfile.mkdtemp(prefix="bordergate-invariants-")) / "template.db"
        upgrade(f"sqlite:///{_template}")
    path = Path(tempfile.mkdtemp(prefix="bordergate-invariants-")) / "queue.db"
    shutil.copy(_template, path)
    return f"sqlite:///{path}"


class QueueUnderAnyOrders(RuleBasedStateMachine):
    """Bookings, cancellations and capacity changes in any order."""

    @initialize()
    def open_the_queue(self):
        settings_ = Settings(database_url=a_database(), secret_key="test-secret-of-at-least-32-characters",
                             bookings_per_minute=100_000)
        self.gate = bootstrap(settings_, clock=FixedClock(NOW), rng=random.Random(7), passwords=CHEAP_PASSWORDS)
        seed_crossing_points(self.gate)
        self.desk = a_queue_desk(self.gate, per_hour=3)
        self.booked: list = []
        self.cancelled = 0

    def teardown(self):
        if hasattr(self, "gate"):
            self.gate.engine.dispose()

    @rule(hour=HOURS, live=st.booleans())
    def a_declarant_books(self, hour, live):
        truck = self.desk.declare()
        try:
            self.desk.book(truck, None if live else local(hour))
        except Conflict:
            return  # full or closed: refused, and nothing taken
        self.booked.append(truck)

    @rule(data=st.data())
    def a_declarant_cancels(self, data):
        if not self.booked:
            return
        truck = self.booked.pop(data.draw(st.integers(0, len(self.booked) - 1)))
        self.desk.cancel(truck)
        self.cancelled += 1

    @rule(hour=HOURS, per_hour=st.integers(min_value=0, max_value=4))
    def the_center_changes_an_hour(self, hour, per_hour):
        self.desk.handle(commands.ChangeCapacity(self.desk.world.operator, POINT, WAY, local(hour),
                                                 local(hour) + timedelta(hours=1), per_hour, "lane works"))

    @rule(per_hour=st.integers(min_value=0, max_value=4))
    def the_center_sets_the_plan(self, per_hour):
        self.desk.plan(per_hour)

    @invariant()
    def no_hour_holds_more_bookings_than_places_and_counts_match(self):
        if not hasattr(self, "gate"):
            return
        with self.gate.engine.connect() as connection:
            active = dict(connection.execute(
                select(bookings.c.slot_start, func.count()).where(
                    bookings.c.kind == "slot", bookings.c.status.in_(("booked", "waiting", "called")))
                .group_by(bookings.c.slot_start)).all())
            for starts_at, capacity, booked in connection.execute(
                    select(slots.c.starts_at, slots.c.capacity, slots.c.booked)):
                assert booked <= capacity, f"{starts_at}: {booked} booked, {capacity} places"
                assert booked == active.get(starts_at, 0), f"{starts_at}: row says {booked}, bookings {active}"

    @invariant()
    def no_booking_is_lost(self):
        if not hasattr(self, "gate"):
            return
        assert self.desk.active_bookings() == len(self.booked)


QueueUnderAnyOrders.TestCase.settings = settings(max_examples=12, stateful_step_count=15, deadline=None,
                                                 suppress_health_check=[HealthCheck.too_slow], derandomize=True)
test_the_queue_keeps_its_invariants_under_any_orders = pytest.mark.filterwarnings("ignore")(
    QueueUnderAnyOrders.TestCase)
