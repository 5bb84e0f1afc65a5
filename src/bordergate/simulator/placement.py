"""Where each truck waited: in the waiting area while it has room, otherwise on the highway, in order of arrival."""
from __future__ import annotations

from collections import deque
from heapq import heappop, heappush

from bordergate.simulator.journeys import Outcome
from bordergate.simulator.lanes import NEVER


def fill_waiting_area(truck_ids: list[int], outcome: Outcome, size: int) -> None:
    """Set ``entered_area`` for the lane's trucks: a truck that has checked in drives into the waiting area if a place
    is free; otherwise it waits on the highway and takes the first place that frees, in order of check-in. A truck
    called while still on the highway drives past to the gate. A place frees when its truck is called forward.
    """
    checked_in, crossed, entered = outcome.checked_in, outcome.crossed, outcome.entered_area
    inside: list[int] = []  # crossing minutes of the trucks in the waiting area
    highway: deque[int] = deque()

    def free_places_until(minute: int) -> None:
        while inside and inside[0] <= minute:
            freed = heappop(inside)
            while highway and crossed[highway[0]] <= freed:
                highway.popleft()  # called from the highway before this place freed
            if highway:
                truck = highway.popleft()
                entered[truck] = freed
                heappush(inside, crossed[truck])

    for truck in sorted((i for i in truck_ids if checked_in[i] < NEVER), key=lambda i: (checked_in[i], i)):
        came, leaves = checked_in[truck], crossed[truck]
        if leaves <= came:
            continue  # called the minute it came: it waited nowhere
        free_places_until(came)
        if len(inside) < size:
            entered[truck] = came
            heappush(inside, leaves)
        else:
            highway.append(truck)
    free_places_until(NEVER - 1)
