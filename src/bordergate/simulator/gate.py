"""The gate's physical side: plates entered by hand when the camera misreads, and a queue the gate works through."""
from __future__ import annotations

from collections import deque
from collections.abc import Sequence

from bordergate.simulator.lanes import NEVER, LaneHours


class ManualEntry:
    """One operator's desk at the waiting-area entry: misread plates are typed in one after another.

    A misread truck takes its place in the queue only when its plate is entered; until then it waits on the highway.
    Trucks must be brought to the desk in order of arrival.
    """

    def __init__(self, minutes: float) -> None:
        self.minutes = max(1, round(minutes))
        self.free_at = -NEVER

    def check_in(self, arrival: int, misread: bool) -> int:
        if not misread:
            return arrival
        self.free_at = max(arrival, self.free_at) + self.minutes
        return self.free_at


def serve_in_order(hours: LaneHours, arrivals: Sequence[tuple[int, int]], crossed, ahead: Sequence[bool] = ()) -> None:
    """Let trucks through as fast as the paced capacity allows, never leaving a place unused while one waits.

    ``arrivals`` are (minute, truck id) in order of arrival; trucks are let through first come, first served, except
    those marked in ``ahead`` (by id), who go in front of everyone not marked. Writes the minute each crossed into
    ``crossed`` (by id); trucks still waiting when the simulated hours run out keep their NEVER.
    """
    front: deque[int] = deque()
    road: deque[int] = deque()
    i, count = 0, len(arrivals)
    minute, hour, called = 0, -1, 0
    while i < count or front or road:
        if not front and not road:
            minute = max(minute, arrivals[i][0])
        while i < count and arrivals[i][0] <= minute:
            truck = arrivals[i][1]
            (front if ahead and ahead[truck] else road).append(truck)
            i += 1
        minute = max(minute, 0)
        if minute // 60 != hour:
            hour, called = minute // 60, 0
        due = hours.next_call(minute, called)
        if due == NEVER:
            return
        if due > minute:
            minute = due
            continue
        allowed = hours.tables[hour][minute % 60] - called
        while allowed and (front or road):
            crossed[(front or road).popleft()] = minute
            allowed -= 1
            called += 1
        minute += 1
