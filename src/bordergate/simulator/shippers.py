"""Shippers of perishable cargo told at declaration that the wait is longer than its shelf life, who hold back.

The system's own warning (services.call_forwarding.shelf_life_warning) runs call_forward.project over the whole
queue, which costs hours times trucks for each truck declared. A shipper in a simulated year needs the answer in
microseconds, so this is the same question asked of counts: how many trucks are ahead, and when the paced places
reach the truck. It follows the call-forward order: a perishable truck waits its turn in the live queue until its
cargo is within ``urgent`` of spoiling, then goes ahead of all but priority trucks and cargo spoiling sooner.
Its error against project() is tested; it counts every expected truck as present, so it errs on the late side.
Like project() it walks the lane's capacity hour by hour (LaneHours.nth_place over the hours' cumulative places,
closed hours passing none), and a truck is never told of a place before it can take it: when the places ahead run
out before it arrives (or before its cargo turns urgent) it is told the first minute a call may go out from then,
so a call is never promised inside a closure.
"""
from __future__ import annotations

from bisect import bisect_right, insort

from bordergate.simulator.lanes import LaneHours


class Outlook:
    """What a shipper can know of one lane at declaration: who is waiting, who is declared and on the way."""

    def __init__(self, hours: LaneHours, urgent_minutes: int) -> None:
        self.hours = hours
        self.urgent = urgent_minutes
        self.waiting = 0
        self.expected: list[int] = []  # declared arrivals of trucks on their way, sorted
        self.spoiling: list[int] = []  # when the cargo of each perishable truck not yet called spoils, sorted
        self.priority = 0  # priority trucks declared and not yet called

    def add(self, arrival: int | None, spoils: int | None, priority: bool) -> None:
        if arrival is not None:
            insort(self.expected, arrival)
        if spoils is not None and not priority:
            insort(self.spoiling, spoils)
        self.priority += priority

    def came(self, arrival: int) -> None:
        _remove(self.expected, arrival)
        self.waiting += 1

    def gone(self, spoils: int | None, priority: bool, waiting: bool) -> None:
        """A truck called forward (``waiting``) or forgotten as a no-show."""
        if spoils is not None and not priority:
            _remove(self.spoiling, spoils)
        self.priority -= priority
        self.waiting -= waiting

    def expected_call(self, now: int, called_this_hour: int, arrival: int, spoils: int | None) -> int:
        """When a truck declared now, arriving at ``arrival``, can expect its call."""
        ahead = self.waiting + bisect_right(self.expected, arrival)
        in_turn = self._place(now, called_this_hour, ahead + 1, arrival)
        if spoils is None:
            return in_turn
        before = self.priority + bisect_right(self.spoiling, spoils)
        first = self._place(now, called_this_hour, before + 1, max(arrival, spoils - self.urgent))
        return min(in_turn, first)

    def _place(self, now: int, called_this_hour: int, n: int, earliest: int) -> int:
        """The ``n``-th place from now, or, when that comes before ``earliest``, the first call from then: the
        places before go to others, and ``earliest`` itself may be in a closure (issue 15: "max(arrival, ...)"
        promised calls in the middle of a holiday)."""
        at = self.hours.nth_place(now, called_this_hour, n)
        if at >= earliest:
            return at
        return self.hours.next_call(earliest, called_this_hour if earliest // 60 == now // 60 else 0)

    def hold(self, now: int, called_this_hour: int, arrival: int, spoils: int, longest: int) -> int:
        """The minutes to hold back dispatch so that the expected call comes before the cargo spoils (whole hours,
        at most ``longest``; a shipper who cannot wait longer sends the truck anyway). Loading later moves the
        spoiling time with it."""
        for held in range(0, longest + 1, 60):
            if self.expected_call(now, called_this_hour, arrival + held, spoils + held) <= spoils + held:
                return held
        return longest


def _remove(values: list[int], value: int) -> None:
    i = bisect_right(values, value) - 1
    if i >= 0 and values[i] == value:
        del values[i]
