"""Use case: the cashier reconciles the day's takings: money is filed under the local day it came in (or went back),
not the day the trip was planned to arrive, on both databases."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from bordergate.domain import commands
from bordergate.domain.capacity import GATE_TIME
from bordergate.services import fee_views
from tests.integration.control_helpers import ControlRoom, a_control_room
from tests.integration.test_fees import cash, declare, declare_vegetables, pay_online

DEC_7, DEC_8, DEC_9 = date(2026, 12, 7), date(2026, 12, 8), date(2026, 12, 9)


@pytest.fixture
def room(gate) -> ControlRoom:
    return a_control_room(gate)


def at(room: ControlRoom, day: date, hour: int, minute: int = 0, second: int = 0) -> None:
    """The gate's clock stands at that local time (Lang Son, UTC+7)."""
    room.gate.clock.at = datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=GATE_TIME)


def takings(room: ControlRoom, day: date) -> dict[str, tuple[int, int, int]]:
    """Each trip of the day's reconciliation: paid online, paid in cash, refunded that day."""
    _, detail = fee_views.reconciliation(room.gate.reader(), room.world.operator, day)
    return {row["reference"]: (row["paid_online_vnd"], row["paid_cash_vnd"], row["refunded_vnd"]) for row in detail}


def total(room: ControlRoom, day: date, column: str) -> int:
    summary, _ = fee_views.reconciliation(room.gate.reader(), room.world.operator, day)
    return sum(row[column] for row in summary)


def test_a_payment_at_22_18_for_a_trip_arriving_the_next_morning_is_counted_on_the_day_it_was_paid(room):
    at(room, DEC_7, 22, 18)
    reference = declare(room, hours_ahead=10)  # arrives 08:18 on 8 December
    pay_online(room, reference)

    assert takings(room, DEC_7) == {reference: (4_000_000, 0, 0)}
    assert total(room, DEC_7, "paid_online_vnd") == 4_000_000
    _, detail = fee_views.reconciliation(room.gate.reader(), room.world.operator, DEC_7)
    assert [(row["day"], row["planned_day"], row["standing"]) for row in detail] == [
        ("2026-12-07", "2026-12-08", "paid")]
    # On the day it arrives the trip is still listed, paid, but its money is not counted a second time.
    assert takings(room, DEC_8) == {reference: (0, 0, 0)}
    assert total(room, DEC_8, "paid_online_vnd") == 0
    assert [row["standing"] for row in fee_views.reconciliation(room.gate.reader(), room.world.operator,
                                                                 DEC_8)[1]] == ["paid"]


def test_a_refund_is_counted_on_the_day_it_was_refunded(room):
    at(room, DEC_7, 22, 18)
    reference = declare(room, hours_ahead=34)  # arrives 08:18 on 9 December
    pay_online(room, reference)
    at(room, DEC_8, 10)
    room.gate.bus.handle(commands.CancelDeclaration(room.world.lan, reference, "the buyer withdrew"))

    assert takings(room, DEC_7) == {reference: (4_000_000, 0, 0)}
    assert takings(room, DEC_8) == {reference: (0, 0, 4_000_000)}
    assert takings(room, DEC_9) == {reference: (0, 0, 0)}
    assert total(room, DEC_8, "refunded_vnd") == 4_000_000 and total(room, DEC_9, "refunded_vnd") == 0
    # Each day's row tells the trip's standing as it is now: cancelled and refunded, owing nothing.
    for day in (DEC_7, DEC_8, DEC_9):
        _, detail = fee_views.reconciliation(room.gate.reader(), room.world.operator, day)
        assert [(row["standing"], row["balance_vnd"]) for row in detail] == [("refunded", 0)]


def test_cash_taken_at_23_59_59_and_at_midnight_falls_on_each_ones_own_day(room):
    at(room, DEC_7, 23, 59, 59)
    before_midnight = declare_vegetables(room, plate="29H-987.61", hours_ahead=60)
    cash(room, before_midnight, 100_000)
    at(room, DEC_8, 0, 0, 0)
    at_midnight = declare_vegetables(room, plate="15C-333.44", hours_ahead=60)
    cash(room, at_midnight, 100_000)

    assert takings(room, DEC_7) == {before_midnight: (0, 100_000, 0)}
    assert takings(room, DEC_8) == {at_midnight: (0, 100_000, 0)}
    assert total(room, DEC_7, "paid_cash_vnd") == total(room, DEC_8, "paid_cash_vnd") == 100_000
